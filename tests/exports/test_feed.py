"""The Atom feed against RFC 4287: a feed library (feedparser) and the RFC's required elements, in ja/en/ru."""

from decimal import Decimal
from xml.etree import ElementTree

import feedparser
import pytest

from pledgewatch.ledger.models import Commitment

ATOM = "{http://www.w3.org/2005/Atom}"
IRI = ("http://", "https://")


def rfc4287_problems(feed: ElementTree.Element) -> list[str]:
    """Return what RFC 4287 section 4.1 requires and the feed lacks (ids and links must be absolute IRIs)."""
    problems = []
    for name in ("id", "title", "updated"):
        if feed.find(f"{ATOM}{name}") is None:
            problems.append(f"feed: no atom:{name}")
    if not (feed.find(f"{ATOM}id").text or "").startswith(IRI):
        problems.append(f"feed: relative id {feed.find(f'{ATOM}id').text}")
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        problems.append("feed: no atom:author (and an entry has none)")  # 4.1.1
    for link in feed.iter(f"{ATOM}link"):
        if not link.get("href", "").startswith(IRI):
            problems.append(f"relative link {link.get('href')}")
    for i, entry in enumerate(entries):
        for name in ("id", "title", "updated"):
            if entry.find(f"{ATOM}{name}") is None:
                problems.append(f"entry {i}: no atom:{name}")
        if not (entry.find(f"{ATOM}id").text or "").startswith(IRI):
            problems.append(f"entry {i}: relative id {entry.find(f'{ATOM}id').text}")
        alternate = [x for x in entry.findall(f"{ATOM}link") if x.get("rel", "alternate") == "alternate"]
        if entry.find(f"{ATOM}content") is None and not alternate:
            problems.append(f"entry {i}: neither content nor an alternate link")  # 4.1.2
        if entry.find(f"{ATOM}content") is None and entry.find(f"{ATOM}summary") is None:
            problems.append(f"entry {i}: no summary")
    return problems


@pytest.mark.parametrize("lang", ["ja", "en", "ru"])
def test_feed_is_valid_atom_with_absolute_ids_from_the_request(ledger, client, lang):
    response = client.get(f"/feeds/commitments.atom?lang={lang}")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == "http://testserver/feeds/commitments.atom"
    assert parsed.feed.author == "pledgewatch"
    assert parsed.feed.link == f"http://testserver/commitments/?lang={lang}"
    assert parsed.entries and all(e.id.startswith("http://testserver/commitments/") for e in parsed.entries)
    assert all(e.link.startswith("http://testserver/commitments/") for e in parsed.entries)
    assert rfc4287_problems(ElementTree.fromstring(response.content)) == []  # noqa: S314 (our own output)


def test_feed_ids_follow_the_base_url_setting(ledger, client, monkeypatch, settings):
    monkeypatch.setenv("PLEDGEWATCH_BASE_URL", "https://pledgewatch.example.org")
    settings.BASE_URL = "https://pledgewatch.example.org"
    parsed = feedparser.parse(client.get("/feeds/commitments.atom?country=UZ&lang=en").content)
    assert parsed.bozo is False
    assert parsed.feed.id == "https://pledgewatch.example.org/feeds/commitments.atom?country=UZ"
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    assert f"https://pledgewatch.example.org/commitments/{loan.pk}/" in {e.link for e in parsed.entries}


def test_change_summaries_are_words_in_the_readers_language(ledger, client):
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    loan.stage = "committed"
    loan.amount = Decimal("10496695.196")
    loan.save()
    summaries = {}
    for lang in ("ja", "en", "ru"):
        parsed = feedparser.parse(client.get(f"/feeds/commitments.atom?country=UZ&lang={lang}").content)
        summaries[lang] = parsed.entries[0].summary
    assert "stage: signed → committed" in summaries["en"]
    assert "amount: ¥21.37 billion → ¥10.5 million" in summaries["en"]
    assert "段階: 署名 → 確約" in summaries["ja"]
    assert "金額: 213.68億円 → 1,049.67万円" in summaries["ja"]
    assert "21,37 млрд иен → 10,5 млн иен" in summaries["ru"]
    for text in summaries.values():
        assert "{" not in text and "JPY" not in text and "10496695.196" not in text


def test_m2m_changes_name_the_linked_records(ledger, client):
    """A new link to an initiative reads as the initiative's name, not `{'commitment': 6, 'initiative': 1}`."""
    entries = feedparser.parse(client.get("/feeds/commitments.atom?country=KZ&lang=en").content).entries
    text = " ".join(e.summary for e in entries)
    assert "{" not in text and "'commitment'" not in text
    assert "CA+JAD Tokyo Initiative" in text
