"""Double counting: find the existing commitment that is the same deal, and link further sources to it.

A match needs the same recipients and instrument; it is *certain* when the amount is within 1 %, the
dates within 90 days and the titles similar (either language), or when the IATI identifiers are equal.
Two of the three signals make an *uncertain* match for review. Nothing is added twice.

A title alone is never enough, so a commitment can only match when its amount is within 1 % or its date
within 90 days. Candidates are found through those two conditions first: in memory for an import
(`DedupeIndex`: recipients and instrument, amount buckets per currency, sorted dates), in SQL for the
review queue (`find_matches`); titles are compared (difflib) only for the few commitments found.
"""

import bisect
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Context, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from pledgewatch.ledger.models import Commitment, CommitmentCountry, DuplicateCandidate, Source, SourceText
from pledgewatch.ledger.rates import RateBook, ecb_table

AMOUNT_TOLERANCE = Decimal("0.01")
DATE_TOLERANCE_DAYS = 90
# only commitments dated within this window of the candidate (or undated) are considered at all
DATE_WINDOW_DAYS = DATE_TOLERANCE_DAYS * 4
TITLE_SIMILARITY = 0.6
# amount buckets: log10 of the amount in steps of 0.01 (2.3 %); a 1 % neighbour is in the same or the next bucket
BUCKET_STEP = Decimal("0.01")
_LOG = Context(prec=12)
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


@dataclass(frozen=True)
class Entry(Candidate):
    """What matching needs of an existing commitment: a Candidate with its id (titles already folded by
    `normalise_title`); the id is given by name, `Entry(..., id=pk)`."""

    id: int = field(kw_only=True)

    @classmethod
    def of(cls, c: Commitment, recipients: frozenset[str]) -> "Entry":
        return cls(recipients, c.instrument, c.amount, c.currency, c.date, _folded(
            (c.title_ja, c.title_en, c.title_ru)), c.iati_identifier, id=c.pk)


