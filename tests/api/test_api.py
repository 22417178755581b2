"""The JSON API of DESIGN.md, against the seed, with exact values."""

import json

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


def get(client, path, status=200, language="en"):
    response = client.get(BASE + path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content.decode("utf-8"))


def test_initiatives(client, seeded):
    data = get(client, "/initiatives")
    assert [i["slug"] for i in data] == ["ca-jad-tokyo-initiative"]
    assert data[0]["target"] == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert data[0]["horizon"] == {"start": "2025-12-20", "end": "2030-12-20"}


def test_utf8_not_escaped(client, seeded):
    raw = client.get(BASE + "/initiatives").content.decode("utf-8")
    assert "CA+JAD東京イニシアティブ" in raw and "\\u" not in raw


def test_initiative_detail(client, seeded):
    data = get(client, "/initiatives/ca-jad-tokyo-initiative")
    assert [p["slug"] for p in data["pillars"]] == ["green-resilience", "connectivity", "human-resources"]
    assert data["scope"]["recipient_countries"] == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert data["counting_rules"]["counted_stages"] == ["signed", "committed", "disbursing", "completed"]


def test_progress(client, seeded):
    data = get(client, "/initiatives/ca-jad-tokyo-initiative/progress")
    assert data["target"] == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert data["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert data["counts"] == {"commitments": 6, "counted": 6, "pipeline": 0, "cancelled": 0, "undisclosed": 5,
                              "unconvertible": 0, "up_to": 0, "documents": 152}
    assert data["pace"]["today"] == "2026-11-28"
    assert data["pace"]["status"] == "behind"
    assert data["pace"]["elapsed_days"] == 343
    assert data["rules"]["headline_currency"] == "JPY"


def test_unknown_initiative(client, db):
    assert get(client, "/initiatives/nope/progress", 404) == {"detail": "Unknown initiative: nope"}
    assert get(client, "/initiatives/nope/progress", 404, "ja") == {"detail": "不明なイニシアティブです: nope"}


@pytest.mark.parametrize(("query", "refs"), [
    ("", 6),
    ("?country=UZ", ["ca5-undp-disaster-risk-reduction", "uz-blood-equipment", "uz-livestock-yen-loan"]),
    ("?country=KG&instrument=grant", ["ca5-undp-disaster-risk-reduction", "kg-bridge-replacement",
                                      "kg-power-system-maintenance"]),
    ("?instrument=loan", ["uz-livestock-yen-loan"]),
    ("?pillar=unassigned", ["kg-bridge-replacement", "kg-power-system-maintenance", "tj-customs-equipment",
                            "uz-livestock-yen-loan"]),
    ("?pillar=human-resources", ["uz-blood-equipment"]),
    ("?q=UNDP", ["ca5-undp-disaster-risk-reduction"]),
    ("?q=円借款", ["uz-livestock-yen-loan"]),
    ("?stage=announced", []),
    ("?initiative=ca-jad-tokyo-initiative&year=2025", 6),
])
def test_commitment_filters(client, seeded, query, refs):
    data = get(client, "/commitments" + query)
    found = sorted(r["ref"] for r in data["results"])
    if isinstance(refs, int):
        assert data["count"] == refs == len(found)
    else:
        assert found == refs and data["count"] == len(refs)


@pytest.mark.parametrize(("query", "message"), [
    ("?stage=maybe", "Unknown stage: maybe"),
    ("?instrument=gift", "Unknown instrument: gift"),
    ("?year=20x5", "A year has four digits: 20x5"),
    ("?sort=size", "Unknown sort: size"),
])
def test_bad_filters_are_400_with_a_message(client, db, query, message):
    assert get(client, "/commitments" + query, 400) == {"detail": message}


def test_bad_filter_message_in_japanese(client, db):
    assert get(client, "/commitments?stage=maybe", 400, "ja") == {"detail": "不明な段階: maybe"}


