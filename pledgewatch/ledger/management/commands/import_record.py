from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.ledger.audit import acting_as, cli_reason
from pledgewatch.ledger.exceptions import RecordError
from pledgewatch.ledger.models import Initiative
from pledgewatch.ledger.record_load import load_record


class DryRun(Exception):
    """Raised to roll back a checked and counted load."""


class Command(PledgewatchCommand):
    help = gettext_lazy("Load a public record of an initiative (one CSV row per deal, agreement or claim, in the "
                        "columns of pledgewatch/data/cajad/year-one.csv): all or nothing, a second run changes "
                        "nothing. Example: pledgewatch import record year-two.csv --seen-on 2027-12-01")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="+", help=_("the record file(s) to load"))
        parser.add_argument("--initiative", default="ca-jad-tokyo-initiative",
                            help=_("the initiative the record is about (default ca-jad-tokyo-initiative)"))
        parser.add_argument("--seen-on", default="", help=_("the date the sources were seen (YYYY-MM-DD)"))
        parser.add_argument("--dry-run", action="store_true", help=_("check and count, write nothing"))

    def handle(self, *args, file, initiative, seen_on, dry_run, **options):
        paths = [Path(f) for f in file]
        for path in paths:
            if not path.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": path})
        target = Initiative.objects.filter(slug=initiative).first()
        if target is None:
            raise CommandError(_("Unknown initiative: %(slug)s") % {"slug": initiative})
        try:
            seen = date.fromisoformat(seen_on) if seen_on else None
        except ValueError:
            raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": seen_on}) from None
        try:
            with acting_as(reason=cli_reason("import record", paths[0])), transaction.atomic():
                rows, changed = load_record(paths, target, seen_on=seen)
                if dry_run:
                    raise DryRun
        except RecordError as exc:
            raise CommandError(str(exc)) from exc
        except DryRun:
            self.stdout.write(_("Dry run: %(rows)d rows checked, %(n)d records would be created or changed; "
                                "nothing was written.") % {"rows": rows, "n": changed})
            return
        self.stdout.write(_("%(rows)d rows loaded: %(n)d records created or changed.") % {"rows": rows,
                                                                                         "n": changed})
