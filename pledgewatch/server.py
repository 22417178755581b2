"""The production web server behind `pledgewatch serve` and `pledgewatch demo`: gunicorn, not runserver.

Which configurations `pledgewatch serve` refuses, and the messages that say what to set instead, come
first (docs/security.md); then the launcher.
"""

import errno
import ipaddress
import multiprocessing
import socket

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HELP_LOCAL_DEMO = gettext_lazy("this is a local demo on 127.0.0.1: allow debug, a weak key and any host")
HELP_ALLOW_PLAIN_HTTP = gettext_lazy("serve plain HTTP on a public address (trusted network only)")

# Secret keys that must never sign anything: Django's placeholder prefix and values printed in examples.
EXAMPLE_SECRET_KEYS = {"change-me", "changeme", "secret", "your-secret-key", "replace-me", "example"}
MIN_SECRET_LENGTH, MIN_SECRET_CHARS = 50, 5


def is_loopback(host: str) -> bool:
    """Return True for 127.0.0.0/8, ::1, localhost and unix sockets."""
    if host.startswith("unix:") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def weak_secret_key(key: str) -> bool:
    """Return True for an empty, short, placeholder or example secret key (as Django's deploy check does)."""
    return (not key or len(key) < MIN_SECRET_LENGTH or len(set(key)) < MIN_SECRET_CHARS
            or key.startswith("django-insecure-") or key.strip().lower() in EXAMPLE_SECRET_KEYS)


def problems(*, host: str = "127.0.0.1", local_demo: bool = False, allow_plain_http: bool = False) -> list[str]:
    """Return what makes this configuration unsafe to serve, each with what to set instead."""
    found = []
    if local_demo:
        if not is_loopback(host):
            found.append(_("--local-demo serves on 127.0.0.1 only (asked: %(host)s). Drop --host, or configure "
                           "a real server instead.") % {"host": host})
        return found
    if settings.DEBUG:
        found.append(_("Refusing to serve with PLEDGEWATCH_DEBUG on: debug pages leak secrets. "
                       "Unset it, or use `pledgewatch demo` on 127.0.0.1."))
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty key outright
        key = ""
    if weak_secret_key(key):
        found.append(_("The secret key is weak (empty, shorter than 50 characters, a placeholder or an example "
                       "from the docs). Set PLEDGEWATCH_SECRET_KEY to a random value, e.g. the output of "
                       "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, or unset it to use the "
                       "generated key."))
    if "*" in settings.ALLOWED_HOSTS:
        found.append(_("PLEDGEWATCH_ALLOWED_HOSTS contains '*': any Host header is accepted. List the site's host "
                       "names instead."))
    if not is_loopback(host) and not getattr(settings, "SECURE", False) and not allow_plain_http:
        found.append(_("Listening on %(host)s, a public address, without TLS. Put a TLS proxy in front and set "
                       "PLEDGEWATCH_SECURE=1, or pass --allow-plain-http if this network is trusted.")
                     % {"host": host})
    return found


def refusal(*, host: str = "127.0.0.1", local_demo: bool = False, allow_plain_http: bool = False) -> str:
    """Return the message refusing this configuration, or "" when it is safe to serve."""
    found = problems(host=host, local_demo=local_demo, allow_plain_http=allow_plain_http)
    if not found:
        return ""
    return "\n".join([_("Refusing to serve in an unsafe configuration:"), *(f"- {p}" for p in found),
                      _("For a local demo on this computer only: pledgewatch serve --local-demo "
                        "(or pledgewatch demo).")])



def check_safe(*, local_demo: bool = False, host: str = "127.0.0.1", allow_plain_http: bool = False) -> None:
    """Refuse an unsafe configuration (debug on, weak secret key, any host, plain HTTP on a public address).

    `local_demo` (`pledgewatch demo`, `pledgewatch serve --local-demo`) allows all of these on 127.0.0.1 only.
    """
    message = refusal(host=host, local_demo=local_demo, allow_plain_http=allow_plain_http)
    if message:
        raise CommandError(message)


def check_port(host: str, port: int, *, command: str = "serve") -> None:
    """Refuse at once, with what to do instead, when host:port cannot be listened on (e.g. already in use).

    gunicorn would retry for about 5 s, print its own errors and exit 1 without saying why.
    """
    if host.startswith("unix:"):
        return
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(_(
                "Port %(port)s on %(host)s is already in use by another program. Stop that program, or choose "
                "another port with --port N, e.g. `pledgewatch %(command)s --port %(other)s`.")
                % {"port": port, "host": host, "command": command, "other": port + 1 if port < 65535 else 8000},
            ) from None
        raise CommandError(_("Cannot listen on %(host)s port %(port)s: %(error)s. Choose another address or "
                             "port (--host, --port N).")
                           % {"host": host, "port": port, "error": exc.strerror or exc}) from None


def run(host: str, port: int, *, workers: int | None = None, threads: int = 4, stdout=None,
        command: str = "serve") -> None:
    """Serve the WSGI application with gunicorn until interrupted; refuse a port that is taken."""
    check_port(host, port, command=command)
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415 (0.3 s to import: only when serving)

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    from pledgewatch.wsgi import application  # noqa: PLC0415 (builds the WSGI handler: only when serving)

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

    settings.SERVER_PROCESSES = options["workers"]  # read by the page cache (web/caching.py) in every worker

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
