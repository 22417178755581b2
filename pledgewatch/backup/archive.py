"""Write and restore a whole-database backup that moves between SQLite and PostgreSQL without loss.

The file is a zip archive: `manifest.json` (format version, the migrations the database had, and for each
table its columns, row count and SHA-256) and one JSON Lines member per table (`tables/NNN-<table>.jsonl`,
one JSON array per row, in primary-key order, parents before children). A backup is read in one
consistent snapshot, streamed in chunks, and written to a temporary file renamed into place when complete.
A restore checks the file, then replaces every table's rows in one transaction and resets the sequences.
"""

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.backup import tables
from pledgewatch.backup.exceptions import BadBackupFile, NotEmpty, SchemaMismatch, UnknownMigrations

FORMAT = "pledgewatch-backup"
VERSION = 1
CHUNK = 2000
WRITE_BUFFER = 1 << 18
MANIFEST = "manifest.json"


@dataclass
class Result:
    tables: int = 0
    rows: int = 0
    manifest: dict = field(default_factory=dict)


# ---------------------------------------------------------------- backup

@contextmanager
def snapshot(connection):
    """Read every table in one consistent snapshot, without blocking writers where the backend allows."""
    if connection.vendor == "postgresql":
        outermost = not connection.in_atomic_block  # inside a caller's transaction, its snapshot rules apply
        with transaction.atomic(using=connection.alias):
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    connection.transaction_mode = None  # SQLite: a deferred read transaction (WAL readers see one snapshot)
    try:
        with transaction.atomic(using=connection.alias):
            yield
    finally:
        connection.transaction_mode = mode


def applied_migrations(connection) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _rows(model, using: str, names: list[str]) -> Iterator[tuple]:
    query = model._base_manager.using(using).order_by(model._meta.pk.attname).values_list(*names)
    return query.iterator(chunk_size=CHUNK)


