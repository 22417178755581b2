"""Export commitments as IATI 2.03 activity XML, streamed, valid against the official schema.

Each commitment becomes one iati-activity built from the ledger (titles, descriptions, recipients,
money, transactions, documents, stage) and, for imported activities, from what the import kept
(`IatiActivity.data`: participating organisations with roles, dates, sectors, regions, default types,
budgets, related activities), so that import → export → import yields the same ledger.
"""

import io
from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from pledgewatch.iati.mapping import KIND_CODES, STAGE_STATUS, STATUS_STAGES, TRANSACTION_KINDS
from pledgewatch.iati.parser import PLACEHOLDER, PW_NS
from pledgewatch.ledger.models import Commitment
from pledgewatch.ledger.money import format_decimal

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = "XI-PLEDGEWATCH"
INSTRUMENT_FINANCE = {"loan": "410", "grant": "110", "technical_cooperation": "110", "investment": "510",
                      "guarantee": "1100", "other": "110"}
ORG_TYPES = {"government": "10", "agency": "10", "company": "70", "multilateral": "40", "ngo": "21", "other": "90"}


def export(stream, commitments, *, generated: datetime | None = None) -> int:
    """Write the commitments to a binary stream as an iati-activities document; return how many."""
    n = 0
    for _done in _write(stream, commitments, generated):
        n += 1
    return n


def iter_export(commitments, *, generated: datetime | None = None, chunk: int = 1 << 16):
    """Yield the document as bytes chunks (for a StreamingHttpResponse)."""
    buffer = io.BytesIO()
    for _done in _write(buffer, commitments, generated):
        if buffer.tell() >= chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _write(stream, commitments, generated):
    """Write the document, yielding after each activity."""
    generated = generated or timezone.now()
    qs = commitments.select_related("provider", "iati_activity").prefetch_related(
        "recipients__country", "transactions", "documents", "recipient_organisations").order_by("pk")
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"version": "2.03", "generated-datetime": _stamp(generated)}
        with xf.element("iati-activities", attrs, nsmap={"pledgewatch": PW_NS}):
            for c in qs.iterator(chunk_size=500):
                xf.write(activity_element(c), pretty_print=True)
                xf.flush()
                yield c


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent, tag: str, attrs: dict | None = None, text: str | None = None):
    el = etree.SubElement(parent, tag, {k: str(v) for k, v in (attrs or {}).items() if v not in (None, "")})
    if text is not None:
        el.text = text
    return el


def _narratives(parent, texts: dict, default_lang: str) -> None:
    for lang, text in texts.items():
        if text:
            n = _sub(parent, "narrative", text=text)
            if lang != default_lang:
                n.set(XML_LANG, lang)


def _ledger_texts(obj, prefix: str, extra: dict) -> dict:
    texts = {lang: getattr(obj, f"{prefix}_{lang}") for lang in ("en", "ja", "ru") if getattr(obj, f"{prefix}_{lang}")}
    texts.update({k: v for k, v in extra.items() if k not in ("en", "ja", "ru")})
    return texts


def _org(parent, tag: str, org: dict, lang: str) -> None:
    el = _sub(parent, tag, {"ref": org.get("ref"), "type": org.get("type"), "role": org.get("role"),
                            "activity-id": org.get("activity_id")})
    _narratives(el, org.get("names") or {}, lang)


def _ledger_org(org, role: str | None = None) -> dict:
    names = {lang: getattr(org, f"name_{lang}") for lang in ("en", "ja", "ru") if getattr(org, f"name_{lang}")}
    return {"ref": org.iati_ref, "type": ORG_TYPES.get(org.kind, "90"), "role": role, "names": names}


