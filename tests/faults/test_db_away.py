"""The database goes away under a running server, worker and import, then comes back.

PostgreSQL: a private throwaway cluster (initdb + pg_ctl on a free port) is crashed with
`pg_ctl stop -m immediate` while the newsletter worker is sending and an import is inside its
transaction. During the outage pages answer 503 in ja/en (JSON for the API), the import fails with a
clear message and leaves nothing, the worker waits. After `pg_ctl start` the same server process answers
again (CONN_HEALTH_CHECKS), the worker finishes: every member got the issue, nothing is marked sent that
the SMTP server did not accept. SQLite: the database's file system turns read-only, then full (a real
tmpfs), with the same expectations.
"""

import json
import subprocess
import time

import pytest

from tests.conftest import on_postgres, requires_postgres
from tests.faults.client import Client
from tests.faults.data import write_csv
from tests.faults.procs import (
    PYTHON,
    ROOT,
    Db,
    PrivateCluster,
    Server,
    Tmpfs,
    base_env,
    cli,
    drop_database,
    free_port,
    fresh_database,
)
from tests.faults.test_import_kill import counts, in_write_transaction

pytestmark = pytest.mark.slow
JA_503 = "データベースに一時的に接続できません。"
EN_503 = "The database is unavailable at the moment."
MEMBERS, ROWS = 60, 120


