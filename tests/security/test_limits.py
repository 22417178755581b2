"""accounts/limits.py, the one rate limiter: a rate limit (the newsletter's forms) and a lock-out (failed logins)
counted by the same code on database rows, and the newsletter migration that folds its old rows into counters."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pledgewatch.accounts import limits
from pledgewatch.accounts.models import LoginThrottle
from pledgewatch.newsletter.models import RateHit

T0 = timezone.now().replace(microsecond=0)


def at(seconds: int):
    return T0 + timedelta(seconds=seconds)


def test_a_rate_limit_refuses_over_the_limit_without_counting_and_reopens_after_the_window(db):
    key = {"key": "signup:ip:192.0.2.1"}
    decisions = [limits.hit(RateHit, key, window=60, allowed=2, now=at(s)) for s in (0, 10, 20, 59)]
    assert [(d.allowed, d.count, d.locked_until) for d in decisions] == [
        (True, 1, None), (True, 2, None), (False, 2, None), (False, 2, None)]
    row = RateHit.objects.get(**key)
    assert (row.hits, row.first_at, row.last_at) == (2, at(0), at(10))
    assert limits.hit(RateHit, key, window=60, allowed=2, now=at(60)) == limits.Decision(True, 1)
    row.refresh_from_db()
    assert (row.hits, row.first_at, row.last_at) == (1, at(60), at(60))


def test_hit_all_counts_every_key_or_none(db):
    ip, email = {"key": "resend:ip:192.0.2.1"}, {"key": "resend:email:x@example.org"}
    limits.hit(RateHit, email, window=60, allowed=1, now=at(0))
    refused = limits.hit_all(RateHit, [(ip, 60, 5), (email, 60, 1)], now=at(1))
    assert refused == limits.Decision(False, 1)
    assert dict(RateHit.objects.values_list("key", "hits")) == {ip["key"]: 0, email["key"]: 1}
    assert limits.hit_all(RateHit, [(ip, 60, 5), (email, 60, 2)], now=at(2)) == limits.Decision(True, 2)
    assert dict(RateHit.objects.values_list("key", "hits")) == {ip["key"]: 1, email["key"]: 2}


def test_a_lock_out_counts_every_event_locks_at_the_limit_and_holds_its_window(db):
    key = {"username": "aiko", "ip": "198.51.100.7"}
    first = [limits.hit(LoginThrottle, key, window=600, allowed=3, lock=True, now=at(s)) for s in (0, 5, 9)]
    assert [(d.allowed, d.count, d.locked_until) for d in first] == [
        (True, 1, None), (True, 2, None), (False, 3, at(609))]
    assert limits.lock_end(LoginThrottle, key, now=at(608)) == at(609)
    # a failure while locked counts but does not move the lock's end; the window does not reopen while locked
    assert limits.hit(LoginThrottle, key, window=600, allowed=3, lock=True, now=at(605)) == limits.Decision(
        False, 4, at(609))
    assert limits.lock_end(LoginThrottle, key, now=at(609)) is None
    assert limits.hit(LoginThrottle, key, window=600, allowed=3, lock=True, now=at(700)) == limits.Decision(True, 1)
    row = LoginThrottle.objects.get()
    assert (row.failures, row.first_failure_at, row.last_failure_at, row.locked_until) == (1, at(700), at(700), None)


def test_forget_drops_old_windows_but_keeps_live_locks(db):
    limits.hit(RateHit, {"key": "old"}, window=60, allowed=5, now=at(0))
    limits.hit(RateHit, {"key": "new"}, window=60, allowed=5, now=at(100))
    for s in (0, 1):
        limits.hit(LoginThrottle, {"username": "ken", "ip": "192.0.2.9"}, window=600, allowed=2, lock=True, now=at(s))
    assert limits.forget(RateHit, 60, now=at(120)) == 1
    assert list(RateHit.objects.values_list("key", flat=True)) == ["new"]
    assert limits.forget(LoginThrottle, 60, now=at(120)) == 0  # locked until at(601)
    assert limits.forget(LoginThrottle, 60, now=at(601)) == 1


def stored(value) -> datetime:
    """Return a datetime read by raw SQL as an aware datetime (SQLite answers an aggregate with text in UTC)."""
    value = parse_datetime(value) if isinstance(value, str) else value
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_the_migration_folds_each_keys_uses_into_one_counter_and_back(transactional_db):
    latest = [n for n in MigrationExecutor(connection).loader.graph.leaf_nodes() if n[0] == "newsletter"]
    migrate([("newsletter", "0002_claim_order_index")])
    try:
        with connection.cursor() as cursor:
            for key, seconds in [("signup:ip:192.0.2.1", 0), ("signup:ip:192.0.2.1", 30),
                                 ("signup:ip:192.0.2.1", 50), ("signup:email:x@example.org", 40)]:
                cursor.execute("INSERT INTO newsletter_ratehit (key, at) VALUES (%s, %s)", [key, at(seconds)])
        migrate(latest)
        rows = {r.key: (r.hits, r.first_at, r.last_at) for r in RateHit.objects.all()}
        assert rows == {"signup:ip:192.0.2.1": (3, at(0), at(50)), "signup:email:x@example.org": (1, at(40), at(40))}
        # the same limit holds across the migration: a third use of 3 is spent, so the next one is refused
        assert not limits.hit(RateHit, {"key": "signup:ip:192.0.2.1"}, window=3600, allowed=3, now=at(60)).allowed
        migrate([("newsletter", "0002_claim_order_index")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT key, COUNT(*), MAX(at) FROM newsletter_ratehit GROUP BY key ORDER BY key")
            back = [(k, n, stored(m)) for k, n, m in cursor.fetchall()]
        assert back == [("signup:email:x@example.org", 1, at(40)), ("signup:ip:192.0.2.1", 3, at(50))]
    finally:
        migrate(latest)
