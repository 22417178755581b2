"""Write a commitment pledgewatch publishes itself as an iati-activity, valid by IATI's schema and rules.

pledgewatch is a secondary reporter: the reporting organisation is its own publisher identity
(`settings.IATI_PUBLISHER`, `secondary-reporter="1"`), identifiers are under its prefix, and the
organisations that fund, extend and implement the commitment are participating organisations.
Dates are only those the ledger has (never invented; the summit is an event, not an activity date):
actual start (2) from the signing date, planned start (1) where a commitment is only announced, actual
end (4) of a completed one. The amount is an outgoing commitment (transaction type 2) dated by the
commitment date; the qualifier ("approx", "at_least", …), for which IATI has no field, travels as the
`pledgewatch:qualifier` attribute of the value, and the ledger stage as `pledgewatch:stage` of the
activity-status, so that an import of the export gives the same ledger.
"""

from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from pledgewatch.iati.activity import PW_NS, PW_QUALIFIER, PW_ROLE, PW_STAGE
from pledgewatch.iati.mapping import KIND_CODES, STAGE_STATUS
from pledgewatch.ledger.models import RecipientBasis
from pledgewatch.ledger.money import format_decimal

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# current FinanceType codes (410 "aid loan" was withdrawn; 421 "standard loan" replaces it)
INSTRUMENT_FINANCE = {"loan": "421", "grant": "110", "technical_cooperation": "110", "investment": "510",
                      "guarantee": "1100"}
ORG_TYPES = {"government": "10", "agency": "10", "company": "70", "multilateral": "40", "ngo": "21", "other": "90"}
# the organisation that extends the provider's money for an instrument: Japan's yen loans and technical
# cooperation are extended by JICA (XM-DAC-701-8)
EXTENDING = {("XM-DAC-701", "loan"): "XM-DAC-701-8", ("XM-DAC-701", "technical_cooperation"): "XM-DAC-701-8"}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def publisher() -> dict:
    """Return the publisher identity from the settings (ref, name, type)."""
    return settings.IATI_PUBLISHER


def identifier(c) -> str:
    """Return the commitment's activity identifier under the publisher's prefix."""
    ref = publisher()["ref"]
    if c.iati_identifier and c.iati_identifier.startswith(ref + "-"):
        return c.iati_identifier
    return f"{ref}-{c.pk}"


def is_own(c) -> bool:
    """Return True unless the commitment is an activity imported from another publisher."""
    ia = getattr(c, "iati_activity", None)
    if ia is None or ia.linked:
        return True
    return (ia.data.get("reporting_org") or {}).get("ref") == publisher()["ref"]


def dates(c, today: date) -> list[tuple[str, date]]:
    """Return the activity dates [(type, date)] the ledger knows; empty when it knows none."""
    signed = [s.date for s in c.stage_changes.all() if s.stage == "signed"]
    started = min(signed) if signed else (c.date if c.stage != "announced" else None)
    result = []
    if started and started <= today:
        result.append(("2", started))
    elif started or c.date:
        result.append(("1", started or c.date))
    if c.stage == "completed" and c.stage_date and c.stage_date <= today and started:
        result.append(("4", c.stage_date))
    return result


def split(n: int) -> list[Decimal]:
    """Return n percentages (two decimals) that add up to exactly 100."""
    share = (HUNDRED / n).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (n - 1) + [HUNDRED - share * (n - 1)]


def shares(recipients: list) -> list[tuple[str, Decimal]]:
    """Return [(country, percentage)]: the ledger's shares, or an equal split when none is given."""
    if all(r.share is None for r in recipients):
        return list(zip([r.country_id for r in recipients], split(len(recipients)), strict=True))
    return [(r.country_id, r.share if r.share is not None else Decimal(0)) for r in recipients]


def sectors(c) -> list[tuple[str, Decimal]]:
    """Return [(DAC sector code, percentage)]: the codes of the commitment's focus areas, else those its
    IATI activity stated (an import of this export), else its own DAC code."""
    codes = list(dict.fromkeys(code for f in c.focus_areas.all() for code in f.sector_codes()))
    ia = getattr(c, "iati_activity", None)
    if not codes and ia is not None:
        stated = [s for s in ia.data.get("sectors") or [] if s.get("vocabulary", "1") == "1" and s.get("code")]
        if stated and all(s.get("percentage") for s in stated):
            return [(s["code"], Decimal(s["percentage"])) for s in stated]
        codes = [s["code"] for s in stated]
    codes = codes or ([c.dac_sector] if c.dac_sector else [])
    return list(zip(codes, split(len(codes)), strict=True)) if codes else []


def _sub(parent, tag: str, attrs: dict | None = None, text: str | None = None):
    el = etree.SubElement(parent, tag, {k: str(v) for k, v in (attrs or {}).items() if v not in (None, "")})
    if text is not None:
        el.text = text
    return el


def _narratives(parent, texts: dict) -> None:
    for lang in ("en", "ja", "ru"):
        if texts.get(lang):
            n = _sub(parent, "narrative", text=texts[lang])
            if lang != "en":
                n.set(XML_LANG, lang)


def _texts(obj, prefix: str) -> dict:
    return {lang: getattr(obj, f"{prefix}_{lang}", "") for lang in ("en", "ja", "ru")}


