"""The public pages and their JSON twins, against the CA+JAD seed."""

import json

import pytest

from pledgewatch.ledger.models import Commitment, Document, Source

pytestmark = pytest.mark.django_db


def page(client, url, lang="en", status=200):
    response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def twin(client, url, lang="en", status=200):
    response = client.get(url, {"lang": lang}) if "?" not in url else client.get(f"{url}&lang={lang}")
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_home_shows_the_target_in_japanese_and_english(client, seeded):
    ja = page(client, "/", "ja")
    assert '<html lang="ja">' in ja
    assert '<dd id="fig-target">約3兆円</dd>' in ja
    assert '<dd id="fig-counted">約213.68億円</dd>' in ja
    assert "遅れ" in ja
    en = page(client, "/", "en")
    assert '<html lang="en">' in en
    assert '<dd id="fig-target">about ¥3 trillion</dd>' in en
    assert '<dd id="fig-counted">about ¥21.37 billion</dd>' in en
    assert "0.71% of the target" in en and "18.78% of the horizon elapsed" in en
    assert "152 documents" in en and "6 commitments" in en and "5 with undisclosed amounts" in en
    assert "0 without exchange rate (excluded)" in en
    assert "At the current pace, the total would reach ¥113.76 billion by Dec. 20, 2030." in en
    ru = page(client, "/", "ru")
    assert '<dd id="fig-target">около 3 трлн иен</dd>' in ru
    assert "отставание" in ru


def test_language_is_remembered_in_a_cookie(client, seeded):
    page(client, "/", "ru")
    assert client.cookies["pledgewatch_language"].value == "ru"
    assert '<html lang="ru">' in client.get("/commitments/").content.decode()


