"""`pledgewatch extract FILE… [--format json]`: read press texts and print the commitments they state."""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.press.exceptions import PressError
from pledgewatch.press.extract import extract, prepare
from pledgewatch.press.extract.language import LANGUAGES
from pledgewatch.press.pillars import DEFAULT_INITIATIVE, rules_for
from pledgewatch.press.render import human_readable

MAX_BYTES = 20 * 1024 * 1024


def read_input(name: str) -> bytes:
    """Return the bytes of a file, or of standard input for "-"."""
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    if not path.exists():
        raise PressError(_("no such file"))
    if path.is_dir():
        raise PressError(_("is a folder, not a file"))
    if path.stat().st_size > MAX_BYTES:
        raise PressError(_("larger than 20 MB; split it first"))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PressError(exc.strerror or str(exc)) from exc


class Command(PledgewatchCommand):
    help = gettext_lazy(
        "Read press texts (plain text in UTF-8 or Shift_JIS, or HTML; '-' for standard input) and print "
        "the commitments they state. Nothing is stored. One JSON object per file and line with "
        "--format json. Example: pledgewatch extract release.txt --format json")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=gettext_lazy("text or HTML files; - for stdin"))
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help=gettext_lazy("output format (default: text)"))
        parser.add_argument("--initiative", default=DEFAULT_INITIATIVE,
                            help=gettext_lazy("initiative whose pillar keywords suggest pillars"))
        parser.add_argument("--language", choices=list(LANGUAGES), default=None,
                            help=gettext_lazy("language of the texts (default: detected)"))

    def handle(self, *args, **options):
        rules = rules_for(options["initiative"])
        if rules is None:
            raise CommandError(_("Unknown initiative “%(slug)s”.") % {"slug": options["initiative"]})
        failed = 0
        for name in options["files"]:
            try:
                text = prepare(read_input(name))
                result = extract(text, file=name, language=options["language"], rules=rules)
            except PressError as exc:
                failed += 1
                self.stderr.write(_("%(file)s: cannot read: %(reason)s") % {"file": name, "reason": exc})
                continue
            if options["format"] == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(human_readable(result))
        if failed:
            raise CommandError(_("%(count)d of %(total)d files could not be read.") % {
                "count": failed, "total": len(options["files"])}, returncode=1)