def _org(parent, tag: str, org, role: str | None = None, **extra):
    el = _sub(parent, tag, {"ref": org.iati_ref, "type": ORG_TYPES.get(org.kind, "90"), "role": role, **extra})
    _narratives(el, _texts(org, "name"))
    return el


def element(c, today: date, extending: dict):
    """Return the iati-activity of a commitment pledgewatch publishes ("no_date" when it has no date)."""
    when = dates(c, today)
    if not when:
        return "no_date"
    pub = publisher()
    stamp = min(c.updated_at.astimezone(UTC), datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element("iati-activity", {k: v for k, v in {
        "last-updated-datetime": stamp, XML_LANG: "en", "default-currency": c.currency or None}.items() if v},
        nsmap={"pledgewatch": PW_NS})
    _sub(root, "iati-identifier", text=identifier(c))
    provider = c.provider
    reporting = _sub(root, "reporting-org", {"ref": pub["ref"], "type": pub["type"],
                                             "secondary-reporter": "1" if provider else None})
    _narratives(reporting, {"en": pub["name"]})
    title = _sub(root, "title")
    _narratives(title, _texts(c, "title"))
    _narratives(_sub(root, "description", {"type": "1"}), description(c))
    _participants(root, c, extending)
    status = _sub(root, "activity-status", {"code": STAGE_STATUS[c.stage]})
    status.set(PW_STAGE, c.stage)
    for kind, day in when:
        _sub(root, "activity-date", {"iso-date": day.isoformat(), "type": kind})
    stated = [r for r in c.recipients.all() if r.basis == RecipientBasis.STATED]
    for code, pct in shares(stated) if stated else []:
        country = next(r.country for r in stated if r.country_id == code)
        _narratives(_sub(root, "recipient-country", {"code": code, "percentage": format_decimal(pct)}),
                    {"en": country.name_en})
    for code, pct in sectors(c):
        _sub(root, "sector", {"code": code, "vocabulary": "1", "percentage": format_decimal(pct)})
    finance = INSTRUMENT_FINANCE.get(c.instrument)
    if finance:
        _sub(root, "default-finance-type", {"code": finance})
    if c.instrument == "technical_cooperation":
        _sub(root, "default-aid-type", {"code": "D02", "vocabulary": "1"})
    _transactions(root, c, today)
    _documents(root, c)
    return root


def description(c) -> dict:
    """Return the ledger's descriptions, or one written from the ledger's facts (IATI needs a description)."""
    texts = _texts(c, "description")
    if any(texts.values()):
        return texts
    result = {}
    for lang in ("en", "ja", "ru"):
        with translation.override(lang):
            result[lang] = _("%(title)s: %(instrument)s, stage “%(stage)s”, as recorded by pledgewatch from the "
                             "sources it cites.") % {"title": c.title or c.pk, "instrument": c.get_instrument_display(),
                                                     "stage": c.get_stage_display()}
    return result


def _participants(root, c, extending: dict) -> None:
    provider = c.provider
    if provider is not None:
        _org(root, "participating-org", provider, "1").set(PW_ROLE, "provider")
        other = extending.get(EXTENDING.get((provider.iati_ref, c.instrument)))
        _org(root, "participating-org", other or provider, "3")
    if c.channel is not None:
        _org(root, "participating-org", c.channel, "4").set(PW_ROLE, "channel")
    for org in c.recipient_organisations.all():
        _org(root, "participating-org", org, "2")
    if provider is None and c.channel is None and not c.recipient_organisations.all():
        pub = publisher()
        _narratives(_sub(root, "participating-org", {"ref": pub["ref"], "type": pub["type"], "role": "1"}),
                    {"en": pub["name"]})


def _transactions(root, c, today: date) -> None:
    # a stored value no field can hold reads as None (ledger/stored.py): nothing to state
    txs = [t for t in c.transactions.all() if t.date <= today and t.amount is not None]
    rows = [(KIND_CODES.get(t.kind, "13"), t.date, t.value_date or t.date, t.amount, t.currency, t.qualifier,
             t.description) for t in txs]
    if c.amount is not None and c.currency and c.date and c.date <= today and \
            not any(t.kind == "commitment" for t in txs):
        rows.insert(0, ("2", c.date, c.date, c.amount, c.currency, c.qualifier, ""))
    for code, day, value_date, amount, currency, qualifier, description in rows:
        el = _sub(root, "transaction")
        _sub(el, "transaction-type", {"code": code})
        _sub(el, "transaction-date", {"iso-date": day.isoformat()})
        value = _sub(el, "value", {"currency": currency, "value-date": value_date.isoformat()},
                     format_decimal(amount))
        if qualifier and qualifier != "exact":
            value.set(PW_QUALIFIER, qualifier)
        if description:
            _narratives(_sub(el, "description"), {"en": description})


def _documents(root, c) -> None:
    for doc in c.documents.all():
        url = doc.iati_ref or doc.url
        if not url:
            continue
        el = _sub(root, "document-link", {"url": url, "format": "text/html"})
        texts = _texts(doc, "title")
        _narratives(_sub(el, "title"), texts if any(texts.values()) else {"en": url})
        _sub(el, "category", {"code": "A01"})
        if doc.language:
            _sub(el, "language", {"code": doc.language})
        if doc.date:
            _sub(el, "document-date", {"iso-date": doc.date.isoformat()})
