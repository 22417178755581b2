"""What an initiative's record says so far: counted money by currency (with the conversion), what was signed
lately, what is still only announced, the claims beside the counted money, and the next milestone.

`extend_progress(result, initiative)` adds these to a progress dict (the API's and the overview's), only
adding keys; `year_view()` computes them once per ledger version, date and language.
"""

from datetime import date, timedelta
from decimal import Decimal, localcontext

from django.db.models import Count, Q, Sum
from django.utils.translation import get_language

from pledgewatch.ledger.claims import (
    claim_json,
    claims_of,
    document_counts,
    partner_claims,
    partner_country,
    scope_codes,
)
from pledgewatch.ledger.counting import candidate_commitments, rules_for
from pledgewatch.ledger.models import ClaimKind, Stage
from pledgewatch.ledger.money import Money
from pledgewatch.ledger.rates import RateBook
from pledgewatch.totals.progress import money_json, today_for_progress
from pledgewatch.totals.version import cached_aggregate

WINDOWS = (30, 90, 365)
LISTED = 10  # commitments named per window; the count and money cover them all


def _counted(initiative, rules):
    qs = candidate_commitments(initiative, rules).filter(stage__in=rules.counted_stages)
    if rules.scope_by_rule:  # a rule match may count only a share: the explicit links are exact
        qs = qs.filter(initiatives=initiative)
    return qs


def by_currency(initiative, rules) -> list[dict]:
    """Return the counted money by original currency, each with its sum in the headline currency and rates."""
    qs = _counted(initiative, rules).exclude(amount=None)
    cur = rules.headline_currency
    book = RateBook(rules.conversion_policy, rules.fixed_rates)
    rows = []
    for group in qs.values("currency").annotate(total=Sum("amount"), n=Count("pk"),
                                               inexact=Count("pk", filter=~Q(qualifier="exact"))).order_by("currency"):
        if group["total"] is None:  # a stored sum no field can hold reads as empty (ledger/stored.py): not money
            continue
        qualifier = "approx" if group["inexact"] else "exact"
        converted, rates, missing = Decimal(0), {}, 0
        if group["currency"] == cur:
            converted = group["total"]
        else:
            with localcontext() as ctx:
                ctx.prec = 34
                for amount, on in qs.filter(currency=group["currency"]).values_list("amount", "date").iterator():
                    rate = book.get(group["currency"], cur, on)
                    if amount is None:  # unreadable stored value
                        continue
                    if rate is None:
                        missing += 1
                        continue
                    converted += amount * rate.rate
                    rates[(rate.on, rate.source)] = rate.as_json()
        rows.append({"key": group["currency"], "count": group["n"],
                     "original": Money(group["total"], group["currency"], qualifier).as_json(),
                     "counted": money_json(converted, cur, qualifier if group["currency"] == cur else "approx"),
                     "unconvertible": missing, "rates": [rates[k] for k in sorted(rates)][:LISTED]})
    return rows


def _money_by_currency(qs) -> list[dict]:
    return [Money(g["total"], g["currency"], "approx" if g["inexact"] else "exact").as_json()
            for g in qs.exclude(amount=None).values("currency").annotate(
                total=Sum("amount"), inexact=Count("pk", filter=~Q(qualifier="exact"))).order_by("currency")
            if g["total"] is not None]


def _listed(qs) -> list[dict]:
    return [{"id": c.pk, "title": c.title, "date": c.date.isoformat() if c.date else None, "stage": c.stage,
             "money": c.money.as_json(), "record": c.record_key}
            for c in qs.order_by("-date", "-pk")[:LISTED]]


def signed_recently(initiative, rules, today: date) -> list[dict]:
    """Return, for the last 30, 90 and 365 days, the counted commitments signed then (by commitment date)."""
    counted = _counted(initiative, rules)
    out = []
    for days in WINDOWS:
        qs = counted.filter(date__gt=today - timedelta(days=days), date__lte=today)
        out.append({"days": days, "since": (today - timedelta(days=days - 1)).isoformat(), "count": qs.count(),
                    "money": _money_by_currency(qs), "commitments": _listed(qs)})
    return out


def announced_only(initiative, rules, claims) -> dict:
    """Return the commitments still only announced (pipeline) and the claims stated as announcements."""
    qs = candidate_commitments(initiative, rules).filter(stage=Stage.ANNOUNCED)
    return {"count": qs.count(), "money": _money_by_currency(qs), "commitments": _listed(qs),
            "claims": [claim_json(c) for c in claims
                       if c.stage == Stage.ANNOUNCED and c.kind in (ClaimKind.PORTFOLIO, ClaimKind.TARGET)]}


def next_milestone(claims) -> dict | None:
    """Return the next milestone (the first one without a past date), with whether its date is set."""
    for claim in claims:
        if claim.kind == ClaimKind.MILESTONE:
            data = claim_json(claim)
            data["date_set"] = False  # the record's date is when it was decided, not when it happens
            data["decided_on"] = data.pop("date")
            return data
    return None


def year_view(initiative, today: date | None = None) -> dict:
    """Return the record's view of the initiative (see the module's description), cached per ledger version."""
    today = today or today_for_progress()

    def compute() -> dict:
        rules = rules_for(initiative)
        claims = claims_of(initiative)
        scope = scope_codes(initiative)
        return {
            "today": today.isoformat(),
            "by_currency": by_currency(initiative, rules),
            "signed_recently": signed_recently(initiative, rules, today),
            "announced_only": announced_only(initiative, rules, claims),
            "claims": [claim_json(c) | {"partner_country": partner_country(initiative, c, scope)}
                       for c in claims if c.kind != ClaimKind.MILESTONE],
            "partner_claims": partner_claims(initiative, claims, scope),
            "documents": document_counts(initiative),
            "next_milestone": next_milestone(claims),
        }

    key = f"year:{initiative.pk}:{today.isoformat()}:{(get_language() or 'ja')[:2]}"
    return cached_aggregate(key, compute, json_ready=False)


def extend_progress(result: dict, initiative) -> dict:
    """Add the record's view to a progress dict (only new keys; `breakdowns.currency` among them)."""
    view = year_view(initiative)
    result["breakdowns"] = dict(result["breakdowns"], currency=view["by_currency"])
    result["counts_qualifiers"] = {"documents": view["documents"]["qualifier"]}
    result["documents"] = view["documents"]
    result["claims"] = view["claims"]
    result["partner_claims"] = view["partner_claims"]
    result["signed_recently"] = view["signed_recently"]
    result["announced_only"] = view["announced_only"]
    result["next_milestone"] = view["next_milestone"]
    return result
