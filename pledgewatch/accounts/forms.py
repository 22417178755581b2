"""The admin login form, telling a locked-out user so (and until when) instead of "wrong password"."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pledgewatch.accounts import throttle


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """AdminAuthenticationForm that checks the lock-out before the password."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            until = throttle.locked_until(username, throttle.client_ip(self.request))
            if until is None and self.data.get("password"):
                try:
                    return super().clean()
                except forms.ValidationError:
                    until = throttle.locked_until(username, throttle.client_ip(self.request))
                    if until is None:
                        raise
            if until is not None:
                raise forms.ValidationError(
                    _("Too many failed logins for this account from your address. Try again after %(time)s, "
                      "or ask an administrator to unlock it.")
                    % {"time": formats.date_format(timezone.localtime(until), "Y-m-d H:i T")},
                    code="locked")
        return super().clean()
