"""Errors of the exports app. Each is raised for one reason; commands and views turn them into messages."""

from django.utils.translation import gettext as _

from pledgewatch.exceptions import PledgewatchError


class ExportsError(PledgewatchError):
    """Base class of the errors of exports and spreadsheet imports."""


class UnknownFormat(ExportsError):
    """Raised if a file format is not one of the registered formats."""


class UnreadableFile(ExportsError):
    """Raised if an import file cannot be opened or has no usable header."""


class BadRow(ExportsError):
    """Raised if one row of an import file fails validation; says where (file and line)."""

    def __init__(self, file: str, line: int, messages: list[str], unit: str = "line"):
        self.file, self.line, self.messages, self.unit = file, line, messages, unit
        super().__init__(self.describe())

    def describe(self) -> str:
        values = {"file": self.file, "line": self.line, "message": " ".join(self.messages)}
        if self.unit == "row":
            return _("%(file)s, row %(line)d: %(message)s") % values
        if self.unit == "record":
            return _("%(file)s, record %(line)d: %(message)s") % values
        return _("%(file)s, line %(line)d: %(message)s") % values


class ImportFailed(ExportsError):
    """Raised if an import had bad rows and the user did not ask to skip them; nothing was written."""

    def __init__(self, bad_rows: list[BadRow]):
        self.bad_rows = bad_rows
        lines = [_("Nothing was imported: %(count)d bad rows.") % {"count": len(bad_rows)}]
        lines += [b.describe() for b in bad_rows]
        super().__init__("\n".join(lines))
