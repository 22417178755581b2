"""The production settings, with the newsletter forms' rate limits raised: every test client comes from 127.0.0.1."""

from pledgewatch.settings import *  # noqa: F403

NEWSLETTER_SIGNUP_LIMITS = {"ip": (3600, 100_000), "email": (3600, 1_000)}
