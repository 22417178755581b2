"""Lock a username out from one address after too many failed logins (DB-backed: works across processes).

PLEDGEWATCH_LOGIN_MAX_FAILURES failures (default 5) within PLEDGEWATCH_LOGIN_LOCKOUT_SECONDS (default 900)
lock that username from that address for the same period (counted by `limits.hit`, the site's one rate
limiter). A successful login, the period passing, an admin deleting the row in the admin, or
`pledgewatch user unlock NAME` lifts it.
"""

import os

from pledgewatch.accounts import limits
from pledgewatch.accounts.models import LoginThrottle


def max_failures() -> int:
    return max(1, int(os.environ.get("PLEDGEWATCH_LOGIN_MAX_FAILURES", "5")))


def lockout_seconds() -> int:
    return max(1, int(os.environ.get("PLEDGEWATCH_LOGIN_LOCKOUT_SECONDS", "900")))


def client_ip(request) -> str:
    """Return the client address Django saw (REMOTE_ADDR; a proxy in front must pass the real one)."""
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _key(username: str, ip: str) -> dict:
    return {"username": _name(username), "ip": ip}


def locked_until(username: str, ip: str):
    """Return when the lock on (username, ip) ends, or None when not locked."""
    return limits.lock_end(LoginThrottle, _key(username, ip))


def record_failure(username: str, ip: str) -> int:
    """Count one failed login; lock when the limit is reached. Return the failures counted in the window."""
    return limits.hit(LoginThrottle, _key(username, ip), window=lockout_seconds(), allowed=max_failures(),
                      lock=True).count


def reset(username: str, ip: str | None = None) -> int:
    """Lift the lock and forget the failures of a username (from one address, or all); return rows removed."""
    qs = LoginThrottle.objects.filter(username=_name(username))
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
