"""DSN parsing of several mail systems, the suppression rules, the maildir reader and the webhook."""

import mailbox
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from pledgewatch.newsletter import bounces, issues, tokens
from pledgewatch.newsletter.models import (
    Bounce,
    BounceKind,
    Delivery,
    DeliveryState,
    IssueState,
    Member,
    StaffAlert,
    Suppression,
)

DSN = Path(__file__).resolve().parents[1] / "fixtures" / "dsn"


def sample(name: str, delivery: Delivery) -> bytes:
    text = (DSN / name).read_text(encoding="utf-8")
    return text.replace("{VERP}", tokens.verp_address(delivery.pk)).replace(
        "{RCPT}", delivery.member.email).encode("utf-8")


@pytest.fixture
def sent(make_members, issue):
    """Return a function giving the delivery of member i, queued and marked sent."""
    members = make_members(8)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.SENT)
    return lambda i: Delivery.objects.select_related("member").get(member=members[i])


@pytest.mark.parametrize(("name", "kind", "status"), [
    ("postfix-hard-5.1.1.eml", "hard", "5.1.1"),
    ("gmail-hard-5.1.1.eml", "hard", "5.1.1"),
    ("exchange-block-5.7.1.eml", "block", "5.7.1"),
    ("postfix-delayed-4.2.2.eml", "soft", "4.2.2"),
    ("qmail-nonstandard.eml", "hard", "5.1.1"),
    ("exim-nonstandard-no-verp.eml", "hard", "5.1.1"),
    ("yahoo-arf-complaint.eml", "complaint", ""),
])
def test_parse_samples_of_several_mail_systems(sent, name, kind, status):
    d = sent(0)
    (report,) = bounces.parse(sample(name, d))
    assert (report.kind, report.status) == (kind, status)
    assert report.recipient == d.member.email
    expected_id = None if "no-verp" in name else d.pk
    assert report.delivery_id == expected_id


def test_parse_diagnostic_text_is_unfolded(sent):
    (report,) = bounces.parse(sample("postfix-hard-5.1.1.eml", sent(0)))
    assert report.diagnostic == (f"smtp; 550 5.1.1 <{sent(0).member.email}>: Recipient address rejected: "
                                 "User unknown in virtual mailbox table")


def test_forged_verp_is_ignored():
    assert tokens.delivery_from_verp("bounces+12-000000000000@pledgewatch.test") is None
    assert tokens.delivery_from_verp(tokens.verp_address(12)) == 12


def test_ordinary_mail_is_not_a_bounce():
    raw = b"From: someone@example.org\r\nTo: bounces@pledgewatch.test\r\nSubject: hello\r\n\r\nHi there.\r\n"
    assert bounces.parse(raw) == []


def test_hard_bounce_suppresses_the_member(sent):
    d = sent(0)
    (b,) = bounces.process_message(sample("postfix-hard-5.1.1.eml", d))
    d.refresh_from_db()
    d.member.refresh_from_db()
    assert (b.kind, b.delivery_id) == ("hard", d.pk)
    assert d.state == DeliveryState.BOUNCED
    assert d.member.suppression == Suppression.HARD_BOUNCE


def test_complaint_suppresses_the_member(sent):
    d = sent(1)
    bounces.process_message(sample("yahoo-arf-complaint.eml", d))
    d.member.refresh_from_db()
    assert d.member.suppression == Suppression.COMPLAINT


def test_three_soft_bounces_of_the_last_five_suppress(make_members):
    from django.utils import timezone

    from pledgewatch.newsletter.models import Issue

    (member,) = make_members(1, domain="soft.example")
    deliveries = []
    for _n in range(5):
        issue = Issue.objects.create(until=timezone.now(), content={"items": [], "progress": []})
        issues.queue_issue(issue)
        deliveries.append(Delivery.objects.select_related("member").get(issue=issue))
    for i, d in enumerate(deliveries[:3]):
        bounces.process_message(sample("postfix-delayed-4.2.2.eml", d))
        member.refresh_from_db()
        assert member.suppression == ("" if i < 2 else Suppression.SOFT_BOUNCES)
    assert bounces.soft_score(member) == 3


