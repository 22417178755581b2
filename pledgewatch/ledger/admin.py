"""Staff data entry and review: every ledger record, with its change history (django-simple-history)."""

from decimal import Decimal

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pledgewatch.ledger import models as m
from pledgewatch.ledger.dedupe import merge

admin.site.site_header = _("pledgewatch staff")
admin.site.site_title = _("pledgewatch")
admin.site.index_title = _("Ledger administration")


class SharesFormSet(BaseInlineFormSet):
    """Recipient shares, when given, must be given for every country and sum to 100."""

    def clean(self):
        super().clean()
        shares = [f.cleaned_data.get("share") for f in self.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        given = [s for s in shares if s is not None]
        if given and len(given) != len(shares):
            raise ValidationError(_("Give a share for every recipient country, or for none (equal split)."))
        if given and sum(given) != Decimal(100):
            raise ValidationError(_("The shares of the recipient countries must sum to 100 (now %(sum)s).")
                                  % {"sum": sum(given)})


class RecipientInline(admin.TabularInline):
    model = m.CommitmentCountry
    formset = SharesFormSet
    extra = 1
    autocomplete_fields = ["country"]


class StageChangeInline(admin.TabularInline):
    model = m.StageChange
    extra = 0


class TransactionInline(admin.TabularInline):
    model = m.Transaction
    extra = 0


class SourceInline(GenericTabularInline):
    model = m.Source
    extra = 0
    fields = ["field", "text", "document", "url", "quote", "start", "end", "seen_on", "note"]
    raw_id_fields = ["text", "document"]


@admin.register(m.Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "iso3", "name_ja", "name_en", "name_ru"]
    search_fields = ["code", "iso3", "name_ja", "name_en", "name_ru"]


@admin.register(m.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_ja", "name_en", "kind", "country", "iati_ref"]
    list_filter = ["kind"]
    search_fields = ["slug", "name_ja", "name_en", "iati_ref"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SourceInline]


class PillarInline(admin.TabularInline):
    model = m.Pillar
    extra = 0
    fields = ["order", "slug", "name_ja", "name_en", "name_ru"]


@admin.register(m.Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_ja", "name_en", "target_amount", "target_currency", "horizon_start", "horizon_end"]
    filter_horizontal = ["scope_countries"]
    inlines = [PillarInline, SourceInline]
    fieldsets = [
        (None, {"fields": ["slug", "name_ja", "name_en", "name_ru", "summary_ja", "summary_en", "summary_ru"]}),
        (_("Target"), {"fields": ["target_amount", "target_currency", "target_qualifier", "horizon_start",
                                  "horizon_end", "headline_currency"]}),
        (_("Scope"), {"fields": ["scope_by_rule", "scope_provider", "scope_countries", "count_inferred_recipients"]}),
        (_("Counting rules"), {"fields": ["counted_stages", "conversion_policy", "fixed_rates", "pace_tolerance"]}),
    ]


class FocusAreaInline(admin.TabularInline):
    model = m.FocusArea
    extra = 0


@admin.register(m.Pillar)
class PillarAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "order", "slug", "name_ja", "name_en"]
    list_filter = ["initiative"]
    inlines = [FocusAreaInline]


class ParticipantInline(admin.TabularInline):
    model = m.Participant
    extra = 0


@admin.register(m.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "kind", "name_ja", "starts_at", "place_ja"]
    list_filter = ["kind"]
    inlines = [ParticipantInline, SourceInline]
    filter_horizontal = ["initiatives"]


@admin.register(m.Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "kind", "title_ja", "title_en", "date", "represents_count"]
    list_filter = ["kind"]
    search_fields = ["title_ja", "title_en", "url"]
    filter_horizontal = ["parties", "countries", "initiatives"]
    inlines = [SourceInline]


@admin.register(m.Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title_ja", "title_en", "instrument", "stage", "amount", "currency", "qualifier", "date"]
    list_filter = ["stage", "instrument", "sector", "qualifier", "initiatives", "pillar"]
    search_fields = ["title_ja", "title_en", "iati_identifier", "ref"]
    filter_horizontal = ["initiatives", "focus_areas", "recipient_organisations", "documents"]
    autocomplete_fields = ["provider", "channel"]
    inlines = [RecipientInline, StageChangeInline, TransactionInline, SourceInline]
    fieldsets = [
        (None, {"fields": ["title_ja", "title_en", "title_ru", "description_ja", "description_en", "description_ru"]}),
        (_("Classification"), {"fields": ["initiatives", "pillar", "focus_areas", "classification_reason",
                                          "instrument", "sector", "dac_sector"]}),
        (_("Parties"), {"fields": ["provider", "recipient_organisations", "channel"]}),
        (_("Money and stage"), {"fields": ["amount", "currency", "qualifier", "date", "stage", "stage_date"]}),
        (_("Links"), {"fields": ["documents", "event", "iati_identifier", "ref"]}),
    ]


@admin.register(m.ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["base", "quote", "date", "valid_to", "rate", "source"]
    list_filter = ["base", "quote"]


@admin.register(m.SourceText)
class SourceTextAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title", "url", "language", "retrieved_on"]
    search_fields = ["title", "url", "text"]

    def get_readonly_fields(self, request, obj=None):
        # a stored text is evidence: sources quote it by offsets and it is found by its SHA-256
        return ["sha256", "text"] if obj is not None else []


@admin.register(m.Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["id", "content_type", "object_id", "field", "quote", "seen_on"]
    list_filter = ["content_type", "field"]
    raw_id_fields = ["text", "document"]


@admin.register(m.DuplicateCandidate)
class DuplicateCandidateAdmin(SimpleHistoryAdmin):
    list_display = ["id", "commitment", "other", "score", "status", "origin", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["commitment", "other"]
    actions = ["merge_into_existing", "mark_distinct"]

    @admin.action(description=_("Same deal: merge the new commitment into the existing one"),
                  permissions=["delete"])  # merging deletes the new commitment: reviewers
    def merge_into_existing(self, request, queryset):
        for candidate in queryset.filter(status="open").select_related("commitment", "other"):
            keep = candidate.other
            candidate.status = m.DuplicateCandidate.Status.MERGED
            candidate.decided_by, candidate.decided_at = request.user, timezone.now()
            candidate.save()
            merge(keep, candidate.commitment)

    @admin.action(description=_("Distinct deals: keep both"), permissions=["change"])
    def mark_distinct(self, request, queryset):
        for candidate in queryset.filter(status="open"):  # save() each, so the decision is in the history
            candidate.status = m.DuplicateCandidate.Status.DISTINCT
            candidate.decided_by, candidate.decided_at = request.user, timezone.now()
            candidate.save()


@admin.register(m.Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    """Claims: shown with who states them, never counted (targets, portfolios, counts, totals, milestones)."""

    list_display = ["key", "kind", "title_en", "claimed_by", "amount", "currency", "qualifier", "count", "date"]
    list_filter = ["kind", "initiative"]
    search_fields = ["key", "title_ja", "title_en", "claimed_by"]
    filter_horizontal = ["countries", "contains"]
    inlines = [SourceInline]
