"""The audit trail: every write path leaves history rows saying what changed, when, and who or which command.

Paths: the admin (add, change, delete, actions), the review queue (page and functions), CSV/JSON imports,
the IATI import (through its command), the seed, and `pledgewatch audit` that lists the trail.
"""

import getpass
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command as django_call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation

from pledgewatch.ledger import audit
from pledgewatch.ledger.models import Commitment, DuplicateCandidate, ExchangeRate, Organisation, Source
from pledgewatch.press import review
from tests.backup.data import IATI, PRESS
from tests.conftest import call_command_en

LOGIN = getpass.getuser()


pytestmark = pytest.mark.usefixtures("english")
call_command = call_command_en


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("chief", "chief@example.org", "pw")


@pytest.fixture
def staff(db):
    return User.objects.create_user("reviewer", "r@example.org", "pw", is_staff=True)


def latest(model, **filters):
    return model.history.filter(**filters).order_by("-history_date", "-history_id").first()


def assert_row(row, kind: str, *, user=None, reason=None, since=None):
    """Check one history row: its type, user, reason and a timestamp from this test."""
    assert row is not None
    assert (row.history_type, row.history_user, row.history_change_reason) == (kind, user, reason)
    assert since - timedelta(seconds=1) <= row.history_date <= timezone.now()


# ---------------------------------------------------------------- the helper

def test_acting_as_nests_and_restores(admin_user):
    assert audit.current() == audit.Actor()
    with audit.acting_as(user=admin_user, reason="outer"):
        with audit.acting_as(reason="x" * 150) as inner:
            assert inner.user == admin_user and inner.reason == "x" * 99 + "…"
        assert audit.current_reason() == "outer"
        with audit.acting_as(user=AnonymousUser()):
            assert audit.current_user() == admin_user
    assert audit.current() == audit.Actor()
    reason = audit.cli_reason("import csv", "/very/long/path/commitments.csv")
    assert reason == f"cli:{LOGIN} import csv commitments.csv"


def test_acting_as_attributes_orm_saves_and_bulk_writers(admin_user):
    from simple_history.utils import bulk_create_with_history

    since = timezone.now()
    with audit.acting_as(user=admin_user, reason="script: fix names"):
        org = Organisation.objects.create(slug="a", name_en="A")
        org._change_reason = "explicit reason wins"
        org.name_en = "A2"
        org.save()
        (_bulk,) = bulk_create_with_history([Organisation(slug="b", name_en="B")], Organisation,
                                           default_change_reason=audit.current_reason())
        Organisation.objects.get(pk=org.pk).delete()  # a fresh object: no _change_reason of its own
    rows = list(Organisation.history.order_by("history_id").values_list(
        "slug", "history_type", "history_user__username", "history_change_reason"))
    assert rows == [("a", "+", "chief", "script: fix names"), ("a", "~", "chief", "explicit reason wins"),
                    ("b", "+", "chief", "script: fix names"), ("a", "-", "chief", "script: fix names")]
    assert Organisation.history.filter(history_date__lt=since).count() == 0
    other = Organisation.objects.create(slug="c", name_en="C")  # outside: no actor
    assert_row(latest(Organisation, id=other.pk), "+", since=since)


# ---------------------------------------------------------------- the admin

def test_admin_add_change_delete_and_action_record_the_user(admin_user, seeded):
    client = Client()
    client.force_login(admin_user)
    since = timezone.now()
    form = {"base": "USD", "quote": "JPY", "date": "2026-11-01", "rate": "150.1234", "source": "test"}
    assert client.post("/admin/ledger/exchangerate/add/", form).status_code == 302
    rate = ExchangeRate.objects.get(source="test")
    assert_row(latest(ExchangeRate, id=rate.pk), "+", user=admin_user, since=since)
    assert client.post(f"/admin/ledger/exchangerate/{rate.pk}/change/", {**form, "rate": "151"}).status_code == 302
    assert_row(latest(ExchangeRate, id=rate.pk), "~", user=admin_user, since=since)
    assert latest(ExchangeRate, id=rate.pk).rate == 151
    assert client.post(f"/admin/ledger/exchangerate/{rate.pk}/delete/", {"post": "yes"}).status_code == 302
    assert_row(latest(ExchangeRate, id=rate.pk), "-", user=admin_user, since=since)

    first, second = Commitment.objects.order_by("pk")[:2]
    candidate = DuplicateCandidate.objects.create(commitment=first, other=second, score="0.700")
    response = client.post("/admin/ledger/duplicatecandidate/", {
        "action": "mark_distinct", "_selected_action": [candidate.pk]})
    assert response.status_code == 302
    assert_row(latest(DuplicateCandidate, id=candidate.pk), "~", user=admin_user, since=since)


