"""The hostile corpus (tests/fixtures/hostile/) and helpers: a ledger of payloads, a live-markup finder."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from django.utils.html import escape

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"


def load(name: str) -> dict[str, str]:
    """Return id → payload of one corpus file (xss.json, urls.json, formulas.json, formula-emails.json)."""
    return {p["id"]: p["payload"] for p in json.loads((CORPUS / name).read_text(encoding="utf-8"))}


XSS = load("xss.json")
URLS = load("urls.json")
FORMULAS = load("formulas.json")
XSS_IDS = sorted(XSS)


def payload(field: str, n: int = 0) -> str:
    """Return the payload stored in `field` (payloads rotate over the fields, each tagged with its field)."""
    return f"{XSS[XSS_IDS[n % len(XSS_IDS)]]} [{field}]"


def escaped(field: str, n: int = 0) -> str:
    """Return the exact HTML-escaped form of the payload of `field` (what a template must print)."""
    return str(escape(payload(field, n)))


URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
SAFE_SCHEMES = ("http:", "https:", "mailto:", "/", "?", "#")


class LiveMarkup(HTMLParser):
    """Collect every sign that a payload became markup: event handlers, script URLs, injected scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        if tag == "link" and dict(attrs).get("href") == "data:,":
            attrs = []  # the page's empty favicon, written by the template, not by data
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and value is not None:
                url = "".join(value.split()).lower()  # browsers drop whitespace and control characters
                if url and not url.startswith(SAFE_SCHEMES) and ":" in url.split("/")[0]:
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag in {"iframe", "object", "embed", "base"}:  # (svg: the admin draws its icons with it)
            self.found.append(f"<{tag}>")
        # JSON data blocks (json_script) are not run; a payload inside one is checked by assert_inert
        self._script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and "pwned" in data:
            self.found.append(f"<script>{data[:80]}")


def live_markup(html: str) -> list[str]:
    """Return the injected markup found in an HTML page (empty when every payload stayed text)."""
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(html: str, where: str) -> None:
    """Fail when the page has live injected markup, or a raw payload fragment outside escaping."""
    found = live_markup(html)
    assert found == [], (where, found)
    for fragment in ("<script>window.__pwned", "<img src=x onerror", "<svg/onload", "</script><script>"):
        assert fragment not in html, (where, fragment)
    assert html.count("<script") == html.count("</script>"), where


# ---------------------------------------------------------------- the hostile ledger

def build_ledger(initiative):
    """Add records whose every text field holds a payload to the seeded initiative; return them by name."""
    from pledgewatch.ledger.models import (
        Commitment,
        CommitmentCountry,
        Document,
        Event,
        FocusArea,
        Organisation,
        Participant,
        Pillar,
        Source,
        SourceText,
    )
    from pledgewatch.totals.version import clear_memo

    values: dict[str, str] = {}  # tag → the payload stored under it

    def text(tag: str, n: int) -> str:
        values[tag] = payload(tag, n)
        return values[tag]

    def texts(prefix: str, fields: tuple[str, ...], start: int) -> dict:
        out, n = {}, start
        for f in fields:
            for lang in ("ja", "en", "ru"):
                out[f"{f}_{lang}"] = text(f"{prefix}.{f}_{lang}", n)
                n += 1
        return out

    for field, value in texts("initiative", ("name", "summary"), 0).items():
        setattr(initiative, field, value)
    initiative.save()
    org = Organisation.objects.create(slug="hostile-org", kind="government", country_id="KZ",
                                      **texts("org", ("name", "description"), 1))
    pillar = Pillar.objects.create(initiative=initiative, slug="hostile-pillar", order=9,
                                   **texts("pillar", ("name",), 2))
    focus = FocusArea.objects.create(pillar=pillar, slug="hostile-focus", order=9, **texts("focus", ("name",), 3))
    event = Event.objects.create(slug="hostile-event", kind="meeting",
                                 starts_at=datetime(2026, 2, 1, 10, tzinfo=UTC), country_id="KZ",
                                 **texts("event", ("name", "place", "description"), 4))
    Participant.objects.create(event=event, country_id="KZ", **texts("participant", ("name", "role"), 5))
    doc = Document.objects.create(kind="mou", date=date(2026, 2, 1), event=event, url=URLS["javascript"],
                                  **texts("document", ("title",), 6))
    doc.parties.add(org)
    doc.countries.add("KZ")
    doc.initiatives.add(initiative)
    c = Commitment.objects.create(
        ref="hostile-commitment", instrument="grant", sector="public", stage="signed", date=date(2026, 2, 1),
        amount=Decimal("1000000"), currency="JPY", qualifier="exact", provider=org, channel=org, pillar=pillar,
        event=event, classification_reason=text("commitment.classification_reason", 7),
        **texts("commitment", ("title", "description"), 8))
    c.initiatives.add(initiative)
    c.focus_areas.add(focus)
    CommitmentCountry.objects.create(commitment=c, country_id="KZ")
    stext = SourceText.objects.create(sha256="f" * 64, title=text("sourcetext.title", 9), url=URLS["data"],
                                     language="en", text="Before. " + text("sourcetext.text", 10) + " After.")
    quote = text("sourcetext.text", 10)
    start = stext.text.index(quote)
    src = Source.objects.create(target=c, field="amount", text=stext, start=start, end=start + len(quote),
                                quote=quote, url=URLS["javascript-case"], note=text("source.note", 11),
                                document=doc)
    Source.objects.create(target=c, field="title", url=URLS["quote-break"], quote=text("source2.quote", 12))
    Source.objects.create(target=doc, url=URLS["javascript-tab"], quote=text("docsource.quote", 13))
    clear_memo()
    return {"initiative": initiative, "org": org, "pillar": pillar, "focus": focus, "event": event,
            "document": doc, "commitment": c, "source": src, "values": values}
