from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pledgewatch.ledger import server


class Command(BaseCommand):
    help = _("Run the production web server (gunicorn). Example: pledgewatch serve --host 0.0.0.0 --port 8000")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
        parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
        parser.add_argument("--workers", type=int, default=None, help=_("worker processes (default: cores, max 4)"))
        parser.add_argument("--threads", type=int, default=4, help=_("threads per worker (default 4)"))

    def handle(self, *args, host, port, workers, threads, **options):
        server.check_safe()
        server.run(host, port, workers=workers, threads=threads, stdout=self.stdout)
