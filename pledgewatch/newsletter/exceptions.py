"""Errors of the newsletter app. Each is raised for one reason; the CLI turns them into messages."""

from pledgewatch.exceptions import PledgewatchError


class NewsletterError(PledgewatchError):
    """Base class of the newsletter's errors."""


class UnknownMember(NewsletterError):
    """Raised if no member has the given e-mail address."""


class UnknownIssue(NewsletterError):
    """Raised if no issue has the given id."""


class ImportFormatError(NewsletterError):
    """Raised if a members CSV file is malformed; the message names the line."""


class IssueStateError(NewsletterError):
    """Raised if an issue cannot make the requested move from its current state."""


class BadToken(NewsletterError):
    """Raised if a signed link is forged, altered or expired."""


class RateLimited(NewsletterError):
    """Raised if a form was used too often from one address or for one e-mail address."""
