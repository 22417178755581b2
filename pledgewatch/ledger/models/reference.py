"""Reference data and initiatives: countries, organisations, exchange rates, initiatives, pillars, focus areas."""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledgewatch.ledger.models.base import (
    STAGE_ORDER,
    ConversionPolicy,
    Localized,
    OrgKind,
    clean_money,
    localized,
    money_fields,
)
from pledgewatch.ledger.money import Money, validate_currency

# ---------------------------------------------------------------- reference data

class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'name')}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Organisation(Localized, models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices, default=OrgKind.OTHER)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=200, blank=True, db_index=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    founded = models.PositiveSmallIntegerField(_("year founded or launched"), null=True, blank=True)
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """1 unit of `base` = `rate` units of `quote`, valid on `date` (or through `valid_to`)."""

    base = models.CharField(_("base currency"), max_length=3, validators=[validate_currency])
    quote = models.CharField(_("quote currency"), max_length=3, validators=[validate_currency])
    date = models.DateField(_("date or start of period"))
    valid_to = models.DateField(_("end of period"), null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10,
                               validators=[MinValueValidator(Decimal("0.0000000001"))])
    source = models.CharField(_("source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "quote", "-date"]
        constraints = [models.UniqueConstraint(fields=["base", "quote", "date", "source"], name="uniq_rate")]
        indexes = [models.Index(fields=["base", "quote", "date"])]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.date})"

    def clean(self):
        if self.valid_to and self.valid_to < self.date:
            raise ValidationError({"valid_to": _("The end of the period is before its start.")})
        if self.base and self.base == self.quote:
            raise ValidationError({"quote": _("Base and quote currency are the same.")})


# ---------------------------------------------------------------- initiatives

class Initiative(Localized, models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    # target money
    target_amount, target_currency, target_qualifier = money_fields()
    horizon_start = models.DateField(_("horizon start"))
    horizon_end = models.DateField(_("horizon end"))
    headline_currency = models.CharField(_("headline currency"), max_length=3, validators=[validate_currency])
    # scope rule: commitments by this provider to these recipients inside the horizon count
    scope_provider = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("scope: provider"))
    scope_countries = models.ManyToManyField(Country, blank=True, related_name="+",
                                             verbose_name=_("scope: recipient countries"))
    scope_by_rule = models.BooleanField(_("include commitments matching the scope rule"), default=False)
    count_inferred_recipients = models.BooleanField(
        _("count inferred recipients"), default=True,
        help_text=_("Off: recipient countries an import inferred (from an identifier or a location) are left "
                    "out of the scope rule and of the breakdowns by country."))
    # counting rules
    counted_stages = models.JSONField(_("stages that count"), default=list)
    conversion_policy = models.CharField(_("conversion date policy"), max_length=10,
                                         choices=ConversionPolicy.choices, default=ConversionPolicy.DATE)
    fixed_rates = models.JSONField(_("fixed rates (currency → headline)"), default=dict, blank=True)
    pace_tolerance = models.DecimalField(_("pace tolerance"), max_digits=5, decimal_places=3,
                                         default=Decimal("0.100"))
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.name

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def target(self) -> Money:
        return Money(self.target_amount, self.target_currency, self.target_qualifier)

    def clean(self):
        errors: dict = {}
        clean_money(self.target_amount, self.target_currency, self.target_qualifier, errors, "target_")
        if self.horizon_start and self.horizon_end and self.horizon_end <= self.horizon_start:
            errors["horizon_end"] = _("The horizon must end after it starts.")
        bad = [s for s in (self.counted_stages or []) if s not in STAGE_ORDER]
        if bad:
            errors["counted_stages"] = _("Unknown stages: %(stages)s") % {"stages": ", ".join(bad)}
        if errors:
            raise ValidationError(errors)


class Pillar(Localized, models.Model):
    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="pillars",
                                   verbose_name=_("initiative"))
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    keywords = models.TextField(_("keywords (one per line, ja or en)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "order"]
        constraints = [models.UniqueConstraint(fields=["initiative", "slug"], name="uniq_pillar_slug")]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self) -> str:
        return self.name


def validate_dac_sectors(value: str) -> None:
    """Refuse anything but OECD DAC 5-digit purpose codes separated by spaces."""
    bad = [code for code in value.split() if not (len(code) == 5 and code.isdigit())]
    if bad:
        raise ValidationError(_("Not a DAC 5-digit sector code: %(codes)s") % {"codes": ", ".join(bad)})


class FocusArea(Localized, models.Model):
    pillar = models.ForeignKey(Pillar, models.CASCADE, related_name="focus_areas", verbose_name=_("pillar"))
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    keywords = models.TextField(_("keywords (one per line, ja or en)"), blank=True)
    dac_sectors = models.CharField(
        _("DAC sector codes"), max_length=200, blank=True, validators=[validate_dac_sectors],
        help_text=_("OECD DAC 5-digit purpose codes, separated by spaces (written to the IATI export)."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["pillar", "order"]
        constraints = [models.UniqueConstraint(fields=["pillar", "slug"], name="uniq_focus_slug")]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name

    def sector_codes(self) -> list[str]:
        """Return the DAC sector codes in their order, without repeats."""
        return list(dict.fromkeys(self.dac_sectors.split()))
