"""kill -9 `pledgewatch import csv|json` at seeded random moments inside its write transaction.

The import is one transaction: after each kill the database holds none or all of the file's rows, never
a part; the next run completes; a further run changes nothing; every commitment has exactly one
history row and one recipient; the backend's integrity checks pass.
"""

import signal
import subprocess
import time

import pytest

from tests.faults.data import WRITERS
from tests.faults.procs import PYTHON, ROOT, Db, base_env, cli, drop_database, fresh_database, rng, seed

pytestmark = pytest.mark.slow
N, KILLS = 120, 2


def in_write_transaction(db: Db, proc: subprocess.Popen) -> bool:
    """Return True once the import holds its write transaction (and, on PostgreSQL, has written)."""
    import sqlite3

    if db.sqlite:
        conn = sqlite3.connect(db.path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # fails while the import holds the write lock
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            conn.close()
    name = db.url.rsplit("/", 1)[1]
    return bool(db.scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
                          "AND pid <> pg_backend_pid()", (name,)))


def counts(db: Db) -> tuple[int, int, int]:
    return (db.scalar("SELECT COUNT(*) FROM ledger_commitment WHERE ref LIKE 'fault-%%'"),
            db.scalar("SELECT COUNT(*) FROM ledger_historicalcommitment WHERE ref LIKE 'fault-%%'"),
            db.scalar("SELECT COUNT(*) FROM ledger_commitmentcountry cc JOIN ledger_commitment c "
                      "ON c.id = cc.commitment_id WHERE c.ref LIKE 'fault-%%'"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_killed_inside_its_transaction(tmp_path, fmt):
    random = rng()
    path = WRITERS[fmt](tmp_path / f"commitments.{fmt}", N)
    url = fresh_database(tmp_path, f"pw_faults_import_{fmt}")
    env = base_env(tmp_path, url)
    db = Db(url)
    landed = []
    for _k in range(KILLS):
        proc = subprocess.Popen([PYTHON, "-m", "pledgewatch.cli", "import", fmt, str(path)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while proc.poll() is None and not in_write_transaction(db, proc) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(random.uniform(0.0, 0.4))
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)  # kill -9 (nothing if it has ended meanwhile)
        proc.communicate(timeout=30)
        after = counts(db)
        landed.append("inside the transaction" if running else "after it ended")
        assert after in ((0, 0, 0), (N, N, N)), after  # all or nothing, never a part
    print(f"seed={seed()} {fmt}: kills landed {landed}")
    assert "inside the transaction" in landed
    first = cli(env, "import", fmt, str(path))
    assert first.returncode == 0, first.stderr
    assert counts(db) == (N, N, N)
    again = cli(env, "import", fmt, str(path))
    assert again.stdout.strip() == f"0 created, 0 updated, {N} unchanged, 0 bad rows skipped."
    assert counts(db) == (N, N, N)  # nothing doubled, no history written by the re-run
    assert db.query("SELECT history_type, COUNT(*) FROM ledger_historicalcommitment GROUP BY history_type") == [
        ("+", N)]
    assert db.integrity() == []
    drop_database(url)
