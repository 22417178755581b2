"""Walk every page in ja, en and ru in a real Chromium: no console error, no CSP violation, no English left on
ja/ru pages from a known list, no cut legend or wrapped date column. Screenshots go to test-artifacts/walk/.

Also: /api/v1/docs renders its operations from the vendored Swagger UI under the site's CSP (no CDN).
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "walk"
LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});"""
# English that once leaked onto Japanese and Russian pages (issue 17), and raw codes of the review queue
LEAKS = ["Agreed at the first CA+JAD summit", "Hosted by Prime Minister", "Morning of 2025-12-20",
         "Projection at the current pace", "Page not found", "Not Found", "Server error", "Review queue",
         "Newsletter", "Overview", "Counted so far", "(exact)", "(approx)"]
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
RAW_MONEY = re.compile(r"\d JPY\b|\d{7,} ?JPY")  # 0 JPY, 1382000000 JPY: money the pages format
# Layout: a Vega label cut with "…", a date cell on more than one line, the page wider than the window
LAYOUT = """() => {
  const problems = [];
  document.querySelectorAll("svg text").forEach(t => {
    if (t.textContent.trim().endsWith("…")) problems.push("cut chart label: " + t.textContent);
  });
  document.querySelectorAll("td.date, th.date").forEach(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) problems.push("date column wraps: " + td.textContent.trim());
  });
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("page wider than the window");
  return problems;
}"""


@pytest.fixture
def site(live_server):
    from django.contrib.auth.models import User

    from pledgewatch.accounts.roles import REVIEWER, assign
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.press.review import submit
    from pledgewatch.totals.version import clear_memo

    load_countries(Country)
    load_seed()
    clear_memo()
    assign(User.objects.create_user("rev", "rev@example.org", "a-long-pass-phrase-42"), REVIEWER)
    reviewer = User.objects.get(username="rev")
    submit("ウズベキスタンに対し、13億8,200万円を限度とする無償資金協力を行う。署名は2025年12月19日。",
           filename="walk.txt", user=reviewer)
    return live_server.url


def pages() -> list[str]:
    from pledgewatch.ledger.models import Commitment, Document, Event, Organisation, Source
    from pledgewatch.press.models import Proposal, Submission

    c = Commitment.objects.order_by("pk").first()
    return ["/", "/commitments/", f"/commitments/{c.pk}/", "/documents/",
            f"/documents/{Document.objects.order_by('pk').first().pk}/", "/events/",
            f"/events/{Event.objects.order_by('pk').first().slug}/", "/organisations/",
            f"/organisations/{Organisation.objects.order_by('pk').first().slug}/", "/countries/", "/countries/UZ/",
            "/rules/", f"/sources/{Source.objects.order_by('pk').first().pk}/", "/newsletter/",
            "/newsletter/not-receiving/", "/no-such-page/", "/review/",
            f"/review/{Submission.objects.order_by('pk').first().pk}/",
            f"/review/proposal/{Proposal.objects.order_by('pk').first().pk}/"]


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overview"


def problems_on(page, path: str, lang: str) -> list[str]:
    found = [f"console: {m}" for m in page.console_errors if "404 (Not Found)" not in m or path != "/no-such-page/"]
    found += [f"csp: {v}" for v in page.evaluate("window.__csp")]
    found += page.evaluate(LAYOUT)
    text = page.inner_text("body")
    if lang in ("ja", "ru"):
        found += [f"untranslated: {w}" for w in LEAKS if w in text]
    found += [f"raw money: {m.group(0)}" for m in RAW_MONEY.finditer(text)]
    if lang in ("en", "ru"):  # the site's own words (navigation, headings of tables) never fall back to Japanese
        own = "header.site nav:not(.langs), footer.site, .subnav, thead, h2"
        chrome = " ".join(page.locator(own).all_inner_texts())
        found += [f"Japanese in the page's own words: {m.group(0)}" for m in CJK.finditer(chrome)]
    return found


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    yield tab
    context.close()


def test_every_page_in_every_language_is_clean(site, page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = {}
    for lang in ("ja", "en", "ru"):  # the staff login, before logging in: the site's layout, the reader's language
        page.console_errors.clear()
        page.goto(f"{site}/admin/login/?next=/review/&lang={lang}")
        page.screenshot(path=ARTIFACTS / f"{lang}-admin-login.png", full_page=True)
        found = problems_on(page, "/admin/login/", lang)
        if found:
            report[f"{lang} /admin/login/"] = found
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator("header.site nav").count() == 2
    page.goto(f"{site}/admin/login/?next=/review/")
    page.fill("#id_username", "rev")
    page.fill("#id_password", "a-long-pass-phrase-42")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/review/$"))
    for lang in ("ja", "en", "ru"):
        for path in pages():
            page.console_errors.clear()
            page.goto(f"{site}{path}?lang={lang}")
            page.wait_for_load_state("networkidle")
            if page.locator("[data-chart]").count():
                page.wait_for_selector("[data-chart][data-rendered='true'] svg", timeout=20000)
            page.screenshot(path=ARTIFACTS / f"{lang}-{slug(path)}.png", full_page=True)
            found = problems_on(page, path, lang)
            if found:
                report[f"{lang} {path}"] = found
            assert page.evaluate("document.documentElement.lang") == lang, path
    (ARTIFACTS / "report.txt").write_text("\n".join(f"{k}: {v}" for k, v in report.items()), encoding="utf-8")
    assert report == {}


def test_error_pages_follow_the_language_in_the_sites_layout(site, page):
    for lang, heading in (("ja", "ページが見つかりません"), ("en", "Page not found"), ("ru", "Страница не найдена")):
        response = page.goto(f"{site}/no-such-page/?lang={lang}")
        assert response.status == 404
        assert page.inner_text("h1") == heading
        assert page.locator("header.site nav").count() == 2  # the dashboard's navigation and languages
    icon = page.goto(f"{site}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_api_docs_render_operations_offline_under_the_csp(site, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(f"{site}/api/v1/docs?lang=en")
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=30000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/initiatives/{slug}/progress" in [p.replace("\u200b", "") for p in paths]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "api-docs.png")
    assert page.evaluate("window.__csp") == []
    assert page.console_errors == []
    assert all(u.startswith(site) for u in requests), [u for u in requests if not u.startswith(site)]
