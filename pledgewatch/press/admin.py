from django.contrib import admin

from pledgewatch.press.models import Decision, Proposal, Submission


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ("position", "status", "data", "commitment")
    readonly_fields = fields


class AuditTrailAdmin(admin.ModelAdmin):
    """Texts are submitted and decided in the review queue (/review/); these records are its audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(AuditTrailAdmin):
    list_display = ("__str__", "language", "submitted_by", "submitted_at")
    inlines = [ProposalInline]
    readonly_fields = ("text", "result", "submitted_by", "submitted_at")


@admin.register(Decision)
class DecisionAdmin(AuditTrailAdmin):
    list_display = ("proposal", "action", "reviewer", "decided_at", "commitment")
    list_filter = ("action",)
    readonly_fields = ("proposal", "action", "reviewer", "reason", "changes", "commitment", "decided_at")
