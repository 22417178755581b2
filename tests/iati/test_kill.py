"""kill -9 in the middle of an import: whole files only are in the database, and the next run completes."""

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import on_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FILES, PER_FILE = 12, 50


def corpus(folder: Path) -> list[Path]:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "iati" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(FILES * PER_FILE, folder, per_file=PER_FILE)


class Database:
    """A database of its own for the subprocesses: a SQLite file, or a PostgreSQL database."""

    def __init__(self, tmp_path: Path):
        if on_postgres():
            import psycopg

            self.name = "pledgewatch_kill_test"
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name}")
                conn.execute(f"CREATE DATABASE {self.name}")
            self.url = f"postgres://postgres@127.0.0.1:5432/{self.name}"
        else:
            self.path = tmp_path / "kill.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str):
        if on_postgres():
            import psycopg

            with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.name}") as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.path, timeout=10) as conn:
            return conn.execute(sql).fetchall()


def pledgewatch(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "pledgewatch.cli", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_then_rerun(tmp_path, jobs):
    files = corpus(tmp_path / "corpus")
    db = Database(tmp_path)
    env = dict(os.environ, DATABASE_URL=db.url, PLEDGEWATCH_DATA_DIR=str(tmp_path), PLEDGEWATCH_LANG="en")
    assert pledgewatch(env, "migrate", "-v0").wait(timeout=120) == 0
    proc = pledgewatch(env, "import", "iati", str(tmp_path / "corpus"), "--no-progress", "--jobs", jobs)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = db.query("SELECT COUNT(*) FROM iati_importedfile WHERE status = 'done'")[0][0]
        except Exception:  # the tables are created by the first file; try again
            done = 0
        if done >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import ended before it could be killed"
    readers = children(proc.pid)
    assert len(readers) >= (1 if jobs == "2" else 0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    # the reader processes notice that their parent is gone and stop
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in readers if alive(pid)]
    # consistent: every committed file has all its activities, nothing of the interrupted one
    done_files, done_activities = db.query(
        "SELECT COUNT(*), COALESCE(SUM(activities), 0) FROM iati_importedfile WHERE status = 'done'")[0]
    assert 3 <= done_files < len(files)
    assert done_activities == done_files * PER_FILE
    assert db.query("SELECT COUNT(*) FROM iati_iatiactivity")[0][0] == done_activities
    assert db.query("SELECT COUNT(*) FROM ledger_commitment WHERE iati_identifier IS NOT NULL")[0][0] == done_activities
    assert db.query("SELECT COUNT(*) FROM ledger_transaction t LEFT JOIN ledger_commitment c "
                    "ON t.commitment_id = c.id WHERE c.id IS NULL")[0][0] == 0
    # the next run skips the committed files and completes
    rerun = pledgewatch(env, "import", "iati", str(tmp_path / "corpus"), "--no-progress", "--format", "json",
                        "--jobs", jobs)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    import json

    summary = json.loads(out)
    assert summary["files_unchanged"] == done_files
    assert summary["files_imported"] == len(files) - done_files
    assert summary["activities"]["new"] == FILES * PER_FILE - done_activities
    assert db.query("SELECT COUNT(*) FROM iati_iatiactivity")[0][0] == FILES * PER_FILE
    assert db.query("SELECT COUNT(*) FROM ledger_commitment")[0][0] == FILES * PER_FILE
    assert sorted(r[0] for r in db.query("SELECT status FROM iati_importrun")) == ["done", "interrupted"]