def test_two_soft_bounces_do_not_suppress(sent):
    d = sent(2)
    for _n in range(2):
        bounces.process_message(sample("postfix-delayed-4.2.2.eml", d))
    d.member.refresh_from_db()
    assert d.member.suppression == ""  # both on the same delivery: one delivery of the last five


def test_mass_block_list_failure_pauses_the_issue_and_alerts_staff(sent, issue, django_user_model, mailoutbox):
    django_user_model.objects.create_user("staff", "staff@pledgewatch.test", "x", is_staff=True)
    Delivery.objects.update(state=DeliveryState.QUEUED)
    issue.refresh_from_db()
    for i in range(3):  # threshold 3 in tests
        bounces.process_message(sample("exchange-block-5.7.1.eml", sent(i)))
    issue.refresh_from_db()
    assert issue.state == IssueState.PAUSED
    # staff language (ja by default)
    assert issue.paused_reason.startswith(
        "3 人の会員宛てがポリシーまたはブロックリストで拒否されました（最後：5.7.1 smtp;550")
    assert StaffAlert.objects.get().issue == issue
    assert Member.objects.exclude(suppression="").count() == 0  # nobody is suppressed for our own problem
    assert [m.to for m in mailoutbox] == [["staff@pledgewatch.test"]]


def test_maildir_is_read_once(sent, tmp_path):
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(sample("postfix-hard-5.1.1.eml", sent(0)))
    box.add(sample("gmail-hard-5.1.1.eml", sent(1)))
    box.add(b"From: a@example.org\nSubject: hi\n\nnot a bounce\n")
    assert bounces.process_maildir(tmp_path / "bounces") == {"messages": 3, "bounces": 2}
    assert bounces.process_maildir(tmp_path / "bounces") == {"messages": 0, "bounces": 0}
    assert Member.objects.filter(suppression=Suppression.HARD_BOUNCE).count() == 2


def test_bounces_command(sent, tmp_path, capsys):
    box = mailbox.Maildir(tmp_path / "m", create=True)
    box.add(sample("qmail-nonstandard.eml", sent(3)))
    with translation.override("en"):
        call_command("newsletter_bounces", str(tmp_path / "m"))
    assert capsys.readouterr().out == "1 messages read, 1 bounces recorded.\n"
    with translation.override("ja"):
        call_command("newsletter_bounces", str(tmp_path / "m"))
    assert capsys.readouterr().out == "0 通を読み込み、0 件のバウンスを記録しました。\n"


def test_webhook_needs_the_secret(sent, client, settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = "s3cret"
    raw = sample("gmail-hard-5.1.1.eml", sent(4))
    url = "/newsletter/bounces/webhook/"
    assert client.post(url, raw, content_type="message/rfc822").status_code == 401
    assert client.post(url, raw, content_type="message/rfc822",
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert Bounce.objects.count() == 0
    response = client.post(url, raw, content_type="message/rfc822", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200
    assert response.json() == {"bounces": [{"member": sent(4).member.email, "kind": "hard", "status": "5.1.1"}]}
    assert client.get(url).status_code == 405


def test_webhook_is_off_without_a_secret(client, db):
    assert client.post("/newsletter/bounces/webhook/", b"x", content_type="message/rfc822").status_code == 401


def test_block_at_smtp_time_fails_without_suppressing(smtp, make_members, issue):
    from pledgewatch.newsletter.worker import Worker

    members = make_members(4)
    smtp.script = {m.email: ["554-block"] for m in members[:3]}
    issues.queue_issue(issue)
    Worker().run(until_idle=True, wait=1)
    issue.refresh_from_db()
    assert issue.state == IssueState.PAUSED
    assert Member.objects.exclude(suppression="").count() == 0
    assert Bounce.objects.filter(kind=BounceKind.BLOCK).count() == 3
    assert Delivery.objects.filter(state=DeliveryState.FAILED).count() == 3
    assert Delivery.objects.get(member=members[3]).state == DeliveryState.QUEUED  # waits for staff
    assert smtp.messages == []
