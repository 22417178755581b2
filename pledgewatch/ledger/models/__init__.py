"""The ledger: initiatives, events, documents, commitments, money, rates and the sources of every figure.

Bilingual fields are `<name>_ja`, `<name>_en` and `<name>_ru`; `localized(obj, "name")` picks the
active language with fallbacks. Money is always Decimal + ISO 4217 currency + qualifier.
Every ledger model keeps a change history (django-simple-history): who, when, what changed.
The models live in modules by topic (base, reference, events, commitments, sources); every name is
imported from here: `from pledgewatch.ledger.models import Commitment`.
"""

from pledgewatch.ledger.models.base import (
    LANGS,
    STAGE_ORDER,
    ConversionPolicy,
    DocumentKind,
    EventKind,
    Instrument,
    Localized,
    OrgKind,
    Qualifier,
    Sector,
    Stage,
    TransactionKind,
    clean_money,
    localized,
    money_fields,
)
from pledgewatch.ledger.models.commitments import (
    Commitment,
    CommitmentCountry,
    RecipientBasis,
    StageChange,
    Transaction,
)
from pledgewatch.ledger.models.events import (
    Document,
    Event,
    Participant,
)
from pledgewatch.ledger.models.reference import (
    Country,
    ExchangeRate,
    FocusArea,
    Initiative,
    Organisation,
    Pillar,
    validate_dac_sectors,
)
from pledgewatch.ledger.models.sources import (
    Claim,
    ClaimKind,
    DuplicateCandidate,
    Source,
    SourceText,
)

__all__ = [
    "LANGS",
    "STAGE_ORDER",
    "Claim",
    "ClaimKind",
    "Commitment",
    "CommitmentCountry",
    "ConversionPolicy",
    "Country",
    "Document",
    "DocumentKind",
    "DuplicateCandidate",
    "Event",
    "EventKind",
    "ExchangeRate",
    "FocusArea",
    "Initiative",
    "Instrument",
    "Localized",
    "OrgKind",
    "Organisation",
    "Participant",
    "Pillar",
    "Qualifier",
    "RecipientBasis",
    "Sector",
    "Source",
    "SourceText",
    "Stage",
    "StageChange",
    "Transaction",
    "TransactionKind",
    "clean_money",
    "localized",
    "money_fields",
    "validate_dac_sectors",
]
