from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch import server
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    help = gettext_lazy(
        "Run the production web server (gunicorn). Example: pledgewatch serve --host 0.0.0.0 --port 8000")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
        parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
        parser.add_argument("--workers", type=int, default=None, help=_("worker processes (default: cores, max 4)"))
        parser.add_argument("--threads", type=int, default=4, help=_("threads per worker (default 4)"))
        parser.add_argument("--local-demo", action="store_true",
                            help=str(server.HELP_LOCAL_DEMO))
        parser.add_argument("--allow-plain-http", action="store_true",
                            help=str(server.HELP_ALLOW_PLAIN_HTTP))

    def handle(self, *args, host, port, workers, threads, local_demo, allow_plain_http, **options):
        server.check_safe(local_demo=local_demo, host=host, allow_plain_http=allow_plain_http)
        server.run(host, port, workers=workers, threads=threads, stdout=self.stdout)
