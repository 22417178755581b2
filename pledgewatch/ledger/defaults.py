"""The default initiative's built-in defaults, kept as seed data (`pledgewatch/data/seed/ca-jad-defaults.json`).

The CA+JAD Tokyo Initiative is the project's default: its slug, the press extractor's pillar keywords
(used while the database has none) and the IATI import's first pillar mapping table (written once per
initiative, then edited in the admin). Another deployment changes the file, not the code.
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class PillarRuleDefault:
    """One row of the default IATI pillar mapping: the first of `pillars` the initiative has wins."""

    pillars: tuple[str, ...]
    dac_prefix: str
    keywords: str  # one per line, as PillarRule.keywords
    note: str


@cache
def _data() -> dict:
    text = resources.files("pledgewatch.data").joinpath("seed", "ca-jad-defaults.json").read_text(encoding="utf-8")
    return json.loads(text)


def initiative_slug() -> str:
    """Return the slug of the default initiative (the CA+JAD Tokyo Initiative)."""
    return _data()["initiative"]


def press_keywords() -> dict[str, str]:
    """Return the built-in press keywords per pillar slug, one keyword per line, in pillar order."""
    return {slug: "\n".join(words) for slug, words in _data()["press_pillar_keywords"].items()}


def iati_pillar_rules() -> list[PillarRuleDefault]:
    """Return the default IATI pillar mapping rules, in the order they are tried."""
    return [PillarRuleDefault(tuple(r["pillars"]), r["dac_prefix"], "\n".join(r["keywords"]), r["note"])
            for r in _data()["iati_pillar_rules"]]
