"""Read a public record of an initiative (one CSV row per fact) and decide, row by row, what each row is.

The record (`pledgewatch/data/cajad/year-one.csv`, conventions in its SOURCES.md) mixes three things that
must not be added together; the rules below read the `note` column, never a row's id:

- a row whose note starts with "aggregate" is a **claim**: "aggregate of KEY, KEY" is a *total* of listed
  items; a note naming a target is the initiative's *target*; one without an amount is a *count* of
  documents; the others are *portfolios* or packages claimed by a government;
- "same money as KEY" is a further **document** of KEY's commitment (a JICA loan or grant agreement):
  the commitment's stage moves on, its money is not added again;
- "became the … in KEY" is an earlier stage (the announcement) of KEY's commitment, and "follow-up to KEY"
  a later one (a treaty entering into force);
- a row whose title announces the next summit is a **milestone**;
- every other row is a **deal** (a commitment): an exchange of notes, a contract, a treaty.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from pledgewatch.ledger.exceptions import BadRecordRow, RecordError
from pledgewatch.ledger.money import QUALIFIERS, is_currency

COLUMNS = ("id", "date", "stage", "country", "instrument", "public_private", "amount", "currency", "qualifier",
           "title_en", "title_ja", "pillar", "channel", "partners", "source_url", "source_publisher",
           "source_lang", "quote_figure", "note")
STAGES = ("announced", "agreed", "signed", "committed", "disbursing", "completed", "cancelled")
# the record's stage "agreed" (a cooperation document presented) is the ledger's "signed"
STAGE_OF = {"agreed": "signed"}
INSTRUMENTS = ("loan", "grant", "technical_cooperation", "investment", "guarantee", "trade", "other")
# the ledger has no "trade" instrument: a trade contract is "other", its channel says what it is
INSTRUMENT_OF = {"trade": "other"}
SECTORS = ("public", "private", "mixed")

DEAL, CLAIM, AGREEMENT, EARLIER, FOLLOW_UP, MILESTONE = (
    "deal", "claim", "agreement", "earlier", "follow_up", "milestone")

_KEY = r"[A-Z][A-Z0-9]*-[0-9A-Za-z]+"
_AGGREGATE_OF = re.compile(r"^aggregate of (?P<list>[^;]+?)(?:\s+-\s+|;|$)")
_SAME_MONEY = re.compile(rf"same money as ({_KEY})")
_BECAME = re.compile(rf"\bbecame the [\w\s-]+? in ({_KEY})")
_FOLLOW_UP = re.compile(rf"follow-up to ({_KEY})")
_COUNT = re.compile(r"(?P<n>\d[\d,]*)\s*(?:件|\+|documents?|agreements?|документ)", re.IGNORECASE)
_AT_LEAST = re.compile(r"以上|more than|over|at least|свыше|более|\+", re.IGNORECASE)
_NOTE_COUNT = re.compile(r"(?:more than|over)\s+(?P<n>\d+)\s+(?:agreements|documents)", re.IGNORECASE)
_ATTRIBUTED = re.compile(r"(?:citing|reporting)\s+(?P<who>.+?)\)?$")


@dataclass
class Row:
    """One validated row of a record file."""

    line: int
    key: str
    date: date
    stage: str
    countries: tuple[str, ...]
    instrument: str
    sector: str
    amount: Decimal | None
    currency: str
    qualifier: str
    title_en: str
    title_ja: str
    pillar: str
    channel: str
    partners: str
    url: str
    publisher: str
    language: str
    figure: str
    note: str
    kind: str = DEAL
    refers_to: tuple[str, ...] = field(default_factory=tuple)
    claim_kind: str = ""

    @property
    def ledger_stage(self) -> str:
        return STAGE_OF.get(self.stage, self.stage)

    @property
    def ledger_instrument(self) -> str:
        return INSTRUMENT_OF.get(self.instrument, self.instrument)

    def count(self) -> tuple[int | None, str]:
        """Return the number of documents or agreements the row states (figure first, then note)."""
        m = _COUNT.search(self.figure) if not self.amount else None
        if m:
            return int(m["n"].replace(",", "")), "at_least" if _AT_LEAST.search(self.figure) else "exact"
        m = _NOTE_COUNT.search(self.note)
        if m:
            return int(m["n"]), "at_least"
        return None, "exact"

    def claimed_by(self) -> str:
        """Return who states the figure, as the source attributes it ("… citing the press service of …")."""
        m = _ATTRIBUTED.search(self.publisher)
        return (m["who"] if m else self.publisher).strip()


def _amount(value: str, errors: list) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        errors.append(_("The amount “%(value)s” is not a positive decimal number.") % {"value": value})
        return None
    return number


def _validate(line: int, raw: dict, errors: list) -> Row | None:
    """Return the Row of one CSV line, adding a message to errors for each bad value."""
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if not value["id"]:
        errors.append(_("The id is empty."))
    try:
        when = date.fromisoformat(value["date"]) if len(value["date"]) == 10 else None
    except ValueError:
        when = None
    if when is None:
        errors.append(_("“%(value)s” in date is not a date (YYYY-MM-DD).") % {"value": value["date"]})
    for column, allowed in (("stage", STAGES), ("instrument", INSTRUMENTS), ("public_private", SECTORS),
                            ("qualifier", QUALIFIERS)):
        if value[column] not in allowed:
            errors.append(_("Unknown %(name)s “%(value)s”; use one of: %(choices)s.") % {
                "name": column, "value": value[column], "choices": ", ".join(allowed)})
    countries = tuple(c.strip().upper() for c in value["country"].split(";") if c.strip())
    if not countries:
        errors.append(_("Give at least one country (ISO codes separated by “;”)."))
    amount = _amount(value["amount"], errors)
    if value["qualifier"] == "undisclosed" and value["amount"]:
        errors.append(_("An undisclosed amount must be left empty."))
    if value["qualifier"] != "undisclosed" and not value["amount"]:
        errors.append(_("Give an amount, or choose the qualifier “undisclosed”."))
    if amount is not None and not is_currency(value["currency"]):
        errors.append(_("“%(value)s” is not an ISO 4217 currency.") % {"value": value["currency"]})
    if not value["source_url"].startswith(("https://", "http://")):
        errors.append(_("Every row needs the address of its source (http:// or https://)."))
    if not (value["title_en"] or value["title_ja"]):
        errors.append(_("Give a title in Japanese or English."))
    if errors:
        return None
    return Row(line=line, key=value["id"], date=when, stage=value["stage"], countries=countries,
               instrument=value["instrument"], sector=value["public_private"], amount=amount,
               currency=value["currency"] if amount is not None else "", qualifier=value["qualifier"],
               title_en=value["title_en"], title_ja=value["title_ja"], pillar=value["pillar"],
               channel=value["channel"], partners=value["partners"], url=value["source_url"],
               publisher=value["source_publisher"], language=value["source_lang"], figure=value["quote_figure"],
               note=value["note"])


def listed_keys(note: str) -> tuple[str, ...]:
    """Return the keys a total lists: "aggregate of X-015 and X-017", "aggregate of X-019, -020, -022"."""
    m = _AGGREGATE_OF.match(note)
    if not m:
        return ()
    keys: list[str] = []
    for token in re.split(r",\s*|\s+and\s+", m["list"]):
        token = token.strip()
        if re.fullmatch(_KEY, token):
            keys.append(token)
        elif keys and re.fullmatch(r"-[0-9A-Za-z]+", token):  # "-020" after "X-019": same prefix
            keys.append(keys[-1].rsplit("-", 1)[0] + token)
    return tuple(keys)


def classify(row: Row, keys: set[str]) -> None:
    """Decide what a row is from its note and title (see the module's description); set kind and refers_to."""
    note = row.note
    if note.lower().startswith("aggregate"):
        row.kind = CLAIM
        if listed := listed_keys(note):
            row.claim_kind, row.refers_to = "total", tuple(k for k in listed if k in keys)
        elif "target" in note.split(";")[1 if ";" in note else 0].lower():
            row.claim_kind = "target"
        elif row.amount is None:
            row.claim_kind = "documents"
        else:
            row.claim_kind = "portfolio"
    elif m := _SAME_MONEY.search(note):
        row.kind, row.refers_to = AGREEMENT, (m[1],)
    elif m := _BECAME.search(note):
        row.kind, row.refers_to = EARLIER, (m[1],)
    elif m := _FOLLOW_UP.search(note):
        row.kind, row.refers_to = FOLLOW_UP, (m[1],)
    elif re.search(r"\bnext\b.*\bsummit\b", row.title_en, re.IGNORECASE):
        row.kind, row.claim_kind = MILESTONE, "milestone"


def _check_references(rows: list[Row], name: str) -> list[BadRecordRow]:
    """Return a bad row for each reference to a key that is not in the file or is not a deal."""
    by_key = {r.key: r for r in rows}
    bad = []
    for row in rows:
        if row.kind in (AGREEMENT, EARLIER, FOLLOW_UP):
            target = by_key.get(row.refers_to[0])
            if target is None or target.kind != DEAL:
                bad.append(BadRecordRow(name, row.line, [_("%(key)s refers to %(ref)s, which is not a deal of "
                                                           "this file.") % {"key": row.key,
                                                                            "ref": row.refers_to[0]}]))
            elif target.amount is not None and row.amount is not None and (
                    target.currency != row.currency or target.amount != row.amount):
                bad.append(BadRecordRow(name, row.line, [_("%(key)s is the same money as %(ref)s but states a "
                                                           "different amount.") % {"key": row.key,
                                                                                   "ref": target.key}]))
        if row.kind == CLAIM and row.claim_kind == "total" and not row.refers_to:
            bad.append(BadRecordRow(name, row.line, [_("%(key)s is a total but names none of the rows of this "
                                                       "file.") % {"key": row.key}]))
        if row.kind == DEAL and row.sector == "mixed":
            bad.append(BadRecordRow(name, row.line, [_("A deal is public or private, not “mixed”.")]))
    return bad


def read(source: Path | str, *, name: str = "") -> list[Row]:
    """Read and classify every row of a record file; raise RecordError listing every bad row (with its line)."""
    if isinstance(source, Path):
        name = name or source.name
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise RecordError(_("Cannot read %(file)s: %(error)s") % {"file": name, "error": exc}) from exc
    else:
        text = source
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RecordError(_("%(file)s lacks the columns: %(columns)s.") % {"file": name,
                                                                          "columns": ", ".join(missing)})
    rows, bad, seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        errors: list[str] = []
        row = _validate(line, raw, errors)
        if row is not None and row.key in seen:
            errors.append(_("The id %(key)s is already used on line %(line)d.") % {"key": row.key,
                                                                                  "line": seen[row.key]})
        if errors:
            bad.append(BadRecordRow(name, line, errors))
            continue
        seen[row.key] = line
        rows.append(row)
    keys = {r.key for r in rows}
    for row in rows:
        classify(row, keys)
    bad += _check_references(rows, name)
    if bad:
        raise RecordError("\n".join([_("Nothing was imported: %(count)d bad rows.") % {"count": len(bad)}]
                                    + [b.describe() for b in sorted(bad, key=lambda b: b.line)]), bad)
    return rows
