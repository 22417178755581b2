"""Contexts of the initiative overview, the pillar page and the counting-rules page."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from pledgewatch.ledger import formatting as numbers
from pledgewatch.ledger import timeline
from pledgewatch.ledger.models import Country, Pillar
from pledgewatch.totals.progress import cached_progress
from pledgewatch.totals.year import extend_progress
from pledgewatch.web import charts, labels
from pledgewatch.web.pages.common import (
    commitment_sample,
    initiative_summary,
    sources_of,
)

RATES_SHOWN = 50  # the newest rates on the rules page; the progress API lists them all
BREAKDOWNS = ("pillar", "focus_area", "country", "instrument", "stage", "sector", "year")


def breakdown_titles() -> dict[str, str]:
    return {"pillar": _("By pillar"), "focus_area": _("By focus area"), "country": _("By recipient country"),
            "instrument": _("By instrument"), "stage": _("By stage"), "sector": _("Public or private"),
            "year": _("By year")}


def _label_rows(kind: str, rows: list[dict], countries: dict[str, Country]) -> list[dict]:
    """Add "label" (reader's language) and "url" to breakdown rows; stage rows get "counted" too."""
    out = []
    for row in rows:
        row = dict(row)
        key = str(row["key"])
        if kind == "stage":
            row["counted"] = row.pop("amount")
        if kind in ("pillar", "focus_area"):
            row["label"] = row.get("label") or labels.label({}, key)
        elif kind == "country":
            country = countries.get(key)
            row["label"] = country.name if country else labels.label({}, key)
            if country:
                row["url"] = reverse("web:country", args=[key])
                row["numeric"] = country.numeric
        elif kind == "year":
            row["label"] = labels.label({}, key)
        else:
            table = {"instrument": labels.INSTRUMENT, "stage": labels.STAGE, "sector": labels.SECTOR}[kind]
            row["label"] = labels.label(table, key)
        out.append(row)
    return out


def progress_series(result: dict, initiative) -> dict:
    """Return the three lines of the progress chart: counted, linear path, projection."""
    pace = result["pace"]
    target = result["target_in_headline"]
    start, end = initiative.horizon_start, initiative.horizon_end
    today = date.fromisoformat(pace["today"])
    counted = Decimal(result["counted"]["amount"] or 0)
    series = {"counted": timeline.cumulative(result["counted_by_day"], start, min(today, end)),
              "path": timeline.linear_path(start, end, Decimal(target["amount"]) if target else None),
              "projection": timeline.projection(pace, counted)}
    for key, line in series.items():
        for point in line:
            # a point of the counted line that equals the total sums the same items, and the projection
            # starts at the total: those points carry the total's qualifier (約213.68億円 everywhere)
            same = key in ("counted", "projection") and Decimal(point["amount"]) == counted
            point["money"] = {"amount": str(point["amount"]), "currency": result["currency"],
                              "qualifier": result["counted"]["qualifier"] if same else "exact"}
    return series


def overview(initiative) -> dict:
    """Return the overview: progress (as the API gives it), labelled breakdowns, chart specs, map, links."""
    result = extend_progress(cached_progress(initiative), initiative)
    cur = result["currency"]
    countries = {c.code: c for c in Country.objects.filter(code__in=[
        r["key"] for r in result["breakdowns"]["country"]])}
    tables = {kind: _label_rows(kind, result["breakdowns"][kind], countries) for kind in BREAKDOWNS}
    pillar_urls = {p.slug: reverse("web:pillar", args=[initiative.slug, p.slug]) for p in initiative.pillars.all()}
    for row in tables["pillar"]:
        if row["key"] in pillar_urls:
            row["url"] = pillar_urls[row["key"]]
    titles = breakdown_titles()
    series = progress_series(result, initiative)
    map_rows = [{"numeric": r["numeric"], "label": r["label"], "amount": charts._whole(r["counted"]["amount"]),
                 "display": numbers.format_money(r["counted"]), "count": r["count"],
                 "url": r["url"]} for r in tables["country"] if r.get("numeric")]
    return {
        "page": "overview",
        "initiative": initiative_summary(initiative),
        "progress": result,
        "pace_label": labels.label(labels.PACE, result["pace"]["status"]),
        "rule_labels": {"counted_stages": [labels.label(labels.STAGE, s) for s in result["rules"]["counted_stages"]],
                        "conversion_policy": labels.label(labels.POLICY, result["rules"]["conversion_policy"])},
        "series": series,
        "breakdowns": [{"kind": k, "title": titles[k], "rows": tables[k]} for k in BREAKDOWNS],
        "charts": {"progress": charts.progress_chart(series, cur),
                   "map": charts.map_chart(map_rows, cur),
                   **{k: charts.bar_chart(tables[k], cur, titles[k]) for k in BREAKDOWNS}},
        "links": {"rules": reverse("web:rules") + f"?initiative={initiative.slug}",
                  "commitments": reverse("web:commitments") + f"?initiative={initiative.slug}",
                  "documents": reverse("web:documents"),
                  "api": f"/api/v1/initiatives/{initiative.slug}/progress"},
    }


def pillar(initiative, slug: str) -> dict:
    """Return a pillar: its focus areas with their counted money, and its commitments."""
    try:
        obj = initiative.pillars.get(slug=slug)
    except Pillar.DoesNotExist:
        raise Http404(_("Unknown pillar: %(slug)s") % {"slug": slug}) from None
    result = cached_progress(initiative)
    row = next((r for r in result["breakdowns"]["pillar"] if r["key"] == slug), None)
    focus_rows = {r["key"]: r for r in result["breakdowns"]["focus_area"]}
    focus = [{"slug": f.slug, "name": f.name,
              "counted": (focus_rows.get(f.slug) or {}).get("counted"),
              "count": (focus_rows.get(f.slug) or {}).get("count", 0),
              "commitments_url": reverse("web:commitments") + f"?focus_area={f.slug}"}
             for f in obj.focus_areas.all()]
    return {
        "page": "pillar",
        "initiative": initiative_summary(initiative),
        "pillar": {"slug": obj.slug, "name": obj.name, "names": {"ja": obj.name_ja, "en": obj.name_en,
                                                                  "ru": obj.name_ru},
                   "counted": row["counted"] if row else None, "count": row["count"] if row else 0,
                   "undisclosed": row["undisclosed"] if row else 0},
        "focus_areas": focus,
        "commitments": commitment_sample(obj.commitments.all(), initiative, {"pillar": obj.slug}),
        "sources": sources_of(obj),
    }


def rules(initiative) -> dict:
    """Return the counting rules stored with the initiative, with their labels."""
    result = cached_progress(initiative)
    stored = result["rules"]
    return {
        "page": "rules",
        "initiative": initiative_summary(initiative),
        "rules": stored,
        "counted_stages": [labels.coded(labels.STAGE, s) for s in stored["counted_stages"]],
        "pipeline_stages": [labels.coded(labels.STAGE, s) for s in stored["pipeline_stages"]],
        "never_counted_stages": [labels.coded(labels.STAGE, s) for s in stored["never_counted_stages"]],
        "conversion_policy": labels.coded(labels.POLICY, stored["conversion_policy"]),
        "rates": sorted(result["rates"], key=lambda r: (r["date"], r["base"]), reverse=True)[:RATES_SHOWN],
        "rates_total": len(result["rates"]),
        "rates_api": f"/api/v1/initiatives/{initiative.slug}/progress",
        "pace_tolerance": result["pace"]["tolerance"],
    }
