"""The shared body of `pledgewatch export csv|xlsx|json` (one thin command per format)."""

import contextlib
import gc
import sys

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.cli.errors import write_failed
from pledgewatch.cli.files import atomic_output
from pledgewatch.cli.i18n import cli_language
from pledgewatch.exports.formats import get_format
from pledgewatch.exports.rows import Export
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.queries import CommitmentFilter, FilterError


@contextlib.contextmanager
def quiet_abandoned_writers():
    """Drop the close errors of writers abandoned by a failed export (openpyxl's) instead of printing them."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
        gc.collect()
    finally:
        sys.unraisablehook = hook


FILTERS = ("initiative", "country", "pillar", "focus_area", "instrument", "stage", "sector", "year", "provider", "q")


class ExportCommand(PledgewatchCommand):
    format_name = ""

    def add_arguments(self, parser):
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default="",
                                help=_("only commitments with this %(name)s (comma-separated list allowed)")
                                % {"name": name.replace("_", " ")})
        parser.add_argument("--lang", choices=["ja", "en", "ru"], default=None,
                            help=_("language of the labels (default: the CLI language)"))
        parser.add_argument("-o", "--output", default="-", help=_("file to write (default: standard output)"))

    def handle(self, *args, **options):
        writer = get_format(self.format_name)
        filters = CommitmentFilter.from_params({k: options.get(k, "") for k in FILTERS})
        try:
            export = Export(filters, language=options["lang"] or cli_language())
            export.queryset()
        except FilterError as exc:
            raise CommandError(str(exc)) from exc
        except UnknownInitiative as exc:
            raise CommandError(_("Unknown initiative: %(slug)s") % {"slug": exc.slug}) from exc
        if options["output"] in ("-", ""):
            if self.format_name == "xlsx" and sys.stdout.isatty():
                raise CommandError(_("An Excel workbook is binary: give -o FILE.xlsx or redirect the output."))
            try:
                writer.write(export, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except OSError as exc:  # e.g. redirected to a full disk
                raise CommandError(_("Cannot write %(file)s: %(error)s") % {
                    "file": "-", "error": exc.strerror or exc}) from exc
            return
        failed = ""
        with quiet_abandoned_writers():
            try:
                with atomic_output(options["output"]) as out:
                    writer.write(export, out)
            except OSError as exc:
                failed = write_failed(options["output"], exc)
        if failed:
            raise CommandError(failed)
        with translation.override(cli_language()):
            self.stderr.write(_("Wrote %(file)s.") % {"file": options["output"]})
