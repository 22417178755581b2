"""The production web server behind `pledgewatch serve` and `pledgewatch demo`: gunicorn, not runserver."""

import multiprocessing

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def check_safe(*, local_demo: bool = False, host: str = "127.0.0.1", allow_plain_http: bool = False) -> None:
    """Refuse an unsafe configuration (debug on, weak secret key, any host, plain HTTP on a public address).

    `local_demo` (`pledgewatch demo`, `pledgewatch serve --local-demo`) allows all of these on 127.0.0.1 only.
    The rules live in pledgewatch/accounts/serving.py (docs/security.md).
    """
    from pledgewatch.accounts.serving import refusal

    message = refusal(host=host, local_demo=local_demo, allow_plain_http=allow_plain_http)
    if message:
        raise CommandError(message)


def run(host: str, port: int, *, workers: int | None = None, threads: int = 4, stdout=None) -> None:
    """Serve the WSGI application with gunicorn until interrupted."""
    from gunicorn.app.base import BaseApplication

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    from pledgewatch.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers or min(4, multiprocessing.cpu_count()),
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,
        "graceful_timeout": 10,
        # idle keep-alive connections stay open 5 s (gunicorn's 2 s raced clients that reuse a connection)
        "keepalive": 5,
        "accesslog": "-" if settings.DEBUG else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "pledgewatch",
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return application

    if stdout is not None:
        stdout.write(_("pledgewatch is serving on http://%(host)s:%(port)s/ (Ctrl+C to stop)")
                     % {"host": host if ":" not in host else f"[{host}]", "port": port})
        stdout.flush()
    Server().run()
