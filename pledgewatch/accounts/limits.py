"""One rate limiter for the site: a fixed-window counter per key, kept in the database (works across processes).

A counter row holds how many events a key had since its window opened. `hit` counts one event:

- as a **rate limit** (`lock=False`, the newsletter's forms): an event over `allowed` is refused and not
  counted; the window reopens `window` seconds after its first event;
- as a **lock-out** (`lock=True`, failed logins): every event counts; reaching `allowed` locks the key until
  `window` seconds from that event, and a locked key's window does not reopen before the lock ends.

Each model that keeps counters names its four columns in `LIMIT_FIELDS` (a `Fields`), so the admin and the
tests keep the words of their domain (a login lock-out counts `failures`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone


@dataclass(frozen=True)
class Fields:
    """The columns of a counter row: the event count, the window's first and latest event, the lock's end."""

    count: str
    start: str
    last: str
    until: str | None = None


@dataclass(frozen=True)
class Decision:
    """What `hit` decided: whether the event was allowed, the events counted in the window, the lock's end."""

    allowed: bool
    count: int
    locked_until: datetime | None = None


def _locked_row(model, key: dict, now: datetime):
    """Return the counter row of `key`, locked for update, creating it (race-safe) when there is none."""
    f = model.LIMIT_FIELDS
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = model.objects.create(**key, **{f.count: 0, f.start: now, f.last: now})
        except IntegrityError:  # another process created it just now
            row = model.objects.select_for_update().get(**key)
    return row


def lock_end(model, key: dict, now: datetime | None = None) -> datetime | None:
    """Return when the lock on `key` ends, or None when it is not locked."""
    until = model.objects.filter(**key).values_list(model.LIMIT_FIELDS.until, flat=True).first()
    return until if until is not None and until > (now or timezone.now()) else None


def _open_window(row, f: Fields, span: timedelta, now: datetime) -> datetime | None:
    """Start a new window on `row` when its window has passed and it holds no lock; return the lock's end."""
    until = getattr(row, f.until) if f.until else None
    if getattr(row, f.start) + span <= now and not (until is not None and until > now):
        changed = {f.count: 0, f.start: now} | ({f.until: None} if f.until else {})
        for name, value in changed.items():
            setattr(row, name, value)
        row.save(update_fields=list(changed))
        return None
    return until


def _count(model, row, now: datetime) -> int:
    """Add one event to `row` (an atomic increment in the database) and return its new count."""
    f = model.LIMIT_FIELDS
    model.objects.filter(pk=row.pk).update(**{f.count: F(f.count) + 1, f.last: now})
    row.refresh_from_db(fields=[f.count])
    return getattr(row, f.count)


def hit(model, key: dict, *, window: int, allowed: int, lock: bool = False, now: datetime | None = None) -> Decision:
    """Count one event for `key` in `model`'s counters and decide whether it stays within `allowed` per window."""
    if not lock:
        return hit_all(model, [(key, window, allowed)], now=now)
    f, now, span = model.LIMIT_FIELDS, now or timezone.now(), timedelta(seconds=window)
    with transaction.atomic():
        row = _locked_row(model, key, now)
        until = _open_window(row, f, span, now)
        locked = until is not None and until > now
        count = _count(model, row, now)
        if count >= allowed and not locked:
            until = now + span
            model.objects.filter(pk=row.pk).update(**{f.until: until})
        return Decision(until is None or until <= now, count, until)


def hit_all(model, checks: list[tuple[dict, int, int]], *, now: datetime | None = None) -> Decision:
    """Count one event for each (key, window, allowed) when every key is within its limit; else count none.

    A refused event is not counted anywhere: one request checked per IP and per address uses up neither when
    either is over its limit. The Decision's count is the highest count once counted (on refusal: the refused
    key's).
    """
    f, now = model.LIMIT_FIELDS, now or timezone.now()
    with transaction.atomic():
        rows = []
        for key, window, allowed in checks:
            row = _locked_row(model, key, now)
            _open_window(row, f, timedelta(seconds=window), now)
            if getattr(row, f.count) >= allowed:
                return Decision(False, getattr(row, f.count))
            rows.append(row)
        counts = [_count(model, row, now) for row in rows]
        return Decision(True, max(counts))


def forget(model, older_than: int, now: datetime | None = None) -> int:
    """Delete the counters whose window opened over `older_than` seconds ago and hold no lock; return how many."""
    f, now = model.LIMIT_FIELDS, now or timezone.now()
    stale = model.objects.filter(**{f"{f.start}__lte": now - timedelta(seconds=older_than)})
    if f.until:
        stale = stale.exclude(**{f"{f.until}__gt": now})
    return stale.delete()[0]
