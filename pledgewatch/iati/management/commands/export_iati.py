"""`pledgewatch export iati`: write commitments as IATI 2.03 activity XML."""

import shutil
import sys
import tempfile

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.cli.errors import write_failed
from pledgewatch.cli.files import atomic_output
from pledgewatch.exports.formats import get_format
from pledgewatch.iati.publish import is_own
from pledgewatch.ledger.models import Commitment, Country, Initiative

SPOOL_BYTES = 16 << 20  # standard output: kept in memory up to this size, then in a temporary file


def select(initiative: str = "", countries: str = ""):
    """Return the commitments to export: linked to the initiative and/or for these recipient countries."""
    qs = Commitment.objects.all()
    if initiative:
        if not Initiative.objects.filter(slug=initiative).exists():
            raise CommandError(_("No initiative has the slug “%(slug)s”.") % {"slug": initiative})
        qs = qs.filter(initiatives__slug=initiative)
    codes = sorted({c.strip().upper() for c in countries.split(",") if c.strip()})
    if codes:
        unknown = sorted(set(codes) - set(Country.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise CommandError(_("Unknown country codes: %(codes)s (use ISO 3166-1 alpha-2, such as KZ,UZ).")
                               % {"codes": ", ".join(unknown)})
        qs = qs.filter(recipients__country_id__in=codes)
    return Commitment.objects.filter(pk__in=qs.values("pk"))


class Command(PledgewatchCommand):
    @property
    def help(self) -> str:  # a plain str in the active language (argparse cannot wrap a lazy string)
        return _("Export commitments as IATI 2.03 activity XML (valid against the official schema). "
                 "Example: pledgewatch export iati --initiative ca-jad-tokyo-initiative -o tokyo.xml")

    def add_arguments(self, parser):
        parser.add_argument("--initiative", default="", help=gettext_lazy("only commitments linked to this initiative"))
        parser.add_argument("--country", default="", help=gettext_lazy(
            "only commitments for these recipient countries (ISO codes, comma-separated)"))
        parser.add_argument("--include-imported", action="store_true", help=gettext_lazy(
            "also write activities imported from other publishers, as they published them"))
        parser.add_argument("-o", "--output", default="-", help=gettext_lazy("output file (default: standard output)"))

    def handle(self, *args, initiative, country, output, include_imported, **options):
        qs = select(initiative, country)
        left_out: list = []
        kwargs = {"include_imported": include_imported, "left_out": left_out}
        writer = get_format("iati")  # the registry's IATI format, as the web download
        if output == "-":  # spooled first: a document without activities is never written (the schema refuses it)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
                n = writer.write_commitments(spool, qs, **kwargs)
                self._left_out(left_out)
                self._require_one(n, qs, include_imported)
                spool.seek(0)
                shutil.copyfileobj(spool, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            try:
                with atomic_output(output) as f:  # temp file in the same folder, renamed when complete
                    n = writer.write_commitments(f, qs, **kwargs)
                    self._left_out(left_out)
                    self._require_one(n, qs, include_imported)  # raising here leaves `output` as it was
            except OSError as exc:
                raise CommandError(write_failed(output, exc)) from None
        self.stderr.write(_("%(n)d activities exported.") % {"n": n})

    def _left_out(self, left_out: list) -> None:
        reasons = {"no_date": _("it has no date"), "no_reporting_org": _("its publisher gave no reporting-org"),
                   "no_participating_org": _("its publisher gave no participating-org")}
        for name, reason in left_out:
            self.stderr.write(_("%(id)s left out: %(reason)s (the IATI schema needs one; none is invented).")
                              % {"id": name, "reason": reasons[reason]})

    @staticmethod
    def _require_one(n: int, qs, include_imported: bool) -> None:
        """Refuse an empty document: IATI's schema needs at least one activity, so nothing is written."""
        if n:
            return
        imported = 0 if include_imported else sum(1 for c in qs.select_related("iati_activity") if not is_own(c))
        if imported:
            raise CommandError(_("No activity to export, nothing written: the %(n)d selected are other publishers' "
                                 "activities; add --include-imported to write them as they published them.")
                               % {"n": imported})
        raise CommandError(_("No activity to export, nothing written: the selection is empty or every activity was "
                             "left out (see above)."))
