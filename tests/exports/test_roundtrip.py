"""Round trips (flatten-tool style): export → import into an emptied ledger → export gives the same rows."""

import io

import pytest

from pledgewatch.exports.formats import FORMATS, IMPORT_FORMATS
from pledgewatch.exports.importer import Importer
from pledgewatch.exports.rows import COLUMNS, Export
from pledgewatch.ledger.models import Commitment, CommitmentCountry, StageChange

VOLATILE = {"export_date"}


def snapshot() -> list[dict]:
    return sorted(({k: v for k, v in zip(COLUMNS, r, strict=True) if k not in VOLATILE}
                   for r in Export(language="en").rows()), key=lambda r: int(r["id"]))


def export_file(fmt: str, tmp_path):
    out = io.BytesIO()
    FORMATS[fmt].write(Export(language="ja"), out)
    path = tmp_path / f"commitments.{fmt}"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
def test_roundtrip_into_an_empty_ledger(ledger, tmp_path, fmt):
    before = snapshot()
    path = export_file(fmt, tmp_path)
    Commitment.objects.all().delete()
    assert Commitment.objects.count() == 0
    report = Importer().run(path, FORMATS[fmt])
    assert (report.created, report.updated, report.unchanged, report.skipped) == (7, 0, 0, [])
    assert snapshot() == before
    assert CommitmentCountry.objects.filter(commitment__ref="kz-usd-investment").count() == 2
    new = Commitment.objects.create(title_en="After import", instrument="grant", qualifier="undisclosed")
    assert new.pk > max(int(r["id"]) for r in before)  # the id sequence moved past imported ids


@pytest.mark.parametrize("fmt", IMPORT_FORMATS)
def test_reimport_changes_nothing_and_writes_no_history(ledger, tmp_path, fmt):
    path = export_file(fmt, tmp_path)
    history = Commitment.history.count()
    stages = StageChange.objects.count()
    report = Importer().run(path, FORMATS[fmt])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert Commitment.history.count() == history
    assert StageChange.objects.count() == stages


def test_edited_spreadsheet_updates_only_the_changed_row(ledger, tmp_path):
    path = export_file("csv", tmp_path)
    text = path.read_text(encoding="utf-8-sig").replace(",approx,", ",exact,", 1)
    path.write_text(text, encoding="utf-8-sig")
    report = Importer().run(path, FORMATS["csv"])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    assert Commitment.objects.get(ref="uz-livestock-yen-loan").qualifier == "exact"


def test_formula_cells_are_defused_and_restored(ledger, tmp_path):
    path = export_file("csv", tmp_path)
    text = path.read_text(encoding="utf-8-sig")
    assert ',"\'=HYPERLINK(""http://evil"")",' in text
    assert ",=HYPERLINK" not in text
    Commitment.objects.all().delete()
    Importer().run(path, FORMATS["csv"])
    assert Commitment.objects.get(ref="kz-usd-investment").title_en == '=HYPERLINK("http://evil")'


def test_xlsx_has_a_rules_sheet_and_text_formulas(ledger, tmp_path):
    from openpyxl import load_workbook

    path = export_file("xlsx", tmp_path)
    book = load_workbook(path)
    assert book.sheetnames == ["commitments", "rules"]
    rules = {row[0].value: row[1].value for row in book["rules"].iter_rows()}
    assert rules["集計ルール"].startswith("集計する段階: 署名, 確約, 実行中, 完了; 発表: パイプライン(集計外)")
    assert rules["集計するイニシアティブ"] == "ca-jad-tokyo-initiative"
    sheet = book["commitments"]
    header = [c.value for c in sheet[1]]
    assert header == COLUMNS
    titles = [row[header.index("title_en")].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://evil\")" in titles
    assert all(row[header.index("title_en")].data_type == "s" for row in sheet.iter_rows(min_row=2))
    amounts = {row[header.index("ref")].value: row[header.index("amount")].value for row in sheet.iter_rows(min_row=2)}
    assert amounts["uz-livestock-yen-loan"] == 21368000000


def test_json_header_and_money_objects(ledger, tmp_path):
    import json

    data = json.loads(export_file("json", tmp_path).read_text(encoding="utf-8"))
    assert data["counting_initiative"] == "ca-jad-tokyo-initiative"
    assert data["counting_rules"]["counted_stages"] == ["signed", "committed", "disbursing", "completed"]
    loan = next(c for c in data["commitments"] if c["ref"] == "uz-livestock-yen-loan")
    assert loan["amount"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert loan["headline"] == {"amount": "21368000000", "currency": "JPY", "rate": "1", "rate_date": "2025-12-20",
                                "rate_source": "same currency"}
    assert loan["recipients"] == [{"country": "UZ", "share": None}]
    assert loan["recipients_label"] == ["ウズベキスタン"]
