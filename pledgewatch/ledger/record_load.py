"""Write a public record (rows read and classified by `pledgewatch.ledger.record`) into the ledger.

Transactional and idempotent: a row is found again by its key (`Commitment.record_key`, `Claim.key`, the
note of its source), only real changes are saved, so a second load changes nothing and writes no history.
A deal row becomes a commitment (or is linked to the commitment the seed article already holds for it),
with a document of its kind and a source without stored text (address, publisher, language, date seen, the
figure as printed). Agreement rows add a document and move the stage on; claims are stored apart and never
counted.
"""

from datetime import date
from importlib import resources
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from pledgewatch.ledger import record as R
from pledgewatch.ledger.audit import default_reason
from pledgewatch.ledger.dedupe import Candidate, find_matches
from pledgewatch.ledger.models import (
    STAGE_ORDER,
    Claim,
    Commitment,
    CommitmentCountry,
    Country,
    Document,
    Initiative,
    Organisation,
    Source,
    StageChange,
)
from pledgewatch.ledger.seed import Loader
from pledgewatch.ledger.seed_data import COMMITMENTS, INITIATIVE

BUNDLED = ("year-one.csv", "year-one-extra.csv")
BUNDLED_SEEN_ON = date(2026, 12, 2)  # the record's SOURCES.md: searched on 2026-12-02


def document_kind(row: R.Row) -> str:
    """Return the kind of document a row records, from its channel ("exchange of notes", "(G/A)", …)."""
    channel = row.channel.lower()
    for needle, kind in (("exchange of notes", "exchange_of_notes"), ("(l/a)", "loan_agreement"),
                         ("loan agreement", "loan_agreement"), ("(g/a)", "grant_agreement"),
                         ("grant agreement", "grant_agreement"), ("treaty", "treaty"), ("contract", "contract"),
                         ("cooperation document", "mou")):
        if needle in channel:
            return kind
    return "other"


def bundled_paths() -> list[Path]:
    """Return the record files shipped in the package (the year-one table and its supplement)."""
    folder = resources.files("pledgewatch.data").joinpath("cajad")
    return [Path(str(folder.joinpath(name))) for name in BUNDLED]


