"""One class per file format (CSV, XLSX, JSON; IATI XML registers itself), streamed writing and reading, one registry.

Writers take an `Export` (rows.py) and yield bytes, so a view can stream them and a command can write
them to a file or stdout; memory does not grow with the number of rows. Readers yield
`(position, row)` pairs where `row` maps column names to strings, for the importer.
"""

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from pledgewatch.exports.exceptions import UnknownFormat, UnreadableFile
from pledgewatch.exports.jsonstream import NotAList, records
from pledgewatch.exports.rows import COLUMNS, LIST_SEP, Export
from pledgewatch.ledger.encodings import find_non_utf8

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
FIRST = frozenset((*DANGEROUS, "'"))
ROWS_PER_WRITE = 500
NUMBER_COLUMNS = {"amount", "headline_amount", "rate"}
CONTROL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def defuse(value: str) -> str:
    """Return a cell text that spreadsheets will not run as a formula (a leading apostrophe is added).

    A text starting with = + - @ tab or CR, or with an apostrophe, gets one more apostrophe in front;
    `undefuse` removes exactly that one, so the round trip is exact.
    """
    if value and (value[0] in DANGEROUS or value[0] == "'"):
        return "'" + value
    return value


def undefuse(value: str) -> str:
    """Undo `defuse`: drop one leading apostrophe put before a formula character or an apostrophe."""
    if len(value) > 1 and value[0] == "'" and (value[1] in DANGEROUS or value[1] == "'"):
        return value[1:]
    return value


NEEDS_QUOTES = re.compile('[",\r\n]')
SPECIAL = re.compile("[\",\r\n]|(?:^|\0)[=+\\-@\t\r']")  # a quote, or a cell that starts like a formula


def csv_cell(value: str) -> str:
    """Return one CSV field as csv.writer writes it (quoted when needed), after the formula defence."""
    if value and value[0] in FIRST:
        value = "'" + value
    if NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_group(group) -> str:
    """Return (and remember) the CSV text of a group of shared cells."""
    group.csv = ",".join(csv_cell(v) for v in group.cells)
    return group.csv


class Format:
    """A file format: name, extension, media type, and streamed write/read."""

    name = ""
    extension = ""
    content_type = ""

    def stream(self, export: Export) -> Iterator[bytes]:
        raise NotImplementedError

    def refusal(self, export: Export) -> str:
        """Return why this format cannot write the export ("" when it can): asked before the first byte."""
        return ""

    def write(self, export: Export, out) -> None:
        """Write the whole export to a binary file object."""
        for chunk in self.stream(export):
            out.write(chunk)

    def read(self, path: Path) -> Iterator[tuple[int, dict]]:
        raise NotImplementedError

    position = "line"  # what the position of a row read back is called in error messages


