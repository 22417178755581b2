"""Importing the real JICA files: mapping, idempotency, updates with history, filters, zip archives."""

import zipfile
from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.iati.models import IatiActivity, ImportedFile
from pledgewatch.ledger.models import Commitment, Document, Organisation, StageChange, Transaction
from tests.iati.conftest import JICA, activities_file, activity_xml, run_import

pytestmark = pytest.mark.django_db


def test_jica_files_map_to_the_ledger():
    summary = run_import(JICA)
    assert summary["files"] == 81
    assert summary["files_imported"] == 81
    assert summary["activities"] == {"new": 78, "updated": 3, "unchanged": 0, "skipped": 0, "linked": 0,
                                     "review": 0}
    assert summary["warnings"] == {"country_inferred": 62, "date_missing": 215, "no_country": 9, "withdrawn_code": 74}
    assert Commitment.objects.count() == 78
    c = Commitment.objects.get(iati_identifier="XM-DAC-701-8-2014010301")
    assert c.title_en.startswith("The Project for Rehabilitation of Drinking Water Supply Systems in Pyanj")
    assert (c.instrument, c.dac_sector, c.amount, c.currency, c.qualifier) == (
        "grant", "14020", Decimal("42000000"), "JPY", "exact")
    assert (c.date, c.stage, c.stage_date) == (date(2014, 1, 1), "completed", date(2013, 12, 31))
    assert [(r.country_id, r.share) for r in c.recipients.all()] == [("TJ", Decimal("100"))]
    assert [(t.kind, t.date, t.amount) for t in c.transactions.all()] == [
        ("commitment", date(2014, 1, 1), Decimal("42000000")),
        ("disbursement", date(2014, 12, 31), Decimal("41500000"))]
    assert c.provider.iati_ref == "XM-DAC-701-8"
    assert [(o.name_en, o.country_id) for o in c.recipient_organisations.all()] == [("Recipient Government", "TJ")]
    assert [d.url for d in c.documents.all()] == ["http://www.jica.go.jp/oda/allsearch/index.html"]
    assert [(s.stage, s.date) for s in c.stage_changes.all()] == [("completed", date(2013, 12, 31))]
    source = c.sources.get()
    assert source.quote == "XM-DAC-701-8-2014010301"
    assert source.url.startswith("file:///") and source.url.endswith("xm-dac-701-8-2014010301.xml")
    assert source.note == ("IATI activity XM-DAC-701-8-2014010301, xm-dac-701-8-2014010301.xml line 3: "
                           "/iati-activities/iati-activity[1]")
    assert c.iati_activity.data["sectors"][0]["code"] == "14020"
    assert Document.objects.count() == 1
    assert Organisation.objects.filter(iati_ref="XM-DAC-701-8").count() == 1


def test_country_inferred_from_jica_identifier_and_loan_pipeline():
    run_import(JICA / "jica-619_2015" / "xm-dac-701-8-2015003077.xml")
    c = Commitment.objects.get(iati_identifier="XM-DAC-701-8-2015003077")
    assert [(r.country_id, r.share) for r in c.recipients.all()] == [("KG", None)]
    assert (c.instrument, c.stage, c.stage_date, c.amount) == ("loan", "announced", date(2015, 10, 26),
                                                              Decimal("1164000000"))


def test_reimport_changes_nothing():
    run_import(JICA)
    history = Commitment.history.count()
    summary = run_import(JICA)
    assert summary["files_unchanged"] == 81
    assert Commitment.history.count() == history
    # even when the files are new to the file table, unchanged activities are skipped by fingerprint
    ImportedFile.objects.all().delete()
    summary = run_import(JICA)
    # the three activities whose 2014 version the 2015 files replaced: the old versions are not applied again
    assert summary["activities"] == {"new": 0, "updated": 0, "unchanged": 78, "skipped": 3, "linked": 0,
                                     "review": 0}
    assert summary["warnings"]["older_version"] == 3
    assert Commitment.history.count() == history


