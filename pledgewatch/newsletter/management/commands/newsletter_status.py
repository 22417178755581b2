import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter import health, issues


class Command(PledgewatchCommand):
    help = gettext_lazy("Print the counts of an issue's deliveries by state, with bounce rate and failing domains. "
              "Example: pledgewatch newsletter status 3 --format json")

    def add_arguments(self, parser):
        parser.add_argument("id", help=gettext_lazy("issue id"))
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        issue = issues.get_issue(options["id"])
        data = health.issue_health(issue)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Issue %(id)s: %(state)s") % {"id": issue.pk, "state": issue.get_state_display()})
        if data["paused_reason"]:
            self.stdout.write(data["paused_reason"])
        for state, n in data["counts"].items():
            self.stdout.write(f"  {state:<11} {n}")
        self.stdout.write(f"  {'total':<11} {data['total']}")
        self.stdout.write(_("Bounce rate %(b)s, complaint rate %(c)s")
                          % {"b": data["bounce_rate"], "c": data["complaint_rate"]})
