"""Errors of the accounts app."""


class AccountError(Exception):
    """Raised if an account cannot be created or changed as asked (unknown role, name taken, weak password)."""
