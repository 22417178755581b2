"""Export commitments as IATI 2.03 activity XML, streamed, valid against the official schema and rules.

A commitment pledgewatch publishes becomes an activity under its own publisher identity (`publish.py`).
An activity imported from another publisher is written only on request (`include_imported`), and then
as that publisher published it (`IatiActivity.data`: participating organisations with roles, dates,
sectors, regions, default types, budgets, related activities; the recipients it stated), so that
import → export → import yields the same ledger. Nothing is invented: a commitment or activity without
any date (the schema needs one) is left out and reported.
"""

import io
from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from pledgewatch.iati import publish
from pledgewatch.iati.activity import PW_NS
from pledgewatch.iati.mapping import KIND_CODES, STAGE_STATUS, STATUS_STAGES, TRANSACTION_KINDS
from pledgewatch.ledger.models import Commitment, Organisation, RecipientBasis
from pledgewatch.ledger.money import format_decimal

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export(stream, commitments, *, generated: datetime | None = None, include_imported: bool = False,
           left_out: list | None = None) -> int:
    """Write the commitments to a binary stream as an iati-activities document; return how many.

    `left_out` (a list) receives (identifier, reason) of each commitment not written.
    """
    n = 0
    for _done in _write(stream, commitments, generated, include_imported, left_out):
        n += 1
    return n


def iter_export(commitments, *, generated: datetime | None = None, chunk: int = 1 << 16,
                include_imported: bool = False):
    """Yield the document as bytes chunks (for a StreamingHttpResponse)."""
    buffer = io.BytesIO()
    for _done in _write(buffer, commitments, generated, include_imported, None):
        if buffer.tell() >= chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def has_activities(commitments, *, include_imported: bool = False) -> bool:
    """Return True when at least one of the commitments would be written as an activity (stops at the first)."""
    writing = _write(io.BytesIO(), commitments, None, include_imported, [])
    try:
        return next(writing, None) is not None
    finally:
        writing.close()


def _write(stream, commitments, generated, include_imported, left_out):
    """Write the document, yielding after each activity."""
    generated = generated or timezone.now()
    today = generated.astimezone(UTC).date()
    extending = {o.iati_ref: o for o in Organisation.objects.filter(iati_ref__in=set(publish.EXTENDING.values()))}
    qs = commitments.select_related("provider", "channel", "iati_activity").prefetch_related(
        "recipients__country", "transactions", "documents", "recipient_organisations", "stage_changes",
        "focus_areas").order_by("pk")
    left_out = left_out if left_out is not None else []
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"version": "2.03", "generated-datetime": _stamp(generated)}
        with xf.element("iati-activities", attrs, nsmap={"pledgewatch": PW_NS}):
            for c in qs.iterator(chunk_size=500):
                if publish.is_own(c):
                    el = publish.element(c, today, extending)
                    name = publish.identifier(c)
                elif include_imported:
                    el = activity_element(c)
                    name = c.iati_activity.identifier
                else:
                    continue
                if isinstance(el, str):
                    left_out.append((name, el))
                    continue
                xf.write(el, pretty_print=True)
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


def activity_element(c: Commitment):
    """Return the iati-activity of an imported activity as its publisher published it.

    Return why not ("no_date", "no_reporting_org", "no_participating_org") where the publisher left out
    what the schema requires: nothing is invented in its place.
    """
    ia = c.iati_activity
    data = ia.data
    dates = [d for d in data.get("dates") or [] if d.get("iso") and d.get("type")]
    reporting = data.get("reporting_org") or {}
    if not dates:
        return "no_date"
    if not (reporting.get("ref") and reporting.get("type")):
        return "no_reporting_org"
    if not any(o.get("role") for o in data.get("participating") or []):
        return "no_participating_org"
    lang = data.get("lang") or "en"
    root = etree.Element("iati-activity", {k: v for k, v in {
        "last-updated-datetime": data.get("last_updated") or _stamp(c.updated_at),
        XML_LANG: lang, "default-currency": data.get("default_currency") or c.currency or None,
        "humanitarian": data.get("humanitarian"), "hierarchy": data.get("hierarchy")}.items() if v})
    _sub(root, "iati-identifier", text=ia.identifier)
    _org(root, "reporting-org", dict(reporting, role=None, activity_id=None), lang)
    title = _sub(root, "title")
    _narratives(title, _ledger_texts(c, "title", data.get("titles") or {}) or {lang: ia.identifier}, lang)
    _descriptions(root, c, data, lang)
    for org in data.get("participating") or []:
        if org.get("role"):
            _org(root, "participating-org", org, lang)
    for other in data.get("other_ids") or []:
        el = _sub(root, "other-identifier", {"ref": other.get("ref"), "type": other.get("type")})
        if other.get("owner_ref") or other.get("owner_names"):
            _narratives(_sub(el, "owner-org", {"ref": other.get("owner_ref")}), other.get("owner_names") or {}, lang)
    status = data.get("status") or ""
    if STATUS_STAGES.get(status) not in {c.stage, "committed" if c.stage == "disbursing" else c.stage}:
        status = STAGE_STATUS[c.stage]
    _sub(root, "activity-status", {"code": status})
    for d in dates:
        _narratives(_sub(root, "activity-date", {"iso-date": d["iso"], "type": d["type"]}), d.get("texts") or {},
                    lang)
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


def _places(root, c, data, lang) -> None:
    for r in c.recipients.all():
        if r.basis != RecipientBasis.STATED:  # inferred by the import: the publisher did not state it
            continue
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
    for s in sectors:
        el = _sub(root, "sector", {"code": s["code"], "vocabulary": s.get("vocabulary"),
                                   "percentage": s.get("percentage")})
        _narratives(el, s.get("names") or {}, data.get("lang") or "en")
    if data.get("collaboration"):
        _sub(root, "collaboration-type", {"code": data["collaboration"]})
    if data.get("flow"):
        _sub(root, "default-flow-type", {"code": data["flow"]})
    if data.get("finance"):
        _sub(root, "default-finance-type", {"code": data["finance"]})
    for x in data.get("aid") or []:
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
