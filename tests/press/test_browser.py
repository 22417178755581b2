"""The review queue in a real browser (Playwright + Debian's Chromium) against a live server, ja and en:
log in, paste a text, see the highlighted fields, edit then accept, reject with a reason.
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

TEXT = (Path(__file__).parent.parent / "fixtures" / "press" / "tuned" / "ja_t03_mofa_kg_two_grants.txt").read_text(
    encoding="utf-8")
WORDS = {
    "ja": {"read": "読み取ってコミットメントを提案", "accept": "採用", "reject": "却下", "created": "を作成しました。",
           "rejected": "提案を却下しました。", "title": "表題"},
    "en": {"read": "Read and propose commitments", "accept": "Accept", "reject": "Reject", "created": "created.",
           "rejected": "Proposal rejected.", "title": "title"},
}


@pytest.fixture
def page(browser, live_server):
    from django.contrib.auth.models import User

    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country

    load_countries(Country)  # a transactional test database starts empty
    from pledgewatch.accounts.roles import REVIEWER, assign

    assign(User.objects.create_user("reviewer", "r@example.org", "secret-pw-1", is_staff=True), REVIEWER)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/review/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/review/$"))
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_paste_highlight_accept_and_reject(page, live_server, lang):
    from pledgewatch.ledger.models import Commitment

    w = WORDS[lang]
    page.goto(f"{live_server.url}/review/?lang={lang}")
    page.fill("textarea[name=text]", TEXT)
    page.get_by_role("button", name=w["read"]).click()
    page.wait_for_url(re.compile(r"/review/\d+/$"))
    titles = page.locator(".text mark.f-title").all_inner_texts()
    assert titles == ["ナリン州橋梁架け替え計画", "電力システム保守能力強化計画"]
    amounts = page.locator(".text mark.f-amount").all_inner_texts()
    assert amounts == ["供与限度額18億4,600万円", "供与限度額7億2,000万円"]
    assert page.locator(".legend mark.f-title").inner_text() == w["title"]
    # first proposal: edit the title, then accept
    page.locator("table a").first.click()
    page.fill("input[name=title]", "ナリン州橋梁架け替え")
    page.get_by_role("button", name=w["accept"], exact=True).click()
    page.wait_for_url(re.compile(r"/review/\d+/$"))
    assert w["created"] in page.inner_text(".messages")
    commitment = Commitment.objects.get()
    assert (commitment.title_ja, str(commitment.amount.normalize())) == ("ナリン州橋梁架け替え", "1.846E+9")
    # second proposal: reject, first without a reason
    page.locator("table a").nth(1).click()
    page.get_by_role("button", name=w["reject"], exact=True).click()
    assert page.locator("textarea[name=reason]:invalid").count() == 1  # the browser refuses an empty reason
    page.fill("textarea[name=reason]", "test")
    page.get_by_role("button", name=w["reject"], exact=True).click()
    page.wait_for_url(re.compile(r"/review/\d+/$"))
    assert page.inner_text(".messages") == w["rejected"]
