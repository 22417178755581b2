"""Progress of an initiative: counted money against the target, pace, pipeline and breakdowns.

`progress(initiative, today)` applies the counting rules to every candidate commitment and returns a
JSON-ready dict; `progress_from_outcomes()` assembles the same dict from the stored outcomes
(pledgewatch.totals.outcomes); `cached_progress()` returns it once computed per ledger version, date and
language (pledgewatch.totals.version), and is what the API, the pages and the CLI read.
"""

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pledgewatch.ledger.claims import document_counts
from pledgewatch.ledger.counting import Counted, allocate, counting_for, country_shares
from pledgewatch.ledger.models import FocusArea, Initiative
from pledgewatch.ledger.money import Money, format_decimal
from pledgewatch.ledger.rates import RateBook
from pledgewatch.totals import outcomes, version
from pledgewatch.totals.models import AggregateCache

UNASSIGNED = "unassigned"


def money_json(amount: Decimal | None, currency: str, qualifier: str = "exact") -> dict:
    """Return the API money form of a headline amount, rounded to whole units."""
    if amount is None:
        return Money(None, currency, "undisclosed").as_json()
    return Money(amount.quantize(Decimal(1)), currency, qualifier).as_json()


def sum_qualifier(parts: list[Counted]) -> str:
    """Return "exact" when every summed amount is exact, else "approx" (the sum is then approximate)."""
    disclosed = [c for c in parts if c.headline is not None]
    return "exact" if all(c.item.qualifier == "exact" for c in disclosed) else "approx"


@dataclass
class Bucket:
    key: str
    amount: Decimal = Decimal(0)
    count: int = 0
    undisclosed: int = 0
    qualifier: str = "exact"


def _add(buckets: dict, key, c: Counted, part: Decimal | None) -> None:
    """Add one counted item (or its part `part` of the headline amount) to the bucket `key`."""
    bucket = buckets.setdefault(str(key), Bucket(str(key)))
    bucket.count += 1
    if c.headline is None:
        bucket.undisclosed += 1
    else:
        bucket.amount += c.headline if part is None else part
        if c.item.qualifier != "exact":
            bucket.qualifier = "approx"


def _split(buckets: dict, c: Counted, fractions: list[tuple[str, Decimal]]) -> None:
    """Add an item to several buckets, splitting its money so that the parts sum exactly to it."""
    if c.headline is None:
        for key, _fraction in fractions:
            _add(buckets, key, c, None)
        return
    for key, part in allocate(c.headline, fractions):
        _add(buckets, key, c, part)


def breakdowns(counted: list[Counted]) -> dict[str, dict[str, Bucket]]:
    """Return the counted money split by pillar, focus area, country, instrument, sector and year."""
    out: dict[str, dict[str, Bucket]] = {k: {} for k in
                                         ("pillar", "focus_area", "country", "instrument", "sector", "year")}
    with localcontext() as ctx:
        ctx.prec = 34
        for c in counted:
            if not c.counts:
                continue
            item = c.item
            _add(out["pillar"], item.pillar_id or UNASSIGNED, c, None)
            focus = [(str(f), Decimal(1) / len(item.focus_area_ids)) for f in item.focus_area_ids]
            _split(out["focus_area"], c, focus or [(UNASSIGNED, Decimal(1))])
            _split(out["country"], c, country_shares(item.countries) or [(UNASSIGNED, Decimal(1))])
            _add(out["instrument"], item.instrument, c, None)
            _add(out["sector"], item.sector, c, None)
            _add(out["year"], item.date.year if item.date else UNASSIGNED, c, None)
    return out


def pace(counted_total: Decimal, target: Decimal | None, start: date, end: date, today: date,
         tolerance: Decimal = Decimal("0.1")) -> dict:
    """Return the pace: shares of target and horizon, status and the linear projection to the end."""
    total_days = (end - start).days
    elapsed_days = min(max((today - start).days, 0), total_days)
    with localcontext() as ctx:
        ctx.prec = 34
        elapsed = Decimal(elapsed_days) / Decimal(total_days)
        share = counted_total / target if target else Decimal(0)
        projected = counted_total / elapsed if elapsed > 0 else None
        if today < start or elapsed == 0:
            status = "not_started"
        elif counted_total == 0:
            status = "not_started" if elapsed < Decimal("0.02") else "behind"
        elif share < elapsed * (1 - tolerance):
            status = "behind"
        elif share > elapsed * (1 + tolerance):
            status = "ahead"
        else:
            status = "on_track"
    return {
        "today": today.isoformat(),
        "horizon_start": start.isoformat(),
        "horizon_end": end.isoformat(),
        "elapsed_days": elapsed_days,
        "total_days": total_days,
        "elapsed_share": format_decimal(elapsed.quantize(Decimal("0.0001"))),
        "progress_share": format_decimal(share.quantize(Decimal("0.0001"))),
        "expected_by_now": None if target is None else format_decimal((target * elapsed).quantize(Decimal(1))),
        "projected_at_end": None if projected is None else format_decimal(projected.quantize(Decimal(1))),
        "status": status,
        "tolerance": format_decimal(tolerance),
    }


