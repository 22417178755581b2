"""IATI 2.03 activity XML as a format of the exports registry (`/exports/commitments.iati`, `export iati`).

The IATI app registers this format in `exports.formats.FORMATS` when it is ready, so the web download
takes the same filters as CSV, XLSX and JSON (`CommitmentFilter`) and streams the document one activity
at a time (`exporter.iter_export`); the CLI writes it through the same object into a file renamed only
when complete. Activities are the ones pledgewatch publishes; activities imported from another
publisher are written only on request (`include_imported`), as that publisher published them.
IATI files are read by `pledgewatch import iati`, not by the spreadsheet importer.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from pledgewatch.exports.formats import Format
from pledgewatch.exports.rows import Export
from pledgewatch.iati import exporter
from pledgewatch.ledger.models import Commitment


def commitments(export: Export):
    """Return the export's filtered commitments as a plain queryset (the exporter adds its own joins)."""
    return Commitment.objects.filter(pk__in=export.queryset().values("pk"))


class IatiFormat(Format):
    """IATI 2.03 activity XML, valid against the official schema (write only)."""

    name = "iati"
    extension = "xml"
    content_type = "application/xml"

    def stream(self, export: Export, *, include_imported: bool = False) -> Iterator[bytes]:
        return exporter.iter_export(commitments(export), generated=export.exported_at,
                                    include_imported=include_imported)

    def refusal(self, export: Export) -> str:
        """An empty selection is refused: IATI's schema needs at least one activity in a document."""
        if exporter.has_activities(commitments(export)):
            return ""
        return _("No activity to export for these filters: IATI's schema needs at least one. Activities imported "
                 "from other publishers are not written here; their publishers' own files are the source.")

    def write(self, export: Export, out) -> None:
        exporter.export(out, commitments(export), generated=export.exported_at)

    def write_commitments(self, out, qs, *, include_imported: bool = False, left_out: list | None = None) -> int:
        """Write chosen commitments to a binary stream; return how many activities were written."""
        return exporter.export(out, qs, include_imported=include_imported, left_out=left_out)
