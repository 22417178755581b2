"""Counting rules: which commitments count toward an initiative, and for how much money.

Plain functions over plain data (`Item`), so that the CLI, the pages, the API and the tests share them, and
`counting_for(initiative)`: the one way to count an initiative's commitments (its rules, its rate book,
the items read from the ledger and the rules applied to them), used by the pages, the API, the exports and
the saved totals (pledgewatch.totals). The rules (DESIGN.md "Counting rules"):
- only the initiative's counted stages count (default `signed` and later); `announced` is pipeline;
  `cancelled` never counts;
- scope: an explicit link counts in full; the scope rule (provider, recipients, date inside the horizon)
  counts the recipients' in-scope share;
- money is converted to the headline currency under the initiative's conversion policy; the rate and its
  source are kept; an amount that cannot be converted is excluded and reported;
- `up_to` counts at face value and is flagged; `undisclosed` counts in numbers, not money.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from django.db.models import Q

from pledgewatch.ledger.models import Commitment, CommitmentCountry, Initiative
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
    converted: Decimal | None = None  # the whole amount in the headline currency (not scaled by scope)

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
    return Counted(item, share > 0, share, status, money_status, headline, rate, tuple(flags), converted)


def count(items: Iterable[Item], rules: Rules, book: RateBook | None = None) -> list[Counted]:
    """Apply the rules to every item, sharing one rate book."""
    book = book or RateBook(rules.conversion_policy, rules.fixed_rates)
    return [apply_rules(item, rules, book) for item in items]


# -- reading an initiative's rules and commitments from the ledger


def rules_for(initiative: Initiative) -> Rules:
    """Return the counting Rules stored with an initiative."""
    return Rules(
        headline_currency=initiative.headline_currency,
        counted_stages=tuple(initiative.counted_stages or DEFAULT_COUNTED_STAGES),
        conversion_policy=initiative.conversion_policy,
        fixed_rates=dict(initiative.fixed_rates or {}),
        horizon_start=initiative.horizon_start,
        horizon_end=initiative.horizon_end,
        scope_by_rule=initiative.scope_by_rule,
        scope_provider_id=initiative.scope_provider_id,
        scope_countries=frozenset(initiative.scope_countries.values_list("code", flat=True)),
        inferred_recipients=initiative.count_inferred_recipients,
    )


def candidate_commitments(initiative: Initiative, rules: Rules):
    """Return the queryset of commitments linked explicitly or possibly matching the scope rule."""
    condition = Q(pk__in=Commitment.initiatives.through.objects.filter(initiative=initiative).values("commitment_id"))
    if rules.scope_by_rule:
        rule = Q(date__isnull=False)
        if rules.scope_provider_id is not None:
            rule &= Q(provider_id=rules.scope_provider_id)
        if rules.horizon_start:
            rule &= Q(date__gte=rules.horizon_start)
        if rules.horizon_end:
            rule &= Q(date__lte=rules.horizon_end)
        if rules.scope_countries:
            links = CommitmentCountry.objects.filter(country_id__in=rules.scope_countries)
            if not rules.inferred_recipients:
                links = links.filter(basis="stated")
            rule &= Q(pk__in=links.values("commitment_id"))
        condition |= rule
    return Commitment.objects.filter(condition)


def load_items(initiative: Initiative, rules: Rules, queryset=None) -> list[Item]:
    """Return the Items for an initiative's candidate commitments (or those of `queryset`), in four queries."""
    qs = queryset if queryset is not None else candidate_commitments(initiative, rules)
    ids = qs.values("pk")  # a subquery: no bound parameter per commitment (SQLite allows 250,000)
    explicit = set(Commitment.initiatives.through.objects.filter(
        initiative=initiative, commitment_id__in=ids).values_list("commitment_id", flat=True))
    countries: dict[int, list] = defaultdict(list)
    links = CommitmentCountry.objects.filter(commitment_id__in=ids)
    if not rules.inferred_recipients:  # the counting rules leave inferred recipients out
        links = links.filter(basis="stated")
    for cid, code, share in links.values_list(
            "commitment_id", "country_id", "share").iterator(chunk_size=5000):
        countries[cid].append((code, share))
    focus: dict[int, list] = defaultdict(list)
    for cid, fid in Commitment.focus_areas.through.objects.filter(commitment_id__in=ids).values_list(
            "commitment_id", "focusarea_id").iterator(chunk_size=5000):
        focus[cid].append(fid)
    items = []
    fields = ("pk", "stage", "amount", "currency", "qualifier", "date", "instrument", "sector", "pillar_id",
              "provider_id")
    for row in Commitment.objects.filter(pk__in=ids).order_by("pk").values_list(*fields).iterator(chunk_size=5000):
        pk = row[0]
        items.append(Item(
            id=pk, stage=row[1], amount=row[2], currency=row[3], qualifier=row[4], date=row[5],
            instrument=row[6], sector=row[7], pillar_id=row[8], provider_id=row[9],
            focus_area_ids=tuple(sorted(focus.get(pk, ()))), countries=tuple(sorted(countries.get(pk, ()))),
            explicit=pk in explicit,
        ))
    return items


def rate_book(rules: Rules) -> RateBook:
    """Return a fresh RateBook for the rules' conversion policy and fixed rates."""
    return RateBook(rules.conversion_policy, rules.fixed_rates)


@dataclass(frozen=True)
class Counting:
    """How commitments count toward one initiative: its rules and the rate book that converts their money."""

    initiative: Initiative
    rules: Rules
    book: RateBook

    def candidates(self):
        """Return the queryset of the commitments that may count (explicit links and scope-rule matches)."""
        return candidate_commitments(self.initiative, self.rules)

    def items(self, queryset=None) -> list[Item]:
        """Return the Items of the candidates, or of the commitments of `queryset`."""
        return load_items(self.initiative, self.rules, queryset)

    def apply(self, item: Item) -> Counted:
        """Apply the rules to one item."""
        return apply_rules(item, self.rules, self.book)

    def count(self, queryset=None) -> list[Counted]:
        """Return the outcome of the rules for the candidates, or for the commitments of `queryset` (by id)."""
        return [self.apply(item) for item in self.items(queryset)]


def counting_for(initiative: Initiative, book: Callable[[Rules], RateBook] = rate_book) -> Counting:
    """Return how commitments count toward `initiative`: its stored rules and a rate book made by `book(rules)`."""
    rules = rules_for(initiative)
    return Counting(initiative, rules, book(rules))
