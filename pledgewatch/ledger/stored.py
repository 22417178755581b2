"""Read stored amounts that no DecimalField can hold as empty, instead of failing every page that shows them.

Imports refuse such values (`pledgewatch.iati.values`), but a database may hold them from before, from
SQL, or from another program: SQLite keeps `-5e400` as −Infinity and any number beyond 24 digits as a
float, which Django's reader turns into an error (InvalidOperation) for every query that selects the
column; PostgreSQL's numeric keeps NaN. Connected once per database connection (`install`, from the
ledger's AppConfig.ready), the readers below return None for such a value and log it once per column
(logger `pledgewatch.ledger.stored`), so pages, the API, the admin and the exports show "no amount"
where the database holds nonsense, and answer.
"""

import logging

from django.db import connections
from django.db.backends.signals import connection_created

try:  # PostgreSQL's driver: installed where DATABASE_URL names PostgreSQL
    from psycopg.types.numeric import NumericBinaryLoader, NumericLoader
except ImportError:  # pragma: no cover - SQLite-only installations
    NumericLoader = NumericBinaryLoader = None

logger = logging.getLogger(__name__)
_reported: set = set()


def _report(value, where: str) -> None:
    if where not in _reported:
        _reported.add(where)
        logger.warning("%s holds %r, which is not a number the ledger can hold; read as empty", where, value)


def _where(expression) -> str:
    target = getattr(expression, "target", None)
    model = getattr(target, "model", None)
    return f"{model._meta.db_table}.{target.column}" if model is not None else str(expression)


def _tolerant(get_converter):
    """Wrap SQLite's decimal converter factory so that an unreadable value becomes None."""

    def factory(expression):
        convert = get_converter(expression)

        def converter(value, expression, connection):
            try:
                result = convert(value, expression, connection)
            except (ArithmeticError, TypeError, ValueError):
                _report(value, _where(expression))
                return None
            if result is not None and not result.is_finite():
                _report(value, _where(expression))
                return None
            return result

        return converter

    return factory


def _finite(loader_class):
    """Return a subclass of a psycopg numeric loader that reads NaN and ±Infinity as None."""

    class Finite(loader_class):
        def load(self, data):
            value = super().load(data)
            if value.is_finite():
                return value
            _report(value, "a numeric column")
            return None

    return Finite


FINITE_LOADERS = [_finite(c) for c in (NumericLoader, NumericBinaryLoader) if c is not None]


def on_connection(sender, connection, **kwargs) -> None:
    """Install the tolerant readers on a new database connection."""
    if connection.vendor == "sqlite":
        if not getattr(connection.ops, "_tolerant_decimals", False):
            connection.ops.get_decimalfield_converter = _tolerant(connection.ops.get_decimalfield_converter)
            connection.ops._tolerant_decimals = True
    elif connection.vendor == "postgresql" and hasattr(connection.connection, "adapters"):
        for loader in FINITE_LOADERS:
            connection.connection.adapters.register_loader("numeric", loader)


def install() -> None:
    """Connect `on_connection` to every new database connection (and to those already open)."""
    connection_created.connect(on_connection, dispatch_uid="pledgewatch.ledger.stored")
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            on_connection(None, conn)

