"""The same figure reads the same on the page, in its tables and chart, in the e-mail and in the feed (issue 17).

All of them format through `pledgewatch.ledger.formatting`; these tests compare the outputs side by side.
"""

import json
import re
from types import SimpleNamespace

import feedparser
import pytest
from django.utils import translation

from pledgewatch.newsletter import render
from pledgewatch.newsletter.digest import progress_summary


def _page(client, lang: str) -> str:
    return client.get(f"/?lang={lang}").content.decode()


def _email_rows(initiative, lang: str) -> dict:
    issue = SimpleNamespace(content={"progress": [progress_summary(initiative)]})
    with translation.override(lang):
        return render._progress_rows(issue, lang)[0]


@pytest.mark.parametrize(("lang", "counted", "share"), [
    ("ja", "約213.68億円", "0.71%"), ("en", "about ¥21.37 billion", "0.71%"),
    ("ru", "около 21,37\u00a0млрд иен".replace("\u00a0", " "), "0,71\u00a0%")])
def test_counted_total_and_share_agree_on_page_tables_chart_and_email(client, seeded, lang, counted, share):
    html = _page(client, lang)
    headline = re.search(r'<dd id="fig-counted">([^<]*)</dd>', html).group(1)
    assert headline == counted
    # every table cell and chart tooltip that shows the whole counted total shows it in the same form
    bare = counted.split(" ", 1)[-1] if lang != "ja" else counted.removeprefix("約")
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert counted in cells and bare not in cells, [c for c in cells if bare in c]
    charts = json.loads(client.get(f"/index.json?lang={lang}").content)["charts"]
    displays = {row["display"] for name in ("progress", "stage", "sector", "year")
                for row in charts[name]["data"]["values"] if row["amount"] == 21368000000}
    assert displays == {counted}
    email = _email_rows(seeded, lang)
    assert (email["counted"], email["share"]) == (counted, share)
    assert share in html


def test_russian_pipeline_card_says_yen_like_every_other_figure(client, seeded):
    html = _page(client, "ru")
    assert re.search(r'<dd id="fig-pipeline">([^<]*)</dd>', html).group(1) == "0 иен"
    assert not re.search(r"\d JPY", html)


def test_feed_and_page_write_the_same_amount(client, seeded):
    from pledgewatch.ledger.models import Commitment

    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    page = client.get(f"/commitments/{loan.pk}/?lang=ja").content.decode()
    loan.stage = "committed"
    loan.save()
    summary = feedparser.parse(client.get("/feeds/commitments.atom?country=UZ&lang=ja").content).entries[-1].summary
    figure = re.search(r"金額: ([^<]*)", summary).group(1)
    assert figure in page and "JPY" not in figure
