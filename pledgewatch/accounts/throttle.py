"""Lock a username out from one address after too many failed logins (DB-backed: works across processes).

PLEDGEWATCH_LOGIN_MAX_FAILURES failures (default 5) within PLEDGEWATCH_LOGIN_LOCKOUT_SECONDS (default 900)
lock that username from that address for the same period. A successful login, the period passing, an admin
deleting the row in the admin, or `pledgewatch user unlock NAME` lifts it.
"""

import os
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from pledgewatch.accounts.models import LoginThrottle


def max_failures() -> int:
    return max(1, int(os.environ.get("PLEDGEWATCH_LOGIN_MAX_FAILURES", "5")))


def lockout_seconds() -> int:
    return max(1, int(os.environ.get("PLEDGEWATCH_LOGIN_LOCKOUT_SECONDS", "900")))


def client_ip(request) -> str:
    """Return the client address Django saw (REMOTE_ADDR; a proxy in front must pass the real one)."""
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str, ip: str):
    """Return when the lock on (username, ip) ends, or None when not locked."""
    row = LoginThrottle.objects.filter(username=_key(username), ip=ip).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return None
    return row.locked_until


def record_failure(username: str, ip: str) -> int:
    """Count one failed login; lock when the limit is reached. Return the failures counted in the window."""
    key, now, window = _key(username), timezone.now(), timedelta(seconds=lockout_seconds())
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(username=key, ip=ip).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = LoginThrottle.objects.create(username=key, ip=ip, failures=0, first_failure_at=now,
                                                       last_failure_at=now)
            except IntegrityError:  # another process created it just now
                row = LoginThrottle.objects.select_for_update().get(username=key, ip=ip)
        expired = row.first_failure_at + window <= now and (row.locked_until is None or row.locked_until <= now)
        if expired:  # a new window starts
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
            row.save(update_fields=["failures", "first_failure_at", "locked_until"])
        LoginThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure_at=now)
        row.refresh_from_db()
        if row.failures >= max_failures() and (row.locked_until is None or row.locked_until <= now):
            row.locked_until = now + window
            row.save(update_fields=["locked_until"])
        return row.failures


def reset(username: str, ip: str | None = None) -> int:
    """Lift the lock and forget the failures of a username (from one address, or all); return rows removed."""
    qs = LoginThrottle.objects.filter(username=_key(username))
    if ip is not None:
        qs = qs.filter(ip=ip)
    return qs.delete()[0]


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed signal: count the failure for the username tried and the client address."""
    username = credentials.get("username")
    if username:
        record_failure(username, client_ip(request))


def on_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in signal: a successful login clears that username's failures from that address."""
    reset(user.get_username(), client_ip(request))