def test_overview_json_twin_is_the_page_context(client, seeded):
    data = twin(client, "/index.json")
    assert data == twin(client, "/?format=json")
    assert data == twin(client, "/initiatives/ca-jad-tokyo-initiative.json")
    p = data["progress"]
    assert p["target"] == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert p["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert p["counts"]["commitments"] == 6 and p["counts"]["undisclosed"] == 5
    assert p["counts"]["documents"] == 152 and p["counts"]["unconvertible"] == 0
    assert p["pace"]["status"] == "behind" and data["pace_label"] == "behind"
    series = {k: [{"date": pt["date"], "amount": pt["amount"]} for pt in v] for k, v in data["series"].items()}
    assert series["path"] == [{"date": "2025-12-20", "amount": "0"},
                              {"date": "2030-12-20", "amount": "3000000000000"}]
    assert series["counted"][-1] == {"date": "2026-11-28", "amount": "21368000000"}
    assert data["series"]["counted"][-1]["money"] == p["counted"]  # the same figure, the same form (約213.68億円)
    assert series["projection"] == [{"date": "2026-11-28", "amount": "21368000000"},
                                    {"date": "2030-12-20", "amount": p["pace"]["projected_at_end"]}]
    kinds = [b["kind"] for b in data["breakdowns"]]
    assert kinds == ["pillar", "focus_area", "country", "instrument", "stage", "sector", "year"]
    assert set(data["charts"]) == {"progress", "map", *kinds}
    countries = {r["key"]: r for r in data["breakdowns"][2]["rows"]}
    assert countries["UZ"]["label"] == "Uzbekistan" and countries["UZ"]["url"] == "/countries/UZ/"
    assert countries["UZ"]["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}


def test_json_is_utf8_not_ascii_escaped(client, seeded):
    body = client.get("/index.json?lang=ja").content.decode("utf-8")
    assert "グリーン・強靭化" in body and "\\u" not in body


def test_charts_are_vega_lite_with_the_readers_units(client, seeded):
    charts = twin(client, "/index.json", "ja")["charts"]
    assert charts["progress"]["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert charts["progress"]["encoding"]["y"]["title"] == "兆円"
    assert charts["country"]["encoding"]["x"]["title"] == "億円"
    values = charts["country"]["data"]["values"]
    assert {"label": "ウズベキスタン", "amount": 21368000000, "count": 3, "undisclosed": 2,
            "display": "約213.68億円"} in values
    geo = charts["map"]
    assert geo["data"]["url"] == "/static/pledgewatch/vendor/world-atlas/countries-50m.json"
    lookup = geo["transform"][0]["from"]["data"]["values"]
    assert {r["numeric"] for r in lookup} == {"398", "417", "762", "795", "860"}
    assert geo["encoding"]["href"] == {"field": "url"}


def test_pages_without_javascript_carry_the_chart_data_in_tables(client, seeded):
    html = page(client, "/")
    for kind in ("pillar", "focus_area", "country", "instrument", "stage", "sector", "year"):
        assert f'id="table-{kind}"' in html
    assert "Progress over time (table)" in html
    assert '<a href="/initiatives/ca-jad-tokyo-initiative/pillars/green-resilience/">Green and resilience</a>' in html


def test_commitment_list_filters(client, seeded):
    data = twin(client, "/commitments.json?country=KG&instrument=grant")
    assert sorted(r["title"] for r in data["results"]) == [
        "Bridge replacement", "Power-system maintenance",
        "Regional disaster-risk reduction for the five Central Asian countries through UNDP"]
    # the list shows the initiative in view unless asked otherwise; its downloads carry the same filter
    assert data["filters"] == {"initiative": "ca-jad-tokyo-initiative", "country": "KG", "instrument": "grant"}
    assert data["downloads"]["csv"] == (
        "/exports/commitments.csv?initiative=ca-jad-tokyo-initiative&country=KG&instrument=grant")
    assert data["downloads"]["atom"] == (
        "/feeds/commitments.atom?initiative=ca-jad-tokyo-initiative&country=KG&instrument=grant")
    assert twin(client, "/commitments.json?instrument=loan")["count"] == 1
    assert twin(client, "/commitments.json?q=livestock")["results"][0]["title"] == "Yen loan for livestock promotion"
    assert twin(client, "/commitments.json?q=畜産", "ja")["results"][0]["title"] == "畜産振興のための円借款"
    assert twin(client, "/commitments.json?pillar=unassigned")["count"] == 4
    assert twin(client, "/commitments.json?year=2025")["count"] == 6
    assert twin(client, "/commitments.json?year=2026")["count"] == 0
    html = page(client, "/commitments/?country=KG&instrument=grant")
    assert '<option value="KG" selected>Kyrgyzstan</option>' in html
    assert "3 commitments match." in html
    assert ('href="/exports/commitments.xlsx?initiative=ca-jad-tokyo-initiative&amp;country=KG&amp;instrument=grant"'
            in html)
    assert '<option value="ca-jad-tokyo-initiative" selected>' in html


def test_commitment_rows_carry_original_and_headline_money(client, seeded):
    rows = twin(client, "/commitments.json?instrument=loan")["results"]
    assert rows[0]["money"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert rows[0]["headline"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert rows[0]["status"] == {"key": "counted", "label": "counted toward the target"}
    assert rows[0]["recipients"] == [{"code": "UZ", "name": "Uzbekistan", "url": "/countries/UZ/"}]


def test_bad_filter_gives_a_clear_message_and_400(client, seeded):
    html = page(client, "/commitments/?instrument=bond", status=400)
    assert '<p class="error" role="alert" id="filter-error">Unknown instrument: bond</p>' in html
    data = twin(client, "/commitments.json?instrument=bond", status=400)
    assert data["error"] == "Unknown instrument: bond" and data["results"] == []
    assert twin(client, "/commitments.json?year=25", status=400)["error"] == "A year has four digits: 25"
    assert twin(client, "/commitments.json?sort=price", status=400)["error"] == "Unknown sort: price"


def test_pagination_keeps_the_filters(client, seeded):
    data = twin(client, "/commitments.json?sector=public&page=2&per_page=2")
    assert data["pagination"] == {"number": 2, "pages": 3, "per_page": 2, "count": 6, "previous": 1, "next": 3}
    html = page(client, "/commitments/?sector=public&page=2&per_page=2")
    assert 'href="?page=3&amp;per_page=2&amp;sector=public"' in html
    assert 'href="?page=1&amp;per_page=2&amp;sector=public"' in html
    assert twin(client, "/commitments.json?page=99&per_page=2")["pagination"]["number"] == 3
    assert twin(client, "/commitments.json?page=x")["pagination"]["number"] == 1
    assert twin(client, "/commitments.json?per_page=1000")["pagination"]["per_page"] == 100


def test_commitment_detail(client, seeded):
    c = Commitment.objects.get(ref="uz-livestock-yen-loan")
    data = twin(client, f"/commitments/{c.pk}.json")
    assert data["commitment"]["title"] == "Yen loan for livestock promotion"
    assert data["commitment"]["titles"]["ja"] == "畜産振興のための円借款"
    assert data["commitment"]["instrument"] == {"key": "loan", "label": "loan"}
    assert data["conversion"]["headline"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert data["conversion"]["rate"] is None  # already in the headline currency
    assert [s["stage"]["key"] for s in data["stage_history"]] == ["signed"]
    assert data["stage_history"][0]["date"] == "2025-12-20"
    quotes = [s["quote"] for s in data["sources"]]
    assert "ウズベキスタンへの畜産振興のための円借款(約213.68億円)" in quotes
    amount = next(s for s in data["sources"] if s["field"] == "amount")
    assert amount["excerpt"]["mark"] == "約213.68億円"
    assert data["history"][-1]["type"] == {"key": "+", "label": "created"}
    assert "user" not in data["history"][-1]  # who changed what is for staff only
    assert data["documents"][0]["title"] == "More than 150 public and private documents signed or announced"
    html = page(client, f"/commitments/{c.pk}/")
    assert "<mark>約213.68億円</mark>" in html
    assert '<dd id="money-original">about ¥21,368,000,000</dd>' in html


def test_commitment_in_another_currency_shows_the_rate(client, seeded):
    from decimal import Decimal

    c = Commitment.objects.get(ref="kg-bridge-replacement")
    c.amount, c.currency, c.qualifier = Decimal("10000000"), "USD", "up_to"
    c.save()
    data = twin(client, f"/commitments/{c.pk}.json")
    rate = data["conversion"]["rate"]
    assert rate["base"] == "USD" and rate["quote"] == "JPY" and rate["date"] <= "2025-12-20"
    assert rate["source"].startswith("ECB euro foreign exchange reference rates")
    assert data["conversion"]["flags"] == [{"key": "up_to", "label": "“up to” amount, counted at face value"}]
    amount = Decimal(rate["rate"]) * Decimal("10000000")
    assert data["conversion"]["headline"]["amount"] == str(amount.quantize(Decimal(1)))
    assert [h["type"]["key"] for h in data["history"]][:1] == ["~"]
    assert set(data["history"][0]["fields"]) == {"amount", "currency", "qualifier"}


def test_source_page_highlights_the_span_in_the_full_text(client, seeded):
    s = Source.objects.get(quote="約213.68億円")
    data = twin(client, f"/sources/{s.pk}.json")
    full = data["source"]["full"]
    assert full["mark"] == "約213.68億円"
    assert len(full["before"]) == s.start
    assert data["source"]["supports"]["title"] == "Yen loan for livestock promotion"
    assert '<mark id="quoted">約213.68億円</mark>' in page(client, f"/sources/{s.pk}/")


def test_other_pages_and_their_twins(client, seeded):
    doc = Document.objects.get(represents_count=150)
    assert twin(client, f"/documents/{doc.pk}.json")["document"]["represents_count"] == 150
    docs = twin(client, "/documents.json")
    assert docs["count"] == 4 and docs["documents_represented"] == 153
    assert twin(client, "/documents.json?kind=declaration")["count"] == 1
    assert twin(client, "/documents.json?kind=treaty", status=400)["error"] == "Unknown kind: treaty"
    events = twin(client, "/events.json")["results"]
    assert events[0]["kind"] == "event" and events[0]["date"] == "2025-12-19"
    assert events[0]["title"] == "Dinner for the Central Asian leaders"
    summit = twin(client, "/events/ca-jad-summit-2025-12-20.json")
    assert [p["name"] for p in summit["participants"]][:2] == ["Takaichi Sanae", "Kassym-Jomart Tokayev"]
    assert summit["participants"][0]["chair"] is True
    orgs = {o["slug"]: o for o in twin(client, "/organisations.json")["results"]}
    assert orgs["gov-jp"]["provided"] == 6 and orgs["undp"]["channelled"] == 1
    undp = twin(client, "/organisations/undp.json")
    assert undp["provided"]["total"] == 0 and undp["channelled_or_received"]["total"] == 1
    japan = twin(client, "/organisations/gov-jp.json")["provided"]
    assert japan["total"] == 6 and japan["list_url"] == "/commitments/?provider=gov-jp"
    countries = {c["code"]: c for c in twin(client, "/countries.json")["results"]}
    assert set(countries) == {"KZ", "KG", "TJ", "TM", "UZ"}
    assert countries["KG"]["commitments"] == 3
    uz = twin(client, "/countries/UZ.json")
    assert uz["totals"]["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert uz["commitments"]["total"] == 3 and len(uz["commitments"]["rows"]) == 3
    assert uz["commitments"]["list_url"] == "/commitments/?country=UZ"
    pillar = twin(client, "/initiatives/ca-jad-tokyo-initiative/pillars/human-resources.json")
    assert pillar["pillar"]["count"] == 1
    assert pillar["commitments"]["rows"][0]["title"] == "Provision of blood-related equipment"
    assert [f["slug"] for f in pillar["focus_areas"]] == ["jds-scholarships", "medical-health"]
    rules = twin(client, "/rules.json")
    assert [s["key"] for s in rules["counted_stages"]] == ["signed", "committed", "disbursing", "completed"]
    assert rules["conversion_policy"] == {"key": "date", "label": "rate of the commitment date"}


@pytest.mark.parametrize("url", ["/commitments/999999/", "/countries/XX/", "/events/nope/", "/organisations/nope/",
                                 "/documents/999999/", "/initiatives/nope/", "/sources/999999/",
                                 "/initiatives/ca-jad-tokyo-initiative/pillars/nope/"])
def test_unknown_records_are_404(client, seeded, url):
    assert client.get(url).status_code == 404


def test_empty_database_says_what_to_do(client, db):
    response = client.get("/?lang=en")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/", "/commitments/", "/documents/", "/events/", "/organisations/",
                                 "/countries/", "/rules/", "/countries/KG/"])
def test_every_page_in_russian_has_no_english_navigation(client, seeded, url):
    html = page(client, url, "ru")
    assert '<html lang="ru">' in html
    assert ">Обязательства</a>" in html and ">Правила учёта</a>" in html
    assert ">Commitments</a>" not in html


def test_detail_pages_show_a_sample_and_link_to_the_full_list(client, seeded):
    from pledgewatch.web.pages import common

    common.SAMPLE, old = 2, common.SAMPLE
    try:
        data = twin(client, "/countries/KG.json")["commitments"]
        assert (data["total"], data["shown"], len(data["rows"])) == (3, 2, 2)
        html = page(client, "/countries/KG/")
        assert "Showing the newest 2 of 3." in html
        assert '<a href="/commitments/?country=KG">See them all in the filtered list</a>' in html
    finally:
        common.SAMPLE = old


def test_download_and_feed_links_of_the_list_answer(client, seeded):
    links = twin(client, "/commitments.json?country=KG")["downloads"]
    for kind in ("csv", "xlsx", "json", "iati", "atom", "api"):
        response = client.get(links[kind])
        assert response.status_code == 200, (kind, links[kind])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, kind


def test_json_twin_of_a_missing_record_is_json(client, seeded):
    response = client.get("/countries/XX.json", {"lang": "en"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {"detail": "No Country matches the given query."}
    detail = json.loads(client.get("/initiatives/nope.json", {"lang": "ja"}).content)["detail"]
    assert detail.startswith("不明なイニシアティブ") and detail.endswith(": nope")
