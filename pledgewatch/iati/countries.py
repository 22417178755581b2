"""Country names (English, Japanese, Russian) for inferring a recipient from a location text."""

import re
from functools import cache

from pledgewatch.ledger.countries import country_rows

# Country names in location texts (besides the ISO names known to the ledger)
NAME_VARIANTS = {"kyrgyz republic": "KG", "kyrgyz": "KG", "kirghizia": "KG", "tajik": "TJ",
                 "uzbek": "UZ", "kazakh": "KZ", "turkmen": "TM", "キルギス": "KG", "タジキスタン": "TJ",
                 "ウズベキスタン": "UZ", "カザフスタン": "KZ", "トルクメニスタン": "TM"}


@cache
def name_index() -> list[tuple[str, str]]:
    """Return [(lower-case name, ISO code)], longest names first (so "Niger" does not hide "Nigeria")."""
    pairs = set(NAME_VARIANTS.items())
    for row in country_rows():
        for key in ("name_en", "name_ja", "name_ru"):
            name = (row.get(key) or "").strip().lower()
            if len(name) >= 4:
                pairs.add((name, row["code"]))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


@cache
def name_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """Return one regular expression matching any country name (not inside a word) and name → code."""
    index = name_index()
    codes: dict[str, str] = {}
    for name, code in index:
        codes.setdefault(name, code)
    alternatives = "|".join(re.escape(name) for name, _code in index)
    return re.compile(rf"(?<!\w)(?:{alternatives})"), codes