class RecordLoader(Loader):
    """Create or update the ledger records of a record file's rows, counting what changed."""

    def __init__(self, initiative: Initiative, seen_on: date | None, aliases: dict[str, str] | None = None):
        super().__init__()
        self.initiative = initiative
        self.seen_on = seen_on
        self.aliases = aliases or {}
        self.commitments: dict[str, Commitment] = {}
        self.codes = set(Country.objects.values_list("code", flat=True))

    # -- sources and documents
    def source(self, obj, row: R.Row, field: str = "") -> None:
        ct = ContentType.objects.get_for_model(type(obj))
        values = {"field": "amount" if row.figure and row.amount is not None and not field else field,
                  "publisher": row.publisher[:300], "language": row.language[:10], "figure": row.figure[:200]}
        if self.seen_on is not None:  # without a date, a source keeps the date it was first seen
            values["seen_on"] = self.seen_on
        self.upsert(Source, {"content_type": ct, "object_id": obj.pk, "url": row.url, "note": row.key}, values)

    def document(self, row: R.Row) -> Document:
        ct = ContentType.objects.get_for_model(Document)
        anchor = Source.objects.filter(content_type=ct, note=row.key).values_list("object_id", flat=True).first()
        values = {"kind": document_kind(row), "title_ja": row.title_ja[:500], "title_en": row.title_en[:500],
                  "date": row.date, "url": row.url, "language": row.language[:10]}
        if anchor is not None and Document.objects.filter(pk=anchor).exists():
            doc = self.upsert(Document, {"pk": anchor}, values)
        else:
            doc = self.upsert(Document, {"kind": values["kind"], "title_en": row.title_en[:500],
                                         "title_ja": row.title_ja[:500], "date": row.date}, values)
        self.set_m2m(doc.countries, Country.objects.filter(code__in=row.countries))
        if not doc.initiatives.filter(pk=self.initiative.pk).exists():
            doc.initiatives.add(self.initiative)
            self.changed += 1
        self.source(doc, row, field="")
        return doc

    # -- deals
    def find(self, row: R.Row) -> Commitment | None:
        """Return the commitment a deal row is: by its key, the seed's alias, or a certain duplicate match."""
        found = Commitment.objects.filter(record_key=row.key).first()
        if found is None and row.key in self.aliases:
            found = Commitment.objects.filter(ref=self.aliases[row.key]).first()
        if found is None:
            matches = find_matches(Candidate(
                recipients=frozenset(row.countries), instrument=row.ledger_instrument, amount=row.amount,
                currency=row.currency, date=row.date, titles=(row.title_ja, row.title_en)), limit=1)
            if matches and matches[0].certain:
                found = Commitment.objects.get(pk=matches[0].commitment_id)
        return found

    def deal(self, row: R.Row) -> Commitment:
        pillar = self.initiative.pillars.filter(slug=row.pillar).first() if row.pillar else None
        values = {"title_ja": row.title_ja[:500], "title_en": row.title_en[:500],
                  "instrument": row.ledger_instrument, "sector": row.sector, "amount": row.amount,
                  "currency": row.currency, "qualifier": row.qualifier, "date": row.date,
                  "description_en": f"{row.channel}. {row.note}"[:5000], "record_key": row.key}
        if pillar is not None:
            values["pillar"] = pillar
        if row.sector == "public" and (gov := Organisation.objects.filter(slug="gov-jp").first()):
            values["provider"] = gov
        found = self.find(row)
        if found is None:
            values |= {"stage": row.ledger_stage, "stage_date": row.date, "ref": row.key.lower()}
            c = self.upsert(Commitment, {"record_key": row.key}, values)
        else:
            if found.record_key and found.record_key != row.key:
                values.pop("record_key")  # the same deal in a later record: keep the first key
            c = self.upsert(Commitment, {"pk": found.pk}, values)
        if not c.initiatives.filter(pk=self.initiative.pk).exists():
            c.initiatives.add(self.initiative)
            self.changed += 1
        for code in row.countries:
            self.upsert(CommitmentCountry, {"commitment": c, "country_id": code}, {})
        self.stage(c, row, row.ledger_stage)
        self.link(c, self.document(row))
        self.source(c, row)
        self.commitments[row.key] = c
        return c

    def link(self, c: Commitment, doc: Document) -> None:
        if not c.documents.filter(pk=doc.pk).exists():
            c.documents.add(doc)
            self.changed += 1

    def stage(self, c: Commitment, row: R.Row, stage: str) -> None:
        """Record that c reached `stage` on the row's date; its current stage is the furthest one reached."""
        self.upsert(StageChange, {"commitment": c, "stage": stage, "date": row.date}, {"note": row.key})
        # the furthest stage reached, on the first day it was reached
        furthest = max(c.stage_changes.all(), key=lambda s: (STAGE_ORDER.index(s.stage), -s.date.toordinal()))
        if (c.stage, c.stage_date) != (furthest.stage, furthest.date):
            c.stage, c.stage_date = furthest.stage, furthest.date
            c.save()
            self.changed += 1

    def further(self, row: R.Row) -> None:
        """Attach an agreement, an announcement or a follow-up row to the commitment it belongs to."""
        c = self.commitments[row.refers_to[0]]
        stage = {R.AGREEMENT: "committed"}.get(row.kind, row.ledger_stage)
        if row.kind == R.AGREEMENT and STAGE_ORDER.index(row.ledger_stage) > STAGE_ORDER.index("committed"):
            stage = row.ledger_stage
        self.stage(c, row, stage)
        self.link(c, self.document(row))
        self.source(c, row, field="stage")

    # -- claims
    def claimant(self, row: R.Row) -> Organisation | None:
        if row.claim_kind == "target":
            return self.initiative.scope_provider
        if row.claim_kind in ("portfolio", "documents", "total") and len(row.countries) == 1:
            return Organisation.objects.filter(slug=f"gov-{row.countries[0].lower()}").first()
        return None

    def claim(self, row: R.Row) -> Claim:
        count, count_qualifier = row.count()
        values = {"initiative": self.initiative, "kind": row.claim_kind, "title_ja": row.title_ja[:500],
                  "title_en": row.title_en[:500], "stage": row.ledger_stage, "date": row.date,
                  "claimant": self.claimant(row), "claimed_by": row.claimed_by()[:300], "amount": row.amount,
                  "currency": row.currency, "qualifier": row.qualifier, "count": count,
                  "count_qualifier": count_qualifier, "note": row.note[:1000]}
        claim = self.upsert(Claim, {"key": row.key}, values)
        self.set_m2m(claim.countries, Country.objects.filter(code__in=row.countries))
        self.set_m2m(claim.contains, [self.commitments[k] for k in row.refers_to if k in self.commitments])
        self.source(claim, row, field="amount" if row.amount is not None else "count")
        return claim


def load_rows(rows: list[R.Row], initiative: Initiative, *, seen_on: date | None,
              aliases: dict[str, str] | None = None) -> int:
    """Write classified rows (deals first, then what refers to them, then claims); return records changed."""
    unknown = sorted({c for r in rows for c in r.countries} - set(Country.objects.values_list("code", flat=True)))
    if unknown:
        bad = [R.BadRecordRow("", r.line, [f"Unknown country codes: {', '.join(unknown)}."])
               for r in rows if set(r.countries) & set(unknown)]
        raise R.RecordError("\n".join(b.describe() for b in bad), bad)
    loader = RecordLoader(initiative, seen_on, aliases)
    for row in rows:
        if row.kind == R.DEAL:
            loader.deal(row)
    for row in rows:
        if row.kind in (R.AGREEMENT, R.EARLIER, R.FOLLOW_UP):
            loader.further(row)
        elif row.kind in (R.CLAIM, R.MILESTONE):
            loader.claim(row)
    return loader.changed


@transaction.atomic
def load_record(paths, initiative: Initiative, *, seen_on: date | None = None,
                aliases: dict[str, str] | None = None) -> tuple[int, int]:
    """Read, check and load record files in one transaction; return (rows, records created or changed).

    Every file is read and checked before anything is written; any bad row raises RecordError and
    nothing is written.
    """
    rows: list[R.Row] = []
    for path in paths:
        rows += R.read(Path(path))
    with default_reason(f"record: {', '.join(Path(p).name for p in paths)}"):
        return len(rows), load_rows(rows, initiative, seen_on=seen_on, aliases=aliases)


def load_bundled_record(initiative: Initiative | None = None) -> tuple[int, int]:
    """Load the CA+JAD first-year record shipped in the package beside the seed article."""
    initiative = initiative or Initiative.objects.get(slug=INITIATIVE["slug"])
    aliases = {spec["record"]: spec["ref"] for spec in COMMITMENTS if spec.get("record")}
    return load_record(bundled_paths(), initiative, seen_on=BUNDLED_SEEN_ON, aliases=aliases)
