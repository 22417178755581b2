"""Staff accounts with one role each: the domain functions behind `pledgewatch user …`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pledgewatch.accounts import roles
from pledgewatch.accounts.exceptions import AccountError


def _check_role(role: str) -> None:
    if role not in roles.ROLES:
        raise AccountError(_("Unknown role %(role)s: choose one of %(roles)s.")
                           % {"role": role, "roles": ", ".join(roles.ROLES)})


def get(username: str):
    """Return the user named so, or raise AccountError."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise AccountError(_("No account named %(name)s.") % {"name": username})
    return user


@transaction.atomic
def add(username: str, role: str, password: str, *, email: str = ""):
    """Create a staff account with this role; the password must pass Django's validators."""
    _check_role(role)
    User = get_user_model()
    if not username or User.objects.filter(username=username).exists():
        raise AccountError(_("An account named %(name)s already exists.") % {"name": username} if username
                           else _("The account name is empty."))
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(_("The password is refused: %(reasons)s") % {"reasons": " ".join(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    roles.assign(user, role)
    return user


def set_role(username: str, role: str):
    """Give an existing account exactly this role."""
    _check_role(role)
    user = get(username)
    roles.assign(user, role)
    return user


def listing() -> list[dict]:
    """Return every account with its role, active flag and last login."""
    return [{"username": u.username, "email": u.email, "role": roles.role_of(u), "active": u.is_active,
             "last_login": u.last_login}
            for u in get_user_model().objects.order_by("username").prefetch_related("groups")]
