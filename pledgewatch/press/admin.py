from django.contrib import admin

from pledgewatch.press.models import Decision, Proposal, Submission


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ("position", "status", "data", "commitment")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "submitted_by", "submitted_at")
    inlines = [ProposalInline]
    readonly_fields = ("text", "result", "submitted_by", "submitted_at")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("proposal", "action", "reviewer", "decided_at", "commitment")
    list_filter = ("action",)
    readonly_fields = ("proposal", "action", "reviewer", "reason", "changes", "commitment", "decided_at")
