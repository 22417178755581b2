"""Spreadsheet imports: validation with exact messages (en, ja), all or nothing, skipping, dry runs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pledgewatch.exports.exceptions import ImportFailed
from pledgewatch.exports.formats import FORMATS
from pledgewatch.exports.importer import Importer
from pledgewatch.ledger.models import Commitment

HEADER = "ref,title_en,instrument,amount,currency,qualifier,date,recipients,stage\n"
GOOD = "new-1,Bridge,grant,1000000,JPY,exact,2026-01-15,KG,signed\n"


def write(tmp_path, body: str, name="in.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("row", "message"), [
    ("b,T,grant,100,XYZ,exact,2026-01-01,UZ,signed", "“XYZ” is not an ISO 4217 currency code."),
    ("b,T,grant,-5,JPY,exact,2026-01-01,UZ,signed", "The amount must not be negative."),
    ("b,T,grant,12x,JPY,exact,2026-01-01,UZ,signed", "The amount “12x” is not a decimal number."),
    ("b,T,grant,1.23456,JPY,exact,2026-01-01,UZ,signed",
     "The amount “1.23456” has more than 4 decimal places."),
    ("b,T,grant,100,JPY,roughly,2026-01-01,UZ,signed",
     "Unknown qualifier “roughly”; use one of: exact, approx, up_to, at_least, undisclosed."),
    ("b,T,grant,100,JPY,exact,2026-13-01,UZ,signed", "“2026-13-01” in date is not a date (YYYY-MM-DD)."),
    ("b,T,grant,100,JPY,exact,2026-01-01,XX,signed", "Unknown country code “XX”."),
    ("b,T,grant,100,JPY,exact,2026-01-01,UZ:150,signed",
     "The share “150” of UZ is not a percentage between 0 and 100."),
    ("b,T,bond,100,JPY,exact,2026-01-01,UZ,signed",
     "Unknown instrument “bond”; use one of: loan, grant, technical_cooperation, investment, guarantee, other."),
    ("b,T,grant,100,JPY,undisclosed,2026-01-01,UZ,signed", "An undisclosed amount must be left empty."),
    ("b,T,grant,100,,exact,2026-01-01,UZ,signed", "Give the ISO 4217 currency of the amount."),
    ("b,,grant,100,JPY,exact,2026-01-01,UZ,signed", "Give a title in Japanese or English (title_ja or title_en)."),
])
def test_bad_row_message_and_nothing_written(db, tmp_path, row, message):
    path = write(tmp_path, GOOD + row + "\n")
    with translation.override("en"), pytest.raises(ImportFailed) as info:
        Importer().run(path, FORMATS["csv"])
    assert str(info.value) == f"Nothing was imported: 1 bad rows.\nin.csv, line 3: {message}"
    assert Commitment.objects.count() == 0


def test_messages_in_japanese(db, tmp_path):
    path = write(tmp_path, "b,T,grant,-5,XYZ,exact,2026-01-01,UZ,signed\n")
    with translation.override("ja"), pytest.raises(ImportFailed) as info:
        Importer().run(path, FORMATS["csv"])
    assert str(info.value) == ("何もインポートしていません: 不正な行が1件あります。\n"
                               "in.csv、2行目: 金額は負の値にできません。 "
                               "「XYZ」はISO 4217の通貨コードではありません。")


def test_skip_bad_rows_imports_the_good_ones(db, tmp_path):
    path = write(tmp_path, GOOD + "b,T,grant,-5,JPY,exact,2026-01-01,UZ,signed\n")
    with translation.override("en"):
        report = Importer(skip_bad_rows=True).run(path, FORMATS["csv"])
        assert [b.describe() for b in report.skipped] == ["in.csv, line 3: The amount must not be negative."]
        assert report.summary() == "1 created, 0 updated, 0 unchanged, 1 bad rows skipped."
    c = Commitment.objects.get(ref="new-1")
    assert (c.amount, c.currency, c.qualifier, str(c.date), c.stage) == (1000000, "JPY", "exact", "2026-01-15",
                                                                         "signed")
    assert list(c.recipients.values_list("country_id", flat=True)) == ["KG"]
    assert list(c.stage_changes.values_list("stage", flat=True)) == ["signed"]


def test_dry_run_writes_nothing(db, tmp_path):
    path = write(tmp_path, GOOD)
    with translation.override("en"):
        report = Importer(dry_run=True).run(path, FORMATS["csv"])
        assert report.summary() == ("1 created, 0 updated, 0 unchanged, 0 bad rows skipped. "
                                    "Dry run: nothing was written.")
    assert Commitment.objects.count() == 0


def test_initiative_option_links_rows(seeded, tmp_path):
    path = write(tmp_path, GOOD)
    Importer(initiative=seeded).run(path, FORMATS["csv"])
    assert list(Commitment.objects.get(ref="new-1").initiatives.values_list("slug", flat=True)) == [
        "ca-jad-tokyo-initiative"]


def test_xlsx_rows_are_reported_by_row(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["x", "T", "grant", 100, "JPY", "exact", "2026-01-01", "UZ", "signed"])
    sheet.append(["y", "T", "grant", 100, "JPN", "exact", "2026-01-01", "UZ", "signed"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    with translation.override("en"), pytest.raises(ImportFailed) as info:
        Importer().run(path, FORMATS["xlsx"])
    assert str(info.value).splitlines()[1] == "in.xlsx, row 3: “JPN” is not an ISO 4217 currency code."


def test_command_reports_and_exits_non_zero(db, tmp_path):
    path = write(tmp_path, GOOD + "b,T,grant,-5,JPY,exact,2026-01-01,UZ,signed\n")
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("import_csv", str(path))
    assert str(info.value) == "Nothing was imported: 1 bad rows.\nin.csv, line 3: The amount must not be negative."
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_csv", str(path), "--skip-bad-rows", stdout=out, stderr=err)
    assert err.getvalue() == "in.csv, line 3: The amount must not be negative.\n"
    assert out.getvalue() == "1 created, 0 updated, 0 unchanged, 1 bad rows skipped.\n"
    with translation.override("en"), pytest.raises(CommandError, match=r"^No such file: /nonexistent\.csv$"):
        call_command("import_csv", "/nonexistent.csv")
    with translation.override("en"), pytest.raises(CommandError, match=r"^Unknown initiative: nope$"):
        call_command("import_csv", str(path), "--initiative", "nope")


def test_not_a_commitment_sheet(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,email\na,b\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("import_csv", str(path))
    assert str(info.value) == ("other.csv has none of the columns of a commitment "
                               "(id, ref, iati_identifier, title_ja, title_en, …).")
