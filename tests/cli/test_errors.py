"""One way for a command to end on an error: its message alone on stderr and exit status 1 (2 for usage)."""

import importlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pledgewatch.cli import main
from pledgewatch.exceptions import PledgewatchError
from pledgewatch.newsletter.exceptions import UnknownIssue

APP_BASES = [("accounts", "AccountError"), ("backup", "BackupError"), ("exports", "ExportsError"),
             ("iati", "IatiError"), ("ledger", "LedgerError"), ("newsletter", "NewsletterError"),
             ("press", "PressError")]


@pytest.mark.parametrize(("app", "name"), APP_BASES)
def test_every_app_error_is_a_pledgewatch_error(app, name):
    base = getattr(importlib.import_module(f"pledgewatch.{app}.exceptions"), name)
    assert issubclass(base, PledgewatchError)


def run(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("PLEDGEWATCH_LANG", "en")
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.django_db
def test_an_app_error_is_its_message_and_exit_1(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "newsletter", "status", "987654")
    assert (code, out) == (1, "")
    assert err == "There is no issue with id 987654.\n"
    assert "Traceback" not in err and "Error:" not in err


@pytest.mark.django_db
def test_a_command_error_has_no_class_name(capsys, monkeypatch):
    assert run(capsys, monkeypatch, "audit", "--limit", "0") == (1, "", "--limit must be at least 1.\n")


@pytest.mark.django_db
def test_a_missing_file_is_one_line(capsys, monkeypatch, tmp_path):
    code, out, err = run(capsys, monkeypatch, "newsletter", "members", "import", str(tmp_path / "none.csv"))
    assert (code, out) == (1, "")
    assert err == f"{tmp_path / 'none.csv'}: No such file or directory\n"


def test_usage_errors_exit_2(capsys, monkeypatch):
    code, _out, err = run(capsys, monkeypatch, "audit", "--no-such-option")
    assert code == 2 and "unrecognized arguments: --no-such-option" in err
    assert run(capsys, monkeypatch, "frobnicate")[0] == 2


@pytest.mark.django_db
def test_call_command_still_raises():
    with pytest.raises(UnknownIssue):
        call_command("newsletter_status", "987654")
    with translation.override("en"), pytest.raises(CommandError, match=r"^--limit must be at least 1\.$"):
        call_command("audit", limit=0)
