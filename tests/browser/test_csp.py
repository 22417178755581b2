"""The Content-Security-Policy in a real browser: the charts render with Vega's CSP-safe interpreter, and no
page (overview, a commitment, the admin, the review queue, the newsletter) triggers a policy violation.
"""

import os
import re

import pytest

from pledgewatch.accounts.middleware import CONTENT_SECURITY_POLICY
from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

# Recorded before any page script runs: every violation the browser reports.
LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});"""


@pytest.fixture
def site(live_server):
    from pledgewatch.accounts.roles import REVIEWER, assign
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo

    load_countries(Country)  # transactional tests flush the rows the migrations loaded
    load_seed()
    clear_memo()
    from django.contrib.auth.models import User

    assign(User.objects.create_user("rev", "rev@example.org", "a-long-pass-phrase-42"), REVIEWER)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + [m for m in page.console_errors if "Content Security Policy" in m]


def test_pages_render_under_the_policy_without_violation(site, page):
    response = page.goto(f"{site}/?lang=en")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    page.wait_for_selector("#chart-progress[data-rendered='true'] svg", timeout=15000)
    page.wait_for_selector("#chart-map[data-rendered='true'] svg path[aria-label]", timeout=15000)
    assert page.evaluate("typeof vega.expressionInterpreter") == "object"
    assert page.locator("[data-chart][data-error]").count() == 0
    assert violations(page) == []
    # the policy is in force and the listener hears it: an injected inline script is blocked and reported
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                            document.body.appendChild(s); }""")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__csp")[0].startswith("script-src-elem inline")
    page.console_errors.clear()

    # a commitment page, the admin (login, list, change and add forms), the review queue, the newsletter
    from pledgewatch.ledger.models import Commitment

    pk = Commitment.objects.order_by("pk").first().pk
    page.goto(f"{site}/commitments/{pk}/?lang=ja")
    page.wait_for_load_state("networkidle")
    page.goto(f"{site}/admin/login/?next=/review/")
    page.fill("#id_username", "rev")
    page.fill("#id_password", "a-long-pass-phrase-42")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/review/$"))
    assert violations(page) == []
    for path in ("/admin/", f"/admin/ledger/commitment/{pk}/change/", "/admin/ledger/commitment/add/",
                 "/newsletter/"):
        page.goto(f"{site}{path}")
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
