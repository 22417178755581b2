"""The base of every pledgewatch command: help texts in the CLI language."""

from django.core.management.base import BaseCommand
from django.utils.functional import Promise


class PledgewatchCommand(BaseCommand):
    """A management command whose lazily translated help texts print in the active language.

    Under `pledgewatch` the usage line names the command by its words (`pledgewatch export csv`).

    argparse needs `str`; a `gettext_lazy` text (the command's `help`, an option's `help=`) is turned into
    one when the parser is made, after the CLI language was activated.
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
