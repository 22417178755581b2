"""Pre-computed aggregates: an initiative's progress, cached and invalidated on every write to the ledger.

`progress()` reads every candidate commitment and applies the counting rules in Python: exact, but
seconds of work at 100k+ commitments. `cached_progress()` returns the same dict from a cache keyed by
initiative, date, language and the *ledger version*, a counter in the database (table
`exports_ledgerversion`) that post_save, post_delete and m2m_changed signals on ledger models bump
inside the writing transaction. The computed dict is kept in the database (`exports_aggregatecache`,
shared by every server process and machine) and in a small per-process memo, so a request costs one
primary-key read of the version when nothing changed.

The progress itself is not recomputed from every commitment: `progress_from_outcomes()` assembles it from
each commitment's stored counting outcome and running totals (pledgewatch.exports.outcomes), which the
same signals keep current by recomputing only the commitments that changed (`refresh_commitments(ids)`).

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

import json
import threading
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

# Ledger models whose changes cannot change a progress figure (provenance, review queue).
UNRELATED = {"Source", "SourceText", "DuplicateCandidate"}
MEMO_SIZE = 64
# Parts of progress() that grow with the ledger: returned as shared tuples instead of copied lists.
SHARED = ("rates", "unconvertible", "up_to")

_state = threading.local()
_memo: dict[str, tuple[int, dict]] = {}
_memo_lock = threading.Lock()


def current_version() -> int:
    """Return the ledger version (0 before the first write)."""
    from pledgewatch.exports.models import LedgerVersion

    return LedgerVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def bump_version() -> None:
    """Mark every cached aggregate and stored outcome as stale, after bulk writes of unknown commitments.

    Prefer `refresh_commitments(ids)` when the changed commitments are known: it keeps the stored outcomes.
    """
    from pledgewatch.exports import outcomes

    outcomes.mark_stale()
    _bump()


STAMP_PAGES = "stamp:pages"  # the version of the last write that may change any page
STAMP_COMMITMENT = "stamp:commitment:"  # + id: the version of the last save of that commitment's own row


def refresh_commitments(ids) -> None:
    """Recompute the counting outcome of the commitments `ids` and bump the ledger version.

    Call it after writes that bypass the model signals (bulk_create, QuerySet.update, raw SQL) with the ids
    of every commitment created, changed or deleted, or whose recipients, focus areas or initiative links
    changed. Inside `deferred_bumps()` the ids are collected and refreshed once at the end of the block.
    """
    _refresh(ids)


def _refresh(ids, commitment: int | None = None) -> None:
    """refresh_commitments(ids); `commitment` names the one commitment whose own row alone was saved."""
    if getattr(_state, "deferred", 0):
        _pending_ids().update(ids)
        _state.pending = True
        return
    from pledgewatch.exports import outcomes

    outcomes.refresh(ids)
    _bump(commitment)


def _pending_ids() -> set:
    if getattr(_state, "ids", None) is None:
        _state.ids = set()
    return _state.ids


def _bump(commitment: int | None = None) -> None:
    """Bump the version and stamp what the write may change: the pages of `commitment` only (a save of its own
    row), or every page (None). Inside deferred_bumps() one bump at the end stamps every page."""
    if getattr(_state, "deferred", 0):
        _state.pending = True
        return
    from pledgewatch.exports.models import AggregateCache, LedgerVersion

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
                from pledgewatch.exports import outcomes

                outcomes.refresh(ids)
            _bump()


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    action = kwargs.get("action")
    if action is not None and action not in {"post_add", "post_remove", "post_clear"}:
        return
    ids = _touched(sender, kwargs)
    if ids is STALE:
        from pledgewatch.exports import outcomes

        outcomes.mark_stale()
    elif ids:
        from pledgewatch.ledger.models import Commitment

        own_row = sender is Commitment and kwargs.get("created") is False  # a save of an existing row
        _refresh(ids, kwargs["instance"].pk if own_row else None)
        return  # _refresh bumps the version
    _bump()


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


STALE = object()


def _touched(sender, kwargs):
    """Return the ids of the commitments whose counting outcome a write may change, or STALE when unknown."""
    from pledgewatch.ledger.models import Commitment, CommitmentCountry, ExchangeRate, FocusArea, Pillar

    instance = kwargs.get("instance")
    if sender is Commitment:
        return {instance.pk}
    if sender is CommitmentCountry:
        return {instance.commitment_id}
    if sender in (Commitment.initiatives.through, Commitment.focus_areas.through):
        if not kwargs.get("reverse"):
            return {instance.pk}
        return STALE if kwargs.get("pk_set") is None else set(kwargs["pk_set"])
    if sender is ExchangeRate or (sender in (Pillar, FocusArea) and "created" not in kwargs):
        return STALE  # rates change conversions; a deleted pillar or focus area unlinks commitments in SQL
    return None


def _watched(model) -> bool:
    return model._meta.app_label == "ledger" and not model.__name__.startswith("Historical") and (
        model.__name__ not in UNRELATED)


def _on_m2m(sender, **kwargs) -> None:
    if sender._meta.app_label == "ledger":
        _on_write(sender, **kwargs)


def connect_signals() -> None:
    """Connect the invalidation signals (called from the exports app's AppConfig.ready())."""
    from django.apps import apps

    for model in apps.get_app_config("ledger").get_models():
        if _watched(model):
            post_save.connect(_on_write, sender=model, dispatch_uid=f"aggregates-save-{model.__name__}")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"aggregates-delete-{model.__name__}")
    m2m_changed.connect(_on_m2m, dispatch_uid="aggregates-m2m")


