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
    assert data["recipients"] == [{"country": "UZ", "share": None}]
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
