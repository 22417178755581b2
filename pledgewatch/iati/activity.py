"""One iati-activity read into plain values: the `Activity`, and `read_activity` over the element's plain tree.

`pledgewatch.iati.parser` finds the activities in a file (securely, streaming) and calls `read_activity` on each.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop
from lxml import etree

from pledgewatch.iati import slim, values
from pledgewatch.iati import tree as _tree
from pledgewatch.iati.values import Later

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# pledgewatch's extension namespace: an activity-date the exporter had to invent (the schema needs one)
# carries pledgewatch:placeholder="true" and is not read back as a date.
PW_NS = "urn:pledgewatch:iati"
PLACEHOLDER = f"{{{PW_NS}}}placeholder"
# what pledgewatch's own export adds where IATI has no field: the ledger stage (on activity-status), the
# money qualifier (on a value) and which participating-org is the commitment's provider or channel
PW_STAGE = f"{{{PW_NS}}}stage"
PW_QUALIFIER = f"{{{PW_NS}}}qualifier"
PW_ROLE = f"{{{PW_NS}}}role"
# Bump when the mapping changes so that unchanged files are mapped again.
MAPPING_VERSION = "3"


@dataclass
class Activity:
    """One iati-activity, read into plain values (codes stay codes; narratives keyed by language)."""

    identifier: str
    line: int
    index: int
    fingerprint: str
    lang: str = "en"
    last_updated: str | None = None
    hierarchy: str | None = None
    default_currency: str | None = None
    humanitarian: str | None = None
    reporting_org: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    descriptions: list = field(default_factory=list)
    participating: list = field(default_factory=list)
    other_ids: list = field(default_factory=list)
    status: str | None = None
    stage: str | None = None  # pledgewatch:stage of activity-status (pledgewatch's own export)
    dates: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    collaboration: str | None = None
    flow: str | None = None
    finance: str | None = None
    aid: list = field(default_factory=list)
    tied: str | None = None
    budgets: list = field(default_factory=list)
    transactions: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    related: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # values the ledger refuses (`check_value`): (element, line, message); the activity is not imported
    refusals: list = field(default_factory=list)
    line_offset: int = 0

    def __reduce__(self):  # sent from a reader process: only the fields not at their default (slim.py)
        return slim.reduce(self)

    def warn(self, kind: str, message: str) -> None:
        self.warnings.append((kind, message))

    def refuse(self, element: str, line: int, message) -> None:
        self.refusals.append((element, line, message))

    def date_of(self, code: str) -> date | None:
        """Return the activity date of the given type (1 planned start … 4 actual end)."""
        for d in self.dates:
            if d["type"] == code and d["iso"]:
                return date.fromisoformat(d["iso"])
        return None


@dataclass
class FileHead:
    version: str
    root_attrs: dict


# ---------------------------------------------------------------- reading one activity
# read_activity reads the activity's plain tree (pledgewatch.iati.tree): each node is a tuple
# (tag, attrib, text, children, line) with the values lxml's elem.tag, dict(elem.attrib), elem.text,
# child elements and elem.sourceline would give, built in one call instead of one lxml proxy call per
# value. The readers below take such nodes. tests/iati/golden/ holds what they give for the fixture files.

def _lang(attrib: dict, default: str) -> str:
    value = attrib.get(XML_LANG)
    return value.strip().lower()[:2] if value else default


def narratives(node: tuple | None, default: str) -> dict:
    """Return {language: text} of a node's narrative children (first text per language)."""
    result: dict = {}
    if node is None:
        return result
    for tag, attrib, text, _children, _line in node[3]:
        if tag == "narrative" and text and (text := text.strip()):
            lang = attrib.get(XML_LANG)
            lang = lang.strip().lower()[:2] if lang else default
            if lang not in result:
                result[lang] = text
    return result


def _firsts(children: list) -> dict:
    """Return {tag: first child node with that tag} (what elem.find(tag) gives, for every tag at once)."""
    return {c[0]: c for c in reversed(children)}


