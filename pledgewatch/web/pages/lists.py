"""Contexts of the list pages: commitments (with every filter), documents, events, organisations, countries."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pledgewatch.ledger import timeline
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Country,
    Document,
    FocusArea,
    Initiative,
    Organisation,
    Pillar,
)
from pledgewatch.ledger.queries import SORTS, CommitmentFilter, FilterError
from pledgewatch.totals.progress import cached_progress
from pledgewatch.totals.version import cached_aggregate, cached_count
from pledgewatch.web import labels
from pledgewatch.web.pages.common import commitment_rows, get_initiative, org_ref, row_queryset

PER_PAGE = 25
MAX_PER_PAGE = 100


class KeyPaginator(Paginator):
    """Count the matching keys only (COUNT of ids), once per ledger version and filter (aggregates.cached_count).

    `count_queryset` may give the same rows in a form that is faster to count than the page's query.
    """

    def __init__(self, object_list, per_page, *, count_queryset=None):
        super().__init__(object_list, per_page)
        self.count_queryset = count_queryset

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list if self.count_queryset is None else self.count_queryset)


def paginate(qs, params, count_queryset=None) -> tuple[list, dict]:
    """Return (objects of the requested page, page info); a page past the end shows the last page.

    `per_page` (1–100) may be given in the address; the default is PER_PAGE.
    """
    raw = str(params.get("per_page") or "")
    per_page = min(max(int(raw), 1), MAX_PER_PAGE) if raw.isdigit() else PER_PAGE
    paginator = KeyPaginator(qs, per_page, count_queryset=count_queryset)
    try:
        page = paginator.page(params.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return list(page.object_list), {
        "number": page.number, "pages": paginator.num_pages, "per_page": per_page, "count": paginator.count,
        "previous": page.previous_page_number() if page.has_previous() else None,
        "next": page.next_page_number() if page.has_next() else None,
    }


def filter_options(initiative) -> dict:
    """Return the choices of every commitment filter, labelled in the reader's language: computed once per ledger
    version, initiative and language for every process (`cached_aggregate`), as every list page shows them.

    Each choice list costs index lookups, not a scan of the commitments (the list must stay fast at 1M rows).
    """
    key = f"filter-options:{initiative.pk}:{get_language()}"
    return cached_aggregate(key, lambda: _filter_options(initiative), json_ready=True)


def _filter_options(initiative) -> dict:
    first = Commitment.objects.aggregate(d=Min("date"))["d"]  # two queries: each one reads one end of the index
    last = Commitment.objects.aggregate(d=Max("date"))["d"]
    years = range(first.year, last.year + 1) if first else []
    used = CommitmentCountry.objects.filter(country=OuterRef("pk"))
    provides = Commitment.objects.filter(provider=OuterRef("pk"))
    return {
        "country": [{"key": c.code, "label": str(c.name)} for c in Country.objects.filter(Exists(used))],
        "pillar": [{"key": p.slug, "label": str(p.name)} for p in Pillar.objects.filter(initiative=initiative)]
        + [labels.coded({}, "unassigned")],
        "focus_area": [{"key": f.slug, "label": str(f.name)}
                       for f in FocusArea.objects.filter(pillar__initiative=initiative)],
        "instrument": [labels.coded(labels.INSTRUMENT, k) for k in labels.INSTRUMENT],
        "stage": [labels.coded(labels.STAGE, k) for k in labels.STAGE],
        "sector": [labels.coded(labels.SECTOR, k) for k in labels.SECTOR],
        "year": [{"key": str(y), "label": str(y)} for y in years],
        "provider": [{"key": o.slug, "label": str(o.name)} for o in Organisation.objects.filter(Exists(provides))],
        "sort": [{"key": k, "label": str(SORT_LABELS.get(k, k))} for k in SORTS if k in SORT_LABELS],
    }


SORT_LABELS = {"-date": gettext_lazy("newest first"), "date": gettext_lazy("oldest first"),
               "-amount": gettext_lazy("largest amount first"), "amount": gettext_lazy("smallest amount first"),
               "title": gettext_lazy("title A–Z"), "-updated": gettext_lazy("recently changed")}


HISTORY = "history"  # ?view=history: the commitments linked to no initiative (earlier history, e.g. JICA's)


def in_view(params) -> tuple[dict, str]:
    """Return the parameters with the initiative in view made explicit, and the view ("initiative", "all", "history").

    Without an `initiative` parameter a list shows the default initiative's records; `initiative=` (empty)
    shows everything; `view=history` shows what no initiative holds.
    """
    params = {k: params.get(k) for k in params}
    if params.get("view") == HISTORY:
        params.pop("initiative", None)
        return params, HISTORY
    if "initiative" not in params:
        params["initiative"] = get_initiative(None).slug
    return params, "initiative" if params.get("initiative") else "all"


def initiative_options() -> list[dict]:
    return [{"key": i.slug, "label": i.name} for i in Initiative.objects.order_by("pk")]


def unlinked(qs):
    """Return qs without the commitments that an initiative holds (the earlier history)."""
    return qs.exclude(Exists(Commitment.initiatives.through.objects.filter(commitment_id=OuterRef("pk"))))


def commitments(params) -> dict:
    """Return the filtered, sorted, paginated commitments; a bad filter gives "error" and no rows."""
    params, view = in_view(params)
    filt = CommitmentFilter.from_params(params)
    initiative = get_initiative(filt.initiative.split(",")[0] if filt.initiative else None)
    context = {"page": "commitments", "filters": filt.as_params(), "sort": filt.sort, "error": None,
               "view": view, "initiatives": initiative_options(),
               "initiative": {"slug": initiative.slug, "name": initiative.name,
                              "headline_currency": initiative.headline_currency}}
    query = urlencode(filt.as_params())
    suffix = f"?{query}" if query else ""
    context["downloads"] = {
        "csv": f"/exports/commitments.csv{suffix}", "xlsx": f"/exports/commitments.xlsx{suffix}",
        "json": f"/exports/commitments.json{suffix}", "iati": f"/exports/commitments.iati{suffix}",
        "atom": f"/feeds/commitments.atom{suffix}",
        "api": f"/api/v1/commitments{suffix}"}
    context["options"] = filter_options(initiative)
    if view == HISTORY:
        context["downloads"] = {}  # the exports filter by initiative, not by the lack of one
    try:
        qs, count_qs = filt.apply(), filt.apply(for_count=True)
        if view == HISTORY:
            qs, count_qs = unlinked(qs), unlinked(count_qs)
        objects, page = paginate(row_queryset(qs), params, count_qs)
    except FilterError as exc:
        context.update(error=str(exc), results=[], pagination=None, count=0)
        return context
    context.update(results=commitment_rows(objects, initiative), pagination=page, count=page["count"])
    return context


def documents(params) -> dict:
    """Return documents, optionally filtered by kind, country and words in the title."""
    qs = Document.objects.prefetch_related("countries").select_related("event").order_by("-date", "id")
    kind = params.get("kind", "")
    if kind:
        if kind not in labels.DOCUMENT_KIND:
            return {"page": "documents", "error": _("Unknown kind: %(values)s") % {"values": kind}, "results": [],
                    "pagination": None, "count": 0, "filters": {"kind": kind}, "options": _doc_options()}
        qs = qs.filter(kind=kind)
    if params.get("country"):
        qs = qs.filter(countries__code=params["country"].upper())
    for word in (params.get("q") or "").split()[:8]:
        qs = qs.filter(Q(title_ja__icontains=word) | Q(title_en__icontains=word) | Q(title_ru__icontains=word))
    objects, page = paginate(qs, params)
    rows = [{"id": d.pk, "url": reverse("web:document", args=[d.pk]), "title": d.title,
             "kind": labels.coded(labels.DOCUMENT_KIND, d.kind), "date": d.date.isoformat() if d.date else None,
             "count": d.count, "count_qualifier": d.count_qualifier,
             "countries": [c.code for c in d.countries.all()],
             "event": None if d.event is None else {"slug": d.event.slug, "name": d.event.name,
                                                    "url": reverse("web:event", args=[d.event.slug])}}
            for d in objects]
    total = qs.order_by().aggregate(n=Sum(Coalesce("represents_count", 1)))["n"] or 0
    return {"page": "documents", "error": None, "results": rows, "pagination": page, "count": page["count"],
            "documents_represented": total,
            "filters": {k: params.get(k) for k in ("kind", "country", "q") if params.get(k)},
            "options": _doc_options()}


def _doc_options() -> dict:
    return {"kind": [labels.coded(labels.DOCUMENT_KIND, k) for k in labels.DOCUMENT_KIND]}


def events(params=None) -> dict:
    """Return the timeline: events, documents and stage changes in date order, of the initiative in view."""
    params, view = in_view(params or {})
    initiative = Initiative.objects.filter(slug=params.get("initiative") or "").first()
    if view == "initiative" and initiative is None:
        return {"page": "events", "view": view, "error": _("Unknown initiative: %(slug)s") % {
            "slug": params["initiative"]}, "results": [], "count": 0, "initiatives": initiative_options(),
            "filters": {"initiative": params["initiative"]}}
    rows = []
    for entry in timeline.entries(initiative, history=view == HISTORY):
        kind = entry["kind"]
        if kind == "event":
            entry["url"] = reverse("web:event", args=[entry["id"]])
            entry["subkind"] = labels.coded(labels.EVENT_KIND, entry["subkind"])
        elif kind == "document":
            entry["url"] = reverse("web:document", args=[entry["id"]])
            entry["subkind"] = labels.coded(labels.DOCUMENT_KIND, entry["subkind"])
        else:
            entry["url"] = reverse("web:commitment", args=[entry["id"]])
            entry["subkind"] = labels.coded(labels.STAGE, entry["subkind"])
        rows.append(entry)
    return {"page": "events", "view": view, "error": None, "results": rows, "count": len(rows),
            "initiatives": initiative_options(),
            "filters": {"initiative": initiative.slug if initiative else ""},
            "initiative": None if initiative is None else {"slug": initiative.slug, "name": initiative.name}}


def _counts(qs, field: str) -> dict:
    """Return {value of field: number of rows} in one grouped query."""
    return dict(qs.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def organisations() -> dict:
    """Return organisations with the number of commitments they provide, receive or channel."""
    provided = _counts(Commitment.objects.all(), "provider")
    channelled = _counts(Commitment.objects.all(), "channel")
    received = _counts(Commitment.recipient_organisations.through.objects.all(), "organisation")
    documents = _counts(Document.parties.through.objects.all(), "organisation")
    qs = Organisation.objects.select_related("country").order_by("name_en", "pk")
    rows = [org_ref(o) | {"kind": labels.coded(labels.ORG_KIND, o.kind),
                          "country": None if o.country is None else {"code": o.country_id, "name": o.country.name},
                          "provided": provided.get(o.pk, 0), "received": received.get(o.pk, 0),
                          "channelled": channelled.get(o.pk, 0), "documents": documents.get(o.pk, 0)}
            for o in qs]
    return {"page": "organisations", "results": rows, "count": len(rows)}


def countries() -> dict:
    """Return the countries that receive commitments or are in an initiative's scope, with counted money."""
    initiative = get_initiative(None)
    result = cached_progress(initiative)
    counted = {r["key"]: r for r in result["breakdowns"]["country"]}
    scope = set(initiative.scope_countries.values_list("code", flat=True))
    numbers = _counts(CommitmentCountry.objects.all(), "country")
    used = set(numbers)
    qs = Country.objects.filter(code__in=scope | used).order_by("code")
    rows = [{"code": c.code, "name": c.name, "url": reverse("web:country", args=[c.code]),
             "commitments": numbers.get(c.code, 0),
             "in_scope": c.code in scope, "counted": (counted.get(c.code) or {}).get("counted"),
             "counted_commitments": (counted.get(c.code) or {}).get("count", 0)} for c in qs]
    return {"page": "countries", "initiative": {"slug": initiative.slug, "name": initiative.name},
            "results": rows, "count": len(rows)}
