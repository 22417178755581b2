from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch import server
from pledgewatch.cli.command import PledgewatchCommand
from pledgewatch.ledger.audit import acting_as, cli_reason
from pledgewatch.ledger.record_load import load_bundled_record
from pledgewatch.ledger.seed import load_seed


class Command(PledgewatchCommand):
    help = gettext_lazy("Create or upgrade the database, load the CA+JAD initiative and the bundled data "
                        "(idempotent), and serve on 127.0.0.1. Example: pledgewatch demo --port 8000")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
        parser.add_argument("--no-serve", action="store_true", help=_("only prepare the data"))

    def handle(self, *args, port, no_serve, **options):
        if not no_serve:
            server.check_port("127.0.0.1", port, command="demo")  # before the work, not after it
        db = settings.DATABASES["default"]
        where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"
        self.stdout.write(_("Database: %(where)s") % {"where": where})
        call_command("migrate", interactive=False, verbosity=0)
        with acting_as(reason=cli_reason("demo")):
            changed = load_seed()
            self.stdout.write(_("CA+JAD Tokyo Initiative loaded (%(n)d records created or changed).") % {"n": changed})
            rows, changed = load_bundled_record()
            self.stdout.write(_("First-year public record loaded: %(rows)d rows (%(n)d records created or "
                                "changed).") % {"rows": rows, "n": changed})
            self.load_extras()
        if no_serve:
            self.stdout.write(_("Data ready. Start the server with: pledgewatch serve"))
            return
        server.check_safe(local_demo=True)
        server.run("127.0.0.1", port, workers=2, stdout=self.stdout, command="demo")

    def load_extras(self) -> None:
        """Load the bundled data of optional modules (IATI history, …) when they are installed."""
        from pledgewatch.iati.demo import load_bundled_history  # noqa: PLC0415 (optional app, loaded when installed)
        self.stdout.write(load_bundled_history()["line"])
