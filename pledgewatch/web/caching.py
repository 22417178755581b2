"""HTTP caching of the public GETs: validators, Cache-Control, and a page cache keyed to the ledger's version.

Every public GET or HEAD (pages and their `.json` twins, the API, exports, feeds: the URL namespaces in
PUBLIC) from a client without a session gets a strong `ETag` made of the ledger version, the language, the
full path with its query, the day the figures are computed for and the code version, and a `Last-Modified`
from the ledger's last change. A matching `If-None-Match` (or, without it, `If-Modified-Since`) is answered
`304 Not Modified` before the view is called: one primary-key read of the version. Rendered pages
(not streamed exports) are kept in Django's cache (`caches["default"]`: local memory, or Redis with
`REDIS_URL`/`CACHE_URL`) under a key that holds the same parts, so a write to the ledger, which bumps the
version, makes every process miss at once without deleting anything; old entries expire.

`Cache-Control` is `public, max-age=…, stale-while-revalidate=…` on those responses; `private` when they set
a cookie (the language cookie of `?lang=`); `private, no-store` on everything else: the admin, the review
queue, the newsletter, login, and any request that carries a session cookie or response that sets a session
or CSRF cookie. A session cookie also bypasses the page cache: a signed-in member or editor never gets a page
rendered for someone else, and nobody gets theirs.
"""

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connections, router
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from pledgewatch.totals import version as totals_version
from pledgewatch.totals.models import AggregateCache, LedgerVersion, OutcomeState
from pledgewatch.totals.progress import today_for_progress

PUBLIC = {"web", "api", "exports"}  # URL namespaces whose GETs are the same for every anonymous reader
STORED_STATUS = 200
MAX_STORED_BYTES = 4 * 1024 * 1024  # bigger pages are rendered every time (none is, at 100k commitments)
PREFIX = "pw:page:"
LATEST = "pw:latest:"  # + digest of a page's address, language and code: (order, key) of its newest stored version
LOCK = "pw:render:"  # + digest: held (cache.add) by the process rendering that key
# Ledger models whose writes do not bump the version by themselves (see totals.signals.UNRELATED) but show on pages.
SHOWN_ELSEWHERE = ("Source", "SourceText")




STATE_MAX_AGE = 0.25  # seconds a memoised SQLite state is trusted while the database files look unchanged
_states: dict[tuple[str, int | None], tuple[tuple, float, tuple]] = {}  # (alias, commitment) → (stamp, time, state)
_states_lock = threading.Lock()


def ledger_state(commitment: int | None = None) -> tuple[int, int | None, float | None]:
    """Return the ledger's version, the second (Unix time) of its last change, and the time its counting outcomes
    were last rebuilt (a rebuild after a change of rates or rules ends the "recomputing" figures); None when
    there is none yet.

    With `commitment` (an id), the version is that commitment's detail pages' `totals.version.scope_version()`
    instead, read in the same query: it changes only with writes that may change those pages.

    The one place that knows where the version lives (today `totals.LedgerVersion` and `OutcomeState`). One
    read through the connection the router picks (the replica for a public GET). No connection of its own is
    kept open: a server holding the SQLite file open for writing keeps it from being remounted read-only.

    On a SQLite file the state is memoised per process and read again only when the database file or its
    write-ahead log changed (size, modification time, inode: every commit of any process changes the log), when
    this process bumped the version (`totals.version.local_bumps()`), or after STATE_MAX_AGE: a cached page then
    costs two `stat()` calls instead of opening, querying and closing a connection (most of a hit's time).
    """
    alias = router.db_for_read(LedgerVersion)
    conn = connections[alias]
    files = _sqlite_files(conn)
    if files is None:
        return _read_state(conn, commitment)
    stamp = (totals_version.local_bumps(), *(_file_stamp(f) for f in files))  # before the read, never after
    now = time.monotonic()
    memo = _states.get((alias, commitment))
    if memo is not None and memo[0] == stamp and now - memo[1] < STATE_MAX_AGE:
        return memo[2]
    state = _read_state(conn, commitment)
    with _states_lock:
        if len(_states) >= 4096:
            _states.clear()
        _states[(alias, commitment)] = (stamp, now, state)
    return state


def _sqlite_files(conn) -> tuple[str, str] | None:
    """Return the paths of a SQLite database file and its write-ahead log; None for another database or an
    in-memory one."""
    if conn.vendor != "sqlite" or conn.is_in_memory_db():
        return None
    name = str(conn.settings_dict["NAME"])
    return name, f"{name}-wal"


