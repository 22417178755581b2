"""Pillar suggestion: keyword rules (ja and en) from an initiative's pillars and focus areas.

Keywords are read from `Pillar.keywords` and `FocusArea.keywords` (one per line). Keywords found
in the proposed title decide; the sentence around it only when the title has none. The pillar with
most keyword hits wins, ties go to the
pillar listed first. The suggestion carries its reason ("keyword 「防災」 of focus area …").
Where an initiative has no keywords yet, the built-in rules of the CA+JAD Tokyo Initiative apply (seed data:
`ledger.defaults`, `pledgewatch/data/seed/ca-jad-defaults.json`).
When no keyword matches at all, an optional offline model may suggest (see pillar_model.py).
"""

import re
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils.translation import gettext as _

from pledgewatch.ledger import defaults
from pledgewatch.ledger.models import Pillar
from pledgewatch.press.pillar_model import model_suggestion

DEFAULT_INITIATIVE = defaults.initiative_slug()


WHERE = {"title": lambda: _("title"), "sentence": lambda: _("sentence"), "text": lambda: _("text")}


@dataclass(frozen=True)
class Rule:
    pillar: str
    keyword: str
    focus_area: str | None
    pattern: re.Pattern


@dataclass(frozen=True)
class PillarRules:
    initiative: str
    rules: tuple[Rule, ...]
    order: tuple[str, ...]
    descriptions: tuple[str, ...] = ()  # per pillar: names and keywords, for the optional model


@dataclass(frozen=True)
class Suggestion:
    slug: str
    reason: str
    keyword: str
    focus_area: str | None = None


def _pattern(keyword: str) -> re.Pattern:
    if keyword.isascii() and len(keyword) <= 3:
        return re.compile(rf"\b{re.escape(keyword)}\b")
    return re.compile(re.escape(keyword), re.IGNORECASE)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def build_rules(initiative: str, pillars: list[tuple[str, str, list[tuple[str | None, str]]]],
                names: dict[str, str] | None = None) -> PillarRules:
    """Build rules from [(pillar slug, pillar keywords, [(focus slug, focus keywords), …]), …]."""
    rules = []
    descriptions = []
    for slug, keywords, focus_areas in pillars:
        for focus, focus_keywords in focus_areas:
            rules.extend(Rule(slug, k, focus, _pattern(k)) for k in _lines(focus_keywords))
        rules.extend(Rule(slug, k, None, _pattern(k)) for k in _lines(keywords))
        words = _lines(keywords) + [w for _, fk in focus_areas for w in _lines(fk)]
        descriptions.append(" ".join([(names or {}).get(slug, slug.replace("-", " ")), *words]))
    return PillarRules(initiative, tuple(rules), tuple(p[0] for p in pillars), tuple(descriptions))


def default_rules() -> PillarRules:
    """Return the built-in rules of the CA+JAD Tokyo Initiative."""
    return build_rules(DEFAULT_INITIATIVE, [(slug, words, []) for slug, words in defaults.press_keywords().items()])


def rules_for(slug: str = DEFAULT_INITIATIVE) -> PillarRules | None:
    """Return the rules of an initiative from the database; built-in ones when it has no keywords.

    Returns None when the initiative is unknown and is not the built-in one.
    """
    try:
        pillars = list(Pillar.objects.filter(initiative__slug=slug).prefetch_related("focus_areas"))
    except DatabaseError:
        pillars = []
    spec = [(p.slug, p.keywords, [(f.slug, f.keywords) for f in p.focus_areas.all()]) for p in pillars]
    names = {p.slug: " ".join(filter(None, [p.name_ja, p.name_en])) for p in pillars}
    if any(_lines(k) or any(_lines(fk) for _, fk in fa) for _, k, fa in spec):
        return build_rules(slug, spec, names)
    if slug == DEFAULT_INITIATIVE:
        return default_rules()
    return None if not spec else build_rules(slug, spec)


def suggest_pillar(rules: PillarRules, title: str, sentence: str, text: str = "") -> Suggestion | None:
    """Return the best pillar for a proposed commitment, with the keyword that decided it."""
    scores: dict[str, int] = {}
    first_hit: dict[str, tuple[Rule, str]] = {}
    for where, name in ((title, "title"), (sentence, "sentence"), (text, "text")):
        for rule in rules.rules:
            if where and rule.pattern.search(where):
                scores[rule.pillar] = scores.get(rule.pillar, 0) + 1
                first_hit.setdefault(rule.pillar, (rule, name))
        if scores:
            break  # keywords of the title decide; the sentence only when the title has none
    if not scores:
        found = model_suggestion(rules, f"{title} {sentence}".strip())
        return Suggestion(*found, "") if found else None
    best = max(scores, key=lambda slug: (scores[slug], -rules.order.index(slug)))
    rule, where = first_hit[best]
    if rule.focus_area:
        reason = _("keyword “%(keyword)s” in the %(where)s, focus area %(focus)s of pillar %(pillar)s") % {
            "keyword": rule.keyword, "where": WHERE[where](),
            "focus": rule.focus_area, "pillar": best}
    else:
        reason = _("keyword “%(keyword)s” in the %(where)s, pillar %(pillar)s") % {
            "keyword": rule.keyword, "where": WHERE[where](), "pillar": best}
    return Suggestion(best, reason, rule.keyword, rule.focus_area)
