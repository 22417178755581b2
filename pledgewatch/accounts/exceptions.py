"""Errors of the accounts app."""

from pledgewatch.exceptions import PledgewatchError


class AccountError(PledgewatchError):
    """Raised if an account cannot be created or changed as asked (unknown role, name taken, weak password)."""