def normalise_title(title: str) -> str:
    """Return a title folded for comparison (NFKC, lower case, without brackets and filler words)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", title or "").lower())


def _folded(titles) -> tuple[str, ...]:
    return tuple(filter(None, map(normalise_title, titles)))


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    best = 0.0
    for x in a:
        for y in b:
            if x in y or y in x:
                return 1.0
            best = max(best, difflib.SequenceMatcher(None, x, y).ratio())
    return best


def amounts_close(a: Decimal | None, cur_a: str, b: Decimal | None, cur_b: str, on: date | None,
                  book: RateBook | None = None) -> bool | None:
    """Return True/False when both amounts are known (converted if needed), None when one is missing."""
    if a is None or b is None or not a.is_finite() or not b.is_finite():
        return None
    if cur_a != cur_b:
        rate = (book or RateBook()).get(cur_a, cur_b, on)
        if rate is None:
            return None
        a = a * rate.rate
    biggest = max(abs(a), abs(b))
    return biggest == 0 or abs(a - b) <= biggest * AMOUNT_TOLERANCE


def bucket(amount: Decimal) -> tuple[int, int]:
    """Return the amount's bucket: its sign and log10 in steps of BUCKET_STEP (0 for zero)."""
    if amount == 0:
        return (0, 0)
    return (1 if amount > 0 else -1, int(abs(amount).log10(_LOG) // BUCKET_STEP))


def _score(candidate: Candidate, c: Entry, book: RateBook, folded: tuple[str, ...] | None = None) -> Match | None:
    """Score an existing commitment against the candidate; None below two signals."""
    if candidate.iati_identifier and c.iati_identifier == candidate.iati_identifier:
        return Match(c.id, 1.0, True, ["same IATI identifier"])
    if c.recipients != candidate.recipients or c.instrument != candidate.instrument:
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
    if signals == 0:  # the title alone cannot make a match: no difflib for it
        return None
    similarity = _similarity(_folded(candidate.titles) if folded is None else folded, c.titles)
    if similarity >= TITLE_SIMILARITY:
        signals += 1
        reasons.append(f"similar title ({similarity:.2f})")
    if close is False:
        reasons.append("amounts differ")
    if signals < 2:
        return None
    certain = signals == 3 or (signals == 2 and close is None and similarity >= 0.9)
    return Match(c.id, round(signals / 3 * 0.5 + similarity * 0.5, 3), certain, reasons)


def _ranked(matches: list[Match], limit: int) -> list[Match]:
    matches.sort(key=lambda m: (not m.certain, -m.score, m.commitment_id))
    return matches[:limit]


def _in_window(candidate: Candidate, when: date | None) -> bool:
    return not (candidate.date and when) or abs((candidate.date - when).days) <= DATE_WINDOW_DAYS


class DedupeIndex:
    """The commitments an import may link to, indexed for `matches` (built once per import).

    By default only commitments that no IATI activity stands for yet (entered from the press or by
    staff): an IATI activity is never the duplicate of another one. Groups are keyed by (recipients,
    instrument); inside a group, ids by (currency, amount bucket) and a sorted list of (date, id).
    """

    def __init__(self, entries=(), book: RateBook | None = None):
        self.book = book or RateBook()
        self.entries: dict[int, Entry] = {}
        self.groups: dict[tuple, dict] = {}
        for e in entries:
            self.add(e)

    @classmethod
    def load(cls, *, free_only: bool = True) -> "DedupeIndex":
        """Return the index of the ledger's commitments (only those without IATI identifier by default)."""
        qs = Commitment.objects.all()
        if free_only:
            qs = qs.filter(iati_identifier__isnull=True)
        recipients = defaultdict(set)
        for cid, code in CommitmentCountry.objects.filter(commitment__in=qs).values_list("commitment_id", "country_id"):
            recipients[cid].add(code)
        fields = ("pk", "instrument", "amount", "currency", "date", "title_ja", "title_en", "title_ru",
                  "iati_identifier")
        return cls(Entry(frozenset(recipients.get(pk, ())), instrument, amount, currency, when,
                         _folded(titles), identifier, id=pk)
                   for pk, instrument, amount, currency, when, *titles, identifier in qs.values_list(*fields))

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, e: Entry) -> None:
        self.entries[e.id] = e
        group = self.groups.setdefault((e.recipients, e.instrument), {"amounts": defaultdict(set), "dates": []})
        if e.amount is not None and e.amount.is_finite():
            group["amounts"][(e.currency, bucket(e.amount))].add(e.id)
        if e.date is not None:
            bisect.insort(group["dates"], (e.date, e.id))

    def discard(self, commitment_id: int) -> None:
        """Forget a commitment (it stands for an IATI activity now)."""
        e = self.entries.pop(commitment_id, None)
        if e is None:
            return
        group = self.groups[(e.recipients, e.instrument)]
        if e.amount is not None and e.amount.is_finite():
            group["amounts"][(e.currency, bucket(e.amount))].discard(e.id)
        if e.date is not None:
            group["dates"].remove((e.date, e.id))

    def candidates(self, candidate: Candidate) -> list[Entry]:
        """Return the entries whose amount may be within 1 % or whose date is within 90 days (id order)."""
        group = self.groups.get((candidate.recipients, candidate.instrument))
        if group is None or not candidate.recipients:
            return []
        ids: set[int] = set()
        amount = candidate.amount
        if amount is not None and amount.is_finite():
            for currency in {cur for cur, _b in group["amounts"]}:
                rate = self.book.get(candidate.currency, currency, candidate.date)
                if rate is None:
                    continue
                sign, step = bucket(amount * rate.rate)
                for near in (step - 1, step, step + 1):
                    ids |= group["amounts"].get((currency, (sign, near)), set())
        if candidate.date is not None:
            dates = group["dates"]
            days = timedelta(days=DATE_TOLERANCE_DAYS)
            lo = bisect.bisect_left(dates, (candidate.date - days, 0))
            hi = bisect.bisect_right(dates, (candidate.date + days, float("inf")))
            ids.update(cid for _d, cid in dates[lo:hi])
        entries = (self.entries[i] for i in sorted(ids))
        return [e for e in entries if _in_window(candidate, e.date)]

    def matches(self, candidate: Candidate, *, exclude=(), limit: int = 5) -> list[Match]:
        """Return the indexed commitments that may be the same deal as candidate, best first."""
        folded = _folded(candidate.titles)
        found = [m for e in self.candidates(candidate) if e.id not in exclude
                 and (m := _score(candidate, e, self.book, folded))]
        return _ranked(found, limit)


def _amount_ranges(candidate: Candidate, book: RateBook) -> Q | None:
    """Return the SQL condition "amount within 1 % of the candidate's" in every convertible currency."""
    amount = candidate.amount
    if amount is None or not amount.is_finite():
        return None
    currencies = {candidate.currency} | (set(ecb_table()) if candidate.date else set())
    condition = Q()
    for currency in sorted(currencies):
        rate = book.get(candidate.currency, currency, candidate.date)
        if rate is None:
            continue
        a = amount * rate.rate
        # |a - b| <= max(|a|, |b|) * 1 %  holds inside [a·0.99, a/0.99] (either sign); _score checks it exactly
        ends = sorted((a * (1 - AMOUNT_TOLERANCE), a / (1 - AMOUNT_TOLERANCE)))
        condition |= Q(currency=currency, amount__range=tuple(ends))
    return condition or None


def find_matches(candidate: Candidate, *, exclude_id: int | None = None, limit: int = 5,
                 free_only: bool = False) -> list[Match]:
    """Return existing commitments that may be the same deal as candidate, best first.

    Only commitments with the candidate's instrument whose amount is within 1 % or whose date is within
    90 days are read (and, with `free_only`, only those that no IATI activity stands for yet).
    """
    book = RateBook()
    qs = Commitment.objects.all()
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    if free_only:
        qs = qs.filter(iati_identifier__isnull=True)
    near = _amount_ranges(candidate, book) or Q(pk__in=[])
    if candidate.date:
        days = timedelta(days=DATE_TOLERANCE_DAYS)
        near |= Q(date__range=(candidate.date - days, candidate.date + days))
    similar = Q(instrument=candidate.instrument) & near
    if candidate.iati_identifier:
        similar |= Q(iati_identifier=candidate.iati_identifier)
    pool = list(qs.filter(similar).only("pk", "instrument", "amount", "currency", "date", "title_ja", "title_en",
                                        "title_ru", "iati_identifier"))
    recipients = defaultdict(set)
    for cid, code in CommitmentCountry.objects.filter(commitment__in=[c.pk for c in pool]).values_list(
            "commitment_id", "country_id"):
        recipients[cid].add(code)
    folded = _folded(candidate.titles)
    matches = []
    for c in pool:
        same_identifier = bool(candidate.iati_identifier) and c.iati_identifier == candidate.iati_identifier
        if not same_identifier and (not candidate.recipients or not _in_window(candidate, c.date)
                                    or frozenset(recipients[c.pk]) != candidate.recipients):
            continue
        match = _score(candidate, Entry.of(c, frozenset(recipients[c.pk])), book, folded)
        if match:
            matches.append(match)
    return _ranked(matches, limit)


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
