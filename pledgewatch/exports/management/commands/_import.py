"""The shared body of `pledgewatch import csv|xlsx|json FILE` (one thin command per format)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.exports.exceptions import ImportFailed, UnreadableFile
from pledgewatch.exports.formats import get_format
from pledgewatch.exports.importer import Importer
from pledgewatch.ledger.audit import acting_as, cli_reason
from pledgewatch.ledger.models import Initiative


class ImportCommand(PledgewatchCommand):
    format_name = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the file to import"))
        parser.add_argument("--initiative", default="", help=_("link every imported commitment to this initiative"))
        parser.add_argument("--dry-run", action="store_true", help=_("check and count, write nothing"))
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help=_("import the good rows and report each bad one (default: all or nothing)"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": path})
        initiative = None
        if options["initiative"]:
            initiative = Initiative.objects.filter(slug=options["initiative"]).first()
            if initiative is None:
                raise CommandError(_("Unknown initiative: %(slug)s") % {"slug": options["initiative"]})
        importer = Importer(initiative=initiative, skip_bad_rows=options["skip_bad_rows"],
                            dry_run=options["dry_run"])
        try:
            with acting_as(reason=cli_reason(f"import {self.format_name}", path)):
                report = importer.run(path, get_format(self.format_name))
        except (ImportFailed, UnreadableFile) as exc:
            raise CommandError(str(exc)) from exc
        for bad in report.skipped:
            self.stderr.write(bad.describe())
        self.stdout.write(report.summary())