def _file_stamp(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _read_state(conn, commitment: int | None) -> tuple[int, int | None, float | None]:
    versions = conn.ops.quote_name(LedgerVersion._meta.db_table)
    states = conn.ops.quote_name(OutcomeState._meta.db_table)
    stamps, params = "", []
    if commitment is not None:
        table = conn.ops.quote_name(AggregateCache._meta.db_table)
        stamps = (f", (SELECT version FROM {table} WHERE key = %s), "  # noqa: S608 - model table
                  f"(SELECT version FROM {table} WHERE key = %s)")
        params = [totals_version.STAMP_PAGES, f"{totals_version.STAMP_COMMITMENT}{commitment}"]
    if conn.vendor == "sqlite":
        sql = (f"SELECT v.version, CAST(strftime('%%s', v.changed_at) AS INTEGER), "  # noqa: S608 - model tables
               f"(SELECT MAX(built_at) FROM {states}){stamps} FROM {versions} v WHERE v.id = 1")
    else:
        sql = (f"SELECT v.version, CAST(FLOOR(EXTRACT(EPOCH FROM v.changed_at)) AS BIGINT), "  # noqa: S608
               f"EXTRACT(EPOCH FROM (SELECT MAX(built_at) FROM {states})){stamps} FROM {versions} v WHERE v.id = 1")
    with conn.cursor() as cursor:
        cursor.execute(sql, params)  # always with parameters: '%%s' is strftime's %s
        row = cursor.fetchone()
    if not row:
        return 0, None, None
    version, built = row[0], row[2]
    if commitment is not None:
        version = totals_version.scope_version(version, row[3], row[4])
    if isinstance(built, str):
        built = datetime.fromisoformat(built).replace(tzinfo=UTC)
    elif built is not None and not isinstance(built, datetime):  # PostgreSQL: seconds since the epoch
        return version, row[1], float(built)
    return version, row[1], built.timestamp() if built else None


def touch(sender=None, **kwargs) -> None:
    """Bump the ledger version after a write that shows on pages but changes no figure (a source's text)."""
    if not kwargs.get("raw"):
        totals_version.refresh_commitments(())


def connect_signals() -> None:
    """Bump the version on writes to the models in SHOWN_ELSEWHERE (called from the web app's ready())."""
    for name in SHOWN_ELSEWHERE:
        model = apps.get_model("ledger", name)
        post_save.connect(touch, sender=model, dispatch_uid=f"pages-save-{name}")
        post_delete.connect(touch, sender=model, dispatch_uid=f"pages-delete-{name}")


def _code_state() -> tuple[str, float]:
    """Return a digest of the package's code, templates and catalogs (the same on every machine running the
    same release), and the newest modification time among them."""
    digest, newest = hashlib.sha256(settings.BASE_URL.encode()), 0.0
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".c", ".html", ".mo"} and "migrations" not in path.parts:
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest()[:12], newest


CODE_VERSION, CODE_CHANGED = _code_state()


# A commitment's detail pages (HTML, `.json` twin, API): keyed by totals_version.scope_version(), not the version.
DETAIL_PATH = re.compile(r"^/(?:api/v1/)?commitments/(\d+)(?:/|\.json)?$")
DETAIL_VIEWS = {"web:commitment": "pk", "web:commitment-json": "pk", "api:commitment_detail": "commitment_id"}


def detail_commitment(request) -> int | None:
    """Return the id of the commitment whose detail page this request asks for, or None for any other page."""
    if not DETAIL_PATH.match(request.path_info):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    name = DETAIL_VIEWS.get(match.view_name)
    return int(match.kwargs[name]) if name else None


class Validators:
    """The ETag, Last-Modified and page-cache key of one public request."""

    def __init__(self, request):
        commitment = detail_commitment(request)
        version, changed, built = ledger_state(commitment)
        day = today_for_progress()
        language = (get_language() or settings.LANGUAGE_CODE)[:5]
        scope = version if commitment is None else f"c{commitment}:{version}"
        parts = f"{scope}|{built!r}|{language}|{day.isoformat()}|{CODE_VERSION}|{request.get_full_path()}"
        digest = hashlib.sha256(parts.encode("utf-8")).hexdigest()[:32]
        self.etag = f'"{digest}"'
        self.key = PREFIX + digest
        # The same page (address, language, code) at any version: where the last one stored is found (`_stale`).
        page = f"{language}|{CODE_VERSION}|{request.get_full_path()}"
        self.latest = LATEST + hashlib.sha256(page.encode("utf-8")).hexdigest()[:32]
        self.order = (version, built or 0.0)  # newer figures compare greater
        day_start = timezone.make_aware(datetime.combine(day, datetime.min.time())).timestamp()
        self.last_modified = int(max(changed or 0, built or 0, day_start, CODE_CHANGED))
        # A Last-Modified second is only final once it is over: a later write in the same second would
        # otherwise share it, and If-Modified-Since would call the older page current.
        self.final = time.time() >= self.last_modified + 1

    def stamp(self, response) -> None:
        response["ETag"] = self.etag
        if self.final:
            response["Last-Modified"] = http_date(self.last_modified)
        else:
            del response["Last-Modified"]


