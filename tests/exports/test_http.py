"""Download views and the Atom feed, through Django's test client (real database, real streaming)."""

import csv
import io
import json
from xml.etree import ElementTree

from pledgewatch.exports.formats import FORMATS
from pledgewatch.ledger.models import Commitment

ATOM = "{http://www.w3.org/2005/Atom}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_csv_download_with_filters_in_japanese(ledger, client):
    response = client.get("/exports/commitments.csv?country=UZ&instrument=loan&lang=ja")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pledgewatch-commitments-')
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(r["ref"], r["instrument_label"], r["recipients_label"], r["headline_amount"]) for r in rows] == [
        ("uz-livestock-yen-loan", "借款", "ウズベキスタン", "21368000000")]


def test_rows_match_the_api(ledger, client):
    api = client.get("/api/v1/commitments?country=KG&lang=en").json()
    ids = sorted(item["id"] for item in api["results"])
    rows = list(csv.DictReader(io.StringIO(body(client.get("/exports/commitments.csv?country=KG")).decode(
        "utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == ids
    assert len(ids) == 4


def test_xlsx_and_json_downloads(ledger, client, tmp_path):
    response = client.get("/exports/commitments.xlsx?lang=en")
    assert response["Content-Type"] == FORMATS["xlsx"].content_type
    path = tmp_path / "x.xlsx"
    path.write_bytes(body(response))
    assert len(list(FORMATS["xlsx"].read(path))) == 7
    data = json.loads(body(client.get("/exports/commitments.json?stage=announced&lang=en")))
    assert [c["ref"] for c in data["commitments"]] == ["kz-usd-investment"]
    assert data["filters"] == {"stage": "announced"}


def test_bad_filter_is_a_400_with_a_message(ledger, client):
    response = client.get("/exports/commitments.csv?instrument=bond&lang=en")
    assert (response.status_code, response.content.decode()) == (400, "Unknown instrument: bond\n")
    response = client.get("/exports/commitments.csv?initiative=nope&lang=en")
    assert (response.status_code, response.content.decode()) == (400, "Unknown initiative: nope\n")
    response = client.get("/exports/commitments.pdf?lang=en")
    assert (response.status_code, response.content.decode()) == (
        404, "Unknown format: pdf (choose csv, xlsx, json, iati)\n")


def test_atom_feed_of_new_and_changed_commitments(ledger, client):
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    loan.stage = "committed"
    loan.save()
    response = client.get("/feeds/commitments.atom?country=UZ&lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    assert feed.find(f"{ATOM}title").text == "pledgewatch: new and changed commitments"
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[0] == "Changed: Yen loan for livestock promotion"
    assert "stage: signed → committed" in entries[0].find(f"{ATOM}summary").text.split("<br>")
    assert all(t.startswith(("New: ", "Changed: ")) for t in titles)
    assert not any("Kyrgyz" in t or "Customs" in t for t in titles)  # filtered to Uzbekistan
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)


def test_atom_feed_in_japanese_and_bad_filter(ledger, client):
    feed = ElementTree.fromstring(  # noqa: S314 (our own output)
        client.get("/feeds/commitments.atom?lang=ja").content)
    assert feed.find(f"{ATOM}title").text == "pledgewatch: 新規・変更された約束"
    assert feed.find(f"{ATOM}entry/{ATOM}title").text.startswith(("新規: ", "変更: "))
    response = client.get("/feeds/commitments.atom?stage=done&lang=en")
    assert (response.status_code, response.content.decode()) == (400, "Unknown stage: done\n")
