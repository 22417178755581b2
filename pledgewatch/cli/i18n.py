"""Language of CLI messages (PLEDGEWATCH_LANG or LANG: ja or en) and the top-level help."""

import os

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
