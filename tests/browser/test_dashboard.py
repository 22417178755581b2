"""The dashboard in a real browser (Playwright driving Debian's Chromium) against a live server.

Screenshots go to test-artifacts/ (gitignored); PLEDGEWATCH_SCREENSHOTS=docs/screenshots refreshes the README's.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import skip_without_chromium

# Playwright's sync API keeps an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"

skip_without_chromium()


@pytest.fixture
def site(live_server):
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo

    load_countries(Country)  # transactional tests flush the rows the migrations loaded
    load_seed()
    clear_memo()
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    docs = os.environ.get("PLEDGEWATCH_SCREENSHOTS")
    if docs:
        Path(docs).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(docs) / f"{name}.png"), full_page=False)


def wait_for_charts(page) -> None:
    page.wait_for_selector("#chart-progress[data-rendered='true']", timeout=15000)
    page.wait_for_selector("#chart-map[data-rendered='true'] svg path[aria-label]", timeout=15000)


@pytest.mark.parametrize(("lang", "target", "counted", "pace", "april", "unit"), [
    ("ja", "約3兆円", "約213.68億円", "遅れ", "4月", "兆円"),
    ("en", "about ¥3 trillion", "about ¥21.37 billion", "behind", "April", "¥ trillion"),
    ("ru", "около 3 трлн иен", "около 21,37 млрд иен", "отставание", "апрель", "трлн иен"),
])
def test_overview_in_each_language(site, page, lang, target, counted, pace, april, unit):
    page.goto(f"{site}/?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert page.inner_text("#fig-target") == target
    assert page.inner_text("#fig-counted") == counted
    assert page.inner_text("#fig-pace") == pace
    wait_for_charts(page)
    labels = page.eval_on_selector_all("#chart-progress svg text", "els => els.map(e => e.textContent)")
    assert april in labels and unit in labels  # the axes speak the reader's language and units
    assert page.errors == []
    shoot(page, f"overview-{lang}")
    # the choice is remembered: the next page without ?lang= is in the same language
    page.goto(f"{site}/commitments/")
    assert page.get_attribute("html", "lang") == lang


def test_filter_commitments_by_country_and_instrument(site, page):
    page.goto(f"{site}/commitments/?lang=en")
    assert page.locator("table.data tbody tr").count() == 6
    page.select_option("#f-country", "KG")
    page.select_option("#f-instrument", "grant")
    page.click("button[type=submit]")
    page.wait_for_url("**/commitments/?*")
    assert "country=KG" in page.url and "instrument=grant" in page.url
    titles = page.locator("table.data tbody th a").all_inner_texts()
    assert sorted(titles) == ["Bridge replacement", "Power-system maintenance",
                              "Regional disaster-risk reduction for the five Central Asian countries through UNDP"]
    assert page.inner_text("#result-count") == "3 commitments match."
    assert "pillar=" not in page.url  # empty filters stay out of the address
    assert page.input_value("#f-country") == "KG"  # the filter state survives in the form
    shoot(page, "commitments-filtered")
    page.select_option("#f-instrument", "loan")
    page.click("button[type=submit]")
    page.wait_for_url("**instrument=loan**")
    assert page.inner_text("#result-count") == "0 commitments match."


def test_commitment_shows_its_highlighted_source_span(site, page):
    page.goto(f"{site}/commitments/?lang=en")
    page.click("text=Yen loan for livestock promotion")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Yen loan for livestock promotion"
    assert page.inner_text("#money-original") == "about ¥21,368,000,000"
    assert page.inner_text("#money-headline") == "about ¥21,368,000,000 (about ¥21.37 billion)"
    marks = page.locator("ol.sources mark").all_inner_texts()
    assert "ウズベキスタンへの畜産振興のための円借款(約213.68億円)" in marks
    assert "約213.68億円" in marks
    shoot(page, "commitment")
    page.click("ol.sources li:first-child >> text=Read the quote in its full text")
    page.wait_for_selector("#quoted")
    assert page.inner_text("#quoted") == "ウズベキスタンへの畜産振興のための円借款(約213.68億円)"


def test_map_leads_to_the_country_page(site, page):
    page.goto(f"{site}/?lang=en")
    wait_for_charts(page)
    shape = page.locator("#chart-map svg path[aria-label^='Uzbekistan']")
    assert shape.count() == 1
    shape.hover()
    page.wait_for_selector("#vg-tooltip-element.visible")
    assert "Uzbekistan" in page.inner_text("#vg-tooltip-element")
    shape.click()
    page.wait_for_url("**/countries/UZ/")
    assert page.inner_text("#country-name") == "Uzbekistan"
    assert page.inner_text("#country-counted") == "about ¥21.37 billion"


def test_pages_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/?lang=en")
    rows = page.locator("#table-country tbody tr").all_inner_texts()
    assert rows[-1].split("\t")[0] == "Uzbekistan"
    assert page.locator("#chart-progress svg").count() == 0
    context.close()


def test_phone_width(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site}/?lang=ja")
    wait_for_charts(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    shoot(page, "overview-phone")
    context.close()


@pytest.mark.parametrize("path", ["/", "/commitments/", "/commitments/1/", "/countries/UZ/", "/documents/",
                                  "/events/", "/organisations/", "/rules/"])
def test_axe_finds_no_serious_violations(site, page, path):
    from pledgewatch.ledger.models import Commitment

    if path == "/commitments/1/":
        path = f"/commitments/{Commitment.objects.get(ref='uz-livestock-yen-loan').pk}/"
    page.goto(f"{site}{path}?lang=en")
    if path == "/":
        wait_for_charts(page)
    # from the app's own static files: the page's CSP (script-src 'self') refuses inline scripts
    page.add_script_tag(url=f"{site}/static/pledgewatch/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []
