"""The overview tells the first year truthfully, in ja, en and ru, in a real browser (Debian's Chromium)."""

import os

import pytest

from tests.conftest import skip_without_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

EXPECTED = {
    "ja": {"documents": "少なくとも158件の文書", "milestone": "日程は未定", "claims": "計上額と並べて示す主張",
           "not_stored": "本文はここに保存していません", "counted": "約314.32億円",
           "usd": "1 USD = 155.9884067854 JPY", "recent": "直近365日間: 13件の約束が署名されました"},
    "en": {"documents": "at least 158 documents", "milestone": "date not yet set",
           "claims": "Claims beside the counted money", "not_stored": "text not stored here",
           "counted": "about ¥31.43 billion", "usd": "1 USD = 155.9884067854 JPY",
           "recent": "Last 365 days: 13 commitments signed"},
    "ru": {"documents": "не менее 158 документов", "milestone": "дата ещё не назначена",
           "claims": "Заявления рядом с учтёнными суммами", "not_stored": "текст здесь не хранится",
           "counted": "около 31,43 млрд иен", "usd": "1 USD = 155.9884067854 JPY",
           "recent": "За последние 365 дней подписано обязательств: 13"},
}


@pytest.fixture
def site(live_server):
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country
    from pledgewatch.ledger.record_load import load_bundled_record
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo

    load_countries(Country)  # transactional tests flush the rows the migrations loaded
    load_seed()
    load_bundled_record()
    from datetime import date

    from pledgewatch.ledger.models import Commitment, CommitmentCountry

    earlier = Commitment.objects.create(title_en="Earlier JICA activity (2013)", instrument="technical_cooperation",
                                        stage="completed", date=date(2013, 4, 1), qualifier="undisclosed")
    CommitmentCountry.objects.create(commitment=earlier, country_id="KG")
    clear_memo()
    return live_server.url


@pytest.mark.parametrize("lang", ["ja", "en", "ru"])
def test_overview_tells_the_year(site, browser, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{site}/?lang={lang}")
    want = EXPECTED[lang]
    assert page.inner_text("#fig-counted").strip() == want["counted"]
    if lang == "ja" and os.environ.get("PLEDGEWATCH_SCREENSHOTS"):  # the README's screenshot, with the record
        page.wait_for_selector("#chart-progress[data-rendered='true']", timeout=15000)
        page.screenshot(path=os.path.join(os.environ["PLEDGEWATCH_SCREENSHOTS"], "overview-ja.png"))
    assert want["documents"] in page.inner_text("#counts")
    assert want["milestone"] in page.inner_text("#next-milestone")
    assert want["claims"] in page.inner_text("#claims-h")
    assert want["usd"] in page.inner_text("#table-currency")
    assert want["recent"] in page.inner_text("#signed-recently")
    # the partner governments' claims are shown, each linking out to a source whose text is not stored
    uz = page.locator("#claim-CAJAD-004")
    assert "12" in uz.inner_text() and want["not_stored"] in uz.inner_text()
    assert uz.locator("a").first.get_attribute("href").startswith("https://report.az/")
    assert page.locator("#claims-KZ tr[id^='claim-']").count() == 3
    # the three document counts, each with its source
    assert page.locator("#document-counts li").count() == 4  # 158, 150+, 100+ and Kazakhstan's 14
    # the counted money did not change by showing the claims (the headline is the deals' sum)
    page.goto(f"{site}/commitments/?lang={lang}")
    assert page.locator("table.data tbody tr[data-id]").count() == 13
    assert "Earlier JICA activity" not in page.inner_text("table.data")
    page.goto(f"{site}/commitments/?lang={lang}&view=history")
    assert page.locator("table.data tbody tr[data-id]").count() == 1
    assert "Earlier JICA activity (2013)" in page.inner_text("table.data")
    assert "2012" in page.inner_text("#initiative-view")  # says what the earlier history is
    assert errors == []
    context.close()
