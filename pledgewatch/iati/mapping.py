"""Map a read IATI activity to ledger values: instrument, stage, recipients, money, dates, texts.

Plain functions over `activity.Activity`, no database access; `Plan` is what the importer writes.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from pledgewatch.iati import slim
from pledgewatch.iati.activity import Activity
from pledgewatch.iati.codelists import label, status
from pledgewatch.iati.countries import name_pattern
from pledgewatch.iati.values import Later
from pledgewatch.ledger.money import QUALIFIERS, is_currency

LEDGER_LANGS = ("ja", "en", "ru")
HUNDRED = Decimal(100)

# transaction-type code → ledger TransactionKind (and back, for export)
TRANSACTION_KINDS = {"1": "incoming", "11": "incoming", "2": "commitment", "3": "disbursement",
                     "4": "expenditure", "5": "interest", "6": "repayment"}
KIND_CODES = {"incoming": "1", "commitment": "2", "disbursement": "3", "expenditure": "4",
              "interest": "5", "repayment": "6", "other": "13"}
# FlowType codes of private flows (private development finance, private market, …) → Commitment.sector
PRIVATE_FLOWS = {"30", "35", "36", "37"}
# activity-status → stage; 2 (implementation) becomes "disbursing" once money has been paid out
STATUS_STAGES = {"1": "announced", "2": "committed", "3": "completed", "4": "completed", "5": "cancelled",
                 "6": "committed"}
STAGE_STATUS = {"announced": "1", "signed": "2", "committed": "2", "disbursing": "2", "completed": "4",
                "cancelled": "5"}
# JICA's other-identifier country codes (JICAUZB-P13 → UZ)
JICA_COUNTRIES = {"KAZ": "KZ", "KYR": "KG", "KGZ": "KG", "TAJ": "TJ", "TJK": "TJ", "TRK": "TM", "TKM": "TM",
                  "UZB": "UZ", "ARM": "AM", "AZB": "AZ", "AZE": "AZ", "GRG": "GE", "GEO": "GE", "MNG": "MN",
                  "AFG": "AF", "PAK": "PK"}
JICA_ID = re.compile(r"^JICA([A-Z]{3})-")


@dataclass
class Plan:
    """Ledger values for one activity."""

    fields: dict
    countries: list  # [(code, share or None)]
    transactions: list  # [dict(kind, date, value_date, amount, currency, description)]
    documents: list  # [dict(url, title_en, title_ja, language)]
    stage_note: str
    warnings: list = field(default_factory=list)
    basis: dict = field(default_factory=dict)  # {country: "identifier" | "location"} of inferred recipients
    channel: dict | None = None  # the participating-org pledgewatch's export marked as the channel
    extending: dict | None = None  # of pledgewatch's export: the extending org (kept as an organisation)
    # filled by writer.complete(), in a reader process with `--jobs` (then the writer gets a slim Activity)
    data_json: str | None = None  # IatiActivity.data as stored
    provider: dict | None = None  # the providing organisation (writer.provider_org)
    recipient_orgs: list = field(default_factory=list)  # writer.recipient_orgs
    org_refs: tuple = ()  # references of the reporting and participating organisations (scope)
    text: str = ""  # titles and descriptions, for the pillar keywords (scope)
    wanted: bool | None = None  # the import's filters, when the reader applied them

    def __reduce__(self):  # sent from a reader process: only the fields not at their default (slim.py)
        return slim.reduce(self)


def pick_texts(texts: dict, prefix: str, default_lang: str, limit: int | None = None) -> dict:
    """Return {prefix_ja, prefix_en, prefix_ru} from {lang: text}; other languages fill English if empty."""
    result = {f"{prefix}_{lang}": texts.get(lang, "") for lang in LEDGER_LANGS}
    if not result[f"{prefix}_en"] and not result[f"{prefix}_ja"] and texts:
        result[f"{prefix}_en"] = texts.get(default_lang) or next(iter(texts.values()))
    if limit:
        result = {k: v[:limit] for k, v in result.items()}
    return result


def instrument(a: Activity) -> str:
    """Return the ledger instrument from the default finance and aid types."""
    finance = (a.finance or "").strip()
    if not finance:
        finance = next((t.get("finance") for t in a.transactions if t.get("finance")), "")
    aid_codes = {x["code"] for x in a.aid if x.get("vocabulary", "1") == "1" and x.get("code")}
    if finance == "1100":
        return "guarantee"
    if finance.startswith("4"):
        return "loan"
    if finance.startswith("5") or finance.startswith("6"):
        return "investment"
    if aid_codes & {"D01", "D02"}:
        return "technical_cooperation"
    if finance.startswith("1") or finance.startswith("2") or aid_codes:
        return "grant"
    return "other"


def recipients(a: Activity, known: set[str]) -> tuple[list, list]:
    """Return ([(code, share)], warnings); infer the country from JICA identifiers or locations.

    `basis_of(a, result)` tells, for the result, how each country is known.
    """
    warnings = []
    result = []
    for c in a.countries:
        code = c["code"]
        if code not in known:
            warnings.append(("unknown_country", _("recipient-country “%(code)s” is not an ISO 3166-1 "
                                                  "code; ignored") % {"code": code}))
            continue
        share = None
        if c.get("percentage") not in (None, ""):
            try:
                share = Decimal(c["percentage"].strip())
            except ArithmeticError:
                warnings.append(("bad_percentage", _("percentage “%(value)s” of %(code)s is not a number")
                                 % {"value": c["percentage"], "code": code}))
        if not any(code == r[0] for r in result):
            result.append((code, share))
    if result:
        return result, warnings
    for other in a.other_ids:
        m = JICA_ID.match(other.get("ref") or "")
        if m and JICA_COUNTRIES.get(m.group(1)) in known:
            code = JICA_COUNTRIES[m.group(1)]
            warnings.append(("country_inferred", Later(gettext_noop(
                "no recipient-country; %(code)s inferred from other-identifier %(ref)s"),
                {"code": code, "ref": other["ref"]})))
            return [(code, None)], warnings
    found = infer_from_locations(a, known)
    if found:
        warnings.append(("country_inferred", Later(gettext_noop(
            "no recipient-country; %(codes)s inferred from the location name"), {"codes": ", ".join(found)})))
        return [(code, None) for code in found], warnings
    warnings.append(("no_country", Later(gettext_noop("no recipient country given or inferable"), {})))
    return [], warnings


def basis_of(a: Activity, countries: list) -> dict:
    """Return {country: basis} of the recipients `recipients` inferred (none when the activity states any)."""
    if not countries or any(c["code"] == code for c in a.countries for code, _share in countries):
        return {}
    from_ids = {JICA_COUNTRIES.get(m.group(1)) for o in a.other_ids if (m := JICA_ID.match(o.get("ref") or ""))}
    kind = "identifier" if len(countries) == 1 and countries[0][0] in from_ids else "location"
    return {code: kind for code, _share in countries}


def infer_from_locations(a: Activity, known: set[str]) -> list[str]:
    """Return the countries named in the activity's location names (in order, no repeats)."""
    if not a.locations:
        return []

    pattern, codes = name_pattern()
    found: list[str] = []
    for names in a.locations:
        for text in names.values():
            for m in pattern.finditer(text.lower()):
                code = codes[m.group(0)]
                if code in known and code not in found:
                    found.append(code)
    return found


