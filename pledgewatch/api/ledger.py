"""Routes of the ledger: initiatives, progress, commitments, documents, events, organisations."""

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from pledgewatch.ledger import serialize
from pledgewatch.ledger.counting import counting_for
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.models import Commitment, Document, Event, Initiative, Instrument, Organisation, Sector, Stage
from pledgewatch.ledger.queries import FILTER_MAX_LENGTH, SORTS, CommitmentFilter
from pledgewatch.totals.progress import cached_progress, today_for_progress
from pledgewatch.totals.version import cached_aggregate
from pledgewatch.totals.year import extend_progress

router = Router()
PAGE_SIZE = 50


class MoneyOut(Schema):
    amount: str | None
    currency: str | None
    qualifier: str


class Texts(Schema):
    ja: str
    en: str
    ru: str


class InitiativeOut(Schema):
    slug: str
    name: Texts
    summary: Texts
    target: MoneyOut
    horizon: dict[str, str]
    headline_currency: str


class InitiativeDetail(InitiativeOut):
    pillars: list[dict[str, Any]]
    scope: dict[str, Any]
    counting_rules: dict[str, Any]
    sources: list[dict[str, Any]]


class PaceOut(Schema):
    today: str
    horizon_start: str
    horizon_end: str
    elapsed_days: int
    total_days: int
    elapsed_share: str
    progress_share: str
    expected_by_now: str | None
    projected_at_end: str | None
    status: str
    tolerance: str


class RateOut(Schema):
    base: str
    quote: str
    rate: str
    date: str
    period: str
    source: str


class PageInfo(Schema):
    count: int
    page: int
    pages: int
    page_size: int


class RateSummary(Schema):
    base: str
    quote: str
    source: str
    period: str
    rates: int
    first_date: str
    last_date: str
    lowest: str
    highest: str


class Recomputing(Schema):
    computed_at: str
    message: str


class ProgressOut(Schema):
    initiative: str
    currency: str
    target: MoneyOut
    target_in_headline: MoneyOut | None
    counted: MoneyOut
    pipeline: MoneyOut
    counts: dict[str, int]
    unconvertible: list[dict[str, Any]]
    unconvertible_page: PageInfo
    up_to: list[int]
    up_to_page: PageInfo
    pace: PaceOut
    rules: dict[str, Any]
    rates: list[RateOut]
    rates_page: PageInfo
    rates_summary: list[RateSummary]
    counted_by_day: list[dict[str, str]]
    breakdowns: dict[str, list[dict[str, Any]]]
    recomputing: Recomputing | None = None
    # the public record's view (claims are shown beside the counted money, never added to it)
    counts_qualifiers: dict[str, str] = {}
    documents: dict[str, Any] | None = None
    claims: list[dict[str, Any]] = []
    partner_claims: list[dict[str, Any]] = []
    signed_recently: list[dict[str, Any]] = []
    announced_only: dict[str, Any] | None = None
    next_milestone: dict[str, Any] | None = None


class CommitmentOut(Schema):
    id: int
    ref: str | None
    title: Texts
    instrument: str
    stage: str
    stage_date: str | None
    date: str | None
    amount: MoneyOut
    sector: str
    recipients: list[dict[str, Any]]
    pillar: str | None
    focus_areas: list[str]
    provider: dict[str, Any] | None
    channel: dict[str, Any] | None
    initiatives: list[str]
    iati_identifier: str | None
    dac_sector: str | None
    updated_at: str | None


class CommitmentDetail(CommitmentOut):
    description: Texts
    classification_reason: str
    recipient_organisations: list[dict[str, Any]]
    stage_history: list[dict[str, Any]]
    transactions: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    event: str | None
    sources: list[dict[str, Any]]
    counting: dict[str, Any] | None = None


class Page(Schema):
    count: int
    page: int
    pages: int
    page_size: int


class CommitmentPage(Page):
    results: list[CommitmentOut]


class ListPage(Page):
    results: list[dict[str, Any]]


