"""The progress chart of an issue, rendered on the server as PNG with vl-convert (Vega-Lite)."""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

LANGS = ("ja", "en", "ru")


def _amount(money: dict | None) -> Decimal:
    if not money or money.get("amount") is None:
        return Decimal(0)
    return Decimal(money["amount"])


def spec(block: dict, language: str) -> dict:
    """Return the Vega-Lite spec of one initiative's progress (counted, expected by now, target)."""
    with translation.override(language):
        currency = (block.get("counted") or {}).get("currency") or ""
        rows = [
            (_("Counted"), _amount(block.get("counted"))),
            (_("Expected by now"), Decimal(block.get("expected_by_now") or 0)),
            (_("Target"), _amount(block.get("target"))),
        ]
        name = block["name"].get(language) or block["name"].get("en") or block["slug"]
        axis = _("%(currency)s, billions") % {"currency": currency}
    # Vega needs numbers: billions with two decimals, as a string → number only at the chart boundary
    values = [{"label": label, "value": float((amount / Decimal(10**9)).quantize(Decimal("0.01")))}
              for label, amount in rows]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": name, "width": 480, "height": 120, "background": "white",
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#2563eb"},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "title": axis},
        },
    }


def render_charts(content: dict) -> dict[str, bytes]:
    """Return {language: PNG bytes} for the first initiative of an issue ({} when there is none)."""
    import vl_convert as vlc  # noqa: PLC0415 (a heavy library: loaded only when an issue is built)

    if not content.get("progress"):
        return {}
    block = content["progress"][0]
    return {lang: vlc.vegalite_to_png(spec(block, lang), scale=1) for lang in LANGS}
