"""The export code as it was before the single-query row source (commit 52c6e8f): the reference that the
fast CSV writer and the row source must still equal byte for byte (tests/exports/test_export_reference.py).

Copied unchanged except for this docstring, `reference_csv` (the old `CsvFormat.stream`) and the
definitions that are still the same in `pledgewatch/exports/rows.py` (imported from there); do not
optimise it.
"""
# ruff: noqa

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, localcontext

from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone, translation

from pledgewatch.ledger.counting import Item, apply_rules
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Country,
    Event,
    FocusArea,
    Initiative,
    Instrument,
    Organisation,
    Pillar,
    Qualifier,
    RecipientBasis,
    Sector,
    Stage,
)
from pledgewatch.ledger.money import format_decimal
from pledgewatch.ledger.counting import rules_for
from pledgewatch.totals.progress import today_for_progress
from pledgewatch.ledger.queries import CommitmentFilter
from pledgewatch.ledger.rates import RateBook
from pledgewatch.exports.formats import ROWS_PER_WRITE, SPECIAL, csv_cell
# The definitions that did not change are the export module's own: the reference pins the row path only.
from pledgewatch.exports.rows import (
    CHUNK, COLUMNS, EMPTY_RATE, FIELDS, HEADLINE_PLACES, LIST_SEP, NO_RATE, OUTCOME_MEMO, Group, _date, _decimal,
    describe_rules, format_recipients, rate_book, status_labels,
)
import csv
import io


_BOOKS: dict[tuple, RateBook] = {}


