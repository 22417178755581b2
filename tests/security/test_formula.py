"""Formula injection: exports never hand a spreadsheet a formula, and importing the export restores every text.

Payloads from tests/fixtures/hostile/formulas.json go into commitment titles and descriptions, and
formula-emails.json into member addresses; CSV and XLSX cells get one protective apostrophe, JSON keeps the
text as it is, and importing the exported file gives back the exact original.
"""

import csv
import io
import json
from decimal import Decimal

import pytest

from pledgewatch.exports.formats import FORMATS, defuse, undefuse
from pledgewatch.exports.importer import Importer
from tests.security.hostile import FORMULAS, load

pytestmark = pytest.mark.django_db

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def formula_ledger(seeded):
    from pledgewatch.ledger.models import Commitment, CommitmentCountry
    from pledgewatch.totals.version import clear_memo

    made = {}
    for n, (key, text) in enumerate(sorted(FORMULAS.items())):
        c = Commitment.objects.create(ref=f"formula-{key}", title_en=text, title_ja=text, title_ru=text,
                                      description_en=text, instrument="grant", stage="signed",
                                      amount=Decimal(1000 + n), currency="JPY", qualifier="exact",
                                      classification_reason=text)
        c.initiatives.add(seeded)
        CommitmentCountry.objects.create(commitment=c, country_id="KZ")
        made[f"formula-{key}"] = text
    clear_memo()
    return made


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def expected_cell(text: str) -> str:
    return "'" + text if text[0] in (*DANGEROUS, "'") else text


def test_defuse_and_undefuse_are_exact_inverses():
    for text in [*FORMULAS.values(), "", "'", "''", "'x", "plain", "=", "-"]:
        assert undefuse(defuse(text)) == text
        assert not defuse(text).startswith(DANGEROUS)
    assert defuse("=1+1") == "'=1+1" and defuse("＝1+1") == "＝1+1"


def test_csv_download_cells_start_with_an_apostrophe(client, formula_ledger):
    response = client.get("/exports/commitments.csv", {"lang": "en"})
    assert response.status_code == 200
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"), newline=""))}
    for ref, text in formula_ledger.items():
        for column in ("title_ja", "title_en", "title_ru", "description_en", "classification_reason"):
            assert rows[ref][column] == expected_cell(text), (ref, column)
    for row in rows.values():
        for column, value in row.items():
            assert not (value or "").startswith(DANGEROUS), (row["ref"], column, value)


def test_xlsx_download_has_no_formula_cells(client, formula_ledger, tmp_path):
    from openpyxl import load_workbook

    response = client.get("/exports/commitments.xlsx", {"lang": "en"})
    path = tmp_path / "export.xlsx"
    path.write_bytes(body(response))
    workbook = load_workbook(path)  # not read-only: cell types are kept
    formulas = [(ws.title, c.coordinate, c.value) for ws in workbook.worksheets for row in ws.iter_rows()
                for c in row if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(DANGEROUS))]
    assert formulas == []
    sheet = workbook["commitments"] if "commitments" in workbook.sheetnames else workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    titles = {row[header.index("ref")]: row[header.index("title_en")] for row in sheet.iter_rows(min_row=2,
                                                                                               values_only=True)}
    for ref, text in formula_ledger.items():
        assert titles[ref] == expected_cell(text), ref


def test_json_export_keeps_the_text_as_it_is(client, formula_ledger):
    lines = body(client.get("/exports/commitments.json", {"lang": "en"})).decode().splitlines()
    objects = [json.loads(line.rstrip(",")) for line in lines if line.lstrip().startswith('{"id"')]
    titles = {o["ref"]: o["title_en"] for o in objects if "ref" in o}
    for ref, text in formula_ledger.items():
        assert titles[ref] == text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_importing_the_export_restores_every_payload(client, formula_ledger, tmp_path, fmt):
    from pledgewatch.ledger.models import Commitment

    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body(client.get(f"/exports/commitments.{fmt}", {"lang": "ja"})))
    Commitment.objects.filter(ref__in=formula_ledger).delete()
    report = Importer().run(path, FORMATS[fmt])
    assert report.skipped == [] and report.created == len(formula_ledger)
    got = {c.ref: (c.title_ja, c.title_en, c.title_ru, c.description_en, c.classification_reason)
           for c in Commitment.objects.filter(ref__in=formula_ledger)}
    # the importer strips surrounding whitespace from texts (all formats), so a leading tab or CR is not kept;
    # what remains ("=1+1") is defused again by the next export
    assert got == {ref: (text.strip(),) * 5 for ref, text in formula_ledger.items()}
    assert got["formula-apostrophe"][0] == "'=1+1" and got["formula-hyperlink"][0] == FORMULAS["hyperlink"]


def test_members_export_defuses_addresses_and_import_restores_them(tmp_path):
    from pledgewatch.newsletter import member_csv
    from pledgewatch.newsletter.models import Member

    addresses = load("formula-emails.json")
    for address in addresses.values():
        Member.objects.create(email=address, language="en")
    Member.objects.create(email="plain@example.org", language="ja")
    out = io.StringIO()
    assert member_csv.export_members(out) == 4
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [r[0] for r in rows[1:]] == ["'=1+1@example.org", "'+cmd@example.org", "'-2+3@example.org",
                                        "plain@example.org"]
    Member.objects.all().delete()
    assert member_csv.import_members(out.getvalue()) == {"created": 4, "updated": 0}
    assert sorted(Member.objects.values_list("email", flat=True)) == sorted([*addresses.values(),
                                                                             "plain@example.org"])
