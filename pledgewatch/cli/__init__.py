"""`pledgewatch` entry point: a thin layer over Django management commands.

Words are joined into a command name, longest match first: `pledgewatch import iati X` runs the
management command `import_iati`, `pledgewatch newsletter issue create` runs `newsletter_issue_create`.
"""

import os
import sys

import django
from django.core.management import execute_from_command_line, get_commands
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from pledgewatch.cli.errors import database_failed

HELP_FLAGS = {"-h", "--help"}


def resolve(argv: list[str], known: set[str]) -> tuple[str | None, list[str]]:
    """Return the management command named by the leading words of argv, and the remaining args."""
    words = []
    for word in argv:
        if word.startswith("-"):
            break
        words.append(word.replace("-", "_"))
    for n in range(len(words), 0, -1):
        name = "_".join(words[:n])
        if name in known:
            return name, argv[n:]
    return None, argv


def group_of(argv: list[str], known: set[str]) -> str | None:
    """Return the group word(s) argv names (`newsletter`, `import`, `newsletter issue`), or None.

    A group is the common start of several command names; only `--help`/`-h` may follow it.
    """
    words = [word.replace("-", "_") for word in argv if not word.startswith("-")]
    if not words or any(arg.startswith("-") and arg not in HELP_FLAGS for arg in argv) or argv[0].startswith("-"):
        return None
    prefix = "_".join(words) + "_"
    return " ".join(words) if any(name.startswith(prefix) for name in known) else None


def main(argv: list[str] | None = None) -> int:
    """Run `pledgewatch WORDS… [OPTIONS]`; a group word alone (`pledgewatch newsletter`) lists its commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
    django.setup()
    # i18n's module-level gettext_noop reads the settings: import it once DJANGO_SETTINGS_MODULE is set
    from pledgewatch.cli.i18n import (  # noqa: PLC0415 (reads settings on import)
        activate_cli_language,
        print_group,
        print_overview,
    )

    activate_cli_language()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print_overview()
        return 0
    command, rest = resolve(args, set(get_commands()))
    if command is None and (group := group_of(args, set(get_commands()))):
        print_group(group, get_commands())
        return 0
    if command is None:
        sys.stderr.write(_("Unknown command: %(words)s. Run `pledgewatch --help`.") % {"words": " ".join(args)} + "\n")
        return 2
    try:
        execute_from_command_line(["pledgewatch", command, *rest])
    except KeyboardInterrupt:
        return 130
    except (OperationalError, InterfaceError) as exc:  # database away, locked, read-only or full: no traceback
        sys.stderr.write(database_failed(exc) + "\n")
        return 1
    finally:
        translation.deactivate()
    return 0

