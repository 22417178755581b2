"""The review path: texts in the forms of the record's sources, written for this test in our own words, go
through extraction and the review queue, and each links to the row already in the ledger instead of adding one.
"""

import pytest
from django.contrib.auth.models import User

from pledgewatch.ledger.models import Claim, Commitment, Source
from pledgewatch.press import review
from pledgewatch.press.models import Proposal
from pledgewatch.totals.progress import progress

pytestmark = pytest.mark.django_db

# An exchange-of-notes notice (MOFA's form), in Japanese.
EXCHANGE_OF_NOTES_JA = (
    "タジキスタン共和国に対する無償資金協力に関する書簡の交換\n"
    "令和7年12月10日、ドゥシャンベにおいて、我が方駐タジキスタン大使と先方外務大臣との間で、"
    "供与限度額13.41億円の無償資金協力「カスピ海ルート上のスピタメン税関における貨物検査機材整備計画」"
    "に関する書簡の交換が行われました。\n")
# A JICA grant-agreement release, in Japanese.
JICA_AGREEMENT_JA = (
    "キルギス共和国との無償資金協力贈与契約の締結\n"
    "国際協力機構（JICA）は、2025年12月12日、キルギス共和国財務省との間で「南部地域における中核病院医療機材整備計画」"
    "を対象として18億100万円を限度とする無償資金協力の贈与契約（G/A）に署名しました。\n")
# A partner government's claim, in English.
PARTNER_CLAIM_EN = (
    "Tashkent, 20 December 2025. According to the press service of the President of Uzbekistan, Uzbekistan and "
    "Japan have put together a portfolio of loans for joint projects totalling over 12 billion US dollars.\n")
# The same claim, in Russian.
PARTNER_CLAIM_RU = (
    "Ташкент, 20 декабря 2025 года. По сообщению пресс-службы Президента Узбекистана, Узбекистан и Япония "
    "сформировали портфель кредитов на совместные проекты общей стоимостью свыше 12 млрд долларов США.\n")


@pytest.fixture
def reviewer(recorded):
    return User.objects.create_user("reviewer-i15", password="x")


def _one_proposal(text: str) -> Proposal:
    submission = review.submit(text)
    proposals = list(submission.proposals.all())
    assert len(proposals) == 1, [p.data for p in proposals]
    return proposals[0]


@pytest.mark.parametrize(("text", "record_key"), [
    (EXCHANGE_OF_NOTES_JA, "CAJAD-015"), (JICA_AGREEMENT_JA, "CAJAD-022")], ids=["exchange-of-notes", "jica-ga"])
def test_a_deal_restated_links_to_its_commitment(recorded, reviewer, text, record_key):
    before = (Commitment.objects.count(), progress(recorded)["counted"])
    proposal = _one_proposal(text)
    deal = Commitment.objects.get(record_key=record_key)
    assert review.existing_record(proposal) == {"commitment": deal.pk}
    review.link(proposal, reviewer, commitment_id=deal.pk)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.commitment_id) == ("linked", deal.pk)
    assert Source.objects.filter(object_id=deal.pk, text=proposal.submission.text).exists()
    assert (Commitment.objects.count(), progress(recorded)["counted"]) == before


def _claim_links(recorded, reviewer, text: str) -> None:
    before = (Commitment.objects.count(), progress(recorded)["counted"])
    proposal = _one_proposal(text)
    claim = Claim.objects.get(key="CAJAD-004")
    assert review.duplicates(proposal) == []  # not a deal: nothing to merge with among the commitments
    assert review.existing_record(proposal) == {"claim": claim.pk}
    review.link_claim(proposal, reviewer, claim_id=claim.pk)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.commitment_id) == ("linked", None)
    assert proposal.decisions.get().reason.startswith("Restates the claim CAJAD-004")
    assert Source.objects.filter(object_id=claim.pk, text=proposal.submission.text).exists()
    assert (Commitment.objects.count(), progress(recorded)["counted"]) == before


def test_a_partner_governments_claim_in_english_links_to_the_claim(recorded, reviewer, english):
    _claim_links(recorded, reviewer, PARTNER_CLAIM_EN)


def test_a_partner_governments_claim_in_russian_links_to_the_claim(recorded, reviewer, english):
    _claim_links(recorded, reviewer, PARTNER_CLAIM_RU)
