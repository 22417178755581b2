"""Classify imported activities into an initiative's pillars with its editable mapping table.

`ensure_default_rules(initiative)` writes the default table for the Tokyo Initiative (pillars
"green-resilience", "connectivity" and a human-resources pillar) once; staff edit it in the admin.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pledgewatch.iati.codelists import label

# (pillar slug candidates, DAC prefix, keywords, note); tried in this order
DEFAULT_RULES = [
    (("human-resources", "people", "human-development", "hitozukuri"), "", "scholarship\n奨学\nJDS",
     "Scholarships (JDS) are people development"),
    (("green-resilience", "green"), "", "disaster\n防災\nclimate\n気候", "Disaster-risk and climate work"),
    (("connectivity",), "", "customs\n税関\ncaspian\nカスピ\nlogistics\n物流", "Trade routes and customs"),
    (("green-resilience", "green"), "23", "", "Energy generation, distribution and efficiency"),
    (("green-resilience", "green"), "32220", "", "Mineral and mining resources (critical minerals)"),
    (("green-resilience", "green"), "322", "", "Mineral resources and mining"),
    (("green-resilience", "green"), "41", "", "General environment protection"),
    (("green-resilience", "green"), "43060", "", "Disaster risk reduction"),
    (("green-resilience", "green"), "74", "", "Disaster prevention and preparedness"),
    (("green-resilience", "green"), "31", "", "Agriculture, forestry, fishing (incl. livestock)"),
    (("green-resilience", "green"), "14", "", "Water supply and sanitation"),
    (("connectivity",), "21", "", "Transport and storage"),
    (("connectivity",), "22", "", "Communications (digital, AI)"),
    (("connectivity",), "33", "", "Trade policies and regulations"),
    (("connectivity",), "25", "", "Business and other services"),
    (("connectivity",), "24", "", "Banking and financial services"),
    (("human-resources", "people", "human-development", "hitozukuri"), "11", "", "Education"),
    (("human-resources", "people", "human-development", "hitozukuri"), "12", "", "Health"),
    (("human-resources", "people", "human-development", "hitozukuri"), "13", "", "Population and reproductive health"),
    (("human-resources", "people", "human-development", "hitozukuri"), "16", "", "Other social infrastructure"),
    (("human-resources", "people", "human-development", "hitozukuri"), "15", "", "Government and civil society"),
]


def ensure_default_rules(initiative) -> int:
    """Create the default mapping rows for the initiative's pillars when it has none; return how many."""
    from pledgewatch.iati.models import PillarRule

    if PillarRule.objects.filter(initiative=initiative).exists():
        return 0
    pillars = {p.slug: p for p in initiative.pillars.all()}
    rows = []
    for order, (slugs, prefix, keywords, note) in enumerate(DEFAULT_RULES, start=1):
        pillar = next((pillars[s] for s in slugs if s in pillars), None)
        if pillar is not None:
            rows.append(PillarRule(initiative=initiative, order=order * 10, dac_prefix=prefix,
                                   keywords=keywords, pillar=pillar, note=note))
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
        from pledgewatch.iati.models import PillarRule

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
