"""Golden files: the CSV, JSON and XLSX exports of a fixed varied ledger equal bytes committed once and
reviewed (tests/exports/golden/), in every language, filtered or not, inside a transaction or (PostgreSQL)
streamed through COPY.

Regenerate after an intended change, then review the diff before committing:

    PLEDGEWATCH_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/exports/test_golden.py

Commitment ids depend on the database's sequences, so the `id` column is written as the commitment's rank
by id (1, 2, 3, …) and the counting rules' `provider_id` as the organisation's slug on both sides of the
comparison; every other byte is compared as it is. Each database has
its own folder (golden/sqlite, golden/postgresql): the default order `-date` puts commitments without a
date last on SQLite and first on PostgreSQL; the files differ only in that order.
"""

import datetime
import io
import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pledgewatch.exports.formats import FORMATS
from pledgewatch.exports.rows import Export
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Event,
    ExchangeRate,
    FocusArea,
    Initiative,
    Organisation,
    Pillar,
)
from pledgewatch.ledger.queries import CommitmentFilter

GOLDEN = Path(__file__).resolve().parent / "golden"
WRITE = os.environ.get("PLEDGEWATCH_WRITE_GOLDEN") == "1"

TEXTS = ["", "plain", "a,b", 'say "hi"', "two\nlines", "=SUM(A1)", "'quoted", "日本語、カンマ", "-1", "@cmd"]
STAMP = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def varied(ledger):
    """The seed plus 60 commitments covering every kind of row: explicit and scope-rule links, shares,
    several focus areas and initiatives, every currency case, undisclosed and dateless amounts."""
    other = Initiative.objects.create(
        slug="other-initiative", name_ja="別", name_en="Other", horizon_start=date(2020, 1, 1),
        horizon_end=date(2030, 12, 31), headline_currency="USD", counted_stages=["signed", "committed"])
    ledger.scope_by_rule = True
    ledger.scope_provider = Organisation.objects.get(slug="jica")
    ledger.save()
    ledger.scope_countries.add("KZ", "UZ")
    ExchangeRate.objects.create(base="KZT", quote="JPY", rate=Decimal("0.3125"), date=date(2025, 1, 1),
                                valid_to=date(2026, 12, 31),
                                source="central bank")
    pillars = [*Pillar.objects.order_by("pk"), None]
    focus = list(FocusArea.objects.order_by("pk"))
    orgs = list(Organisation.objects.order_by("pk"))
    event = Event.objects.order_by("pk").first()
    currencies = ["JPY", "USD", "EUR", "KZT", "XAU"]
    qualifiers = ["exact", "approx", "up_to", "at_least", "undisclosed"]
    stages = ["announced", "signed", "committed", "disbursing", "completed", "cancelled"]
    for i in range(60):
        qualifier = qualifiers[i % 5]
        undisclosed = qualifier == "undisclosed"
        c = Commitment.objects.create(
            ref=f"varied-{i}", iati_identifier=f"JP-{i}" if i % 4 == 0 else None,
            title_ja=TEXTS[i % len(TEXTS)] or "題", title_en=TEXTS[(i + 3) % len(TEXTS)] or "title",
            title_ru=TEXTS[(i + 5) % len(TEXTS)], description_en=TEXTS[(i + 7) % len(TEXTS)],
            classification_reason=TEXTS[(i + 1) % len(TEXTS)], pillar=pillars[i % len(pillars)],
            instrument=["loan", "grant", "investment", "technical_cooperation"][i % 4],
            sector="private" if i % 3 == 0 else "public", dac_sector="12240" if i % 7 == 0 else "",
            stage=stages[i % 6], stage_date=date(2026, 1, 1 + i % 28) if i % 2 else None,
            provider=orgs[i % len(orgs)], channel=orgs[(i + 1) % len(orgs)] if i % 5 == 0 else None,
            event=event if i % 3 == 1 else None,
            amount=None if undisclosed else Decimal(1000 * i + 7) + (Decimal("0.125") if i % 6 == 0 else 0),
            currency="" if undisclosed else currencies[i % len(currencies)], qualifier=qualifier,
            date=None if i % 11 == 10 else date(2025 + i % 2, 1 + i % 12, 1 + i % 28))
        if i % 3 != 2:
            c.initiatives.add(ledger)  # the others count only through the scope rule (or not at all)
        if i % 4 == 1:
            c.initiatives.add(other)
        codes = [["KZ"], ["UZ"], ["KG", "TJ"], ["UZ", "KZ", "TM"], []][i % 5]
        shares = [None] * len(codes) if i % 2 else [Decimal(100) / len(codes) for _c in codes]
        for code, share in zip(codes, shares, strict=True):
            CommitmentCountry.objects.create(commitment=c, country_id=code,
                                             share=None if share is None else share.quantize(Decimal("0.0001")),
                                             basis=["stated", "stated", "identifier", "location"][i % 4])
        c.focus_areas.add(*focus[i % 3: i % 3 + i % 3])
    return ledger


