"""Authentication backend that refuses any login, even with the right password, while it is locked out."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from pledgewatch.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, closed to a username locked out from the client's address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and throttle.locked_until(username, throttle.client_ip(request)):
            raise PermissionDenied  # authenticate() stops here and reports a failed login
        return super().authenticate(request, username=username, password=password, **kwargs)
