"""XSS: every text field holds a payload of tests/fixtures/hostile/xss.json; every page shows it escaped, exactly.

The ledger of `build_ledger` rotates the payloads over initiative, pillar, focus area, organisation, event,
participant, document, commitment and source texts in ja/en/ru, and puts javascript:/data: URLs into the
addresses. Each page must print the exact escaped form of the fields it shows and hold no live markup.
"""

import json

import pytest
from django.utils.html import escape
from lxml import etree

from tests.security.hostile import URLS, assert_inert, build_ledger, escaped, live_markup, payload

pytestmark = pytest.mark.django_db

LANGS = ("ja", "en", "ru")


@pytest.fixture
def hostile(seeded):
    return build_ledger(seeded)


def pages(h) -> dict[str, list[str]]:
    """Return page address → the fields (by tag, `{L}` for the page's language) it must show escaped."""
    c, d, e, o, p, s = (h[k] for k in ("commitment", "document", "event", "org", "pillar", "source"))
    slug = h["initiative"].slug
    return {
        "/": ["initiative.name_{L}", "initiative.summary_{L}", "pillar.name_{L}", "focus.name_{L}"],
        f"/initiatives/{slug}/pillars/{p.slug}/": ["initiative.name_{L}", "pillar.name_{L}", "focus.name_{L}",
                                                  "commitment.title_{L}"],
        "/commitments/": ["commitment.title_{L}", "org.name_{L}", "pillar.name_{L}", "focus.name_{L}"],
        f"/commitments/{c.pk}/": ["commitment.title_ja", "commitment.title_en", "commitment.title_ru",
                                  "commitment.description_{L}", "commitment.classification_reason",
                                  "document.title_{L}", "event.name_{L}", "org.name_{L}", "pillar.name_{L}",
                                  "source2.quote", "sourcetext.text", "sourcetext.title"],
        "/documents/": ["document.title_{L}", "event.name_{L}"],
        f"/documents/{d.pk}/": ["document.title_ja", "document.title_en", "document.title_ru", "event.name_{L}",
                                "org.name_{L}", "docsource.quote"],
        "/events/": ["event.name_{L}"],
        f"/events/{e.slug}/": ["event.name_{L}", "event.place_{L}", "event.description_{L}",
                               "participant.name_{L}", "participant.role_{L}", "commitment.title_{L}",
                               "document.title_{L}"],
        "/organisations/": ["org.name_{L}"],
        f"/organisations/{o.slug}/": ["org.name_ja", "org.name_en", "org.name_ru", "org.description_{L}",
                                      "commitment.title_{L}", "document.title_{L}"],
        "/countries/": ["initiative.name_{L}"],
        "/countries/KZ/": ["commitment.title_{L}", "document.title_{L}", "org.name_{L}"],
        f"/sources/{s.pk}/": ["sourcetext.title", "sourcetext.text", "commitment.title_{L}"],
        "/rules/": ["initiative.name_{L}"],
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_shows_every_payload_escaped(client, hostile, lang):
    values = hostile["values"]
    for url, tags in pages(hostile).items():
        response = client.get(url, {"lang": lang, "initiative": ""})  # lists: every initiative, not the one in view
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
        for tag in tags:
            tag = tag.replace("{L}", lang)
            assert str(escape(values[tag])) in html, (url, tag)
    template = [t for t, v in values.items() if v.startswith("{{ 7|add:1330 }}") and t.endswith(f"_{lang}")]
    assert template  # a field with template syntax is shown literally (the escaped form checked above)


def test_javascript_and_data_addresses_are_shown_but_never_links(client, hostile):
    doc, src = hostile["document"], hostile["source"]
    html = client.get(f"/documents/{doc.pk}/", {"lang": "en"}).content.decode()
    assert "<dd>javascript:window.__pwned=&#x27;href&#x27;</dd>" in html
    assert 'href="javascript' not in html.lower() and "java\tscript" not in html
    detail = client.get(f"/commitments/{hostile['commitment'].pk}/", {"lang": "en"}).content.decode()
    # the http address with a quote in it stays a link, its quote escaped inside the attribute
    assert ('<a href="https://example.org/&quot;&gt;&lt;script&gt;window.__pwned=&#x27;url&#x27;&lt;/script&gt;" '
            'rel="noopener">') in detail
    assert detail.count('rel="noopener"') == 1  # the javascript: source address is not a link
    source = client.get(f"/sources/{src.pk}/", {"lang": "en"}).content.decode()
    assert "<dd> JaVaScRiPt:window.__pwned=&#x27;href2&#x27;</dd>" in source
    assert live_markup(source) == []


def test_link_url_filter_allows_only_http_https_and_mailto():
    from pledgewatch.web.templatetags.pw import link_url

    assert [link_url(u) for u in URLS.values()] == ["", "", "", "", "", URLS["quote-break"]]
    assert link_url("https://www.mofa.go.jp/a.html") == "https://www.mofa.go.jp/a.html"
    assert link_url("HTTP://example.org") == "HTTP://example.org"
    assert link_url("mailto:press@example.org") == "mailto:press@example.org"
    assert link_url("\x01javascript:alert(1)") == ""
    assert link_url("java\nscript:alert(1)") == ""
    assert link_url("//evil.example/") == ""
    assert link_url("http://[::1") == ""  # unparsable
    assert link_url(None) == ""


def collect_strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(collect_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(collect_strings(v) for v in value)) if value else set()
    return set()


def test_json_twins_return_the_payloads_verbatim(client, hostile):
    values = hostile["values"]
    for url, tags in pages(hostile).items():
        twin = (url.rstrip("/") or "/index") + ".json"
        response = client.get(twin, {"lang": "en", "initiative": ""})
        assert response.status_code == 200, twin
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        strings = collect_strings(json.loads(response.content))
        for tag in tags:
            tag = tag.replace("{L}", "en")
            if tag.startswith(("sourcetext.text", "source2", "docsource")):
                continue  # quotes travel inside excerpts, cut around the span
            assert values[tag] in strings, (twin, tag)


def test_api_returns_the_payloads_verbatim_as_json(client, hostile):
    c, d, e, o = hostile["commitment"], hostile["document"], hostile["event"], hostile["org"]
    for url, field, obj in ((f"/api/v1/commitments/{c.pk}", "title_en", c),
                            (f"/api/v1/documents/{d.pk}", "title_en", d),
                            (f"/api/v1/events/{e.slug}", "name_en", e),
                            (f"/api/v1/organisations/{o.slug}", "name_en", o),
                            ("/api/v1/commitments?q=hostile", None, None),
                            (f"/api/v1/initiatives/{hostile['initiative'].slug}", "name_en", hostile["initiative"])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        if field:
            assert getattr(obj, field) in collect_strings(json.loads(response.content)), url


ATOM = "{http://www.w3.org/2005/Atom}"
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def test_atom_feed_titles_are_plain_text(client, hostile):
    c = hostile["commitment"]
    c.title_en = payload("commitment.title_en", 1)  # a change: the summary lists the old and new titles
    c.save()
    response = client.get("/feeds/commitments.atom", {"lang": "en"})
    assert response.status_code == 200
    root = etree.fromstring(response.content, SAFE_XML)
    entries = [e for e in root.iter(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href").endswith(f"/{c.pk}/")]
    assert len(entries) >= 2
    titles = [e.find(f"{ATOM}title") for e in entries]
    assert {t.get("type") for t in titles} <= {None, "text"}  # plain text: readers show it literally
    assert f"Changed: {payload('commitment.title_en', 1)}" in [t.text for t in titles]
    assert b"<script>window.__pwned" not in response.content  # XML-escaped on the wire


def test_atom_feed_summary_of_a_changed_title_is_escaped(client, hostile):
    c = hostile["commitment"]
    c.title_en = payload("commitment.title_en", 1)
    c.save()
    root = etree.fromstring(client.get("/feeds/commitments.atom", {"lang": "en"}).content, SAFE_XML)
    summaries = [e.find(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")]
    for s in summaries:
        if s is not None and s.get("type") == "html":
            assert live_markup(s.text or "") == []
            assert "<script>" not in (s.text or "")


def test_newsletter_digest_html_escapes_and_text_keeps_the_payloads(hostile):
    from django.utils import timezone

    from pledgewatch.newsletter import render
    from pledgewatch.newsletter.digest import create_issue
    from pledgewatch.newsletter.models import Member

    issue = create_issue(hostile["initiative"], until=timezone.now())
    values = hostile["values"]
    for lang in LANGS:
        member = Member(pk=1, email='"><script>x</script>"@example.org', language=lang, topics={})
        _subject, text, html, _manage, _unsub = render.IssueRenderer(issue).for_member(member)
        assert_inert(html, f"digest {lang}")
        tag = f"commitment.title_{lang}"
        assert str(escape(values[tag])) in html, lang
        assert values[tag] in text, lang  # the text part is not HTML: the payload is plain text
        assert str(escape(values["initiative.name_" + lang])) in html


def test_review_queue_pages_escape_the_submitted_text(admin_client):
    text = (f"令和7年12月17日、ウズベキスタンに{payload('press.text', 0)}213億6,800万円を限度とする円借款"
            f"（{payload('press.title', 1)}）の書簡の交換が行われました。")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile('"><img src=x onerror=alert(1)>.txt', text.encode())
    response = admin_client.post("/review/", {"text": "", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    sub_url = response["Location"]
    for url in ("/review/", sub_url):
        html = admin_client.get(url, {"lang": "en"}).content.decode()
        assert_inert(html, url)
    html = admin_client.get(sub_url).content.decode()
    assert escaped("press.text", 0) in html or "&lt;script&gt;window.__pwned" in html
    from pledgewatch.press.models import Proposal

    for p in Proposal.objects.all():
        page = admin_client.get(f"/review/proposal/{p.pk}/").content.decode()
        assert_inert(page, f"proposal {p.pk}")


def test_admin_change_and_list_pages_escape_the_payloads(admin_client, hostile):
    from pledgewatch.ledger.models import Participant

    c, d, e, o, p = (hostile[k] for k in ("commitment", "document", "event", "org", "pillar"))
    values = hostile["values"]
    checks = {
        f"/admin/ledger/commitment/{c.pk}/change/": ["commitment.title_ja", "commitment.title_en",
                                                   "commitment.description_ru"],
        "/admin/ledger/commitment/": ["commitment.title_ja"],
        f"/admin/ledger/document/{d.pk}/change/": ["document.title_en"],
        f"/admin/ledger/event/{e.slug and e.pk}/change/": ["event.name_en", "event.description_ja"],
        f"/admin/ledger/organisation/{o.pk}/change/": ["org.name_ru", "org.description_en"],
        f"/admin/ledger/pillar/{p.pk}/change/": ["pillar.name_en"],
        f"/admin/ledger/initiative/{hostile['initiative'].pk}/change/": ["initiative.summary_ja"],
        "/admin/ledger/source/": [],
        f"/admin/ledger/source/{hostile['source'].pk}/change/": [],
        f"/admin/ledger/commitment/{c.pk}/history/": [],
    }
    assert Participant.objects.filter(event=e).exists()
    for url, tags in checks.items():
        response = admin_client.get(url)
        if response.status_code == 404 and not tags:
            continue  # that model has no admin page
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
        for tag in tags:
            assert str(escape(values[tag])) in html, (url, tag)
