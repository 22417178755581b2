import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.accounts import accounts
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    help = gettext_lazy("List the accounts with their roles. Example: pledgewatch user list --format json")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text", help=_("output format"))

    def handle(self, *args, format, **options):
        rows = accounts.listing()
        if format == "json":
            for row in rows:
                row["last_login"] = row["last_login"].isoformat() if row["last_login"] else None
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("No accounts."))
            return
        none = _("(no role)")
        for row in rows:
            state = _("active") if row["active"] else _("inactive")
            self.stdout.write(f"{row['username']}\t{row['role'] or none}\t{state}\t{row['email']}")
