"""Generate the CLI reference (docs/cli.md) from the management commands of pledgewatch's apps."""

import io

from django.core.management import get_commands, load_command_class
from django.utils import translation


def pledgewatch_commands() -> dict[str, str]:
    """Return {command name: app} for the commands that pledgewatch's own apps define."""
    return {name: app for name, app in sorted(get_commands().items()) if app.startswith("pledgewatch.")}


EXIT_STATUSES = [
    "Exit statuses, the same for every command (`pledgewatch.cli.command.PledgewatchCommand`):", "",
    "- `0`: done.",
    "- `1`: the command could not do its work: a `PledgewatchError` (every app's errors derive from "
    "`pledgewatch.exceptions.PledgewatchError`), a `CommandError`, a file that cannot be read or written, the "
    "database away or full. Its message alone goes to stderr, in the CLI language, without a traceback "
    "(`--traceback` shows one); nothing is half-written. `import iati` also ends with 1 when some files failed.",
    "- `2`: a usage error: an unknown command or option, a missing argument.",
    "- `130`: interrupted (Ctrl+C).", ""]


def reference() -> str:
    """Return the Markdown CLI reference, in English, from each command's --help."""
    with translation.override("en"):
        out = ["# CLI reference", "",
               "Generated from the commands by `pledgewatch.cli.doc` (a test fails when it is stale).",
               "`pledgewatch WORD WORD …` runs the command whose name joins the words with `_`; the first words "
               "of several commands alone (`pledgewatch newsletter`, `pledgewatch import`) list them. Every command "
               "has `--help`, in Japanese with `PLEDGEWATCH_LANG=ja`.", "",
               *EXIT_STATUSES]
        for name, app in pledgewatch_commands().items():
            command = load_command_class(app, name)
            parser = command.create_parser("pledgewatch", name)
            words = name.replace("_", " ")
            parser.prog = f"pledgewatch {words}"
            buffer = io.StringIO()
            parser.print_help(buffer)
            text = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()
                             if not _is_django_default(line))
            out += [f"## pledgewatch {words}", "", "```text", text.strip(), "```", ""]
    return "\n".join(out)


_DJANGO_OPTIONS = ("--version", "-v {0,1,2,3}", "--settings", "--pythonpath", "--traceback", "--no-color",
                   "--force-color", "--skip-checks")


def _is_django_default(line: str) -> bool:
    return line.strip().startswith(_DJANGO_OPTIONS)
