"""The API endpoints the dashboard adds: countries, pillars, timeline, sources."""

import pytest

from pledgewatch.ledger.models import Source

pytestmark = pytest.mark.django_db

JPY_LOAN = {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}


def get(client, url, status=200, lang="en"):
    response = client.get(url, {"lang": lang})
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_countries(client, seeded):
    data = get(client, "/api/v1/countries")
    rows = {r["code"]: r for r in data["results"]}
    assert rows["UZ"]["counted"] == JPY_LOAN and rows["UZ"]["commitments"] == 3
    assert rows["KZ"]["name"] == "Kazakhstan" and rows["KZ"]["in_scope"] is True
    names = [r["name"] for r in get(client, "/api/v1/countries", lang="ja")["results"]]
    assert names[:2] == ["キルギス", "カザフスタン"]


def test_country_detail_is_the_page_context(client, seeded):
    data = get(client, "/api/v1/countries/uz")
    assert {**data, "language": "en"} == get(client, "/countries/UZ.json")
    assert data["totals"]["counted"] == JPY_LOAN
    assert get(client, "/api/v1/countries/XX", status=404) == {"detail": "Not Found"}


def test_pillar(client, seeded):
    data = get(client, "/api/v1/initiatives/ca-jad-tokyo-initiative/pillars/green-resilience")
    assert data["pillar"]["name"] == "Green and resilience"
    assert data["pillar"]["counted"] == {"amount": "0", "currency": "JPY", "qualifier": "exact"}
    assert data["pillar"]["undisclosed"] == 1
    get(client, "/api/v1/initiatives/ca-jad-tokyo-initiative/pillars/nope", status=404)
    get(client, "/api/v1/initiatives/nope/pillars/connectivity", status=404)


def test_timeline(client, seeded):
    data = get(client, "/api/v1/initiatives/ca-jad-tokyo-initiative/timeline")
    assert data["currency"] == "JPY" and data["pace"]["status"] == "behind"
    assert [{"date": p["date"], "amount": p["amount"]} for p in data["series"]["counted"]] == [
        {"date": "2025-12-20", "amount": "0"}, {"date": "2025-12-20", "amount": "21368000000"},
        {"date": "2026-11-28", "amount": "21368000000"}]
    # each point also carries its money as the pages show it: the total's qualifier where it equals the total
    assert [p["money"]["qualifier"] for p in data["series"]["counted"]] == ["exact", "approx", "approx"]
    kinds = [(e["date"], e["kind"]) for e in data["entries"]]
    assert kinds[:2] == [("2025-12-19", "event"), ("2025-12-20", "event")]
    assert sum(1 for _, k in kinds if k == "stage_change") == 6
    assert sum(1 for _, k in kinds if k == "document") == 3


def test_source(client, seeded):
    s = Source.objects.get(quote="約213.68億円")
    data = get(client, f"/api/v1/sources/{s.pk}")
    assert data["source"]["full"]["mark"] == "約213.68億円"
    assert data["source"]["start"] == s.start and data["source"]["end"] == s.end


def test_endpoints_are_in_the_openapi_document(client, seeded):
    paths = get(client, "/api/v1/openapi.json")["paths"]
    for path in ("/api/v1/countries", "/api/v1/countries/{code}", "/api/v1/initiatives/{slug}/pillars/{pillar}",
                 "/api/v1/initiatives/{slug}/timeline", "/api/v1/sources/{source_id}"):
        assert path in paths