def public_cache_control() -> str:
    """Return the Cache-Control of a public response (settings CACHE_MAX_AGE, CACHE_STALE_WHILE_REVALIDATE)."""
    return (f"public, max-age={settings.CACHE_MAX_AGE}, "
            f"stale-while-revalidate={settings.CACHE_STALE_WHILE_REVALIDATE}")


def _private_request(request) -> bool:
    return request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES


def _public(request) -> bool:
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return bool(PUBLIC & set(match.namespaces))


def _private_cookie(request, response) -> bool:
    """Return whether the response sets (or SessionMiddleware will set) a session or CSRF cookie."""
    session = getattr(request, "session", None)
    return (settings.CSRF_COOKIE_NAME in response.cookies or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            or settings.SESSION_COOKIE_NAME in response.cookies or bool(session is not None and session.modified))


def _language_cookie(request) -> bool:
    """Return whether LanguageParamMiddleware will set the language cookie on this response (`?lang=`)."""
    chosen = request.GET.get("lang", "")[:5]
    return chosen in LANGUAGES and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen


LANGUAGES = {code for code, _name in settings.LANGUAGES}
FLIGHT_WAIT = 30.0  # seconds a request waits for another thread rendering the same page before rendering it too
_flights: dict[str, threading.Event] = {}  # page-cache key → the render in progress in this process
# Renders of public pages at once in a process (settings.PAGE_RENDER_SLOTS): after a write, a request for a page
# whose new version would be one render too many gets its last complete version, so the other threads keep
# answering from the cache while the pages are rendered a few at a time.
_render_slots = threading.BoundedSemaphore(settings.PAGE_RENDER_SLOTS)


def _one_view(cache) -> bool:
    """Return whether every server process sees the same stored pages: a cache shared by processes (Redis), or
    a server of one process (`pledgewatch serve --workers 1`, or no server: tests, the CLI). Only then may a
    request be answered with a page's last complete version: with a memory cache per process, a reader whose
    connection moves to another process could get an older page than the one it was shown."""
    return not isinstance(cache, LocMemCache) or getattr(settings, "SERVER_PROCESSES", 1) <= 1
_flights_lock = threading.Lock()
SKIPPED = {"etag", "last-modified", "cache-control", "vary", "content-length"}  # set again on every answer