def wait_until_ok(server: Server, path: str = "/newsletter/", timeout: float = 60) -> float:
    """Return the seconds until `path` answered 200 again."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if Client(server.url).request(path).status == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{path} did not recover within {timeout} s")


def assert_unavailable(server: Server) -> None:
    page = Client(server.url, language="ja").request("/")
    assert page.status == 503, page.body[:500]
    assert JA_503 in page.body and "Traceback" not in page.body
    assert page.headers["Retry-After"] == "30"
    english = Client(server.url, language="en").request("/commitments/?lang=en")
    assert english.status == 503 and EN_503 in english.body
    api = Client(server.url, language="en").request("/api/v1/initiatives")
    assert api.status == 503 and api.headers["Content-Type"] == "application/json"
    assert json.loads(api.body)["error"] == "database_unavailable"


class Sink:
    """The newsletter tests' SMTP sink on loopback: one line per accepted message."""

    def __init__(self, workdir):
        self.port = free_port()
        self.file = workdir / "sink.txt"
        self.proc = subprocess.Popen([PYTHON, str(ROOT / "tests" / "newsletter" / "sink.py"), str(self.port),
                                      str(self.file)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def received(self) -> list[str]:
        return [line.split()[1] for line in self.file.read_text().splitlines()] if self.file.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@requires_postgres
def test_postgres_crashes_and_comes_back(tmp_path):
    cluster = PrivateCluster()
    if cluster.skip_reason():
        pytest.skip(cluster.skip_reason())
    template = fresh_database(tmp_path, "pw_faults_away_source")
    cluster.init()
    sink = Sink(tmp_path)
    server = worker = None
    try:
        url = cluster.copy_database(template, "faults")
        drop_database(template)
        env = base_env(tmp_path, url, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", PLEDGEWATCH_MAIL_PER_SECOND="40",
                       PLEDGEWATCH_MAIL_ASYNC_COMMIT="off")
        db = Db(url)
        members = tmp_path / "members.csv"
        members.write_text("email,language,topics\n" + "".join(
            f"member{i:03d}@example.org,{('ja', 'en')[i % 2]},\n" for i in range(MEMBERS)))
        cli(env, "newsletter", "members", "import", str(members), "--confirmed", check=True)
        issue = cli(env, "newsletter", "issue", "create", check=True).stdout.strip().splitlines()[-1]
        cli(env, "newsletter", "issue", "send", issue, check=True)
        server = Server(env, workers=1, threads=2)
        server.start()
        pid = server.proc.pid
        assert Client(server.url).request("/newsletter/").status == 200
        worker = subprocess.Popen([PYTHON, "-m", "pledgewatch.cli", "worker", "--until-idle", "--wait", "5"],
                                  env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        data = write_csv(tmp_path / "rows.csv", ROWS)
        importing = subprocess.Popen([PYTHON, "-m", "pledgewatch.cli", "import", "csv", str(data)], env=env,
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (len(sink.received()) >= 5 and in_write_transaction(db, importing)):
            time.sleep(0.05)
        assert importing.poll() is None and worker.poll() is None, "nothing was running when the database went"
        sent_before = len(sink.received())
        cluster.stop("immediate")  # a crash: no shutdown checkpoint, every connection cut
        # during the outage: clear answers, a clear import error, a waiting worker
        assert_unavailable(server)
        _out, err = importing.communicate(timeout=60)
        assert importing.returncode == 1
        assert err.startswith("The database failed: ") and "rolled back" in err and "Traceback" not in err, err
        again = cli({**env, "PLEDGEWATCH_LANG": "ja"}, "import", "csv", str(data))
        assert again.returncode == 1 and again.stderr.startswith("データベースでエラーが発生しました: "), again.stderr
        time.sleep(1.5)
        assert worker.poll() is None, worker.communicate()[1]  # waiting, not dead
        cluster.start()
        recovered_s = wait_until_ok(server)
        assert server.proc.pid == pid and server.starts == 1  # recovered without a restart
        _out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        assert "database unavailable" in err
        status = json.loads(cli(env, "newsletter", "status", issue, "--format", "json", check=True).stdout)
        received = sink.received()
        print(f"postgres away: {sent_before} sent before the crash, recovered in {recovered_s:.1f} s, "
              f"{len(received)} messages for {MEMBERS} members, status {status['counts']}")
        assert sorted(set(received)) == [f"member{i:03d}@example.org" for i in range(MEMBERS)]
        assert len(received) - MEMBERS <= 2  # at most the message in flight at the crash is sent twice
        assert status["counts"]["sent"] == MEMBERS and status["state"] == "sent"
        assert db.scalar("SELECT COUNT(*) FROM newsletter_delivery WHERE state = 'sent'") == MEMBERS
        assert counts(db) == (0, 0, 0)  # the interrupted import left nothing
        assert cli(env, "import", "csv", str(data)).returncode == 0
        assert counts(db) == (ROWS, ROWS, ROWS)
        assert db.integrity() == []
    finally:
        for proc in (worker,):
            if proc is not None and proc.poll() is None:
                proc.kill()
        if server is not None:
            server.stop()
        sink.stop()
        cluster.destroy()


@pytest.mark.skipif(on_postgres(), reason="SQLite file faults; the PostgreSQL run crashes a private cluster instead")
def test_sqlite_read_only_then_full_then_back(tmp_path):
    disk = Tmpfs.mounted_or_skip("6m")
    server = None
    try:
        source = fresh_database(tmp_path, "pw_faults_sqlite")
        target = disk.dir / "db.sqlite3"
        target.write_bytes((tmp_path / "pw_faults_sqlite.sqlite3").read_bytes())
        url = f"sqlite:///{target}"
        env = base_env(tmp_path, url, DJANGO_SETTINGS_MODULE="tests.faults.server_settings")
        db = Db(url)
        server = Server(env, workers=1, threads=2)
        server.start()
        data = write_csv(tmp_path / "rows.csv", ROWS)
        signup = Client(server.url, language="en")
        _page, fields = signup.form("/newsletter/")
        before = db.scalar("SELECT COUNT(*) FROM ledger_commitment")

        def sign_up(email: str):
            return signup.request("/newsletter/", {**fields, "email": email, "language": "en"})

        # 1. the file system turns read-only
        disk.remount("ro")
        answer = sign_up("ro@example.org")
        assert answer.status == 503 and EN_503 in answer.body, answer.body[:500]
        failed = cli(env, "import", "csv", str(data))
        assert failed.returncode == 1 and failed.stderr.startswith("The database failed: "), failed.stderr
        disk.remount("rw")
        assert sign_up("rw@example.org").status == 200
        # 2. the file system is full
        # An empty write-ahead log and no free byte: any write needs a new block. (With a few KiB left, or a
        # checkpointed log whose frames can be overwritten, a small sign-up could still fit: a flaky 200.)
        db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        filler = disk.fill(leave=0)
        answer = sign_up("full@example.org")
        assert answer.status == 503 and EN_503 in answer.body, answer.body[:500]
        failed = cli(env, "import", "csv", str(data))
        assert failed.returncode == 1, failed.stderr
        # SQLITE_FULL, or SQLITE_IOERR when the write-ahead log cannot grow: either way rolled back
        assert failed.stderr.startswith(("The database failed: database or disk is full.",
                                         "The database failed: disk I/O error.")), failed.stderr
        assert "Traceback" not in failed.stderr
        filler.unlink()
        # 3. back: the same server writes again, the import succeeds, nothing half-written
        assert sign_up("back@example.org").status == 200
        assert [r[0] for r in db.query("SELECT email FROM newsletter_member ORDER BY email")] == [
            "back@example.org", "rw@example.org"]
        assert db.scalar("SELECT COUNT(*) FROM ledger_commitment") == before
        assert cli(env, "import", "csv", str(data)).returncode == 0
        assert counts(db) == (ROWS, ROWS, ROWS)
        assert server.starts == 1
        assert db.integrity() == []
        assert source
    finally:
        if server is not None:
            server.stop()
        disk.unmount()