def test_admin_merge_action_records_every_move(admin_user, seeded):
    """Merging a duplicate moves its sources and payments one by one: each move has a history row with the user."""
    from django.contrib.contenttypes.models import ContentType

    from pledgewatch.ledger.models import Transaction

    keep, drop = Commitment.objects.order_by("pk")[:2]
    ct = ContentType.objects.get_for_model(Commitment)
    moved_sources = sorted(Source.objects.filter(content_type=ct, object_id=drop.pk).values_list("pk", flat=True))
    payment = Transaction.objects.create(commitment=drop, kind="disbursement", date="2026-01-15",
                                         amount="1000", currency="JPY")
    candidate = DuplicateCandidate.objects.create(commitment=drop, other=keep, score="0.900")
    client = Client()
    client.force_login(admin_user)
    since = timezone.now()
    response = client.post("/admin/ledger/duplicatecandidate/", {
        "action": "merge_into_existing", "_selected_action": [candidate.pk]})
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=drop.pk).exists()
    assert moved_sources
    for pk in moved_sources:
        row = latest(Source, id=pk)
        assert_row(row, "~", user=admin_user, since=since)
        assert row.object_id == keep.pk
    row = latest(Transaction, id=payment.pk)
    assert_row(row, "~", user=admin_user, since=since)
    assert row.commitment_id == keep.pk
    assert_row(latest(Commitment, id=drop.pk), "-", user=admin_user, since=since)


# ---------------------------------------------------------------- the review queue

def test_review_decisions_record_reviewer_and_reason(seeded, staff):
    since = timezone.now()
    submission = review.submit(PRESS.read_bytes(), filename="mofa.txt", user=staff)
    proposal = submission.proposals.get()
    commitment = review.accept(proposal, staff)
    reason = f"review: accept proposal #{proposal.pk}"
    assert_row(latest(Commitment, id=commitment.pk, history_type="+"), "+", user=staff, reason=reason, since=since)
    sources = Source.history.filter(object_id=commitment.pk, history_type="+")
    assert sources.count() == len(proposal.spans) and {(s.history_user, s.history_change_reason)
                                                        for s in sources} == {(staff, reason)}
    again = review.submit((PRESS.parent / "ja_t02_jica_uz_loan_agreement.txt").read_bytes(), user=staff)
    linked = again.proposals.get()  # the JICA loan agreement of the same deal
    review.link(linked, staff, commitment_id=commitment.pk)
    row = Source.history.filter(object_id=commitment.pk).order_by("-history_id").first()
    assert_row(row, "+", user=staff, reason=f"review: link proposal #{linked.pk} to commitment #{commitment.pk}",
               since=since)


def test_review_page_decision_records_reviewer(seeded, admin_user):
    client = Client()
    client.force_login(admin_user)
    since = timezone.now()
    proposal = review.submit(PRESS.read_bytes(), user=admin_user).proposals.get()
    fields = review.merged_fields(proposal, None)[0]
    response = client.post(f"/review/proposal/{proposal.pk}/", {
        "action": "accept", **{k: v for k, v in fields.items() if v is not None},
        "recipients": ", ".join(fields["recipients"]), "amount": "21368000000"})
    assert response.status_code == 302, response.content[:500]
    proposal.refresh_from_db()
    assert_row(latest(Commitment, id=proposal.commitment_id, history_type="+"), "+", user=admin_user,
               reason=f"review: accept proposal #{proposal.pk}", since=since)


# ---------------------------------------------------------------- imports and the seed

