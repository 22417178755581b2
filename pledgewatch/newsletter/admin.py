"""Staff admin: members with their deliveries, issues with preview, test-send, schedule, send, health."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.newsletter import health, issues, members, render
from pledgewatch.newsletter.exceptions import IssueStateError
from pledgewatch.newsletter.models import Bounce, Delivery, Issue, Member, StaffAlert


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("issue", "state", "attempts", "sent_at", "next_attempt_at", "smtp_code", "smtp_reply")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-queued_at",)
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class BounceInline(admin.TabularInline):
    model = Bounce
    fields = ("received_at", "kind", "status", "diagnostic", "source", "cleared")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("email", "language", "confirmed_at", "unsubscribed_at", "suppression", "created_at")
    list_filter = ("language", "suppression", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    inlines = [DeliveryInline, BounceInline]
    actions = ["reenable", "resend_latest"]

    @admin.action(description=gettext_lazy("Re-enable delivery (clear suppression and bounce score)"),
                  permissions=["change"])
    def reenable(self, request, queryset):
        for member in queryset:
            members.reactivate(member)
        self.message_user(request, _("%(n)s members re-enabled.") % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Send the latest issue again"), permissions=["change"])
    def resend_latest(self, request, queryset):
        n = sum(1 for m in queryset if not m.suppression and members.resend_latest(m) is not None)
        self.message_user(request, _("%(n)s deliveries queued.") % {"n": n}, messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "issue", "member", "state", "attempts", "sent_at", "smtp_code", "smtp_reply")
    list_filter = ("state", "issue")
    search_fields = ("member__email", "domain")
    list_select_related = ("member", "issue")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a delivery is a record of what the SMTP server answered


@admin.register(StaffAlert)
class StaffAlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "issue", "message", "resolved")
    list_filter = ("resolved",)
    list_editable = ("resolved",)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("id", "initiative", "state", "until", "scheduled_at", "queued_at", "finished_at", "links")
    list_filter = ("state",)
    fields = ("initiative", "state", "since", "until", "scheduled_at", "queued_at", "finished_at",
              "paused_reason", "automatic")
    readonly_fields = ("state", "since", "until", "queued_at", "finished_at", "paused_reason", "automatic",
                       "initiative")
    actions = ["send_now", "pause", "resume", "send_test"]

    def has_add_permission(self, request):
        return False  # issues are built from the ledger: `pledgewatch newsletter issue create`

    @admin.display(description=gettext_lazy("preview and health"))
    def links(self, obj):
        return format_html(
            '<a href="{}">ja</a> · <a href="{}">en</a> · <a href="{}">ru</a> · <a href="{}">{}</a>',
            reverse("admin:newsletter_issue_preview", args=[obj.pk, "ja"]),
            reverse("admin:newsletter_issue_preview", args=[obj.pk, "en"]),
            reverse("admin:newsletter_issue_preview", args=[obj.pk, "ru"]),
            reverse("admin:newsletter_issue_health", args=[obj.pk]), _("health"))

    def save_model(self, request, obj, form, change):
        if "scheduled_at" in form.changed_data and obj.scheduled_at:
            try:
                issues.schedule_issue(obj, obj.scheduled_at)
            except IssueStateError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def get_urls(self):
        own = [
            path("<int:pk>/preview/<str:lang>/", self.admin_site.admin_view(self.preview),
                 name="newsletter_issue_preview"),
            path("<int:pk>/health/", self.admin_site.admin_view(self.health_view), name="newsletter_issue_health"),
        ]
        return own + super().get_urls()

    def preview(self, request, pk, lang):
        if lang not in ("ja", "en", "ru"):
            raise Http404
        issue = get_object_or_404(Issue, pk=pk)
        subject, text, html = render.render_issue(issue, lang, {})
        if request.GET.get("format") == "text":
            return HttpResponse(f"{subject}\n\n{text}", content_type="text/plain; charset=utf-8")
        return HttpResponse(html)

    def health_view(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        context = {**self.admin_site.each_context(request), "issue": issue, "health": health.issue_health(issue),
                   "title": _("Delivery health of issue %(id)s") % {"id": pk}, "opts": self.model._meta}
        return TemplateResponse(request, "newsletter/admin/health.html", context)

    @admin.action(description=gettext_lazy("Send now to every eligible member"), permissions=["change"])
    def send_now(self, request, queryset):
        for issue in queryset:
            n = issues.queue_issue(issue)
            self.message_user(request, _("Issue %(id)s: %(n)s deliveries queued.") % {"id": issue.pk, "n": n})

    @admin.action(description=gettext_lazy("Pause sending"), permissions=["change"])
    def pause(self, request, queryset):
        for issue in queryset:
            issues.pause_issue(issue, _("paused by %(user)s") % {"user": request.user})

    @admin.action(description=gettext_lazy("Resume sending"), permissions=["change"])
    def resume(self, request, queryset):
        for issue in queryset.filter(state="paused"):
            issues.resume_issue(issue)

    @admin.action(description=gettext_lazy("Send a test to my address"), permissions=["change"])
    def send_test(self, request, queryset):
        if not request.user.email:
            self.message_user(request, _("Your staff account has no e-mail address."), messages.ERROR)
            return None
        for issue in queryset:
            outcome = issues.send_test(issue, request.user.email, getattr(request, "LANGUAGE_CODE", "ja"))
            level = messages.SUCCESS if outcome.accepted else messages.ERROR
            self.message_user(request, _("Test of issue %(id)s: %(code)s %(reply)s")
                              % {"id": issue.pk, "code": outcome.code, "reply": outcome.reply}, level)
        return redirect(request.get_full_path())

