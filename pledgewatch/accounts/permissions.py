"""Server-side permission checks for views outside the admin (the admin checks its own)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(request, perm: str) -> None:
    """Raise PermissionDenied (403) unless the request's user holds the permission."""
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this action."))
