"""Fixtures of the exports tests: the CA+JAD seed plus one US-dollar commitment (for conversion)."""

from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.totals.version import clear_memo


@pytest.fixture
def ledger(seeded):
    """Return the seeded initiative with a USD commitment added (converted at the ECB rate of its date)."""
    from pledgewatch.ledger.models import Commitment, CommitmentCountry, Organisation

    c = Commitment.objects.create(
        ref="kz-usd-investment", title_en="=HYPERLINK(\"http://evil\")", title_ja="カザフ投資",
        instrument="investment", sector="private", amount=Decimal("195000000"), currency="USD",
        qualifier="up_to", date=date(2026, 3, 2), stage="announced",
        provider=Organisation.objects.get(slug="jica"))
    c.initiatives.add(seeded)
    CommitmentCountry.objects.create(commitment=c, country_id="KZ", share=Decimal(60))
    CommitmentCountry.objects.create(commitment=c, country_id="KG", share=Decimal(40))
    clear_memo()
    return seeded


def by_ref(rows: list[dict]) -> dict[str, dict]:
    return {r["ref"]: r for r in rows}


@pytest.fixture
def countries(transactional_db):
    """The ISO countries of data migration 0002 (an earlier transactional test's flush may have removed them)."""
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country

    load_countries(Country)
