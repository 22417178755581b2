"""Signed links (confirmation, member page, re-confirmation, unsubscribe) and VERP return addresses."""

import hashlib
import hmac
import re

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, reverse

from pledgewatch.newsletter import conf
from pledgewatch.newsletter.exceptions import BadToken

# purpose → lifetime in seconds (None: no expiry; the member page and unsubscribe links live in old e-mails)
PURPOSES = {"confirm": 7 * 86400, "reconfirm": 2 * 86400, "manage": None, "unsubscribe": None}


def make_token(purpose: str, member) -> str:
    """Return a signed token naming the member (and its address, so a changed address voids it)."""
    return signing.dumps([member.pk, member.email], salt=f"newsletter.{purpose}", compress=False)


def read_token(purpose: str, token: str) -> tuple[int, str]:
    """Return (member id, e-mail) from a token; raise BadToken if forged, altered or expired."""
    try:
        pk, email = signing.loads(token, salt=f"newsletter.{purpose}", max_age=PURPOSES[purpose])
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken(str(exc)) from exc
    return int(pk), str(email)


def _url_template(purpose: str) -> tuple[str, str]:
    path = reverse(f"newsletter:{purpose}", args=["TOKEN"])
    head, _, tail = path.partition("TOKEN")
    return head, tail


_templates: dict[tuple[str, str], tuple[str, str]] = {}


def link(purpose: str, member) -> str:
    """Return the absolute address of a member's signed link (the URL pattern is resolved once)."""
    key = (purpose, get_script_prefix())
    if key not in _templates:
        _templates[key] = _url_template(purpose)
    head, tail = _templates[key]
    return f"{settings.BASE_URL}{head}{make_token(purpose, member)}{tail}"


def _mac(delivery_id: int) -> str:
    key = hashlib.sha256(("newsletter.verp" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, str(delivery_id).encode(), hashlib.sha256).hexdigest()[:12]


def verp_address(delivery_id: int) -> str:
    """Return the per-delivery return address bounces+<id>-<hmac>@<bounce domain>."""
    return f"bounces+{delivery_id}-{_mac(delivery_id)}@{conf.get('BOUNCE_DOMAIN')}"


VERP_RE = re.compile(r"bounces\+(\d+)-([0-9a-f]{12})@", re.IGNORECASE)


def delivery_from_verp(text: str) -> int | None:
    """Return the delivery id of the first VERP address in text whose HMAC is valid, else None."""
    for match in VERP_RE.finditer(text or ""):
        pk, mac = int(match.group(1)), match.group(2).lower()
        if hmac.compare_digest(mac, _mac(pk)):
            return pk
    return None
