import getpass
import os

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.accounts import accounts, roles
from pledgewatch.accounts.exceptions import AccountError
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    help = gettext_lazy("Create a staff account with a role (editor, reviewer, admin); the password comes from a "
                        "prompt or an environment variable. Example: pledgewatch user add aiko --role editor "
                        "--email aiko@example.org")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("account name"))
        parser.add_argument("--role", required=True, choices=roles.ROLES, help=_("role of the account"))
        parser.add_argument("--email", default="", help=_("e-mail address"))
        parser.add_argument("--password-env", metavar="VAR",
                            help=_("read the password from this environment variable instead of a prompt"))

    def _password(self, var: str | None) -> str:
        if var:
            value = os.environ.get(var)
            if not value:
                raise CommandError(_("The environment variable %(var)s is not set or empty.") % {"var": var})
            return value
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords differ; nothing was created."))
        return first

    def handle(self, *args, username, role, email, password_env, **options):
        password = self._password(password_env)
        try:
            accounts.add(username, role, password, email=email)
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Account %(name)s created with the role %(role)s.") % {"name": username, "role": role})
