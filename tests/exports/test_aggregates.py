"""Cached progress: equal to progress(), computed once per ledger version, invalidated by every write."""

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledgewatch.ledger.models import Commitment, Country
from pledgewatch.totals.models import AggregateCache
from pledgewatch.totals.progress import cached_progress, progress
from pledgewatch.totals.version import bump_version, cached_aggregate, clear_memo, current_version, deferred_bumps


def test_cached_progress_equals_progress(seeded):
    clear_memo()
    cached = cached_progress(seeded)
    assert cached.pop("recomputing") is None  # current figures, not the last ones while a rebuild runs
    assert json.dumps(cached, sort_keys=True) == json.dumps(progress(seeded), sort_keys=True)
    assert isinstance(cached["rates"], tuple)  # shared, not copied
    cached["breakdowns"]["pillar"].clear()  # the rest is a copy: changing it changes no other caller
    assert cached_progress(seeded)["breakdowns"]["pillar"]
    assert cached["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert AggregateCache.objects.exclude(key__startswith="stamp:").count() == 1  # not the page stamps


def test_a_cache_hit_costs_one_query(seeded):
    clear_memo()
    cached_progress(seeded)
    with CaptureQueriesContext(connection) as queries:
        cached_progress(seeded)
    assert len(queries) == 1  # the ledger version
    clear_memo()  # another process: one more read of the stored aggregate
    with CaptureQueriesContext(connection) as queries:
        cached_progress(seeded)
    assert len(queries) == 2


def test_writes_bump_the_version_and_refresh_the_figures(seeded):
    clear_memo()
    before = current_version()
    assert cached_progress(seeded)["counts"]["commitments"] == 6
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    loan.amount = Decimal("30000000000")
    loan.save()
    assert current_version() == before + 1
    assert cached_progress(seeded)["counted"]["amount"] == "30000000000"
    new = Commitment.objects.create(title_en="New grant", instrument="grant", qualifier="undisclosed",
                                    stage="signed")
    new.initiatives.add(seeded)  # m2m_changed
    assert current_version() == before + 3
    assert cached_progress(seeded)["counts"]["commitments"] == 7
    new.initiatives.remove(seeded)
    assert cached_progress(seeded)["counts"]["commitments"] == 6
    version = current_version()
    loan.recipients.get().delete()  # post_delete
    assert current_version() == version + 1
    countries = {row["key"] for row in cached_progress(seeded)["breakdowns"]["country"]}
    assert "unassigned" in countries


def test_unrelated_writes_and_deferred_bumps(seeded):
    version = current_version()
    Country.objects.filter(code="UZ").update(name_en="Uzbekistan")  # QuerySet.update sends no signal
    assert current_version() == version
    with deferred_bumps():
        for c in Commitment.objects.all():
            c.save()
        assert current_version() == version
    assert current_version() == version + 1
    bump_version()
    assert current_version() == version + 2


def test_language_is_part_of_the_key(seeded):
    from django.utils import translation

    clear_memo()
    with translation.override("en"):
        en = cached_progress(seeded)
    with translation.override("ja"):
        ja = cached_progress(seeded)
    assert en["breakdowns"]["pillar"][0]["label"] != ja["breakdowns"]["pillar"][0]["label"]
    assert AggregateCache.objects.exclude(key__startswith="stamp:").count() == 2


def test_cached_aggregate_for_any_figure(seeded):
    calls = []

    def compute():
        calls.append(1)
        return {"series": [1, 2, 3]}

    clear_memo()
    assert cached_aggregate("chart:test", compute) == {"series": [1, 2, 3]}
    assert cached_aggregate("chart:test", compute) == {"series": [1, 2, 3]}
    clear_memo()  # another process reads the stored figure
    assert cached_aggregate("chart:test", compute) == {"series": [1, 2, 3]}
    assert len(calls) == 1
    bump_version()
    cached_aggregate("chart:test", compute)
    assert len(calls) == 2
