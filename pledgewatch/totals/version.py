"""The ledger version, what bumps it, and the figures cached per version.

The ledger version is a counter in the database (table `exports_ledgerversion`) that every write to the
ledger bumps inside the writing transaction (the model signals of pledgewatch.totals.signals call
`refresh_commitments(ids)`), after recomputing the stored counting outcome of the commitments it touched
(pledgewatch.totals.outcomes). A figure derived from the ledger
(progress, chart series, counts…) is computed at most once per version: `cached_aggregate()` keeps it in the
database (`exports_aggregatecache`, shared by every server process and machine) and in a small per-process
memo, so a read costs one primary-key query of the version when nothing changed.

Bulk writes that bypass signals (`bulk_create`, `QuerySet.update`, raw SQL) must call
`refresh_commitments(ids)` with the ids of the commitments they created, changed or deleted (or, when
those are not known, `bump_version()`, which makes the next read rebuild every outcome: a minute at 1M).
`deferred_bumps()` groups the bumps and refreshes of many saves into one (imports).

Each bump also records which pages it may change, for the page cache (pledgewatch/web/caching.py): the save of
one existing commitment's own row (`Commitment.save()`, as the admin does) stamps that commitment
(`stamp:commitment:<id>` in `exports_aggregatecache`, the new version), every other write stamps every page
(`stamp:pages`, the new version, and the commitment stamps are removed). A commitment's detail pages read its
own row and rows that only "every page" writes change (its links, stages, transactions, sources, history rows,
organisations, rates, rules), never another commitment's row, so they are keyed by `scope_version()` instead
of the version: another commitment's save leaves them cached.
"""

import hashlib
import json
import threading
import time
from contextlib import contextmanager
from decimal import Decimal

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from pledgewatch.totals import outcomes
from pledgewatch.totals.models import AggregateCache, LedgerVersion

MEMO_SIZE = 64
# Parts of progress() that grow with the ledger: returned as shared tuples instead of copied lists.
SHARED = ("rates", "unconvertible", "up_to")
SLOW_COUNT = 0.02  # seconds: counts slower than this are stored for every process

_state = threading.local()
_local_bumps = [0]  # bumps made by this process (see local_bumps)
_memo: dict[str, tuple[int, dict]] = {}
_memo_lock = threading.Lock()


def current_version() -> int:
    """Return the ledger version (0 before the first write)."""
    return LedgerVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


STAMP_PAGES = "stamp:pages"  # the version of the last write that may change any page
STAMP_COMMITMENT = "stamp:commitment:"  # + id: the version of the last save of that commitment's own row


def local_bumps() -> int:
    """Return a number that changes with every bump made by this process, at the bump and again at its commit:
    a reader in this process that memoises what it read of the version keys its memo by it
    (pledgewatch/web/caching.py), so this process's own writes show on its next request."""
    return _local_bumps[0]


def _count_local_bump() -> None:
    _local_bumps[0] += 1


def bump(commitment: int | None = None) -> None:
    """Add one to the ledger version (at the end of the block inside `deferring()`) and stamp what the write
    may change: the pages of `commitment` only (a save of its own row), or every page (None). Inside
    `deferring()` one bump at the end stamps every page."""
    if deferring():
        _state.pending = True
        return
    with transaction.atomic():  # the version row's lock orders concurrent bumps and their stamps
        if not LedgerVersion.objects.filter(pk=1).update(version=models.F("version") + 1,
                                                         changed_at=timezone.now()):
            LedgerVersion.objects.get_or_create(pk=1, defaults={"version": 1})
        version = LedgerVersion.objects.filter(pk=1).values_list("version", flat=True).first()
        if commitment is None:
            AggregateCache.objects.filter(key__startswith=STAMP_COMMITMENT).delete()
            key = STAMP_PAGES
        else:
            key = f"{STAMP_COMMITMENT}{commitment}"
        AggregateCache.objects.update_or_create(key=key, defaults={"version": version, "data": 0})
        _count_local_bump()
        transaction.on_commit(_count_local_bump)


def scope_version(version: int, pages: int | None, commitment: int | None) -> int:
    """Return the number a commitment's detail pages are keyed by, from the ledger version and the stamps
    STAMP_PAGES and STAMP_COMMITMENT + its id as read in one query (None where there is no row).

    It changes whenever one of these pages may change, and never comes back: a save of the commitment's row
    stamps it with the new version; any other write stamps every page with the new version and removes the
    commitment stamps, so a missing commitment stamp means no save since; a missing pages stamp (none written
    yet, or the rows were deleted) falls back to the version itself, which every write changes.
    """
    if commitment is not None:
        return commitment
    return pages if pages is not None else version


def deferring() -> bool:
    """Return whether bumps and refreshes wait for the end of a block of writes in this thread."""
    return getattr(_state, "deferred", 0) > 0


def bump_version() -> None:
    """Mark every cached aggregate and stored outcome as stale, after bulk writes of unknown commitments.

    Prefer `refresh_commitments(ids)` when the changed commitments are known: it keeps the stored outcomes.
    """
    outcomes.mark_stale()
    bump()


def refresh_commitments(ids, commitment: int | None = None) -> None:
    """Recompute the counting outcome of the commitments `ids` and bump the ledger version.

    Call it after writes that bypass the model signals (bulk_create, QuerySet.update, raw SQL) with the ids
    of every commitment created, changed or deleted, or whose recipients, focus areas or initiative links
    changed. Inside `deferred_bumps()` the ids are collected and refreshed once at the end of the block.
    `commitment` names the one commitment whose own row alone was saved (its pages alone are stamped).
    """
    if deferring():
        _pending_ids().update(ids)
        _state.pending = True
        return
    outcomes.refresh(ids)
    bump(commitment)


