"""Read a press text and return the commitments it states, with the span each field comes from.

`extract(text, file=..., rules=...)` returns the JSON of DESIGN.md ("extract --format json");
`extract_items` returns the richer `Item` objects (field-by-field spans) the review queue stores.
"""

import bisect
import itertools
import re
from functools import cached_property

from pledgewatch.press.extract import equivalents, phrases
from pledgewatch.press.extract import language as languages
from pledgewatch.press.extract.items import (
    FINANCING,
    Item,
    Result,
    channel_in,
    completes,
    has_richer,
    instrument_at,
    nearest,
    nearest_amount,
    same_deal,
)
from pledgewatch.press.extract.listing import ListReading
from pledgewatch.press.extract.numbers import LOCAL_CURRENCIES, Amount
from pledgewatch.press.extract.text import normalise
from pledgewatch.press.extract.totals import TotalsReading
from pledgewatch.press.pillars import PillarRules, suggest_pillar

OWN_COUNTRY = "JP"
HISTORY_DAYS = 400  # a deal dated this long before the release is history, not news


class Reader(ListReading, TotalsReading):
    """Extraction over one text: cues of its language, its amounts, dates, recipients and sentences."""

    def __init__(self, raw: str, language: str | None = None, rules: PillarRules | None = None):
        self.raw = raw
        self.text = normalise(raw)
        self.cues = languages.get(language or languages.detect(self.text))
        self.language = self.cues.CODE
        self.rules = rules
        found = self.cues.find_amounts(self.text)
        self.amounts, self.equivalents = equivalents.pair(self.text, found, self.cues.EQUIVALENT_RE)
        # a headline's "$164 млн" restates the body's 「22,4 млрд иен ($164 млн)」: not an amount of its own
        restated = {(a.value, a.currency) for found in self.equivalents.values() for a in found}
        heads = {(a.value, a.currency) for a in self.amounts if a.start in self.equivalents}
        self.amounts = [a for a in self.amounts if (a.value, a.currency) not in restated - heads
                        and a.currency not in LOCAL_CURRENCIES]  # a local currency is only ever a restatement
        self.per_unit = [a.start for a in self.amounts if phrases.PER_UNIT_AFTER.match(self.text, a.end)
                         or phrases.PER_UNIT_BEFORE.search(self.text, max(0, a.start - 12), a.start)]
        self.found_dates = self.cues.find_dates(self.text)
        money = [(a.start, a.end) for a in found]
        self.mentions = [m for m in self.cues.find_recipients(self.text) if m[2] != (OWN_COUNTRY,)
                         and not _inside(m, money)  # «долларов США» names no recipient
                         and not phrases.WAR_BEFORE.search(self.text, max(0, m[0] - 40), m[0])]
        self.sentences = self.cues.sentences(self.text)
        self._amount_starts = [a.start for a in self.amounts]
        self._mention_starts = [m[0] for m in self.mentions]
        self._date_starts = [d.start for d in self.found_dates]
        self.release_date = self.found_dates[0] if self.found_dates else None
        self.totals: list[dict] = []
        self.targets: list[dict] = []
        self.context_amounts: set[int] = set()
        self.rounded_sums: list = []  # headline figures that round the sum of the items

    @cached_property
    def main_mentions(self) -> list:
        """Return the first mention of the country the text names most often (ties: the first named)."""
        counts: dict[tuple, int] = {}
        for m in self.mentions:
            counts[m[2]] = counts.get(m[2], 0) + 1
        if not counts:
            return []
        best = max(counts.values())
        return [next(m for m in self.mentions if counts[m[2]] == best)]

    # ------------------------------------------------------------ helpers over spans
    # Each list is sorted by start; bisect keeps long texts linear rather than quadratic.
    def amounts_in(self, start: int, end: int) -> list[Amount]:
        return _within(self.amounts, self._amount_starts, start, end, lambda a: a.end)

    def mentions_in(self, start: int, end: int):
        return _within(self.mentions, self._mention_starts, start, end, lambda m: m[1])

    def dates_in(self, start: int, end: int):
        return _within(self.found_dates, self._date_starts, start, end, lambda d: d.end)

    def date_in(self, start: int, end: int):
        inside = self.dates_in(start, end)
        return inside[0] if inside else None

    def in_context_clause(self, amount: Amount, sentence_start: int) -> bool:
        """Return True when a context cue (累計, GDP, trade …) leads the clause holding the amount."""
        clause_start = max(self.text.rfind(sep, sentence_start, amount.start) for sep in self.cues.CLAUSE_MARKS)
        clause = self.text[max(clause_start, sentence_start):amount.end]
        return bool(self.cues.CONTEXT_RE.search(clause))

    def is_total_cue(self, amount: Amount, sentence_start: int) -> bool:
        before = self.text[max(sentence_start, amount.start - 12):amount.start]
        after = self.cues.TOTAL_AFTER_RE
        return bool(self.cues.TOTAL_RE.search(before)) or bool(after and after.match(self.text, amount.start))

    @cached_property
    def _sum_words(self) -> re.Pattern:
        return re.compile(self.cues.TOTAL_RE.pattern.removesuffix(r"\s*$"), self.cues.TOTAL_RE.flags)

    def is_sum_clause(self, amount: Amount, sentence_start: int) -> bool:
        """Return True when a total's word ("in total", «в общей сложности») leads the amount's clause."""
        clause_start = max(self.text.rfind(sep, sentence_start, amount.start) for sep in self.cues.CLAUSE_MARKS)
        return bool(self._sum_words.search(self.text, max(clause_start, sentence_start), amount.start))

    def refers_to_skipped(self, start: int, skipped: set[int]) -> bool:
        """Return True when the last figure before a sentence restates one of a context or history sentence."""
        before = self.amounts_in(0, start)
        if not before:
            return False
        last = before[-1]
        return any(a.start in skipped and (a.value, a.currency) == (last.value, last.currency) for a in before)

    def is_history(self, start: int, end: int) -> bool:
        """Return True when a sentence dates what it tells well before the release (a loan signed in 2015)."""
        if self.release_date is None or self.release_date.value is None:
            return False
        release = self.release_date.value
        for m in self.cues.PAST_RE.finditer(self.text, start, end):
            if int(m.group("year")) < release.year - 1:
                return True
        return any(d.value and not d.year_from_context and (release - d.value).days > HISTORY_DAYS
                   for d in self.dates_in(start, end))

    # ------------------------------------------------------------ sentences
    def read(self) -> Result:
        items: list[Item] = []
        skipped: set[int] = set()  # starts of amounts in target and context sentences
        previous_mentions: list = []
        for start, end in self.sentences:
            sentence = self.text[start:end]
            mentions = self.mentions_in(start, end)
            target = self.cues.TARGET_RE.search(sentence)
            if target and self.amounts_in(start, end):
                for amount in self.amounts_in(start, end):
                    skipped.add(amount.start)
                    if not self.in_context_clause(amount, start):  # 「投資残高は約1兆円…、倍増を目指す」
                        self.add_target(amount, self.cues.horizon_years(sentence))
                continue
            money = self.amounts_in(start, end)
            lender = money and phrases.OTHER_DONOR.search(sentence) and not phrases.JAPAN_SIDE.search(sentence)
            if self.cues.CONTEXT_RE.search(sentence) or self.is_history(start, end) or lender or any(
                    start <= p < end for p in self.per_unit) or (
                    money and phrases.PART_OF.search(sentence) and self.refers_to_skipped(start, skipped)):
                skipped.update(a.start for a in money)  # «…перечислила 390 млн. Из этой суммы 90 млн …»
                continue
            earlier = None if self.cues.HEAD_FIRST else phrases.PART_OF_EARLIER.search(sentence)
            if earlier:
                skipped.update(a.start for a in money if a.start < start + earlier.start())
                start = start + earlier.end()
            # a sentence naming no country is about the last country of a deal, else the text's main one
            # (not a neighbour named in passing: "… a conflict with neighbouring X")
            fallback = mentions or previous_mentions or self.main_mentions
            found = self.read_sentence(start, end, fallback)
            items.extend(found)
            main = _codes(self.main_mentions)
            if mentions and (found or not previous_mentions):
                previous_mentions = mentions
            elif mentions and _codes(mentions) & main:  # without a deal, only the main country carries on
                previous_mentions = [m for m in mentions if set(m[2]) & main]
        items = self.merge(items)
        # a headline's figure that the body tells only in a context sentence (thanks for help given, the aid
        # so far) is that context, not a deal
        told = {(a.value, a.currency) for a in self.amounts if a.start in skipped}
        first = self.headline
        items = [i for i in items if i.title or i.amount is None or (i.amount.value, i.amount.currency) not in told
                 or any(not first[0] <= s < first[1] for s, _, f in i.spans if f == "amount")]
        self.attach_orphans(items, skipped)
        # a headline's "over $1 billion" rounds the body's "$1.063 billion": dropped before the sums are
        # compared, so that the body's figure is seen as the total of its items
        items = self.drop_rounded(self.split_totals(self.drop_rounded(items)))
        self.add_rounded_sums()
        self.totals = [t for i, t in enumerate(self.totals)  # a headline and the body state one total once
                       if t["amount"] not in [u["amount"] for u in self.totals[:i]]]
        for item in items:
            self.finish(item)
        return Result(self.language, items, self.totals, self.targets, self.documents(),
                      [d.as_json() for d in self.found_dates])

    def read_sentence(self, start: int, end: int, fallback) -> list[Item]:
        titles = self.titles_in(start, end)
        # 「…への…(約6億円)、…などが合意」 is read as an enumeration (ListReading), which strips the country
        enumeration = not self.cues.HEAD_FIRST and self.cues.ENUMERATION_END_RE.search(self.text, start, end)
        listed = [] if enumeration else self.bracketed(start, end)
        if len(listed) >= 2 and len(titles) < len(listed):
            return self.bracketed_items(start, end, listed, fallback)
        if len(listed) == 1 and not titles and not self.cues.INSTRUMENT_RE.search(self.text, start, end) and \
                phrases.NAMED_BEFORE.search(self.text, start, listed[0].start):
            return self.bracketed_items(start, end, listed, fallback)  # "Also, one for X Project (JPY 7.9 billion)."
        if titles:
            return self.titled_items(start, end, titles, fallback)
        if self.cues.ODA_RE.search(self.text, start, end) and self.cues.ENUMERATION_END_RE.search(
                self.text, start, end):
            listed = self.enumerated_items(start, end, fallback)
            # 「…米ドルの無償資金協力を行い、整地、灌漑網の建設、機材購入等を実施する」: the parts of the one funded
            # deal (no money, instrument or country of their own) are not deals
            bare = [i for i in listed if i.amount is None and not any(f == "instrument" for _, _, f in i.spans)]
            parts = len(listed) - len(bare) == 1 and listed[0].amount is not None and len(
                {tuple(i.recipients) for i in listed}) == 1
            if len(listed) > 1 and not parts:
                return listed
        return self.cue_items(start, end, fallback)

    def titles_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        found = []
        for m in self.cues.TITLE_RE.finditer(self.text, start, end):
            name = next(g for g in m.re.groupindex if g.startswith("title") and m.group(g))
            title = m.group(name).strip()
            if phrases.NOT_A_NAME.fullmatch(title):
                continue  # "(hereinafter referred to as "the Project")", "Joint Action Plan": no project's name
            if phrases.FRAMEWORK_BEFORE.search(self.text, max(start, m.start(name) - 90), m.start(name)):
                continue  # «в рамках программы «Корни травы»»: the scheme the deals come under, not a deal
            if self.cues.TITLE_WORDS and name == "title" and not self.cues.TITLE_WORDS.search(title):
                continue
            if phrases.SPEECH_AFTER.match(self.text, m.end()):
                continue  # a quoted statement ("…", said the ministry), not a name
            if name == "title3" and (title.split()[-2:-1] in (["the"], ["The"]) or title in self.cues.CHANNELS):
                continue  # "… for the Project" is a reference, "United Nations Development Programme" a channel
            if phrases.SCHEME_NAME.search(title) and phrases.SCHEME_BEFORE.search(
                    self.text, max(start, m.start(name) - 30), m.start(name)):
                continue  # "under the Japanese ODA Loan Program": a kind of financing, not a project
            begin = m.start(name) + len(m.group(name)) - len(m.group(name).lstrip())
            inside = self.amounts_in(begin, begin + len(title))
            if inside:  # "(b) Program for X for Japanese Yen 8 billion (around …)": the name ends before
                title = phrases.NAME_TAIL.sub("", self.text[begin:inside[0].start])
            found.append((begin, begin + len(title), self.raw[begin:begin + len(title)]))
        return found

    def _item(self, instrument_span, recipients, context, fallback_instrument=None) -> Item:
        instrument = instrument_span[2] if instrument_span else (fallback_instrument or "other")
        item = Item(instrument=instrument, contexts=[context])
        if instrument_span:
            item.spans.append((instrument_span[0], instrument_span[1], "instrument"))
        codes = []
        for s, e, group in recipients:
            codes.extend(c for c in group if c not in codes)
            item.spans.append((s, e, "recipients"))
        item.recipients = codes
        return item

    def _attach(self, item: Item, amount: Amount | None, sentence_start: int) -> None:
        if amount is None:
            return
        item.amount = amount
        item.equivalents = self.equivalents.get(amount.start, [])
        item.spans.extend((a.start, a.end, "equivalent") for a in item.equivalents)
        item.total_cue = self.is_total_cue(amount, sentence_start) or bool(
            phrases.COUNTED_AFTER.match(self.text, amount.end))  # "worth JPY 95 billion for 4 projects"
        item.sum_cue = self.is_sum_clause(amount, sentence_start)
        item.spans.append((amount.start, amount.end, "amount"))

    def clauses(self, start: int, end: int, titles) -> list[tuple[int, int]]:
        """Return one clause per title: the sentence cut at the last separator between two titles."""
        cuts = [start]
        for (_, te, _), (ns, _, _) in itertools.pairwise(titles):
            seps = list(self.cues.CLAUSE_SEP_RE.finditer(self.text, te, ns))
            cuts.append(seps[-1].start() if seps else ns)
        return list(itertools.pairwise([*cuts, end]))

    def titled_items(self, start, end, titles, fallback) -> list[Item]:
        cues = instrument_at(self.cues, self.text, start, end)
        amounts = self.amounts_in(start, end)
        claimed: set[int] = set()
        items = []
        for (ts, te, title), (cs, ce) in zip(titles, self.clauses(start, end, titles), strict=True):
            # a sum (「…ほか1件合わせて、供与限度総額299億円」) is no name's amount: it goes to the totals
            free = [a for a in amounts if cs <= a.start and a.end <= ce and id(a) not in claimed
                    and not self.is_total_cue(a, start)]
            after = [a for a in free if a.start >= te]
            before = [a for a in free if a.end <= ts]
            bracketed = after and phrases.BRACKET_GAP.fullmatch(self.text, te, after[0].start)
            if self.cues.HEAD_FIRST and not bracketed:  # "… 12 billion yen for the "X Project"": amount first
                amount = before[-1] if before else (after[0] if after else None)
            else:  # 「X計画」（供与限度額…）: the amount follows the name
                amount = after[0] if after else (before[-1] if before else None)
            if amount is not None:
                claimed.add(id(amount))
            own_cues = [c for c in cues if cs <= c[0] and c[1] <= ce and not any(a <= c[0] < b for a, b, _ in titles)]
            inside = [c for c in cues if ts <= c[0] < te]
            # a cue inside a name says the kind only when it names a financing (「…政策借款」), not
            # 「…投資環境改善計画」
            inside = [c for c in inside if c[2] in FINANCING]
            outside = [c for c in cues if not any(a <= c[0] < b for a, b, _ in titles)]
            cue = nearest(own_cues or outside, ts, te) or nearest(inside, ts, te)
            local = self.mentions_in(cs, ce)
            item = self._item(cue, local or self.mentions_in(start, end) or fallback, (start, end),
                              self.instrument_before(start))
            item.title = title
            item.spans.append((ts, te, "title"))
            self._attach(item, amount, start)
            self._channel(item, cs, ce)
            self._date(item, start, end)
            items.append(item)
        return items

    @cached_property
    def default_instrument(self) -> str | None:
        m = self.cues.INSTRUMENT_RE.search(self.text)
        return instrument_at(self.cues, self.text, m.start(), m.end())[0][2] if m else None

    def cue_items(self, start, end, fallback) -> list[Item]:
        cues = instrument_at(self.cues, self.text, start, end)
        seen: dict[str, Item] = {}
        amounts = list(self.amounts_in(start, end))
        split = self.by_country(start, end, cues, amounts)
        if split:
            return split
        for cue in cues:
            if cue[2] in seen:
                continue
            candidates = [a for a in amounts if not any(a is x.amount for x in seen.values())]
            if not candidates and not self.mentions_in(start, end):
                continue  # an instrument named in passing, with neither money nor recipient
            item = self._item(cue, self.mentions_in(start, end) or fallback, (start, end))
            self._attach(item, nearest_amount(candidates, cue), start)
            self._channel(item, start, end)
            if item.channel and item.instrument != "loan":
                item.instrument = "grant"
            self._date(item, start, end)
            seen[cue[2]] = item
        if len(seen) == 1 and len(amounts) > 1 and phrases.RESPECTIVELY.search(self.text, start, end):
            # "Grant Aid Agreements worth US$56.6M and US$1.8m respectively": one item per amount
            (first,) = seen.values()
            more = []
            for amount in amounts:
                if amount is first.amount:
                    continue
                item = self._item(None, self.mentions_in(start, end) or fallback, (start, end), first.instrument)
                self._attach(item, amount, start)
                self._date(item, start, end)
                more.append(item)
            return [first, *more]
        if not cues and amounts and (self.cues.ALLOCATION_RE.search(self.text, start, end)
                                     or self.cues.DOCUMENT_RE.search(self.text, start, end)):
            # "Nearly 10 million US dollars will be directed to …": an item of the text's instrument;
            # parts in turn («400 млн пойдут на …, еще 70 млн — на …») are one item each
            parts = amounts if len({a.currency for a in amounts}) == 1 else amounts[:1]
            items = []
            for amount in parts:
                item = self._item(None, self.mentions_in(start, end) or fallback, (start, end),
                                  self.default_instrument or "other")
                self._attach(item, amount, start)
                self._channel(item, start, end)
                self._date(item, start, end)
                items.append(item)
            return items
        return list(seen.values())

    def by_country(self, start, end, cues, amounts) -> list[Item]:
        """Return one item per country and its amount when a sentence pairs them in turn
        (「キルギスが3億円、タジキスタンが2億円」, «Ирану — 1,6 млрд иен, Лаосу — 2,9 млрд иен»), else []."""
        mentions = [m for m in self.mentions_in(start, end) if len(m[2]) == 1]
        if len(amounts) < 2 or len(mentions) != len(amounts) or len({a.currency for a in amounts}) > 1:
            return []
        order = sorted([(m[0], "m", m) for m in mentions] + [(a.start, "a", a) for a in amounts],
                       key=lambda x: x[0])
        if [k for _, k, _ in order] not in (["m", "a"] * len(amounts), ["a", "m"] * len(amounts)):
            return []
        items = []
        for first, second in zip(order[::2], order[1::2], strict=True):
            pair = {first[1]: first[2], second[1]: second[2]}
            item = self._item(cues[0] if cues else None, [pair["m"]], (start, end),
                              self.default_instrument or "other")
            self._attach(item, pair["a"], start)
            self._channel(item, start, end)
            self._date(item, start, end)
            items.append(item)
        return items

    def _channel(self, item: Item, start: int, end: int) -> None:
        found = channel_in(self.cues, self.text, start, end)
        if found:
            item.channel = found[0]
            item.spans.append((found[1], found[2], "channel"))

    def _date(self, item: Item, start: int, end: int) -> None:
        """Date an item by its sentence, else by the last date earlier in its paragraph, else the release."""
        found = self.date_in(start, end)
        if found is None:
            paragraph = self.text.rfind("\n\n", 0, start) + 1
            earlier = self.dates_in(paragraph, start)
            found = earlier[-1] if earlier else None
        item.date_local = found is not None
        item.date = found or self.release_date
        if item.date:
            item.spans.append((item.date.start, item.date.end, "date"))

    # ------------------------------------------------------------ whole text
    def merge(self, items: list[Item]) -> list[Item]:
        titled = [i for i in items if i.title]
        kept: list[Item] = []
        for item in items:
            found = [k for k in kept if same_deal(k, item) or completes(k, item, titled)]
            # a mention with the same figure in another sentence is the same deal before a bare headline mention
            # is (two figures of one sentence are two deals: 「A(5億円)及びB(5億円)」)
            target = next((k for k in found if k.amount is not None and item.amount is not None and (
                k.amount.value, k.amount.currency) == (item.amount.value, item.amount.currency)
                and not set(k.contexts) & set(item.contexts)), found[0] if found else None)
            if target is None:
                kept.append(item)
                continue
            if target.title is None and target.amount is None and item.recipients and (item.title or item.amount):
                target.recipients = item.recipients  # a bare mention gives way to the detailed one
            for name in ("amount", "title", "channel"):
                if getattr(target, name) is None and getattr(item, name) is not None:
                    setattr(target, name, getattr(item, name))
            # every mention is evidence, except dates of other mentions (an item has one date)
            target.spans.extend(sp for sp in item.spans if sp[2] != "date" and sp not in target.spans)
            target.contexts.extend(item.contexts)
            if item.date_local and not target.date_local:
                target.spans = [sp for sp in target.spans if sp[2] != "date"] + [
                    sp for sp in item.spans if sp[2] == "date"]
                target.date, target.date_local = item.date, True
            if not target.recipients and item.recipients:
                target.recipients = item.recipients
            if target.amount is item.amount:
                target.equivalents = target.equivalents or item.equivalents
                target.total_cue = target.total_cue or item.total_cue
                target.sum_cue = target.sum_cue or item.sum_cue
            if target.instrument == "other" and item.instrument != "other":
                target.instrument = item.instrument
        # an instrument named without money or name in a sentence of its own, beside items with money
        # elsewhere, is talk about them ("loans and grants have long supported …"), not a deal
        # … and aid of no stated kind, without money or name («Киев получит от Токио финансовую помощь»), is no deal
        money = {c for k in kept if k.amount is not None for c in k.contexts}
        return [k for k in kept if k.amount is not None or k.title or not (
            (money and not money & set(k.contexts)) or has_richer(k, kept) or k.instrument == "other")]

    def finish(self, item: Item) -> None:
        if self.rules is not None:
            context = " ".join(self.raw[s:e] for s, e in item.contexts)
            suggestion = suggest_pillar(self.rules, item.title or "", context, self.raw)
            if suggestion:
                item.pillar, item.pillar_reason = suggestion.slug, suggestion.reason

    def documents(self) -> list[dict]:
        found: dict[str, dict] = {}
        for m in self.cues.DOCUMENT_RE.finditer(self.text):
            group = next(k for k, v in m.groupdict().items() if v is not None)
            kind = self.cues.DOCUMENTS[int(group[1:])][1]
            found.setdefault(kind, {"kind": kind, "count": 1, "qualifier": "exact",
                                    "evidence": [{"start": m.start(), "end": m.end()}]})
        counted = []
        for m in self.cues.DOCUMENT_COUNT_RE.finditer(self.text):
            q = (m.group("q") or "").lower()
            qualifier = self.cues.COUNT_QUALIFIERS.get(q, "exact")
            counted.append({"kind": "other", "count": int(m.group("count").replace(",", "")),
                            "qualifier": qualifier, "evidence": [{"start": m.start(), "end": m.end()}]})
        return sorted(found.values(), key=lambda d: d["evidence"][0]["start"]) + counted


