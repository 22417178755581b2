"""The ledger: initiatives, events, documents, commitments, money, rates and the sources of every figure.

Bilingual fields are `<name>_ja`, `<name>_en` and `<name>_ru`; `localized(obj, "name")` picks the
active language with fallbacks. Money is always Decimal + ISO 4217 currency + qualifier.
Every ledger model keeps a change history (django-simple-history): who, when, what changed.
"""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledgewatch.ledger.money import QUALIFIERS, Money, validate_currency

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


# ---------------------------------------------------------------- events and documents

class Event(Localized, models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    time_known = models.BooleanField(_("start time is known"), default=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place_ja = models.CharField(_("place (Japanese)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=300, blank=True)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="events")
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        return localized(self, "place")

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event ends before it starts.")})


class Participant(models.Model):
    """A person at an event, with their role; `is_chair` marks who chaired it."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="participants")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    role_ja = models.CharField(_("role (Japanese)"), max_length=300, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=300, blank=True)
    role_ru = models.CharField(_("role (Russian)"), max_length=300, blank=True)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    is_chair = models.BooleanField(_("chair or host"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return localized(self, "name")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def role(self) -> str:
        return localized(self, "role")


class Document(Localized, models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title_ja = models.CharField(_("title (Japanese)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    parties = models.ManyToManyField(Organisation, blank=True, related_name="documents", verbose_name=_("parties"))
    countries = models.ManyToManyField(Country, blank=True, related_name="documents", verbose_name=_("countries"))
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="documents",
                              verbose_name=_("event"))
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="documents")
    url = models.URLField(_("address"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # A document may stand for a number of documents whose details are not known ("150+ documents").
    represents_count = models.PositiveIntegerField(_("stands for this many documents"), null=True, blank=True)
    count_qualifier = models.CharField(_("count qualifier"), max_length=12, choices=Qualifier.choices,
                                       default=Qualifier.EXACT)
    iati_ref = models.CharField(_("IATI document link"), max_length=1000, blank=True)
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def clean(self):
        if not (self.title_ja or self.title_en):
            raise ValidationError(_("Give a title in Japanese or English."))

    @property
    def count(self) -> int:
        return self.represents_count or 1


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


# ---------------------------------------------------------------- sources

class SourceText(models.Model):
    """A text a figure was read from (article, press release, IATI file), stored once by its hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    retrieved_on = models.DateField(_("date seen"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    # text before this offset is page furniture (a site notice, a menu), not part of the text; no source cites it
    body_start = models.PositiveIntegerField(_("text proper starts at"), default=0)
    document = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="texts")
    # The text itself never changes (it is stored by its hash and quoted by offsets), so the history
    # keeps the metadata only, not a copy of every text.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        verbose_name = _("source text")
        verbose_name_plural = _("source texts")

    def __str__(self) -> str:
        return self.title or self.url or self.sha256[:12]


class Source(models.Model):
    """Where a figure comes from: a quoted span (with offsets) of a text, a document or an address.

    `field` says which part of the record it supports: "" (the record), "amount", "stage", "title", …
    """

    content_type = models.ForeignKey(ContentType, models.CASCADE, db_index=False)  # see Meta.indexes
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("supports"), max_length=40, blank=True)
    text = models.ForeignKey(SourceText, models.PROTECT, null=True, blank=True, related_name="sources")
    document = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="cited_by")
    url = models.URLField(_("address"), max_length=1000, blank=True)
    quote = models.TextField(_("quoted span"), blank=True)
    start = models.PositiveIntegerField(_("start offset"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end offset"), null=True, blank=True)
    seen_on = models.DateField(_("date seen"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # a source without stored text: who published it, in which language, and the figure as printed there
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    figure = models.CharField(_("figure as printed"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "field", "start", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return (self.quote[:60] + "…") if len(self.quote) > 60 else (self.quote or self.url or f"#{self.pk}")

    def clean(self):
        if not (self.text_id or self.document_id or self.url):
            raise ValidationError(_("A source needs a text, a document or an address."))
        if self.text_id and self.start is not None and self.end is not None:
            if self.end <= self.start or self.end > len(self.text.text):
                raise ValidationError({"end": _("The offsets are outside the text.")})
            if self.quote and self.text.text[self.start:self.end] != self.quote:
                raise ValidationError({"quote": _("The quote does not match the text at these offsets.")})


class ClaimKind(models.TextChoices):
    TARGET = "target", _("target")
    PORTFOLIO = "portfolio", _("portfolio or package")
    DOCUMENTS = "documents", _("count of documents")
    TOTAL = "total", _("total of listed items")
    MILESTONE = "milestone", _("milestone")


class Claim(Localized, models.Model):
    """A figure someone states that is not a deal: a target, a portfolio, a count, a total of listed items.

    Claims are shown with who claims them and their sources, and never counted: they are not commitments,
    so no total, breakdown, export or feed of commitments can add them. `contains` lists the deals a total
    is made of, so that a page can show them side by side without adding both.
    """

    key = models.CharField(_("stable reference"), max_length=40, unique=True)
    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="claims", verbose_name=_("initiative"))
    kind = models.CharField(_("kind"), max_length=12, choices=ClaimKind.choices)
    title_ja = models.CharField(_("title (Japanese)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    stage = models.CharField(_("stage as stated"), max_length=12, choices=Stage.choices, default=Stage.ANNOUNCED)
    date = models.DateField(_("date"), null=True, blank=True)
    countries = models.ManyToManyField(Country, blank=True, related_name="claims", verbose_name=_("countries"))
    claimant = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="claims",
                                 verbose_name=_("claimed by"))
    claimed_by = models.CharField(_("claimed by, as attributed"), max_length=300, blank=True)
    amount, currency, qualifier = money_fields()
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    count_qualifier = models.CharField(_("count qualifier"), max_length=12, choices=Qualifier.choices,
                                       default=Qualifier.EXACT)
    contains = models.ManyToManyField(Commitment, blank=True, related_name="claims",
                                      verbose_name=_("deals it contains"))
    note = models.CharField(_("note"), max_length=1000, blank=True)
    sources = GenericRelation("Source")
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "kind", "date", "key"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.title or self.key

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency, self.qualifier)

    def clean(self):
        errors: dict = {}
        clean_money(self.amount, self.currency, self.qualifier, errors)
        if errors:
            raise ValidationError(errors)


class DuplicateCandidate(models.Model):
    """Two commitments that may be the same deal, waiting for a reviewer's decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged: same deal")
        DISTINCT = "distinct", _("distinct deals")

    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="duplicate_candidates",
                                   verbose_name=_("new commitment"))
    other = models.ForeignKey(Commitment, models.CASCADE, related_name="+", verbose_name=_("existing commitment"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=3)
    reasons = models.JSONField(_("reasons"), default=list)
    origin = models.CharField(_("found by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commitment", "other"], name="uniq_duplicate_pair")]
        ordering = ["status", "-created_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"#{self.commitment_id} ~ #{self.other_id} ({self.score})"
