from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.ledger.models import Initiative
from pledgewatch.newsletter.digest import create_issue
from pledgewatch.newsletter.exceptions import NewsletterError


class Command(PledgewatchCommand):
    help = gettext_lazy("Create a draft issue from what changed in the ledger since the previous issue; "
              "prints the new issue's id as the last line. "
              "Example: pledgewatch newsletter issue create --initiative ca-jad-tokyo-initiative")

    def add_arguments(self, parser):
        parser.add_argument("--initiative", metavar="SLUG", help=gettext_lazy("only this initiative"))

    def handle(self, *args, **options):
        initiative = None
        if options["initiative"]:
            initiative = Initiative.objects.filter(slug=options["initiative"]).first()
            if initiative is None:
                raise NewsletterError(_("Unknown initiative: %(slug)s") % {"slug": options["initiative"]})
        issue = create_issue(initiative)
        self.stdout.write(_("Issue created with %(n)s changes.") % {"n": len(issue.content["items"])})
        self.stdout.write(str(issue.pk))
