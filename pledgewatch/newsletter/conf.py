"""Newsletter settings: Django settings `NEWSLETTER_*` override the environment, which overrides defaults.

| setting | environment | default |
|---|---|---|
| NEWSLETTER_RATE_PER_SECOND | PLEDGEWATCH_MAIL_PER_SECOND | 0 (no limit) |
| NEWSLETTER_RATE_PER_HOUR | PLEDGEWATCH_MAIL_PER_HOUR | 0 (no limit) |
| NEWSLETTER_RETRY_BASE_SECONDS | PLEDGEWATCH_MAIL_RETRY_BASE | 60 |
| NEWSLETTER_RETRY_MAX_SECONDS | PLEDGEWATCH_MAIL_RETRY_MAX | 3600 |
| NEWSLETTER_DEADLINE_HOURS | PLEDGEWATCH_MAIL_DEADLINE_HOURS | 72 |
| NEWSLETTER_CLAIM_BATCH | PLEDGEWATCH_MAIL_BATCH | 50 |
| NEWSLETTER_ASYNC_COMMIT | PLEDGEWATCH_MAIL_ASYNC_COMMIT | on (PostgreSQL: synchronous_commit=off in the worker) |
| NEWSLETTER_LEASE_SECONDS | PLEDGEWATCH_MAIL_LEASE | 300 |
| NEWSLETTER_BOUNCE_DOMAIN | PLEDGEWATCH_BOUNCE_DOMAIN | domain of DEFAULT_FROM_EMAIL |
| NEWSLETTER_BOUNCE_MAILDIR | PLEDGEWATCH_BOUNCE_MAILDIR | "" (off) |
| NEWSLETTER_WEBHOOK_SECRET | PLEDGEWATCH_BOUNCE_WEBHOOK_SECRET | "" (webhook off) |
| NEWSLETTER_MASS_BLOCK_THRESHOLD | PLEDGEWATCH_MASS_BLOCK_THRESHOLD | 5 |
| NEWSLETTER_DKIM_KEY_FILE | PLEDGEWATCH_DKIM_KEY_FILE | "" (no DKIM) |
| NEWSLETTER_DKIM_SELECTOR | PLEDGEWATCH_DKIM_SELECTOR | "pledgewatch" |
| NEWSLETTER_DKIM_DOMAIN | PLEDGEWATCH_DKIM_DOMAIN | domain of DEFAULT_FROM_EMAIL |
| NEWSLETTER_AUTO_DAYS | PLEDGEWATCH_NEWSLETTER_AUTO_DAYS | 0 (no automatic issues) |
| NEWSLETTER_AUTO_INITIATIVE | PLEDGEWATCH_NEWSLETTER_AUTO_INITIATIVE | "" (all initiatives) |
| NEWSLETTER_SIGNUP_LIMITS | — | 10 per IP and 3 per address an hour |
"""

import os
from email.utils import parseaddr

from django.conf import settings

DEFAULTS = {
    "RATE_PER_SECOND": ("PLEDGEWATCH_MAIL_PER_SECOND", "0", float),
    "RATE_PER_HOUR": ("PLEDGEWATCH_MAIL_PER_HOUR", "0", int),
    "RETRY_BASE_SECONDS": ("PLEDGEWATCH_MAIL_RETRY_BASE", "60", float),
    "RETRY_MAX_SECONDS": ("PLEDGEWATCH_MAIL_RETRY_MAX", "3600", float),
    "DEADLINE_HOURS": ("PLEDGEWATCH_MAIL_DEADLINE_HOURS", "72", float),
    "CLAIM_BATCH": ("PLEDGEWATCH_MAIL_BATCH", "50", int),
    "ASYNC_COMMIT": ("PLEDGEWATCH_MAIL_ASYNC_COMMIT", "on", lambda v: v.strip().lower() in {"1", "true", "yes", "on"}),
    "LEASE_SECONDS": ("PLEDGEWATCH_MAIL_LEASE", "300", float),
    "BOUNCE_DOMAIN": ("PLEDGEWATCH_BOUNCE_DOMAIN", "", str),
    "BOUNCE_MAILDIR": ("PLEDGEWATCH_BOUNCE_MAILDIR", "", str),
    "WEBHOOK_SECRET": ("PLEDGEWATCH_BOUNCE_WEBHOOK_SECRET", "", str),
    "MASS_BLOCK_THRESHOLD": ("PLEDGEWATCH_MASS_BLOCK_THRESHOLD", "5", int),
    "DKIM_KEY_FILE": ("PLEDGEWATCH_DKIM_KEY_FILE", "", str),
    "DKIM_SELECTOR": ("PLEDGEWATCH_DKIM_SELECTOR", "pledgewatch", str),
    "DKIM_DOMAIN": ("PLEDGEWATCH_DKIM_DOMAIN", "", str),
    "AUTO_DAYS": ("PLEDGEWATCH_NEWSLETTER_AUTO_DAYS", "0", float),
    "AUTO_INITIATIVE": ("PLEDGEWATCH_NEWSLETTER_AUTO_INITIATIVE", "", str),
}

# (window seconds, max uses) per IP and per e-mail address, for sign-up and re-send forms
SIGNUP_LIMITS = {"ip": (3600, 10), "email": (3600, 3)}


def get(name: str):
    """Return the newsletter setting `name` (without the NEWSLETTER_ prefix)."""
    if hasattr(settings, f"NEWSLETTER_{name}"):
        return getattr(settings, f"NEWSLETTER_{name}")
    if name == "SIGNUP_LIMITS":
        return SIGNUP_LIMITS
    env, default, kind = DEFAULTS[name]
    value = kind(os.environ.get(env, default))
    if name in ("BOUNCE_DOMAIN", "DKIM_DOMAIN") and not value:
        value = from_domain()
    return value


def from_domain() -> str:
    """Return the domain of DEFAULT_FROM_EMAIL."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
