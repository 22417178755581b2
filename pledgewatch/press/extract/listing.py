"""Instrument headings over listed items (「【円借款事業】」); sentences that list several ODA items ("…や…、…などが
合意された", "includes …, … and …"); lists of named items each with its amount in brackets ("A Project (JPY 3.5
billion), B Project (JPY 1.2 billion)")."""

import re
from functools import cached_property

from pledgewatch.press.extract import phrases
from pledgewatch.press.extract.items import FINANCING, Item, instrument_at, nearest
from pledgewatch.press.extract.numbers import Amount

_OPEN_BEFORE = re.compile(r"\(\s*(?:[\w ]{1,25}:\s*)?$")  # "(JPY 3.5 billion)", "(loan amount: JPY 3.5 billion)"
_CLOSE_AFTER = re.compile(r"\s*\)")
# a breakdown in brackets: 「(内訳 A:1億円,B:5,000万円)」, "(of which A: …, B: …)"
_BREAKDOWN_BEFORE = re.compile(r"[(（]\s*(?P<key>内訳|うち|breakdown|of\s+which|в\s+том\s+числе)[^()（）]*$",
                               re.IGNORECASE)
_LIST_SEP = re.compile(r"[\s,;]*(?:and\s+|as well as\s+|и\s+|а также\s+)?")
_QUOTES = re.compile(r"[\"“”«»]")


