"""`pledgewatch import iati PATH…`: import IATI activity XML into the ledger."""

import json
import sys
import time
from datetime import date

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.iati.exceptions import IatiError
from pledgewatch.iati.importer import Filters, Importer
from pledgewatch.iati.pipeline import default_jobs
from pledgewatch.ledger.audit import acting_as, cli_reason
from pledgewatch.ledger.models import Country


class Progress:
    """A one-line progress display on stderr (activities per second), at most a few times a second."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.started = self.last = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, summary, name: str) -> None:
        now = time.monotonic()
        interval = 0.25 if self.tty else 10.0
        if not self.enabled or now - self.last < interval:
            return
        self.last = now
        rate = summary.activities / max(now - self.started, 1e-6)
        line = _("files %(files)d · activities %(n)d · %(rate).0f activities/s · %(name)s") % {
            "files": summary.files, "n": summary.activities, "rate": rate, "name": name[-60:]}
        self.stream.write(("\r\033[K" + line) if self.tty else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


class Command(PledgewatchCommand):
    @property
    def help(self) -> str:  # a plain str in the active language (argparse cannot wrap a lazy string)
        return _("Import IATI activity XML (2.01–2.03) from files, folders (recursive) and zip archives. "
                 "Example: pledgewatch import iati activities/ --recipient KZ,KG,TJ,TM,UZ "
                 "--initiative ca-jad-tokyo-initiative")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help=gettext_lazy("file, folder or zip archive"))
        parser.add_argument("--recipient", default="", help=gettext_lazy(
            "only activities for these recipient countries (ISO codes, comma-separated)"))
        parser.add_argument("--reporting-org", default="", help=gettext_lazy(
            "only activities of this reporting organisation (IATI identifier)"))
        parser.add_argument("--since", default="", help=gettext_lazy(
            "only activities updated (or dated) on or after this date, YYYY-MM-DD"))
        parser.add_argument("--initiative", default="", help=gettext_lazy(
            "link activities inside this initiative's scope to it and classify them into its pillars"))
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help=gettext_lazy("summary format"))
        parser.add_argument("--no-progress", action="store_true", help=gettext_lazy("no progress display"))
        parser.add_argument("--jobs", type=int, default=default_jobs(), help=gettext_lazy(
            "processes: 1 reads and writes in this process; N > 1 adds N-1 processes that read and map the "
            "next files while this one writes (default: 2 where there are two cores or more)"))

    def handle(self, *args, paths, recipient, reporting_org, since, initiative, format, no_progress, jobs,
               **options):
        if jobs < 1:
            raise CommandError(_("--jobs needs a number of processes of 1 or more, not %(jobs)d.") % {"jobs": jobs})
        try:
            recipients = self._recipients(recipient)
        except DatabaseError as exc:
            raise CommandError(_("The database is not ready (%(error)s). Run `pledgewatch demo --no-serve` or "
                                 "`pledgewatch migrate` first.") % {"error": exc}) from None
        filters = Filters(recipients=recipients, reporting_org=reporting_org.strip(),
                          since=self._since(since), initiative=initiative.strip())
        progress = Progress(sys.stderr, not no_progress)
        try:
            with acting_as(reason=cli_reason("import iati", *paths)):  # the history rows say who imported what
                summary = Importer(filters, progress=progress, jobs=jobs).run(paths)
        except IatiError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(_("The database is not ready (%(error)s). Run `pledgewatch demo --no-serve` or "
                                 "`pledgewatch migrate` first.") % {"error": exc}) from None
        progress.done()
        if format == "json":
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(render_summary(summary))
        if summary.errors:
            sys.exit(1)

    def _recipients(self, text: str) -> frozenset[str]:
        codes = frozenset(c.strip().upper() for c in text.split(",") if c.strip())
        unknown = sorted(codes - set(Country.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise CommandError(_("Unknown country codes: %(codes)s (use ISO 3166-1 alpha-2, such as KZ,UZ).")
                               % {"codes": ", ".join(unknown)})
        return codes

    def _since(self, text: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(_("--since needs a date as YYYY-MM-DD, not “%(text)s”.") % {"text": text}) from None


def render_summary(summary) -> str:
    """Return the human summary of an import (in the active language)."""
    s = summary.as_json()
    a = s["activities"]
    lines = [
        _("Files: %(files)d (imported %(imported)d, unchanged %(unchanged)d, failed %(failed)d)") % {
            "files": s["files"], "imported": s["files_imported"], "unchanged": s["files_unchanged"],
            "failed": s["files_failed"]},
        _("Activities: new %(new)d, updated %(updated)d, unchanged %(unchanged)d, skipped %(skipped)d, "
          "linked to existing commitments %(linked)d, sent to review %(review)d") % a,
        _("Time: %(seconds).1f s") % {"seconds": s["seconds"]},
    ]
    if s["warnings"]:
        lines.append(_("Warnings by kind:"))
        for kind, n in s["warnings"].items():
            lines.append(f"  {kind}: {n}")
            lines += [f"    {m}" for m in s["warning_samples"].get(kind, [])[:2]]
    if s["errors"]:
        lines.append(_("Errors by file:"))
        lines += [f"  {e['error']}" for e in s["errors"]]
    return "\n".join(lines)
