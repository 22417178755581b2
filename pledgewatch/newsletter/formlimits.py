"""How often the sign-up and not-receiving forms may be used, per IP and per address (`NEWSLETTER_SIGNUP_LIMITS`)."""

from django.utils.translation import gettext as _

from pledgewatch.accounts import limits
from pledgewatch.newsletter import conf
from pledgewatch.newsletter.exceptions import RateLimited
from pledgewatch.newsletter.models import RateHit


def check_rate(form: str, ip: str, address: str) -> None:
    """Count one use of a form; raise RateLimited when the IP or the address used it too often."""
    configured = conf.get("SIGNUP_LIMITS")
    limits.forget(RateHit, max(window for window, _n in configured.values()))
    keys = {"ip": f"{form}:ip:{ip}", "email": f"{form}:email:{(address or '').strip().lower()}"}
    checks = [({"key": key}, *configured[kind]) for kind, key in keys.items()]
    if not limits.hit_all(RateHit, checks).allowed:
        raise RateLimited(_("Too many requests. Please try again later."))
