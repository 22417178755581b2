"""Import commitments from a spreadsheet (CSV, XLSX) or a JSON export: validated, transactional, idempotent.

A row is matched to an existing commitment by `ref`, else `iati_identifier`, else `id`; a row that matches
nothing creates a commitment (with that id when it is given and free). Only changed fields are saved, so
a second import of the same file changes nothing and writes no history. Label and computed columns of an
export (`*_label`, headline money, counting) are ignored. Columns missing from the file are left as
they are. Bad rows stop the import with nothing written, or are skipped and reported (`skip_bad_rows`).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledgewatch.exports.exceptions import BadRow, ImportFailed, UnreadableFile
from pledgewatch.exports.formats import Format
from pledgewatch.exports.rows import INPUT_COLUMNS
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
    Sector,
    Stage,
    StageChange,
)
from pledgewatch.ledger.money import is_currency
from pledgewatch.totals.version import deferred_bumps

TEXT_FIELDS = ("title_ja", "title_en", "title_ru", "description_ja", "description_en", "description_ru",
               "dac_sector", "classification_reason")
MAX_INTEGER_DIGITS = 20  # the amount fields hold 24 digits, 4 of them after the point


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[BadRow] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        text = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d bad rows "
                 "skipped.") % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                                "skipped": len(self.skipped)}
        if self.dry_run:
            text += " " + _("Dry run: nothing was written.")
        return text


class RowErrors(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages


def _choice(value: str, choices, name: str, errors: list) -> str | None:
    if value in choices:
        return value
    errors.append(_("Unknown %(name)s “%(value)s”; use one of: %(choices)s.") % {
        "name": name, "value": value, "choices": ", ".join(choices)})
    return None


def _date(value: str, column: str, errors: list) -> date | None:
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(_("“%(value)s” in %(column)s is not a date (YYYY-MM-DD).") % {"value": value, "column": column})
        return None


def _amount(value: str, errors: list) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value.replace(",", "").replace("_", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.append(_("The amount “%(value)s” is not a decimal number.") % {"value": value})
        return None
    if number < 0:
        errors.append(_("The amount must not be negative."))
        return None
    _sign, digits, exponent = number.as_tuple()
    if exponent < -4:
        errors.append(_("The amount “%(value)s” has more than 4 decimal places.") % {"value": value})
        return None
    if len(digits) + exponent > MAX_INTEGER_DIGITS:
        errors.append(_("The amount “%(value)s” is too large.") % {"value": value})
        return None
    return number


class Importer:
    """Validate rows and write them to the ledger."""

    def __init__(self, *, initiative: Initiative | None = None, skip_bad_rows: bool = False,
                 dry_run: bool = False):
        self.initiative = initiative
        self.skip_bad_rows = skip_bad_rows
        self.dry_run = dry_run
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.initiatives = {i.slug: i for i in Initiative.objects.all()}
        self.pillars = list(Pillar.objects.all())
        self.focus = list(FocusArea.objects.select_related("pillar"))
        self.orgs = {o.slug: o.pk for o in Organisation.objects.all()}
        self.events = dict(Event.objects.values_list("slug", "pk"))
        self.created_with_id = False

    # -- reading and validating
    def run(self, path: Path, fmt: Format) -> ImportReport:
        """Import every row of path; raise ImportFailed (nothing written) on bad rows unless skipping."""
        report = ImportReport(dry_run=self.dry_run)
        name = Path(path).name
        with deferred_bumps(), transaction.atomic():
            seen_header = False
            for position, row in fmt.read(Path(path)):
                if not seen_header:
                    if not set(row) & set(INPUT_COLUMNS):
                        raise UnreadableFile(_("%(file)s has none of the columns of a commitment (%(columns)s).")
                                             % {"file": name, "columns": ", ".join(INPUT_COLUMNS[:5]) + ", …"})
                    seen_header = True
                try:
                    values = self.validate(row)
                    with transaction.atomic():
                        outcome = self.save(values)
                except RowErrors as exc:
                    report.skipped.append(BadRow(name, position, exc.messages, fmt.position))
                    continue
                except IntegrityError as exc:
                    report.skipped.append(BadRow(name, position, [_("Could not save: %(error)s") % {
                        "error": str(exc).splitlines()[0]}], fmt.position))
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
            if report.skipped and not self.skip_bad_rows:
                raise ImportFailed(report.skipped)
            if self.created_with_id:
                self._reset_sequence()
            if self.dry_run:
                transaction.set_rollback(True)
        return report

    def validate(self, row: dict) -> dict:
        """Return the model values of one row, or raise RowErrors with every problem found."""
        errors: list[str] = []
        row = {k: (v or "").strip() for k, v in row.items() if k}
        values: dict = {"_present": set(row)}
        if row.get("id"):
            if row["id"].isdigit():
                values["id"] = int(row["id"])
            else:
                errors.append(_("The id “%(value)s” is not a whole number.") % {"value": row["id"]})
        for key in ("ref", "iati_identifier"):
            if key in row:
                values[key] = row[key] or None
        for key in TEXT_FIELDS:
            if key in row:
                values[key] = row[key]
        for key, choices, label in (("instrument", Instrument.values, _("instrument")),
                                    ("stage", Stage.values, _("stage")), ("sector", Sector.values, _("sector")),
                                    ("qualifier", Qualifier.values, _("qualifier"))):
            if row.get(key):
                values[key] = _choice(row[key], choices, label, errors)
        for key in ("date", "stage_date"):
            if key in row:
                values[key] = _date(row[key], key, errors)
        self._money(row, values, errors)
        self._links(row, values, errors)
        if errors:
            raise RowErrors(errors)
        return values

    def _money(self, row: dict, values: dict, errors: list) -> None:
        if not ({"amount", "currency", "qualifier"} & set(row)):
            return
        amount = _amount(row.get("amount", ""), errors)
        currency = row.get("currency", "").upper()
        qualifier = values.get("qualifier") or ("undisclosed" if not row.get("amount") else "exact")
        if currency and not is_currency(currency):
            errors.append(_("“%(code)s” is not an ISO 4217 currency code.") % {"code": currency})
        if qualifier == "undisclosed" and row.get("amount"):
            errors.append(_("An undisclosed amount must be left empty."))
        elif qualifier != "undisclosed" and not row.get("amount") and "qualifier" in values:
            errors.append(_("Give an amount, or choose the qualifier “undisclosed”."))
        if amount is not None and not currency:
            errors.append(_("Give the ISO 4217 currency of the amount."))
        values.update(amount=amount, currency=currency, qualifier=qualifier)

    def _links(self, row: dict, values: dict, errors: list) -> None:
        slugs = [s.strip() for s in row.get("initiatives", "").split(";") if s.strip()]
        if self.initiative and self.initiative.slug not in slugs:
            slugs.append(self.initiative.slug)
        unknown = [s for s in slugs if s not in self.initiatives]
        for s in unknown:
            errors.append(_("Unknown initiative “%(value)s”.") % {"value": s})
        if "initiatives" in row or self.initiative:
            values["initiatives"] = [self.initiatives[s].pk for s in slugs if s in self.initiatives]
        init_pks = set(values.get("initiatives") or [])
        if "pillar" in row:
            values["pillar_id"] = None
            if row["pillar"]:
                found = [p for p in self.pillars if p.slug == row["pillar"]]
                preferred = [p for p in found if p.initiative_id in init_pks] or found
                if preferred:
                    values["pillar_id"] = preferred[0].pk
                else:
                    errors.append(_("Unknown pillar “%(value)s”.") % {"value": row["pillar"]})
        if "focus_areas" in row:
            values["focus_areas"] = []
            for slug in (s.strip() for s in row["focus_areas"].split(";") if s.strip()):
                found = [f for f in self.focus if f.slug == slug]
                preferred = ([f for f in found if f.pillar_id == values.get("pillar_id")]
                             or [f for f in found if f.pillar.initiative_id in init_pks] or found)
                if preferred:
                    values["focus_areas"].append(preferred[0].pk)
                else:
                    errors.append(_("Unknown focus area “%(value)s”.") % {"value": slug})
        for key in ("provider", "channel"):
            if key in row:
                values[f"{key}_id"] = self.orgs.get(row[key]) if row[key] else None
                if row[key] and row[key] not in self.orgs:
                    errors.append(_("Unknown organisation “%(value)s” in %(column)s.") % {
                        "value": row[key], "column": key})
        if "event" in row:
            values["event_id"] = self.events.get(row["event"]) if row["event"] else None
            if row["event"] and row["event"] not in self.events:
                errors.append(_("Unknown event “%(value)s”.") % {"value": row["event"]})
        if "recipients" in row:
            values["recipients"] = self._recipients(row["recipients"], errors)

    def _recipients(self, text: str, errors: list) -> list[tuple[str, Decimal | None]]:
        pairs = []
        for part in (p.strip() for p in text.replace(",", ";").split(";") if p.strip()):
            code, _sep, share_text = part.partition(":")
            code = code.strip().upper()
            if code not in self.countries:
                errors.append(_("Unknown country code “%(value)s”.") % {"value": code})
                continue
            share = None
            if share_text.strip():
                try:
                    share = Decimal(share_text.strip())
                except InvalidOperation:
                    share = Decimal(-1)
                if not share.is_finite() or not 0 <= share <= 100:
                    errors.append(_("The share “%(value)s” of %(country)s is not a percentage between 0 and "
                                    "100.") % {"value": share_text.strip(), "country": code})
                    continue
            pairs.append((code, share))
        return pairs

    # -- writing
    def _find(self, values: dict) -> Commitment | None:
        for key in ("ref", "iati_identifier"):
            if values.get(key):
                found = Commitment.objects.filter(**{key: values[key]}).first()
                if found:
                    return found
        if values.get("id"):
            return Commitment.objects.filter(pk=values["id"]).first()
        return None

    def save(self, values: dict) -> str:
        """Create or update one commitment; return "created", "updated" or "unchanged"."""
        existing = self._find(values)
        scalar = {k: v for k, v in values.items()
                  if k not in {"id", "_present", "initiatives", "focus_areas", "recipients"}}
        if existing is None:
            if not (values.get("title_ja") or values.get("title_en")):
                raise RowErrors([_("Give a title in Japanese or English (title_ja or title_en).")])
            if not values.get("instrument"):
                raise RowErrors([_("Give the instrument of a new commitment.")])
            obj = Commitment(**scalar)
            if values.get("id") and not Commitment.objects.filter(pk=values["id"]).exists():
                obj.pk = values["id"]
                self.created_with_id = True
            obj.save()
            self._set_links(obj, values)
            if obj.stage != Stage.ANNOUNCED or obj.stage_date:
                StageChange.objects.create(commitment=obj, stage=obj.stage,
                                           date=obj.stage_date or obj.date or timezone.localdate(), note="import")
            return "created"
        dirty = [k for k, v in scalar.items() if getattr(existing, k) != v]
        if dirty and not (scalar.get("title_ja", existing.title_ja) or scalar.get("title_en", existing.title_en)):
            raise RowErrors([_("Give a title in Japanese or English (title_ja or title_en).")])
        old_stage = existing.stage
        if dirty:
            for k in dirty:
                setattr(existing, k, scalar[k])
            existing.save()
            if existing.stage != old_stage:
                StageChange.objects.create(commitment=existing, stage=existing.stage,
                                           date=existing.stage_date or timezone.localdate(), note="import")
        links_changed = self._set_links(existing, values)
        return "updated" if dirty or links_changed else "unchanged"

    def _set_links(self, obj: Commitment, values: dict) -> bool:
        changed = False
        for key, manager in (("initiatives", obj.initiatives), ("focus_areas", obj.focus_areas)):
            if key in values and set(manager.values_list("pk", flat=True)) != set(values[key]):
                manager.set(values[key])
                changed = True
        if "recipients" in values:
            current = {(c, s) for c, s in obj.recipients.values_list("country_id", "share")}
            wanted = set(values["recipients"])
            if {(c, None if s is None else s.normalize()) for c, s in current} != {
                    (c, None if s is None else s.normalize()) for c, s in wanted}:
                obj.recipients.all().delete()
                for code, share in values["recipients"]:
                    CommitmentCountry.objects.create(commitment=obj, country_id=code, share=share)
                changed = True
        return changed

    def _reset_sequence(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), [Commitment])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
