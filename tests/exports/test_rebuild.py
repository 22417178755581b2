"""After a change of rates or rules, no web request rebuilds every outcome: readers get the last complete
figures marked as being recomputed while a background thread rebuilds, then figures equal to progress()."""

import json
import threading
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import translation

from pledgewatch.ledger.models import ExchangeRate
from pledgewatch.totals import outcomes
from pledgewatch.totals.progress import cached_progress, progress
from pledgewatch.totals.version import clear_memo


def plain(data: dict) -> str:
    return json.dumps({k: v for k, v in data.items() if k != "recomputing"}, sort_keys=True, default=list)


def test_readers_get_the_last_figures_marked_while_the_outcomes_are_rebuilt(transactional_db, countries, ledger):
    assert not connection.in_atomic_block  # as in a web request
    with translation.override("en"):
        before = cached_progress(ledger)
        assert before["recomputing"] is None
        assert plain(before) == plain(json.loads(json.dumps(progress(ledger))))
        assert before["pipeline"] == {"amount": "30703581809", "currency": "JPY", "qualifier": "exact"}

        # a stored rate for the USD commitment's day: conversions change, every outcome is stale
        ExchangeRate.objects.create(base="USD", quote="JPY", rate=Decimal("100"), date=date(2026, 3, 2),
                                    valid_to=date(2026, 3, 2), source="test table")
        assert not outcomes.is_current(ledger)
        clear_memo()
        during = cached_progress(ledger)
        assert during["pipeline"] == before["pipeline"]  # the last complete figures …
        assert during["recomputing"]["computed_at"]  # … marked, never presented as current
        assert "being recomputed" in during["recomputing"]["message"]

        join_rebuilds()
        assert outcomes.is_current(ledger)
        clear_memo()
        after = cached_progress(ledger)
        assert after["recomputing"] is None
        assert after["pipeline"] == {"amount": "19500000000", "currency": "JPY", "qualifier": "exact"}  # 195M USD × 100
        assert plain(after) == plain(json.loads(json.dumps(progress(ledger))))


def join_rebuilds() -> None:
    """Wait for the background rebuilds this process started (found by their thread names)."""
    for thread in threading.enumerate():
        if thread.name.startswith(outcomes.THREAD_PREFIX):
            thread.join(60)


def test_the_overview_and_the_api_show_the_mark(transactional_db, countries, ledger, client, monkeypatch):
    started = []
    monkeypatch.setattr(outcomes, "rebuild_in_background", lambda initiative, then: started.append(initiative))
    with translation.override("en"):
        cached_progress(ledger)
    ExchangeRate.objects.create(base="USD", quote="JPY", rate=Decimal("100"), date=date(2026, 3, 2),
                                valid_to=date(2026, 3, 2), source="test table")
    clear_memo()
    page = client.get("/?lang=en").content.decode()
    api = client.get("/api/v1/initiatives/ca-jad-tokyo-initiative/progress", HTTP_ACCEPT_LANGUAGE="en").json()
    assert 'id="recomputing"' in page and "being recomputed" in page
    assert api["recomputing"]["message"].startswith("These figures were computed on ")
    assert api["pipeline"]["amount"] == "30703581809"
    assert {i.pk for i in started} == {ledger.pk}  # each reader of stale figures asks for the rebuild
    outcomes.rebuild_if_stale(ledger)
    clear_memo()
    api = client.get("/api/v1/initiatives/ca-jad-tokyo-initiative/progress", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["recomputing"] is None
    assert api["pipeline"]["amount"] == "19500000000"


def test_inside_a_transaction_the_read_rebuilds(ledger):
    cached_progress(ledger)
    ExchangeRate.objects.create(base="USD", quote="JPY", rate=Decimal("100"), date=date(2026, 3, 2),
                                valid_to=date(2026, 3, 2), source="test table")
    clear_memo()
    data = cached_progress(ledger)
    assert data["recomputing"] is None
    assert data["pipeline"]["amount"] == "19500000000"
    assert outcomes.is_current(ledger)
