"""The project's Django e-mail backend: every mail (notices, tests, staff alerts) goes to EMAIL_URL.

`settings.EMAIL_BACKEND` is `pledgewatch.newsletter.mail.EmailBackend`. It sends over one reusable
`transport.Transport` (plain SMTP, STARTTLS or TLS from `EMAIL_URL`) and never raises for SMTP or
network trouble: the server's reply to each recipient is kept on the message as `message.outcomes`
(a list of `transport.Outcome`), and `send_messages` counts the messages every recipient accepted.
Any other Django backend (locmem under the tests, console, …) works too; `send` then reports a
reply of its own.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from pledgewatch.newsletter.transport import CONNECTION_LOST, Outcome, Transport


class EmailBackend(BaseEmailBackend):
    """Send Django e-mail over EMAIL_URL; keep each server reply on the message it answers."""

    def __init__(self, fail_silently: bool = False, url: str | None = None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.transport = Transport(url)

    def open(self) -> bool:
        """Connect now unless connected (sending connects by itself); return whether a connection was made."""
        if self.transport.smtp is not None:
            return False
        self.transport.open()
        return True

    def close(self) -> None:
        self.transport.close()

    def send_messages(self, email_messages) -> int:
        """Send each message to each of its recipients; return how many messages all recipients accepted."""
        if not email_messages:
            return 0
        connected = self.transport.smtp is not None
        sent = 0
        try:
            for message in email_messages:
                data = message.message().as_bytes()
                sender = envelope_sender(message)
                message.outcomes = [self.transport.send(sender, rcpt, data) for rcpt in message.recipients()]
                sent += bool(message.outcomes) and all(o.accepted for o in message.outcomes)
        finally:
            if not connected:  # a connection opened for this call is closed by it (as Django's SMTP backend)
                self.transport.close()
        return sent


class PreparedMessage(EmailMessage):
    """A Django message around a MIME message built by `render` (its bytes go out unchanged)."""

    def __init__(self, mime, *, envelope_from: str):
        plain = mime.get_body(("plain",))
        super().__init__(subject=str(mime["Subject"]), body=plain.get_content() if plain else "",
                         from_email=str(mime["From"]), to=[str(mime["To"])])
        self.mime = mime
        self.envelope_from = envelope_from

    def message(self):
        return self.mime


def envelope_sender(message) -> str:
    """Return the SMTP envelope sender (MAIL FROM) of a message: its bounce address, else its From."""
    return getattr(message, "envelope_from", None) or message.from_email or settings.DEFAULT_FROM_EMAIL


def send(mime, *, envelope_from: str, connection=None) -> Outcome:
    """Send a MIME message through the configured backend; return the server's reply to it."""
    message = PreparedMessage(mime, envelope_from=envelope_from)
    connection = connection or get_connection()
    accepted = connection.send_messages([message])
    outcomes = getattr(message, "outcomes", None)
    if outcomes:
        return outcomes[0]
    backend = f"{type(connection).__module__}.{type(connection).__name__}"
    return Outcome(250 if accepted else CONNECTION_LOST,
                   f"{'accepted' if accepted else 'not sent'} by {backend}", 0)
