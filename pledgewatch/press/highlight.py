"""Render a text with the spans of proposed fields highlighted (escaped HTML, overlapping spans allowed)."""

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FIELDS = ("title", "recipients", "instrument", "amount", "equivalent", "date", "channel")


def highlight(text: str, spans: list[tuple[int, int, str]]) -> SafeString:
    """Return text as HTML with each span wrapped in <mark class="f-FIELD" data-field="FIELD">."""
    spans = [(s, e, f) for s, e, f in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in itertools.pairwise(cuts):
        piece = escape(text[a:b])
        fields = sorted({f for s, e, f in spans if s <= a and b <= e})
        if fields:
            classes = " ".join(f"f-{f}" for f in fields)
            out.append(f'<mark class="{classes}" data-field="{escape(" ".join(fields))}">{piece}</mark>')
        else:
            out.append(piece)
    return mark_safe("".join(out))
