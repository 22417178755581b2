"""The project's Django e-mail backend against a real SMTP server on loopback: replies kept, nothing raised."""

import pytest
from django.core import mail as django_mail

from pledgewatch.newsletter import bounces, issues, mail, members
from pledgewatch.newsletter.models import Member
from tests.newsletter.smtp import free_port

pytestmark = pytest.mark.django_db


def test_notice_goes_through_the_backend_with_the_bounce_address(smtp, client):
    response = client.post("/newsletter/?lang=en", {"email": "new@example.org", "language": "en"},
                           REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 200
    (received,) = smtp.messages
    assert received["from"] == "bounces@pledgewatch.test"
    assert received["to"] == ["new@example.org"]
    assert received["msg"]["Subject"] == "Confirm your pledgewatch newsletter subscription"


def test_refused_notice_is_reported_not_raised(smtp):
    member = Member.objects.create(email="gone@example.org", language="en")
    smtp.script["gone@example.org"] = ["550"]
    assert members.send_notice("confirm", member, {"confirm_url": "http://testserver/x/"}) is False
    assert smtp.messages == []


def test_send_keeps_the_server_reply(smtp, issue):
    outcome = issues.send_test(issue, "staff@example.org", "en")
    assert (outcome.code, outcome.reply) == (250, "2.0.0 Ok: queued as Q00001")
    smtp.script["full@example.org"] = ["452"]
    outcome = issues.send_test(issue, "full@example.org", "en")
    assert (outcome.code, outcome.reply) == (452, "4.2.2 Mailbox full, try again later")


def test_backend_sends_to_every_recipient_and_keeps_each_reply(smtp, settings):
    smtp.script["b@example.org"] = ["550"]
    message = django_mail.EmailMessage("subject", "body", None, ["a@example.org", "b@example.org"])
    assert django_mail.get_connection().send_messages([message]) == 0  # one recipient refused
    assert [(o.code, o.reply) for o in message.outcomes] == [
        (250, "2.0.0 Ok: queued as Q00001"),
        (550, "5.1.1 <b@example.org>: Recipient address rejected: User unknown")]
    assert [m["to"] for m in smtp.messages] == [["a@example.org"]]
    assert smtp.messages[0]["from"] == "newsletter@pledgewatch.test"


def test_staff_alert_reaches_every_staff_member(smtp, django_user_model):
    for name in ("aiko", "boris"):
        django_user_model.objects.create_user(name, f"{name}@example.org", "x" * 12, is_staff=True)
    bounces.alert_staff("paused")
    assert sorted(m["to"][0] for m in smtp.messages) == ["aiko@example.org", "boris@example.org"]


def test_server_away_is_an_outcome(settings):
    settings.EMAIL_URL = f"smtp://127.0.0.1:{free_port()}"
    settings.EMAIL_BACKEND = "pledgewatch.newsletter.mail.EmailBackend"
    message = django_mail.EmailMessage("subject", "body", None, ["a@example.org"])
    assert mail.EmailBackend().send_messages([message]) == 0
    (outcome,) = message.outcomes
    assert outcome.code == 0 and outcome.reply.startswith("ConnectionRefusedError")


def test_another_backend_reports_its_own_reply(settings, issue):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outcome = issues.send_test(issue, "staff@example.org", "en")
    assert (outcome.code, outcome.reply) == (250, "accepted by django.core.mail.backends.locmem.EmailBackend")
    assert django_mail.outbox[0].subject.startswith("[TEST] ")
