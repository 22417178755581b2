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


def hit(model, key: dict, *, window: int, allowed: int, lock: bool = False, now: datetime | None = None) -> Decision:
    """Count one event for `key` in `model`'s counters and decide whether it stays within `allowed` per window."""
    f, now, span = model.LIMIT_FIELDS, now or timezone.now(), timedelta(seconds=window)
    with transaction.atomic():
        row = _locked_row(model, key, now)
        until = getattr(row, f.until) if f.until else None
        locked = until is not None and until > now
        if getattr(row, f.start) + span <= now and not locked:  # a new window opens
            setattr(row, f.count, 0)
            setattr(row, f.start, now)
            changed = [f.count, f.start]
            if f.until:
                setattr(row, f.until, None)
                changed.append(f.until)
            row.save(update_fields=changed)
            until = None
        if not lock and getattr(row, f.count) >= allowed:
            return Decision(False, getattr(row, f.count))
        model.objects.filter(pk=row.pk).update(**{f.count: F(f.count) + 1, f.last: now})
        row.refresh_from_db(fields=[f.count])
        count = getattr(row, f.count)
        if lock and count >= allowed and not locked:
            until = now + span
            model.objects.filter(pk=row.pk).update(**{f.until: until})
        return Decision(not (lock and until is not None and until > now), count, until if lock else None)


def forget(model, older_than: int, now: datetime | None = None) -> int:
    """Delete the counters whose window opened over `older_than` seconds ago and hold no lock; return how many."""
    f, now = model.LIMIT_FIELDS, now or timezone.now()
    stale = model.objects.filter(**{f"{f.start}__lte": now - timedelta(seconds=older_than)})
    if f.until:
        stale = stale.exclude(**{f"{f.until}__gt": now})
    return stale.delete()[0]