def refuse_non_utf8(path: Path) -> None:
    """Raise UnreadableFile naming the byte and the likely encoding when a text import file is not UTF-8."""
    try:
        found = find_non_utf8(path)
    except OSError as exc:
        raise UnreadableFile(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
    if found is not None:
        raise UnreadableFile(_("%(file)s is not UTF-8 text (byte %(position)s; it looks like %(encoding)s). "
                               "Save it as UTF-8 and import it again; nothing was imported.")
                             % {"file": path, "position": found[0], "encoding": found[1]})


class CsvFormat(Format):
    """UTF-8 CSV with a byte-order mark (so Excel reads Japanese), one header row of column names."""

    name, extension, content_type = "csv", "csv", "text/csv; charset=utf-8"

    def stream(self, export: Export) -> Iterator[bytes]:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(COLUMNS)
        yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
        lines: list[str] = []
        cell, special = csv_cell, SPECIAL.search
        for unique, groups in export.parts():
            i0, i1, i2, i3, i4, i5, i6, i7, i8, stage_date, amount, day, reason, headline, rate_date = unique
            g_labels, g_who, g_money, g_rate, g_tail = groups
            text = (i1, i2, i3, i4, i5, i6, i7, i8)
            if special("\0".join((*text, reason))):  # some text needs quotes or the formula defence
                text, reason = [cell(v) for v in text], cell(reason)
            # Numbers and ISO dates need neither quotes nor the formula defence; shared groups are encoded once.
            lines.append(",".join((
                i0, *text, g_labels.csv or csv_group(g_labels), stage_date, g_who.csv or csv_group(g_who), amount,
                g_money.csv or csv_group(g_money), day, reason, headline, g_rate.csv or csv_group(g_rate),
                rate_date, g_tail.csv or csv_group(g_tail))))
            if len(lines) >= ROWS_PER_WRITE:
                lines.append("")
                yield "\r\n".join(lines).encode("utf-8")
                lines = []
        if lines:
            lines.append("")
            yield "\r\n".join(lines).encode("utf-8")

    def read(self, path: Path) -> Iterator[tuple[int, dict]]:
        refuse_non_utf8(path)
        try:
            handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UnreadableFile(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        with handle:
            reader = csv.reader(handle)
            try:
                header = [h.strip() for h in next(reader)]
            except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
                raise UnreadableFile(_("%(file)s has no header row of column names.") % {"file": path}) from exc
            start = reader.line_num + 1
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield start, dict(zip(header, (undefuse(c) for c in cells), strict=False))
                start = reader.line_num + 1


class XlsxFormat(Format):
    """Excel workbook: sheet 1 the commitments, sheet 2 the counting rules and export date."""

    name, extension = "xlsx", "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    position = "row"

    @staticmethod
    def _cell(column: str, value: str):
        if column == "id" and value:
            return int(value)
        if column in NUMBER_COLUMNS and value:
            number = Decimal(value)
            if len(number.as_tuple().digits) <= 15:  # exact in a spreadsheet's binary float
                return number
        return defuse(CONTROL.sub("", value))

    def _build(self, export: Export, path: str) -> None:
        from openpyxl import Workbook  # noqa: PLC0415 (openpyxl: ~0.15 s; only XLSX needs it)

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("commitments")
        sheet.append(COLUMNS)
        for row in export.rows():
            sheet.append([self._cell(c, v) for c, v in zip(COLUMNS, row, strict=True)])
        meta = export.meta()
        with translation.override(export.language):
            rules_sheet = workbook.create_sheet("rules")
            rules_sheet.append([_("item"), _("value")])
            rules_sheet.append([_("export date"), meta["export_date"]])
            rules_sheet.append([_("language"), meta["language"]])
            rules_sheet.append([_("filters"), defuse(json.dumps(meta["filters"], ensure_ascii=False))])
            rules_sheet.append([_("counting initiative"), meta["counting_initiative"] or ""])
            rules_sheet.append([_("counting rules"), meta["counting_rules_text"]])
            rules_sheet.append([_("counting rules (JSON)"),
                                json.dumps(meta["counting_rules"], ensure_ascii=False, sort_keys=True)])
            rules_sheet.append([_("progress date"), meta["today"]])
        workbook.save(path)

    def stream(self, export: Export) -> Iterator[bytes]:
        handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="pledgewatch-export-")
        os.close(handle)
        try:
            self._build(export, path)
            with open(path, "rb") as f:
                while chunk := f.read(1 << 16):
                    yield chunk
        finally:
            os.unlink(path)

    def read(self, path: Path) -> Iterator[tuple[int, dict]]:
        from openpyxl import load_workbook  # noqa: PLC0415 (openpyxl: ~0.15 s; only XLSX needs it)

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a bad file
            raise UnreadableFile(_("%(file)s is not an Excel workbook (.xlsx).") % {"file": path}) from exc
        try:
            sheet = workbook["commitments"] if "commitments" in workbook.sheetnames else workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            if not any(header):
                raise UnreadableFile(_("%(file)s has no header row of column names.") % {"file": path})
            for number, cells in enumerate(rows, start=2):
                values = [self._text(v) for v in cells]
                if any(v.strip() for v in values):
                    yield number, dict(zip(header, values, strict=False))
        finally:
            workbook.close()

    @staticmethod
    def _text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float):
            return format(Decimal(repr(value)).normalize(), "f")
        return undefuse(str(value))


