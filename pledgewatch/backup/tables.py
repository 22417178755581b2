"""Which tables a backup holds, in which order, and how each column's values are written as JSON.

Every table of every installed app (Django's auth, sessions, admin log and content types, the ledger and
its history tables, the review queue, the newsletter, IATI) is backed up, parents before children.
Derived caches (`SKIPPED`) are left out: restore empties them and they are rebuilt on the next read.

Values go through the ORM on both sides, so each backend's conversions apply: exact Decimals as strings,
timezone-aware datetimes in ISO 8601 with their offset, dates and times in ISO 8601, binary as base64,
JSON as JSON, durations as microseconds, NULL as null (an empty string stays "").
"""

import base64
import datetime as dt
import heapq
import uuid
from decimal import Decimal

from django.apps import apps
from django.db import models

# Derived data, rebuilt from the ledger on the next read (label_lower of the model).
SKIPPED = frozenset({"totals.aggregatecache", "totals.outcomestate", "totals.commitmentoutcome",
                     "totals.outcomebucket"})
# Apps whose rows mean "this database holds data" (a migrated empty database has none, except countries).
DATA_APPS = frozenset({"ledger", "press", "newsletter", "iati", "auth"})
REFERENCE = frozenset({"ledger.country", "auth.permission", "auth.group", "auth.group_permissions"})

KINDS = {
    "DecimalField": "decimal", "DateTimeField": "datetime", "DateField": "date", "TimeField": "time",
    "DurationField": "duration", "BinaryField": "binary", "UUIDField": "uuid", "JSONField": "json",
    "FloatField": "float",
}


def kind_of(field: models.Field) -> str:
    """Return how a column's values are encoded: a KINDS value, or "plain" (numbers, text, booleans)."""
    while field.is_relation:
        field = field.target_field
    return KINDS.get(field.get_internal_type(), "plain")


def all_models() -> list[type[models.Model]]:
    """Return every concrete model with a table of its own (m2m tables too), parents first."""
    found = [m for m in apps.get_models(include_auto_created=True)
             if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
    return dependency_order(found)


def backed_up_models() -> list[type[models.Model]]:
    return [m for m in all_models() if m._meta.label_lower not in SKIPPED]


def holds_data(model) -> bool:
    """Return whether rows of this model mean that a database is in use (not just migrated)."""
    return model._meta.app_label in DATA_APPS and model._meta.label_lower not in REFERENCE


def dependency_order(found: list) -> list:
    """Return the models with every model after the models its foreign keys point to (cycles broken by name)."""
    label = {m: m._meta.label_lower for m in found}
    needs = {m: {f.related_model for f in m._meta.concrete_fields
                 if f.is_relation and f.related_model in label and f.related_model is not m} for m in found}
    users: dict = {m: set() for m in found}
    for m, parents in needs.items():
        for p in parents:
            users[p].add(m)
    waiting = {m: len(parents) for m, parents in needs.items()}
    ready = [(label[m], i, m) for i, m in enumerate(found) if not waiting[m]]
    heapq.heapify(ready)
    order, done = [], set()
    while len(order) < len(found):
        if not ready:  # a cycle: take the first remaining model by name (constraints are deferred)
            m = min((m for m in found if m not in done), key=label.get)
            ready = [(label[m], 0, m)]
        _name, _i, m = heapq.heappop(ready)
        if m in done:
            continue
        done.add(m)
        order.append(m)
        for child in users[m]:
            waiting[child] -= 1
            if waiting[child] == 0 and child not in done:
                heapq.heappush(ready, (label[child], found.index(child), child))
    return order


def columns(model) -> list[tuple[models.Field, str]]:
    """Return the concrete fields of a model with their encoding kind, in table order."""
    return [(f, kind_of(f)) for f in model._meta.concrete_fields]


def _microseconds(value: dt.timedelta) -> int:
    return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds


ENCODE = {
    "decimal": str,
    "datetime": dt.datetime.isoformat,
    "date": dt.date.isoformat,
    "time": dt.time.isoformat,
    "duration": _microseconds,
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "uuid": str,
}
DECODE = {
    "decimal": Decimal,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "duration": lambda v: dt.timedelta(microseconds=v),
    "binary": base64.b64decode,
    "uuid": uuid.UUID,
}


def encoder(kinds: list[str]):
    """Return a function turning a row of ORM values into a JSON-ready list."""
    funcs = [ENCODE.get(k) for k in kinds]

    def encode(row) -> list:
        return [v if v is None or f is None else f(v) for f, v in zip(funcs, row, strict=True)]
    return encode


def decoder(kinds: list[str]):
    """Return a function turning a decoded JSON list back into ORM values."""
    funcs = [DECODE.get(k) for k in kinds]

    def decode(row: list) -> list:
        return [v if v is None or f is None else f(v) for f, v in zip(funcs, row, strict=True)]
    return decode