def document_total(initiative) -> int:
    """Return the number of documents the headline gives: the largest count stated by a claim, else the sum.

    See `pledgewatch.ledger.claims.document_counts` (the counts, their sources and why this one).
    """
    return document_counts(initiative)["headline"]


def today_for_progress() -> date:
    """Return today's date in the site's time zone, or PLEDGEWATCH_TODAY when set (reproducible reports)."""
    fixed = os.environ.get("PLEDGEWATCH_TODAY")
    return date.fromisoformat(fixed) if fixed else timezone.localdate()


def _bucket_list(buckets: dict[str, Bucket], currency: str, labels: dict | None = None,
                 keys: dict | None = None) -> list[dict]:
    rows = []
    for b in buckets.values():
        row = {"key": (keys or {}).get(b.key, b.key), "count": b.count, "undisclosed": b.undisclosed,
               "counted": money_json(b.amount, currency, b.qualifier)}
        if labels is not None:
            row["label"] = labels.get(b.key, b.key)
        rows.append(row)
    return rows


def _labels(initiative) -> dict[str, dict]:
    """Return id → label and id → slug maps for pillars and focus areas, in the active language."""
    pillars = list(initiative.pillars.all())
    focus = list(FocusArea.objects.filter(pillar__initiative=initiative).select_related("pillar"))
    unassigned = {UNASSIGNED: _("Unassigned")}
    return {
        "pillar": {str(p.pk): p.name for p in pillars} | unassigned,
        "pillar_slug": {str(p.pk): p.slug for p in pillars} | {UNASSIGNED: UNASSIGNED},
        "pillar_order": [str(p.pk) for p in pillars] + [UNASSIGNED],
        "focus_area": {str(f.pk): f.name for f in focus} | unassigned,
        "focus_slug": {str(f.pk): f.slug for f in focus} | {UNASSIGNED: UNASSIGNED},
        "focus_pillar": {str(f.pk): f.pillar.slug for f in focus},
        "focus_order": {str(f.pk): i for i, f in enumerate(focus)} | {UNASSIGNED: 1 << 30},
    }


def _focus_rows(buckets: dict[str, Bucket], currency: str, labels: dict) -> list[dict]:
    """Return the focus-area rows in the order of their pillars and focus areas (unassigned last)."""
    order = labels["focus_order"]
    ordered = sorted(buckets.values(), key=lambda b: (order.get(b.key, len(order)), b.key))
    rows = _bucket_list({b.key: b for b in ordered}, currency, labels["focus_area"], labels["focus_slug"])
    for row, bucket in zip(rows, ordered, strict=True):
        row["pillar"] = labels["focus_pillar"].get(bucket.key)
    return rows


def headline_total(counted: list[Counted]) -> Decimal:
    """Return the sum of the headline amounts, exact (34 digits) so that it does not depend on their order."""
    with localcontext() as ctx:
        ctx.prec = 34
        return sum((c.headline for c in counted if c.headline is not None), Decimal(0))