class ListReading:
    """Mixin of Reader: one item per listed activity, titled by the activity without country or amount."""

    @cached_property
    def _headings(self) -> list[tuple[int, str]]:
        """Return (position, instrument) of the lines naming only an instrument (「【円借款事業】」, "Grant Aid:")."""
        found = []
        for m in phrases.HEADING.finditer(self.text):
            cue = instrument_at(self.cues, self.text, m.start("cue"), m.end("cue"))
            if cue and cue[0][:2] == (m.start("cue"), m.end("cue")):
                found.append((m.start(), cue[0][2]))
        return found

    def instrument_before(self, pos: int) -> str | None:
        """Return the instrument of the last heading before a position, else the text's first instrument."""
        before = [instrument for start, instrument in self._headings if start < pos]
        return before[-1] if before else self.default_instrument

    def enumerated_items(self, start, end, fallback) -> list[Item]:
        first = self.mentions_in(start, end)
        region_start = first[0][0] if first else start
        channel = self.cues.CHANNEL_RE.search(self.text, start, end)
        if channel and channel.start() < region_start:
            region_start = channel.start()
        head_first = self.cues.HEAD_FIRST
        stop = self.cues.ENUMERATION_END_RE.search(self.text, start if head_first else region_start, end)
        if head_first:
            region_start, region_end = (stop.end(), end) if stop else (region_start, end)
        else:
            region_end = stop.start() if stop else end
        pieces, pos = [], region_start
        for m in self.cues.SEGMENT_SPLIT_RE.finditer(self.text, region_start, region_end):
            if self._inside_brackets(pos, m.start()):
                continue
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, region_end))
        items: list[Item] = []
        carried = fallback
        pending: list[Item] = []
        for s, e in pieces:
            s, e = self._strip(s, e)
            if e - s < 2:
                continue
            local = self.mentions_in(s, e)
            cues = instrument_at(self.cues, self.text, s, e)
            if not cues and not self.cues.ACTIVITY_RE.search(self.text, s, e):
                continue
            item = self._item(cues[0] if cues else None, local or carried, (s, e), "grant")
            self._attach(item, (self.amounts_in(s, e) or [None])[0], start)
            self._channel(item, s, e)
            if item.channel and item.instrument != "loan":
                item.instrument = "grant"
            item.title = self._segment_title(s, e)
            if item.title:
                ts = self.raw.find(item.title, s, e)
                # a title put together from a segment (amount taken out) is evidenced by the segment
                item.spans.append((ts, ts + len(item.title), "title") if ts >= 0 else (s, e, "title"))
            self._date(item, start, end)
            if local:
                carried = local
                for waiting in pending:  # English names the country after the items ("… and … in X")
                    waiting.recipients = [c for _, _, g in local for c in g]
                pending = []
            elif head_first:
                pending.append(item)
            items.append(item)
        return items

    def _inside_brackets(self, start: int, pos: int) -> bool:
        segment = self.text[start:pos]
        return segment.count("（") + segment.count("(") > segment.count("）") + segment.count(")")

    def _strip(self, s: int, e: int) -> tuple[int, int]:
        while s < e and self.text[s] in " 、,":
            s += 1
        while e > s and self.text[e - 1] in " 、,.。":
            e -= 1
        return s, e

    def _segment_title(self, s: int, e: int) -> str | None:
        """Return the activity named by an enumerated segment, without country, channel and amount."""
        cut = s
        for ms, me, _ in self.mentions_in(s, e):
            m = self.cues.RECIPIENT_PARTICLES.match(self.text, me, e) if not self.cues.HEAD_FIRST else None
            if not self.cues.HEAD_FIRST and ms - cut <= 12:
                cut = m.end() if m else me
        title = self.raw[cut:e]
        for amount in self.amounts_in(cut, e):
            a, b = amount.start - cut, amount.end - cut
            title = title[:a] + "\0" * (b - a) + title[b:]
        if self.cues.HEAD_FIRST:
            title = re.sub(r"\s*(?:of\s+|в\s+размере\s+)?\0+\s*", " ", title)
        else:
            title = re.sub(r"[（(]\s*[）)]", "", title.replace("\0", ""))
        if self.cues.HEAD_FIRST:
            title = re.split(r"\s+(?:in|for|to|в|для)\s+(?:the\s+)?(?:[A-ZА-ЯЁ]|all\b)", title)[0]
        channel = self.cues.CHANNEL_RE.search(title)
        if channel:
            title = (title[:channel.start()] + title[channel.end():]) if not self.cues.HEAD_FIRST \
                else title[:channel.start()]
        previous = None
        while previous != title:
            previous = title
            title = self.cues.TITLE_JUNK.sub("", title.strip()).strip()
            if not self.cues.HEAD_FIRST:
                title = re.sub(r"^[^、]{0,12}?(?:への|での|に対する)", "", title) if any(
                    self.mentions_in(s, e)) and title.startswith(("中央", "5か国")) else title
        return title or None

    def bracketed(self, start: int, end: int) -> list[Amount]:
        """Return the amounts standing alone in brackets after a name ("A Project (JPY 3.5 billion), B …")."""
        found = []
        for a in self.amounts_in(start, end):
            alone = _OPEN_BEFORE.search(self.text, max(start, a.start - 30), a.start) and _CLOSE_AFTER.match(
                self.text, a.end)
            if (alone or _BREAKDOWN_BEFORE.search(self.text, max(start, a.start - 120), a.start)) and not \
                    self.is_total_cue(a, start):
                found.append(a)
        return found

    def bracketed_items(self, start: int, end: int, listed: list[Amount], fallback) -> list[Item]:
        """Return one item per bracketed amount, named by the words between the previous item and its bracket."""
        cues = instrument_at(self.cues, self.text, start, end)
        head = self.cues.ENUMERATION_END_RE.search(self.text, start, listed[0].start)
        colon = self.text.rfind(":", start, listed[0].start)
        breakdown = _BREAKDOWN_BEFORE.search(self.text, max(start, listed[0].start - 120), listed[0].start)
        begin = max(head.end() if head else start, colon + 1 if colon >= 0 else start)
        if breakdown:  # 「(内訳 A:1億円,B:…)」: each name stands before its colon
            begin = breakdown.end("key")
        items = []
        for amount in listed:
            bracket = self.text.rfind("(", begin, amount.start)
            named = self.text.rfind(":", begin, amount.start) if breakdown else -1
            s, e = begin, named if named >= 0 else (bracket if bracket >= 0 else amount.start)
            title = _QUOTES.sub("", self.raw[s:e]).strip(" ,;:：、") or None  # "(Phase 2)" stays: part of the name
            if title and len(title) > 160:
                title = None
            own = [c for c in cues if s <= c[0] < e and c[2] in FINANCING]
            cue = own[0] if own else nearest([c for c in cues if c[2] in FINANCING], amount.start, amount.end)
            item = self._item(cue, self.mentions_in(s, e) or self.mentions_in(start, end) or fallback,
                              (start, end), self.instrument_before(start))
            if title:
                ts = self.raw.find(title, s, e)
                item.title = title
                item.spans.append((ts, ts + len(title), "title") if ts >= 0 else (s, e, "title"))
            self._attach(item, amount, start)
            self._date(item, start, end)
            items.append(item)
            close = _CLOSE_AFTER.match(self.text, amount.end)
            begin = close.end() if close else amount.end
            sep = _LIST_SEP.match(self.text, begin)
            begin = sep.end() if sep else begin
        return items