def activity_element(c: Commitment):
    """Return the iati-activity element of one commitment."""
    ia = getattr(c, "iati_activity", None)
    data = ia.data if ia is not None else {}
    lang = data.get("lang") or "en"
    root = etree.Element("iati-activity", {k: v for k, v in {
        "last-updated-datetime": data.get("last_updated") or _stamp(c.updated_at),
        XML_LANG: lang, "default-currency": data.get("default_currency") or c.currency or None,
        "humanitarian": data.get("humanitarian"), "hierarchy": data.get("hierarchy")}.items() if v})
    _sub(root, "iati-identifier", text=c.iati_identifier or f"{PREFIX}-{c.pk}")
    reporting = data.get("reporting_org") or (_ledger_org(c.provider) if c.provider and not data else {})
    if reporting.get("ref") or reporting.get("names"):
        reporting = dict(reporting, ref=reporting.get("ref") or PREFIX, type=reporting.get("type") or "90",
                         role=None, activity_id=None)
        _org(root, "reporting-org", reporting, lang)
    else:  # the schema needs one; an invented one is marked and not read back
        _narratives(_sub(root, "reporting-org", {"ref": PREFIX, "type": "90", PLACEHOLDER: "true"}),
                    {lang: "pledgewatch"}, lang)
    title = _sub(root, "title")
    _narratives(title, _ledger_texts(c, "title", data.get("titles") or {}) or {lang: c.iati_identifier or str(c.pk)},
                lang)
    _descriptions(root, c, data, lang)
    _participating(root, c, data, lang)
    for other in data.get("other_ids") or []:
        el = _sub(root, "other-identifier", {"ref": other.get("ref"), "type": other.get("type")})
        if other.get("owner_ref") or other.get("owner_names"):
            _narratives(_sub(el, "owner-org", {"ref": other.get("owner_ref")}), other.get("owner_names") or {}, lang)
    status = data.get("status") or ""
    if STATUS_STAGES.get(status) not in {c.stage, "committed" if c.stage == "disbursing" else c.stage}:
        status = STAGE_STATUS[c.stage]
    _sub(root, "activity-status", {"code": status})
    _dates(root, c, data, lang)
    _places(root, c, data, lang)
    _classifications(root, c, data)
    for b in data.get("budgets") or []:
        value = b.get("value") or {}
        if b.get("start") and b.get("end") and value.get("amount") is not None:
            el = _sub(root, "budget", {"type": b.get("type"), "status": b.get("status")})
            _sub(el, "period-start", {"iso-date": b["start"]})
            _sub(el, "period-end", {"iso-date": b["end"]})
            _sub(el, "value", {"currency": value.get("currency"), "value-date": value.get("value_date") or b["start"]},
                 value["amount"])
    _transactions(root, c, ia, lang)
    _documents(root, c, data, lang)
    for r in data.get("related") or []:
        if r.get("ref") and r.get("type"):
            _sub(root, "related-activity", {"ref": r["ref"], "type": r["type"]})
    return root


def _descriptions(root, c, data, lang) -> None:
    descriptions = data.get("descriptions") or []
    general = next((d["texts"] for d in descriptions if d.get("type") == "1"), {})
    texts = _ledger_texts(c, "description", general)
    others = [d for d in descriptions if d.get("type") != "1" and d.get("texts")]
    if texts or not others:
        el = _sub(root, "description", {"type": "1"})
        _narratives(el, texts, lang)
        if not texts:  # the schema needs a description with a narrative; an empty one reads back as none
            _sub(el, "narrative")
    for d in others:
        _narratives(_sub(root, "description", {"type": d["type"]}), d["texts"], lang)


def _participating(root, c, data, lang) -> None:
    orgs = [o for o in data.get("participating") or [] if o.get("role")]
    if not orgs and not data:
        orgs = [_ledger_org(c.provider, "3")] if c.provider else []
        orgs += [_ledger_org(o, "4") for o in c.recipient_organisations.all()]
    elif not orgs and c.provider:
        orgs = [_ledger_org(c.provider, "3")]
    for org in orgs:
        _org(root, "participating-org", org, lang)
    if not orgs:  # the schema needs one; an invented one is marked and not read back
        _sub(root, "participating-org", {"role": "1", PLACEHOLDER: "true"})


def _dates(root, c, data, lang) -> None:
    dates = [d for d in data.get("dates") or [] if d.get("iso") and d.get("type")]
    if not dates:
        dates = [_fallback_date(c)]
    for d in dates:
        el = _sub(root, "activity-date", {"iso-date": d["iso"], "type": d["type"]})
        if d.get("placeholder"):
            el.set(PLACEHOLDER, "true")
        _narratives(el, d.get("texts") or {}, lang)


