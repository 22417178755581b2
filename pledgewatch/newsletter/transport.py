"""SMTP transport from EMAIL_URL, reused across messages, with the server's reply kept for every message.

`EMAIL_URL` forms: `smtp://host:port`, `smtp+tls://user:pass@host:587` (STARTTLS),
`smtps://user:pass@host:465` (TLS from the start). Optional DKIM signing with dkimpy.
"""

import smtplib
import ssl
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dkim
from django.conf import settings

from pledgewatch.newsletter import conf

TIMEOUT = 30


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # "", "starttls", "ssl"
    username: str
    password: str


def parse_email_url(url: str) -> SmtpConfig:
    """Return the SMTP settings named by an EMAIL_URL; raise ValueError for an unknown scheme."""
    parts = urlsplit(url)
    security = {"smtp": "", "smtp+tls": "starttls", "smtp+starttls": "starttls", "smtps": "ssl",
                "smtp+ssl": "ssl"}.get(parts.scheme)
    if security is None:
        raise ValueError(f"EMAIL_URL scheme {parts.scheme!r} is not one of smtp, smtp+tls, smtps")
    default_port = {"": 25, "starttls": 587, "ssl": 465}[security]
    return SmtpConfig(parts.hostname or "127.0.0.1", parts.port or default_port, security,
                      unquote(parts.username or ""), unquote(parts.password or ""))


@dataclass
class Outcome:
    """The result of one SMTP transaction: accepted or not, the code and the server's text."""

    code: int
    reply: str
    duration_ms: int

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        return self.code < 200 or 400 <= self.code < 500

    @property
    def permanent(self) -> bool:
        return self.code >= 500


CONNECTION_LOST = 0  # code of an Outcome when the connection failed before the server answered


@cache
def _dkim_key() -> bytes | None:
    path = conf.get("DKIM_KEY_FILE")
    return Path(path).read_bytes() if path else None


def dkim_sign(message: bytes) -> bytes:
    """Return the message with a DKIM-Signature header when a key is configured, else unchanged."""
    key = _dkim_key()
    if not key:
        return message

    header = dkim.sign(message, conf.get("DKIM_SELECTOR").encode(), conf.get("DKIM_DOMAIN").encode(), key,
                       include_headers=[b"from", b"to", b"subject", b"date", b"message-id",
                                        b"list-unsubscribe", b"list-unsubscribe-post"])
    return header + message


class Transport:
    """One reusable SMTP connection; `send` never raises for SMTP or network trouble, it reports it."""

    def __init__(self, url: str | None = None):
        self.config = parse_email_url(url or settings.EMAIL_URL)
        self.smtp: smtplib.SMTP | None = None
        self.sent_on_connection = 0

    def open(self) -> None:
        cfg = self.config
        if cfg.security == "ssl":
            self.smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT,
                                         context=ssl.create_default_context())
        else:
            self.smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT)
        self.smtp.ehlo_or_helo_if_needed()
        if cfg.security == "starttls":
            self.smtp.starttls(context=ssl.create_default_context())
            self.smtp.ehlo()
        if cfg.username:
            self.smtp.login(cfg.username, cfg.password)
        self.sent_on_connection = 0

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def send(self, sender: str, recipient: str, message: bytes) -> Outcome:
        """Send one message; return the Outcome (code 0 when the connection failed)."""
        started = time.monotonic()

        def outcome(code: int, reply) -> Outcome:
            text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
            return Outcome(code, text, int((time.monotonic() - started) * 1000))

        try:
            if self.smtp is None:
                self.open()
            smtp = self.smtp
            for step, args, ok in (("mail", (sender,), (250,)), ("rcpt", (recipient,), (250, 251))):
                code, reply = getattr(smtp, step)(*args)
                if code not in ok:
                    return self._refused(code, reply, outcome)
            code, reply = smtp.data(message)
            self.sent_on_connection += 1
            return outcome(code, reply)
        except smtplib.SMTPResponseException as exc:  # DATA refused, 421 at any step, AUTH failure
            return self._refused(exc.smtp_code, exc.smtp_error, outcome)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            return outcome(CONNECTION_LOST, f"{type(exc).__name__}: {exc}")

    def _refused(self, code: int, reply, outcome) -> Outcome:
        if code == 421 or code < 200:  # the server is closing the connection
            self._drop()
        else:
            try:
                self.smtp.rset()
            except (smtplib.SMTPException, OSError):
                self._drop()
        return outcome(code, reply)
