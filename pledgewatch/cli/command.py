"""The base of every pledgewatch command: help in the CLI language, and one way to end on an error.

Exit statuses (docs/cli.md): 0 done; 1 the command could not do its work (a `PledgewatchError`, a
`CommandError`, a file that cannot be read or written, the database away), its message alone on stderr and
nothing half-written; 2 a usage error (unknown command or option); 130 interrupted (Ctrl+C).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.functional import Promise

from pledgewatch.exceptions import PledgewatchError


def error_message(exc: BaseException) -> str:
    """Return the one message a user sees for an error that stopped a command."""
    if isinstance(exc, OSError):  # e.g. "members.csv: No such file or directory"
        return f"{exc.filename or ''}: {exc.strerror or exc}".strip(": ")
    return str(exc)


class PledgewatchCommand(BaseCommand):
    """A management command whose help is in the active language and whose errors end in a clear exit.

    argparse needs `str`; a `gettext_lazy` text (the command's `help`, an option's `help=`) is turned into
    one when the parser is made, after the CLI language was activated. Under `pledgewatch` the usage line
    names the command by its words (`pledgewatch export csv`).

    Run from the command line, a `PledgewatchError`, `CommandError` or `OSError` prints its message alone
    (no class name, no traceback unless --traceback) and exits with status 1 (or the error's own code).
    `call_command` still raises them, for callers and tests.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        """Return the parser with every help text a plain string in the active language."""
        if isinstance(self.help, Promise):
            self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if prog_name == "pledgewatch":  # the usage line shows the words the user types
            parser.prog = f"pledgewatch {subcommand.replace('_', ' ')}"
        for action in parser._actions:
            if isinstance(action.help, Promise):
                action.help = str(action.help)
        return parser

    def execute(self, *args, **options):
        """Run the command; from the command line, end an error with its message and exit status."""
        if not self._called_from_command_line or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except PledgewatchError as exc:
            self.stderr.write(error_message(exc))
            sys.exit(exc.exit_code)
        except CommandError as exc:
            self.stderr.write(error_message(exc))
            sys.exit(exc.returncode)
        except OSError as exc:
            self.stderr.write(error_message(exc))
            sys.exit(1)
