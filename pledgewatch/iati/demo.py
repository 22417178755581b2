"""The bundled JICA Central Asia activities (2014–2015 publications), loaded by `pledgewatch demo`."""

from pathlib import Path

from django.utils.translation import gettext as _

from pledgewatch.iati.importer import Filters, Importer
from pledgewatch.ledger import defaults
from pledgewatch.ledger.models import Initiative

BUNDLED = Path(__file__).resolve().parent / "data" / "activities" / "jica-619-central-asia"


def load_bundled_history() -> dict:
    """Import the bundled JICA files (idempotent) and return the summary as JSON-ready data.

    The activities are Japan's earlier cooperation: they are linked to the Tokyo Initiative only when
    they fall inside its scope (horizon from 2025-12-20), which none of the bundled ones does.
    """
    slug = defaults.initiative_slug()
    slug = slug if Initiative.objects.filter(slug=slug).exists() else ""
    summary = Importer(Filters(initiative=slug)).run([str(BUNDLED)])
    result = summary.as_json()
    a = result["activities"]
    result["line"] = _("JICA Central Asia history: %(files)d files (%(unchanged)d unchanged), %(new)d new and "
                       "%(updated)d updated activities, %(errors)d errors") % {
        "files": result["files"], "unchanged": result["files_unchanged"], "new": a["new"],
        "updated": a["updated"], "errors": len(result["errors"])}
    return result
