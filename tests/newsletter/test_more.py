"""DKIM signing, automatic issues, two workers sharing one queue, SMTP URL forms, health figures."""

import subprocess

import pytest

from pledgewatch.newsletter import health, issues
from pledgewatch.newsletter.models import Delivery, DeliveryState, Issue
from pledgewatch.newsletter.transport import SmtpConfig, parse_email_url
from pledgewatch.newsletter.worker import Worker


def test_email_url_forms():
    assert parse_email_url("smtp://127.0.0.1:2525") == SmtpConfig("127.0.0.1", 2525, "", "", "")
    assert parse_email_url("smtp+tls://user:p%40ss@mail.example.org:587") == SmtpConfig(
        "mail.example.org", 587, "starttls", "user", "p@ss")
    assert parse_email_url("smtps://u:p@mail.example.org") == SmtpConfig("mail.example.org", 465, "ssl", "u", "p")
    with pytest.raises(ValueError, match="EMAIL_URL scheme 'http' is not one of smtp, smtp\\+tls, smtps"):
        parse_email_url("http://example.org")


@pytest.mark.django_db
def test_dkim_signature_verifies(smtp, make_members, issue, settings, tmp_path):
    import dkim

    from pledgewatch.newsletter import transport

    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "1024"], check=True, capture_output=True)
    public = subprocess.run(["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"], check=True,
                            capture_output=True).stdout
    settings.NEWSLETTER_DKIM_KEY_FILE = str(key)
    settings.NEWSLETTER_DKIM_SELECTOR = "pw"
    settings.NEWSLETTER_DKIM_DOMAIN = "pledgewatch.test"
    transport._dkim_key.cache_clear()
    try:
        make_members(1)
        issues.queue_issue(issue)
        assert Worker().run(until_idle=True, wait=1) == 1
    finally:
        transport._dkim_key.cache_clear()
    raw = smtp.messages[0]["raw"]
    assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256;")
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):
        return record if name == b"pw._domainkey.pledgewatch.test." else None

    assert dkim.verify(raw, dnsfunc=dns)


@pytest.mark.django_db
def test_automatic_issue_when_due(smtp, make_members, settings):
    from pledgewatch.ledger.models import Document

    settings.NEWSLETTER_AUTO_DAYS = 7
    make_members(2)
    assert issues.auto_issue() is None  # nothing changed in the ledger yet
    Document.objects.create(kind="press_release", title_en="Tokyo Declaration", title_ja="東京宣言")
    issue = issues.auto_issue()
    assert issue is not None and issue.automatic and issue.state == "sending"
    assert [i["kind"] for i in issue.content["items"]] == ["new_document"]
    assert Worker().run(until_idle=True, wait=1) == 2
    assert issues.auto_issue() is None  # the last issue is younger than 7 days
    assert Issue.objects.count() == 1


@pytest.mark.django_db
def test_health_figures(make_members, issue):
    members = make_members(4, domain="fast.example")
    slow = make_members(2, domain="slow.example")
    issues.queue_issue(issue)
    Delivery.objects.filter(member__in=members).update(state=DeliveryState.SENT, duration_ms=10)
    Delivery.objects.filter(member=slow[0]).update(state=DeliveryState.SENT, duration_ms=900)
    Delivery.objects.filter(member=slow[1]).update(state=DeliveryState.BOUNCED)
    from pledgewatch.newsletter.models import Bounce

    Bounce.objects.create(member=slow[1], delivery=Delivery.objects.get(member=slow[1]), kind="hard")
    Bounce.objects.create(member=members[0], delivery=Delivery.objects.get(member=members[0]), kind="complaint")
    h = health.issue_health(issue)
    assert h["counts"]["sent"] == 5 and h["counts"]["bounced"] == 1 and h["total"] == 6
    assert h["bounce_rate"] == "0.1667"
    assert h["complaint_rate"] == "0.2000"
    assert h["slowest_domains"] == [{"domain": "slow.example", "avg_ms": 900, "sent": 1},
                                    {"domain": "fast.example", "avg_ms": 10, "sent": 4}]
    assert h["failing_domains"] == [{"domain": "slow.example", "failing": 1, "total": 2}]


@pytest.mark.slow
def test_two_workers_share_the_queue_without_duplicates(tmp_path):
    """Two worker processes at once (SKIP LOCKED on PostgreSQL, the write lock on SQLite)."""
    import os
    from collections import Counter

    from tests.conftest import on_postgres
    from tests.newsletter.crash import Harness, postgres_database

    url = postgres_database(os.environ["DATABASE_URL"], "pledgewatch_two_workers") if on_postgres() else None
    h = Harness(tmp_path, database_url=url, extra_env={"PLEDGEWATCH_MAIL_BATCH": "10"})
    h.start_sink()
    try:
        h.prepare(400)
        a, b = h.worker(), h.worker()
        assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    finally:
        h.stop_sink()
    counts = Counter(h.sunk())
    assert len(counts) == 400
    assert max(counts.values()) == 1
