import sys

from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter.member_csv import export_members


class Command(PledgewatchCommand):
    help = gettext_lazy("Export every member as CSV, with status and suppression. "
              "Example: pledgewatch newsletter members export -o members.csv")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help=gettext_lazy("file to write (default: standard output)"))

    def handle(self, *args, **options):
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                export_members(out)
        else:
            export_members(sys.stdout)
