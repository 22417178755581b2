"""Admin: login lock-outs (an administrator lifts one by deleting it)."""

from django.contrib import admin

from pledgewatch.accounts.models import LoginThrottle


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "failures", "last_failure_at", "locked_until"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "failures", "first_failure_at", "last_failure_at", "locked_until"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The staff login (/admin/login/) in the site's own layout and language, not Django admin's look (issue 17).
admin.site.login_template = "accounts/login.html"
