"""Errors of the press app. Each is raised for one reason; the CLI and views turn them into messages."""

from pledgewatch.exceptions import PledgewatchError


class PressError(PledgewatchError):
    """Base class of the press app's errors."""


class UnreadableInput(PressError):
    """Raised if an input file cannot be read or decoded as text."""


class EmptyInput(PressError):
    """Raised if an input holds no text once markup and blank space are removed."""


class ReviewError(PressError):
    """Raised if a review decision cannot be applied (proposal already decided, bad edit)."""
