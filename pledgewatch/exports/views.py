"""Download views: the filtered commitment list as CSV, XLSX or JSON, streamed, with no row cap.

`/exports/commitments.csv?country=UZ&instrument=loan&lang=ja` takes the same filters as the list pages
and the API (`CommitmentFilter`); a bad filter is a 400 with a clear message.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pledgewatch.exports.formats import FORMATS
from pledgewatch.exports.rows import Export
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.queries import CommitmentFilter, FilterError


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_GET
def download(request, fmt: str):
    """Stream the commitments matching the URL's filters in the requested format."""
    writer = FORMATS.get(fmt)
    if writer is None:
        return _plain(_("Unknown format: %(name)s (choose %(choices)s)") % {
            "name": fmt, "choices": ", ".join(FORMATS)}, 404)
    language = (get_language() or "ja")[:2]
    try:
        export = Export(CommitmentFilter.from_params(request.GET), language=language)
        export.queryset()  # checks every filter before the first byte is sent
    except FilterError as exc:
        return _plain(str(exc), 400)
    except UnknownInitiative as exc:
        return _plain(_("Unknown initiative: %(slug)s") % {"slug": exc.slug}, 400)
    refusal = writer.refusal(export)  # a format that cannot write this selection says so before the first byte
    if refusal:
        return _plain(refusal, 404)
    response = StreamingHttpResponse(writer.stream(export), content_type=writer.content_type)
    stamp = timezone.localtime(export.exported_at).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="pledgewatch-commitments-{stamp}.{writer.extension}"'
    response["Content-Language"] = language
    return response
