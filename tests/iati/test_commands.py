"""The commands: summaries, filters from the command line, clear errors in English and Japanese."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import etree

from pledgewatch.iati.codelists import schema
from pledgewatch.ledger.models import Commitment
from tests.iati.conftest import HOSTILE, JICA

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_import_prints_a_summary():
    out = io.StringIO()
    call_command("import_iati", str(JICA / "jica-619_2014"), "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Files: 10 (imported 10, unchanged 0, failed 0)"
    assert lines[1] == ("Activities: new 10, updated 0, unchanged 0, skipped 0, linked to existing commitments 0, "
                        "sent to review 0")
    assert "Warnings by kind:" in lines


def test_import_json_summary_and_recipient_filter():
    out = io.StringIO()
    call_command("import_iati", str(JICA), "--recipient", "uz, kz", "--format", "json", "--no-progress", stdout=out)
    data = json.loads(out.getvalue())
    assert data["activities"]["new"] == Commitment.objects.count()
    assert set(Commitment.objects.values_list("recipients__country_id", flat=True)) == {"UZ", "KZ"}


@pytest.mark.parametrize(("args", "message"), [
    (["--recipient", "XX,UZ"], "Unknown country codes: XX (use ISO 3166-1 alpha-2, such as KZ,UZ)."),
    (["--since", "2024-13-01"], "--since needs a date as YYYY-MM-DD, not “2024-13-01”."),
    (["--initiative", "nope"], "No initiative has the slug “nope”."),
])
def test_import_option_errors(args, message):
    with pytest.raises(CommandError) as info:
        call_command("import_iati", str(JICA), "--no-progress", *args)
    assert str(info.value) == message


def test_import_errors_in_japanese():
    with translation.override("ja"), pytest.raises(CommandError) as info:
        call_command("import_iati", str(JICA), "--no-progress", "--initiative", "nope")
    assert str(info.value) == "スラッグ「nope」のイニシアティブはありません。"


def test_export_to_file_is_valid(tmp_path):
    call_command("import_iati", str(JICA / "jica-619_2014"), "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError) as info:  # JICA's, not ours: only on request; an empty document is invalid
        call_command("export_iati", "--country", "TJ,UZ", "-o", str(tmp_path / "out.xml"))
    assert str(info.value) == ("No activity to export, nothing written: the 5 selected are other publishers' "
                               "activities; add --include-imported to write them as they published them.")
    assert list(tmp_path.iterdir()) == []  # no file, not even a temporary one
    err = io.StringIO()
    call_command("export_iati", "--country", "TJ,UZ", "--include-imported", "-o", str(tmp_path / "out.xml"),
                 stderr=err)
    assert err.getvalue() == "5 activities exported.\n"
    tree = etree.parse(str(tmp_path / "out.xml"))
    assert schema().validate(tree)
    assert len(tree.getroot()) == 5


def test_an_empty_selection_writes_nothing(tmp_path, capsysbinary):
    (tmp_path / "kept.xml").write_bytes(b"<kept/>")
    with pytest.raises(CommandError) as info:
        call_command("export_iati", "--country", "NP", "-o", str(tmp_path / "kept.xml"))
    assert str(info.value) == ("No activity to export, nothing written: the selection is empty or every activity "
                               "was left out (see above).")
    assert (tmp_path / "kept.xml").read_bytes() == b"<kept/>"  # an existing file is left as it was
    with pytest.raises(CommandError):
        call_command("export_iati", "--country", "NP")
    assert capsysbinary.readouterr().out == b""  # nor anything on standard output


def test_export_errors():
    with pytest.raises(CommandError) as info:
        call_command("export_iati", "--initiative", "nope")
    assert str(info.value) == "No initiative has the slug “nope”."
    with pytest.raises(CommandError) as info:
        call_command("export_iati", "--country", "ZZ")
    assert str(info.value) == "Unknown country codes: ZZ (use ISO 3166-1 alpha-2, such as KZ,UZ)."


@pytest.mark.slow
def test_cli_exit_code_and_no_traceback(tmp_path):
    """A refused file: exit status 1, the error with its place, no traceback (real CLI, real subprocess)."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PLEDGEWATCH_DATA_DIR=str(tmp_path),
               PLEDGEWATCH_LANG="ja")
    subprocess.run([sys.executable, "-m", "pledgewatch.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run([sys.executable, "-m", "pledgewatch.cli", "import", "iati", str(HOSTILE / "xxe.xml"),
                           "--no-progress"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "ファイル: 1 (取り込み 0、変更なし 0、失敗 1)" in done.stdout
    assert f"{HOSTILE / 'xxe.xml'}: このファイルは DTD" in done.stdout


def test_progress_line_shows_activities_per_second():
    from pledgewatch.iati.importer import Summary
    from pledgewatch.iati.management.commands.import_iati import Progress

    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    summary = Summary(files=3)
    summary.counts.update({"new": 1200, "unchanged": 300})
    progress.started -= 3.0
    progress.last -= 11.0
    progress(summary, "corpus/file-3.xml")
    assert stream.getvalue() == "files 3 · activities 1500 · 500 activities/s · corpus/file-3.xml\n"
    progress(summary, "corpus/file-4.xml")  # not again within the interval
    assert stream.getvalue().count("\n") == 1


def test_admin_pages(admin_client, seeded):
    from pledgewatch.iati.pillars import ensure_default_rules

    ensure_default_rules(seeded)
    call_command("import_iati", str(JICA / "jica-619_2014"), "--no-progress", stdout=io.StringIO())
    for name in ("pillarrule", "importrun", "importedfile", "iatiactivity"):
        response = admin_client.get(f"/admin/iati/{name}/")
        assert response.status_code == 200, name


@pytest.mark.parametrize(("name", "start"), [("import_iati", "IATI 活動 XML (2.01–2.03) を"),
                                             ("export_iati", "約束を IATI 2.03 活動 XML")])
def test_help_in_japanese(name, start):
    from django.core.management import load_command_class

    with translation.override("ja"):
        text = load_command_class("pledgewatch.iati", name).create_parser("pledgewatch", name).format_help()
    assert start in " ".join(text.split())


def test_import_invalidates_cached_progress():
    from pledgewatch.totals.version import current_version

    before = current_version()
    call_command("import_iati", str(JICA / "jica-619_2014"), "--no-progress", stdout=io.StringIO())
    after = current_version()
    assert after > before
    call_command("import_iati", str(JICA / "jica-619_2014"), "--no-progress", stdout=io.StringIO())
    assert current_version() == after  # nothing changed, nothing to recompute