class Export:
    """The filtered commitments as labelled rows, in one language, counted under one initiative's rules."""

    def __init__(self, filters: CommitmentFilter | None = None, *, language: str = "en",
                 initiative: Initiative | None = None, today: date | None = None):
        self.filters = filters or CommitmentFilter()
        self.language = language
        self.initiative = initiative or self._initiative()
        self.today = today or today_for_progress()
        self.exported_at = timezone.now().replace(microsecond=0)
        self.rules = rules_for(self.initiative) if self.initiative else None
        self._rates: dict[tuple, tuple] = {}
        self._status: dict[str, str] = {}
        self._list_cells: dict[tuple, tuple] = {}

    def _initiative(self) -> Initiative | None:
        """Return the initiative whose rules count the rows: the filtered one, else the first one."""
        from pledgewatch.ledger.exceptions import UnknownInitiative

        slugs = [s.strip() for s in self.filters.initiative.split(",") if s.strip()]
        if slugs:
            found = Initiative.objects.filter(slug=slugs[0]).first()
            if found is None:
                raise UnknownInitiative(slugs[0])
            return found
        return Initiative.objects.order_by("pk").first()

    def queryset(self):
        """Return the filtered commitments (raises FilterError for a bad filter)."""
        return self.filters.apply(Commitment.objects.all())

    # -- metadata (the XLSX "rules" sheet, the JSON header)
    def meta(self) -> dict:
        """Return the export's metadata: date, filters, initiative and counting rules."""
        with translation.override(self.language):
            return {
                "export_date": self.exported_at.isoformat(),
                "language": self.language,
                "filters": self.filters.as_params(),
                "counting_initiative": self.initiative.slug if self.initiative else None,
                "counting_rules": self.rules.as_json() if self.rules else None,
                "counting_rules_text": describe_rules(self.rules) if self.rules else "",
                "today": self.today.isoformat(),
            }

    # -- rows
    def _lookups(self) -> dict:
        lang = self.language

        def pick(ja: str, en: str, ru: str) -> str:
            return {"ja": ja, "ru": ru}.get(lang) or en or ja

        return {
            "pillar": {p.pk: (p.slug, pick(p.name_ja, p.name_en, p.name_ru)) for p in Pillar.objects.all()},
            "focus": {f.pk: (f.slug, pick(f.name_ja, f.name_en, f.name_ru)) for f in FocusArea.objects.all()},
            "org": {o.pk: (o.slug, pick(o.name_ja, o.name_en, o.name_ru)) for o in Organisation.objects.all()},
            "country": {c.code: pick(c.name_ja, c.name_en, c.name_ru) for c in Country.objects.all()},
            "event": dict(Event.objects.values_list("pk", "slug")),
            "initiative": dict(Initiative.objects.values_list("pk", "slug")),
            "instrument": {k: str(v) for k, v in Instrument.choices},
            "sector": {k: str(v) for k, v in Sector.choices},
            "stage": {k: str(v) for k, v in Stage.choices},
            "qualifier": {k: str(v) for k, v in Qualifier.choices},
            "status": status_labels(),
        }

    @staticmethod
    def _links(cursor, ids: list[int]) -> tuple[dict, dict, dict]:
        """Return recipients, focus areas and initiative links of a chunk of commitments (3 queries)."""
        recipients, focus, inits = defaultdict(list), defaultdict(list), defaultdict(list)
        id_list = ",".join(str(int(i)) for i in ids)  # integers from the database, inlined: no 2000 params
        tables = (
            (recipients, CommitmentCountry._meta.db_table, "country_id, share, basis", "country_id"),
            (focus, Commitment.focus_areas.through._meta.db_table, "focusarea_id", "focusarea_id"),
            (inits, Commitment.initiatives.through._meta.db_table, "initiative_id", "initiative_id"),
        )
        for target, table, columns, order in tables:
            cursor.execute(f"SELECT commitment_id, {columns} FROM {table} "  # noqa: S608 (no user input)
                           f"WHERE commitment_id IN ({id_list}) ORDER BY commitment_id, {order}")
            if target is recipients:
                for cid, code, share, basis in cursor.fetchall():
                    target[cid].append((code, _decimal(share), basis))
            else:
                for cid, other in cursor.fetchall():
                    target[cid].append(other)
        return recipients, focus, inits

    def rows(self) -> Iterator[list[str]]:
        """Yield one list of cell strings per commitment, in `COLUMNS` order; memory stays flat."""
        for unique, groups in self.parts():
            (i0, i1, i2, i3, i4, i5, i6, i7, i8), (stage_date, amount, day, reason, headline, rate_date) = (
                unique[:9], unique[9:])
            g_init, g_pillar, g_focus, g_class, g_who, g_recip, g_money, g_rate, g_tail = groups
            yield [i0, i1, i2, i3, i4, i5, i6, i7, i8, *g_init.cells, *g_pillar.cells, *g_focus.cells,
                   *g_class.cells, stage_date, *g_who.cells, *g_recip.cells, amount, *g_money.cells, day, reason,
                   headline, *g_rate.cells, rate_date, *g_tail.cells]

    def parts(self) -> Iterator[tuple[tuple, tuple]]:
        """Yield, per commitment, its own cells and the shared groups of cells (see LAYOUT), memory flat.

        Most cells repeat across rows (labels, rates, rules): they come as `Group`s computed once per
        distinct value, so that a writer can also encode each group once (the CSV writer does).
        """
        with translation.override(self.language):
            yield from self._parts()

    def _parts(self) -> Iterator[tuple[tuple, tuple]]:
        lk = self._lookups()
        self._tail_fixed = (self.initiative.slug if self.initiative else "",
                            describe_rules(self.rules) if self.rules else "", self.exported_at.isoformat())
        self._groups = {"pillar": {None: Group(("", ""))}, "class": {}, "who": {}, "money": {}, "rate": {},
                        "tail": {}}
        self._book = rate_book(self.rules) if self.rules else None
        self._init_pk = self.initiative.pk if self.initiative else None
        self._no_rules_tail = Group(("", "", "", *self._tail_fixed))
        qs = self.queryset().annotate(day_text=Cast("date", CharField()), stage_text=Cast("stage_date", CharField()))
        fields = [{"date": "day_text", "stage_date": "stage_text"}.get(f, f) for f in FIELDS]
        sql, params = qs.values_list(*fields).query.sql_with_params()
        # Raw cursors: a server-side cursor on PostgreSQL (flat memory), no per-value converters, dates as text.
        with localcontext() as ctx, connection.chunked_cursor() as rows_cursor, connection.cursor() as links:
            ctx.prec = 34
            rows_cursor.execute(sql, params)
            while batch := rows_cursor.fetchmany(CHUNK):
                recipients, focus, inits = self._links(links, [r[0] for r in batch])
                for row in batch:
                    pk = row[0]
                    yield self._row(row, lk, recipients.get(pk, ()), focus.get(pk, ()), inits.get(pk, ()))

    def _lists(self, lk, recipients, focus, inits) -> tuple:
        """Return the list groups (codes and labels), remembered: few distinct combinations repeat a lot."""
        key = (tuple(recipients), tuple(focus), tuple(inits))
        cells = self._list_cells.get(key)
        if cells is None:
            pairs = [lk["focus"][f] for f in focus if f in lk["focus"]]
            basis = dict(RecipientBasis.choices)
            cells = (Group((LIST_SEP.join(lk["initiative"].get(i, "") for i in inits),)),
                     Group((LIST_SEP.join(p[0] for p in pairs), LIST_SEP.join(p[1] for p in pairs))),
                     Group((format_recipients([(c, s) for c, s, _b in recipients]),
                            LIST_SEP.join(lk["country"].get(c, c) + ("" if b == "stated" else f" ({basis[b]})")
                                          for c, _s, b in recipients))))
            if len(self._list_cells) > OUTCOME_MEMO:
                self._list_cells.clear()
            self._list_cells[key] = cells
        return cells

    def _group(self, kind: str, key, make) -> "Group":
        memo = self._groups[kind]
        group = memo.get(key)
        if group is None:
            if len(memo) > OUTCOME_MEMO:
                memo.clear()
            group = memo[key] = Group(make())
        return group

    def _outcome(self, lk, item_values: dict) -> tuple:
        """Return (rate factor, rate group, rate date, tail group) of one commitment under the counting rules."""
        counted = apply_rules(Item(**item_values), self.rules, self._book)
        rate = counted.rate if counted.money_status == "converted" else None
        entry = self._rate_entry(rate)
        return (*entry[:3], self._tail(lk, entry[3], counted.status))

    def _rate_entry(self, rate) -> tuple:
        """Return (factor, rate group, rate date, source) of a rate (None: no rate)."""
        if rate is None:
            return None, self._group("rate", "", lambda: (self.rules.headline_currency, "")), None, ""
        text = format_decimal(rate.rate)
        return (rate.rate, self._group("rate", text, lambda: (self.rules.headline_currency, text)),
                rate.on.isoformat(), rate.source)

    def _tail(self, lk, source: str, status: str) -> "Group":
        return self._group("tail", (source, status), lambda: (source, status, lk["status"][status], *self._tail_fixed))

    def _explicit_outcome(self, lk, stage: str, currency: str, qualifier: str, amount, day_text: str) -> tuple:
        """Return the outcome of an explicitly linked commitment from two small memos: its status depends on
        its stage only, its rate on its currency and date only (the same rules as counting.apply_rules)."""
        status = self._status.get(stage)
        if status is None:
            status = self._status[stage] = apply_rules(Item(
                id=0, stage=stage, amount=None, currency="", qualifier="undisclosed", date=None), self.rules,
                self._book).status
        entry = NO_RATE
        if amount is not None and qualifier != "undisclosed":
            entry = self._rates.get((currency, day_text))
            if entry is None:
                if len(self._rates) > OUTCOME_MEMO:
                    self._rates.clear()
                entry = self._rates[(currency, day_text)] = self._rate_entry(self._book.get(
                    currency, self.rules.headline_currency, _date(day_text or None)))
        if entry is NO_RATE:
            entry = self._rate_entry(None)
        return (*entry[:3], self._tail(lk, entry[3], status))

    def _row(self, r, lk, recipients, focus, inits) -> tuple[tuple, tuple]:
        (pk, ref, iati, t_ja, t_en, t_ru, d_ja, d_en, d_ru, pillar_id, instrument, sector, dac, stage,
         stage_text, provider_id, channel_id, event_id, raw_amount, currency, qualifier, day_text, reason) = r
        amount = raw_amount if raw_amount is None or type(raw_amount) is Decimal else _decimal(raw_amount)
        day_text = day_text or ""
        g_init, g_focus, g_recip = self._lists(lk, recipients, focus, inits)
        g_pillar = self._groups["pillar"].get(pillar_id) or self._group(
            "pillar", pillar_id, lambda: lk["pillar"].get(pillar_id, ("", "")))
        g_class = self._groups["class"].get((instrument, sector, dac, stage)) or self._group(
            "class", (instrument, sector, dac, stage), lambda: (
                instrument, lk["instrument"].get(instrument, instrument), sector, lk["sector"].get(sector, sector),
                dac, stage, lk["stage"].get(stage, stage)))
        g_who = self._groups["who"].get((provider_id, channel_id, event_id)) or self._group(
            "who", (provider_id, channel_id, event_id), lambda: (
                *lk["org"].get(provider_id, ("", "")), *lk["org"].get(channel_id, ("", "")),
                lk["event"].get(event_id, "")))
        g_money = self._groups["money"].get((currency, qualifier)) or self._group(
            "money", (currency, qualifier), lambda: (currency, qualifier, lk["qualifier"].get(qualifier, qualifier)))
        if self.rules is None:
            headline, rate_date, g_rate, g_tail = "", "", EMPTY_RATE, self._no_rules_tail
        else:
            same = currency == self.rules.headline_currency  # no conversion: the outcome does not depend on the date
            if self._init_pk in inits:
                outcome = self._explicit_outcome(lk, stage, currency, qualifier, amount, day_text)
            else:  # counted by the scope rule: recipients, provider and date matter
                outcome = self._outcome(lk, {
                    "id": pk, "stage": stage, "amount": amount, "currency": currency, "qualifier": qualifier,
                    "date": _date(day_text or None), "instrument": instrument, "sector": sector,
                    "pillar_id": pillar_id, "provider_id": provider_id,
                    "countries": tuple((c, s) for c, s, b in recipients
                                       if self.rules.inferred_recipients or b == "stated"),
                    "explicit": False})
            factor, g_rate, rate_date, g_tail = outcome
            if rate_date is None:
                rate_date = ""
            elif same:
                rate_date = day_text  # the identity rate is "of" the row's date
            headline = "" if factor is None else format_decimal((amount * factor).quantize(HEADLINE_PLACES))
        amount_text = "" if amount is None else (str(raw_amount) if type(raw_amount) is int else
                                                 format_decimal(amount))
        return ((str(pk), ref or "", iati or "", t_ja, t_en, t_ru, d_ja, d_en, d_ru, stage_text or "", amount_text,
                 day_text, reason, headline, rate_date),
                (g_init, g_pillar, g_focus, g_class, g_who, g_recip, g_money, g_rate, g_tail))


