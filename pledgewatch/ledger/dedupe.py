"""Double counting: find the existing commitment that is the same deal, and link further sources to it.

A match needs the same recipients and instrument; it is *certain* when the amount is within 1 %, the
dates within 90 days and the titles similar (either language), or when the IATI identifiers are equal.
Two of the three signals make an *uncertain* match for review. Nothing is added twice.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from pledgewatch.ledger.models import Commitment, DuplicateCandidate, Source, SourceText
from pledgewatch.ledger.rates import RateBook

AMOUNT_TOLERANCE = Decimal("0.01")
DATE_TOLERANCE_DAYS = 90
TITLE_SIMILARITY = 0.6
_NOISE = re.compile(r"[\s\W_「」『』()（）【】]+|(計画|事業|プロジェクト|project|programme|program|the|for|of)",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    recipients: frozenset[str]
    instrument: str
    amount: Decimal | None
    currency: str
    date: date | None
    titles: tuple[str, ...]
    iati_identifier: str | None = None


@dataclass
class Match:
    commitment_id: int
    score: float
    certain: bool
    reasons: list[str] = field(default_factory=list)


def normalise_title(title: str) -> str:
    """Return a title folded for comparison (NFKC, lower case, without brackets and filler words)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", title or "").lower())


def title_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Return the best similarity (0–1) between any title of a and any title of b."""
    best = 0.0
    for x in filter(None, map(normalise_title, a)):
        for y in filter(None, map(normalise_title, b)):
            if x in y or y in x:
                return 1.0
            best = max(best, difflib.SequenceMatcher(None, x, y).ratio())
    return best


def amounts_close(a: Decimal | None, cur_a: str, b: Decimal | None, cur_b: str, on: date | None,
                  book: RateBook | None = None) -> bool | None:
    """Return True/False when both amounts are known (converted if needed), None when one is missing."""
    if a is None or b is None:
        return None
    if cur_a != cur_b:
        rate = (book or RateBook()).get(cur_a, cur_b, on)
        if rate is None:
            return None
        a = a * rate.rate
    biggest = max(abs(a), abs(b))
    return biggest == 0 or abs(a - b) <= biggest * AMOUNT_TOLERANCE


def _score(candidate: Candidate, c: Commitment, recipients: frozenset[str], book: RateBook) -> Match | None:
    if candidate.iati_identifier and c.iati_identifier == candidate.iati_identifier:
        return Match(c.pk, 1.0, True, ["same IATI identifier"])
    if recipients != candidate.recipients or c.instrument != candidate.instrument:
        return None
    reasons = ["same recipients", "same instrument"]
    signals = 0
    close = amounts_close(candidate.amount, candidate.currency, c.amount, c.currency, candidate.date, book)
    if close:
        signals += 1
        reasons.append("amount within 1 %")
    if candidate.date and c.date and abs((candidate.date - c.date).days) <= DATE_TOLERANCE_DAYS:
        signals += 1
        reasons.append("dates within 90 days")
    similarity = title_similarity(candidate.titles, (c.title_ja, c.title_en, c.title_ru))
    if similarity >= TITLE_SIMILARITY:
        signals += 1
        reasons.append(f"similar title ({similarity:.2f})")
    if close is False:
        reasons.append("amounts differ")
    if signals < 2:
        return None
    certain = signals == 3 or (signals == 2 and close is None and similarity >= 0.9)
    return Match(c.pk, round(signals / 3 * 0.5 + similarity * 0.5, 3), certain, reasons)


def find_matches(candidate: Candidate, *, exclude_id: int | None = None, limit: int = 5) -> list[Match]:
    """Return existing commitments that may be the same deal as candidate, best first."""
    qs = Commitment.objects.all()
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    similar = Q(instrument=candidate.instrument, recipients__country_id__in=candidate.recipients)
    if candidate.date:
        window = timedelta(days=DATE_TOLERANCE_DAYS * 4)
        similar &= Q(date__isnull=True) | Q(date__range=(candidate.date - window, candidate.date + window))
    if candidate.iati_identifier:
        similar |= Q(iati_identifier=candidate.iati_identifier)
    pool = qs.filter(similar).distinct().prefetch_related("recipients")[:500]
    book = RateBook()
    matches = []
    for c in pool:
        recipients = frozenset(r.country_id for r in c.recipients.all())
        match = _score(candidate, c, recipients, book)
        if match:
            matches.append(match)
    matches.sort(key=lambda m: (not m.certain, -m.score, m.commitment_id))
    return matches[:limit]


def add_source(commitment: Commitment, *, text: SourceText | None = None, spans=(), url: str = "",
               seen_on: date | None = None, note: str = "") -> list[Source]:
    """Attach a text (and its quoted spans, as (start, end, field)) to a commitment (or a claim) as sources."""
    ct = ContentType.objects.get_for_model(type(commitment))
    created = []
    spans = list(spans) or [(None, None, "")]
    for start, end, field_name in spans:
        quote = text.text[start:end] if text is not None and start is not None else ""
        source, new = Source.objects.get_or_create(
            content_type=ct, object_id=commitment.pk, field=field_name, text=text, start=start, end=end, url=url,
            defaults={"quote": quote, "seen_on": seen_on, "note": note})
        if new:
            created.append(source)
    return created


def record_candidate(new: Commitment, match: Match, origin: str) -> DuplicateCandidate:
    """Record an uncertain match between a new commitment and an existing one for review."""
    obj, _ = DuplicateCandidate.objects.get_or_create(
        commitment=new, other_id=match.commitment_id,
        defaults={"score": Decimal(str(match.score)), "reasons": match.reasons, "origin": origin})
    return obj


@transaction.atomic
def merge(keep: Commitment, drop: Commitment) -> Commitment:
    """Fold `drop` into `keep`: move its sources, documents, transactions and identifiers, then delete it.

    Each moved record is saved on its own (a handful per merge) so that every move has a history row
    with who and why, like any other write.
    """
    ct = ContentType.objects.get_for_model(Commitment)
    for source in Source.objects.filter(content_type=ct, object_id=drop.pk):
        source.object_id = keep.pk
        source.save(update_fields=["object_id"])
    for payment in drop.transactions.all():
        payment.commitment = keep
        payment.save(update_fields=["commitment"])
    keep.documents.add(*drop.documents.all())
    keep.initiatives.add(*drop.initiatives.all())
    if drop.iati_identifier and not keep.iati_identifier:
        identifier = drop.iati_identifier
        drop.iati_identifier = None
        drop.save(update_fields=["iati_identifier"])
        keep.iati_identifier = identifier
        keep.save()
    for candidate in DuplicateCandidate.objects.filter(commitment=drop, other=keep).exclude(
            status=DuplicateCandidate.Status.MERGED):
        candidate.status = DuplicateCandidate.Status.MERGED
        candidate.save(update_fields=["status"])
    drop.delete()
    return keep