def test_csv_and_json_imports_name_the_command(seeded, tmp_path):
    since = timezone.now()
    csv = tmp_path / "new.csv"
    csv.write_text("ref,title_en,instrument,amount,currency,qualifier,recipients\n"
                   "audit-1,Audit test,grant,100.5,JPY,exact,KZ\n", encoding="utf-8")
    call_command("import_csv", str(csv), stdout=io.StringIO())
    c = Commitment.objects.get(ref="audit-1")
    assert_row(latest(Commitment, id=c.pk), "+", reason=f"cli:{LOGIN} import csv new.csv", since=since)
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({"commitments": [{"ref": "audit-1", "amount": "200", "currency": "JPY",
                                                    "qualifier": "exact"}]}), encoding="utf-8")
    call_command("import_json", str(changed), stdout=io.StringIO())
    row = latest(Commitment, id=c.pk)
    assert_row(row, "~", reason=f"cli:{LOGIN} import json changed.json", since=since)
    assert row.amount == 200


def test_seed_rows_say_they_come_from_the_seed(db):
    from pledgewatch.ledger.seed import load_seed

    since = timezone.now()
    load_seed()
    rows = Commitment.history.all()
    assert rows.count() >= 6
    assert set(rows.values_list("history_type", "history_change_reason", "history_user")) == {
        ("+", "seed: CA+JAD Tokyo Initiative", None), ("~", "seed: CA+JAD Tokyo Initiative", None)}
    assert min(rows.values_list("history_date", flat=True)) >= since - timedelta(seconds=1)


def test_iati_import_writes_history_rows(seeded):
    since = timezone.now()
    call_command("import_iati", str(IATI), "--no-progress", stdout=io.StringIO())
    created = Commitment.objects.filter(iati_identifier__isnull=False)
    assert created.count() == 10
    rows = Commitment.history.filter(id__in=created.values("pk"), history_type="+")
    assert rows.count() == 10
    assert all(since - timedelta(seconds=1) <= r.history_date <= timezone.now() for r in rows)


def test_iati_import_is_attributed(seeded):
    call_command("import_iati", str(IATI), "--no-progress", stdout=io.StringIO())
    reasons = set(Commitment.history.filter(iati_identifier__isnull=False).values_list(
        "history_change_reason", flat=True))
    assert reasons == {f"cli:{LOGIN} import iati jica-619_2014"}


# ---------------------------------------------------------------- pledgewatch audit

def test_audit_command_lists_changes(seeded, staff, tmp_path):
    with audit.acting_as(user=staff, reason="fix the title"):
        c = Commitment.objects.order_by("pk").first()
        c.title_en = "Renamed"
        c.save()
    out = io.StringIO()
    call_command("audit", "--model", "commitment", "--limit", "1", "--format", "json", stdout=out)
    (row,) = json.loads(out.getvalue())
    assert {k: row[k] for k in ("model", "object_id", "type", "user", "reason", "changed")} == {
        "model": "commitment", "object_id": c.pk, "type": "~", "user": "reviewer", "reason": "fix the title",
        "changed": ["title_en"]}
    assert row["at"].endswith("+09:00")
    out = io.StringIO()
    call_command("audit", "--user", "reviewer", stdout=out)
    (line,) = out.getvalue().splitlines()
    assert line.endswith(f"changed  commitment #{c.pk}  reviewer  fix the title  [title_en]")
    out = io.StringIO()
    call_command("audit", "--since", "2999-01-01", stdout=out)
    assert out.getvalue() == "No changes found.\n"


def test_audit_command_refuses_bad_options(db):
    with pytest.raises(CommandError, match=r"^Unknown model “money”; use one of: claim, commitment, commitmentcountry"):
        call_command("audit", "--model", "money")
    with pytest.raises(CommandError, match=r"^--since needs a date as YYYY-MM-DD, not “yesterday”\.$"):
        call_command("audit", "--since", "yesterday")
    ja = r"^--since には YYYY-MM-DD 形式の日付を指定してください"
    with translation.override("ja"), pytest.raises(CommandError, match=ja):
        django_call_command("audit", "--since", "yesterday")
