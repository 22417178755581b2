"""Errors of the ledger app. Each is raised for one reason; the CLI turns them into messages."""

from pledgewatch.exceptions import PledgewatchError


class LedgerError(PledgewatchError):
    """Base class of the ledger's errors."""


class MoneyError(LedgerError, ValueError):
    """Raised if a money value is malformed: float amount, unknown currency or qualifier."""


class RateMissing(LedgerError):
    """Raised if no exchange rate is known for a pair and date under the initiative's policy."""

    def __init__(self, base: str, quote: str, on):
        self.base, self.quote, self.on = base, quote, on
        super().__init__(f"No exchange rate {base}→{quote} for {on}")


class UnknownInitiative(LedgerError):
    """Raised if no initiative has the given slug."""

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(f"Unknown initiative {slug!r}")


class SeedError(LedgerError):
    """Raised if the bundled seed data does not match the text it quotes."""
