"""Base of the newsletter commands: user errors become one clear line on stderr and exit status 1."""

import sys

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.newsletter.exceptions import NewsletterError


class NewsletterCommand(PledgewatchCommand):
    """A command whose NewsletterError and OSError are reported without a traceback."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except NewsletterError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        except OSError as exc:
            self.stderr.write(f"{exc.filename or ''}: {exc.strerror or exc}".strip(": "))
            sys.exit(1)
