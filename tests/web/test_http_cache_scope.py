"""What one write re-renders (pledgewatch/web/caching.py, totals/version.py): a save of one commitment's row
leaves the other commitments' detail pages cached while every page that may show it changes; any other write
changes every page. And one render per page and version in a process while other threads wait for it."""

import threading
from decimal import Decimal
from itertools import pairwise

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from pledgewatch.ledger.models import Commitment, CommitmentCountry, Organisation, StageChange
from pledgewatch.totals import outcomes
from pledgewatch.totals import version as aggregates
from pledgewatch.totals.models import AggregateCache, LedgerVersion
from pledgewatch.web import caching

pytestmark = pytest.mark.django_db
PROGRESS = "/api/v1/initiatives/ca-jad-tokyo-initiative/progress"


@pytest.fixture
def seeded(seeded):
    outcomes.ensure_built(seeded)
    return seeded


def amount(client, pk: int) -> str:
    return client.get(f"/commitments/{pk}.json").json()["commitment"]["money"]["amount"]


def pair() -> tuple[Commitment, Commitment]:
    """Return the seed's commitment with an amount and another one."""
    first = Commitment.objects.filter(amount__isnull=False).order_by("pk").first()
    return first, Commitment.objects.exclude(pk=first.pk).order_by("pk").first()


def test_a_save_of_one_commitment_keeps_the_others_detail_pages(client, seeded, calls):
    a, b = pair()
    page_a, page_b = client.get(f"/commitments/{a.pk}/"), client.get(f"/commitments/{b.pk}/")
    api_a = client.get(f"/api/v1/commitments/{a.pk}")
    client.get("/")
    assert calls["commitment"] == [a.pk, b.pk] and calls["overview"] == 1
    version = LedgerVersion.objects.get(pk=1).version
    b.amount, b.currency, b.qualifier = Decimal("777000000"), "JPY", "exact"
    b.save()  # as the admin does: one commitment's own row
    assert LedgerVersion.objects.get(pk=1).version == version + 1
    again_a = client.get(f"/commitments/{a.pk}/")
    assert again_a.content == page_a.content and again_a["ETag"] == page_a["ETag"]
    assert client.get(f"/api/v1/commitments/{a.pk}")["ETag"] == api_a["ETag"]
    assert client.get(f"/commitments/{a.pk}/", HTTP_IF_NONE_MATCH=page_a["ETag"]).status_code == 304
    assert calls["commitment"] == [a.pk, b.pk]  # a's page was not rendered again
    new_b = client.get(f"/commitments/{b.pk}/")
    assert new_b["ETag"] != page_b["ETag"] and calls["commitment"] == [a.pk, b.pk, b.pk]
    assert amount(client, b.pk) == "777000000"
    assert client.get(f"/api/v1/commitments/{b.pk}").json()["amount"]["amount"] == "777000000"
    client.get("/")
    assert calls["overview"] == 2  # every other page follows the version


@pytest.mark.parametrize("write", ["stage", "country", "provider", "focus", "other-created", "other-deleted",
                                   "refresh"])
def test_every_other_write_changes_every_detail_page(client, seeded, calls, write):
    a, b = pair()
    first = client.get(f"/commitments/{a.pk}.json")
    if write == "stage":  # a's stage history: a row of another model
        StageChange.objects.create(commitment=a, stage="committed", date="2026-01-05", note="x")
    elif write == "country":
        CommitmentCountry.objects.filter(commitment=a).update(share=None)
        aggregates.refresh_commitments([a.pk])  # a bulk write names what it changed
    elif write == "provider":  # an organisation a page names
        org = Organisation.objects.get(pk=a.provider_id)
        org.name_ja = org.name_en = "Renamed provider"
        org.save()
    elif write == "focus":
        a.focus_areas.clear()
    elif write == "other-created":
        Commitment.objects.create(title_en="New", instrument="grant", amount=1, currency="JPY")
    elif write == "other-deleted":
        b.delete()
    else:
        aggregates.bump_version()
    second = client.get(f"/commitments/{a.pk}.json")
    assert second["ETag"] != first["ETag"] and calls["commitment"] == [a.pk, a.pk]
    if write == "stage":
        assert second.json()["stage_history"][-1]["note"] == "x"
    if write == "provider":
        assert second.json()["commitment"]["provider"]["name"] == "Renamed provider"