def write_table(zf: zipfile.ZipFile, member: str, model, using: str) -> dict:
    """Write one table as JSON Lines into the archive; return its manifest entry."""
    cols = tables.columns(model)
    encode = tables.encoder([k for _f, k in cols])
    digest, count = hashlib.sha256(), 0
    buffer = bytearray()
    with zf.open(member, "w", force_zip64=True) as out:
        for row in _rows(model, using, [f.attname for f, _k in cols]):
            line = (json.dumps(encode(row), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                    + "\n").encode("utf-8")
            digest.update(line)
            buffer += line
            count += 1
            if len(buffer) >= WRITE_BUFFER:
                out.write(buffer)
                buffer.clear()
        out.write(buffer)
    return {"model": model._meta.label_lower, "table": model._meta.db_table, "member": member,
            "columns": [[f.column, k] for f, k in cols], "rows": count, "sha256": digest.hexdigest()}


def write_backup(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Write the whole database to path (atomically: a temporary file renamed when complete)."""
    path = Path(path)
    connection = connections[using]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    result = Result()
    try:
        with open(tmp, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6,
                                 allowZip64=True) as zf, snapshot(connection):
                entries = []
                existing = set(connection.introspection.table_names())
                present = [m for m in tables.backed_up_models() if m._meta.db_table in existing]
                for n, model in enumerate(present, start=1):
                    entries.append(write_table(zf, f"tables/{n:03d}-{model._meta.db_table}.jsonl", model, using))
                manifest = {
                    "format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                    "source": {"vendor": connection.vendor, "django": django.get_version()},
                    "migrations": applied_migrations(connection),
                    "skipped": sorted(tables.SKIPPED), "tables": entries,
                }
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    result.manifest = manifest
    result.tables = len(entries)
    result.rows = sum(e["rows"] for e in entries)
    return result


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- restore

def read_manifest(zf: zipfile.ZipFile, name: str) -> dict:
    """Return the manifest of an open backup, or raise BadBackupFile."""
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise BadBackupFile(_("%(file)s is not a pledgewatch backup (no readable manifest: %(error)s).")
                            % {"file": name, "error": exc}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadBackupFile(_("%(file)s is not a pledgewatch backup.") % {"file": name})
    if manifest.get("version") != VERSION:
        raise BadBackupFile(_("%(file)s has backup format version %(version)s; this pledgewatch reads version "
                              "%(supported)d.") % {"file": name, "version": manifest.get("version"),
                                                   "supported": VERSION})
    return manifest


def open_backup(path: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BadBackupFile(_("No such file: %(file)s") % {"file": path}) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadBackupFile(_("%(file)s is not a pledgewatch backup (%(error)s).")
                            % {"file": path, "error": exc}) from None


def unapplied_migrations(connection) -> list[str]:
    """Return the migrations the code has and the database lacks ("app.name")."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = {tuple(m) for m in applied_migrations(connection)}
    return sorted(f"{a}.{n}" for a, n in loader.graph.leaf_nodes() if (a, n) not in applied)


def check_migrations(manifest: dict, connection) -> None:
    """Refuse a backup made with migrations the code does not know, or with another migration state."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known |= set(migration.replaces or [])
    theirs = {tuple(m) for m in manifest["migrations"]}
    unknown = sorted(theirs - known)
    if unknown:
        raise UnknownMigrations(_(
            "The backup was made by a newer version of pledgewatch: it has migrations this version does not "
            "know (%(names)s). Install the version that made it (or a newer one), then restore.") % {
            "names": ", ".join(f"{a}.{n}" for a, n in unknown[:5]) + (" …" if len(unknown) > 5 else "")})
    ours = {tuple(m) for m in applied_migrations(connection)}
    if ours != theirs:
        missing = sorted(ours - theirs)
        raise SchemaMismatch(_(
            "The backup was made by an older version of pledgewatch (it lacks the migrations %(names)s). "
            "Restore it into an empty database with that version, then upgrade with `pledgewatch migrate`.")
            % {"names": ", ".join(f"{a}.{n}" for a, n in missing[:5]) + (" …" if len(missing) > 5 else "")})


def check_tables(manifest: dict) -> list[tuple[dict, type]]:
    """Return (manifest entry, model) pairs in restore order; refuse tables or columns the code lacks."""
    by_label = {m._meta.label_lower: m for m in tables.all_models()}
    pairs = []
    for entry in manifest["tables"]:
        model = by_label.get(entry["model"])
        if model is None or model._meta.db_table != entry["table"]:
            raise SchemaMismatch(_("The backup has a table this version does not know: %(table)s.")
                                 % {"table": entry["table"]})
        ours = [[f.column, k] for f, k in tables.columns(model)]
        if ours != entry["columns"]:
            raise SchemaMismatch(_("The columns of %(table)s in the backup differ from this version's.")
                                 % {"table": entry["table"]})
        pairs.append((entry, model))
    return pairs


def rows_in_use(connection) -> list[str]:
    """Return the tables that hold data (a freshly migrated database has none)."""
    return [m._meta.db_table for m in tables.all_models()
            if tables.holds_data(m) and m._base_manager.using(connection.alias).exists()]


def _insert_sql(connection, model) -> str:
    quote = connection.ops.quote_name
    cols = [f.column for f, _k in tables.columns(model)]
    # table and column names come from the models and are quoted; every value is a parameter
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in cols)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(cols))})")


def load_table(zf: zipfile.ZipFile, entry: dict, model, connection) -> int:
    """Insert one table's rows in chunks; verify the row count and checksum; return the count."""
    fields = [f for f, _k in tables.columns(model)]
    decode = tables.decoder([k for _c, k in entry["columns"]])
    sql = _insert_sql(connection, model)
    digest, count, batch = hashlib.sha256(), 0, []
    try:
        member = zf.open(entry["member"])
    except KeyError:
        raise BadBackupFile(_("The backup lacks the rows of %(table)s.") % {"table": entry["table"]}) from None
    with member, connection.cursor() as cursor:
        for line in member:
            digest.update(line)
            values = decode(json.loads(line))
            batch.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)])
            count += 1
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    if count != entry["rows"] or digest.hexdigest() != entry["sha256"]:
        raise BadBackupFile(_("The backup is damaged: the rows of %(table)s do not match its manifest "
                              "(%(count)d rows read, %(expected)d recorded).")
                            % {"table": entry["table"], "count": count, "expected": entry["rows"]})
    return count


def prepare_database(connection) -> None:
    """Create the tables of an empty database (one without a migration record)."""
    if not MigrationRecorder(connection).has_table() or not applied_migrations(connection):
        call_command("migrate", database=connection.alias, interactive=False, verbosity=0)


def restore_backup(path: str | Path, *, using: str = DEFAULT_DB_ALIAS, force: bool = False) -> Result:
    """Replace every table's rows with the backup's, in one transaction; refuse what cannot be restored."""
    connection = connections[using]
    with open_backup(path) as zf:
        manifest = read_manifest(zf, str(path))
        prepare_database(connection)
        check_migrations(manifest, connection)
        pairs = check_tables(manifest)
        used = rows_in_use(connection)
        if used and not force:
            raise NotEmpty(_("The database already holds data (%(tables)s). Restore into an empty database, "
                             "or add --force to replace everything in it.")
                           % {"tables": ", ".join(used[:4]) + (" …" if len(used) > 4 else "")})
        result = Result(manifest=manifest)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                for model in reversed(tables.all_models()):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            for entry, model in pairs:
                result.rows += load_table(zf, entry, model, connection)
                result.tables += 1
            reset_sequences(connection)
    ContentType.objects.clear_cache()  # the restored content types may carry other ids than the cached ones
    return result


def reset_sequences(connection) -> None:
    """Move PostgreSQL's id sequences past the restored ids (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables.all_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
