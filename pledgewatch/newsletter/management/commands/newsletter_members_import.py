from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter.member_csv import import_members, read_file


class Command(PledgewatchCommand):
    help = gettext_lazy("Import members from CSV (columns email,language,topics; all lines or none). "
              "Example: pledgewatch newsletter members import members.csv --confirmed")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("CSV file, UTF-8"))
        parser.add_argument("--confirmed", action="store_true",
                            help=gettext_lazy("the members already confirmed elsewhere (no opt-in e-mail)"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        text = read_file(path)
        result = import_members(text, confirmed=options["confirmed"], filename=path.name)
        self.stdout.write(_("%(created)s members created, %(updated)s updated.") % result)