def money_of(a: Activity, txs: list) -> tuple[dict, list]:
    """Return the commitment's money fields from its commitment transactions (else budgets)."""
    warnings = []
    commits = [t for t in txs if t["kind"] == "commitment"]
    source = "transactions"
    if not commits:
        commits = [{"amount": Decimal(b["value"]["amount"]), "currency": b["value"]["currency"]} for b in a.budgets
                   if b.get("value") and b["value"]["amount"] is not None and is_currency(b["value"]["currency"])
                   and b.get("type") != "2"]
        source = "budgets"
    if not commits:
        return {"amount": None, "currency": a.default_currency if is_currency(a.default_currency or "") else "",
                "qualifier": "undisclosed"}, warnings
    currency = commits[0]["currency"]
    total = sum((t["amount"] for t in commits if t["currency"] == currency), Decimal(0))
    if any(t["currency"] != currency for t in commits):
        warnings.append(("mixed_currencies", _("commitments in several currencies; only %(currency)s is "
                                               "summed") % {"currency": currency}))
    if total < 0:
        warnings.append(("negative_total", _("the committed total is negative (%(total)s %(currency)s); "
                                             "amount left undisclosed") % {"total": total, "currency": currency}))
        return {"amount": None, "currency": currency, "qualifier": "undisclosed"}, warnings
    qualifier = "exact" if source == "transactions" else "approx"
    marked = {t.get("qualifier", "exact") for t in commits if t["currency"] == currency}
    if source == "transactions" and len(marked) == 1:  # pledgewatch's export keeps the qualifier on the value
        qualifier = marked.pop()
    return {"amount": total, "currency": currency, "qualifier": qualifier}, warnings


