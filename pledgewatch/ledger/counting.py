"""Counting rules: which commitments count toward an initiative, and for how much money.

Plain functions over plain data (`Item`), so that the CLI, the pages, the API and the tests share them.
The rules (DESIGN.md "Counting rules"):
- only the initiative's counted stages count (default `signed` and later); `announced` is pipeline;
  `cancelled` never counts;
- scope: an explicit link counts in full; the scope rule (provider, recipients, date inside the horizon)
  counts the recipients' in-scope share;
- money is converted to the headline currency under the initiative's conversion policy; the rate and its
  source are kept; an amount that cannot be converted is excluded and reported;
- `up_to` counts at face value and is flagged; `undisclosed` counts in numbers, not money.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from pledgewatch.ledger.rates import Rate, RateBook

DEFAULT_COUNTED_STAGES = ("signed", "committed", "disbursing", "completed")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rules:
    """The counting rules of one initiative."""

    headline_currency: str
    counted_stages: tuple[str, ...] = DEFAULT_COUNTED_STAGES
    conversion_policy: str = "date"
    fixed_rates: dict = field(default_factory=dict)
    horizon_start: date | None = None
    horizon_end: date | None = None
    scope_by_rule: bool = False
    scope_provider_id: int | None = None
    scope_countries: frozenset[str] = frozenset()
    inferred_recipients: bool = True  # False: only recipients the source stated count

    def as_json(self) -> dict:
        return {
            "headline_currency": self.headline_currency,
            "counted_stages": list(self.counted_stages),
            "pipeline_stages": ["announced"],
            "never_counted_stages": ["cancelled"],
            "conversion_policy": self.conversion_policy,
            "fixed_rates": {k: str(v) for k, v in self.fixed_rates.items()},
            "scope": {
                "explicit_links": True,
                "by_rule": self.scope_by_rule,
                "provider_id": self.scope_provider_id,
                "recipient_countries": sorted(self.scope_countries),
                "inferred_recipients": self.inferred_recipients,
                "horizon": [d.isoformat() if d else None for d in (self.horizon_start, self.horizon_end)],
            },
            "up_to": "counted at face value and flagged",
            "undisclosed": "counted in numbers, not in money",
            "unconvertible": "excluded from money and listed",
        }


@dataclass
class Item:
    """What counting needs to know of one commitment."""

    id: int
    stage: str
    amount: Decimal | None
    currency: str
    qualifier: str
    date: date | None
    instrument: str = "other"
    sector: str = "public"
    pillar_id: int | None = None
    focus_area_ids: tuple[int, ...] = ()
    countries: tuple[tuple[str, Decimal | None], ...] = ()  # (ISO code, share % or None)
    provider_id: int | None = None
    explicit: bool = True  # linked to the initiative explicitly


@dataclass
class Counted:
    """The outcome of the rules for one item."""

    item: Item
    in_scope: bool
    scope_share: Decimal  # 1 for explicit links; the in-scope share of recipients for rule matches
    status: str  # counted, pipeline, not_counted_stage, cancelled, out_of_scope
    money_status: str  # converted, undisclosed, unconvertible
    headline: Decimal | None  # converted amount × scope share, in the headline currency
    rate: Rate | None = None
    flags: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        return self.status == "counted"


def country_shares(countries: Iterable[tuple[str, Decimal | None]]) -> list[tuple[str, Decimal]]:
    """Return [(code, fraction)] with fractions summing to 1: given shares normalised, else equal parts."""
    countries = list(countries)
    if not countries:
        return []
    given = [s for _, s in countries if s is not None]
    with localcontext() as ctx:
        ctx.prec = 34
        if len(given) == len(countries) and sum(given) > 0:
            total = sum(given)
            return [(c, s / total) for c, s in countries]
        each = Decimal(1) / len(countries)
        return [(c, each) for c, _ in countries]


QUANTUM = Decimal("0.0001")


def allocate(amount: Decimal, fractions: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Split amount by fractions into parts (to 0.0001) that sum exactly to amount; the rest goes to the largest."""
    if not fractions:
        return []
    parts = [(key, (amount * f).quantize(QUANTUM)) for key, f in fractions]
    rest = amount - sum(p for _, p in parts)
    if rest:
        largest = max(range(len(fractions)), key=lambda i: (fractions[i][1], -i))
        parts[largest] = (parts[largest][0], parts[largest][1] + rest)
    return parts


def scope_of(item: Item, rules: Rules) -> Decimal:
    """Return the share of the item inside the initiative's scope (0 when outside)."""
    if item.explicit:
        return Decimal(1)
    if not rules.scope_by_rule:
        return Decimal(0)
    if rules.scope_provider_id is not None and item.provider_id != rules.scope_provider_id:
        return Decimal(0)
    if item.date is None or (rules.horizon_start and item.date < rules.horizon_start) or (
            rules.horizon_end and item.date > rules.horizon_end):
        return Decimal(0)
    if not rules.scope_countries:
        return Decimal(1)
    return sum((f for c, f in country_shares(item.countries) if c in rules.scope_countries), Decimal(0))


def convert(item: Item, rules: Rules, book: RateBook) -> tuple[str, Decimal | None, Rate | None]:
    """Return (money_status, amount in headline currency, rate) for one item."""
    if item.qualifier == "undisclosed" or item.amount is None:
        return "undisclosed", None, None
    rate = book.get(item.currency, rules.headline_currency, item.date)
    if rate is None:
        return "unconvertible", None, None
    with localcontext() as ctx:
        ctx.prec = 34
        return "converted", item.amount * rate.rate, rate


def apply_rules(item: Item, rules: Rules, book: RateBook) -> Counted:
    """Apply the counting rules to one item."""
    share = scope_of(item, rules)
    money_status, converted, rate = convert(item, rules, book)
    headline = None if converted is None else converted * share
    flags = []
    if item.qualifier == "up_to":
        flags.append("up_to")
    if item.qualifier in {"approx", "at_least"}:
        flags.append(item.qualifier)
    if money_status != "converted":
        flags.append(money_status)
    if share == 0:
        status = "out_of_scope"
    elif item.stage == "cancelled":
        status = "cancelled"
    elif item.stage in rules.counted_stages:
        status = "counted"
    elif item.stage == "announced":
        status = "pipeline"
    else:
        status = "not_counted_stage"
    return Counted(item, share > 0, share, status, money_status, headline, rate, tuple(flags))


def count(items: Iterable[Item], rules: Rules, book: RateBook | None = None) -> list[Counted]:
    """Apply the rules to every item, sharing one rate book."""
    book = book or RateBook(rules.conversion_policy, rules.fixed_rates)
    return [apply_rules(item, rules, book) for item in items]