def _codes(mentions) -> set[str]:
    return {code for _, _, group in mentions for code in group}


def _inside(span, spans: list[tuple[int, int]]) -> bool:
    """Return True when a span lies inside one of sorted spans."""
    i = bisect.bisect_right(spans, (span[0], float("inf"))) - 1
    return i >= 0 and spans[i][0] <= span[0] and span[1] <= spans[i][1]


def _within(items: list, starts: list[int], start: int, end: int, end_of) -> list:
    """Return the items (sorted by start) that lie inside [start, end)."""
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end, lo)
    return [item for item in items[lo:hi] if end_of(item) <= end]


def extract_items(text: str, *, language: str | None = None, rules: PillarRules | None = None) -> Result:
    """Return the Result of reading a text (items with field spans, totals, targets, documents, dates)."""
    return Reader(text, language, rules).read()


def extract(text: str, *, file: str = "-", language: str | None = None, rules: PillarRules | None = None) -> dict:
    """Return the `extract --format json` object of one text (see DESIGN.md)."""
    result = extract_items(text, language=language, rules=rules)
    return {
        "file": file,
        "language": result.language,
        "commitments": [item.as_json() for item in result.items],
        "totals": result.totals,
        "targets": result.targets,
        "documents": result.documents,
        "dates": result.dates,
    }