def test_commitment_detail_with_sources_and_stage_history(client, seeded):
    listing = get(client, "/commitments?instrument=loan")
    data = get(client, f"/commitments/{listing['results'][0]['id']}")
    assert data["amount"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert data["recipients"] == [{"country": "UZ", "share": None, "basis": "stated"}]
    assert data["stage_history"][0]["stage"] == "signed"
    assert data["stage_history"][0]["date"] == "2025-12-20"
    assert {s["field"]: s["quote"] for s in data["sources"]}["amount"] == "約213.68億円"
    assert data["counting"]["status"] == "counted"
    assert data["counting"]["headline"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}


def test_pagination(client, seeded):
    data = get(client, "/commitments?page=9")
    assert (data["page"], data["pages"], data["page_size"], data["count"]) == (1, 1, 50, 6)


def test_documents_events_organisations(client, seeded):
    docs = get(client, "/documents?initiative=ca-jad-tokyo-initiative")
    assert docs["count"] == 3
    events = get(client, "/events")
    assert [e["slug"] for e in events["results"]] == ["ca-jad-dinner-2025-12-19", "ca-jad-summit-2025-12-20"]
    summit = get(client, "/events/ca-jad-summit-2025-12-20")
    assert len(summit["participants"]) == 6 and summit["participants"][0]["chair"] is True
    undp = get(client, "/organisations/undp")
    assert undp["kind"] == "multilateral" and undp["iati_ref"] == "XM-DAC-41114"
    declaration = next(d for d in docs["results"] if d["kind"] == "declaration")
    assert get(client, f"/documents/{declaration['id']}")["parties"][0]["slug"] == "gov-jp"


def test_openapi_lists_the_stable_endpoints(client, db):
    spec = get(client, "/openapi.json")
    paths = set(spec["paths"])
    for path in ["/api/v1/initiatives", "/api/v1/initiatives/{slug}", "/api/v1/initiatives/{slug}/progress",
                 "/api/v1/commitments", "/api/v1/commitments/{commitment_id}", "/api/v1/documents",
                 "/api/v1/events", "/api/v1/organisations"]:
        assert path in paths


def test_api_is_read_only_for_anonymous(client, seeded):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(BASE + "/commitments")
        assert response.status_code == 405


def _usd_commitments(seeded, days_and_rates):
    """Counted USD commitments, each converted at a rate stored for its day (stored rates win over ECB)."""
    from datetime import date
    from decimal import Decimal

    from pledgewatch.ledger.models import Commitment, ExchangeRate

    for i, (day, rate) in enumerate(days_and_rates):
        ExchangeRate.objects.create(base="USD", quote="JPY", rate=Decimal(rate), date=date.fromisoformat(day),
                                    valid_to=date.fromisoformat(day), source="test table")
        c = Commitment.objects.create(ref=f"usd-{i}", title_en=f"USD {i}", title_ja=f"ドル{i}", instrument="loan",
                                      stage="signed", amount=Decimal(1000), currency="USD", qualifier="exact",
                                      date=date.fromisoformat(day))
        c.initiatives.add(seeded)


def test_progress_rates_are_summarised_and_paged(client, seeded):
    _usd_commitments(seeded, [("2026-01-05", "150.5"), ("2026-02-10", "149.25"), ("2026-03-02", "151")])
    data = get(client, "/initiatives/ca-jad-tokyo-initiative/progress")
    assert data["rates_summary"] == [{
        "base": "USD", "quote": "JPY", "source": "test table", "period": "period", "rates": 3,
        "first_date": "2026-01-05", "last_date": "2026-03-02", "lowest": "149.25", "highest": "151"}]
    assert data["rates_page"] == {"count": 3, "page": 1, "pages": 1, "page_size": 100}
    assert data["rates"] == [
        {"base": "USD", "quote": "JPY", "rate": "150.5", "date": "2026-01-05", "period": "period",
         "source": "test table"},
        {"base": "USD", "quote": "JPY", "rate": "149.25", "date": "2026-02-10", "period": "period",
         "source": "test table"},
        {"base": "USD", "quote": "JPY", "rate": "151", "date": "2026-03-02", "period": "period",
         "source": "test table"}]
    assert data["counted"]["amount"] == str(21368000000 + 150500 + 149250 + 151000)


def test_progress_unconvertible_and_up_to_are_paged(client, seeded, monkeypatch):
    from datetime import date
    from decimal import Decimal

    from pledgewatch.api import ledger
    from pledgewatch.ledger.models import Commitment

    monkeypatch.setattr(ledger, "LIST_PAGE_SIZE", 2)
    ids = []
    for i in range(3):
        c = Commitment.objects.create(ref=f"xau-{i}", title_en=f"gold {i}", title_ja=f"金{i}", instrument="grant",
                                      stage="signed", amount=Decimal(10 + i), currency="XAU",
                                      qualifier="up_to", date=date(2026, 1, 5))
        c.initiatives.add(seeded)
        ids.append(c.pk)
    data = get(client, "/initiatives/ca-jad-tokyo-initiative/progress?unconvertible_page=2&up_to_page=2")
    assert data["unconvertible_page"] == {"count": 3, "page": 2, "pages": 2, "page_size": 2}
    assert data["unconvertible"] == [{"commitment": ids[2], "amount": {"amount": "12", "currency": "XAU",
                                                                      "qualifier": "up_to"}}]
    assert data["up_to_page"] == {"count": 3, "page": 2, "pages": 2, "page_size": 2}
    assert data["up_to"] == [ids[2]]
    assert data["counts"]["unconvertible"] == 3


def test_progress_rates_pages_of_100(client, seeded, monkeypatch):
    from pledgewatch.api import ledger

    monkeypatch.setattr(ledger, "LIST_PAGE_SIZE", 2)
    _usd_commitments(seeded, [("2026-01-05", "150.5"), ("2026-02-10", "149.25"), ("2026-03-02", "151")])
    second = get(client, "/initiatives/ca-jad-tokyo-initiative/progress?rates_page=2")
    assert second["rates_page"] == {"count": 3, "page": 2, "pages": 2, "page_size": 2}
    assert [r["date"] for r in second["rates"]] == ["2026-03-02"]
    assert get(client, "/initiatives/ca-jad-tokyo-initiative/progress?rates_page=9")["rates_page"]["page"] == 2
    assert get(client, "/initiatives/ca-jad-tokyo-initiative/progress?rates_page=0")["rates"][0]["rate"] == "150.5"
    schema = get(client, "/openapi.json")
    progress = schema["paths"]["/api/v1/initiatives/{slug}/progress"]["get"]
    assert [p["name"] for p in progress["parameters"]] == ["slug", "rates_page", "unconvertible_page", "up_to_page"]
    assert set(schema["components"]["schemas"]["RateSummary"]["required"]) == {
        "base", "quote", "source", "period", "rates", "first_date", "last_date", "lowest", "highest"}
