"""The versioned JSON API (/api/v1/), read-only for anonymous users. OpenAPI at /api/v1/openapi.json."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from pledgewatch.api import ledger as ledger_routes
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.queries import FilterError


class UTF8Renderer(JSONRenderer):
    """Render JSON as UTF-8 text, not ASCII escapes (「東京」 stays readable)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        import json

        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


api = NinjaAPI(
    title="pledgewatch API",
    version="1",
    description="What summits promised, what was signed, for how much, and where each figure comes from. "
                "Money is {amount (decimal string), currency (ISO 4217), qualifier}.",
    urls_namespace="api",
    renderer=UTF8Renderer(),
    docs_url="/docs",
)
api.add_router("/", ledger_routes.router)
api.add_router("/", "pledgewatch.api.dashboard.router")  # countries, pillars, timeline, sources (web engineer)


@api.exception_handler(FilterError)
def filter_error(request: HttpRequest, exc: FilterError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(UnknownInitiative)
def unknown_initiative(request: HttpRequest, exc: UnknownInitiative):
    from django.utils.translation import gettext as _

    return api.create_response(request, {"detail": _("Unknown initiative: %(slug)s") % {"slug": exc.slug}},
                               status=404)
