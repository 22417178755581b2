"""Shared pieces of the ledger's models: localized fields, the choices, and the money triple."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.money import QUALIFIERS, validate_currency

LANGS = ("ja", "en", "ru")


def localized(obj, field: str, language: str | None = None) -> str:
    """Return obj.<field>_<lang> for the active language, falling back to en, ja, ru."""
    lang = (language or get_language() or "ja")[:2]
    for code in (lang, "en", "ja", "ru"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class Localized:
    """Mixin giving `.name` / `.title` / `.summary` / `.description` in the active language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


# ---------------------------------------------------------------- choices

class Stage(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    SIGNED = "signed", _("signed")
    COMMITTED = "committed", _("committed")
    DISBURSING = "disbursing", _("disbursing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


STAGE_ORDER = [s.value for s in Stage]


class Instrument(models.TextChoices):
    LOAN = "loan", _("loan")
    GRANT = "grant", _("grant")
    TECHNICAL_COOPERATION = "technical_cooperation", _("technical cooperation")
    INVESTMENT = "investment", _("investment")
    GUARANTEE = "guarantee", _("guarantee")
    OTHER = "other", _("other")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROX = "approx", _("approximately")
    UP_TO = "up_to", _("up to")
    AT_LEAST = "at_least", _("at least")
    UNDISCLOSED = "undisclosed", _("undisclosed")


assert {q.value for q in Qualifier} == set(QUALIFIERS)


class Sector(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private")


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", _("government")
    AGENCY = "agency", _("agency")
    COMPANY = "company", _("company")
    MULTILATERAL = "multilateral", _("multilateral")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("other")


class ConversionPolicy(models.TextChoices):
    DATE = "date", _("rate of the commitment date")
    MONTH = "month", _("average rate of the commitment month")
    YEAR = "year", _("average rate of the commitment year")
    FIXED = "fixed", _("fixed initiative rates")


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("summit")
    MINISTERIAL = "ministerial", _("ministerial meeting")
    DINNER = "dinner", _("dinner")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other")


class DocumentKind(models.TextChoices):
    DECLARATION = "declaration", _("declaration")
    INITIATIVE = "initiative", _("initiative text")
    EXCHANGE_OF_NOTES = "exchange_of_notes", _("exchange of notes")
    LOAN_AGREEMENT = "loan_agreement", _("loan agreement")
    GRANT_AGREEMENT = "grant_agreement", _("grant agreement")
    TREATY = "treaty", _("treaty")
    CONTRACT = "contract", _("contract")
    MOU = "mou", _("memorandum of understanding")
    PRESS_RELEASE = "press_release", _("press release")
    ARTICLE = "article", _("news article")
    OTHER = "other", _("other")


class TransactionKind(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    DISBURSEMENT = "disbursement", _("disbursement")
    EXPENDITURE = "expenditure", _("expenditure")
    REPAYMENT = "repayment", _("loan repayment")
    INTEREST = "interest", _("interest payment")
    INCOMING = "incoming", _("incoming funds")
    OTHER = "other", _("other")


def money_fields(prefix: str = "", *, null: bool = True):
    """Return the three fields of a money value (amount, currency, qualifier)."""
    return (
        models.DecimalField(_("amount"), max_digits=24, decimal_places=4, null=null, blank=null),
        models.CharField(_("currency"), max_length=3, validators=[validate_currency], blank=null),
        models.CharField(_("qualifier"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT),
    )


def clean_money(amount, currency, qualifier, errors: dict, prefix: str = "") -> None:
    """Add validation errors for an inconsistent money triple."""
    if qualifier == Qualifier.UNDISCLOSED:
        if amount is not None:
            errors[f"{prefix}amount"] = _("An undisclosed amount must be left empty.")
        return
    if amount is None:
        errors[f"{prefix}amount"] = _("Give an amount, or choose the qualifier “undisclosed”.")
    elif amount < 0:
        errors[f"{prefix}amount"] = _("The amount must not be negative.")
    if not currency:
        errors[f"{prefix}currency"] = _("Give the ISO 4217 currency of the amount.")