def _decimal(text: str | None) -> Decimal | None:
    """Return the text's number, or None when it is none (or not finite: `values.check` tells which)."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


_ISO: dict = {}


def _iso(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return _ISO[text]
    except KeyError:
        pass
    try:
        value = date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        value = None
    if len(_ISO) < 4096:  # dates repeat; a bounded memo of a pure function
        _ISO[text] = value
    return value


def _org(node: tuple, lang: str) -> dict:
    get = node[1].get
    return {"ref": (get("ref") or "").strip(), "type": get("type"), "role": get("role"),
            "activity_id": get("activity-id"), "names": narratives(node, lang)}


def read_activity(elem, index: int, head: FileHead, *, line: int | None = None,
                  fingerprint: str | None = None) -> Activity:
    """Read one iati-activity element into an Activity (warnings collected, nothing raised).

    `line` is the element's line in its file when the element was re-parsed from its own bytes.
    """
    _tag, attrib, _text, children, sourceline = _tree.tree(elem)
    get = attrib.get
    lang = _lang(attrib, "en")
    identifier = ""
    for child in children:
        if child[0] == "iati-identifier":
            identifier = (child[2] or "").strip()
            break
    if fingerprint is None:
        fingerprint = hashlib.sha256(MAPPING_VERSION.encode() + etree.tostring(elem)).hexdigest()
    offset = (line - (sourceline or 1)) if line else 0
    a = Activity(identifier=identifier, line=(sourceline or 0) + offset, index=index, fingerprint=fingerprint,
                 line_offset=offset,
                 lang=lang, last_updated=get("last-updated-datetime"), hierarchy=get("hierarchy"),
                 default_currency=(get("default-currency") or "").strip().upper() or None,
                 humanitarian=get("humanitarian"))
    readers = READERS
    for child in children:
        reader = readers.get(child[0])
        if reader is not None:
            reader(a, child, lang)
    return a


def _title(a, el, lang):
    titles = a.titles
    for k, v in narratives(el, lang).items():
        if k not in titles:
            titles[k] = v


def _description(a, el, lang):
    a.descriptions.append({"type": el[1].get("type") or "1", "texts": narratives(el, lang)})


def _reporting(a, el, lang):
    if el[1].get(PLACEHOLDER) != "true":
        a.reporting_org = _org(el, lang)


def _participating(a, el, lang):
    if el[1].get(PLACEHOLDER) != "true":
        org = _org(el, lang)
        if el[1].get(PW_ROLE):
            org["pledgewatch"] = el[1].get(PW_ROLE)
        a.participating.append(org)


def _other_id(a, el, lang):
    get = el[1].get
    owner = next((c for c in el[3] if c[0] == "owner-org"), None)
    a.other_ids.append({"ref": get("ref") or "", "type": get("type"),
                        "owner_ref": owner[1].get("ref") if owner is not None else None,
                        "owner_names": narratives(owner, lang)})


def _status(a, el, lang):
    a.status = el[1].get("code")
    a.stage = el[1].get(PW_STAGE)


def _activity_date(a, el, lang):
    get = el[1].get
    if get(PLACEHOLDER) == "true":
        return
    iso = _iso(get("iso-date"))
    texts = narratives(el, lang)
    if iso is None:
        from_text = next((_iso(t) for t in texts.values() if _iso(t)), None)
        if from_text:
            a.warn("date_from_narrative", Later(gettext_noop(
                "activity-date type %(type)s has no iso-date; the narrative date %(date)s is used"),
                {"type": get("type"), "date": from_text}))
        else:
            a.warn("date_missing", Later(gettext_noop(
                "activity-date type %(type)s has no iso-date and no date in its narrative; ignored"),
                {"type": get("type")}))
        iso = from_text
    a.dates.append({"type": get("type"), "iso": iso, "texts": texts})


def _country(a, el, lang):
    get = el[1].get
    a.countries.append({"code": (get("code") or "").strip().upper(), "percentage": get("percentage"),
                        "names": narratives(el, lang)})


def _region(a, el, lang):
    get = el[1].get
    a.regions.append({"code": get("code"), "vocabulary": get("vocabulary") or "1",
                      "percentage": get("percentage"), "names": narratives(el, lang)})


def _location(a, el, lang):
    names = narratives(next((c for c in el[3] if c[0] == "name"), None), lang)
    if names:
        a.locations.append(names)


def _sector(a, el, lang):
    get = el[1].get
    a.sectors.append({"code": (get("code") or "").strip(), "vocabulary": get("vocabulary") or "1",
                      "percentage": get("percentage"), "names": narratives(el, lang)})


def _code_setter(attr):
    def setter(a, el, lang):
        setattr(a, attr, el[1].get("code"))
    return setter


def _aid(a, el, lang):
    get = el[1].get
    a.aid.append({"code": get("code"), "vocabulary": get("vocabulary") or "1"})


def _value(node: tuple | None, a: Activity, element: str) -> dict | None:
    if node is None:
        return None
    amount = _decimal(node[2])
    get = node[1].get
    currency = (get("currency") or a.default_currency or "").strip().upper()
    if amount is None or abs(amount) > values.FLOOR:  # rare: the common case costs one comparison
        amount = values.check(node[2], amount, currency, a, f"{element}/value", (node[4] or 0) + a.line_offset)
    # amounts stay decimal strings here, so that the activity's data is JSON as it is
    value = {"amount": None if amount is None else str(amount), "currency": currency,
             "value_date": _iso(get("value-date"))}
    if get(PW_QUALIFIER):
        value["qualifier"] = get(PW_QUALIFIER)
    return value


def _budget(a, el, lang):
    get = el[1].get
    first = _firsts(el[3])
    start, end = first.get("period-start"), first.get("period-end")
    a.budgets.append({"type": get("type") or "1", "status": get("status") or "1",
                      "start": _iso(start[1].get("iso-date")) if start is not None else None,
                      "end": _iso(end[1].get("iso-date")) if end is not None else None,
                      "value": _value(first.get("value"), a, f"budget[{len(a.budgets) + 1}]")})


def _transaction(a, el, lang):
    first = _firsts(el[3])
    kind, when = first.get("transaction-type"), first.get("transaction-date")
    provider, receiver = first.get("provider-org"), first.get("receiver-org")
    a.transactions.append({
        "type": kind[1].get("code") if kind is not None else None,
        "date": _iso(when[1].get("iso-date")) if when is not None else None,
        "value": _value(first.get("value"), a, f"transaction[{len(a.transactions) + 1}]"),
        "description": narratives(first.get("description"), lang),
        "provider": _org(provider, lang) if provider is not None else None,
        "receiver": _org(receiver, lang) if receiver is not None else None,
        "line": (el[4] or 0) + a.line_offset,
    })


def _document(a, el, lang):
    get = el[1].get
    children = el[3]
    when = next((c for c in children if c[0] == "document-date"), None)
    a.documents.append({
        "url": (get("url") or "").strip(), "format": get("format"),
        "titles": narratives(next((c for c in children if c[0] == "title"), None), lang),
        "categories": [c[1].get("code") for c in children if c[0] == "category"],
        "languages": [c[1].get("code") for c in children if c[0] == "language"],
        "date": _iso(when[1].get("iso-date")) if when is not None else None,
    })


def _related(a, el, lang):
    get = el[1].get
    a.related.append({"ref": get("ref"), "type": get("type")})


READERS = {
    "title": _title, "description": _description, "reporting-org": _reporting,
    "participating-org": _participating, "other-identifier": _other_id, "activity-status": _status,
    "activity-date": _activity_date, "recipient-country": _country, "recipient-region": _region,
    "location": _location, "sector": _sector, "collaboration-type": _code_setter("collaboration"),
    "default-flow-type": _code_setter("flow"), "default-finance-type": _code_setter("finance"),
    "default-aid-type": _aid, "default-tied-status": _code_setter("tied"), "budget": _budget,
    "transaction": _transaction, "document-link": _document, "related-activity": _related,
}
