"""Commitments: their recipient countries, stage changes and transactions."""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledgewatch.ledger.models.base import (
    Instrument,
    Localized,
    Qualifier,
    Sector,
    Stage,
    TransactionKind,
    clean_money,
    localized,
    money_fields,
)
from pledgewatch.ledger.models.events import Document, Event
from pledgewatch.ledger.models.reference import Country, FocusArea, Initiative, Organisation, Pillar
from pledgewatch.ledger.money import Money, validate_currency

# ---------------------------------------------------------------- commitments

class Commitment(Localized, models.Model):
    # what
    title_ja = models.CharField(_("title (Japanese)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    # classification
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="commitments",
                                         verbose_name=_("initiatives (explicit link)"))
    # pillar, date, stage and instrument are indexed by the composite indexes below and in migration 0006
    pillar = models.ForeignKey(Pillar, models.SET_NULL, null=True, blank=True, related_name="commitments",
                               verbose_name=_("pillar"), db_index=False)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="commitments",
                                         verbose_name=_("focus areas"))
    classification_reason = models.CharField(_("why this pillar"), max_length=500, blank=True)
    instrument = models.CharField(_("instrument"), max_length=24, choices=Instrument.choices)
    sector = models.CharField(_("public or private"), max_length=8, choices=Sector.choices, default=Sector.PUBLIC)
    dac_sector = models.CharField(_("DAC sector code"), max_length=5, blank=True)
    # who
    provider = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="provided",
                                 verbose_name=_("provider"))
    recipient_organisations = models.ManyToManyField(Organisation, blank=True, related_name="received",
                                                     verbose_name=_("recipient organisations"))
    channel = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="channelled",
                                verbose_name=_("channel"))
    # money
    amount, currency, qualifier = money_fields()
    date = models.DateField(_("commitment date"), null=True, blank=True)
    # stage (the history of stage changes is in StageChange)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.ANNOUNCED)
    stage_date = models.DateField(_("date of the current stage"), null=True, blank=True)
    # links
    documents = models.ManyToManyField(Document, blank=True, related_name="commitments",
                                       verbose_name=_("documents"))
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="commitments",
                              verbose_name=_("event"))
    iati_identifier = models.CharField(_("IATI identifier"), max_length=200, null=True, blank=True, unique=True)
    ref = models.SlugField(_("stable reference"), max_length=120, null=True, blank=True, unique=True,
                           help_text=_("A stable key for records loaded from bundled or external data."))
    # the row of a public record (e.g. "CAJAD-011") that this commitment is; set by `import record`
    record_key = models.CharField(_("record row"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    sources = GenericRelation("Source")
    # history rows are found by id and date; the other indexes only slowed every write (an import writes
    # one history row per commitment)
    history = HistoricalRecords(m2m_fields=[initiatives, focus_areas], no_db_index=[
        "date", "stage", "iati_identifier", "ref", "updated_at", "event", "channel", "provider", "pillar"])

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["pillar", "stage"]),
                   models.Index(fields=["date", "id"], name="commitment_date_id")]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def money(self) -> Money:
        # an amount the database cannot give (ledger/stored.py reads it as None) is shown as not disclosed
        qualifier = self.qualifier if self.amount is not None else Qualifier.UNDISCLOSED
        return Money(self.amount, self.currency, qualifier)

    def clean(self):
        errors: dict = {}
        clean_money(self.amount, self.currency, self.qualifier, errors)
        if not (self.title_ja or self.title_en):
            errors["title_en"] = _("Give a title in Japanese or English.")
        if self.pillar_id and self.pk:
            inits = set(self.initiatives.values_list("pk", flat=True))
            if inits and self.pillar.initiative_id not in inits:
                errors["pillar"] = _("The pillar belongs to an initiative this commitment is not linked to.")
        if errors:
            raise ValidationError(errors)


class RecipientBasis(models.TextChoices):
    """How a recipient country is known: stated by the source, or inferred by the import."""

    STATED = "stated", _("stated")
    IDENTIFIER = "identifier", _("inferred from an identifier")
    LOCATION = "location", _("inferred from a location")


class CommitmentCountry(models.Model):
    """A recipient country of a commitment, with its share in percent when there are several.

    `basis` says how the country is known: stated by the source (a recipient-country element, an
    article), or inferred by the IATI import from an identifier code or a location name.
    """

    # both are indexed by the unique constraint and the index below
    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="recipients", db_index=False)
    country = models.ForeignKey(Country, models.PROTECT, related_name="commitment_shares",
                                verbose_name=_("country"), db_index=False)
    share = models.DecimalField(_("share (%)"), max_digits=7, decimal_places=4, null=True, blank=True,
                                validators=[MinValueValidator(Decimal(0))],
                                help_text=_("Leave empty to split equally."))
    basis = models.CharField(_("how the country is known"), max_length=10, choices=RecipientBasis.choices,
                             default=RecipientBasis.STATED)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commitment", "country"], name="uniq_commitment_country")]
        indexes = [models.Index(fields=["country", "commitment"], name="recipient_country_commitment")]
        ordering = ["commitment", "country"]
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")

    def __str__(self) -> str:
        return f"{self.country_id} {self.share if self.share is not None else ''}"


class StageChange(models.Model):
    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "date", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.stage} {self.date}"


class Transaction(models.Model):
    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=24, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    qualifier = models.CharField(_("qualifier"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    description = models.CharField(_("description"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "date", "id"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.amount} {self.currency}"

    @property
    def money(self) -> Money:
        # an amount the database cannot give (ledger/stored.py reads it as None) is shown as not disclosed
        qualifier = self.qualifier if self.amount is not None else Qualifier.UNDISCLOSED
        return Money(self.amount, self.currency, qualifier)