class JsonFormat(Format):
    """JSON: a header (export date, filters, counting rules) and the commitments, one object a line."""

    name, extension, content_type = "json", "json", "application/json; charset=utf-8"
    position = "record"
    LISTS = ("initiatives", "focus_areas", "focus_areas_label", "recipients_label")

    def to_json(self, row: list[str]) -> dict:
        """Return one commitment as JSON: money as {amount, currency, qualifier}, lists as arrays."""
        data = dict(zip(COLUMNS, row, strict=True))
        out: dict = {}
        for key, value in data.items():
            if key in self.LISTS:
                out[key] = value.split(LIST_SEP) if value else []
            elif key == "recipients":
                out[key] = [{"country": p.split(":")[0], "share": p.split(":")[1] if ":" in p else None}
                            for p in value.split(LIST_SEP)] if value else []
            elif key == "amount":
                out[key] = {"amount": value or None, "currency": data["currency"] or None,
                            "qualifier": data["qualifier"]}
            elif key == "headline_amount":
                out["headline"] = {"amount": value or None, "currency": data["headline_currency"] or None,
                                   "rate": data["rate"] or None, "rate_date": data["rate_date"] or None,
                                   "rate_source": data["rate_source"] or None}
            elif key in {"currency", "qualifier", "headline_currency", "rate", "rate_date", "rate_source",
                         "counting_rules", "counting_initiative", "export_date"}:
                continue  # inside the money objects, or once in the header
            elif key == "id":
                out[key] = int(value)
            else:
                out[key] = value
        return out

    def from_json(self, obj: dict) -> dict:
        """Return the flat row of one JSON commitment (the inverse of `to_json`)."""
        row = {k: ("" if v is None else str(v)) for k, v in obj.items() if not isinstance(v, dict | list)}
        for key in self.LISTS:
            if isinstance(obj.get(key), list):
                row[key] = LIST_SEP.join(str(v) for v in obj[key])
        if isinstance(obj.get("recipients"), list):
            row["recipients"] = LIST_SEP.join(
                str(r.get("country", "")) + (f":{r['share']}" if r.get("share") not in (None, "") else "")
                for r in obj["recipients"] if isinstance(r, dict))
        money = obj.get("amount")
        if isinstance(money, dict):
            row["amount"] = "" if money.get("amount") is None else str(money["amount"])
            row["currency"] = money.get("currency") or ""
            row["qualifier"] = money.get("qualifier") or ""
        return row

    def stream(self, export: Export) -> Iterator[bytes]:
        header = json.dumps(export.meta(), ensure_ascii=False, indent=1)
        yield (header[:-1].rstrip() + ',\n "commitments": [\n').encode("utf-8")
        first = True
        parts: list[str] = []
        for row in export.rows():
            parts.append(("" if first else ",\n") + json.dumps(self.to_json(row), ensure_ascii=False))
            first = False
            if len(parts) >= ROWS_PER_WRITE:
                yield "".join(parts).encode("utf-8")
                parts = []
        parts.append("\n ]\n}\n")
        yield "".join(parts).encode("utf-8")

    def read(self, path: Path) -> Iterator[tuple[int, dict]]:
        refuse_non_utf8(path)
        try:
            handle = open(path, encoding="utf-8-sig")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise UnreadableFile(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        with handle:
            try:
                for number, obj in enumerate(records(handle), start=1):
                    yield number, self.from_json(obj) if isinstance(obj, dict) else {}
            except NotAList as exc:
                raise UnreadableFile(_("%(file)s has no list of commitments.") % {"file": path}) from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise UnreadableFile(_("%(file)s is not valid JSON: %(error)s") % {"file": path, "error": exc}) from exc


FORMATS: dict[str, Format] = {f.name: f for f in (CsvFormat(), XlsxFormat(), JsonFormat())}
IMPORT_FORMATS = ("csv", "xlsx", "json")


def register(fmt: Format) -> None:
    """Add a format of another app (IATI registers its XML when ready): the web and the CLI then offer it."""
    FORMATS[fmt.name] = fmt


def get_format(name: str) -> Format:
    """Return the registered format called name."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(_("Unknown format: %(name)s (choose %(choices)s)") % {
            "name": name, "choices": ", ".join(FORMATS)}) from None
