"""Public pages. Each view builds one JSON-ready context (pledgewatch.web.pages) and renders it as HTML,
or as JSON for `?format=json` and the `.json` twin of the address (datasette-style)."""

import json
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledgewatch.web.pages import details, lists, overview
from pledgewatch.web.pages.common import get_initiative


def wants_json(request, fmt: str | None) -> bool:
    return fmt == "json" or request.GET.get("format") == "json"


def respond(request, template: str, context: dict, fmt: str | None = None, status: int = 200) -> HttpResponse:
    """Return the page, or its context as UTF-8 JSON (not ASCII-escaped) for the JSON twin."""
    context = {"language": (get_language() or "ja")[:2], **context}
    if context.get("error") and status == 200:
        status = 400
    if wants_json(request, fmt):
        body = json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False)  # no indent: the C encoder
        return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    return render(request, f"pledgewatch/{template}", {"ctx": context, "ctx_json": context}, status=status)


def json_errors(view):
    """Answer a JSON twin's 404 as JSON ({"detail": …}) instead of the HTML error page."""

    @wraps(view)
    def wrapper(request, *args, fmt=None, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Http404 as exc:
            if not wants_json(request, fmt):
                raise
            detail = str(exc) or _("Not found.")
            body = json.dumps({"detail": detail}, ensure_ascii=False)
            return HttpResponse(body, content_type="application/json; charset=utf-8", status=404)

    return wrapper


@json_errors
def home(request, fmt=None):
    initiative = get_initiative(None)
    return respond(request, "overview.html", overview.overview(initiative), fmt)


@json_errors
def initiative(request, slug, fmt=None):
    return respond(request, "overview.html", overview.overview(get_initiative(slug)), fmt)


@json_errors
def pillar(request, slug, pillar, fmt=None):
    return respond(request, "pillar.html", overview.pillar(get_initiative(slug), pillar), fmt)


@json_errors
def rules(request, fmt=None):
    return respond(request, "rules.html", overview.rules(get_initiative(request.GET.get("initiative"))), fmt)


@json_errors
def commitments(request, fmt=None):
    return respond(request, "commitments.html", lists.commitments(request.GET), fmt)


@json_errors
def commitment(request, pk, fmt=None):
    staff = request.user.is_authenticated and request.user.is_staff
    return respond(request, "commitment.html", details.commitment(pk, staff=staff), fmt)


@json_errors
def documents(request, fmt=None):
    return respond(request, "documents.html", lists.documents(request.GET), fmt)


@json_errors
def document(request, pk, fmt=None):
    return respond(request, "document.html", details.document(pk), fmt)


@json_errors
def events(request, fmt=None):
    return respond(request, "events.html", lists.events(request.GET), fmt)


@json_errors
def event(request, slug, fmt=None):
    return respond(request, "event.html", details.event(slug), fmt)


@json_errors
def organisations(request, fmt=None):
    return respond(request, "organisations.html", lists.organisations(), fmt)


@json_errors
def organisation(request, slug, fmt=None):
    return respond(request, "organisation.html", details.organisation(slug), fmt)


@json_errors
def countries(request, fmt=None):
    return respond(request, "countries.html", lists.countries(), fmt)


@json_errors
def country(request, code, fmt=None):
    return respond(request, "country.html", details.country(code), fmt)


@json_errors
def source(request, pk, fmt=None):
    return respond(request, "source.html", details.source(pk), fmt)


def server_error(request):
    """Render the 500 page in the site's layout and the reader's language (never a debug page)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page itself failed: a plain answer rather than none
        return HttpResponse(_("Server error. Please try again later."), status=500,
                            content_type="text/plain; charset=utf-8")


def favicon(request):
    """Send browsers that ask for /favicon.ico to the site's icon."""
    return HttpResponsePermanentRedirect(static("pledgewatch/favicon.svg"))
