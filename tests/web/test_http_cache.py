"""HTTP caching of the public GETs (pledgewatch/web/caching.py): validators, 304 without the view, the page
cache keyed to the ledger version, Cache-Control, and no page of one member or language served to another."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date

from pledgewatch.ledger.models import Commitment
from pledgewatch.totals import outcomes
from pledgewatch.totals.models import LedgerVersion, OutcomeState

pytestmark = pytest.mark.django_db
PUBLIC = "public, max-age=1, stale-while-revalidate=5"
PROGRESS = "/api/v1/initiatives/ca-jad-tokyo-initiative/progress"


def settle():
    """Move the ledger's last change and rebuild two seconds into the past (a Last-Modified is sent once its
    second is over)."""
    past = timezone.now() - timedelta(seconds=2)
    LedgerVersion.objects.filter(pk=1).update(changed_at=past)
    OutcomeState.objects.update(built_at=past)


@pytest.fixture
def seeded(seeded):
    """The seed with its counting outcomes built (a first read would build them, and so change the validators)."""
    outcomes.ensure_built(seeded)
    return seeded


def test_public_page_carries_validators_and_cache_control(client, seeded):
    settle()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    changed = LedgerVersion.objects.get(pk=1).changed_at
    assert response["Last-Modified"] == http_date(int(changed.timestamp()))
    assert response["Cache-Control"] == PUBLIC
    assert {v.strip() for v in response["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    for url in ("/commitments/", "/commitments.json", PROGRESS, "/api/v1/commitments", "/feeds/commitments.atom",
                "/exports/commitments.csv", "/rules/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response["Cache-Control"]) == (200, PUBLIC), url
        assert response.has_header("ETag") and response.has_header("Last-Modified"), url


def test_if_none_match_is_answered_304_without_calling_the_view(client, seeded, calls):
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert calls["overview"] == 1
    cache.clear()  # not even the page cache: the 304 comes from the version alone
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"], again["Cache-Control"]) == (
        304, b"", first["ETag"], PUBLIC)
    assert calls["overview"] == 1
    other = client.get("/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH='"0123"')
    assert other.status_code == 200 and calls["overview"] == 2


def test_if_modified_since_is_answered_304_until_the_ledger_changes(client, seeded, calls):
    settle()
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    since = first["Last-Modified"]
    cache.clear()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    assert calls["overview"] == 1
    c = Commitment.objects.get(amount__isnull=False)
    c.amount += 1
    c.save()  # within this second: no Last-Modified is final yet, so If-Modified-Since cannot match
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and not response.has_header("Last-Modified")
    assert calls["overview"] == 2


def test_page_cache_serves_the_stored_page_until_a_write(client, seeded, calls):
    first = client.get("/?lang=en")
    second = client.get("/?lang=en")
    assert calls["overview"] == 1
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert '<dd id="fig-counted">about ¥21.37 billion</dd>' in second.content.decode()
    c = Commitment.objects.get(amount__isnull=False)
    c.amount = c.amount * 2
    c.save()
    third = client.get("/?lang=en")
    assert calls["overview"] == 2 and third["ETag"] != first["ETag"]
    assert '<dd id="fig-counted">about ¥42.74 billion</dd>' in third.content.decode()


def test_progress_api_304_and_page_cache(client, seeded):
    first = client.get(PROGRESS)
    assert client.get(PROGRESS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(PROGRESS).json() == first.json()
    assert client.get(PROGRESS + "?page=1")["ETag"] != first["ETag"]  # the full query is in the key


def test_languages_never_share_a_page_or_an_etag(client, seeded, calls):
    ja = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ja">' in ja.content.decode() and '<html lang="en">' in en.content.decode()
    assert ja["ETag"] != en["ETag"] and calls["overview"] == 2
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=ja["ETag"])
    assert again.status_code == 200 and again.content == en.content  # the stored English page
    client.cookies["pledgewatch_language"] = "ru"
    ru = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru">' in ru.content.decode() and ru["ETag"] not in (ja["ETag"], en["ETag"])
    assert calls["overview"] == 3


def test_lang_parameter_sets_a_cookie_so_the_page_is_private(client, seeded):
    response = client.get("/?lang=en")
    assert response.cookies["pledgewatch_language"].value == "en"
    assert response["Cache-Control"] == "private, max-age=1, stale-while-revalidate=5"
    assert client.get("/?lang=en")["Cache-Control"] == PUBLIC  # the cookie is there now: nothing set


def test_a_members_page_is_never_stored_nor_served_to_another(client, admin_client, seeded, calls):
    pk = Commitment.objects.get(amount__isnull=False).pk
    anonymous = client.get(f"/commitments/{pk}/")
    staff = admin_client.get(f"/commitments/{pk}/")
    assert calls["staff"] == [False, True]  # the staff page was rendered for staff, not taken from the cache
    assert staff["Cache-Control"] == "private, no-store" and not staff.has_header("ETag")
    assert anonymous["Cache-Control"] == PUBLIC
    again = client.get(f"/commitments/{pk}/")
    assert calls["staff"] == [False, True] and again.content == anonymous.content
    admin_client.get(f"/commitments/{pk}/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert calls["staff"] == [False, True, True]  # no 304 for a session either


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/", "/review/", "/newsletter/", "/newsletter/not-receiving/"])
def test_private_pages_are_no_store(client, admin_client, seeded, url):
    for who in (client, admin_client):
        response = who.get(url)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"], (url, response)
        assert not response.has_header("ETag")


def test_a_response_that_sets_a_csrf_cookie_is_private(client, seeded):
    response = client.get("/admin/login/")
    assert "csrftoken" in response.cookies
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_export_validators_without_streaming(client, seeded):
    first = client.get("/exports/commitments.csv?country=UZ&lang=en")
    body = b"".join(first.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") or body
    again = client.get("/exports/commitments.csv?country=UZ&lang=en", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.has_header("Content-Disposition")
    assert client.get("/exports/commitments.csv?country=KG&lang=en")["ETag"] != first["ETag"]


def test_feed_304(client, seeded):
    first = client.get("/feeds/commitments.atom?lang=en")
    assert first.status_code == 200
    assert client.get("/feeds/commitments.atom?lang=en", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_unknown_address_is_private_and_conditional_headers_do_not_matter(client, seeded):
    response = client.get("/no/such/page/", HTTP_IF_NONE_MATCH='"x"', HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert (response.status_code, response["Cache-Control"]) == (404, "private, no-store")


def test_not_found_is_not_stored(client, seeded):
    response = client.get("/commitments/999999.json")
    assert (response.status_code, response["Cache-Control"]) == (404, "no-cache")
    assert not response.has_header("ETag")


def test_source_edit_changes_the_version(seeded):
    from pledgewatch.ledger.models import Source

    before = LedgerVersion.objects.get(pk=1).version
    source = Source.objects.first()
    source.quote = source.quote + " "
    source.save()
    assert LedgerVersion.objects.get(pk=1).version == before + 1
