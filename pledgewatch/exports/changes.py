"""Describe a commitment's history record in words, in the reader's language: "stage: signed → committed".

Values are shown as the pages show them: choice codes as their labels, amounts and dates through
`ledger.formatting`, linked records by name (an initiative, not `{'commitment': 6, 'initiative': 1}`).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from pledgewatch.ledger import formatting
from pledgewatch.ledger.models import Commitment, localized

SKIP_FIELDS = {"updated_at", "created_at"}
NONE = "—"


def _name(obj, lang: str) -> str:
    """Return a linked record's name in the reader's language (title, name, code), else its text."""
    for field in ("title", "name"):
        text = localized(obj, field, lang)
        if text:
            return text
    return str(obj)


def _related(field, value, lang: str) -> str:
    """Return linked records by name: value is a primary key or a list of m2m rows ({'commitment': 6, 'x': 1})."""
    rows = value if isinstance(value, list) else [value]
    keys = []
    for row in rows:
        if isinstance(row, dict):  # simple_history's m2m form: the through row's foreign keys
            keys.extend(v for k, v in row.items() if k != "commitment")
        elif row not in (None, ""):
            keys.append(row)
    if not keys:
        return NONE
    found = {obj.pk: obj for obj in field.related_model._default_manager.filter(pk__in=keys)}
    return ", ".join(_name(found[k], lang) if k in found else f"#{k}" for k in keys)


def value_text(field_name: str, value, record, lang: str) -> str:
    """Return one field's value as the reader reads it."""
    try:
        field = Commitment._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = None
    if field is not None and (field.many_to_many or field.many_to_one):
        return _related(field, value, lang)
    if value in (None, "", []):
        return NONE
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field_name == "amount":
        return formatting.format_amount(value, record.currency, lang)
    if isinstance(field, models.DateField) or field_name.endswith("date"):
        return formatting.format_date(value, lang)
    if isinstance(value, bool):
        yes, no, _maybe = _("yes,no,maybe").split(",")
        return yes if value else no
    return str(value)


def field_label(field_name: str) -> str:
    """Return a field's name in the reader's language (its verbose name)."""
    try:
        return str(Commitment._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


def summary_lines(record, lang: str) -> list[str]:
    """Return the commitment's stage, instrument and amount ("amount: 約213.68億円")."""
    money = {"amount": None if record.amount is None else str(record.amount), "currency": record.currency,
             "qualifier": record.qualifier}
    lines = [_("stage: %(stage)s") % {"stage": record.get_stage_display()},
             _("instrument: %(instrument)s") % {"instrument": record.get_instrument_display()}]
    if record.amount is not None:
        lines.append(f"{field_label('amount')}: {formatting.format_money(money, lang)}")
    return lines


def describe(record, lang: str) -> list[str]:
    """Return the changed fields ("stage: signed → committed"), or the commitment's summary for a new one."""
    if record.history_type == "~" and record.prev_record is not None:
        delta = record.diff_against(record.prev_record)
        lines = []
        for change in delta.changes:
            if change.field in SKIP_FIELDS:
                continue
            old = value_text(change.field, change.old, record.prev_record, lang)
            new = value_text(change.field, change.new, record, lang)
            lines.append(f"{field_label(change.field)}: {old} → {new}")
        if lines:
            return lines
    return summary_lines(record, lang)
