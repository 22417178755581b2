"""Real processes for the fault tests: a database of their own, the `pledgewatch` CLI, the gunicorn server.

Every database here is a throwaway: a SQLite file in the test's tmp_path, or a PostgreSQL database
created from a template migrated once per test process (tests/throwaway.py).
"""

import contextlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.conftest import on_postgres
from tests.throwaway import postgres_database, sqlite_database

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET = "faults-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def seed() -> int:
    """Return the random seed (PLEDGEWATCH_FAULT_SEED, else a fixed one) that every fault test reports."""
    return int(os.environ.get("PLEDGEWATCH_FAULT_SEED", "20251220"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(workdir: Path, url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PLEDGEWATCH_DEBUG")}
    return {**env, "DATABASE_URL": url, "PLEDGEWATCH_DATA_DIR": str(workdir), "PLEDGEWATCH_LANG": "en",
            "PLEDGEWATCH_SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT), "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",
            **extra}


def cli(env: dict, *args: str, timeout: float = 300, preexec_fn=None, check: bool = False):
    """Run `pledgewatch ARGS…` to the end; return the CompletedProcess (text)."""
    done = subprocess.run([PYTHON, "-m", "pledgewatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn)
    if check and done.returncode:
        raise RuntimeError(f"pledgewatch {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def pg_connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), **kwargs)


def fresh_database(workdir: Path, name: str) -> str:
    """Return the URL of a new, migrated database for the subprocesses (same backend as the test run)."""
    if on_postgres():
        return postgres_database(os.environ["DATABASE_URL"], name)
    return sqlite_database(workdir, f"{name}.sqlite3")


def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        with pg_connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Db:
    """Read a subprocess's database from the test (plain SQL, no Django)."""

    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.path = url.removeprefix("sqlite:///") if self.sqlite else ""

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.sqlite:
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        with pg_connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def integrity(self) -> list[str]:
        """Return the problems found by the backend's own checks (empty: consistent).

        SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL: amcheck's bt_index_check on
        every B-tree index (heap and index agree) and a scan of every foreign key for orphans.
        """
        if self.sqlite:
            problems = [r[0] for r in self.query("PRAGMA integrity_check") if r[0] != "ok"]
            problems += [f"foreign key: {r}" for r in self.query("PRAGMA foreign_key_check")]
            return problems
        problems = []
        with pg_connect(self.url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = conn.execute(
                "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'").fetchall()
            for (index,) in indexes:
                try:
                    conn.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
                except Exception as exc:  # any failure is a finding
                    problems.append(f"{index}: {exc}")
            fks = conn.execute(
                "SELECT conrelid::regclass::text, a.attname, confrelid::regclass::text, b.attname "
                "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1] "
                "WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1").fetchall()
            for table, column, ref, ref_column in fks:
                orphans = conn.execute(
                    f'SELECT COUNT(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
                    f'(SELECT 1 FROM {ref} r WHERE r."{ref_column}" = t."{column}")').fetchone()[0]
                if orphans:
                    problems.append(f"{table}.{column} → {ref}: {orphans} orphans")
        return problems


class Server:
    """`pledgewatch serve` in its own process group, so kill -9 takes the master and every worker."""

    def __init__(self, env: dict, *, workers: int = 2, threads: int = 2):
        self.env = env
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.proc: subprocess.Popen | None = None
        self.log = Path(env["PLEDGEWATCH_DATA_DIR"]) / "server.log"
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [PYTHON, "-m", "pledgewatch.cli", "serve", "--port", str(self.port), "--workers", str(self.workers),
                 "--threads", str(self.threads)], env=self.env, cwd=ROOT, stdout=log, stderr=log,
                start_new_session=True)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}): {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/admin/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout} s: {self.log.read_text()[-3000:]}")

    def kill9(self) -> None:
        """kill -9 the master and all workers at once (the whole process group)."""
        if self.proc is None:
            return
        with_pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(with_pgid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        deadline = time.monotonic() + 10  # the workers are gone too (same group)
        while time.monotonic() < deadline:
            try:
                os.killpg(with_pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.proc = None


def rng() -> random.Random:
    return random.Random(seed())


class PrivateCluster:
    """A throwaway PostgreSQL cluster (initdb in a temp dir, pg_ctl on a free port) that a test may stop.

    initdb refuses to run as root: as root it runs as the `postgres` user (runuser). `skip_reason()`
    says why it cannot be made here (no PostgreSQL binaries, not root and not postgres, no runuser).
    """

    def __init__(self):
        import glob

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bin = Path(found[-1]).parent if found else None
        self.port = free_port()
        self.dir: Path | None = None

    def skip_reason(self) -> str:
        import pwd

        if self.bin is None:
            return "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
        if os.geteuid() != 0:
            return "a private PostgreSQL cluster needs root here (initdb as the postgres user through runuser)"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "no `postgres` system user to run initdb as"
        if shutil.which("runuser") is None:
            return "no runuser to run initdb as the postgres user"
        return ""

    def _as_postgres(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)}: {done.stdout[-1500:]} {done.stderr[-1500:]}")

    def init(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="pw-faults-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8", "--locale", "C")
        self.start()

    def start(self) -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                          "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server: `immediate` is a crash (no shutdown checkpoint), `fast` a clean stop."""
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, source_url: str, name: str) -> str:
        """Create `name` here with the schema and data of source_url (pg_dump | psql); return its URL."""
        with pg_connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        dump = subprocess.Popen([str(self.bin / "pg_dump"), "--no-owner", "--no-privileges",
                                 source_url.replace("postgres://", "postgresql://", 1)], stdout=subprocess.PIPE)
        load = subprocess.run([str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null",
                               self.url(name).replace("postgres://", "postgresql://", 1)],
                              stdin=dump.stdout, capture_output=True, text=True, timeout=300)
        dump.stdout.close()
        if dump.wait(timeout=60) or load.returncode:
            raise RuntimeError(f"copying the database failed: {load.stderr[-2000:]}")
        return self.url(name)

    def destroy(self) -> None:
        if self.dir is None:
            return
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


class Tmpfs:
    """A small real tmpfs (root only): a full or read-only disk for SQLite files and export output."""

    def __init__(self, size: str = "4m"):
        self.dir = Path(tempfile.mkdtemp(prefix="pw-faults-tmpfs-"))
        self.size = size
        self.mounted = False

    def skip_reason(self) -> str:
        if os.geteuid() != 0:
            return "mounting a small tmpfs (a real full/read-only disk) needs root"
        return ""

    @classmethod
    def mounted_or_skip(cls, size: str) -> "Tmpfs":
        """Mount a new tmpfs of `size`, or skip the calling test with the reason it cannot be mounted."""
        import pytest

        disk = cls(size)
        if disk.skip_reason():
            pytest.skip(disk.skip_reason())
        try:
            disk.mount()
        except OSError as exc:
            pytest.skip(f"cannot mount a tmpfs here: {exc}")
        return disk

    def mount(self) -> None:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", str(self.dir)],
                              capture_output=True, text=True)
        if done.returncode:
            raise OSError(done.stderr.strip() or "mount failed")
        self.mounted = True

    def remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.dir)], check=True, capture_output=True)

    def fill(self, leave: int = 0) -> Path:
        """Fill the file system up to `leave` bytes free; return the filler file (delete it to free the space)."""
        filler = self.dir / "filler"
        with filler.open("wb") as out:
            chunk = b"\0" * 65536
            with contextlib.suppress(OSError):
                while True:
                    free = shutil.disk_usage(self.dir).free
                    if free <= leave:
                        break
                    out.write(chunk[:max(min(len(chunk), free - leave), 1)])
                    out.flush()
        return filler

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.dir)], capture_output=True)
            self.mounted = False
        shutil.rmtree(self.dir, ignore_errors=True)
