"""Initiative scope, pillar classification and de-duplication against commitments from the press."""

from decimal import Decimal

import pytest

from pledgewatch.iati.models import PillarRule
from pledgewatch.iati.pillars import Classifier
from pledgewatch.ledger.models import Commitment, DuplicateCandidate
from tests.iati.conftest import activities_file, activity_xml, run_import

pytestmark = pytest.mark.django_db
SLUG = "ca-jad-tokyo-initiative"


def test_default_pillar_table_for_the_tokyo_initiative(seeded):
    classifier = Classifier(seeded)
    assert PillarRule.objects.filter(initiative=seeded).count() == 21
    assert classifier.classify("21020", "Road").reason == (
        "IATI import: DAC sector 21020 (Road transport) → connectivity (mapping rule 120: 21)")
    assert classifier.classify("11420", "JDS scholarship").reason == (
        "IATI import: keyword “scholarship” → human-resources (mapping rule 10)")
    assert classifier.classify("99810", "Unallocated") is None


def test_activities_inside_the_scope_are_linked_and_classified(seeded, tmp_path):
    path = activities_file(
        tmp_path / "scope.xml",
        activity_xml("XM-DAC-701-8-IN", country="KG", when="2026-03-01"),
        activity_xml("XM-DAC-701-8-EARLY", country="KG", when="2024-03-01"),
        activity_xml("XM-DAC-701-8-FR", country="FR", when="2026-03-01"))
    summary = run_import(path, initiative=SLUG)
    assert summary["activities"]["new"] == 3
    inside = Commitment.objects.get(iati_identifier="XM-DAC-701-8-IN")
    assert list(inside.initiatives.values_list("slug", flat=True)) == [SLUG]
    assert inside.pillar.slug == "connectivity"
    assert inside.classification_reason == (
        "IATI import: DAC sector 21020 (Road transport) → connectivity (mapping rule 120: 21)")
    for outside in ("XM-DAC-701-8-EARLY", "XM-DAC-701-8-FR"):
        c = Commitment.objects.get(iati_identifier=outside)
        assert (c.initiatives.count(), c.pillar_id, c.classification_reason) == (0, None, "")


def test_bundled_history_is_not_counted_toward_the_initiative(seeded):
    from pledgewatch.iati.demo import load_bundled_history

    result = load_bundled_history()
    assert result["line"] == ("JICA Central Asia history: 81 files (0 unchanged), 78 new and 3 updated "
                              "activities, 0 errors")
    history = Commitment.objects.filter(iati_identifier__startswith="XM-DAC-701-8-")
    assert history.count() == 78
    assert not history.filter(initiatives=seeded).exists()
    again = load_bundled_history()
    assert again["files_unchanged"] == 81
    assert history.count() == 78


def test_same_deal_from_the_press_is_linked_not_added(seeded, tmp_path):
    loan = Commitment.objects.get(title_en="Yen loan for livestock promotion")
    sources = loan.sources.count()
    body = ""
    xml = activity_xml("XM-DAC-701-8-LIVESTOCK", country="UZ", amount="21368000000", when="2025-12-20",
                       body=body).replace("Activity XM-DAC-701-8-LIVESTOCK", "Livestock Promotion Project")
    summary = run_import(activities_file(tmp_path / "uz.xml", xml))
    assert summary["activities"]["linked"] == 1
    assert summary["activities"]["new"] == 0
    loan.refresh_from_db()
    assert loan.iati_identifier == "XM-DAC-701-8-LIVESTOCK"
    assert loan.title_en == "Yen loan for livestock promotion"
    assert loan.sources.count() == sources + 1
    assert [(t.kind, t.amount) for t in loan.transactions.all()] == [("commitment", Decimal("21368000000"))]
    assert loan.iati_activity.linked is True
    # a newer version refreshes the transactions and the source, not the staff-entered fields
    newer = xml.replace(">21368000000<", ">21400000000<")
    summary = run_import(activities_file(tmp_path / "uz2.xml", newer))
    assert summary["activities"]["updated"] == 1
    loan.refresh_from_db()
    assert (loan.amount, loan.title_en) == (Decimal("21368000000"), "Yen loan for livestock promotion")
    assert [(t.kind, t.amount) for t in loan.transactions.all()] == [("commitment", Decimal("21400000000"))]
    assert loan.sources.count() == sources + 1


def test_uncertain_match_goes_to_review(seeded, tmp_path):
    loan = Commitment.objects.get(title_en="Yen loan for livestock promotion")
    xml = activity_xml("XM-DAC-701-8-OTHER", country="UZ", amount="21368000000", when="2025-12-22").replace(
        "Activity XM-DAC-701-8-OTHER", "Railway electrification")
    summary = run_import(activities_file(tmp_path / "uz.xml", xml))
    assert (summary["activities"]["new"], summary["activities"]["review"]) == (1, 1)
    new = Commitment.objects.get(iati_identifier="XM-DAC-701-8-OTHER")
    candidate = DuplicateCandidate.objects.get(commitment=new)
    assert candidate.other == loan
    assert candidate.origin == "IATI import"
    assert candidate.status == "open"


def test_two_activities_matching_one_commitment_link_only_once(seeded, tmp_path):
    first = activity_xml("XM-DAC-701-8-LIVESTOCK", country="UZ", amount="21368000000", when="2025-12-20").replace(
        "Activity XM-DAC-701-8-LIVESTOCK", "Livestock Promotion Project")
    second = activity_xml("XM-DAC-701-8-LIVESTOCK-2", country="UZ", amount="21368000000", when="2025-12-20").replace(
        "Activity XM-DAC-701-8-LIVESTOCK-2", "Livestock Promotion Project")
    summary = run_import(activities_file(tmp_path / "uz.xml", first, second))
    assert summary["errors"] == []
    assert (summary["activities"]["linked"], summary["activities"]["new"]) == (1, 1)
    loan = Commitment.objects.get(title_en="Yen loan for livestock promotion")
    assert loan.iati_identifier == "XM-DAC-701-8-LIVESTOCK"
    # a later import does not move the link to another activity either
    third = second.replace("XM-DAC-701-8-LIVESTOCK-2", "XM-DAC-701-8-LIVESTOCK-3")
    summary = run_import(activities_file(tmp_path / "uz3.xml", third))
    assert summary["activities"]["linked"] == 0
    loan.refresh_from_db()
    assert loan.iati_identifier == "XM-DAC-701-8-LIVESTOCK"
