"""Duplicate search during an import: only commitments that no IATI activity stands for are candidates."""

import pytest

from pledgewatch.ledger import dedupe
from pledgewatch.ledger.models import Commitment, DuplicateCandidate
from tests.iati.conftest import activities_file, run_import

pytestmark = pytest.mark.django_db


def loan_activity(identifier: str, *, amount: str = "21368000000", when: str = "2025-12-18",
                  title: str = "Yen loan for livestock promotion") -> str:
    return f"""<iati-activity default-currency="JPY">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-DAC-701-8" type="10"><narrative>JICA</narrative></reporting-org>
  <title><narrative xml:lang="en">{title}</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="UZ" percentage="100"/>
  <default-finance-type code="421"/>
  <transaction><transaction-type code="2"/><transaction-date iso-date="{when}"/>
   <value value-date="{when}">{amount}</value></transaction>
 </iati-activity>"""


def test_a_commitment_standing_for_an_activity_is_no_longer_a_candidate(seeded, tmp_path, monkeypatch):
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    first = run_import(activities_file(tmp_path / "a.xml", loan_activity("XM-DAC-701-8-A1")))
    assert first["activities"]["linked"] == 1
    loan.refresh_from_db()
    assert loan.iati_identifier == "XM-DAC-701-8-A1"
    compared = []
    real = dedupe._similarity
    monkeypatch.setattr(dedupe, "_similarity", lambda a, b: compared.append(b) or real(a, b))
    # the same deal again under another identifier: the loan stands for A1 now, so it is not considered
    second = run_import(activities_file(tmp_path / "b.xml", loan_activity("XM-DAC-701-8-A2"),
                                        loan_activity("XM-DAC-701-8-A3", amount="30000000000", when="2026-09-01")))
    assert (second["activities"]["new"], second["activities"]["linked"], second["activities"]["review"]) == (2, 0, 0)
    assert compared == []  # no title was compared: no candidate was left
    assert not DuplicateCandidate.objects.exists()


def test_an_uncertain_match_goes_to_review_and_stays_free(seeded, tmp_path):
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    # amount and date agree, the title does not: two signals of three, for review
    summary = run_import(activities_file(tmp_path / "a.xml", loan_activity("XM-DAC-701-8-B1", title="Bridge works"),
                                         loan_activity("XM-DAC-701-8-B2", title="Road works")))
    assert (summary["activities"]["new"], summary["activities"]["review"]) == (2, 2)
    assert sorted(DuplicateCandidate.objects.values_list("commitment__iati_identifier", "other_id")) == [
        ("XM-DAC-701-8-B1", loan.pk), ("XM-DAC-701-8-B2", loan.pk)]
    loan.refresh_from_db()
    assert loan.iati_identifier is None
