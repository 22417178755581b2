from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.accounts import throttle
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    help = gettext_lazy("Lift a login lock-out (failed logins) of an account, from every address. "
                        "Example: pledgewatch user unlock aiko")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("account name"))

    def handle(self, *args, username, **options):
        n = throttle.reset(username)
        if n:
            self.stdout.write(_("%(name)s unlocked (%(n)d addresses).") % {"name": username, "n": n})
        else:
            self.stdout.write(_("%(name)s was not locked.") % {"name": username})
