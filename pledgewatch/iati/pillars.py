"""Classify imported activities into an initiative's pillars with its editable mapping table.

`ensure_default_rules(initiative)` writes the default table (seed data: `ledger.defaults`, the Tokyo
Initiative's pillars "green-resilience", "connectivity" and a human-resources pillar) once; staff edit
it in the admin.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pledgewatch.iati.codelists import label
from pledgewatch.iati.models import PillarRule
from pledgewatch.ledger import defaults


def ensure_default_rules(initiative) -> int:
    """Create the default mapping rows for the initiative's pillars when it has none; return how many."""
    if PillarRule.objects.filter(initiative=initiative).exists():
        return 0
    pillars = {p.slug: p for p in initiative.pillars.all()}
    rows = []
    for order, rule in enumerate(defaults.iati_pillar_rules(), start=1):
        pillar = next((pillars[s] for s in rule.pillars if s in pillars), None)
        if pillar is not None:
            rows.append(PillarRule(initiative=initiative, order=order * 10, dac_prefix=rule.dac_prefix,
                                   keywords=rule.keywords, pillar=pillar, note=rule.note))
    PillarRule.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class Classified:
    pillar_id: int
    focus_area_id: int | None
    reason: str


class Classifier:
    """The mapping table of one initiative, loaded once per import."""

    def __init__(self, initiative):
        ensure_default_rules(initiative)
        self.rules = list(PillarRule.objects.filter(initiative=initiative).select_related("pillar"))

    def classify(self, sector: str, text: str) -> Classified | None:
        """Return the pillar of the first matching rule, with the reason, or None."""
        low = text.lower()
        for rule in self.rules:
            if rule.dac_prefix and not sector.startswith(rule.dac_prefix):
                continue
            words = rule.keyword_list()
            hit = next((w for w in words if w in low), None)
            if words and hit is None:
                continue
            if hit:
                reason = _("IATI import: keyword “%(word)s” → %(pillar)s (mapping rule %(order)s)") % {
                    "word": hit, "pillar": rule.pillar.slug, "order": rule.order}
            else:
                reason = _("IATI import: DAC sector %(code)s (%(label)s) → %(pillar)s (mapping rule %(order)s: "
                           "%(prefix)s)") % {"code": sector, "label": label("Sector", sector) or "—",
                                            "pillar": rule.pillar.slug, "order": rule.order,
                                            "prefix": rule.dac_prefix}
            return Classified(rule.pillar_id, rule.focus_area_id, reason[:500])
        return None