class NearPages:
    """A process's own copy of the pages it served from a shared cache, least recently used out first, at most
    `limit` bytes of bodies (0: none kept)."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        if not self.limit:
            return None
        with self.lock:
            stored = self.pages.get(key)
            if stored is not None:
                self.pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple, size: int) -> None:
        if not self.limit or size > self.limit // 4:
            return
        with self.lock:
            if key not in self.pages:
                self.pages[key] = stored
                self.size += size
            while self.size > self.limit:
                _key, old = self.pages.popitem(last=False)
                self.size -= len(old[1])


class HttpCacheMiddleware:
    """Answer conditional requests and stored pages before anything else runs, store rendered public pages,
    and set Cache-Control on every response.

    Place it right after LanguageParamMiddleware: the language is chosen, and a stored page or a 304 skips the
    rest (CSRF, authentication, messages, URL resolution, the view). Its response handling sees the CSRF cookie;
    the session and language cookies, set by earlier middleware, are foreseen (`_private_cookie`,
    `_language_cookie`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["default"]
        # pages from a cache outside the process (Redis) are also kept here: a key names one version of one page,
        # so what it holds never changes, and a page served again costs no round trip nor unpickling
        self._near = NearPages(0 if isinstance(self.cache, LocMemCache) else settings.PAGE_NEAR_BYTES)

    def _page(self, key: str):
        """Return the stored (headers, body) of a page-cache key, or None."""
        stored = self._near.get(key)
        if stored is None:
            stored = self.cache.get(key)
            if stored is not None:
                self._near.put(key, stored, len(stored[1]))
        return stored

    def __call__(self, request):
        if _private_request(request):
            return self._private(self.get_response(request))
        try:
            validators = request._http_cache = Validators(request)
        except (DatabaseError, sqlite3.Error):  # the version cannot be read: no validators, nothing stored;
            return self._private(self.get_response(request))  # the view answers (or the database-away page)
        early = self._early(request, validators)
        if early is not None:
            response = early
        else:
            response, stored = self._miss(request, validators)
            if getattr(response, "pledgewatch_stale", False):
                # the last complete figures while another request renders the new ones: no validator (it
                # would name the new version), to be asked again (a shared cache may keep it, never serve it)
                response["Cache-Control"] = "no-cache"
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
            if stored:
                early = response
            elif not _public(request):
                return self._private(response)
        if response.status_code not in (200, 304):
            if "private" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-cache"  # a public 4xx: may be kept, must be asked again
            return response
        if _private_cookie(request, response):
            return self._private(response, force=True)
        validators.stamp(response)
        response["Cache-Control"] = public_cache_control()
        if _language_cookie(request):  # the browser may keep the page, a shared cache not (the cookie)
            response["Cache-Control"] = response["Cache-Control"].replace("public", "private", 1)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _render(self, request, validators: "Validators"):
        """Call the rest of the stack and store what may be stored."""
        response = self.get_response(request)
        if (response.status_code == STORED_STATUS and _public(request) and not _private_cookie(request, response)):
            self._store(validators, response)
        return response

    def _miss(self, request, validators: "Validators") -> tuple[HttpResponse, bool]:
        """Answer a public request whose page is not stored under its key; return the response and whether it
        came from the cache.

        One render per key at a time (single flight): the first thread of this process to miss a key renders it,
        unless another process sharing the cache (Redis) already does (`cache.add` of a lock) or this process
        already renders PAGE_RENDER_SLOTS pages. Meanwhile the
        others get the last complete version of the same page (`_stale`), or, when there is none (a first
        visit), the threads of this process wait for the render and get the page it stored, or render
        themselves when it stored nothing (not storable, failed, or slower than FLIGHT_WAIT). A request that
        renders always renders the version it read, so a reader that wrote a change sees it on its next request.
        """
        if not _public(request):
            return self._render(request, validators), False
        key = validators.key
        with _flights_lock:
            flight = _flights.get(key)
            leader = flight is None
            if leader:
                _flights[key] = flight = threading.Event()
        shared = _one_view(self.cache)
        if not leader:  # another thread of this process renders it
            stale = self._stale(validators) if shared else None
            if stale is not None:
                return stale, True
            flight.wait(FLIGHT_WAIT)
            stored = self._page(key)
            if stored is not None:
                return self._from_store(stored), True
            return self._render(request, validators), False
        lock, owned, slot = LOCK + key[len(PREFIX):], False, False
        try:
            owned = self.cache.add(lock, 1, FLIGHT_WAIT)
            slot = owned and _render_slots.acquire(blocking=False)
            if shared and not slot:  # another process renders it, or this one renders as many pages as it may
                stale = self._stale(validators)
                if stale is not None:
                    return stale, True
                slot = _render_slots.acquire(timeout=FLIGHT_WAIT)
            return self._render(request, validators), False
        finally:
            self._land(key, flight)
            if owned:
                self.cache.delete(lock)
            if slot:
                _render_slots.release()

    @staticmethod
    def _land(key: str, flight) -> None:
        with _flights_lock:
            if _flights.get(key) is flight:
                del _flights[key]
        flight.set()

    def _stale(self, validators: "Validators") -> HttpResponse | None:
        """Return the newest stored page of the same address, language and code at an older version, or None."""
        pointer = self.cache.get(validators.latest)
        if pointer is None or tuple(pointer[0]) >= validators.order:
            return None
        stored = self._page(pointer[1])
        if stored is None:
            return None
        response = self._from_store(stored)
        response.pledgewatch_stale = True
        return response

    def _early(self, request, validators: "Validators"):
        """Return a 304 or the stored page; None lets the rest of the stack render it."""
        meta = request.META
        if ("HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta) and _public(request):
            not_modified = get_conditional_response(
                request, etag=validators.etag, last_modified=validators.last_modified if validators.final else None)
            if not_modified is not None:
                return not_modified
        stored = self._page(validators.key)
        return None if stored is None else self._from_store(stored)

    @staticmethod
    def _from_store(stored) -> HttpResponse:
        headers, body = stored
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _private(response, *, force: bool = False):
        if force or "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response

    def _store(self, validators: "Validators", response) -> None:
        if isinstance(response, StreamingHttpResponse) or response.has_header("Content-Disposition"):
            return
        body = response.content
        if len(body) <= MAX_STORED_BYTES:
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED]
            self.cache.set(validators.key, (headers, body), settings.PAGE_CACHE_SECONDS)
            self._near.put(validators.key, (headers, body), len(body))
            with _flights_lock:  # the pointer only moves forward (exactly so within a process; across processes
                pointer = self.cache.get(validators.latest)  # two stores in the same instant may both pass the test)
                if pointer is None or tuple(pointer[0]) <= validators.order:
                    self.cache.set(validators.latest, (validators.order, validators.key), settings.PAGE_CACHE_SECONDS)
