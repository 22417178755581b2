from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter import members


class Command(PledgewatchCommand):
    help = gettext_lazy("Clear a member's suppression and bounce score and send the latest issue again. "
              "Example: pledgewatch newsletter member reenable someone@example.org")

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        member = members.get_member(options["email"])
        delivery = members.reactivate(member)
        self.stdout.write(_("%(email)s re-enabled.") % {"email": member.email})
        if delivery is not None:
            self.stdout.write(_("Issue %(id)s queued again.") % {"id": delivery.issue_id})