def transactions(a: Activity) -> tuple[list, list]:
    """Return the ledger transactions and warnings (no date, bad value, unknown currency, negative)."""
    result, warnings = [], []
    for t in a.transactions:
        value = t.get("value") or {}
        if not t.get("date") or value.get("amount") is None or not is_currency(value.get("currency") or ""):
            _transaction_warning(t, value, warnings)
            continue
        amount = Decimal(value["amount"])
        if amount < 0:
            where = _("transaction at line %(line)s") % {"line": t.get("line")}
            warnings.append(("negative_value", _("%(where)s has a negative value %(value)s (kept as a reversal)")
                             % {"where": where, "value": value["amount"]}))
        description = t.get("description") or {}
        result.append({
            "code": t.get("type") or "", "kind": TRANSACTION_KINDS.get(t.get("type") or "", "other"),
            "date": date.fromisoformat(t["date"]),
            "value_date": date.fromisoformat(value["value_date"]) if value.get("value_date") else None,
            "amount": amount, "currency": value["currency"],
            "qualifier": value["qualifier"] if value.get("qualifier") in QUALIFIERS else "exact",
            "description": (description.get("en") or description.get("ja")
                            or next(iter(description.values()), ""))[:500],
        })
    return result, warnings


def _transaction_warning(t: dict, value: dict, warnings: list) -> None:
    """Append why a transaction is ignored (no date, no numeric value, unknown currency)."""
    where = _("transaction at line %(line)s") % {"line": t.get("line")}
    if not t.get("date"):
        warnings.append(("transaction_without_date", _("%(where)s has no transaction-date; ignored")
                         % {"where": where}))
    elif value.get("amount") is None:
        warnings.append(("bad_value", _("%(where)s has no numeric value; ignored") % {"where": where}))
    else:
        warnings.append(("unknown_currency", _("%(where)s: “%(currency)s” is not an ISO 4217 currency; "
                                               "ignored") % {"where": where, "currency": value.get("currency") or "—"}))


def stage_of(a: Activity, txs: list, commit_date: date | None) -> tuple[str, date | None, str]:
    """Return (stage, date of the stage, note) from activity-status and the transactions."""
    code = (a.status or "").strip()
    stage = STATUS_STAGES.get(code, "announced")
    if stage == "committed" and any(t["kind"] == "disbursement" for t in txs):
        stage = "disbursing"
    if a.stage in STAGE_STATUS and STAGE_STATUS[a.stage] == code:  # pledgewatch's export says which
        stage = a.stage
    if stage == "signed":
        when = a.date_of("2") or commit_date
    elif stage == "announced":
        when = a.date_of("1") or commit_date
    elif stage == "committed":
        when = commit_date or a.date_of("2") or a.date_of("1")
    elif stage == "disbursing":
        when = min((t["date"] for t in txs if t["kind"] == "disbursement"), default=None) or a.date_of("2")
    elif stage == "completed":
        when = a.date_of("4") or a.date_of("3")
    else:
        when = None
    return stage, when, _status_note(get_language(), code)


