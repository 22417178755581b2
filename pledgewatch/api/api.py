"""The versioned JSON API (/api/v1/), read-only for anonymous users. OpenAPI at /api/v1/openapi.json."""

import json

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from pledgewatch.api import errors
from pledgewatch.api import ledger as ledger_routes
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.queries import FilterError


class UTF8Renderer(JSONRenderer):
    """Render JSON as UTF-8 text, not ASCII escapes (「東京」 stays readable)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class OfflineSwagger(DocsBase):
    """Swagger UI from the vendored static files (no CDN: the site's CSP and offline servers refuse one)."""

    def render_page(self, request, api, **kwargs):
        return render(request, "pledgewatch/api_docs.html",
                      {"openapi_url": self.get_openapi_url(api, kwargs), "ctx": {"page": "api"}})


class PledgewatchAPI(NinjaAPI):
    """The API, whose OpenAPI description lists every error response of each operation with its body."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return errors.document_errors(super().get_openapi_schema(path_prefix=path_prefix,
                                                                 path_params=path_params))


api = PledgewatchAPI(
    title="pledgewatch API",
    version="1",
    description="What summits promised, what was signed, for how much, and where each figure comes from. "
                "Money is {amount (decimal string), currency (ISO 4217), qualifier}.",
    urls_namespace="api",
    renderer=UTF8Renderer(),
    docs_url="/docs",
    docs=OfflineSwagger(),
)
api.add_router("/", ledger_routes.router)
api.add_router("/", "pledgewatch.api.dashboard.router")  # countries, pillars, timeline, sources (web engineer)


@api.exception_handler(FilterError)
def filter_error(request: HttpRequest, exc: FilterError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(UnknownInitiative)
def unknown_initiative(request: HttpRequest, exc: UnknownInitiative):
    return api.create_response(request, {"detail": _("Unknown initiative: %(slug)s") % {"slug": exc.slug}},
                               status=404)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError):
    """Answer 422 with a readable `detail` (as every other error) and the list of problems in `errors`."""
    problems = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors]
    return api.create_response(request, {"detail": errors.validation_detail(problems), "errors": problems},
                               status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    """Answer 404 with our own message, or "Not found" for get_object_or_404's English sentence."""
    message = str(exc)
    if not message or message.endswith("matches the given query."):
        message = _("Not Found")  # Django's own words (translated in its catalog), as before
    return api.create_response(request, {"detail": message}, status=404)
