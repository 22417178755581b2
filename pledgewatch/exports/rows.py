"""The rows of an export: one flat, labelled row per commitment, streamed in chunks.

Every format (CSV, XLSX, JSON) writes the same `COLUMNS`. Codes sit next to their labels in the
chosen language; money is given in the original currency and in the initiative's headline currency
with the rate, its date and its source; every row also carries the counting status, the counting
rules and the export date (the CSV convention: those are columns, repeated on each row).
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, localcontext

from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pledgewatch.ledger.counting import Item, Rules, counting_for
from pledgewatch.ledger.exceptions import UnknownInitiative
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    ConversionPolicy,
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
from pledgewatch.ledger.queries import CommitmentFilter
from pledgewatch.ledger.rates import RateBook
from pledgewatch.totals.progress import today_for_progress
from pledgewatch.totals.version import current_version

CHUNK = 2000
OUTCOME_MEMO = 20_000  # bounded: memory stays flat whatever the export size
RATE_MEMO = 100_000  # (currency, day) pairs: about 5,000 days per currency in 14 years; a few MB at most
HEADLINE_PLACES = Decimal("0.0001")
LIST_SEP = "; "

# Columns an import reads back; the others (labels, headline money, counting) are computed on export.
INPUT_COLUMNS = [
    "id", "ref", "iati_identifier",
    "title_ja", "title_en", "title_ru", "description_ja", "description_en", "description_ru",
    "initiatives", "pillar", "focus_areas", "instrument", "sector", "dac_sector", "stage", "stage_date",
    "provider", "channel", "event", "recipients", "amount", "currency", "qualifier", "date",
    "classification_reason",
]
LABEL_COLUMNS = {
    "pillar": "pillar_label", "focus_areas": "focus_areas_label", "instrument": "instrument_label",
    "sector": "sector_label", "stage": "stage_label", "provider": "provider_label",
    "channel": "channel_label", "recipients": "recipients_label", "qualifier": "qualifier_label",
}
COMPUTED_COLUMNS = [
    "headline_amount", "headline_currency", "rate", "rate_date", "rate_source",
    "counting_status", "counting_status_label", "counting_initiative", "counting_rules", "export_date",
]
COLUMNS = [c for name in INPUT_COLUMNS for c in (name, LABEL_COLUMNS.get(name)) if c] + COMPUTED_COLUMNS

FIELDS = ("pk", "ref", "iati_identifier", "title_ja", "title_en", "title_ru", "description_ja",
          "description_en", "description_ru", "pillar_id", "instrument", "sector", "dac_sector", "stage",
          "stage_date", "provider_id", "channel_id", "event_id", "amount", "currency", "qualifier", "date",
          "classification_reason")


def status_labels() -> dict[str, str]:
    """Return the counting statuses with their labels in the active language."""
    return {"counted": _("counted"), "pipeline": _("pipeline (announced, not counted)"),
            "not_counted_stage": _("stage not counted"), "cancelled": _("cancelled, never counted"),
            "out_of_scope": _("outside the initiative's scope")}


def describe_rules(rules: Rules) -> str:
    """Return the counting rules as one sentence in the active language (a cell of every row)."""
    stages = dict(Stage.choices)
    parts = [
        _("counted stages: %(stages)s") % {"stages": ", ".join(str(stages[s]) for s in rules.counted_stages)},
        _("announced: pipeline, not counted"),
        _("cancelled: never counted"),
        _("headline currency: %(currency)s") % {"currency": rules.headline_currency},
        _("conversion: %(policy)s") % {"policy": dict(ConversionPolicy.choices)[rules.conversion_policy]},
        _("up to: counted at face value and flagged"),
        _("undisclosed: counted in numbers, not in money"),
        _("unconvertible: excluded from money and listed"),
    ]
    return "; ".join(str(p) for p in parts)


def format_recipients(pairs: list[tuple[str, Decimal | None]]) -> str:
    """Return "KZ; KG" or, when shares are given, "KZ:20; KG:80" (percent)."""
    return LIST_SEP.join(code if share is None else f"{code}:{format_decimal(share)}" for code, share in pairs)


def stated_only(recipients: tuple, recipients_key: str) -> tuple:
    """Return the recipients less those an import inferred (marked "UZ::identifier" in the key)."""
    inferred = {p.split(":")[0] for p in (recipients_key or "").split("|") if p.count(":") == 2}
    return tuple(r for r in recipients if r[0] not in inferred) if inferred else recipients


_BOOKS: dict[tuple, RateBook] = {}


def rate_book(rules: Rules) -> RateBook:
    """Return a RateBook for the rules, shared by the exports of this process until the ledger changes.

    A RateBook remembers every rate it found; rates entered in the ledger change the ledger version.
    """
    key = (rules.conversion_policy, tuple(sorted((k, str(v)) for k, v in rules.fixed_rates.items())),
           current_version())
    book = _BOOKS.get(key)
    if book is None:
        if len(_BOOKS) >= 8:
            _BOOKS.clear()
        book = _BOOKS[key] = RateBook(rules.conversion_policy, rules.fixed_rates)
    return book


def _decimal(value) -> Decimal | None:
    """Return a raw database number as Decimal (SQLite gives int or float, PostgreSQL Decimal)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(repr(value) if isinstance(value, float) else value).quantize(HEADLINE_PLACES)
    except ArithmeticError:  # ±Infinity or beyond the fields' digits, stored by SQL (ledger/stored.py): empty
        return None