@functools.lru_cache(maxsize=256)
def _status_note(language: str | None, code: str) -> str:
    """Return the stage note of an activity-status code in the active language (a few codes, many activities)."""
    return _("IATI activity-status %(code)s (%(label)s)") % {"code": code or "—",
                                                            "label": label("ActivityStatus", code) or "—"}


def main_sector(a: Activity) -> str:
    """Return the DAC 5-digit sector with the largest percentage (vocabulary 1), or ""."""
    best, best_pct = "", Decimal(-1)
    for s in a.sectors:
        if s.get("vocabulary", "1") != "1" or not re.fullmatch(r"\d{5}", s.get("code") or ""):
            continue
        try:
            pct = Decimal((s.get("percentage") or "100").strip())
        except ArithmeticError:
            pct = Decimal(0)
        if pct > best_pct:
            best, best_pct = s["code"], pct
    return best


def plan(a: Activity, known_countries: set[str]) -> Plan:
    """Return the ledger values of one activity."""
    txs, warnings = transactions(a)
    money, money_warnings = money_of(a, txs)
    countries, country_warnings = recipients(a, known_countries)
    country_warnings += codelist_warnings(a)
    commit_date = min((t["date"] for t in txs if t["kind"] == "commitment"), default=None)
    stage, stage_date, note = stage_of(a, txs, commit_date)
    description = next((d["texts"] for d in a.descriptions if d["type"] == "1"), None) or (
        a.descriptions[0]["texts"] if a.descriptions else {})
    fields = {
        **pick_texts(a.titles, "title", a.lang, 500), **pick_texts(description, "description", a.lang),
        "instrument": instrument(a), "dac_sector": main_sector(a), **money,
        "sector": "private" if (a.flow or "").strip() in PRIVATE_FLOWS else "public",
        "date": commit_date or a.date_of("2") or a.date_of("1"), "stage": stage, "stage_date": stage_date,
    }
    if not (fields["title_en"] or fields["title_ja"]):
        fields["title_en"] = a.identifier[:500]
        warnings.append(("no_title", _("the activity has no title; its identifier is used")))
    docs = []
    for d in a.documents:
        if not d["url"]:
            continue
        titles = pick_texts(d["titles"], "title", a.lang, 500)
        if not (titles["title_en"] or titles["title_ja"]):
            titles["title_en"] = d["url"][:500]
        docs.append({"url": d["url"][:1000], **titles, "language": (d["languages"] or [""])[0] or "",
                     "date": date.fromisoformat(d["date"]) if d.get("date") else None})
    return Plan(fields=fields, countries=countries, transactions=txs, documents=docs, stage_note=note,
                warnings=warnings + money_warnings + country_warnings, basis=basis_of(a, countries),
                channel=next((o for o in a.participating if o.get("pledgewatch") == "channel"), None),
                extending=_extending(a))


def _extending(a: Activity) -> dict | None:
    """Return the extending organisation of an activity of pledgewatch's export (where a provider is marked)."""
    if not any(o.get("pledgewatch") == "provider" for o in a.participating):
        return None
    return next((o for o in a.participating if o.get("role") == "3" and o.get("ref")), None)


def codelist_warnings(a: Activity) -> list:
    """Return a warning for each withdrawn code the activity uses (kept as published, flagged)."""
    found = [("FinanceType", "default-finance-type", a.finance), ("FlowType", "default-flow-type", a.flow),
             ("ActivityStatus", "activity-status", a.status), ("TiedStatus", "default-tied-status", a.tied)]
    found += [("Sector", "sector", s.get("code")) for s in a.sectors if s.get("vocabulary", "1") == "1"]
    found += [("AidType", "default-aid-type", x.get("code")) for x in a.aid if x.get("vocabulary", "1") == "1"]
    found += [("FinanceType", "transaction/finance-type", t.get("finance")) for t in a.transactions]
    result = []
    for name, element, code in found:
        if code and status(name, code.strip()) == "withdrawn":
            result.append(("withdrawn_code", Later(gettext_noop(
                "%(element)s: code %(code)s of the %(list)s codelist is withdrawn; kept as published"),
                {"element": element, "code": code.strip(), "list": name})))
    return result
