"""Contexts of the list pages: commitments (with every filter), documents, events, organisations, countries."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from pledgewatch.ledger import timeline
from pledgewatch.ledger.aggregates import cached_progress
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Country,
    Document,
    FocusArea,
    Organisation,
    Pillar,
)
from pledgewatch.ledger.queries import SORTS, CommitmentFilter, FilterError
from pledgewatch.web import labels
from pledgewatch.web.pages.common import commitment_rows, get_initiative, org_ref, row_queryset

PER_PAGE = 25
MAX_PER_PAGE = 100


def paginate(qs, params) -> tuple[list, dict]:
    """Return (objects of the requested page, page info); a page past the end shows the last page.

    `per_page` (1–100) may be given in the address; the default is PER_PAGE.
    """
    raw = str(params.get("per_page") or "")
    per_page = min(max(int(raw), 1), MAX_PER_PAGE) if raw.isdigit() else PER_PAGE
    paginator = Paginator(qs, per_page)
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
    """Return the choices of every commitment filter, labelled in the reader's language."""
    years = sorted({d.year for d in Commitment.objects.exclude(date=None).dates("date", "year")})
    used = CommitmentCountry.objects.values_list("country_id", flat=True).distinct()
    return {
        "country": [{"key": c.code, "label": c.name} for c in Country.objects.filter(code__in=used)],
        "pillar": [{"key": p.slug, "label": p.name} for p in Pillar.objects.filter(initiative=initiative)]
        + [labels.coded({}, "unassigned")],
        "focus_area": [{"key": f.slug, "label": f.name}
                       for f in FocusArea.objects.filter(pillar__initiative=initiative)],
        "instrument": [labels.coded(labels.INSTRUMENT, k) for k in labels.INSTRUMENT],
        "stage": [labels.coded(labels.STAGE, k) for k in labels.STAGE],
        "sector": [labels.coded(labels.SECTOR, k) for k in labels.SECTOR],
        "year": [{"key": str(y), "label": str(y)} for y in years],
        "provider": [{"key": o.slug, "label": o.name} for o in Organisation.objects.filter(
            pk__in=Commitment.objects.exclude(provider=None).values("provider"))],
        "sort": [{"key": k, "label": str(SORT_LABELS.get(k, k))} for k in SORTS if k in SORT_LABELS],
    }


SORT_LABELS = {"-date": _("newest first"), "date": _("oldest first"), "-amount": _("largest amount first"),
               "amount": _("smallest amount first"), "title": _("title A–Z"), "-updated": _("recently changed")}


def commitments(params) -> dict:
    """Return the filtered, sorted, paginated commitments; a bad filter gives "error" and no rows."""
    filt = CommitmentFilter.from_params(params)
    initiative = get_initiative(filt.initiative.split(",")[0] if filt.initiative else None)
    context = {"page": "commitments", "filters": filt.as_params(), "sort": filt.sort, "error": None,
               "initiative": {"slug": initiative.slug, "name": initiative.name,
                              "headline_currency": initiative.headline_currency}}
    query = urlencode(filt.as_params())
    suffix = f"?{query}" if query else ""
    context["downloads"] = {
        "csv": f"/exports/commitments.csv{suffix}", "xlsx": f"/exports/commitments.xlsx{suffix}",
        "json": f"/exports/commitments.json{suffix}", "atom": f"/feeds/commitments.atom{suffix}",
        "api": f"/api/v1/commitments{suffix}"}
    context["options"] = filter_options(initiative)
    try:
        qs = filt.apply()
        objects, page = paginate(row_queryset(qs), params)
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


def events() -> dict:
    """Return the timeline: events, documents and stage changes in date order."""
    rows = []
    for entry in timeline.entries():
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
    return {"page": "events", "results": rows, "count": len(rows)}


def organisations() -> dict:
    """Return organisations with the number of commitments they provide, receive or channel."""
    qs = Organisation.objects.select_related("country").annotate(
        provided_n=Count("provided", distinct=True), received_n=Count("received", distinct=True),
        channelled_n=Count("channelled", distinct=True), documents_n=Count("documents", distinct=True)).order_by(
        "name_en", "pk")
    rows = [org_ref(o) | {"kind": labels.coded(labels.ORG_KIND, o.kind),
                          "country": None if o.country is None else {"code": o.country_id, "name": o.country.name},
                          "provided": o.provided_n, "received": o.received_n, "channelled": o.channelled_n,
                          "documents": o.documents_n} for o in qs]
    return {"page": "organisations", "results": rows, "count": len(rows)}


def countries() -> dict:
    """Return the countries that receive commitments or are in an initiative's scope, with counted money."""
    initiative = get_initiative(None)
    result = cached_progress(initiative)
    counted = {r["key"]: r for r in result["breakdowns"]["country"]}
    scope = set(initiative.scope_countries.values_list("code", flat=True))
    used = set(CommitmentCountry.objects.values_list("country_id", flat=True))
    qs = Country.objects.filter(code__in=scope | used).annotate(n=Count("commitment_shares")).order_by("code")
    rows = [{"code": c.code, "name": c.name, "url": reverse("web:country", args=[c.code]), "commitments": c.n,
             "in_scope": c.code in scope, "counted": (counted.get(c.code) or {}).get("counted"),
             "counted_commitments": (counted.get(c.code) or {}).get("count", 0)} for c in qs]
    return {"page": "countries", "initiative": {"slug": initiative.slug, "name": initiative.name},
            "results": rows, "count": len(rows)}
