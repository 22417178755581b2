"""Fixtures of the newsletter tests: a scripted SMTP server on loopback, members, issues."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.newsletter.smtp import ScriptedServer


@pytest.fixture
def smtp(settings):
    """Start a scripted aiosmtpd server and point EMAIL_URL at it; yield its handler."""
    with ScriptedServer() as server:
        settings.EMAIL_URL = server.url
        settings.EMAIL_BACKEND = "pledgewatch.newsletter.mail.EmailBackend"
        yield server.handler


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.BASE_URL = "http://testserver"
    settings.DEFAULT_FROM_EMAIL = "pledgewatch <newsletter@pledgewatch.test>"
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0.05
    settings.NEWSLETTER_RETRY_MAX_SECONDS = 0.2
    settings.NEWSLETTER_MASS_BLOCK_THRESHOLD = 3


@pytest.fixture
def make_members(db):
    from pledgewatch.newsletter.models import Member

    def make(n: int, *, domain: str = "example.org", language: str = "ja", **extra):
        now = timezone.now()
        Member.objects.bulk_create([Member(email=f"m{i:05d}@{domain}", language=language, confirmed_at=now,
                                           **extra) for i in range(n)])
        return list(Member.objects.filter(email__endswith=f"@{domain}").order_by("id"))
    return make


@pytest.fixture
def issue(db):
    """Return a draft issue with one change and no initiative (rendered without the ledger)."""
    from pledgewatch.newsletter.models import Issue

    now = timezone.now()
    content = {"initiative": None, "since": None, "until": now.isoformat(), "progress": [], "items": [
        {"kind": "new_commitment", "commitment": 1, "title": {"ja": "畜産振興・家畜衛生強化計画",
                                                               "en": "Livestock sector development", "ru": ""},
         "date": "2025-12-17", "stage": "signed", "path": "/commitments/1/", "instrument": "loan",
         "amount": {"amount": "21368000000", "currency": "JPY", "qualifier": "up_to"},
         "tags": {"initiatives": [], "countries": ["UZ"], "pillars": ["green-resilience"]}},
        {"kind": "stage_change", "commitment": 2, "title": {"ja": "橋梁架け替え計画", "en": "Bridge replacement",
                                                            "ru": ""},
         "stage_from": "announced", "stage_to": "signed", "path": "/commitments/2/", "date": None,
         "tags": {"initiatives": [], "countries": ["KG"], "pillars": ["connectivity"]}},
    ]}
    return Issue.objects.create(until=now - timedelta(seconds=1), content=content)