def _key(initiative, today: date) -> str:
    return f"progress:{initiative.pk}:{today.isoformat()}:{(get_language() or 'ja')[:2]}"


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


def cached_aggregate(key: str, compute, *, json_ready: bool = False, instead=None) -> dict | list:
    """Return `compute()` (JSON-ready), computed at most once per ledger version for `key`, in any process.

    For any figure derived from the ledger (progress, chart series…): the result is stored in
    `exports_aggregatecache` and memoised per process; a hit costs one primary-key query. Put the
    date and language in `key` when the figure depends on them. The lists named in SHARED come back as
    shared tuples (read them, don't change them); everything else is a fresh copy. `json_ready=True` says
    that `compute()` returns JSON types only (no JSON round trip needed). `instead()`, when given, is called
    before computing: a result other than None is returned as it is, neither stored nor remembered.
    """
    from pledgewatch.exports.models import AggregateCache

    version = current_version()
    memo = _memo.get(key)
    if memo and memo[0] == version:
        return _copy(memo[1])
    row = AggregateCache.objects.filter(key=key).values_list("version", "data").first()
    if row and row[0] == version:
        return _copy(_remember(key, version, row[1]))
    if instead is not None and (other := instead()) is not None:
        return other
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


SLOW_COUNT = 0.02  # seconds: counts slower than this are stored for every process


def cached_count(queryset) -> int:
    """Return the number of rows of `queryset`, remembered per ledger version and query.

    A filtered list counts its matches for pagination on every page; at 1M commitments that count costs
    more than the page. Slow counts are stored in `exports_aggregatecache` (every process shares them);
    fast ones are only memoised in this process.
    """
    import hashlib

    from pledgewatch.exports.models import AggregateCache

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


def cached_progress(initiative, today: date | None = None) -> dict:
    """Return `progress(initiative, today)`, computed at most once per ledger version, date and language.

    The dict is a fresh copy except `rates`, `unconvertible` and `up_to`, which are shared tuples (their
    size grows with the ledger; copying them cost more than the rest of a page): read them, don't change them.
    `recomputing` is None, or, while the stored outcomes are rebuilt after a change of rates or rules (minutes
    at 1M commitments), the note of `outcomes.recomputing_note()`: the figures are then the last complete
    ones of this initiative and language, and a background thread rebuilds (outside transactions only).
    """
    from django.db import connection

    from pledgewatch.exports import outcomes
    from pledgewatch.exports.models import AggregateCache
    from pledgewatch.ledger.progress import progress_from_outcomes, today_for_progress

    today = today or today_for_progress()
    key = _key(initiative, today)

    def last_complete() -> dict | None:
        if connection.in_atomic_block or outcomes.is_current(initiative):
            return None
        language = key.rsplit(":", 1)[1]
        previous = AggregateCache.objects.filter(key__startswith=f"progress:{initiative.pk}:",
                                                 key__endswith=f":{language}").order_by(
            "-computed_at").values_list("data", "computed_at").first()
        if previous is None:
            return None
        outcomes.rebuild_in_background(initiative)
        return dict(_copy(_freeze(previous[0])), recomputing=outcomes.recomputing_note(previous[1]))

    data = cached_aggregate(key, lambda: progress_from_outcomes(initiative, today), json_ready=True,
                            instead=last_complete)
    data.setdefault("recomputing", None)
    return data


def clear_memo() -> None:
    """Forget the per-process memo (tests)."""
    with _memo_lock:
        _memo.clear()


def refresh_progress(today: date | None = None, languages=("ja", "en", "ru")) -> int:
    """Compute and store the progress of every initiative in every language now (after a bulk load),
    so that no reader pays for the first computation; return how many aggregates were stored."""
    from django.utils import translation

    from pledgewatch.ledger.models import Initiative

    stored = 0
    for initiative in Initiative.objects.all():
        for language in languages:
            with translation.override(language):
                cached_progress(initiative, today)
                stored += 1
    return stored
