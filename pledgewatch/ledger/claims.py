"""Claims: figures that are shown with who states them, and never counted.

A claim is a target, a government's portfolio or package, a count of documents, a total of listed deals,
or a milestone. Nothing here adds a claim to counted money: claims are not commitments. The functions
return JSON-ready dicts shared by the overview page, its JSON twin and the progress API.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from pledgewatch.ledger.models import Claim, ClaimKind, Commitment, Country, Source

DATE_TOLERANCE_DAYS = 90
AMOUNT_TOLERANCE = Decimal("0.01")


def kind_notes() -> dict[str, str]:
    """Return what each kind of claim is and why it is not counted, in the active language."""
    return {
        ClaimKind.TARGET: _("The initiative's own target: a goal, not a commitment; progress is measured "
                            "against it."),
        ClaimKind.PORTFOLIO: _("A package or portfolio stated by a government: its contents are not itemised, "
                               "so it may overlap the deals counted here. Shown, never counted."),
        ClaimKind.DOCUMENTS: _("A count of documents, not money. Counts of the same set differ by source; "
                               "all are shown."),
        ClaimKind.TOTAL: _("The total of deals listed here one by one: the deals are counted, this total is "
                           "not, so nothing is counted twice."),
        ClaimKind.MILESTONE: _("A decision about what comes next; no money."),
    }


def source_rows(obj) -> list[dict]:
    """Return the sources of a claim: address, publisher, language, date seen, figure as printed."""
    cached = getattr(obj, "_prefetched_objects_cache", {}).get("sources")
    if cached is not None:  # claims_of() fetched every claim's sources in one query, in this order
        found = cached
    else:
        ct = ContentType.objects.get_for_model(type(obj))
        found = Source.objects.filter(content_type=ct, object_id=obj.pk).select_related("text").order_by("id")
    rows = []
    for s in found:
        rows.append({"id": s.pk, "url": s.url or (s.text.url if s.text_id else ""), "publisher": s.publisher,
                     "language": s.language, "seen_on": s.seen_on.isoformat() if s.seen_on else None,
                     "figure": s.figure, "quote": s.quote, "text_stored": bool(s.text_id), "note": s.note})
    return rows


def claim_json(claim: Claim) -> dict:
    """Return one claim with who states it, its figure, the deals it contains and its sources."""
    claimant = claim.claimant
    return {
        "id": claim.pk, "key": claim.key, "kind": claim.kind, "kind_label": str(claim.get_kind_display()),
        "kind_note": kind_notes()[claim.kind], "title": claim.title, "stage": claim.stage,
        "date": claim.date.isoformat() if claim.date else None,
        "countries": sorted(c.code for c in claim.countries.all()),
        "claimant": None if claimant is None else {"slug": claimant.slug, "name": claimant.name},
        "claimed_by": claim.claimed_by,
        "money": claim.money.as_json(),
        "count": claim.count, "count_qualifier": claim.count_qualifier,
        "contains": [{"id": c.pk, "title": c.title, "record": c.record_key} for c in claim.contains.all()],
        "counted": False, "note": claim.note, "sources": source_rows(claim),
    }


def claims_of(initiative) -> list[Claim]:
    return list(initiative.claims.select_related("claimant").prefetch_related(
        "countries", Prefetch("contains", queryset=Commitment.objects.order_by("record_key", "pk")),
        Prefetch("sources", queryset=Source.objects.select_related("text").order_by("id"))))


def document_counts(initiative) -> dict:
    """Return the stated counts of the initiative's documents, and the one the headline uses, and why.

    The headline uses the largest count stated for the whole initiative (every one of its countries): the
    smaller ones are lower bounds or parts of the same set. It reads "at least": documents signed later are
    not in any of the counts. Without such a claim it is the sum of the initiative's document records.
    """
    counts = list(initiative.claims.filter(kind=ClaimKind.DOCUMENTS, count__isnull=False)
                  .prefetch_related("countries").order_by("-count", "key"))
    scope = set(initiative.scope_countries.values_list("code", flat=True)) if counts else set()
    whole = [c for c in counts if scope and scope <= {k.code for k in c.countries.all()}]
    rows = [{"key": c.key, "count": c.count, "qualifier": c.count_qualifier, "claimed_by": c.claimed_by,
             "title": c.title, "whole_initiative": c in whole, "sources": source_rows(c)} for c in counts]
    if not whole:
        return {"headline": sum(d.count for d in initiative.documents.all()), "qualifier": "exact",
                "basis": None, "why": _("The sum of the document records of the initiative."), "counts": rows}
    chosen = whole[0]
    others = ", ".join(f"{c.count}{'+' if c.count_qualifier == 'at_least' else ''} ({c.claimed_by})"
                       for c in whole[1:])
    why = _("The largest count stated for the whole initiative, by %(who)s; the other counts (%(others)s) "
            "are lower bounds or parts of the same set. “At least”: documents signed later are in none of "
            "them.") % {"who": chosen.claimed_by, "others": others or "-"}
    return {"headline": chosen.count, "qualifier": "at_least", "basis": chosen.key, "why": why, "counts": rows}


def partner_claims(initiative, claims: list[Claim], scope: set[str] | None = None) -> list[dict]:
    """Return the partner governments' claims (packages, portfolios, counts of one country), by country.
    `scope`: the initiative's country codes when the caller has them (`scope_codes`)."""
    groups: dict[str, list] = {}
    scope = scope_codes(initiative) if scope is None else scope
    for claim in claims:
        if code := partner_country(initiative, claim, scope):
            groups.setdefault(code, []).append(claim_json(claim))
    names = {c.code: c.name for c in Country.objects.filter(code__in=groups)}
    return [{"country": code, "name": names.get(code, code), "claims": groups[code]} for code in sorted(groups)]


def scope_codes(initiative) -> set[str]:
    """Return the codes of the initiative's countries (one query)."""
    return set(initiative.scope_countries.values_list("code", flat=True))


def partner_country(initiative, claim: Claim, scope: set[str] | None = None) -> str | None:
    """Return the partner country whose government a claim speaks for (one in-scope country), or None.
    `scope`: the initiative's country codes when the caller has them (one query for many claims)."""
    codes = [c.code for c in claim.countries.all()]
    if claim.kind in (ClaimKind.PORTFOLIO, ClaimKind.DOCUMENTS) and len(codes) == 1 and (
            codes[0] in (scope_codes(initiative) if scope is None else scope)):
        return codes[0]
    return None


def matching_claims(countries, amount: Decimal | None, currency: str, on: date | None) -> list[Claim]:
    """Return the claims a proposed figure restates: same countries and currency, amount within 1 %, near date."""
    if amount is None or not currency:
        return []
    qs = Claim.objects.filter(currency=currency, amount__isnull=False).prefetch_related("countries")
    if on is not None:
        window = timedelta(days=DATE_TOLERANCE_DAYS)
        qs = qs.filter(date__range=(on - window, on + window))
    wanted = set(countries)
    return [c for c in qs if {k.code for k in c.countries.all()} == wanted
            and abs(c.amount - amount) <= max(c.amount, amount) * AMOUNT_TOLERANCE]
