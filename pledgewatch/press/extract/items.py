"""Proposed items and the span helpers the readers share (instrument cues, channels, nearest spans)."""

import re
from dataclasses import dataclass, field

from pledgewatch.press.extract.numbers import Amount

FINANCING = ("loan", "grant", "technical_cooperation")  # the instruments that carry money


@dataclass
class Item:
    """A proposed commitment; `spans` are (start, end, field) character offsets into the input text."""

    instrument: str
    recipients: list[str] = field(default_factory=list)
    amount: Amount | None = None
    title: str | None = None
    date: object = None  # FoundDate
    channel: str | None = None
    pillar: str | None = None
    pillar_reason: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    contexts: list[tuple[int, int]] = field(default_factory=list)
    equivalents: list[Amount] = field(default_factory=list)  # the amount restated in other currencies
    total_cue: bool = False
    sum_cue: bool = False  # a total's word earlier in the amount's clause («в общей сложности … выделить 12,8 млрд»)
    date_local: bool = False  # the date was stated in the item's sentence or paragraph

    def evidence(self) -> list[dict]:
        seen = sorted({(s, e) for s, e, _ in self.spans})
        return [{"start": s, "end": e} for s, e in seen]

    def as_json(self) -> dict:
        return {
            "recipients": sorted(self.recipients),
            "instrument": self.instrument,
            "amount": self.amount.as_json() if self.amount else None,
            "equivalents": [{"amount": a.as_json(), "evidence": [{"start": a.start, "end": a.end}]}
                            for a in self.equivalents],
            "title": self.title,
            "date": self.date.value.isoformat() if self.date else None,
            "channel": self.channel,
            "pillar": self.pillar,
            "evidence": self.evidence(),
        }


@dataclass
class Result:
    language: str
    items: list[Item]
    totals: list[dict]
    targets: list[dict]
    documents: list[dict]
    dates: list[dict]


def instrument_at(cues, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Return (start, end, instrument) for every instrument cue of text[start:end]."""
    found = []
    for m in cues.INSTRUMENT_RE.finditer(text, start, end):
        group = next(k for k, v in m.groupdict().items() if v is not None)
        found.append((m.start(), m.end(), cues.INSTRUMENTS[int(group[1:])][1]))
    return found


def channel_in(cues, text: str, start: int, end: int):
    """Return (code, name start, name end, phrase end) of the first channel phrase, or None."""
    m = cues.CHANNEL_RE.search(text, start, end)
    return (cues.CHANNELS[m.group("name")], m.start("name"), m.end("name"), m.end()) if m else None


def nearest(spans, start: int, end: int):
    """Return the span closest to [start, end) (distance between the spans), or None."""
    best, best_d = None, None
    for span in spans:
        d = max(span[0] - end, start - span[1], 0)
        if best_d is None or d < best_d:
            best, best_d = span, d
    return best


def nearest_amount(amounts: list[Amount], cue) -> Amount | None:
    """Return the amount closest to an instrument cue, or None."""
    spans = [(a.start, a.end, a) for a in amounts]
    best = nearest(spans, cue[0], cue[1])
    return best[2] if best else None


def norm_title(title: str | None) -> str:
    """Return a title folded for comparing mentions within one text."""
    return re.sub(r"\W+|\b(?:and|the|of|for|и)\b", "", (title or "").lower())


def same_deal(a: Item, b: Item) -> bool:
    """Return True when two proposed items describe the same deal (titles, or instrument and amount)."""
    if a.title and b.title:
        return norm_title(a.title) == norm_title(b.title)
    if a.instrument != b.instrument and "other" not in (a.instrument, b.instrument):
        return False  # unspecified aid («финансовая помощь» in a headline) may be the body's grant or loan
    if set(a.recipients) and set(b.recipients) and not set(a.recipients) & set(b.recipients):
        return False
    if a.amount is not None and b.amount is not None:
        return a.amount.value == b.amount.value and a.amount.currency == b.amount.currency
    return (a.amount is None and b.amount is None and not (a.title or b.title)) or (
        b.amount is None and not b.title) or (a.amount is None and not a.title and b.title is not None)


def completes(a: Item, b: Item, titled: list[Item]) -> bool:
    """Return True when one of two items is the text's only titled project lacking an amount and the
    other states an amount without a name (a headline 「…に技術協力　約12億円」 and the body)."""
    if a.instrument != b.instrument or (a.title is None) == (b.title is None):
        return False
    named, amounted = (a, b) if a.title else (b, a)
    same_kind = {norm_title(t.title) for t in titled if t.instrument == named.instrument}  # a name said twice is one
    overlap = not named.recipients or not amounted.recipients or set(named.recipients) & set(amounted.recipients)
    return named.amount is None and amounted.amount is not None and len(same_kind) == 1 and bool(overlap)


def has_richer(item: Item, kept: list[Item]) -> bool:
    """Return True when another kept item of the same instrument has a title or an amount."""
    return any(k is not item and k.instrument == item.instrument and (k.amount or k.title) for k in kept)
