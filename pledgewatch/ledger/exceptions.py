"""Errors of the ledger app. Each is raised for one reason; the CLI turns them into messages."""

from django.utils.translation import gettext as _

from pledgewatch.exceptions import PledgewatchError


class LedgerError(PledgewatchError):
    """Base class of the ledger's errors."""


class MoneyError(LedgerError, ValueError):
    """Raised if a money value is malformed: float amount, unknown currency or qualifier."""


class UnknownInitiative(LedgerError):
    """Raised if no initiative has the given slug."""

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(f"Unknown initiative {slug!r}")


class SeedError(LedgerError):
    """Raised if the bundled seed data does not match the text it quotes."""


class BadRecordRow(LedgerError):
    """Raised (inside RecordError) if one row of a record file fails validation; says file and line."""

    def __init__(self, file: str, line: int, messages: list[str]):
        self.file, self.line, self.messages = file, line, messages
        super().__init__(self.describe())

    def describe(self) -> str:
        return _("%(file)s, line %(line)d: %(message)s") % {"file": self.file, "line": self.line,
                                                             "message": " ".join(self.messages)}


class RecordError(LedgerError):
    """Raised if a record file cannot be read or has bad rows; nothing was written."""

    def __init__(self, message: str, bad_rows: list | None = None):
        self.bad_rows = bad_rows or []
        super().__init__(message)
