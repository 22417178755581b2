"""Golden files of the IATI reader: activity.read_activity's output, written once and reviewed (tests/iati/golden/).

`plain(activity)` turns an Activity into JSON data that keeps every type apart: a Decimal is
{"decimal": "1E+3"} (its exact text), a tuple {"tuple": [...]}, a date {"date": "2020-01-02"}, and a message
(warnings, refusals) its English text. `check(name, lines)` compares JSON lines with the golden file `name`,
or writes them when PLEDGEWATCH_WRITE_GOLDEN=1 (see tests/iati/golden/README.md).
"""

import hashlib
import json
import os
from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path

from pledgewatch.iati.values import Later

GOLDEN = Path(__file__).resolve().parent / "golden"
WRITE = os.environ.get("PLEDGEWATCH_WRITE_GOLDEN", "") in ("1", "true", "yes")


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Later):
        return {"message": str(value)}
    if isinstance(value, tuple):
        return {"tuple": [_plain(v) for v in value]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value), value
        return {k: _plain(v) for k, v in value.items()}
    raise TypeError(f"no golden form for {type(value).__name__}: {value!r}")


def plain(activity) -> dict:
    """Return the Activity's fields as JSON data (see the module's docstring)."""
    result = {}
    for f in fields(activity):
        value = getattr(activity, f.name)
        if f.name == "warnings":
            value = [[kind, str(message)] for kind, message in value]
        elif f.name == "refusals":
            value = [[element, line, str(message)] for element, line, message in value]
        result[f.name] = _plain(value)
    return result


def line(record: dict) -> str:
    """Return one JSON line (keys in order of the dataclass, non-ASCII kept readable)."""
    return json.dumps(record, ensure_ascii=False)


def check(name: str, lines: list[str]) -> None:
    """Compare the JSON lines with tests/iati/golden/<name> (or write them there with PLEDGEWATCH_WRITE_GOLDEN=1)."""
    path = GOLDEN / name
    text = "".join(f"{x}\n" for x in lines)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected), f"{name}: {len(lines)} activities, the golden file has {len(expected)}"
    for number, (got, want) in enumerate(zip(lines, expected, strict=True), 1):
        assert got == want, f"{name}, line {number}"


def check_digest(name: str, lines: list[str]) -> None:
    """Compare the SHA-256 of the JSON lines (and their count) with tests/iati/golden/<name>."""
    digest = hashlib.sha256("".join(f"{x}\n" for x in lines).encode()).hexdigest()
    text = f"{len(lines)} {digest}\n"
    path = GOLDEN / name
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
