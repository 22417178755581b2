"""`pledgewatch audit`: list recent changes to the ledger with who made them and why."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.backup import trail
from pledgewatch.cli.command import PledgewatchCommand

TYPES = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


class Command(PledgewatchCommand):
    @property
    def help(self) -> str:  # a plain str in the active language (argparse cannot wrap a lazy string)
        return _("List the newest changes to ledger records (from the change history): when, what, who or which "
                 "command, and the changed fields. Example: pledgewatch audit --model commitment "
                 "--since 2026-11-01 --format json")

    def add_arguments(self, parser):
        parser.add_argument("--model", default="", help=gettext_lazy("only this kind of record, e.g. commitment"))
        parser.add_argument("--since", default="", help=gettext_lazy("only changes on or after this day, YYYY-MM-DD"))
        parser.add_argument("--user", default="", help=gettext_lazy("only changes by this user name"))
        parser.add_argument("--limit", type=int, default=50, help=gettext_lazy("at most this many (default 50)"))
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help=gettext_lazy("output format"))

    def handle(self, *args, model, since, user, limit, format, **options):
        known = trail.history_models()
        if model and model.lower() not in known:
            raise CommandError(_("Unknown model “%(model)s”; use one of: %(models)s.")
                               % {"model": model, "models": ", ".join(sorted(known))})
        day = None
        if since:
            try:
                day = date.fromisoformat(since.strip())
            except ValueError:
                raise CommandError(_("--since needs a date as YYYY-MM-DD, not “%(text)s”.")
                                   % {"text": since}) from None
        if limit < 1:
            raise CommandError(_("--limit must be at least 1."))
        rows = trail.changes(model=model, since=day, user=user.strip(), limit=limit)
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if not rows:
            self.stdout.write(_("No changes found."))
        for r in rows:
            who = r["user"] or r["reason"] or _("(unknown)")
            why = f"  {r['reason']}" if r["user"] and r["reason"] else ""
            fields = f"  [{', '.join(r['changed'])}]" if r["changed"] else ""
            self.stdout.write(f"{r['at'][:19]}  {TYPES[r['type']]}  {r['model']} #{r['object_id']}  {who}{why}{fields}")
