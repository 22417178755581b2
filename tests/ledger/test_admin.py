"""Staff enter data in the admin, in Japanese or English, and get clear validation errors."""

import re

import pytest
from django.contrib.auth.models import User

from pledgewatch.ledger.models import Commitment, Initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-42")
    client.login(username="editor", password="a-long-password-42")
    return client


def management_data(html: str) -> dict:
    """Return the inline formsets' management fields with the values the page gives."""
    data = {}
    for name, value in re.findall(r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html):
        data[name] = value
    for name in [n for n in data if n.endswith("TOTAL_FORMS")]:
        data[name] = "0"
    return data


def errors_of(response) -> list[str]:
    html = response.content.decode()
    return [re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html,
                                                                      re.S)]


COMMITMENT = {"title_ja": "テスト", "title_en": "Test", "instrument": "loan", "sector": "public", "stage": "signed",
              "qualifier": "exact", "amount": "100", "currency": "JPY"}


def post_commitment(client, language="en", **changes):
    page = client.get("/admin/ledger/commitment/add/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    data = management_data(page) | COMMITMENT | changes
    return client.post("/admin/ledger/commitment/add/", data, HTTP_ACCEPT_LANGUAGE=language)


def test_valid_commitment_is_saved_with_history(staff):
    response = post_commitment(staff)
    assert response.status_code == 302
    c = Commitment.objects.get(title_en="Test")
    assert c.history.first().history_user.username == "editor"


@pytest.mark.parametrize(("language", "changes", "message"), [
    ("en", {"currency": "XYZ"}, "“XYZ” is not an ISO 4217 currency code."),
    ("ja", {"currency": "XYZ"}, "「XYZ」はISO 4217の通貨コードではありません。"),
    ("en", {"amount": "-5"}, "The amount must not be negative."),
    ("ja", {"amount": "-5"}, "金額は負の値にできません。"),
    ("en", {"amount": "", "qualifier": "exact"}, "Give an amount, or choose the qualifier “undisclosed”."),
    ("en", {"amount": "5", "qualifier": "undisclosed"}, "An undisclosed amount must be left empty."),
])
def test_commitment_validation(staff, language, changes, message):
    response = post_commitment(staff, language, **changes)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Commitment.objects.exists()


def test_shares_must_sum_to_100(staff):
    prefix = "recipients"
    response = post_commitment(staff, **{
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-0-country": "KG", f"{prefix}-0-share": "30",
        f"{prefix}-1-country": "UZ", f"{prefix}-1-share": "30"})
    assert "The shares of the recipient countries must sum to 100 (now 60)." in errors_of(response)
    assert not Commitment.objects.exists()
    response = post_commitment(staff, **{
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-0-country": "KG", f"{prefix}-0-share": "40",
        f"{prefix}-1-country": "UZ", f"{prefix}-1-share": "60",
        f"{prefix}-0-basis": "stated", f"{prefix}-1-basis": "stated"})  # the form's default choice
    assert response.status_code == 302
    assert sorted(Commitment.objects.get().recipients.values_list("country_id", "share")) == [
        ("KG", 40), ("UZ", 60)]


INITIATIVE = {"slug": "x", "name_ja": "エックス", "name_en": "X", "target_amount": "1000", "target_currency": "JPY",
              "target_qualifier": "exact", "horizon_start": "2026-01-01", "horizon_end": "2025-01-01",
              "headline_currency": "JPY", "counted_stages": '["signed"]', "conversion_policy": "date",
              "fixed_rates": "{}", "pace_tolerance": "0.1"}


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The horizon must end after it starts."),
    ("ja", "期間の終了は開始より後でなければなりません。"),
])
def test_horizon_end_before_start(staff, language, message):
    page = staff.get("/admin/ledger/initiative/add/").content.decode()
    response = staff.post("/admin/ledger/initiative/add/", management_data(page) | INITIATIVE,
                          HTTP_ACCEPT_LANGUAGE=language)
    assert message in errors_of(response)
    assert not Initiative.objects.exists()


def test_anonymous_cannot_write(client):
    response = client.post("/admin/ledger/commitment/add/", COMMITMENT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Commitment.objects.exists()


def test_distinct_decision_is_recorded_in_the_history(staff):
    from pledgewatch.ledger.models import DuplicateCandidate

    a = Commitment.objects.create(title_en="A", instrument="loan", amount=1, currency="JPY")
    b = Commitment.objects.create(title_en="B", instrument="loan", amount=1, currency="JPY")
    candidate = DuplicateCandidate.objects.create(commitment=a, other=b, score="0.5", reasons=["same instrument"])
    response = staff.post("/admin/ledger/duplicatecandidate/", {"action": "mark_distinct",
                                                                "_selected_action": [candidate.pk]})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by.username) == ("distinct", "editor")
    latest = candidate.history.first()
    assert (latest.status, latest.history_user.username) == ("distinct", "editor")
