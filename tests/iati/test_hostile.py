"""Hostile and broken files: each is refused or read with warnings, with exact messages and places."""

import shutil
import tracemalloc

import pytest

from pledgewatch.iati.exceptions import MalformedXml, UnsafeXml
from pledgewatch.iati.models import FileStatus, ImportedFile
from pledgewatch.iati.parser import iter_batches, peek
from pledgewatch.ledger.models import Commitment, Transaction
from tests.iati.conftest import HOSTILE, activities_file, activity_xml, run_import

pytestmark = pytest.mark.django_db


def read_all(f, name: str, head) -> int:
    """Read every activity of the file as the importer does (`iter_batches`, `Raw.read`); return how many."""
    count = 0
    for batch in iter_batches(f, name, head, 100):
        for raw in batch:
            raw.read(head)
            count += 1
    return count

REFUSED = {
    "xxe.xml": "The file declares a DTD or entities; such files are refused (XXE and entity expansion protection).",
    "billion-laughs.xml": "The file declares a DTD or entities; such files are refused (XXE and entity expansion "
                          "protection).",
    "organisation-file.xml": "line 2: The root element is <iati-organisations>, not <iati-activities>.",
    "version-1.05.xml": "line 2: IATI version 1.05 is not supported; convert the file to 2.03 (versions 2.01 to "
                        "2.03 are read).",
    "wrong-version.xml": "line 2: Unknown IATI version “3.01”; versions 2.01 to 2.03 are read.",
    "truncated.xml": "line 17, element iati-activity[2] (after XX-TEST-1): The file is not well-formed XML "
                     "(Couldn't find end of Start Tag acti, line 17, column 8).",
    "wrong-encoding.xml": "line 5, element iati-activity[1]: The file's bytes do not match its declared encoding "
                          "(Invalid bytes in character encoding, line 5, column 24).",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files_leave_the_ledger_untouched(name):
    path = HOSTILE / name
    summary = run_import(path)
    assert summary["errors"] == [{"file": str(path), "error": f"{path}, {REFUSED[name]}" if
                                  REFUSED[name].startswith("line") else f"{path}: {REFUSED[name]}"}]
    assert summary["files_failed"] == 1
    assert Commitment.objects.count() == 0
    record = ImportedFile.objects.get()
    assert record.status == FileStatus.FAILED


def test_xxe_is_refused_before_any_entity_is_read():
    with open(HOSTILE / "xxe.xml", "rb") as f, pytest.raises(UnsafeXml):
        peek(f, "xxe.xml")


def test_huge_text_node_is_refused(tmp_path):
    big = "x" * (11 * 1024 * 1024)
    path = activities_file(tmp_path / "huge.xml", activity_xml("XX-HUGE-1", body=f"<description><narrative>{big}"
                                                                           "</narrative></description>"))
    with open(path, "rb") as f:
        head = peek(f, "huge.xml")
        with pytest.raises(MalformedXml) as info:
            read_all(f, "huge.xml", head)
    assert info.value.message.startswith("A text node is larger than the parser allows")
    assert info.value.element == "iati-activity[1]"


def test_broken_second_activity_rolls_back_the_first(tmp_path):
    shutil.copy(HOSTILE / "truncated.xml", tmp_path / "t.xml")
    summary = run_import(tmp_path / "t.xml")
    assert summary["activities"]["new"] == 0
    assert not Commitment.objects.filter(iati_identifier="XX-TEST-1").exists()


def test_missing_identifiers_are_skipped_with_a_warning():
    summary = run_import(HOSTILE / "missing-identifier.xml")
    assert summary["activities"] == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 2, "linked": 0,
                                     "review": 0}
    assert summary["warnings"]["missing_identifier"] == 2
    assert summary["warning_samples"]["missing_identifier"] == [
        f"{HOSTILE / 'missing-identifier.xml'}:13: iati-activity #2 has no iati-identifier; skipped",
        f"{HOSTILE / 'missing-identifier.xml'}:23: iati-activity #3 has no iati-identifier; skipped"]


def test_duplicate_identifiers_in_one_file_keep_the_first():
    summary = run_import(HOSTILE / "duplicate-identifiers.xml")
    assert summary["activities"]["new"] == 2
    assert summary["warnings"] == {"duplicate_identifier": 1}
    c = Commitment.objects.get(iati_identifier="XX-TEST-1")
    assert str(c.amount) == "1000.0000"


def test_wrong_currency_codes_and_bad_values_are_dropped_with_warnings():
    summary = run_import(HOSTILE / "bad-currency.xml")
    assert summary["warnings"] == {"bad_value": 1, "unknown_currency": 2, "withdrawn_code": 1}
    c = Commitment.objects.get(iati_identifier="XX-CUR-1")
    assert [(t.kind, str(t.amount), t.currency) for t in c.transactions.all()] == [("commitment", "250.5000", "USD")]
    assert (str(c.amount), c.currency, c.qualifier, c.instrument) == ("250.5000", "USD", "exact", "loan")


def test_negative_values_are_kept_as_reversals():
    summary = run_import(HOSTILE / "negative-values.xml")
    assert summary["warnings"] == {"negative_total": 1, "negative_value": 2}
    c = Commitment.objects.get(iati_identifier="XX-NEG-1")
    assert sorted(str(t.amount) for t in c.transactions.all()) == ["-150.0000", "1000.0000", "400.0000"]
    assert (str(c.amount), c.currency, c.stage) == ("1000.0000", "EUR", "disbursing")
    assert sorted((r.country_id, str(r.share)) for r in c.recipients.all()) == [("KG", "40.0000"), ("TJ", "60.0000")]
    d = Commitment.objects.get(iati_identifier="XX-NEG-2")
    assert (d.amount, d.currency, d.qualifier, d.stage) == (None, "EUR", "undisclosed", "cancelled")
    assert Transaction.objects.filter(commitment=d).count() == 2


def test_dates_from_narratives_languages_and_location_inference():
    summary = run_import(HOSTILE / "narrative-dates.xml")
    assert summary["warnings"] == {"country_inferred": 1, "date_from_narrative": 1, "date_missing": 1}
    c = Commitment.objects.get(iati_identifier="XX-DATE-1")
    assert (c.title_ja, c.title_en, c.title_ru) == ("日付テスト", "Date test", "")
    assert c.iati_activity.data["titles"]["fr"] == "Essai de dates"
    assert str(c.date) == "2024-04-01"
    assert (c.stage, str(c.stage_date)) == ("announced", "2024-04-01")
    assert [r.country_id for r in c.recipients.all()] == ["KG"]


def test_memory_does_not_grow_with_file_size(tmp_path):
    def peak(n):
        path = activities_file(tmp_path / f"m{n}.xml", *(activity_xml(f"XX-M-{i}") for i in range(n)))
        tracemalloc.start()
        with open(path, "rb") as f:
            head = peek(f, path.name)
            assert read_all(f, path.name, head) == n
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    small, large = peak(200), peak(4000)
    assert large < small * 2


def test_private_flow_makes_a_private_commitment(tmp_path):
    path = activities_file(tmp_path / "p.xml", activity_xml("XX-PRIV-1", body='<default-flow-type code="30"/>'),
                           activity_xml("XX-ODA-1", body='<default-flow-type code="10"/>'))
    run_import(path)
    assert dict(Commitment.objects.values_list("iati_identifier", "sector")) == {"XX-PRIV-1": "private",
                                                                                 "XX-ODA-1": "public"}
