"""Read replica routing: public GETs read from the `replica` database, everything else uses `default`.

Active only when `DATABASE_REPLICA_URL` is set (settings.py then adds the `replica` alias, this router and
`ReplicaMiddleware`). The rules:

- Only a request that `ReplicaMiddleware` marked as a *public read* may read from the replica: a GET, HEAD
  or OPTIONS request outside the admin, the review queue and the newsletter pages, from a client that is
  not pinned to the primary (below). Management commands, the newsletter worker and anything else outside
  such a request read from the primary.
- The admin, the review queue (`press`), sessions, auth, content types, messages and the newsletter are
  never read from the replica, even on a public page.
- Every write goes to the primary. Once a request has written, the rest of it reads from the primary, as
  does any read inside a `transaction.atomic()` block opened by the request (read-modify-write).
- Read-your-writes: a request with an unsafe method, or one that wrote ledger data, answers with a short-lived
  cookie (`pledgewatch_primary`, `PLEDGEWATCH_REPLICA_PIN_SECONDS`, default 5 s) that pins the client's next
  requests to the primary, so that an editor sees the change they just made even when the replica lags.
  A forged cookie only makes its sender read from the primary.
- Migrations run on `default` only (the replica gets them through replication).
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse

REPLICA = "replica"
PIN_COOKIE = "pledgewatch_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Path prefixes that always use the primary: staff and member pages that read what they just wrote.
PRIMARY_PATHS = ("/admin/", "/review/", "/newsletter/")
# Apps whose tables are never read from the replica (sessions, auth, the review queue, members).
PRIMARY_APPS = frozenset({"admin", "auth", "accounts", "contenttypes", "sessions", "messages", "newsletter", "press"})
# Derived data that a public read may write without pinning the client: the shared aggregate cache and the
# stored counting outcomes (rebuilt at a read when stale, inside transaction.atomic(), so from the primary).
NO_PIN_MODELS = frozenset({("totals", "aggregatecache"), ("totals", "commitmentoutcome"),
                           ("totals", "outcomebucket"), ("totals", "outcomestate")})


@dataclass
class RequestRoute:
    """How the current request reads: from the replica while `replica` holds, else from the primary."""

    replica: bool
    atomic_depth: int = 0  # transaction.atomic() blocks already open on `default` when the request began
    wrote: bool = False  # the request wrote something: read from the primary from now on
    pin: bool = False  # … and the write should pin the client to the primary for a few seconds


_route: ContextVar[RequestRoute | None] = ContextVar("pledgewatch_db_route", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


def _atomic_depth() -> int:
    return len(getattr(connections[DEFAULT_DB_ALIAS], "atomic_blocks", ()))


class ReplicaRouter:
    """Send public reads to the replica and everything else to the primary (`default`)."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or not route.replica or route.wrote:
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_APPS or _atomic_depth() > route.atomic_depth:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.wrote = True
            if (model._meta.app_label, model._meta.model_name) not in NO_PIN_MODELS:
                route.pin = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Allow relations between objects read from either alias: they hold the same data."""
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def is_pinned(request) -> bool:
    """Return whether the client wrote a moment ago (its pin cookie has not expired)."""
    value = request.COOKIES.get(PIN_COOKIE, "")
    try:
        until = int(value)
    except ValueError:
        return False
    now = time.time()
    return now < until <= now + pin_seconds() + 60


def may_read_replica(request) -> bool:
    """Return whether this request is a public read that may use the replica."""
    return (replica_configured() and request.method in SAFE_METHODS
            and not request.path_info.startswith(PRIMARY_PATHS) and not is_pinned(request))


def _iterate_in(route: RequestRoute, content):
    """Yield the chunks of a streamed response with the request's route in force (exports, feeds)."""
    iterator = iter(content)
    while True:
        token = _route.set(route)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _route.reset(token)
        yield chunk


class ReplicaMiddleware:
    """Decide per request whether reads may use the replica; pin writers to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = RequestRoute(replica=may_read_replica(request), atomic_depth=_atomic_depth())
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if route.replica and response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _iterate_in(route, response.streaming_content)
        if route.pin or request.method not in SAFE_METHODS:
            seconds = pin_seconds()
            response.set_cookie(PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
