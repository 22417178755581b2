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
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from pledgewatch.exports.models import LedgerVersion
from pledgewatch.ledger import aggregates
from pledgewatch.ledger.progress import today_for_progress

PUBLIC = {"web", "api", "exports"}  # URL namespaces whose GETs are the same for every anonymous reader
STORED_STATUS = 200
MAX_STORED_BYTES = 4 * 1024 * 1024  # bigger pages are rendered every time (none is, at 100k commitments)
PREFIX = "pw:page:"
# Ledger models whose writes do not bump the version by themselves (see aggregates.UNRELATED) but show on pages.
SHOWN_ELSEWHERE = ("Source", "SourceText")


def ledger_state() -> tuple[int, datetime | None]:
    """Return the ledger's version and the time of its last change (None before the first write).

    The one place that knows where the version lives (today `exports.LedgerVersion`).
    """
    row = LedgerVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return row or (0, None)


def touch(sender=None, **kwargs) -> None:
    """Bump the ledger version after a write that shows on pages but changes no figure (a source's text)."""
    if not kwargs.get("raw"):
        aggregates.refresh_commitments(())


def connect_signals() -> None:
    """Bump the version on writes to the models in SHOWN_ELSEWHERE (called from the web app's ready())."""
    from django.apps import apps

    for name in SHOWN_ELSEWHERE:
        model = apps.get_model("ledger", name)
        post_save.connect(touch, sender=model, dispatch_uid=f"pages-save-{name}")
        post_delete.connect(touch, sender=model, dispatch_uid=f"pages-delete-{name}")


def _code_state() -> tuple[str, float]:
    """Return a digest and the newest modification time of the package's code, templates and catalogs."""
    digest, newest = hashlib.sha256(settings.BASE_URL.encode()), 0.0
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".mo", ".so"} and "migrations" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            newest = max(newest, stat.st_mtime)
    return digest.hexdigest()[:12], newest


CODE_VERSION, CODE_CHANGED = _code_state()


class Validators:
    """The ETag, Last-Modified and page-cache key of one public request."""

    def __init__(self, request):
        version, changed_at = ledger_state()
        day = today_for_progress()
        language = (get_language() or settings.LANGUAGE_CODE)[:5]
        parts = f"{version}|{language}|{day.isoformat()}|{CODE_VERSION}|{request.get_full_path()}"
        digest = hashlib.sha256(parts.encode("utf-8")).hexdigest()[:32]
        self.etag = f'"{digest}"'
        self.key = PREFIX + digest
        day_start = timezone.make_aware(datetime.combine(day, datetime.min.time())).timestamp()
        changed = changed_at.timestamp() if changed_at else 0.0
        self.last_modified = int(max(changed, day_start, CODE_CHANGED))
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
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _sets_private_cookie(request, response) -> bool:
    names = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return bool(names & set(response.cookies)) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


class HttpCacheMiddleware:
    """Answer conditional requests without the view, serve and store rendered public pages, set the headers.

    Place it after WhiteNoise and before SessionMiddleware: its `process_view` runs once the language is
    chosen (LocaleMiddleware, LanguageParamMiddleware) and the URL resolved; its response handling sees the
    cookies every later middleware set.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["default"]

    def __call__(self, request):
        response = self.get_response(request)
        validators = getattr(request, "_http_cache", None)
        if validators is None or response.status_code not in (200, 304):
            if validators is not None and "private" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-cache"  # a public 4xx: may be kept, must be asked again
            elif "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            return response
        if _sets_private_cookie(request, response):
            response["Cache-Control"] = "private, no-store"
            return response
        if response.status_code == STORED_STATUS and not getattr(request, "_http_cache_hit", False):
            self._store(validators, response)
        validators.stamp(response)
        response["Cache-Control"] = public_cache_control()
        if response.cookies:  # the language cookie: the browser may keep the page, a shared cache not
            response["Cache-Control"] = response["Cache-Control"].replace("public", "private", 1)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Return a 304 or the stored page for a public GET; None lets the view render it."""
        match = request.resolver_match
        if (request.method not in ("GET", "HEAD") or match is None or not PUBLIC & set(match.namespaces)
                or _private_request(request)):
            return None
        validators = request._http_cache = Validators(request)
        not_modified = get_conditional_response(request, etag=validators.etag,
                                                last_modified=validators.last_modified if validators.final else None)
        if not_modified is not None:
            return not_modified
        stored = self.cache.get(validators.key)
        if stored is None:
            return None
        content_type, body = stored
        request._http_cache_hit = True
        return HttpResponse(body, content_type=content_type)

    def _store(self, validators: Validators, response) -> None:
        if isinstance(response, StreamingHttpResponse) or response.has_header("Content-Disposition"):
            return
        body = response.content
        if len(body) <= MAX_STORED_BYTES:
            self.cache.set(validators.key, (response["Content-Type"], body),
                           settings.PAGE_CACHE_SECONDS)
