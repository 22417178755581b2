"""Human-readable rendering of an extraction result (the default format of `pledgewatch extract`)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from pledgewatch.ledger.models import Instrument, Qualifier


def money_text(money: dict | None) -> str:
    """Return "21,368,000,000 JPY (approximately)" for an API money object."""
    if not money:
        return _("amount not stated")
    value = Decimal(money["amount"])
    number = f"{value:,f}".rstrip("0").rstrip(".") if "." in money["amount"] else f"{value:,}"
    text = f"{number} {money['currency']}"
    if money["qualifier"] != "exact":
        text += f" ({Qualifier(money['qualifier']).label})"
    return text


def human_readable(result: dict) -> str:
    """Return the report of one file: its commitments, totals, targets, documents and dates."""
    lines = [_("%(file)s (language: %(language)s)") % {"file": result["file"], "language": result["language"]}]
    if not result["commitments"]:
        lines.append("  " + _("No commitments found."))
    for n, c in enumerate(result["commitments"], start=1):
        lines.append(f"  {n}. {c['title'] or _('(no title)')}")
        lines.append("     " + _("recipients: %(r)s · instrument: %(i)s · amount: %(a)s") % {
            "r": ", ".join(c["recipients"]) or "—", "i": Instrument(c["instrument"]).label,
            "a": money_text(c["amount"])})
        details = [_("date: %(d)s") % {"d": c["date"] or "—"}]
        if c["channel"]:
            details.append(_("through: %(c)s") % {"c": c["channel"]})
        if c["pillar"]:
            details.append(_("pillar: %(p)s") % {"p": c["pillar"]})
        lines.append("     " + " · ".join(details))
    for total in result["totals"]:
        lines.append("  " + _("Total stated: %(m)s") % {"m": money_text(total["amount"])})
    for target in result["targets"]:
        years = target.get("horizon_years")
        lines.append("  " + (_("Target: %(m)s over %(y)d years") % {"m": money_text(target["amount"]), "y": years}
                             if years else _("Target: %(m)s") % {"m": money_text(target["amount"])}))
    for doc in result["documents"]:
        lines.append("  " + _("Document: %(kind)s × %(count)d") % {"kind": doc["kind"], "count": doc["count"]})
    return "\n".join(lines)
