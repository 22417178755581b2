"""`pledgewatch extract FILE… [--format json]`: exact JSON, JSON Lines, stdin, human format, errors."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


def exact(message: str) -> str:
    """Return a pattern matching exactly this error message."""
    return "^" + re.escape(message) + "$"

ROOT = Path(__file__).parent.parent / "fixtures" / "press"
SEED = ROOT / "tuned" / "ja_t00_seed_ca_jad_summit.txt"
EN = ROOT / "tuned" / "en_t10_kz_loan_up_to_42.txt"


def run(*args, stdin: bytes | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    call_command("extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_of_one_file_is_one_object(db):
    out, _ = run(str(EN), "--format", "json")
    (line,) = out.splitlines()
    text = EN.read_text(encoding="utf-8")
    result = json.loads(line)
    assert list(result) == ["file", "language", "commitments", "totals", "targets", "documents", "dates"]
    (c,) = result["commitments"]
    assert c == {"recipients": ["KZ"], "instrument": "loan",
                 "amount": {"amount": "42000000000", "currency": "JPY", "qualifier": "up_to"}, "equivalents": [],
                 "title": "Almaty Ring Road Construction Project", "date": "2025-09-08", "channel": None,
                 "pillar": "connectivity", "evidence": c["evidence"]}
    assert [text[e["start"]:e["end"]] for e in c["evidence"]] == [
        "loan", "up to 42 billion yen", "Republic of Kazakhstan", "September 8", "Japanese ODA loan",
        "up to 42 billion yen", "Almaty Ring Road Construction Project"]
    assert result["documents"] == [{"kind": "exchange_of_notes", "count": 1, "qualifier": "exact",
                                    "evidence": [{"start": 161, "end": 176}]}]
    assert text[161:176] == "exchanged notes"
    assert result["dates"] == [{"date": "2025-09-09", "start": 69, "end": 86},
                               {"date": "2025-09-08", "start": 180, "end": 191}]
    assert text[69:86] == "September 9, 2025"


def test_several_files_give_json_lines(db):
    out, _ = run(str(SEED), str(EN), "--format", "json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(r["file"], r["language"], len(r["commitments"])) for r in lines] == [
        (str(SEED), "ja", 6), (str(EN), "en", 1)]
    assert "\\u" not in out  # UTF-8, not ASCII-escaped
    assert lines[0]["targets"][0]["amount"] == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert lines[0]["documents"][1] == {"kind": "other", "count": 150, "qualifier": "at_least",
                                        "evidence": lines[0]["documents"][1]["evidence"]}


def test_stdin(db, monkeypatch):
    out, _ = run("-", "--format", "json", stdin=SEED.read_bytes(), monkeypatch=monkeypatch)
    result = json.loads(out)
    assert result["file"] == "-" and len(result["commitments"]) == 6


def test_human_format_in_english_and_japanese(db):
    with translation.override("en"):
        out, _ = run(str(EN))
    assert out.splitlines()[:4] == [
        f"{EN} (language: en)", "  1. Almaty Ring Road Construction Project",
        "     recipients: KZ · instrument: loan · amount: 42,000,000,000 JPY (up to)",
        "     date: 2025-09-08 · pillar: connectivity"]
    with translation.override("ja"):
        out, _ = run(str(SEED))
    assert out.splitlines()[0] == f"{SEED}（言語: ja）"
    assert "目標: 5年間で 3,000,000,000,000 JPY" in out
    assert "経由: UNDP" in out


def test_bad_files_are_reported_and_the_rest_is_read(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    with translation.override("en"), pytest.raises(CommandError, match=exact("2 of 3 files could not be read.")):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("extract", str(tmp_path / "nope.txt"), str(EN), str(empty), "--format", "json",
                         stdout=out, stderr=err)
        finally:
            assert err.getvalue().splitlines() == [
                f"{tmp_path / 'nope.txt'}: cannot read: no such file", f"{empty}: cannot read: no text"]
            assert len(out.getvalue().splitlines()) == 1


def test_unknown_initiative(db):
    with translation.override("en"), pytest.raises(CommandError, match=exact("Unknown initiative “nope”.")):
        run(str(EN), "--initiative", "nope")


def test_cli_exit_code_without_traceback(tmp_path):
    env = {"PLEDGEWATCH_LANG": "ja", "PLEDGEWATCH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "pledgewatch.cli", "extract", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert f"{tmp_path}: 読み込めません: ファイルではなくフォルダです" in done.stderr
    assert "Traceback" not in done.stderr


def test_russian_file_and_language_choice(tmp_path, db):
    path = tmp_path / "ru.txt"
    path.write_text("Япония предоставит Непалу грант в размере 1 миллиарда 324 миллионов йен "
                    "(около 9 млн долларов США) на проект «Новые школы».", encoding="utf-8")
    with translation.override("en"):
        out, _ = run(str(path), "--format", "json", "--language", "ru")
    (c,) = json.loads(out)["commitments"]
    assert (c["recipients"], c["amount"]["amount"], c["title"]) == (["NP"], "1324000000", "Новые школы")
    assert [e["amount"] for e in c["equivalents"]] == [{"amount": "9000000", "currency": "USD", "qualifier": "approx"}]


def test_text_in_another_language_gets_a_clear_message(tmp_path, db):
    path = tmp_path / "fr.txt"
    path.write_text("Le Japon accordera un don de cinq millions de dollars au Népal pour les écoles.", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match=exact("1 of 1 files could not be read.")):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("extract", str(path), "--format", "json", stdout=out, stderr=err)
        finally:
            assert out.getvalue() == ""
            assert err.getvalue() == (f"{path}: cannot read: the text is in a language that cannot be read "
                                      "(languages read: en, ja, ru); nothing was proposed\n")
