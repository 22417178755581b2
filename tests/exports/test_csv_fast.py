"""The fast CSV writer gives exactly the bytes csv.writer gives for the defused rows of an export."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.exports.formats import CsvFormat, csv_cell, defuse
from pledgewatch.exports.rows import COLUMNS, Export
from pledgewatch.ledger.models import Commitment, CommitmentCountry

TRICKY = ["", "plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "=SUM(A1)", "+1", "-1", "@cmd", "\tTab",
          "\rCR", "'quoted", "''", "'", "日本語、カンマ", " lead", "trail ", "=", "a\r\nb", 'x,"y"']


def reference(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([defuse(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@pytest.mark.parametrize("value", TRICKY)
def test_one_cell_as_csv_writer_writes_it(value):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([defuse(value), "x"])
    assert csv_cell(value) + ",x\r\n" == buffer.getvalue()


def test_export_bytes_equal_csv_writer(ledger):
    for i, text in enumerate(TRICKY):
        c = Commitment.objects.create(
            ref=f"tricky-{i}", title_en=text or "empty", title_ja=text, description_en=TRICKY[-1 - i],
            classification_reason=text, instrument="grant", stage="signed", amount=Decimal(i * 1000 + 1),
            currency=("JPY", "USD", "EUR", "KZT")[i % 4], qualifier="exact", date=date(2026, 1, 1 + i))
        if i % 3:
            c.initiatives.add(ledger)  # the others are outside the initiative's explicit links
        CommitmentCountry.objects.create(commitment=c, country_id="KZ" if i % 2 else "UZ")
    export = Export(language="ja")
    fast = b"".join(CsvFormat().stream(export))
    assert fast == reference(export.rows())
    assert fast.count(b"\r\n") > len(TRICKY)  # header, seed, tricky rows (and line breaks inside cells)
