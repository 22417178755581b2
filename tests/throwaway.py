"""Throwaway databases for tests that run real processes (the CLI, workers, the server).

Each is copied from a template migrated once per test process: a SQLite file, or a PostgreSQL database
created with `CREATE DATABASE … TEMPLATE`. The PostgreSQL template's name carries `PLEDGEWATCH_TEST_DB`
so that parallel test runs on one server never drop each other's template.
Used by tests/faults/procs.py, tests/newsletter/crash.py (and through it bench/newsletter and tests/deploy).
"""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
_templates: dict[str, str] = {}  # kind → template (SQLite file or PostgreSQL database name)


def scratch(prefix: str) -> Path:
    """Return a new temporary folder, removed when the test process ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def migrate(url: str) -> None:
    """Run `pledgewatch migrate` against `url` in a child process (as a deployment would)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PLEDGEWATCH_DEBUG")}
    env.update(DATABASE_URL=url, PLEDGEWATCH_DATA_DIR=str(scratch("pw-migrate-")), PYTHONPATH=str(ROOT),
               PLEDGEWATCH_SECRET_KEY="throwaway-test-secret-key-0123456789-abcdefghijklmnop")
    done = subprocess.run([PYTHON, "-m", "pledgewatch.cli", "migrate", "--no-input", "-v", "0"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"migrate {url} failed ({done.returncode}): {done.stderr[-2000:]}")


def template_name() -> str:
    return "pledgewatch_template_" + (os.environ.get("PLEDGEWATCH_TEST_DB") or "test")


def postgres_database(url: str, name: str) -> str:
    """Create a fresh, migrated PostgreSQL database `name` on the server of `url`; return its URL."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    template = template_name()
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as conn:
        if "postgres" not in _templates:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}"')
            migrate(f"{base}/{template}")
            _templates["postgres"] = template
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{base}/{name}"


def sqlite_database(workdir: Path, filename: str = "db.sqlite3") -> str:
    """Copy the migrated SQLite template to workdir/filename; return its URL."""
    if "sqlite" not in _templates:
        template = scratch("pw-template-") / "template.sqlite3"
        migrate(f"sqlite:///{template}")
        _templates["sqlite"] = str(template)
    target = Path(workdir) / filename
    shutil.copyfile(_templates["sqlite"], target)
    return f"sqlite:///{target}"