def _fallback_date(c) -> dict:
    """Return an activity-date for a commitment that has none (the schema requires one).

    The type is chosen so that importing the export again gives the same commitment date and stage
    date: planned end (3) unless the stage is completed and a commitment date is known (then planned
    start, which the commitment date overrides on import).
    """
    last_tx = max((t.date for t in c.transactions.all()), default=None)
    when = c.stage_date or c.date or last_tx or c.updated_at.date()
    if c.stage == "completed" and c.date:
        return {"type": "1", "iso": c.date.isoformat(), "texts": {}}
    if c.stage == "completed":  # any type would set a date the ledger does not have: mark it
        return {"type": "3", "iso": when.isoformat(), "texts": {}, "placeholder": True}
    return {"type": "3", "iso": when.isoformat(), "texts": {}}


def _places(root, c, data, lang) -> None:
    for r in c.recipients.all():
        el = _sub(root, "recipient-country", {"code": r.country_id,
                                              "percentage": format_decimal(r.share) if r.share is not None else None})
        _narratives(el, {"en": r.country.name_en}, lang)
    for r in data.get("regions") or []:
        if r.get("code"):
            el = _sub(root, "recipient-region", {"code": r["code"], "vocabulary": r.get("vocabulary"),
                                                 "percentage": r.get("percentage")})
            _narratives(el, r.get("names") or {}, lang)
    for names in data.get("locations") or []:
        _narratives(_sub(_sub(root, "location"), "name"), names, lang)


def _classifications(root, c, data) -> None:
    sectors = [s for s in data.get("sectors") or [] if s.get("code")]
    if not sectors and c.dac_sector:
        sectors = [{"code": c.dac_sector, "vocabulary": "1", "percentage": "100", "names": {}}]
    for s in sectors:
        el = _sub(root, "sector", {"code": s["code"], "vocabulary": s.get("vocabulary"),
                                   "percentage": s.get("percentage")})
        _narratives(el, s.get("names") or {}, data.get("lang") or "en")
    if data.get("collaboration"):
        _sub(root, "collaboration-type", {"code": data["collaboration"]})
    if data.get("flow"):
        _sub(root, "default-flow-type", {"code": data["flow"]})
    finance = data.get("finance") if data else INSTRUMENT_FINANCE.get(c.instrument)
    if finance:
        _sub(root, "default-finance-type", {"code": finance})
    aid = data.get("aid") or []
    if not data and c.instrument == "technical_cooperation":
        aid = [{"code": "D02", "vocabulary": "1"}]
    for x in aid:
        if x.get("code"):
            _sub(root, "default-aid-type", {"code": x["code"], "vocabulary": x.get("vocabulary")})
    if data.get("tied"):
        _sub(root, "default-tied-status", {"code": data["tied"]})


def _transactions(root, c, ia, lang) -> None:
    codes = dict(ia.transaction_ids if ia is not None else [])
    for t in c.transactions.all():
        if t.amount is None:  # a stored value no field can hold (ledger/stored.py): nothing to state
            continue
        el = _sub(root, "transaction")
        code = codes.get(t.pk)
        if TRANSACTION_KINDS.get(code or "", "other") != t.kind:
            code = KIND_CODES.get(t.kind, "13")
        _sub(el, "transaction-type", {"code": code})
        _sub(el, "transaction-date", {"iso-date": t.date.isoformat()})
        _sub(el, "value", {"currency": t.currency, "value-date": (t.value_date or t.date).isoformat()},
             format_decimal(t.amount))
        if t.description:
            _narratives(_sub(el, "description"), {lang: t.description}, lang)


def _documents(root, c, data, lang) -> None:
    by_url = {d.get("url"): d for d in data.get("documents") or []}
    for doc in c.documents.all():
        url = doc.iati_ref or doc.url
        if not url:
            continue
        known = by_url.get(url, {})
        el = _sub(root, "document-link", {"url": url, "format": known.get("format") or "text/html"})
        _narratives(_sub(el, "title"), _ledger_texts(doc, "title", known.get("titles") or {}) or {lang: url}, lang)
        for code in known.get("categories") or ["A01"]:
            _sub(el, "category", {"code": code})
        for code in known.get("languages") or ([doc.language] if doc.language else []):
            _sub(el, "language", {"code": code})
        if doc.date:
            _sub(el, "document-date", {"iso-date": doc.date.isoformat()})
