"""A full disk during `pledgewatch export csv|xlsx|json|iati -o FILE` and during an import.

Three ways to fill the disk: RLIMIT_FSIZE in the child (SIGXFSZ ignored, so writes fail with EFBIG),
`/dev/full` (ENOSPC on every write), and a real 256 KiB tmpfs (root only). Each export must fail with a
clear message and exit 1, leave no partial file, and leave an existing file as it was. An import into a
SQLite database that cannot grow fails with the database's message and leaves the database unchanged.
"""

import resource
import signal

import pytest

from tests.conftest import on_postgres
from tests.faults.data import write_csv
from tests.faults.procs import Db, Tmpfs, base_env, cli, drop_database, fresh_database
from tests.faults.test_import_kill import counts

pytestmark = pytest.mark.slow
ROWS = 200
OLD = b"the previous export, which must survive a failed one\n"
FORMATS = ["csv", "xlsx", "json", "iati"]


def file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """A database with ROWS commitments (exports of it are well over the limits below)."""
    workdir = tmp_path_factory.mktemp("full-disk")
    url = fresh_database(workdir, "pw_faults_full_disk")
    env = base_env(workdir, url)
    cli(env, "import", "csv", str(write_csv(workdir / "rows.csv", ROWS)), check=True)
    yield env
    drop_database(url)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_export_writes_the_whole_file_then_renames_it(ledger, tmp_path):
    out = tmp_path / "commitments.csv"
    out.write_bytes(OLD)
    done = cli(ledger, "export", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == ROWS + 1  # the header and every row
    assert leftovers(tmp_path) == ["commitments.csv"]
    assert out.stat().st_mode & 0o777 == 0o644  # the umask's mode, not the temp file's 0600


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_over_the_file_size_limit(ledger, tmp_path, fmt):
    out = tmp_path / f"commitments.{fmt}"
    out.write_bytes(OLD)
    done = cli(ledger, "export", fmt, "-o", str(out), preexec_fn=file_size_limit(40_000))
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"Cannot write {out}: File too large. Nothing was written: no partial file "
                           "was left, an existing file is unchanged.\n")
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == [out.name]


@pytest.mark.parametrize("fmt", ["iati"])
def test_export_to_dev_full(ledger, fmt):
    done = cli({**ledger, "PLEDGEWATCH_LANG": "ja"}, "export", fmt, "-o", "/dev/full")
    assert done.returncode == 1
    assert done.stderr == ("/dev/full に書き込めません: No space left on device。何も書き込んでいません"
                           "（途中までのファイルは残らず、既存のファイルも変更されていません）。\n")


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_export_onto_a_full_tmpfs(ledger, fmt):
    disk = Tmpfs.mounted_or_skip("256k")
    try:
        out = disk.dir / f"commitments.{fmt}"
        out.write_bytes(OLD)
        disk.fill(leave=16 * 1024)
        done = cli(ledger, "export", fmt, "-o", str(out))
        assert done.returncode == 1
        assert done.stderr.startswith(f"Cannot write {out}: No space left on device. Nothing was "
                                      "written"), done.stderr
        assert out.read_bytes() == OLD
        assert leftovers(disk.dir) == ["commitments." + fmt, "filler"]
    finally:
        disk.unmount()


@pytest.mark.skipif(on_postgres(), reason="the file size limit of the CLI process binds SQLite's files only")
def test_import_into_a_database_that_cannot_grow(tmp_path):
    url = fresh_database(tmp_path, "pw_faults_import_full")
    env = base_env(tmp_path, url)
    db = Db(url)
    cli(env, "export", "csv", "-o", str(tmp_path / "warm.csv"), check=True)  # the -wal and -shm files exist
    before = (counts(db), db.scalar("SELECT COUNT(*) FROM ledger_commitment"))
    # the write-ahead log, where SQLite puts the transaction, cannot grow past 64 KiB (the rows need more)
    done = cli(env, "import", "csv", str(write_csv(tmp_path / "rows.csv", ROWS)),
               preexec_fn=file_size_limit(64 * 1024))
    assert done.returncode == 1
    assert done.stderr.startswith(("The database failed: database or disk is full. The command stopped and its "
                                   "unfinished transaction was rolled back",
                                   "The database failed: disk I/O error. The command stopped")), done.stderr
    assert (counts(db), db.scalar("SELECT COUNT(*) FROM ledger_commitment")) == before
    assert db.integrity() == []
    assert cli(env, "import", "csv", str(tmp_path / "rows.csv")).returncode == 0  # with room, it completes
    assert counts(db) == (ROWS, ROWS, ROWS)
