from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter import conf
from pledgewatch.newsletter.bounces import process_maildir
from pledgewatch.newsletter.exceptions import NewsletterError


class Command(PledgewatchCommand):
    help = gettext_lazy("Read bounce and complaint messages from a maildir (new/ → cur/) and apply them. "
              "Example: pledgewatch newsletter bounces /var/mail/bounces")

    def add_arguments(self, parser):
        parser.add_argument("maildir", nargs="?", help=gettext_lazy("maildir (default: PLEDGEWATCH_BOUNCE_MAILDIR)"))

    def handle(self, *args, **options):
        path = options["maildir"] or conf.get("BOUNCE_MAILDIR")
        if not path:
            raise NewsletterError(_("Name a maildir or set PLEDGEWATCH_BOUNCE_MAILDIR."))
        result = process_maildir(path)
        self.stdout.write(_("%(messages)s messages read, %(bounces)s bounces recorded.") % result)