def progress(initiative, today: date | None = None) -> dict:
    """Return the initiative's progress: counted money, target, share, pace, pipeline and breakdowns."""
    today = today or today_for_progress()
    counting = counting_for(initiative)
    rules, book = counting.rules, counting.book
    counted = counting.count()
    cur = rules.headline_currency
    in_scope = [c for c in counted if c.in_scope]
    counting = [c for c in in_scope if c.counts]
    total = headline_total(counting)
    pipeline = [c for c in in_scope if c.status == "pipeline"]
    target = initiative.target_amount
    if target is not None and initiative.target_currency != cur:
        rate = book.get(initiative.target_currency, cur, initiative.horizon_start)
        target = None if rate is None else target * rate.rate
    labels = _labels(initiative)
    parts = breakdowns(counted)
    pillar_rows = {r["key"]: r for r in _bucket_list(parts["pillar"], cur, labels["pillar"],
                                                      labels["pillar_slug"])}
    pillars = []
    for pk in labels["pillar_order"]:  # every pillar, in order, even with nothing counted
        slug = labels["pillar_slug"][pk]
        pillars.append(pillar_rows.get(slug) or {"key": slug, "count": 0, "undisclosed": 0,
                                                 "counted": money_json(Decimal(0), cur),
                                                 "label": labels["pillar"][pk]})
    focus_rows = _focus_rows(parts["focus_area"], cur, labels)
    by_stage: dict[str, dict] = {}
    for c in in_scope:
        row = by_stage.setdefault(c.item.stage, {"key": c.item.stage, "count": 0, "undisclosed": 0,
                                                 "amount": Decimal(0), "counts": c.item.stage in rules.counted_stages,
                                                 "qualifier": "exact"})
        row["count"] += 1
        if c.headline is None:
            row["undisclosed"] += 1
        else:
            row["amount"] += c.headline
            if c.item.qualifier != "exact":  # a sum with an approximate part is approximate
                row["qualifier"] = "approx"
    rates = {(r.base, r.quote, r.on, r.source): r for c in counting if (r := c.rate) and r.period != "identity"}
    rates = {k: rates[k] for k in sorted(rates)}  # in a stable order: base, quote, date, source
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for c in counting:  # the counted money by day, for progress over time (undated: the horizon start)
        if c.headline is not None:
            by_day[max(c.item.date or initiative.horizon_start, initiative.horizon_start)] += c.headline
    return {
        "initiative": initiative.slug,
        "currency": cur,
        "target": initiative.target.as_json(),
        "target_in_headline": None if target is None else money_json(target, cur, initiative.target_qualifier),
        "counted": money_json(total, cur, sum_qualifier(counting)),
        "pipeline": money_json(headline_total(pipeline), cur),
        "counts": {
            "commitments": len(in_scope),
            "counted": len(counting),
            "pipeline": len(pipeline),
            "cancelled": sum(1 for c in in_scope if c.status == "cancelled"),
            "undisclosed": sum(1 for c in counting if c.money_status == "undisclosed"),
            "unconvertible": sum(1 for c in counting if c.money_status == "unconvertible"),
            "up_to": sum(1 for c in counting if "up_to" in c.flags),
            "documents": document_total(initiative),
        },
        "unconvertible": [{"commitment": c.item.id, "amount": Money(c.item.amount, c.item.currency,
                                                                     c.item.qualifier).as_json()}
                          for c in counting if c.money_status == "unconvertible"],
        "up_to": [c.item.id for c in counting if "up_to" in c.flags],
        "pace": pace(total, target, initiative.horizon_start, initiative.horizon_end, today,
                     initiative.pace_tolerance),
        "rules": rules.as_json(),
        "rates": [r.as_json() for r in rates.values()],
        "counted_by_day": [{"date": d.isoformat(), "amount": format_decimal(v.quantize(Decimal("0.0001")))}
                           for d, v in sorted(by_day.items())],
        "breakdowns": {
            "pillar": pillars,
            "focus_area": focus_rows,
            "country": sorted(_bucket_list(parts["country"], cur), key=lambda r: r["key"]),
            "instrument": sorted(_bucket_list(parts["instrument"], cur), key=lambda r: r["key"]),
            "stage": [{**{k: v for k, v in row.items() if k not in ("amount", "qualifier")},
                       "amount": money_json(row["amount"], cur, row["qualifier"])} for row in
                      sorted(by_stage.values(), key=lambda r: STAGE_INDEX[r["key"]])],
            "sector": sorted(_bucket_list(parts["sector"], cur), key=lambda r: r["key"]),
            "year": sorted(_bucket_list(parts["year"], cur), key=lambda r: r["key"]),
        },
    }


