"""`pledgewatch demo` and `serve` as a user runs them: a real process, a real server, a real database file."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pledgewatch.cli import resolve

pytestmark = pytest.mark.slow
PLEDGEWATCH = [sys.executable, "-m", "pledgewatch.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PLEDGEWATCH_DEBUG"}}
    env.update({"PLEDGEWATCH_DATA_DIR": str(tmp_path), "PLEDGEWATCH_TODAY": "2026-11-28",
                "PLEDGEWATCH_LANG": "en"}, **extra)
    return env


def test_resolve_joins_words_longest_first():
    known = {"import_iati", "import_csv", "newsletter_issue_create", "demo"}
    assert resolve(["import", "iati", "a.xml", "--recipient", "KZ"], known) == (
        "import_iati", ["a.xml", "--recipient", "KZ"])
    assert resolve(["newsletter", "issue", "create", "--initiative", "x"], known) == (
        "newsletter_issue_create", ["--initiative", "x"])
    assert resolve(["demo", "--port", "9"], known) == ("demo", ["--port", "9"])
    assert resolve(["nothing"], known) == (None, ["nothing"])


def test_demo_twice_is_idempotent(tmp_path):
    first = subprocess.run([*PLEDGEWATCH, "demo", "--no-serve"], env=env_for(tmp_path), capture_output=True,
                           text=True, timeout=120, check=True)
    assert "CA+JAD Tokyo Initiative loaded (131 records created or changed)." in first.stdout
    assert "First-year public record loaded: 32 rows (217 records created or changed)." in first.stdout
    assert (tmp_path / "pledgewatch.sqlite3").exists()
    second = subprocess.run([*PLEDGEWATCH, "demo", "--no-serve"], env=env_for(tmp_path), capture_output=True,
                            text=True, timeout=120, check=True)
    assert "CA+JAD Tokyo Initiative loaded (0 records created or changed)." in second.stdout
    assert "First-year public record loaded: 32 rows (0 records created or changed)." in second.stdout


def test_demo_messages_in_japanese(tmp_path):
    out = subprocess.run([*PLEDGEWATCH, "demo", "--no-serve"], env=env_for(tmp_path, PLEDGEWATCH_LANG="ja"),
                         capture_output=True, text=True, timeout=120, check=True)
    assert "CA+JAD東京イニシアティブを読み込みました" in out.stdout
    assert "初年度の公開記録を読み込みました: 32行(作成・変更したレコード217件)。" in out.stdout


def test_unknown_command_is_a_clear_error(tmp_path):
    out = subprocess.run([*PLEDGEWATCH, "frobnicate"], env=env_for(tmp_path), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == "Unknown command: frobnicate. Run `pledgewatch --help`."


def test_serve_refuses_debug(tmp_path):
    out = subprocess.run([*PLEDGEWATCH, "serve"], env=env_for(tmp_path, PLEDGEWATCH_DEBUG="1"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "Refusing to serve with PLEDGEWATCH_DEBUG on" in out.stderr
    assert "Traceback" not in out.stderr


def test_demo_serves_the_progress_api(tmp_path):
    port = free_port()
    proc = subprocess.Popen([*PLEDGEWATCH, "demo", "--port", str(port)], env=env_for(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/initiatives/ca-jad-tokyo-initiative/progress"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    data = json.loads(response.read().decode("utf-8"))
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert data["target"] == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
        # the seed article and the first-year public record: 13 deals, claims never counted
        assert data["counted"]["amount"] == "31431976814"
        assert data["counts"]["commitments"] == 13 and data["counts"]["undisclosed"] == 3
        assert (data["counts"]["documents"], data["counts_qualifiers"]) == (158, {"documents": "at_least"})
        assert data["pace"]["status"] == "behind"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert f"pledgewatch is serving on http://127.0.0.1:{port}/" in output


@pytest.mark.parametrize(("lang", "words", "message"), [
    ("en", ["demo"], "Port {port} on 127.0.0.1 is already in use by another program. Stop that program, or choose "
                     "another port with --port N, e.g. `pledgewatch demo --port {other}`."),
    ("ja", ["serve", "--local-demo"],
     "127.0.0.1 のポート {port} は別のプログラムが使用中です。そのプログラムを止めるか、"
     "--port N で別のポートを指定してください(例: `pledgewatch serve --port {other}`)。"),
])
def test_a_busy_port_is_refused_at_once(tmp_path, lang, words, message):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([*PLEDGEWATCH, *words, "--port", str(port)], env=env_for(tmp_path, PLEDGEWATCH_LANG=lang),
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.strip().endswith(message.format(port=port, other=port + 1))
    assert "Traceback" not in out.stderr and "gunicorn" not in out.stderr and "[ERROR]" not in out.stderr
    assert "serving on" not in out.stdout and "公開中" not in out.stdout
    assert not (tmp_path / "pledgewatch.sqlite3").exists() or words[0] == "serve"  # demo refused before its work
