from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pledgewatch.cli.i18n import OVERVIEW


class AccountsConfig(AppConfig):
    name = "pledgewatch.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin  # noqa: PLC0415 (the admin imports models: only once apps are ready)

        from pledgewatch.accounts import forms, roles, throttle  # noqa: PLC0415 (they import models)

        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="pledgewatch.accounts.roles")
        user_login_failed.connect(throttle.on_login_failed, dispatch_uid="pledgewatch.accounts.failed")
        user_logged_in.connect(throttle.on_logged_in, dispatch_uid="pledgewatch.accounts.logged_in")
        admin.site.login_form = forms.ThrottledAdminLoginForm
        usage = ("user add|role|list|unlock …",
                 gettext_noop("Staff accounts and their roles (editor, reviewer, admin)"))
        if usage not in OVERVIEW:
            OVERVIEW.append(usage)
