"""The reader of one activity as it was before pledgewatch.iati.tree (lxml proxies), kept as the oracle.

tests/iati/test_tree.py checks that parser.read_activity (which reads the plain tree) gives exactly the
Activity this gives. Copied verbatim from pledgewatch/iati/parser.py (the part "reading one
activity"); what did not change there is imported.
"""

import hashlib
from datetime import date

from django.utils.translation import gettext_noop
from lxml import etree

from pledgewatch.iati.parser import (
    MAPPING_VERSION,
    PLACEHOLDER,
    PW_QUALIFIER,
    PW_ROLE,
    PW_STAGE,
    XML_LANG,
    Activity,
    FileHead,
    Later,
    _decimal,
)


def _lang(elem, default: str) -> str:
    value = elem.get(XML_LANG)
    return value.strip().lower()[:2] if value else default


def narratives(elem, default: str) -> dict:
    """Return {language: text} of an element's narrative children (first text per language)."""
    result: dict = {}
    if elem is None:
        return result
    for n in elem.iterchildren("narrative"):
        text = n.text
        if text and (text := text.strip()):
            lang = n.get(XML_LANG)
            lang = lang.strip().lower()[:2] if lang else default
            if lang not in result:
                result[lang] = text
    return result


def _iso(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None


def _org(elem, lang: str) -> dict:
    return {"ref": (elem.get("ref") or "").strip(), "type": elem.get("type"), "role": elem.get("role"),
            "activity_id": elem.get("activity-id"), "names": narratives(elem, lang)}


def read_activity(elem, index: int, head: FileHead, *, line: int | None = None,
                  fingerprint: str | None = None) -> Activity:
    """Read one iati-activity element into an Activity (warnings collected, nothing raised).

    `line` is the element's line in its file when the element was re-parsed from its own bytes.
    """
    lang = _lang(elem, "en")
    ident_el = elem.find("iati-identifier")
    identifier = (ident_el.text or "").strip() if ident_el is not None else ""
    if fingerprint is None:
        fingerprint = hashlib.sha256(MAPPING_VERSION.encode() + etree.tostring(elem)).hexdigest()
    offset = (line - (elem.sourceline or 1)) if line else 0
    a = Activity(identifier=identifier, line=(elem.sourceline or 0) + offset, index=index, fingerprint=fingerprint,
                 line_offset=offset,
                 lang=lang, last_updated=elem.get("last-updated-datetime"), hierarchy=elem.get("hierarchy"),
                 default_currency=(elem.get("default-currency") or "").strip().upper() or None,
                 humanitarian=elem.get("humanitarian"))
    for child in elem.iterchildren(tag=etree.Element):
        reader = READERS.get(child.tag)
        if reader is not None:
            reader(a, child, lang)
    return a


def _title(a, el, lang):
    a.titles.update({k: v for k, v in narratives(el, lang).items() if k not in a.titles})


def _description(a, el, lang):
    a.descriptions.append({"type": el.get("type") or "1", "texts": narratives(el, lang)})


def _reporting(a, el, lang):
    if el.get(PLACEHOLDER) != "true":
        a.reporting_org = _org(el, lang)


def _participating(a, el, lang):
    if el.get(PLACEHOLDER) != "true":
        org = _org(el, lang)
        if el.get(PW_ROLE):
            org["pledgewatch"] = el.get(PW_ROLE)
        a.participating.append(org)


def _other_id(a, el, lang):
    owner = el.find("owner-org")
    a.other_ids.append({"ref": el.get("ref") or "", "type": el.get("type"),
                        "owner_ref": owner.get("ref") if owner is not None else None,
                        "owner_names": narratives(owner, lang)})


def _status(a, el, lang):
    a.status = el.get("code")
    a.stage = el.get(PW_STAGE)


def _activity_date(a, el, lang):
    if el.get(PLACEHOLDER) == "true":
        return
    iso = _iso(el.get("iso-date"))
    texts = narratives(el, lang)
    if iso is None:
        from_text = next((_iso(t) for t in texts.values() if _iso(t)), None)
        if from_text:
            a.warn("date_from_narrative", Later(gettext_noop(
                "activity-date type %(type)s has no iso-date; the narrative date %(date)s is used"),
                {"type": el.get("type"), "date": from_text}))
        else:
            a.warn("date_missing", Later(gettext_noop(
                "activity-date type %(type)s has no iso-date and no date in its narrative; ignored"),
                {"type": el.get("type")}))
        iso = from_text
    a.dates.append({"type": el.get("type"), "iso": iso, "texts": texts})


def _country(a, el, lang):
    code = (el.get("code") or "").strip().upper()
    a.countries.append({"code": code, "percentage": el.get("percentage"), "names": narratives(el, lang)})


def _region(a, el, lang):
    a.regions.append({"code": el.get("code"), "vocabulary": el.get("vocabulary") or "1",
                      "percentage": el.get("percentage"), "names": narratives(el, lang)})


def _location(a, el, lang):
    names = narratives(el.find("name"), lang)
    if names:
        a.locations.append(names)


def _sector(a, el, lang):
    a.sectors.append({"code": (el.get("code") or "").strip(), "vocabulary": el.get("vocabulary") or "1",
                      "percentage": el.get("percentage"), "names": narratives(el, lang)})


def _code_setter(attr):
    def setter(a, el, lang):
        setattr(a, attr, el.get("code"))
    return setter


def _aid(a, el, lang):
    a.aid.append({"code": el.get("code"), "vocabulary": el.get("vocabulary") or "1"})


def _value(el, a: Activity) -> dict | None:
    if el is None:
        return None
    amount = _decimal(el.text)
    currency = (el.get("currency") or a.default_currency or "").strip().upper()
    # amounts stay decimal strings here, so that the activity's data is JSON as it is
    value = {"amount": None if amount is None else str(amount), "currency": currency,
             "value_date": _iso(el.get("value-date"))}
    if el.get(PW_QUALIFIER):
        value["qualifier"] = el.get(PW_QUALIFIER)
    return value


def _budget(a, el, lang):
    value = _value(el.find("value"), a)
    start, end = el.find("period-start"), el.find("period-end")
    a.budgets.append({"type": el.get("type") or "1", "status": el.get("status") or "1",
                      "start": _iso(start.get("iso-date")) if start is not None else None,
                      "end": _iso(end.get("iso-date")) if end is not None else None, "value": value})


def _transaction(a, el, lang):
    kind = el.find("transaction-type")
    when = el.find("transaction-date")
    provider, receiver = el.find("provider-org"), el.find("receiver-org")
    a.transactions.append({
        "type": kind.get("code") if kind is not None else None,
        "date": _iso(when.get("iso-date")) if when is not None else None,
        "value": _value(el.find("value"), a),
        "description": narratives(el.find("description"), lang),
        "provider": _org(provider, lang) if provider is not None else None,
        "receiver": _org(receiver, lang) if receiver is not None else None,
        "line": (el.sourceline or 0) + a.line_offset,
    })


def _document(a, el, lang):
    a.documents.append({
        "url": (el.get("url") or "").strip(), "format": el.get("format"),
        "titles": narratives(el.find("title"), lang),
        "categories": [c.get("code") for c in el.iterchildren("category")],
        "languages": [c.get("code") for c in el.iterchildren("language")],
        "date": _iso(el.find("document-date").get("iso-date")) if el.find("document-date") is not None else None,
    })


def _related(a, el, lang):
    a.related.append({"ref": el.get("ref"), "type": el.get("type")})


READERS = {
    "title": _title, "description": _description, "reporting-org": _reporting,
    "participating-org": _participating, "other-identifier": _other_id, "activity-status": _status,
    "activity-date": _activity_date, "recipient-country": _country, "recipient-region": _region,
    "location": _location, "sector": _sector, "collaboration-type": _code_setter("collaboration"),
    "default-flow-type": _code_setter("flow"), "default-finance-type": _code_setter("finance"),
    "default-aid-type": _aid, "default-tied-status": _code_setter("tied"), "budget": _budget,
    "transaction": _transaction, "document-link": _document, "related-activity": _related,
}

