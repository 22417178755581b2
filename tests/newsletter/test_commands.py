"""The CLI: members import/export (all or nothing, line numbers), issue create/send/status, worker, errors."""

import io
import json

import pytest

from pledgewatch.newsletter import member_csv
from pledgewatch.newsletter.exceptions import ImportFormatError
from pledgewatch.newsletter.models import Issue, Member, Suppression

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries(db):
    from pledgewatch.ledger.models import Country

    for code, iso3 in (("KZ", "KAZ"), ("UZ", "UZB"), ("KG", "KGZ")):
        Country.objects.get_or_create(code=code, defaults={"iso3": iso3, "name_en": code, "name_ja": code})


def write(tmp_path, text: str):
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_confirmed_members(cli, tmp_path, countries):
    path = write(tmp_path, "email,language,topics\na@example.org,ja,country:KZ country:UZ\nB@Example.ORG,en,\n")
    assert cli("newsletter", "members", "import", path, "--confirmed") == (
        0, "2 members created, 0 updated.\n", "")
    a = Member.objects.get(email="a@example.org")
    assert (a.language, a.topics, a.eligible) == ("ja", {"countries": ["KZ", "UZ"]}, True)
    assert Member.objects.get(email="B@example.org").language == "en"


def test_import_stops_at_a_malformed_line_and_writes_nothing(cli, tmp_path, countries):
    path = write(tmp_path, "email,language,topics\nok@example.org,ja,\nnot-an-address,ja,\n")
    status, out, err = cli("newsletter", "members", "import", path)
    assert (status, out) == (1, "")
    assert err == "members.csv: line 3: “not-an-address” is not an e-mail address\n"
    assert Member.objects.count() == 0


def test_import_error_messages_in_japanese(cli, tmp_path, countries):
    path = write(tmp_path, "email,language,topics\nok@example.org,fr,\n")
    assert cli("newsletter", "members", "import", path, lang="ja")[2] == (
        "members.csv: 2 行目：不明な言語「fr」（ja、en、ru のいずれか）\n")


@pytest.mark.parametrize(("text", "error"), [
    ("mail,language\nx@example.org,ja\n", "line 1: the header must name the columns email,language,topics"),
    ("email,language,topics\nx@example.org,ja,country:ZZ\n", "line 2: unknown country “ZZ”"),
    ("email,language,topics\nx@example.org,ja,region:asia\n",
     "line 2: unknown topic “region:asia” (use initiative:SLUG, country:CODE or pillar:SLUG)"),
    ("email,language,topics\nx@example.org,ja,,extra\n", "line 2: too many columns"),
    ("email,language,topics\nx@example.org,ja,\nX@example.org,en,\n", "line 3: X@example.org appears twice"),
])
def test_import_errors(countries, text, error):
    from django.utils import translation

    with pytest.raises(ImportFormatError) as exc, translation.override("en"):
        member_csv.import_members(text)
    assert str(exc.value) == error


def test_missing_file_is_a_clear_error(cli, tmp_path):
    status, _out, err = cli("newsletter", "members", "import", str(tmp_path / "nope.csv"))
    assert status == 1
    assert err == f"{tmp_path / 'nope.csv'}: No such file or directory\n"


def test_export_import_round_trip_keeps_suppression(tmp_path, countries, make_members):
    a, b, c = make_members(3)
    Member.objects.filter(pk=a.pk).update(suppression=Suppression.HARD_BOUNCE, topics={"countries": ["KZ"]})
    from django.utils import timezone

    Member.objects.filter(pk=b.pk).update(unsubscribed_at=timezone.now())
    out = io.StringIO()
    assert member_csv.export_members(out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == "email,language,topics,status,confirmed_at,unsubscribed_at,suppression"
    assert lines[1].startswith(f"{a.email},ja,country:KZ,suppressed,")
    assert lines[1].endswith(",hard_bounce")
    Member.objects.all().delete()
    assert member_csv.import_members(out.getvalue()) == {"created": 3, "updated": 0}
    got = {m.email: (m.status, m.suppression, m.topics) for m in Member.objects.all()}
    assert got == {a.email: ("suppressed", "hard_bounce", {"countries": ["KZ"]}),
                   b.email: ("unsubscribed", "", {}), c.email: ("active", "", {})}


def test_export_command_writes_a_file(cli, tmp_path, make_members):
    make_members(2)
    target = tmp_path / "out.csv"
    assert cli("newsletter", "members", "export", "-o", str(target))[0] == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def test_issue_create_send_status_worker(cli, make_members, smtp):
    make_members(3)
    status, out, _err = cli("newsletter", "issue", "create")
    assert status == 0
    issue_id = int(out.strip().splitlines()[-1])
    assert Issue.objects.filter(pk=issue_id).exists()
    assert cli("newsletter", "issue", "send", str(issue_id))[1] == (
        f"Issue {issue_id}: 3 deliveries queued. Run `pledgewatch worker` to send them.\n")
    status, out, _err = cli("newsletter", "status", str(issue_id), "--format", "json")
    data = json.loads(out)
    assert data["counts"] == {"queued": 3, "sending": 0, "sent": 0, "deferred": 0, "failed": 0, "bounced": 0,
                              "suppressed": 0}
    assert cli("worker", "--until-idle", "--wait", "1") == (0, "3 messages sent.\n", "")
    data = json.loads(cli("newsletter", "status", str(issue_id), "--format", "json")[1])
    assert (data["state"], data["counts"]["sent"], data["total"]) == ("sent", 3, 3)
    status, out, _err = cli("newsletter", "status", str(issue_id), lang="ja")
    assert out.splitlines()[0] == f"第 {issue_id} 号：送信済み"
    assert "  sent        3" in out.splitlines()


def test_unknown_issue_and_member_are_clear_errors(cli):
    assert cli("newsletter", "status", "999") == (1, "", "There is no issue with id 999.\n")
    assert cli("newsletter", "issue", "send", "abc", lang="ja") == (1, "", "ID abc の号はありません。\n")
    assert cli("newsletter", "member", "reenable", "ghost@example.org") == (
        1, "", "No member has the e-mail address ghost@example.org.\n")
    assert cli("newsletter", "issue", "create", "--initiative", "nope") == (1, "", "Unknown initiative: nope\n")


def test_issue_send_at_schedules(cli, issue):
    _status, out, _err = cli("newsletter", "issue", "send", str(issue.pk), "--at", "2030-01-02T03:04:05+09:00")
    assert out == f"Issue {issue.pk} scheduled for 2030-01-02T03:04:05+09:00.\n"
    issue.refresh_from_db()
    assert issue.state == "scheduled"


def test_member_reenable(cli, make_members):
    (member,) = make_members(1)
    Member.objects.filter(pk=member.pk).update(suppression=Suppression.SOFT_BOUNCES)
    assert cli("newsletter", "member", "reenable", member.email) == (0, f"{member.email} re-enabled.\n", "")
    member.refresh_from_db()
    assert member.suppression == ""
