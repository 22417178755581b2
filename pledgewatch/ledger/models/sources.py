"""Sources of every figure: source texts, sources, claims, and possible duplicates."""


from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledgewatch.ledger.models.base import Localized, Qualifier, Stage, clean_money, money_fields
from pledgewatch.ledger.models.commitments import Commitment
from pledgewatch.ledger.models.events import Document
from pledgewatch.ledger.models.reference import Country, Initiative, Organisation
from pledgewatch.ledger.money import Money

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
