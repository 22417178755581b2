"""Faults the user of a command should see plainly: a lost or full database, an output file that cannot be written."""

from django.utils.translation import gettext as _


def database_failed(exc: Exception) -> str:
    """Return the CLI message for a database error that stopped a command (its transaction was rolled back)."""
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return _("The database failed: %(error)s. The command stopped and its unfinished transaction was rolled "
             "back; run it again when the database is back (or has free space).") % {"error": detail}


def write_failed(path: str, exc: OSError) -> str:
    """Return the CLI message for an output file that could not be written (nothing was left behind)."""
    return _("Cannot write %(file)s: %(error)s. Nothing was written: no partial file was left, "
             "an existing file is unchanged.") % {"file": path, "error": exc.strerror or str(exc)}
