"""Language of CLI messages (PLEDGEWATCH_LANG or LANG: ja or en) and the top-level help."""

import os
import re

from django.core.management import load_command_class
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Commands listed by `pledgewatch --help`; each module adds its own when it exists.
OVERVIEW = [
    ("demo [--port N] [--no-serve]",
     gettext_noop("Create or upgrade the database, load the CA+JAD data, serve on 127.0.0.1")),
    ("serve [--host H] [--port N]", gettext_noop("Run the production web server")),
    ("extract FILE… [--format json]", gettext_noop("Read press texts and print the commitments they state")),
    ("import iati PATH…", gettext_noop("Import IATI activity XML (files, folders, zip archives)")),
    ("import csv|xlsx|json FILE", gettext_noop("Import commitments from a spreadsheet")),
    ("import record FILE…", gettext_noop("Load a public record: deals, agreements and claims, each with its source")),
    ("export csv|xlsx|json|iati [-o FILE]", gettext_noop("Export commitments")),
    ("newsletter …", gettext_noop("Members, issues and delivery of the newsletter")),
    ("worker [--until-idle]", gettext_noop("Run background work (sending e-mail)")),
]


def cli_language() -> str:
    """Return 'ja' or 'en' from PLEDGEWATCH_LANG, else LANG/LC_ALL, else English."""
    for name in ("PLEDGEWATCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def activate_cli_language() -> None:
    """Activate the CLI language for gettext."""
    translation.activate(cli_language())


def print_overview() -> None:
    """Print the list of commands in the CLI language."""
    print(_("pledgewatch: a verifiable ledger of summit pledges"))
    print()
    print(_("Usage: pledgewatch COMMAND [OPTIONS]"))
    print()
    for usage, help_text in OVERVIEW:
        print(f"  pledgewatch {usage}")
        print(f"      {_(help_text)}")
    print()
    print(_("Each command has --help. Set PLEDGEWATCH_LANG=ja for Japanese messages."))


def summary(text: str) -> str:
    """Return a command's help without its example (the part from "Example:" / "例:" on)."""
    return re.split(r"\s*(?:Example|例)\s*[:：]", text, maxsplit=1)[0].strip()


def print_group(words: str, commands: dict[str, str]) -> None:
    """Print the commands of a group word (`pledgewatch newsletter`) with their help, in the CLI language."""
    prefix = words.replace(" ", "_") + "_"
    names = sorted(name for name in commands if name.startswith(prefix))
    print(_("Commands of `pledgewatch %(group)s`:") % {"group": words})
    print()
    for name in names:
        print(f"  pledgewatch {name.replace('_', ' ')}")
        print(f"      {summary(str(load_command_class(commands[name], name).help))}")
    print()
    print(_("Each command has --help, e.g. `pledgewatch %(command)s --help`.")
          % {"command": names[0].replace("_", " ")})
