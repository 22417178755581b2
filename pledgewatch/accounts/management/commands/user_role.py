from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.accounts import accounts, roles
from pledgewatch.accounts.exceptions import AccountError
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    help = gettext_lazy("Give an account exactly one role (editor, reviewer, admin). "
                        "Example: pledgewatch user role aiko reviewer")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("account name"))
        parser.add_argument("role", choices=roles.ROLES, help=_("new role"))

    def handle(self, *args, username, role, **options):
        try:
            accounts.set_role(username, role)
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("%(name)s now has the role %(role)s.") % {"name": username, "role": role})
