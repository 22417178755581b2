"""Secure streaming reader of IATI activity XML (2.01–2.03).

`peek(fileobj, name)` reads the root element (version, DTD); `iter_batches` then iterparses the
`iati-activity` elements in batches, clearing each after use, so memory does not grow with file size;
each is read by `activity.read_activity` (`Raw.read`).
No network access, no DTD, no entity expansion, lxml's size limits on (huge_tree off): a file that
declares a DTD or entities is refused with `UnsafeXml` before anything is read.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from lxml import etree

from pledgewatch.iati import slim
from pledgewatch.iati.activity import MAPPING_VERSION, Activity, FileHead, read_activity
from pledgewatch.iati.exceptions import MalformedXml, NotActivityFile, UnsafeXml, UnsupportedVersion

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
SAFE = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False,
        "dtd_validation": False, "remove_comments": True, "remove_pis": True}


def peek(fileobj, name: str) -> FileHead:
    """Read the root element only; refuse DTDs, non-activity files and unsupported versions."""
    fileobj.seek(0)
    try:
        _event, root = next(etree.iterparse(fileobj, events=("start",), **SAFE))
    except StopIteration:
        raise MalformedXml(_("The file is empty."), path=name) from None
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, name) from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeXml(_("The file declares a DTD or entities; such files are refused (XXE and entity "
                          "expansion protection)."), path=name)
    tag = etree.QName(root).localname
    if tag != "iati-activities":
        raise NotActivityFile(_("The root element is <%(tag)s>, not <iati-activities>.") % {"tag": tag},
                              path=name, line=root.sourceline)
    version = (root.get("version") or "").strip()
    if version.startswith("1."):
        raise UnsupportedVersion(_("IATI version %(version)s is not supported; convert the file to 2.03 "
                                   "(versions 2.01 to 2.03 are read).") % {"version": version},
                                 path=name, line=root.sourceline)
    if version not in SUPPORTED_VERSIONS:
        raise UnsupportedVersion(_("Unknown IATI version “%(version)s”; versions 2.01 to 2.03 are read.")
                                 % {"version": version}, path=name, line=root.sourceline)
    return FileHead(version=version, root_attrs=dict(root.attrib))


def _syntax_error(exc: etree.XMLSyntaxError, name: str, element: str = "") -> MalformedXml:
    message = (exc.msg or str(exc)).strip()
    if "huge" in message.lower():
        message = _("A text node is larger than the parser allows (%(detail)s).") % {"detail": message}
    elif "encoding" in message.lower() or "utf-8" in message.lower() or "Char 0x" in message:
        message = _("The file's bytes do not match its declared encoding (%(detail)s).") % {"detail": message}
    else:
        message = _("The file is not well-formed XML (%(detail)s).") % {"detail": message}
    return MalformedXml(message, path=name, line=exc.lineno, element=element)


@dataclass
class Raw:
    """An activity as found: identifier, place, fingerprint and its XML, read fully only when needed."""

    identifier: str
    line: int
    index: int
    fingerprint: str
    xml: bytes | None
    last_updated: str | None
    elem: object = None  # the parsed element while its batch is alive (iter_batches)
    activity: Activity | None = None  # read and mapped ahead by a worker process (pipeline.py)
    plan: object = None

    def __reduce__(self):  # sent from a reader process: only the fields not at their default (slim.py)
        return slim.reduce(self)

    def read(self, head: FileHead) -> Activity:
        """Return the full Activity (lines stay those of the file)."""
        if self.activity is not None:
            return self.activity
        elem = self.elem if self.elem is not None else etree.fromstring(self.xml, RAW_PARSER)
        return read_activity(elem, self.index, head, line=self.line, fingerprint=self.fingerprint)


RAW_PARSER = etree.XMLParser(**SAFE)


def iter_batches(fileobj, name: str, head: FileHead, size: int, convert=None) -> Iterator[list]:
    """Yield the file's activities as lists of up to `size` Raw records whose elements are still parsed.

    The elements of a batch are cleared when the next batch is asked for, so `Raw.read()` works on
    them without parsing their bytes again, and memory stays bounded by the batch size.
    With `convert`, the batches hold `convert(raw)` instead, and each element is cleared right after it
    was converted (a reader process of `import iati --jobs` reads and maps each activity at once).
    """
    fileobj.seek(0)
    context = etree.iterparse(fileobj, events=("end",), tag="iati-activity", **SAFE)
    index = 0
    last = ""
    batch: list = []
    prefix = MAPPING_VERSION.encode()
    try:
        for _event, elem in context:
            index += 1
            ident_el = elem.find("iati-identifier")
            last = (ident_el.text or "").strip() if ident_el is not None else ""
            fingerprint = hashlib.sha256(prefix + etree.tostring(elem)).hexdigest()
            raw = Raw(identifier=last, line=elem.sourceline or 0, index=index, fingerprint=fingerprint,
                      xml=None, last_updated=elem.get("last-updated-datetime"), elem=elem)
            if convert is None:
                batch.append(raw)
            else:
                batch.append(convert(raw))
                raw.elem = None
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
            if len(batch) >= size:
                yield batch
                if convert is None:
                    _release(batch)
                batch = []
        if batch:
            yield batch
            if convert is None:
                _release(batch)
    except etree.XMLSyntaxError as exc:
        where = f"iati-activity[{index + 1}]" + (f" ({_('after')} {last})" if last else "")
        raise _syntax_error(exc, name, element=where) from None
    finally:
        del context


def _release(batch: list[Raw]) -> None:
    """Clear a batch's elements and drop them (and what came before them) from the tree."""
    for raw in batch:
        raw.elem.clear(keep_tail=False)
    elem = batch[-1].elem
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
    for raw in batch:
        raw.elem = None


def parse_datetime(text: str | None) -> datetime | None:
    """Return an aware datetime from an ISO text ("2014-09-10T07:15:37Z"), or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
