from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter import issues
from pledgewatch.newsletter.exceptions import NewsletterError


class Command(PledgewatchCommand):
    help = gettext_lazy("Queue an issue for every eligible member (the worker sends it), or schedule it with --at. "
              "Example: pledgewatch newsletter issue send 3")

    def add_arguments(self, parser):
        parser.add_argument("id", help=gettext_lazy("issue id"))
        parser.add_argument("--at", metavar="ISO-DATETIME", help=gettext_lazy("send at this time instead of now"))

    def handle(self, *args, **options):
        issue = issues.get_issue(options["id"])
        if options["at"]:
            try:
                when = datetime.fromisoformat(options["at"])
            except ValueError as exc:
                raise NewsletterError(_("Not a date and time: %(value)s") % {"value": options["at"]}) from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            issues.schedule_issue(issue, when)
            self.stdout.write(_("Issue %(id)s scheduled for %(when)s.") % {"id": issue.pk, "when": when.isoformat()})
            return
        n = issues.queue_issue(issue)
        self.stdout.write(_("Issue %(id)s: %(n)s deliveries queued. Run `pledgewatch worker` to send them.")
                          % {"id": issue.pk, "n": n})
