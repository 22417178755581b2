"""A small world for the permission tests: the seed ledger, one row of every admin model, one account per role.

Built once per module inside a transaction (like Django's setUpTestData); each test runs in a savepoint inside it
and is rolled back, so every cell of the table starts from the same data.
"""

import io
import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

PASSWORD = "a-long-pass-phrase-42"
PRESS_TEXT = ("令和7年12月17日、東京において、ウズベキスタン共和国政府との間で、供与限度額213億6,800万円の円借款"
              "「畜産振興・家畜衛生強化計画」に関する書簡の交換が行われました。")


def _objects(users) -> dict:
    """Create one fresh, unreferenced row per admin model (changed or deleted by the tests)."""
    from django.contrib.auth.models import Group

    from pledgewatch.accounts.models import LoginThrottle
    from pledgewatch.iati.models import IatiActivity, ImportedFile, ImportRun, PillarRule
    from pledgewatch.ledger import models as m
    from pledgewatch.newsletter.models import Delivery, Issue, Member, StaffAlert
    from pledgewatch.press import review

    ini = m.Initiative.objects.get(slug="ca-jad-tokyo-initiative")
    now = timezone.now()
    spare_ini = m.Initiative.objects.create(slug="spare", name_ja="予備", name_en="Spare",
                                            horizon_start=date(2026, 1, 1), horizon_end=date(2030, 12, 31),
                                            headline_currency="JPY",
                                            target_amount=Decimal("1000000000"), target_currency="JPY",
                                            counted_stages=["signed", "committed"])
    c = [m.Commitment.objects.create(title_en=f"Spare {i}", title_ja=f"予備 {i}", instrument="grant", stage="signed",
                                     amount=Decimal("1000000"), currency="JPY", qualifier="exact",
                                     date=date(2026, 1, 5))
         for i in range(6)]
    text = m.SourceText.objects.create(sha256="0" * 64, text="spare text", title="spare")
    member = Member.objects.create(email="member@example.org", language="en", confirmed_at=now)
    issue = Issue.objects.create(initiative=ini, until=now)
    run = ImportRun.objects.create()
    submission = review.submit(PRESS_TEXT, user=users["reviewer"])
    objs = {
        "auth.user": users["spare"], "auth.group": Group.objects.create(name="spare-group"),
        "ledger.commitment": c[0], "ledger.sourcetext": text,
        "ledger.document": m.Document.objects.create(kind="press_release", title_en="Spare document"),
        "ledger.claim": m.Claim.objects.create(key="SPARE-1", initiative=ini, kind="portfolio",
                                               title_en="Spare claim", claimed_by="Spare government",
                                               qualifier="undisclosed"),
        "ledger.event": m.Event.objects.create(slug="spare-event", kind="meeting", name_ja="予備会合",
                                               name_en="Spare meeting", starts_at=now),
        "ledger.organisation": m.Organisation.objects.create(slug="spare-org", name_en="Spare org"),
        "ledger.source": m.Source.objects.create(target=c[1], field="amount", quote="spare quote", seen_on=date.today(),
                                                 url="https://example.org/spare"),
        "ledger.duplicatecandidate": m.DuplicateCandidate.objects.create(commitment=c[2], other=c[3], score=0.8,
                                                                          reasons=["same amount"]),
        "ledger.initiative": spare_ini,
        "ledger.pillar": m.Pillar.objects.create(initiative=spare_ini, slug="spare", name_ja="予備", name_en="Spare"),
        "ledger.exchangerate": m.ExchangeRate.objects.create(base="USD", quote="JPY", date=date(2026, 1, 5),
                                                             rate=Decimal("150.25"), source="test"),
        "ledger.country": m.Country.objects.create(code="XZ", iso3="XZZ", name_ja="予備国", name_en="Spareland"),
        "iati.pillarrule": PillarRule.objects.create(initiative=ini, pillar=ini.pillars.first(), keywords="spare"),
        "iati.importrun": run,
        "iati.importedfile": ImportedFile.objects.create(run=run, path="/tmp/x.xml", sha256="1" * 64, status="done"),
        "iati.iatiactivity": IatiActivity.objects.create(identifier="XM-SPARE-1", commitment=c[4], fingerprint="f"),
        "press.submission": submission, "press.decision": None,
        "newsletter.member": member, "newsletter.issue": issue,
        "newsletter.delivery": Delivery.objects.create(issue=issue, member=member, domain="example.org",
                                                       deadline=now + timedelta(days=2)),
        "newsletter.staffalert": StaffAlert.objects.create(message="spare alert"),
        "accounts.loginthrottle": LoginThrottle.objects.create(username="someone", ip="192.0.2.1", failures=9,
                                                               first_failure_at=now, last_failure_at=now,
                                                               locked_until=now + timedelta(hours=1)),
        "dup2": m.DuplicateCandidate.objects.create(commitment=c[5], other=c[3], score=0.7),
        "proposal": submission.proposals.first(),
    }
    decided = review.submit(PRESS_TEXT, user=users["reviewer"]).proposals.first()
    objs["press.decision"] = review.reject(decided, users["reviewer"], reason="spare")
    return objs


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Seed + one spare row per admin model + accounts per role, kept for the module, rolled back at its end."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from pledgewatch.accounts.roles import ADMIN, EDITOR, REVIEWER, assign, sync_roles
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import clear_memo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sync_roles()
            load_seed()
            clear_memo()
            users = {}
            for role in (EDITOR, REVIEWER, ADMIN):
                users[role] = User.objects.create_user(role, f"{role}@example.org", PASSWORD)
                assign(users[role], role)
            # the operator's way into the web: it creates an admin account with the CLI
            os.environ["PW_OPERATOR_TEST"] = PASSWORD
            call_command("user_add", "operator", "--role", "admin", "--password-env", "PW_OPERATOR_TEST",
                         stdout=io.StringIO())
            users["operator"] = User.objects.get(username="operator")
            users["spare"] = User.objects.create_user("spare", "spare@example.org", PASSWORD)
            yield {"users": users, "objects": _objects(users)}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
