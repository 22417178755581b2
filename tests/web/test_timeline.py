"""pledgewatch.ledger.timeline: the progress series and the chronology."""

from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.ledger import timeline

START, TODAY, END = date(2025, 12, 20), date(2026, 11, 28), date(2030, 12, 20)


def test_cumulative_adds_counted_money_by_date():
    days = [{"date": "2025-12-20", "amount": "6"}, {"date": "2026-01-05", "amount": "50.6"},
            {"date": "2026-03-01", "amount": "110"},
            {"date": "2027-01-01", "amount": "7"}]  # after today: not yet
    assert timeline.cumulative(days, START, TODAY) == [
        {"date": "2025-12-20", "amount": "0"}, {"date": "2025-12-20", "amount": "6"},
        {"date": "2026-01-05", "amount": "57"}, {"date": "2026-03-01", "amount": "167"},
        {"date": "2026-11-28", "amount": "167"}]


def test_cumulative_before_the_horizon_is_one_point():
    assert timeline.cumulative([], START, START) == [{"date": "2025-12-20", "amount": "0"}]


def test_linear_path_and_projection():
    assert timeline.linear_path(START, END, Decimal("3000000000000")) == [
        {"date": "2025-12-20", "amount": "0"}, {"date": "2030-12-20", "amount": "3000000000000"}]
    assert timeline.linear_path(START, END, None) == []
    pace = {"today": "2026-11-28", "horizon_end": "2030-12-20", "projected_at_end": "113760000000",
            "status": "behind"}
    assert timeline.projection(pace, Decimal("21368000000")) == [
        {"date": "2026-11-28", "amount": "21368000000"}, {"date": "2030-12-20", "amount": "113760000000"}]
    assert timeline.projection(pace | {"status": "not_started"}, Decimal(0)) == []
    assert timeline.projection(pace | {"projected_at_end": None}, Decimal(0)) == []


@pytest.mark.django_db
def test_entries_in_date_order(seeded):
    rows = timeline.entries(seeded)
    assert [(r["date"], r["kind"], r["subkind"]) for r in rows[:3]] == [
        ("2025-12-19", "event", "dinner"), ("2025-12-20", "event", "summit"), ("2025-12-20", "document", "declaration")]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    everything = timeline.entries()  # also the source article, a document not linked to the initiative
    assert len(everything) == len(rows) + 1 and next(r for r in everything if r not in rows)["subkind"] == "article"