def test_a_detail_page_never_repeats_a_key_after_stamps_are_lost(client, seeded, calls):
    """The stamps live in exports_aggregatecache; without them a detail page follows the version."""
    a, b = pair()
    client.get(f"/commitments/{a.pk}.json")
    b.title_en += " (changed)"
    b.save()
    AggregateCache.objects.filter(key__startswith="stamp:").delete()
    assert client.get(f"/commitments/{a.pk}.json").status_code == 200
    assert calls["commitment"] == [a.pk, a.pk]
    a.amount = Decimal("123000000")
    a.save()
    assert amount(client, a.pk) == "123000000"
    b.title_en += " (again)"
    b.save()  # a's stamp is newer than any version a's page was keyed by before
    assert amount(client, a.pk) == "123000000" and calls["commitment"] == [a.pk, a.pk, a.pk]


def test_a_save_after_another_write_is_stamped_newer(seeded):
    a, _b = pair()
    a.amount += 1
    a.save()
    stamps = dict(AggregateCache.objects.filter(key__startswith="stamp:").values_list("key", "version"))
    version = LedgerVersion.objects.get(pk=1).version
    assert stamps[f"stamp:commitment:{a.pk}"] == version and stamps["stamp:pages"] < version
    Organisation.objects.filter(pk=a.provider_id).first().save()
    stamps = dict(AggregateCache.objects.filter(key__startswith="stamp:").values_list("key", "version"))
    assert stamps == {"stamp:pages": version + 1}  # the commitment stamps are gone: every page changed


def test_one_render_per_page_while_other_threads_wait(seeded, monkeypatch):
    """Eight threads ask for the same page at once: one renders, seven get the page it stored."""
    from django.core.cache import cache

    monkeypatch.setattr(caching, "ledger_state", lambda commitment=None: (41, 1_700_000_000, None))
    rendered, arrived = [], threading.Barrier(8)
    release = threading.Event()

    def view(request):
        rendered.append(threading.get_ident())
        release.wait(10)
        return HttpResponse("figures of version 41")

    middleware = caching.HttpCacheMiddleware(view)
    out: list = []

    def ask():
        request = RequestFactory().get("/commitments/?country=UZ")
        arrived.wait(10)
        out.append(middleware(request))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    while not rendered:
        threading.Event().wait(0.01)
    threading.Event().wait(0.2)  # the other seven are waiting on the flight by now
    release.set()
    for t in threads:
        t.join(20)
    assert len(rendered) == 1 and len(out) == 8
    assert {r.content for r in out} == {b"figures of version 41"}
    assert len({r["ETag"] for r in out}) == 1 and not caching._flights
    cache.clear()


def test_waiters_render_themselves_when_nothing_was_stored(seeded, monkeypatch):
    """A page that is not stored (here a 404) is rendered by each request: no one waits for nothing."""
    monkeypatch.setattr(caching, "ledger_state", lambda commitment=None: (42, 1_700_000_000, None))
    monkeypatch.setattr(caching, "FLIGHT_WAIT", 5.0)
    rendered, arrived = [], threading.Barrier(3)

    def view(request):
        rendered.append(1)
        threading.Event().wait(0.1)
        return HttpResponse("not here", status=404)

    middleware = caching.HttpCacheMiddleware(view)
    out: list = []

    def ask():
        request = RequestFactory().get("/commitments/?country=XX")
        arrived.wait(10)
        out.append(middleware(request).status_code)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert out == [404, 404, 404] and len(rendered) == 3 and not caching._flights


def test_history_diffs_match_simple_history_in_two_queries(seeded, django_assert_max_num_queries):
    """history_of() (the detail page's change list) compares the records itself: the same fields as
    simple_history's diff_against, without two queries per record and many-to-many field."""
    from pledgewatch.ledger.models import FocusArea
    from pledgewatch.web.pages.common import history_of

    a, _b = pair()
    focus = FocusArea.objects.first()
    for step in range(12):
        if step % 4 == 0:
            a.amount += 1
        elif step % 4 == 1:
            a.focus_areas.add(focus)
        elif step % 4 == 2:
            a.title_en, a.stage = f"{a.title_en}.", "committed" if a.stage != "committed" else "signed"
        else:
            a.focus_areas.remove(focus)
        a.save()  # a history record per step; the many-to-many change shows in the next one
    records = list(a.history.all().order_by("-history_date", "-history_id")[:50])
    expected = [[str(Commitment._meta.get_field(c.field).verbose_name) for c in r.diff_against(p).changes]
                if r.history_type == "~" else [] for r, p in pairwise(records)] + [[]]
    with django_assert_max_num_queries(3):
        got = [entry["fields"] for entry in history_of(a)]
    assert got == expected
    assert ["重点分野"] in got and ["段階", "表題(英語)"] in got and ["金額"] in got  # focus areas; stage; amount