# The list's query parameters are the filter's fields (one definition), plus the page number. The values a
# filter accepts are in the description as patterns (comma-separated lists, spaces around items ignored), so
# that a request valid by the description is never refused (a refused value answers 400).
WS = r"[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"


def _list_pattern(values) -> str:
    item = "(" + "|".join(sorted(values)) + ")"  # codes are [a-z_]: no escaping needed
    return f"^{WS}{item}?{WS}(,{WS}{item}?{WS})*$"


FILTER_PATTERNS = {
    "instrument": _list_pattern(Instrument.values), "stage": _list_pattern(Stage.values),
    "sector": _list_pattern(Sector.values),
    "year": f"^{WS}((?!0000)[0-9]{{4}})?{WS}(,{WS}((?!0000)[0-9]{{4}})?{WS})*$",
    "sort": f"^({WS}(" + "|".join(sorted(SORTS)) + f"){WS})?$",
}


def _filter_field(name: str, default: str):
    extra = {"pattern": FILTER_PATTERNS[name]} if name in FILTER_PATTERNS else None
    return Field(default, max_length=FILTER_MAX_LENGTH, json_schema_extra=extra)


CommitmentQuery = type("CommitmentQuery", (Schema,), {
    "__annotations__": {f.name: str for f in fields(CommitmentFilter)} | {"page": int},
    **{f.name: _filter_field(f.name, f.default) for f in fields(CommitmentFilter)},
    "page": 1,
})


def paginate(qs, page: int, render) -> dict:
    """Return one page of qs rendered, with the total count (pages start at 1)."""
    paginator = Paginator(qs, PAGE_SIZE)
    number = min(max(page, 1), max(paginator.num_pages, 1))
    return {"count": paginator.count, "page": number, "pages": paginator.num_pages, "page_size": PAGE_SIZE,
            "results": [render(obj) for obj in paginator.page(number).object_list]}


def get_initiative(slug: str) -> Initiative:
    initiative = Initiative.objects.filter(slug=slug).first()
    if initiative is None:
        raise UnknownInitiative(slug)
    return initiative


@router.get("/initiatives", response=list[InitiativeOut], tags=["initiatives"])
def list_initiatives(request):
    """List the initiatives."""
    return [serialize.initiative_json(i) for i in Initiative.objects.all()]


@router.get("/initiatives/{slug}", response=InitiativeDetail, tags=["initiatives"])
def initiative_detail(request, slug: str):
    """An initiative with its pillars, focus areas, scope, counting rules and sources."""
    return serialize.initiative_json(get_initiative(slug), full=True)


LIST_PAGE_SIZE = 100  # rates, unconvertible and up_to of the progress API


def rates_summary(rates) -> list[dict]:
    """Return one entry per (base, quote, source, period) of the rates used: how many distinct rates, their
    first and last dates, and the lowest and highest rate (exact decimal strings)."""
    groups: dict[tuple, dict] = {}
    for r in rates:
        key = (r["base"], r["quote"], r["source"], r["period"])
        g = groups.get(key)
        if g is None:
            groups[key] = {"base": key[0], "quote": key[1], "source": key[2], "period": key[3], "rates": 1,
                           "first_date": r["date"], "last_date": r["date"], "lowest": r["rate"],
                           "highest": r["rate"]}
            continue
        g["rates"] += 1
        g["first_date"], g["last_date"] = min(g["first_date"], r["date"]), max(g["last_date"], r["date"])
        if Decimal(r["rate"]) < Decimal(g["lowest"]):
            g["lowest"] = r["rate"]
        if Decimal(r["rate"]) > Decimal(g["highest"]):
            g["highest"] = r["rate"]
    return [groups[k] for k in sorted(groups)]


