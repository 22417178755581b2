"""Errors of the press app. Each is raised for one reason; the CLI and views turn them into messages."""

from django.utils.translation import gettext as _

from pledgewatch.exceptions import PledgewatchError


class PressError(PledgewatchError):
    """Base class of the press app's errors."""


class UnreadableInput(PressError):
    """Raised if an input file cannot be read or decoded as text."""


class EmptyInput(PressError):
    """Raised if an input holds no text once markup and blank space are removed."""


class ReviewError(PressError):
    """Raised if a review decision cannot be applied (proposal already decided, bad edit)."""


class UnsupportedLanguage(PressError):
    """Raised if a text is in a language no module reads (or an unknown code is asked for): no proposals."""

    def __init__(self, code: str | None, codes: tuple[str, ...] = ()):
        self.code = code
        self.codes = codes  # the codes of the languages read, for the message
        super().__init__(code)

    def __str__(self) -> str:
        codes = ", ".join(self.codes)
        if self.code:
            return _("the language “%(code)s” cannot be read (languages read: %(codes)s); nothing was proposed") % {
                "code": self.code, "codes": codes}
        return _("the text is in a language that cannot be read (languages read: %(codes)s); nothing was "
                 "proposed") % {"codes": codes}
