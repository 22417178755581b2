"""Newsletter pages in a real browser (Playwright + Debian's Chromium) against a live server, in ja and en:
sign-up, confirmation, member page (topics, status, download, delete), not-receiving, unsubscribe.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.core import mail

from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

TEXT = {
    "ja": {"inbox": "受信箱をご確認ください", "confirm": "登録を確定する", "confirmed": "登録が完了しました",
           "member": "会員ページ", "active": "配信中", "save": "保存", "saved": "設定を保存しました。",
           "download": "データをダウンロード（JSON）", "delete": "登録を削除する", "delete_btn": "削除する",
           "deleted": "登録とそのデータを削除しました。", "link": "リンクを送る", "restart": "配信を再開する",
           "restarted": "配信を再開しました", "unsub": "配信停止",
           "unsubscribed": "今後ニュースレターはお送りしません。",
           "signup": "登録する", "not_receiving": "ニュースレターが届かない場合"},
    "en": {"inbox": "Check your inbox", "confirm": "Confirm subscription", "confirmed": "Subscription confirmed",
           "member": "Your member page", "active": "receiving the newsletter", "save": "Save",
           "saved": "Your choices have been saved.", "download": "Download your data (JSON)",
           "delete": "Delete your account", "delete_btn": "Delete my account",
           "deleted": "Your account and its data have been deleted.", "link": "Send me a link",
           "restart": "Restart delivery", "restarted": "Delivery restarted", "unsub": "Unsubscribe",
           "unsubscribed": "You will not receive the newsletter any more.", "signup": "Sign up",
           "not_receiving": "Not receiving the newsletter?"},
}


@pytest.fixture
def site(live_server, settings):
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country

    load_countries(Country)
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def mailed_link(path: str) -> str:
    return re.search(rf"(https?://\S+{path}\S+/)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_signup_confirm_member_page_download_delete(site, page, lang, tmp_path):
    from pledgewatch.newsletter.models import Member

    t = TEXT[lang]
    page.goto(f"{site}/newsletter/?lang={lang}")
    page.fill("input[name=email]", f"reader-{lang}@example.org")
    page.select_option("select[name=language]", lang)
    page.check("input[name=countries][value=UZ]")
    page.click(f"button:has-text('{t['signup']}')")
    page.wait_for_selector(f"h1:has-text('{t['inbox']}')")
    assert len(mail.outbox) == 1
    page.goto(mailed_link("/newsletter/confirm/") + f"?lang={lang}")
    page.click(f"button:has-text('{t['confirm']}')")
    page.wait_for_selector(f"h1:has-text('{t['confirmed']}')")
    page.click(f"a:has-text('{t['member']}')")
    assert page.inner_text("#member-status") == t["active"]
    assert page.is_checked("input[name=countries][value=UZ]")
    page.check("input[name=countries][value=KG]")
    page.click(f"button:has-text('{t['save']}')")
    page.wait_for_selector(f"text={t['saved']}")
    assert Member.objects.get(email=f"reader-{lang}@example.org").topics == {"countries": ["KG", "UZ"]}
    with page.expect_download() as info:
        page.click(f"a:has-text('{t['download']}')")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert (data["email"], data["status"], data["language"]) == (f"reader-{lang}@example.org", "active", lang)
    page.click(f"a:has-text('{t['delete']}')")
    page.click(f"button:has-text('{t['delete_btn']}')")
    page.wait_for_selector(f"text={t['deleted']}")
    assert not Member.objects.filter(email=f"reader-{lang}@example.org").exists()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_not_receiving_reactivates_a_suppressed_member(site, page, lang):
    from django.utils import timezone

    from pledgewatch.newsletter.models import Member

    t = TEXT[lang]
    member = Member.objects.create(email="lost@example.org", language=lang, confirmed_at=timezone.now(),
                                   suppression="hard_bounce", suppressed_at=timezone.now())
    page.goto(f"{site}/newsletter/?lang={lang}")
    page.click(f"nav.subnav a:has-text('{t['not_receiving']}')")  # the newsletter's own links, under the site's header
    page.fill("input[name=email]", member.email)
    page.click(f"button:has-text('{t['link']}')")
    known = page.inner_text("main")
    page.goto(f"{site}/newsletter/not-receiving/?lang={lang}")
    page.fill("input[name=email]", "unknown@example.org")
    page.click(f"button:has-text('{t['link']}')")
    assert page.inner_text("main") == known  # the same answer for an unknown address
    assert len(mail.outbox) == 1
    page.goto(mailed_link("/newsletter/reconfirm/") + f"?lang={lang}")
    page.click(f"button:has-text('{t['restart']}')")
    page.wait_for_selector(f"h1:has-text('{t['restarted']}')")
    member.refresh_from_db()
    assert member.suppression == "" and member.eligible


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unsubscribe_needs_the_button(site, page, lang):
    from django.utils import timezone

    from pledgewatch.newsletter import tokens
    from pledgewatch.newsletter.models import Member

    t = TEXT[lang]
    member = Member.objects.create(email="bye@example.org", language=lang, confirmed_at=timezone.now())
    page.goto(tokens.link("unsubscribe", member) + f"?lang={lang}")
    member.refresh_from_db()
    assert member.unsubscribed_at is None  # opening the link (as a scanner would) changes nothing
    page.click(f"main button:has-text('{t['unsub']}')")
    page.wait_for_selector(f"text={t['unsubscribed']}")
    member.refresh_from_db()
    assert member.unsubscribed_at is not None