def _date(value) -> date | None:
    """Return a raw database date as a date (SQLite gives text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class Export:
    """The filtered commitments as labelled rows, in one language, counted under one initiative's rules."""

    def __init__(self, filters: CommitmentFilter | None = None, *, language: str = "en",
                 initiative: Initiative | None = None, today: date | None = None):
        self.filters = filters or CommitmentFilter()
        self.language = language
        self.initiative = initiative or self._initiative()
        self.today = today or today_for_progress()
        self.exported_at = timezone.now().replace(microsecond=0)
        # the initiative's rules, with a rate book shared by this process's exports until the ledger changes
        self.counting = counting_for(self.initiative, rate_book) if self.initiative else None
        self.rules = self.counting.rules if self.counting else None
        self._rates: dict[tuple, tuple] = {}
        self._status: dict[str, str] = {}
        self._list_cells: dict[tuple, tuple] = {}

    def _initiative(self) -> Initiative | None:
        """Return the initiative whose rules count the rows: the filtered one, else the first one."""
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
            "basis": {k: str(v) for k, v in RecipientBasis.choices},
            "status": status_labels(),
        }

    @staticmethod
    def _link_columns(joined: bool) -> tuple[dict, str]:
        """Return the three link columns of a row, one text each, aggregated in the database, and the SQL to
        join after the commitment table ("" unless `joined`).

        Recipients come as "UZ:|KZ:50.0000" (code and share), focus areas and initiatives as "3|8" (ids). The
        texts are keys of the per-combination memo (`_lists`), which parses and sorts them once per distinct
        text: the order the database aggregates in does not matter. Joined (a whole-ledger export), each link
        table is aggregated once by commitment and joined; otherwise each row looks up its links (a
        correlated subquery per table, cheaper when a filter keeps few rows).
        """
        outer = Commitment._meta.db_table
        agg = "string_agg({expr}, '|')" if connection.vendor == "postgresql" else "group_concat({expr}, '|')"
        columns = {
            "recipients_key": (CommitmentCountry._meta.db_table,
                               "l.country_id || ':' || COALESCE(CAST(l.share AS TEXT), '') || CASE WHEN "
                               "l.basis = 'stated' THEN '' ELSE ':' || l.basis END"),
            "focus_key": (Commitment.focus_areas.through._meta.db_table, "CAST(l.focusarea_id AS TEXT)"),
            "initiatives_key": (Commitment.initiatives.through._meta.db_table, "CAST(l.initiative_id AS TEXT)"),
        }
        # fixed table and column names only: no user input reaches this SQL
        if not joined:
            sql = "SELECT {agg} FROM {table} l WHERE l.commitment_id = {outer}.id"
            return {name: RawSQL(sql.format(agg=agg.format(expr=expr), table=table, outer=outer), ())  # noqa: S611
                    for name, (table, expr) in columns.items()}, ""
        join = (' LEFT JOIN (SELECT l.commitment_id, {agg} AS k FROM {table} l GROUP BY l.commitment_id) "{name}"'
                ' ON "{name}".commitment_id = "{outer}"."id"')
        return ({name: RawSQL(f'"{name}".k', ()) for name in columns},  # noqa: S611
                "".join(join.format(agg=agg.format(expr=expr), table=table, name=name, outer=outer)
                        for name, (table, expr) in columns.items()))

    def rows(self) -> Iterator[list[str]]:
        """Yield one list of cell strings per commitment, in `COLUMNS` order; memory stays flat."""
        for unique, groups in self.parts():
            (i0, i1, i2, i3, i4, i5, i6, i7, i8), (stage_date, amount, day, reason, headline, rate_date) = (
                unique[:9], unique[9:])
            g_labels, g_who, g_money, g_rate, g_tail = groups
            yield [i0, i1, i2, i3, i4, i5, i6, i7, i8, *g_labels.cells, stage_date, *g_who.cells, amount,
                   *g_money.cells, day, reason, headline, *g_rate.cells, rate_date, *g_tail.cells]

    def parts(self) -> Iterator[tuple[tuple, tuple]]:
        """Yield, per commitment, its own cells and the shared groups of cells, memory flat.

        Own cells: id, ref, iati_identifier, the six titles and descriptions, stage_date, amount, date,
        classification_reason, headline_amount, rate_date. Groups, in column order: initiatives … stage_label
        (12 cells), provider … recipients_label (7), currency … qualifier_label (3), headline_currency and rate
        (2), rate_source … export_date (6). Most cells repeat across rows (labels, rates, rules): each group is
        computed once per distinct value, so that a writer can also encode it once (the CSV writer does).
        """
        with translation.override(self.language):
            yield from self._parts()

    def _parts(self) -> Iterator[tuple[tuple, tuple]]:
        self._lk = lk = self._lookups()
        self._tail_fixed = (self.initiative.slug if self.initiative else "",
                            describe_rules(self.rules) if self.rules else "", self.exported_at.isoformat())
        self._groups = {"labels": {}, "who": {}, "money": {}, "rate": {}, "tail": {}}
        self._book = self.counting.book if self.counting else None
        self._init_pk = self.initiative.pk if self.initiative else None
        self._no_rules_tail = Group(("", "", "", *self._tail_fixed))
        self._pg = connection.vendor == "postgresql"
        joined = not (self.filters.as_params().keys() - {"sort"})  # the whole ledger: join the aggregated links
        links, join = self._link_columns(joined)
        qs = self.queryset().annotate(day_text=Cast("date", CharField()), stage_text=Cast("stage_date", CharField()),
                                      **links)
        fields = [{"date": "day_text", "stage_date": "stage_text"}.get(f, f) for f in FIELDS]
        sql, params = qs.values_list(*fields, "recipients_key", "focus_key", "initiatives_key").query.sql_with_params()
        if join:
            table = f' FROM {connection.ops.quote_name(Commitment._meta.db_table)}'
            if sql.count(table) != 1:
                raise AssertionError(f"unexpected export query: {sql}")
            sql = sql.replace(table, table + join)
        with localcontext() as ctx:
            ctx.prec = 34
            row = self._row_function(lk)
            copy = self._pg and not connection.in_atomic_block
            for r in (self._copied(sql, params) if copy else self._fetched(sql, params)):
                yield row(r)

    @staticmethod
    def _fetched(sql: str, params) -> Iterator[tuple]:
        """Yield the rows of the query, fetched in batches from a raw cursor (no per-value converters)."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(CHUNK):
                yield from batch

    @staticmethod
    def _copied(sql: str, params) -> Iterator[tuple]:
        """Yield the rows of the query through COPY … TO STDOUT on a second connection (PostgreSQL).

        The database streams the rows while this process labels and writes them (with a cursor, each FETCH
        makes one side wait for the other, and a WITH HOLD cursor outside a transaction computes every row
        first); memory stays flat. The values are parsed by psycopg's loaders of the columns' types, as a
        cursor gives them. The second connection leaves the request's own free for the rates looked up while
        the rows stream; it sees committed data, so this path is taken outside transactions only.
        """
        import psycopg  # noqa: PLC0415 (psycopg: ~0.15 s; PostgreSQL only)

        raw = connection.get_new_connection(connection.get_connection_params())
        try:
            raw.autocommit = True
            query = psycopg.ClientCursor(raw).mogrify(sql, params)  # COPY takes no parameters: quoted here
            with raw.cursor() as cursor:
                cursor.execute(f"SELECT * FROM ({query}) q LIMIT 0")  # noqa: S608 (the ORM's query, quoted)
                types = [d.type_code for d in cursor.description]
                with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    copy.set_types(types)
                    yield from copy.rows()
        finally:
            raw.close()

    def _share(self, text: str) -> Decimal | None:
        """Return a recipient's share from its text in a link key, as the database value would give it."""
        if not text:
            return None
        if self._pg:
            return Decimal(text)
        try:
            return Decimal(int(text))
        except ValueError:
            return _decimal(float(text))

    def _lists(self, recipients_key, focus_key, initiatives_key) -> tuple:
        """Return (recipients, focus area ids, initiative ids) of the link keys, remembered per combination."""
        key = (recipients_key, focus_key, initiatives_key)
        found = self._list_cells.get(key)
        if found is None:
            recipients = sorted(((code, self._share(rest.partition(":")[0])) for code, _sep, rest in
                                 (p.partition(":") for p in recipients_key.split("|"))), key=lambda p: p[0]
                                ) if recipients_key else []
            focus = sorted(int(f) for f in focus_key.split("|")) if focus_key else []
            inits = sorted(int(i) for i in initiatives_key.split("|")) if initiatives_key else []
            if len(self._list_cells) > OUTCOME_MEMO:
                self._list_cells.clear()
            found = self._list_cells[key] = (tuple(recipients), focus, inits, self._init_pk in inits)
        return found

    def _labels(self, key, init_list, focus_list, recipients) -> "Group":
        """Return the group initiatives … stage_label of one combination of links and codes."""
        lk = self._lk
        _r, pillar_id, _f, instrument, sector, dac, stage = key
        pairs = [lk["focus"][f] for f in focus_list if f in lk["focus"]]
        return self._group("labels", key, lambda: (
            LIST_SEP.join(lk["initiative"].get(i, "") for i in init_list),
            *(lk["pillar"].get(pillar_id, ("", "")) if pillar_id is not None else ("", "")),
            LIST_SEP.join(p[0] for p in pairs), LIST_SEP.join(p[1] for p in pairs),
            instrument, lk["instrument"].get(instrument, instrument), sector, lk["sector"].get(sector, sector),
            dac, stage, lk["stage"].get(stage, stage)))

    def _who(self, key, recipients) -> "Group":
        """Return the group provider … recipients_label of one combination."""
        lk = self._lk
        provider_id, channel_id, event_id, recipients_key = key
        inferred = {}  # code → basis of the recipients an import inferred ("UZ::identifier")
        for part in (recipients_key or "").split("|"):
            bits = part.split(":")
            if len(bits) == 3 and bits[2]:
                inferred[bits[0]] = bits[2]
        return self._group("who", key, lambda: (
            *lk["org"].get(provider_id, ("", "")), *lk["org"].get(channel_id, ("", "")),
            lk["event"].get(event_id, ""), format_recipients(recipients),
            LIST_SEP.join(lk["country"].get(c, c) + (f" ({lk['basis'][inferred[c]]})" if c in inferred else "")
                          for c, _s in recipients)))

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
        counted = self.counting.apply(Item(**item_values))
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
            status = self._status[stage] = self.counting.apply(Item(
                id=0, stage=stage, amount=None, currency="", qualifier="undisclosed", date=None)).status
        entry = NO_RATE
        if amount is not None and qualifier != "undisclosed":
            # the same currency as the headline: the identity rate, whatever the date (the row's date is
            # written as its rate date), so one memo entry per currency instead of one per currency and day
            key = (currency, "" if currency == self.rules.headline_currency else day_text)
            entry = self._rates.get(key)
            if entry is None:
                if len(self._rates) > RATE_MEMO:
                    self._rates.clear()
                entry = self._rates[key] = self._rate_entry(self._book.get(
                    currency, self.rules.headline_currency, _date(key[1] or None)))
        if entry is NO_RATE:
            entry = self._rate_entry(None)
        return (*entry[:3], self._tail(lk, entry[3], status))

    def _row_function(self, lk):
        """Return the function that turns one database row into (own cells, groups), with the memos bound
        to local names (it runs once per row)."""
        list_cells, lists = self._list_cells, self._lists
        labels_memo, who_memo, money_memo = self._groups["labels"], self._groups["who"], self._groups["money"]
        rules = self.rules
        headline_currency = rules.headline_currency if rules else None
        outcomes: dict[tuple, tuple] = {}  # explicit rows: (stage, currency, day or "", has money) → outcome

        def row(r) -> tuple[tuple, tuple]:
            (pk, ref, iati, t_ja, t_en, t_ru, d_ja, d_en, d_ru, pillar_id, instrument, sector, dac, stage,
             stage_text, provider_id, channel_id, event_id, raw_amount, currency, qualifier, day_text, reason,
             recipients_key, focus_key, initiatives_key) = r
            amount = raw_amount if raw_amount is None or type(raw_amount) is Decimal else _decimal(raw_amount)
            day_text = day_text or ""
            recipients, focus, inits, explicit = list_cells.get(
                (recipients_key, focus_key, initiatives_key)) or lists(recipients_key, focus_key, initiatives_key)
            key = (initiatives_key, pillar_id, focus_key, instrument, sector, dac, stage)
            g_labels = labels_memo.get(key) or self._labels(key, inits, focus, recipients)
            key = (provider_id, channel_id, event_id, recipients_key)
            g_who = who_memo.get(key) or self._who(key, recipients)
            g_money = money_memo.get((currency, qualifier)) or self._group("money", (currency, qualifier), lambda: (
                currency, qualifier, lk["qualifier"].get(qualifier, qualifier)))
            amount_text = "" if amount is None else (str(raw_amount) if type(raw_amount) is int else
                                                     format_decimal(amount))
            if rules is None:
                return ((str(pk), ref or "", iati or "", t_ja, t_en, t_ru, d_ja, d_en, d_ru, stage_text or "",
                         amount_text, day_text, reason, "", ""), (g_labels, g_who, g_money, EMPTY_RATE,
                                                                  self._no_rules_tail))
            same = currency == headline_currency  # no conversion: the outcome does not depend on the date
            if explicit:
                key = (stage, currency, "" if same else day_text, amount is not None and qualifier != "undisclosed")
                outcome = outcomes.get(key)
                if outcome is None:
                    if len(outcomes) > RATE_MEMO:
                        outcomes.clear()
                    outcome = outcomes[key] = self._explicit_outcome(lk, stage, currency, qualifier, amount,
                                                                     day_text)
            else:  # counted by the scope rule: recipients, provider and date matter
                outcome = self._outcome(lk, {
                    "id": pk, "stage": stage, "amount": amount, "currency": currency, "qualifier": qualifier,
                    "date": _date(day_text or None), "instrument": instrument, "sector": sector,
                    "pillar_id": pillar_id, "provider_id": provider_id,
                    "countries": recipients if rules.inferred_recipients else stated_only(recipients, recipients_key),
                    "explicit": False})
            factor, g_rate, rate_date, g_tail = outcome
            if rate_date is None:
                rate_date = ""
            elif same:
                rate_date = day_text  # the identity rate is "of" the row's date
            # amounts have at most 4 decimal places (the column's scale; SQLite floats are rounded to it), so
            # at a rate of 1 the headline amount is the amount itself
            headline = "" if factor is None else amount_text if factor == 1 else format_decimal(
                (amount * factor).quantize(HEADLINE_PLACES))
            return ((str(pk), ref or "", iati or "", t_ja, t_en, t_ru, d_ja, d_en, d_ru, stage_text or "",
                     amount_text, day_text, reason, headline, rate_date), (g_labels, g_who, g_money, g_rate, g_tail))

        return row


class Group:
    """Cells shared by many rows (labels, rate, rules), with their CSV text computed once when asked."""

    __slots__ = ("cells", "csv")

    def __init__(self, cells: tuple):
        self.cells = cells
        self.csv: str | None = None


EMPTY_RATE = Group(("", ""))
NO_RATE = (None, None, None, "")
