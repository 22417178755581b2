"""A database with something in every kind of table: seed, IATI files, review queue, users, newsletter, history.

The values are chosen to catch lossy conversions: exact Decimals with 4 places, datetimes with
microseconds entered in another time zone, JSON with Unicode and nesting, NULL next to "", big ids.
"""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
IATI = FIXTURES / "iati" / "jica" / "jica-619_2014"
PRESS = FIXTURES / "press" / "tuned" / "ja_t01_mofa_uz_loan.txt"
TOKYO = ZoneInfo("Asia/Tokyo")


def populate() -> dict:
    """Fill the test database; return a few objects the tests look at."""
    from pledgewatch.ledger.audit import acting_as
    from pledgewatch.ledger.models import Commitment, CommitmentCountry, ExchangeRate, Initiative, Organisation
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.newsletter.models import Bounce, Delivery, Issue, Member
    from pledgewatch.press import review

    load_seed()
    call_command("import_iati", str(IATI), "--no-progress", "--initiative", "ca-jad-tokyo-initiative",
                 stdout=io.StringIO())
    admin = User.objects.create_superuser("root-admin", "admin@example.org", "pw", first_name="管理者")
    editor = User.objects.create_user("editor", "", "pw", is_staff=True, last_name="")
    group = Group.objects.create(name="データ入力")
    group.permissions.set(Permission.objects.filter(codename__in=["change_commitment", "add_commitment"]))
    editor.groups.add(group)
    editor.user_permissions.add(Permission.objects.get(codename="view_exchangerate"))
    submission = review.submit(PRESS.read_bytes(), filename="mofa.txt", user=editor)
    accepted = review.accept(submission.proposals.get(), editor, edits={"amount": "21368000000.5"})
    with acting_as(user=admin, reason="backup test: exact values"):
        org = Organisation.objects.create(slug="edge", name_en="Edge — “quotes” \\ and\nnewline", name_ja="端",
                                          founded=None, iati_ref="")
        edge = Commitment.objects.create(
            title_en="Edge case", title_ja="", instrument="grant", amount=Decimal("12345678901.2345"),
            currency="USD", qualifier="approx", date=dt.date(2026, 2, 28), provider=org, ref=None,
            iati_identifier=None, stage="committed")
        CommitmentCountry.objects.create(commitment=edge, country_id="KZ", share=Decimal("33.3333"))
        CommitmentCountry.objects.create(commitment=edge, country_id="UZ", share=Decimal("66.6667"))
        ExchangeRate.objects.create(base="USD", quote="JPY", date=dt.date(2026, 1, 5), rate=Decimal("157.1234567891"),
                                    source="test")
        edge.amount = Decimal("0.0001")
        edge.save()
        gone = Commitment.objects.create(title_en="Deleted later", instrument="loan", qualifier="undisclosed")
        gone.delete()
    member = Member.objects.create(email="ユーザー@example.jp", language="ru", topics={"countries": ["KZ", "UZ"]},
                                   created_at=dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=TOKYO),
                                   confirmed_at=dt.datetime(2026, 3, 1, 0, 31, 0, 1, tzinfo=dt.UTC))
    Member.objects.create(email="pending@example.org", topics={})
    initiative = Initiative.objects.get(slug="ca-jad-tokyo-initiative")
    issue = Issue.objects.create(initiative=initiative, until=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                                 content={"items": [{"title": "畜産", "amount": "21368000000"}], "n": 1},
                                 charts={"ja": "iVBORw0KGgo="}, state="sent")
    delivery = Delivery.objects.create(issue=issue, member=member, domain="example.jp",
                                       deadline=dt.datetime(2026, 11, 3, tzinfo=dt.UTC), state="sent",
                                       smtp_code=250, smtp_reply="250 2.0.0 OK queued as 4ABC", attempts=1)
    Bounce.objects.create(member=member, delivery=delivery, kind="soft", status="4.2.2", diagnostic="")
    LogEntry.objects.create(user=admin, content_type=ContentType.objects.get_for_model(Commitment),
                            object_id=str(edge.pk), object_repr="Edge case", action_flag=CHANGE,
                            change_message='[{"changed": {"fields": ["Amount"]}}]')
    return {"edge": edge, "accepted": accepted, "admin": admin, "member": member}
