"""XSS in a real browser: with every text field a payload that sets window.__pwned, no page runs one.

Chromium (Playwright) opens the main pages of a ledger built by tests/security/hostile.py, lets the charts
render (vega draws the pillar and country names), hovers and clicks the source links, and checks that
window.__pwned is still undefined and that no `javascript:` link exists.
"""

import os

import pytest

from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()


@pytest.fixture
def hostile_site(live_server):
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country, Initiative
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo
    from tests.security.hostile import build_ledger

    load_countries(Country)  # transactional tests flush the rows the migrations loaded
    load_seed()
    records = build_ledger(Initiative.objects.get(slug="ca-jad-tokyo-initiative"))
    clear_memo()
    return live_server.url, records


def test_no_payload_runs_on_the_main_pages(browser, hostile_site):
    base, h = hostile_site
    c, d, e, o, p, s = (h[k] for k in ("commitment", "document", "event", "org", "pillar", "source"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = ["/?lang=en", f"/initiatives/{h['initiative'].slug}/pillars/{p.slug}/", "/commitments/?lang=ja",
            f"/commitments/{c.pk}/", "/documents/", f"/documents/{d.pk}/", "/events/", f"/events/{e.slug}/",
            "/organisations/", f"/organisations/{o.slug}/", "/countries/KZ/", f"/sources/{s.pk}/",
            "/commitments/?lang=ru"]
    try:
        for url in urls:
            page.goto(base + url, wait_until="load")
            page.wait_for_timeout(300)  # charts render after load
            assert page.evaluate("typeof window.__pwned") == "undefined", url
            hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            assert not [x for x in hrefs if not x.startswith(("http:", "https:", "mailto:"))], url
        page.goto(f"{base}/commitments/{c.pk}/", wait_until="load")
        for link in page.query_selector_all("ol.sources a"):
            link.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []
        # the payload is on the page as text
        assert "window.__pwned='script'" in page.inner_text("main")
    finally:
        context.close()