def test_newer_version_updates_and_records_the_change(tmp_path):
    old = activities_file(tmp_path / "old.xml", activity_xml("XX-UP-1", status="2", amount="1000"))
    run_import(old)
    c = Commitment.objects.get(iati_identifier="XX-UP-1")
    assert (c.stage, c.amount) == ("committed", Decimal("1000"))
    body = '<transaction><transaction-type code="3"/><transaction-date iso-date="2026-03-01"/>' \
           '<value value-date="2026-03-01">400</value></transaction>'
    new = activities_file(tmp_path / "new.xml", activity_xml("XX-UP-1", status="2", amount="1200", body=body))
    summary = run_import(new)
    assert summary["activities"]["updated"] == 1
    c.refresh_from_db()
    assert (c.stage, c.amount, c.stage_date) == ("disbursing", Decimal("1200"), date(2026, 3, 1))
    assert [h.amount for h in c.history.order_by("history_date")] == [Decimal("1000"), Decimal("1200")]
    assert c.history.latest().history_change_reason == "IATI import: newer version of XX-UP-1"
    assert [s.stage for s in StageChange.objects.filter(commitment=c)] == ["committed", "disbursing"]
    assert sorted(t.amount for t in Transaction.objects.filter(commitment=c)) == [Decimal("400"), Decimal("1200")]
    assert c.sources.count() == 1


def test_older_version_never_overwrites_a_newer_one(tmp_path):
    newer = activities_file(tmp_path / "a.xml", activity_xml(
        "XX-OLD-1", amount="500", attrs='last-updated-datetime="2026-05-01T00:00:00Z"'))
    older = activities_file(tmp_path / "b.xml", activity_xml(
        "XX-OLD-1", amount="300", attrs='last-updated-datetime="2026-01-01T00:00:00Z"'))
    run_import(newer)
    summary = run_import(older)
    assert summary["warnings"] == {"older_version": 1}
    assert Commitment.objects.get(iati_identifier="XX-OLD-1").amount == Decimal("500")


def test_filters_recipient_reporting_org_and_since(tmp_path):
    path = activities_file(
        tmp_path / "f.xml", activity_xml("XX-F-KZ", country="KZ", when="2020-01-01"),
        activity_xml("XX-F-UZ", country="UZ", when="2026-02-01"),
        activity_xml("XX-F-FR", country="FR", when="2026-02-01",
                     attrs='last-updated-datetime="2019-01-01T00:00:00Z"'))
    summary = run_import(path, recipients=frozenset({"UZ", "KZ"}), since=date(2025, 1, 1))
    assert summary["activities"]["new"] == 1
    assert list(Commitment.objects.values_list("iati_identifier", flat=True)) == ["XX-F-UZ"]
    summary = run_import(path, reporting_org="XX-OTHER")
    # an activity already imported and unchanged is "unchanged" whatever the filters
    assert (summary["activities"]["skipped"], summary["activities"]["unchanged"]) == (2, 1)


def test_zip_archives_and_folders(tmp_path):
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted((JICA / "jica-619_2014").glob("*.xml")):
            z.write(path, f"jica/{path.name}")
        z.writestr("readme.txt", "not xml")
    summary = run_import(archive)
    assert (summary["files"], summary["files_imported"]) == (10, 10)
    assert IatiActivity.objects.count() == 10
    assert ImportedFile.objects.filter(path__endswith="!jica/xm-dac-701-8-2014003089.xml").count() == 1


def test_missing_path_is_an_error(tmp_path):
    summary = run_import(tmp_path / "nope")
    missing = tmp_path / "nope"
    assert summary["errors"] == [{"file": str(missing), "error": f"{missing}: No such file or folder."}]


def test_official_annotated_example():
    from tests.iati.conftest import EXAMPLE

    summary = run_import(EXAMPLE)
    assert summary["errors"] == []
    c = Commitment.objects.get(iati_identifier="AA-AAA-123456789-ABC123")
    assert c.title_en == "Activity title"
    assert c.iati_activity.data["titles"]["fr"] == "Titre de l'activité"
    assert c.dac_sector == ""  # the example has DAC 3-digit (vocabulary 2) sectors only
    assert [s["code"] for s in c.iati_activity.data["sectors"]] == ["111", "112", "A1"]
    assert sorted((r.country_id, r.share) for r in c.recipients.all()) == [("AF", Decimal(25)), ("AG", Decimal(25))]
    assert c.iati_activity.data["related"] == [{"ref": "AA-AAA-123456789-6789", "type": "1"}]