def _pending_ids() -> set:
    if getattr(_state, "ids", None) is None:
        _state.ids = set()
    return _state.ids


@contextmanager
def deferred_bumps():
    """Bump the version once at the end of a block of many writes instead of once per write."""
    _state.deferred = getattr(_state, "deferred", 0) + 1
    try:
        yield
    finally:
        _state.deferred -= 1
        if not _state.deferred and getattr(_state, "pending", False):
            _state.pending = False
            ids, _state.ids = _pending_ids(), None
            if ids:
                outcomes.refresh(ids)
            bump()


def _freeze(data):
    """Turn the lists that grow with the ledger (rates, unconvertible, up_to) into shared tuples."""
    if not isinstance(data, dict):
        return data
    return {k: tuple(v) if k in SHARED and isinstance(v, list) else v for k, v in data.items()}


def _copy(value):
    """Copy dicts and lists (callers may change them); tuples are shared, read-only, and not copied."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _remember(key: str, version: int, data):
    data = _freeze(data)
    with _memo_lock:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = (version, data)
    return data


def stored_copy(data):
    """Return a stored figure as callers get it: the growing lists as shared tuples, the rest copied."""
    return _copy(_freeze(data))


def cached_aggregate(key: str, compute, *, json_ready: bool = False, instead=None) -> dict | list:
    """Return `compute()` (JSON-ready), computed at most once per ledger version for `key`, in any process.

    For any figure derived from the ledger (progress, chart series…): the result is stored in
    `exports_aggregatecache` and memoised per process; a hit costs one primary-key query. Put the
    date and language in `key` when the figure depends on them. The lists named in SHARED come back as
    shared tuples (read them, don't change them); everything else is a fresh copy. `json_ready=True` says
    that `compute()` returns JSON types only (no JSON round trip needed). `instead()`, when given, is called
    before computing: a result other than None is returned as it is, neither stored nor remembered.
    """
    version = current_version()
    found = _stored(key, version)
    if found is not None:
        return found
    if instead is not None and (other := instead()) is not None:
        return other
    with _computing(key) as alone:  # one computation per key at a time in this process: pages that share a
        if not alone:  # figure (the overview, the API…) wait for it after a write instead of computing it too
            found = _stored(key, version)
            if found is not None:
                return found
        return _compute(key, version, compute, json_ready)


def _stored(key: str, version: int):
    """Return a copy of the figure `key` as memoised or stored at `version`, or None."""
    memo = _memo.get(key)
    if memo and memo[0] == version:
        return _copy(memo[1])
    row = AggregateCache.objects.filter(key=key).values_list("version", "data").first()
    if row and row[0] == version:
        return _copy(_remember(key, version, row[1]))
    return None


_locks: dict[str, threading.Lock] = {}
COMPUTE_WAIT = 30.0  # seconds a thread waits for another one computing the same figure before computing it too


@contextmanager
def _computing(key: str):
    """Hold the key's lock of this process; yield whether it was free (False: another thread held it first)."""
    with _memo_lock:
        if len(_locks) >= 4 * MEMO_SIZE:
            _locks.clear()  # only ever a second computation of a figure for a thread that raced this
        lock = _locks.setdefault(key, threading.Lock())
    alone = lock.acquire(blocking=False)
    held = alone or lock.acquire(timeout=COMPUTE_WAIT)
    try:
        yield alone
    finally:
        if held:
            lock.release()


def _compute(key: str, version: int, compute, json_ready: bool):
    started = time.perf_counter()
    data = compute()
    if not json_ready:  # make it the same types as read back from the table (tuples, Decimals…)
        data = json.loads(json.dumps(data))
    seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    try:
        with transaction.atomic():
            AggregateCache.objects.update_or_create(key=key, defaults={"version": version, "data": data,
                                                                        "seconds": seconds})
    except DatabaseError:  # a concurrent writer holds the row; the next request stores it
        pass
    return _copy(_remember(key, version, data))


def cached_count(queryset) -> int:
    """Return the number of rows of `queryset`, remembered per ledger version and query.

    A filtered list counts its matches for pagination on every page; at 1M commitments that count costs
    more than the page. Slow counts are stored in `exports_aggregatecache` (every process shares them);
    fast ones are only memoised in this process.
    """
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    key = "count:" + hashlib.sha256(repr((sql, params)).encode("utf-8")).hexdigest()[:40]
    version = current_version()
    memo = _memo.get(key)
    if memo and memo[0] == version:
        return memo[1]
    row = AggregateCache.objects.filter(key=key).values_list("version", "data").first()
    if row and row[0] == version:
        return _remember(key, version, row[1])
    started = time.perf_counter()
    number = queryset.order_by().values("pk").count()
    seconds = time.perf_counter() - started
    if seconds >= SLOW_COUNT:
        try:
            with transaction.atomic():
                AggregateCache.objects.update_or_create(key=key, defaults={
                    "version": version, "data": number, "seconds": Decimal(f"{seconds:.3f}")})
        except DatabaseError:  # a concurrent writer holds the row
            pass
    return _remember(key, version, number)


def clear_memo() -> None:
    """Forget the per-process memo (tests)."""
    with _memo_lock:
        _memo.clear()