def csv_group(group) -> str:
    group.csv = ",".join(csv_cell(v) for v in group.cells)
    return group.csv


def reference_csv(export) -> Iterator[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(COLUMNS)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    lines: list[str] = []
    cell, special = csv_cell, SPECIAL.search
    for unique, groups in export.parts():
        i0, i1, i2, i3, i4, i5, i6, i7, i8, stage_date, amount, day, reason, headline, rate_date = unique
        g_init, g_pillar, g_focus, g_class, g_who, g_recip, g_money, g_rate, g_tail = groups
        text = (i1, i2, i3, i4, i5, i6, i7, i8)
        if special("\0".join((*text, reason))):  # some text needs quotes or the formula defence
            text, reason = [cell(v) for v in text], cell(reason)
        # Numbers and ISO dates need neither quotes nor the formula defence; shared groups are encoded once.
        lines.append(",".join((
            i0, *text, g_init.csv or csv_group(g_init), g_pillar.csv or csv_group(g_pillar),
            g_focus.csv or csv_group(g_focus), g_class.csv or csv_group(g_class), stage_date,
            g_who.csv or csv_group(g_who), g_recip.csv or csv_group(g_recip), amount,
            g_money.csv or csv_group(g_money), day, reason, headline, g_rate.csv or csv_group(g_rate),
            rate_date, g_tail.csv or csv_group(g_tail))))
        if len(lines) >= ROWS_PER_WRITE:
            lines.append("")
            yield "\r\n".join(lines).encode("utf-8")
            lines = []
    if lines:
        lines.append("")
        yield "\r\n".join(lines).encode("utf-8")
