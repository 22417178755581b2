"""The review queue: submit, see highlighted fields, accept, edit-then-accept, reject, link; pages and JSON."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from pledgewatch.ledger.models import Commitment, Source, Stage
from pledgewatch.press import review
from pledgewatch.press.exceptions import PressError, ReviewError
from pledgewatch.press.models import Decision, Proposal


def exact(message: str) -> str:
    """Return a pattern matching exactly this error message."""
    return "^" + re.escape(message) + "$"

TUNED = Path(__file__).parent.parent / "fixtures" / "press" / "tuned"


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def staff(db):
    from pledgewatch.accounts.roles import REVIEWER, assign

    user = User.objects.create_user("reviewer", "r@example.org", "pw", is_staff=True)
    assign(user, REVIEWER)  # accepting publishes into the ledger: the reviewer role (docs/security.md)
    return user


@pytest.fixture
def mofa(staff):
    return review.submit((TUNED / "ja_t01_mofa_uz_loan.txt").read_bytes(), filename="mofa.txt", user=staff)


def sources_of(commitment):
    ct = ContentType.objects.get_for_model(Commitment)
    return list(Source.objects.filter(content_type=ct, object_id=commitment.pk).order_by("start", "field"))


def test_submit_stores_text_and_proposals(mofa):
    (p,) = mofa.proposals.all()
    assert mofa.language == "ja" and mofa.filename == "mofa.txt"
    assert p.data == {"recipients": ["UZ"], "instrument": "loan",
                      "amount": {"amount": "21368000000", "currency": "JPY", "qualifier": "up_to"}, "equivalents": [],
                      "title": "畜産振興・家畜衛生強化計画", "date": "2025-12-17", "channel": None,
                      "pillar": "green-resilience"}
    text = mofa.text.text
    assert sorted({text[s:e] for s, e, f in p.spans if f == "amount"}) == ["供与限度額213.68億円"]
    assert p.pillar_reason == "keyword “畜産” in the title, pillar green-resilience"
    assert mofa.result["documents"][0]["kind"] == "exchange_of_notes"


def test_same_text_is_stored_once(mofa, staff):
    again = review.submit((TUNED / "ja_t01_mofa_uz_loan.txt").read_bytes(), user=staff)
    assert again.text_id == mofa.text_id


def test_accept_creates_commitment_with_sources(mofa, staff):
    p = mofa.proposals.get()
    c = review.accept(p, staff)
    assert (c.title_ja, c.instrument, c.amount, c.currency, c.qualifier, str(c.date), c.stage) == (
        "畜産振興・家畜衛生強化計画", "loan", Decimal("21368000000"), "JPY", "up_to", "2025-12-17", Stage.SIGNED)
    assert [r.country_id for r in c.recipients.all()] == ["UZ"]
    quotes = {(s.field, s.quote) for s in sources_of(c)}
    assert ("amount", "供与限度額213.68億円") in quotes and ("title", "畜産振興・家畜衛生強化計画") in quotes
    assert all(s.text_id == mofa.text_id and mofa.text.text[s.start:s.end] == s.quote for s in sources_of(c))
    p.refresh_from_db()
    assert p.status == "accepted" and p.commitment == c
    (d,) = p.decisions.all()
    assert (d.action, d.reviewer, d.changes, d.commitment) == ("accept", staff, {}, c)
    with pytest.raises(ReviewError, match=r"^Proposal #\d+ has already been decided \(accepted\)\.$"):
        review.reject(p, staff, reason="late")


def test_edit_then_accept_records_changes(mofa, staff):
    p = mofa.proposals.get()
    c = review.accept(p, staff, edits={"title": "畜産振興計画", "amount": "21368000000", "qualifier": "exact"})
    assert (c.title_ja, c.qualifier) == ("畜産振興計画", "exact")
    (d,) = p.decisions.all()
    assert d.action == "edit_accept"
    assert d.changes == {"title": {"from": "畜産振興・家畜衛生強化計画", "to": "畜産振興計画"},
                         "qualifier": {"from": "up_to", "to": "exact"}}


def test_accept_refuses_unknown_country(mofa, staff):
    with pytest.raises(ReviewError, match=exact("Unknown country codes: XX.")):
        review.accept(mofa.proposals.get(), staff, edits={"recipients": ["UZ", "XX"]})
    assert Commitment.objects.count() == 0


def test_reject_needs_reason(mofa, staff):
    p = mofa.proposals.get()
    with pytest.raises(ReviewError, match=exact("Give a reason for rejecting the proposal.")):
        review.reject(p, staff, reason="  ")
    d = review.reject(p, staff, reason="cumulative figure, not a new loan")
    assert (d.action, d.reason) == ("reject", "cumulative figure, not a new loan")
    assert Proposal.objects.get(pk=p.pk).status == "rejected"


def test_duplicate_is_found_and_linked(mofa, staff):
    first = review.accept(mofa.proposals.get(), staff)
    jica = review.submit((TUNED / "ja_t02_jica_uz_loan_agreement.txt").read_bytes(), user=staff)
    p = jica.proposals.get()
    (match,) = review.duplicates(p)
    assert match.commitment_id == first.pk and match.certain
    assert "amount within 1 %" in match.reasons and "dates within 90 days" in match.reasons
    linked = review.link(p, staff, commitment_id=first.pk)
    assert linked == first and Commitment.objects.count() == 1
    assert {s.text_id for s in sources_of(first)} == {mofa.text_id, jica.text_id}
    assert Decision.objects.get(proposal=p).action == "link"


def test_link_to_missing_commitment(mofa, staff):
    with pytest.raises(ReviewError, match=exact("There is no commitment #999.")):
        review.link(mofa.proposals.get(), staff, commitment_id=999)


def test_untitled_proposal_gets_a_title(staff):
    sub = review.submit((TUNED / "ja_t17_news_kz_investment_at_least.txt").read_bytes(), user=staff)
    c = review.accept(sub.proposals.get(), staff)
    assert c.title_ja == "investment (KZ)" and c.qualifier == "at_least" and c.stage == Stage.ANNOUNCED


def test_unreadable_upload(staff):
    with pytest.raises(PressError, match=exact("binary data, not text")):
        review.submit(b"\x00\x00PK", user=staff)


# ---------------------------------------------------------------- pages

@pytest.fixture
def client_staff(client, staff):
    client.force_login(staff)
    return client


def test_pages_need_staff(client, db):
    response = client.get("/review/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_paste_text_then_review_pages(client_staff):
    text = (TUNED / "ja_t03_mofa_kg_two_grants.txt").read_text(encoding="utf-8")
    response = client_staff.post("/review/", {"text": text})
    assert response.status_code == 302
    page = client_staff.get(response["Location"])
    html = page.content.decode()
    assert '<mark class="f-title" data-field="title">ナリン州橋梁架け替え計画</mark>' in html
    assert '<mark class="f-amount" data-field="amount">供与限度額18億4,600万円</mark>' in html
    data = client_staff.get(response["Location"] + "?format=json").json()
    assert [p["fields"]["amount"]["amount"] for p in data["proposals"]] == ["1846000000", "720000000"]
    assert data["documents"][0]["kind"] == "exchange_of_notes"


def test_upload_file_and_accept_with_edit(client_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kz.html", (TUNED / "ja_t10_embassy_kz_grassroots.html").read_bytes())
    response = client_staff.post("/review/", {"file": upload})
    assert response.status_code == 302
    p = Proposal.objects.get()
    page = client_staff.get(f"/review/proposal/{p.pk}/")
    assert "シムケント市第5病院医療機材整備計画" in page.content.decode()
    form = {"action": "accept", "title": "シムケント病院機材", "recipients": "kz", "instrument": "grant",
            "amount": "98765", "currency": "usd", "qualifier": "exact", "date": "2025-11-27", "channel": "",
            "pillar": "human-resources"}
    response = client_staff.post(f"/review/proposal/{p.pk}/", form)
    assert response.status_code == 302
    c = Commitment.objects.get()
    assert (c.title_ja, c.currency, c.amount) == ("シムケント病院機材", "USD", Decimal("98765"))
    data = client_staff.get(f"/review/proposal/{p.pk}/?format=json").json()
    assert data["status"] == "accepted" and data["decisions"][0]["action"] == "edit_accept"


def test_reject_without_reason_shows_error(client_staff, mofa):
    p = mofa.proposals.get()
    response = client_staff.post(f"/review/proposal/{p.pk}/", {"action": "reject", "reason": ""},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client_staff.post(f"/review/proposal/{p.pk}/",
                                 {"action": "reject", "reason": "duplicate of a news item"})
    assert response.status_code == 302 and Proposal.objects.get(pk=p.pk).status == "rejected"


def test_proposal_page_offers_duplicates(client_staff, mofa, staff):
    first = review.accept(mofa.proposals.get(), staff)
    jica = review.submit((TUNED / "ja_t02_jica_uz_loan_agreement.txt").read_bytes(), user=staff)
    p = jica.proposals.get()
    html = client_staff.get(f"/review/proposal/{p.pk}/").content.decode()
    assert f"#{first.pk} の追加の出典として紐付け" in html  # pages default to Japanese
    response = client_staff.post(f"/review/proposal/{p.pk}/", {"action": "link", "commitment": first.pk})
    assert response.status_code == 302 and Proposal.objects.get(pk=p.pk).status == "linked"


def test_empty_submission_form(client_staff):
    response = client_staff.post("/review/", {"text": "   "})
    assert "本文を貼り付けるか、ファイルをアップロードしてください。" in response.content.decode()
    response = client_staff.post("/review/", {"text": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Paste a text or upload a file." in response.content.decode()


def test_queue_json(client_staff, mofa):
    data = client_staff.get("/review/?format=json").json()
    assert data["submissions"][0]["pending"] == 1 and data["submissions"][0]["title"] == "mofa.txt"


def test_japanese_page(client_staff, mofa):
    html = client_staff.get("/review/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "レビュー待ち一覧" in html


def test_review_pages_show_equivalents(client_staff):
    from pledgewatch.press.models import Submission

    text = "Japan extended an ODA loan of 15 billion yen (US$ 136.5 million) to the Philippines for flood control."
    response = client_staff.post("/review/", {"text": text})
    assert response.status_code == 302
    html = client_staff.get(response["Location"]).content.decode()
    assert '<small class="equivalent">= 136,500,000米ドル</small>' in html  # the full figure: reviewers check digits
    assert '<mark class="f-equivalent" data-field="equivalent">US$ 136.5 million</mark>' in html
    (proposal,) = Submission.objects.get().proposals.all()
    page = client_staff.get(f"/review/proposal/{proposal.pk}/").content.decode()
    assert "換算額（コミットメントではありません）:" in page  # the pages default to Japanese
    assert '<span class="equivalent">136500000 USD (exact)</span>' in page


def test_text_in_another_language_is_refused_and_nothing_stored(client_staff):
    from pledgewatch.press.models import Submission

    text = "Le gouvernement du Japon accordera un don de 5 millions de dollars au Népal pour les écoles de la région."
    response = client_staff.post("/review/", {"text": text}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert "本文を読み込めません: 本文は読めない言語で書かれています（読める言語: en, ja, ru）。提案はありません" \
        in response.content.decode()
    assert Submission.objects.count() == 0


def test_russian_text_is_reviewed(staff):
    submission = review.submit("Япония выделит Молдове грант в размере 5 млн долларов США на ремонт школ.", user=staff)
    (proposal,) = submission.proposals.all()
    assert (submission.language, proposal.data["recipients"], proposal.data["amount"]["amount"]) == (
        "ru", ["MD"], "5000000")
