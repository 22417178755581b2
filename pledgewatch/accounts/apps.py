from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pledgewatch.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.utils.translation import gettext_noop

        from pledgewatch.accounts import forms, roles, throttle
        from pledgewatch.cli.i18n import OVERVIEW

        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="pledgewatch.accounts.roles")
        user_login_failed.connect(throttle.on_login_failed, dispatch_uid="pledgewatch.accounts.failed")
        user_logged_in.connect(throttle.on_logged_in, dispatch_uid="pledgewatch.accounts.logged_in")
        admin.site.login_form = forms.ThrottledAdminLoginForm
        usage = ("user add|role|list|unlock …",
                 gettext_noop("Staff accounts and their roles (editor, reviewer, admin)"))
        if usage not in OVERVIEW:
            OVERVIEW.append(usage)