def export(language: str, params: dict | None = None) -> Export:
    new = Export(CommitmentFilter.from_params(params) if params else None, language=language)
    new.exported_at = STAMP
    return new


def ranks() -> dict[int, int]:
    return {pk: n for n, pk in enumerate(Commitment.objects.order_by("pk").values_list("pk", flat=True), start=1)}


def stable_csv(data: bytes) -> bytes:
    """Return CSV bytes with each record's leading id replaced by its rank (records end in CRLF; cells
    written with a bare LF inside quotes never do)."""
    rank = ranks()
    records = data.split(b"\r\n")
    out = [records[0]]
    for record in records[1:]:
        head, sep, rest = record.partition(b",")
        out.append(str(rank[int(head)]).encode() + sep + rest if head.isdigit() else record)
    return b"\r\n".join(out)


def stable_orgs(data: bytes) -> bytes:
    """Return data with the counting rules' organisation id (`provider_id`) written as the slug."""
    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    return re.sub(rb'(provider_id\\?": )(\d+)', lambda m: m.group(1) + slugs[int(m.group(2))].encode(), data)


def stable_json(data: bytes) -> bytes:
    rank = ranks()
    return stable_orgs(re.sub(rb'^\{"id": (\d+),', lambda m: b'{"id": %d,' % rank[int(m.group(1))], data,
                              flags=re.M))


def xlsx_cells(data: bytes) -> bytes:
    """Return every sheet of a workbook as JSON lines of cell values (ids as ranks), for a readable diff."""
    rank = ranks()
    book = load_workbook(io.BytesIO(data), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(json.dumps({"sheet": sheet.title}, ensure_ascii=False))
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        lines.append(json.dumps([str(v) for v in header], ensure_ascii=False))
        for row in rows:
            values = [v if isinstance(v, str | int | None) else str(v) for v in row]
            if sheet.title == book.worksheets[0].title and header and header[0] == "id" and row[0] is not None:
                values[0] = rank[int(row[0])]
            lines.append(json.dumps(values, ensure_ascii=False))
    return stable_orgs(("\n".join(lines) + "\n").encode("utf-8"))


def golden(name: str) -> Path:
    """Return the golden file of this database (SQLite and PostgreSQL sort missing dates differently)."""
    from django.db import connection

    return GOLDEN / connection.vendor / name


def check(name: str, data: bytes) -> None:
    path = golden(name)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from its golden file (see this module's docstring)"


def csv_bytes(language: str, params: dict | None = None) -> bytes:
    return stable_csv(b"".join(FORMATS["csv"].stream(export(language, params))))


@pytest.mark.parametrize("language", ["en", "ja", "ru"])
def test_csv_equals_its_golden_file(varied, language):
    data = csv_bytes(language)
    assert data.count(b"\r\n") >= 67  # header, 6 seed rows, the USD row and 60 varied rows
    check(f"varied-{language}.csv", data)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_inferred_recipients_labelled_and_left_out_by_the_rules(varied, language):
    """recipients_label names how an inferred recipient is known; the counting option leaves it out."""
    counted_all = csv_bytes(language)
    label = "inferred from an identifier" if language == "en" else "識別子から推定"
    assert f"({label})".encode() in counted_all
    varied.count_inferred_recipients = False
    varied.save()
    check(f"varied-stated-{language}.csv", csv_bytes(language))


FILTERS = {"country-kz": {"country": "KZ"}, "loan-by-amount": {"instrument": "loan", "sort": "amount"},
           "other-initiative": {"initiative": "other-initiative"}, "q-plain-by-id-desc": {"q": "plain", "sort": "-id"}}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_filtered_csv_equals_its_golden_file(varied, name):
    assert list(export("ja", FILTERS[name]).rows())  # every filter matches something
    check(f"varied-ja-{name}.csv", csv_bytes("ja", FILTERS[name]))


def test_json_and_xlsx_equal_their_golden_files(varied):
    check("varied-en.json", stable_json(b"".join(FORMATS["json"].stream(export("en")))))
    check("varied-en.xlsx.jsonl", xlsx_cells(b"".join(FORMATS["xlsx"].stream(export("en")))))
    assert len(list(export("en").rows())) == Commitment.objects.count()


def test_outside_a_transaction_the_rows_stream_from_copy_on_postgresql(transactional_db, countries, varied):
    """Outside a transaction (a web request), PostgreSQL streams the rows through COPY on a second
    connection and a whole-ledger export joins the aggregated links: the same golden bytes again (one test:
    the flush after a transactional test empties the country table that the seed needs)."""
    from django.db import connection

    for name, params in (("varied-ja.csv", {}), ("varied-ja-country-kz.csv", {"country": "KZ"})):
        assert not connection.in_atomic_block
        assert csv_bytes("ja", params) == golden(name).read_bytes()
