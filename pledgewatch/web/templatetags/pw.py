"""Template filters of the public pages: money, shares and URLs with changed parameters."""

from urllib.parse import urlencode

from django import template

from pledgewatch.ledger import formatting as numbers
from pledgewatch.ledger import links
from pledgewatch.web import labels

register = template.Library()
LABEL_TABLES = {"instrument": labels.INSTRUMENT, "stage": labels.STAGE, "sector": labels.SECTOR,
                "qualifier": labels.QUALIFIER}


@register.filter
def money(value, mode: str = "") -> str:
    """Render an API money dict compactly (3兆円) or in full with `|money:"full"` (21,368,000,000円)."""
    return numbers.format_money(value, compact=mode != "full")


@register.filter
def share(value) -> str:
    """Render a share 0.0071 as 0.71%."""
    return "" if value in (None, "") else numbers.format_share(value)


@register.filter
def rate(value) -> str:
    """Render an exchange rate in the reader's number style."""
    return "" if value in (None, "") else numbers.format_rate(value)


@register.filter
def amount(value, currency: str = "JPY") -> str:
    """Render a bare decimal amount in the headline currency (no qualifier)."""
    return "" if value in (None, "") else numbers.format_amount(value, currency)


@register.simple_tag(takes_context=True)
def with_params(context, **changes) -> str:
    """Return the current query string with some parameters changed (None or "" removes them)."""
    request = context["request"]
    params = request.GET.copy()
    for key in ("format", "lang"):
        params.pop(key, None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k in params for v in params.getlist(k)))
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def lang_url(context, code: str) -> str:
    """Return the current page's address in another language (?lang=xx, remembered in a cookie)."""
    request = context.get("request")
    if request is None:  # a page rendered without its request (an error page): the language alone
        return f"?lang={code}"
    params = request.GET.copy()
    params["lang"] = code
    return f"{request.path}?{urlencode(sorted((k, v) for k in params for v in params.getlist(k)))}"


@register.simple_tag(takes_context=True)
def json_url(context) -> str:
    """Return the JSON twin of the current page ("" on a page rendered without a request: an error page)."""
    request = context.get("request")
    if request is None:
        return ""
    params = request.GET.copy()
    params["format"] = "json"
    return f"{request.path}?{urlencode(sorted((k, v) for k in params for v in params.getlist(k)))}"


@register.filter
def link_url(value) -> str:
    """Return an address from the data when it is http, https or mailto, else "" (javascript: is never a link)."""
    return links.link_url(value)


@register.filter
def isodate(value) -> str:
    """Render an ISO date (or datetime) string in the reader's date format: 2025年12月20日 / Dec. 20, 2025."""
    return numbers.format_datetime(value) if value else ""


@register.filter
def isoday(value) -> str:
    """Render only the date part of an ISO datetime string."""
    return numbers.format_date(value) if value else ""


@register.filter
def label(value, table: str) -> str:
    """Render a ledger code as its label in the reader's language: {{ "grant"|label:"instrument" }} → 無償資金協力."""
    if value in (None, ""):
        return "—"
    return labels.label(LABEL_TABLES[table], value)