def progress_from_outcomes(initiative, today: date | None = None) -> dict:
    """Return the same dict as `progress()`, assembled from the stored outcomes and running totals.

    Milliseconds at any ledger size (pledgewatch.totals.outcomes keeps them current on every write); the
    first call after a change of the counting rules or of the rate table rebuilds them.
    """
    today = today or today_for_progress()
    rules = outcomes.ensure_built(initiative)
    stored = outcomes.buckets(initiative)
    up_to, unconvertible = outcomes.listed(initiative)
    cur = rules.headline_currency
    empty = (Decimal(0), 0, 0, 0, None)

    def number(key: str) -> int:
        return stored["n"].get(key, empty)[1]

    def as_buckets(dimension: str) -> dict[str, Bucket]:
        return {key: Bucket(key, amount, n, undisclosed, "approx" if nonexact else "exact")
                for key, (amount, n, undisclosed, nonexact, _data) in stored[dimension].items()}

    counted = stored["total"].get("counted", empty)
    pipeline = stored["total"].get("pipeline", empty)
    target = initiative.target_amount
    if target is not None and initiative.target_currency != cur:
        rate = RateBook(rules.conversion_policy, rules.fixed_rates).get(initiative.target_currency, cur,
                                                                        initiative.horizon_start)
        target = None if rate is None else target * rate.rate
    labels = _labels(initiative)
    pillar_rows = {r["key"]: r for r in _bucket_list(as_buckets("pillar"), cur, labels["pillar"],
                                                      labels["pillar_slug"])}
    pillars = []
    for pk in labels["pillar_order"]:
        slug = labels["pillar_slug"][pk]
        pillars.append(pillar_rows.get(slug) or {"key": slug, "count": 0, "undisclosed": 0,
                                                 "counted": money_json(Decimal(0), cur),
                                                 "label": labels["pillar"][pk]})
    stages = [{"key": key, "count": n, "undisclosed": undisclosed, "counts": key in rules.counted_stages,
               "amount": money_json(amount, cur, "approx" if nonexact else "exact")}
              for key, (amount, n, undisclosed, nonexact, _d) in sorted(stored["stage"].items(),
                                                                  key=lambda kv: STAGE_INDEX[kv[0]])]
    rates = sorted((data for *_v, data in stored["rate"].values()),
                   key=lambda r: (r["base"], r["quote"], r["date"], r["source"]))
    return {
        "initiative": initiative.slug,
        "currency": cur,
        "target": initiative.target.as_json(),
        "target_in_headline": None if target is None else money_json(target, cur, initiative.target_qualifier),
        "counted": money_json(counted[0], cur, "approx" if counted[3] else "exact"),
        "pipeline": money_json(pipeline[0], cur),
        "counts": {
            "commitments": number("commitments"),
            "counted": counted[1],
            "pipeline": pipeline[1],
            "cancelled": number("cancelled"),
            "undisclosed": number("undisclosed"),
            "unconvertible": number("unconvertible"),
            "up_to": number("up_to"),
            "documents": document_total(initiative),
        },
        "unconvertible": unconvertible,
        "up_to": up_to,
        "pace": pace(counted[0], target, initiative.horizon_start, initiative.horizon_end, today,
                     initiative.pace_tolerance),
        "rules": rules.as_json(),
        "rates": rates,
        "counted_by_day": [{"date": day, "amount": format_decimal(value[0].quantize(Decimal("0.0001")))}
                           for day, value in sorted(stored["day"].items())],
        "breakdowns": {
            "pillar": pillars,
            "focus_area": _focus_rows(as_buckets("focus_area"), cur, labels),
            "country": sorted(_bucket_list(as_buckets("country"), cur), key=lambda r: r["key"]),
            "instrument": sorted(_bucket_list(as_buckets("instrument"), cur), key=lambda r: r["key"]),
            "stage": stages,
            "sector": sorted(_bucket_list(as_buckets("sector"), cur), key=lambda r: r["key"]),
            "year": sorted(_bucket_list(as_buckets("year"), cur), key=lambda r: r["key"]),
        },
    }


STAGE_INDEX = {s: i for i, s in enumerate(
    ("announced", "signed", "committed", "disbursing", "completed", "cancelled"))}


def _key(initiative, today: date) -> str:
    return f"progress:{initiative.pk}:{today.isoformat()}:{(get_language() or 'ja')[:2]}"


def cached_progress(initiative, today: date | None = None) -> dict:
    """Return `progress(initiative, today)`, computed at most once per ledger version, date and language.

    The dict is a fresh copy except `rates`, `unconvertible` and `up_to`, which are shared tuples (their
    size grows with the ledger; copying them cost more than the rest of a page): read them, don't change them.
    `recomputing` is None, or, while the stored outcomes are rebuilt after a change of rates or rules (minutes
    at 1M commitments), the note of `outcomes.recomputing_note()`: the figures are then the last complete
    ones of this initiative and language, and a background thread rebuilds (outside transactions only).
    """
    today = today or today_for_progress()
    key = _key(initiative, today)

    def last_complete() -> dict | None:
        if connection.in_atomic_block or outcomes.is_current(initiative):
            return None
        language = key.rsplit(":", 1)[1]
        previous = AggregateCache.objects.filter(key__startswith=f"progress:{initiative.pk}:",
                                                 key__endswith=f":{language}").order_by(
            "-computed_at").values_list("data", "computed_at").first()
        if previous is None:
            return None
        outcomes.rebuild_in_background(initiative, then=version.bump)
        return dict(version.stored_copy(previous[0]), recomputing=outcomes.recomputing_note(previous[1]))

    data = version.cached_aggregate(key, lambda: progress_from_outcomes(initiative, today), json_ready=True,
                                    instead=last_complete)
    data.setdefault("recomputing", None)
    return data


def refresh_progress(today: date | None = None, languages=("ja", "en", "ru")) -> int:
    """Compute and store the progress of every initiative in every language now (after a bulk load),
    so that no reader pays for the first computation; return how many aggregates were stored."""
    stored = 0
    for initiative in Initiative.objects.all():
        for language in languages:
            with translation.override(language):
                cached_progress(initiative, today)
                stored += 1
    return stored
