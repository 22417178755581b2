"""Faults the user should see plainly: the database away (503, ja/en/ru); the CLI's are in pledgewatch/cli/errors.py.

`DatabaseUnavailableMiddleware` sits first in MIDDLEWARE. A view that raises `OperationalError` or
`InterfaceError` (server gone, connection refused, SQLite file locked, read-only or full) gets a 503
page, or JSON for the API and `.json` pages, with `Retry-After`; nothing is rendered from the database
and no traceback is shown. Errors raised by other middleware (e.g. saving a session) are noticed through
`got_request_exception` and their 500 becomes the same 503. With `CONN_HEALTH_CHECKS` on, the next
request after the database is back reconnects, so the server recovers without a restart.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

DB_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER = "30"
log = logging.getLogger("pledgewatch.faults")


def wants_json(request) -> bool:
    """Return True for the API, `.json` pages, `?format=json` and clients that accept only JSON."""
    path = request.path
    accept = request.META.get("HTTP_ACCEPT", "")
    return (path.startswith("/api/") or path.endswith(".json") or request.GET.get("format") == "json"
            or (accept.startswith("application/json") and "text/html" not in accept))


def unavailable_message() -> str:
    return _("The database is unavailable at the moment. Nothing was changed by this request; "
             "please try again in a minute.")


def unavailable_response(request) -> HttpResponse:
    """Return the 503 answer in the request's language, without touching the database."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "ja"
    with translation.override(language):
        message = unavailable_message()
        if wants_json(request):
            response = JsonResponse({"error": "database_unavailable", "message": message}, status=503,
                                    json_dumps_params={"ensure_ascii": False})
        else:
            body = render_to_string("pledgewatch/unavailable.html", {
                "title": _("Temporarily unavailable"), "message": message, "language": language})
            response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def _remember(sender, request=None, **kwargs) -> None:
    """Mark the request when an unhandled database error turns into a 500 (raised outside a view)."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DB_ERRORS):
        request.pledgewatch_db_error = exc


got_request_exception.connect(_remember, dispatch_uid="pledgewatch.web.dberrors")


class DatabaseUnavailableMiddleware:
    """Answer 503 (not a 500 or a traceback) while the database is away; put it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500 and getattr(request, "pledgewatch_db_error", None) is not None:
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DB_ERRORS):
            log.warning("database unavailable: %s %s: %s", request.method, request.path,
                        str(exception).splitlines()[0] if str(exception) else type(exception).__name__)
            return unavailable_response(request)
        return None
