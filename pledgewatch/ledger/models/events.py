"""Events, their participants, and documents."""


from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledgewatch.ledger.models.base import DocumentKind, EventKind, Localized, Qualifier, localized
from pledgewatch.ledger.models.reference import Country, Initiative, Organisation

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
