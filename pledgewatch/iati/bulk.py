"""Insert plain rows into a model's table in bulk: COPY on PostgreSQL, one INSERT run with executemany on SQLite.

The IATI importer writes about ten rows per activity. Building model instances and letting the ORM
compile a multi-row INSERT costs far more than the database's own work, so rows here are plain dicts
keyed by column attribute name: missing values take the field's default, `auto_now`/`auto_now_add`
fields take the time of the write, and values that need it (dates, decimals, JSON) go through the
field's own `get_db_prep_save`, so they are stored exactly as the ORM stores them.

Ids that other rows need (commitments, transactions) are reserved before the insert (`reserve`):
on PostgreSQL from the table's sequence, on SQLite above the highest id ever given (the caller is in a
transaction that has written already, so it holds SQLite's write lock and nobody else can insert).
"""

import functools
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

_IDENTITY = frozenset({"CharField", "TextField", "SlugField", "URLField", "EmailField", "IntegerField",
                       "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
                       "BigIntegerField", "SmallIntegerField", "AutoField", "BigAutoField", "ForeignKey",
                       "OneToOneField", "BooleanField"})


class EncodedJson(str):
    """A JSON column's value already encoded as JSON text (`writer.activity_json`), stored as it is.

    A reader process of `import iati --jobs` encodes each activity's data while the importing process
    writes, so the writer only passes the text on (SQLite stores it as it is; PostgreSQL's COPY parses it).
    """

    __slots__ = ()


class Table:
    """Insert dict rows into one model's table; `with_pk` when the caller gives the ids."""

    def __init__(self, model, *, with_pk: bool = False):
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if with_pk or f is not pk]
        self.names = [f.attname for f in self.fields]
        self.stamped = {f.attname for f in self.fields
                        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
        self.defaults = {f.attname: (None if f.attname in self.stamped else f.get_default()) for f in self.fields}
        quote = connection.ops.quote_name
        # table and column names come from the model and are quoted; every value is a parameter
        self.sql = (f"INSERT INTO {quote(self.table)} ({', '.join(quote(f.column) for f in self.fields)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(self.fields))})")
        self.copy_sql = f"COPY {quote(self.table)} ({', '.join(quote(f.column) for f in self.fields)}) FROM STDIN"

    def converters(self, conn) -> list:
        """Return per column the function that prepares a value for the database, or None (as it is)."""
        ops = conn.ops
        result = []
        for f in self.fields:
            kind = f.get_internal_type()
            if kind in _IDENTITY:
                result.append(None)
            elif kind == "DateField":  # few distinct dates: each is prepared once
                result.append(None if conn.vendor == "postgresql" else functools.lru_cache(4096)(
                    ops.adapt_datefield_value))
            elif kind == "DateTimeField":  # values are aware datetimes (timezone.now(), parse_datetime)
                result.append(functools.lru_cache(4096)(ops.adapt_datetimefield_value))
            elif kind == "JSONField":
                result.append(lambda v, f=f, ops=ops: v if type(v) is EncodedJson
                              else ops.adapt_json_value(v, f.encoder))
            elif kind == "DecimalField":  # what get_db_prep_save does to a Decimal, without its three calls
                result.append(lambda v, f=f, conn=conn, adapt=ops.adapt_decimalfield_value: adapt(
                    v, f.max_digits, f.decimal_places) if type(v) is Decimal else f.get_db_prep_save(v, conn))
            else:  # anything else: the field's own preparation
                result.append(lambda v, f=f, conn=conn: f.get_db_prep_save(v, conn))
        return result

    def params(self, rows: list[dict], now, conn) -> list[tuple]:
        """Return the rows' parameters in column order."""
        columns = []
        for name, convert in zip(self.names, self.converters(conn), strict=True):
            default = self.defaults[name]
            if name in self.stamped:
                default = now
            if convert is None:
                values = [row.get(name, default) for row in rows]
            else:
                default = None if default is None else convert(default)
                values = [default if name not in row else None if (v := row[name]) is None else convert(v)
                          for row in rows]
            columns.append(values)
        return list(zip(*columns, strict=True))

    def insert(self, rows: list[dict], now=None) -> None:
        """Insert the rows (one COPY or one executemany)."""
        if not rows:
            return
        conn = connections[DEFAULT_DB_ALIAS]
        params = self.params(rows, now or timezone.now(), conn)
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":  # COPY: no per-row statement, values dumped by psycopg's adapters
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)

    def reserve(self, n: int) -> list[int]:
        """Return n new ids for this table (call inside the transaction that inserts them)."""
        if n <= 0:
            return []
        column = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [connection.ops.quote_name(self.table), column, n])
                return [r[0] for r in cursor.fetchall()]
            if not connection.in_atomic_block:
                raise RuntimeError("Table.reserve() needs the transaction that inserts the rows")
            quote = connection.ops.quote_name
            # the table name comes from the model; sqlite_sequence holds the highest id ever given
            cursor.execute(f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                           f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(self.table)}), 0))", [self.table])
            top = cursor.fetchone()[0]
        return list(range(top + 1, top + n + 1))


_tables: dict = {}


def table(model, *, with_pk: bool = False) -> Table:
    """Return the (cached) Table of a model for the current database vendor."""
    key = (model, with_pk, connection.vendor)
    if key not in _tables:
        _tables[key] = Table(model, with_pk=with_pk)
    return _tables[key]
