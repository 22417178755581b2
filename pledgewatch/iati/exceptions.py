"""Errors of the IATI app. Each is raised for one reason; the commands turn them into messages.

Messages are built with gettext so that the CLI shows them in Japanese or English.
"""

from django.utils.translation import gettext as _

from pledgewatch.exceptions import PledgewatchError


class IatiError(PledgewatchError):
    """Base class of the IATI app's errors."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None, element: str = ""):
        self.message, self.path, self.line, self.element = message, path, line, element
        super().__init__(message)

    def place(self) -> str:
        """Return "file, line N, element E" for the parts that are known."""
        parts = [self.path] if self.path else []
        if self.line:
            parts.append(_("line %(line)s") % {"line": self.line})
        if self.element:
            parts.append(_("element %(element)s") % {"element": self.element})
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message


class UnsafeXml(IatiError):
    """Raised if a file declares a DTD or entities (XXE, "billion laughs"): such files are refused unread."""


class MalformedXml(IatiError):
    """Raised if a file is not well-formed XML (truncated, wrong encoding, text node too large)."""


class NotActivityFile(IatiError):
    """Raised if a well-formed file is not an IATI activity file (another root element)."""


class UnsupportedVersion(IatiError):
    """Raised if a file declares an IATI version other than 2.01, 2.02 or 2.03 (1.0x is refused)."""


class UnknownInitiativeSlug(IatiError):
    """Raised if --initiative names no initiative."""