@router.get("/initiatives/{slug}/progress", response=ProgressOut, tags=["initiatives"])
def initiative_progress(request, slug: str, rates_page: int = 1, unconvertible_page: int = 1, up_to_page: int = 1):
    """Counted money against the target, pace, pipeline, breakdowns, and the rules that made them.

    The lists that grow with the ledger come 100 a page: the exchange rates used (`rates`, also summarised
    per currency pair, source and period in `rates_summary`), the counted commitments without a rate
    (`unconvertible`) and those counted at an "up to" amount (`up_to`). `<list>_page` chooses the page;
    in the answer it gives count, page, pages and page size.
    """
    initiative = get_initiative(slug)
    result = cached_progress(initiative)
    for name, number in (("rates", rates_page), ("unconvertible", unconvertible_page), ("up_to", up_to_page)):
        items = result[name]  # a shared tuple: sliced, not copied
        pages = max(1, -(-len(items) // LIST_PAGE_SIZE))
        page = min(max(number, 1), pages)
        result[name] = items[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE]
        result[f"{name}_page"] = {"count": len(items), "page": page, "pages": pages, "page_size": LIST_PAGE_SIZE}
    extend_progress(result, initiative)
    result["rates_summary"] = cached_aggregate(
        f"rates-summary:{initiative.pk}:{today_for_progress().isoformat()}",
        lambda: rates_summary(cached_progress(initiative)["rates"]), json_ready=True)
    return result


COMMITMENT_PREFETCH = ("recipients", "focus_areas", "initiatives")


@router.get("/commitments", response=CommitmentPage, tags=["commitments"])
def list_commitments(request, filters: Query[CommitmentQuery]):
    """Commitments matching the filters (comma-separated lists allowed), 50 a page."""
    params = filters.dict()
    qs = CommitmentFilter.from_params(params).apply().select_related("pillar", "provider", "channel")
    return paginate(qs.prefetch_related(*COMMITMENT_PREFETCH), params["page"], serialize.commitment_json)


@router.get("/commitments/{int:commitment_id}", response=CommitmentDetail, tags=["commitments"])
def commitment_detail(request, commitment_id: int, initiative: str = ""):
    """A commitment with its sources, stage history, transactions, documents and counting outcome."""
    c = get_object_or_404(Commitment.objects.select_related("pillar", "provider", "channel", "event"),
                          pk=commitment_id)
    counted = None
    target = get_initiative(initiative) if initiative else c.initiatives.first()
    if target is not None:
        counted = counting_for(target).count(Commitment.objects.filter(pk=c.pk))[0]
    return serialize.commitment_json(c, full=True, counted=counted)


@router.get("/documents", response=ListPage, tags=["documents"])
def list_documents(request, initiative: str = "", kind: str = "", page: int = 1):
    """Documents (declarations, exchanges of notes, loan agreements, …), newest first."""
    qs = Document.objects.all()
    if initiative:
        qs = qs.filter(initiatives__slug=initiative)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs, page, serialize.document_json)


@router.get("/documents/{int:document_id}", response=dict[str, Any], tags=["documents"])
def document_detail(request, document_id: int):
    """A document with its parties, countries, commitments and sources."""
    return serialize.document_json(get_object_or_404(Document, pk=document_id), full=True)


@router.get("/events", response=ListPage, tags=["events"])
def list_events(request, initiative: str = "", page: int = 1):
    """Events (summits, meetings, dinners) in time order."""
    qs = Event.objects.all()
    if initiative:
        qs = qs.filter(initiatives__slug=initiative)
    return paginate(qs, page, serialize.event_json)


@router.get("/events/{slug}", response=dict[str, Any], tags=["events"])
def event_detail(request, slug: str):
    """An event with its participants, documents and sources."""
    return serialize.event_json(get_object_or_404(Event, slug=slug), full=True)


@router.get("/organisations", response=ListPage, tags=["organisations"])
def list_organisations(request, kind: str = "", page: int = 1):
    """Organisations: governments, agencies, companies, multilaterals, NGOs."""
    qs = Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs, page, serialize.organisation_json)


@router.get("/organisations/{slug}", response=dict[str, Any], tags=["organisations"])
def organisation_detail(request, slug: str):
    """An organisation with what it provided and its sources."""
    return serialize.organisation_json(get_object_or_404(Organisation, slug=slug), full=True)
