"""`pledgewatch backup` and `restore`: the whole database, losslessly, SQLite ↔ PostgreSQL, refusals.

Round trips run the real CLI in child processes against real databases (a SQLite file; a fresh
PostgreSQL database) and compare every table row for row with the original, and the API figures.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command as django_call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from pledgewatch.backup import archive, tables
from tests.backup.child import figures
from tests.backup.data import populate
from tests.conftest import call_command_en, on_postgres, requires_postgres

CHILD = Path(__file__).resolve().parent / "child.py"
ROOT = CHILD.parent.parent.parent


pytestmark = pytest.mark.usefixtures("english")
call_command = call_command_en


def child(url: str, tmp_path: Path, *steps: str) -> dict:
    """Run tests/backup/child.py with DATABASE_URL=url; return its JSON output."""
    env = {**os.environ, "DATABASE_URL": url, "PLEDGEWATCH_DATA_DIR": str(tmp_path), "PLEDGEWATCH_LANG": "en"}
    env.pop("PLEDGEWATCH_TEST_DB", None)
    done = subprocess.run([sys.executable, str(CHILD), *steps], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def contents(path: Path) -> dict[str, list]:
    """Return {table: [row, …]} of a backup, every value decoded back to Python."""
    with zipfile.ZipFile(path) as zf:
        manifest = archive.read_manifest(zf, str(path))
        out = {}
        for entry in manifest["tables"]:
            decode = tables.decoder([k for _c, k in entry["columns"]])
            out[entry["table"]] = [decode(json.loads(line)) for line in zf.open(entry["member"])]
        return out


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    with zipfile.ZipFile(path) as zf:
        return {t["table"]: (t["rows"], t["sha256"]) for t in archive.read_manifest(zf, str(path))["tables"]}


def orm_rows() -> dict[str, list[tuple]]:
    """Return every backed-up table as read through the ORM (Decimals as strings, to see their exponent)."""
    result = {}
    for model in tables.backed_up_models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.order_by(model._meta.pk.attname).values_list(*names)
        result[model._meta.db_table] = [tuple(str(v) if isinstance(v, Decimal) else v for v in r) for r in rows]
    return result


@pytest.fixture(scope="module")
def migrated_sqlite(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """Return a copy of the migrated, empty SQLite test database in a file: a migrated target without a migrate run.

    Copied outside any test's transaction (SQLite's backup waits for the writer's lock otherwise).
    """
    path = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with sqlite3.connect(path) as dest:
            connection.connection.backup(dest)
    return path


# ---------------------------------------------------------------- the values themselves

def test_codec_round_trips_every_kind_exactly():
    kinds = ["decimal", "datetime", "date", "time", "duration", "binary", "uuid", "json", "float", "plain", "plain"]
    values = [Decimal("12345678901234567890.1234"), dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
              dt.date(2025, 12, 20), dt.time(23, 59, 59, 999999), dt.timedelta(days=-1, microseconds=1),
              bytes(range(256)), uuid.UUID("12345678-1234-5678-1234-567812345678"),
              {"ja": "約3兆円", "n": [1, None, "", {"x": True}]}, 0.1, "", None]
    encoded = json.loads(json.dumps(tables.encoder(kinds)(values)))
    assert encoded[0] == "12345678901234567890.1234" and encoded[1] == "2026-01-02T03:04:05.678901+00:00"
    decoded = tables.decoder(kinds)(encoded)
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]
    assert str(decoded[0]) == "12345678901234567890.1234"


def test_tables_come_parents_first():
    order = [m._meta.db_table for m in tables.backed_up_models()]
    assert order.index("ledger_initiative") < order.index("ledger_pillar") < order.index("ledger_focusarea")
    assert order.index("ledger_commitment") < order.index("ledger_commitment_initiatives")
    assert order.index("auth_user") < order.index("ledger_historicalcommitment")
    assert order.index("newsletter_member") < order.index("newsletter_delivery") < order.index("newsletter_bounce")
    assert "exports_aggregatecache" not in order and "django_migrations" not in order
    assert {"django_session", "django_admin_log", "auth_permission", "press_decision", "iati_iatiactivity",
            "ledger_historicalcommitment_initiatives"} <= set(order)


# ---------------------------------------------------------------- round trips

@pytest.mark.django_db
def test_restore_into_the_same_database_gives_back_every_row_and_figure(tmp_path):
    """Backup, restore --force over it, backup again: identical rows (through the ORM), files and figures."""
    populate()
    before_rows, before_figures = orm_rows(), figures()
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("backup", str(first), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match=r"^The database already holds data"):
        call_command("restore", str(first))
    call_command("restore", str(first), "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert orm_rows() == before_rows
    assert figures() == before_figures
    call_command("backup", str(second), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert checksums(second) == checksums(first)
    counts = {t: n for t, (n, _sha) in checksums(first).items()}
    assert counts["ledger_historicalcommitment"] >= 14 and counts["newsletter_member"] == 2
    assert counts["press_decision"] == 1 and counts["iati_iatiactivity"] == 10 and counts["auth_user"] == 2


@pytest.mark.django_db
@pytest.mark.skipif(on_postgres(), reason="copies the SQLite test database; the PostgreSQL run goes across backends")
def test_sqlite_to_sqlite_file(migrated_sqlite, tmp_path):
    """The in-memory SQLite test database → a backup → a SQLite file (through the CLI) → a backup: the same."""
    target = tmp_path / "copy.sqlite3"
    shutil.copyfile(migrated_sqlite, target)
    populate()
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("backup", str(first), stdout=open(os.devnull, "w"))  # noqa: SIM115
    out = child(f"sqlite:///{target}", tmp_path, "restore", str(first), "backup", str(second), "figures",
                "sequence")
    assert contents(second) == contents(first)
    assert checksums(second) == checksums(first)
    assert out["figures"] == json.loads(json.dumps(figures()))
    assert out["sequence"]["new"] > out["sequence"]["max"]


def _pg_admin() -> dict:
    settings = connection.settings_dict
    return {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
            "user": settings["USER"] or "postgres", "password": settings["PASSWORD"] or None, "autocommit": True}


@pytest.fixture(scope="module")
def fresh_postgres(django_db_setup, django_db_blocker):
    """Yield the URL of a new PostgreSQL database: a copy of the migrated, empty test database when no one else
    is connected to it (no migrate run), else an empty one (restore migrates it)."""
    import psycopg

    admin = _pg_admin()
    test_db = connection.settings_dict["NAME"]
    name = f"{test_db}_restore"[:60]
    with django_db_blocker.unblock(), psycopg.connect(dbname="postgres", **admin) as pg:
        connection.close()
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            pg.execute(f'CREATE DATABASE "{name}" TEMPLATE "{test_db}"')
        except psycopg.errors.ObjectInUse:  # another session (a live server) uses the test database
            pg.execute(f'CREATE DATABASE "{name}"')
    password = f":{admin['password']}" if admin["password"] else ""
    yield f"postgres://{admin['user']}{password}@{admin['host']}:{admin['port']}/{name}"
    with django_db_blocker.unblock(), psycopg.connect(dbname="postgres", **admin) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@requires_postgres
@pytest.mark.django_db
def test_sqlite_postgres_sqlite(fresh_postgres, tmp_path):
    """PostgreSQL (test db) → SQLite file → fresh PostgreSQL database → the SQLite file again (--force)."""
    populate()
    original = figures()
    a, b, c, d = (tmp_path / f"{n}.zip" for n in "abcd")
    call_command("backup", str(a), stdout=open(os.devnull, "w"))  # noqa: SIM115
    lite = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    on_sqlite = child(lite, tmp_path, "restore", str(a), "backup", str(b), "figures")
    on_pg = child(fresh_postgres, tmp_path, "restore", str(b), "backup", str(c), "figures", "sequence")
    back = child(lite, tmp_path, "restore-force", str(c), "backup", str(d), "figures")
    expected = contents(a)
    for later in (b, c, d):
        assert contents(later) == expected
        assert checksums(later) == checksums(a)
    assert on_sqlite["figures"] == on_pg["figures"] == back["figures"] == json.loads(json.dumps(original))
    assert on_pg["sequence"]["new"] == on_pg["sequence"]["max"] + 1


# ---------------------------------------------------------------- refusals

def _rewrite_manifest(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            zout.writestr(item, data)


@pytest.fixture
def small_backup(db, tmp_path):
    from pledgewatch.ledger.seed import load_seed

    load_seed()
    path = tmp_path / "seed.zip"
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return path


def test_restore_refuses_unknown_migrations(small_backup, tmp_path):
    newer = tmp_path / "newer.zip"
    _rewrite_manifest(small_backup, newer, lambda m: m["migrations"].append(["ledger", "0099_from_the_future"]))
    with pytest.raises(CommandError) as info:
        call_command("restore", str(newer), "--force")
    assert str(info.value) == (
        "The backup was made by a newer version of pledgewatch: it has migrations this version does not know "
        "(ledger.0099_from_the_future). Install the version that made it (or a newer one), then restore. "
        "Nothing was restored.")


def test_restore_refuses_a_damaged_table_and_changes_nothing(small_backup, tmp_path):
    from pledgewatch.ledger.models import Commitment

    damaged = tmp_path / "damaged.zip"

    def lie(manifest):
        entry = next(t for t in manifest["tables"] if t["table"] == "ledger_commitment")
        entry["rows"] += 1
    _rewrite_manifest(small_backup, damaged, lie)
    Commitment.objects.filter(ref__isnull=False).update(title_en="changed after the backup")
    with pytest.raises(CommandError) as info:
        call_command("restore", str(damaged), "--force")
    assert str(info.value) == ("The backup is damaged: the rows of ledger_commitment do not match its manifest "
                               "(6 rows read, 7 recorded). Nothing was restored.")
    assert set(Commitment.objects.values_list("title_en", flat=True)) == {"changed after the backup"}


def test_restore_refuses_files_that_are_not_backups(db, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(CommandError, match=r"notes.txt is not a pledgewatch backup \(File is not a zip file\)\. "):
        call_command("restore", str(text))
    with pytest.raises(CommandError, match=r"^No such file: .*missing.zip Nothing was restored\.$"):
        call_command("restore", str(tmp_path / "missing.zip"))
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", '{"format": "something-else"}')
    with pytest.raises(CommandError, match=r"other.zip is not a pledgewatch backup\. Nothing was restored\.$"):
        call_command("restore", str(other))


def test_backup_is_written_whole_or_not_at_all(small_backup, tmp_path, monkeypatch):
    target = tmp_path / "never.zip"

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(archive, "write_table", broken)
    with pytest.raises(CommandError, match=r"^Cannot write .*never.zip \(No space left on device\)\. Nothing"):
        call_command("backup", str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.zip"]
    with pytest.raises(CommandError, match=r"^No such folder: "):
        call_command("backup", str(tmp_path / "nowhere" / "x.zip"))


def test_messages_in_japanese(small_backup, tmp_path):
    with translation.override("ja"), pytest.raises(CommandError) as info:
        django_call_command("restore", str(small_backup))
    assert str(info.value).startswith("データベースにはすでにデータがあります")
