"""The worker against a real scripted SMTP server: accept, defer, reject, throttle, drop, deadlines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pledgewatch.newsletter import issues
from pledgewatch.newsletter.models import Delivery, DeliveryState, IssueState, Member, Suppression
from pledgewatch.newsletter.worker import Worker, requeue_stale

pytestmark = pytest.mark.django_db


def run(**kwargs):
    return Worker().run(until_idle=True, wait=kwargs.pop("wait", 5), **kwargs)


def states(issue) -> dict:
    return {k: v for k, v in issues.counts(issue).items() if v}


def test_sends_every_member_once_and_stores_the_reply(smtp, make_members, issue):
    members = make_members(30)
    assert issues.queue_issue(issue) == 30
    assert issues.queue_issue(issue) == 0  # idempotent: the unique constraint keeps one row per member
    assert run() == 30
    issue.refresh_from_db()
    assert issue.state == IssueState.SENT
    assert states(issue) == {"sent": 30}
    assert sorted(m["to"][0] for m in smtp.messages) == sorted(m.email for m in members)
    d = Delivery.objects.get(member=members[0])
    assert d.smtp_code == 250
    assert d.smtp_reply.startswith("2.0.0 Ok: queued as Q")
    assert d.attempts == 1 and d.sent_at is not None
    assert smtp.connections == 1  # one connection reused for all messages


def test_message_headers_verp_and_one_click_unsubscribe(smtp, make_members, issue):
    from pledgewatch.newsletter import tokens

    member = make_members(1)[0]
    issues.queue_issue(issue)
    run()
    sent = smtp.messages[0]
    d = Delivery.objects.get(member=member)
    assert sent["from"] == tokens.verp_address(d.pk)
    assert tokens.delivery_from_verp(sent["from"]) == d.pk
    msg = sent["msg"]
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsub = msg["List-Unsubscribe"]
    assert unsub.startswith("<http://testserver/newsletter/unsubscribe/") and unsub.endswith("/>")
    assert tokens.read_token("unsubscribe", unsub.split("/")[-2]) == (member.pk, member.email)
    assert msg["X-Pledgewatch-Delivery"] == str(d.pk)
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in msg.walk()
             if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert "畜産振興・家畜衛生強化計画" in parts["text/plain"]
    assert "最大213.68億円" in parts["text/plain"]  # the pages' form (ledger.formatting)
    assert 'style="' in parts["text/html"]
    assert 'href="http://testserver/newsletter/member/' in parts["text/html"]
    assert unsub[1:-1] in parts["text/plain"]


def test_temporary_failures_retry_until_accepted(smtp, make_members, issue):
    a, b, c = make_members(3)
    smtp.script = {a.email: ["451", "451"], b.email: ["452"], c.email: ["drop"]}
    issues.queue_issue(issue)
    assert run() == 3
    assert states(issue) == {"sent": 3}
    assert Delivery.objects.get(member=a).attempts == 3
    assert Delivery.objects.get(member=b).attempts == 2
    assert Delivery.objects.get(member=c).attempts == 2
    assert smtp.attempts[a.email] == 3
    assert len(smtp.received_by(a.email)) == 1


def test_throttling_421_defers_reconnects_and_continues(smtp, make_members, issue):
    members = make_members(6)
    smtp.script = {members[2].email: ["421"]}
    issues.queue_issue(issue)
    assert run() == 6
    assert states(issue) == {"sent": 6}
    assert smtp.connections == 2
    assert Delivery.objects.get(member=members[2]).attempts == 2


def test_permanent_rejection_fails_and_suppresses_the_member(smtp, make_members, issue):
    a, _b = make_members(2)
    smtp.script = {a.email: ["550"]}
    issues.queue_issue(issue)
    assert run() == 1
    d = Delivery.objects.get(member=a)
    assert d.state == DeliveryState.BOUNCED
    assert d.smtp_code == 550
    assert d.smtp_reply == f"5.1.1 <{a.email}>: Recipient address rejected: User unknown"
    a.refresh_from_db()
    assert a.suppression == Suppression.HARD_BOUNCE
    assert a.bounces.get().status == "5.1.1"
    assert states(issue) == {"sent": 1, "bounced": 1}


def test_deadline_turns_a_deferred_delivery_into_failed(smtp, make_members, issue, settings):
    (a,) = make_members(1)
    smtp.default = "451"
    issues.queue_issue(issue)
    Delivery.objects.update(deadline=timezone.now() + timedelta(seconds=0.3))
    run(wait=2)
    d = Delivery.objects.get(member=a)
    assert d.state == DeliveryState.FAILED
    assert d.smtp_code == 451
    assert d.attempts >= 2


def test_until_idle_exits_when_retry_is_later_than_wait(smtp, make_members, issue, settings):
    (a,) = make_members(1)
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 30
    settings.NEWSLETTER_RETRY_MAX_SECONDS = 60
    smtp.script = {a.email: ["451"]}
    issues.queue_issue(issue)
    assert run(wait=1) == 0
    d = Delivery.objects.get(member=a)
    assert d.state == DeliveryState.DEFERRED
    assert 25 < (d.next_attempt_at - timezone.now()).total_seconds() <= 30


def test_connection_refused_defers_without_losing_anything(settings, make_members, issue):
    from tests.newsletter.smtp import free_port

    settings.EMAIL_URL = f"smtp://127.0.0.1:{free_port()}"
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 30
    settings.NEWSLETTER_RETRY_MAX_SECONDS = 60
    make_members(4)
    issues.queue_issue(issue)
    assert Worker().run(until_idle=True, wait=0.5) == 0
    assert states(issue) == {"deferred": 1, "queued": 3}
    d = Delivery.objects.get(state="deferred")
    assert d.smtp_reply.startswith("ConnectionRefusedError")


def test_suppressed_and_unsubscribed_members_are_not_sent(smtp, make_members, issue):
    a, b, c = make_members(3)
    Member.objects.filter(pk=a.pk).update(suppression=Suppression.HARD_BOUNCE)
    issues.queue_issue(issue)
    Member.objects.filter(pk=b.pk).update(unsubscribed_at=timezone.now())
    assert run() == 1
    assert Delivery.objects.get(member=a).state == DeliveryState.SUPPRESSED
    assert Delivery.objects.get(member=b).state == DeliveryState.SUPPRESSED
    assert [m["to"] for m in smtp.messages] == [[c.email]]


def test_paused_issue_is_not_sent_until_resumed(smtp, make_members, issue):
    make_members(3)
    issues.queue_issue(issue)
    issues.pause_issue(issue, "test")
    assert run() == 0
    assert states(issue) == {"queued": 3}
    issues.resume_issue(issue)
    assert run() == 3


def test_stale_claims_of_a_dead_worker_are_requeued(make_members, issue):
    make_members(3)
    issues.queue_issue(issue)
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_by="otherhost:1:abc", claimed_at=timezone.now())
    assert requeue_stale() == 0  # another host, lease not over: its worker may still be sending
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert requeue_stale() == 3
    assert states(issue) == {"queued": 3}


def test_rate_limit_per_second_spaces_messages(smtp, make_members, issue, settings):
    import time

    settings.NEWSLETTER_RATE_PER_SECOND = 20
    make_members(10)
    issues.queue_issue(issue)
    started = time.monotonic()
    assert run() == 10
    assert time.monotonic() - started >= 0.45


def test_rate_limit_per_hour_stops_at_the_limit(smtp, make_members, issue, settings):
    settings.NEWSLETTER_RATE_PER_HOUR = 4
    make_members(6)
    issues.queue_issue(issue)
    assert Worker().run(until_idle=True, wait=0, max_batches=3) == 4
    assert states(issue) == {"sent": 4, "queued": 2}


def test_scheduled_issue_is_queued_by_the_worker(smtp, make_members, issue):
    make_members(2)
    issues.schedule_issue(issue, timezone.now() - timedelta(seconds=1))
    assert run() == 2
    issue.refresh_from_db()
    assert issue.state == IssueState.SENT


def test_a_message_that_cannot_be_built_fails_alone(smtp, make_members, issue):
    a, b = make_members(2)
    from pledgewatch.newsletter.models import Member as M

    M.objects.filter(pk=a.pk).update(topics={"countries": 5})  # corrupt topics: rendering raises
    issues.queue_issue(issue)
    assert run() == 1
    d = Delivery.objects.get(member=a)
    assert d.state == DeliveryState.FAILED
    assert d.smtp_reply.startswith("could not build the message: TypeError(")
    assert Delivery.objects.get(member=b).state == DeliveryState.SENT
