import sys

from django.utils.translation import gettext_lazy as _l

from pledgewatch.newsletter.management.base import NewsletterCommand
from pledgewatch.newsletter.members import export_members


class Command(NewsletterCommand):
    help = _l("Export every member as CSV, with status and suppression. "
              "Example: pledgewatch newsletter members export -o members.csv")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help=_l("file to write (default: standard output)"))

    def handle(self, *args, **options):
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                export_members(out)
        else:
            export_members(sys.stdout)
