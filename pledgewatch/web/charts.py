"""Vega-Lite specifications of the dashboard charts, built from the progress figures.

Amounts reach the browser as whole numbers of the headline currency (int, never float) and are scaled
there to the reader's unit (億円, ¥ billion, млрд иен) for the axis; tooltips carry the formatted text.
"""

from decimal import Decimal

from django.templatetags.static import static
from django.utils.translation import gettext as _

from pledgewatch.ledger import formatting as numbers

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = {"counted": "#1f5f99", "path": "#6b6b6b", "projection": "#b3541e"}
FONT = "system-ui, -apple-system, 'Hiragino Sans', 'Noto Sans JP', 'Segoe UI', sans-serif"


def _whole(amount: str | None) -> int:
    return int(Decimal(amount or 0).to_integral_value())


def _base(description: str, **extra) -> dict:
    return {"$schema": SCHEMA, "description": description, "width": "container",
            "config": {"font": FONT, "axis": {"labelFontSize": 12, "titleFontSize": 12},
                       "legend": {"labelFontSize": 12}, "view": {"stroke": None}}, **extra}


def progress_chart(series: dict, currency: str) -> dict:
    """Return the line chart of counted money over time against the linear path and the projection."""
    rows = []
    names = {"counted": _("Counted"), "path": _("Linear path to the target"),
             "projection": _("Projection at the current pace")}
    peak = max([_whole(p["amount"]) for line in series.values() for p in line] or [0])
    divisor, unit = numbers.chart_scale(peak, currency)
    for key, line in series.items():
        for point in line:
            rows.append({"series": str(names[key]), "date": point["date"], "amount": _whole(point["amount"]),
                         "display": numbers.format_money(point.get("money") or {
                             "amount": str(point["amount"]), "currency": currency, "qualifier": "exact"})})
    return _base(
        _("Counted money over time against the linear path to the target"), height=260,
        data={"values": rows},
        transform=[{"calculate": f"datum.amount / {divisor}", "as": "scaled"}],
        mark={"type": "line", "point": True, "strokeWidth": 2},
        encoding={
            "x": {"field": "date", "type": "temporal", "title": _("Date")},
            "y": {"field": "scaled", "type": "quantitative", "title": unit},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": [str(names[k]) for k in names],
                                "range": [COLOURS[k] for k in names]},
                      # one label a line, never cut ("Projection at the current…"): no label limit
                      "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 0}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                           "scale": {"domain": [str(names[k]) for k in names],
                                     "range": [[1, 0], [4, 4], [8, 4]]}},
            "tooltip": [{"field": "series", "title": _("Line")},
                        {"field": "date", "type": "temporal", "title": _("Date")},
                        {"field": "display", "title": _("Amount")}],
        },
    )


def bar_chart(rows: list[dict], currency: str, title: str) -> dict:
    """Return a horizontal bar chart of counted money by category (rows carry "label" and "counted")."""
    values = [{"label": r["label"], "amount": _whole(r["counted"]["amount"]), "count": r["count"],
               "undisclosed": r["undisclosed"], "display": numbers.format_money(r["counted"])} for r in rows]
    divisor, unit = numbers.chart_scale(max([v["amount"] for v in values] or [0]), currency)
    return _base(
        title, height={"step": 28}, data={"values": values},
        transform=[{"calculate": f"datum.amount / {divisor}", "as": "scaled"}],
        mark={"type": "bar", "color": COLOURS["counted"]},
        encoding={
            # whole category names (never "Medical and health coopera…"): the plot gives way instead
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 0}},
            "x": {"field": "scaled", "type": "quantitative", "title": unit},
            "tooltip": [{"field": "label", "title": title},
                        {"field": "display", "title": _("Counted")},
                        {"field": "count", "title": _("Commitments")},
                        {"field": "undisclosed", "title": _("Undisclosed amounts")}],
        },
    )


def map_chart(rows: list[dict], currency: str) -> dict:
    """Return the choropleth of counted money by recipient country, framed on Central Asia.

    rows: [{"numeric", "label", "amount" (whole units), "display", "count", "url"}]; a click opens `url`.
    """
    peak = max([r["amount"] for r in rows] or [0])
    divisor, unit = numbers.chart_scale(peak, currency)
    no_data = _("No commitments")
    return _base(
        _("Map of counted money by recipient country in Central Asia"), height=380,
        projection={"type": "mercator", "center": [66, 43], "scale": 900},
        data={"url": static("pledgewatch/vendor/world-atlas/countries-50m.json"),
              "format": {"type": "topojson", "feature": "countries"}},
        transform=[
            {"lookup": "id", "from": {"data": {"values": rows}, "key": "numeric",
                                      "fields": ["label", "amount", "display", "count", "url"]}},
            # countries without commitments stay on the map (grey): no null reaches the colour scale
            {"calculate": f"datum.amount == null ? 0 : datum.amount / {divisor}", "as": "scaled"},
            {"calculate": f"datum.label == null ? datum.properties.name + ': {no_data}' : "
                          "datum.label + ': ' + datum.display", "as": "aria"},
        ],
        mark={"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.7, "clip": True},
        encoding={
            "color": {"condition": {"test": "datum.count == null", "value": "#e4e4e4"},
                      "field": "scaled", "type": "quantitative", "title": unit,
                      "scale": {"scheme": "blues", "domainMin": 0}},
            "href": {"field": "url"},
            "description": {"field": "aria"},
            "tooltip": [{"field": "label", "title": _("Country")},
                        {"field": "display", "title": _("Counted")},
                        {"field": "count", "title": _("Commitments")}],
        },
    )
