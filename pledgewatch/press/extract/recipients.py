"""Recipient countries named in a text: the five Central Asian states by every common name, and groups."""

import re

# Aliases per ISO 3166-1 alpha-2 code (Japanese and English).
ALIASES = {
    "KZ": ("カザフスタン共和国", "カザフスタン", "Republic of Kazakhstan", "Kazakhstan", "Kazakh"),
    "KG": ("キルギス共和国", "キルギス", "クルグズ共和国", "クルグズスタン", "クルグズ", "Kyrgyz Republic",
           "Kyrgyzstan", "Kyrgyz"),
    "TJ": ("タジキスタン共和国", "タジキスタン", "Republic of Tajikistan", "Tajikistan", "Tajik"),
    "TM": ("トルクメニスタン", "Turkmenistan", "Turkmen"),
    "UZ": ("ウズベキスタン共和国", "ウズベキスタン", "Republic of Uzbekistan", "Uzbekistan", "Uzbek"),
    "MN": ("モンゴル国", "モンゴル", "Mongolia"),
    "AF": ("アフガニスタン", "Afghanistan"),
}
CENTRAL_ASIA = ("KZ", "KG", "TJ", "TM", "UZ")
GROUP_RE = re.compile(
    r"中央アジア(?:の)?(?:5|五)(?:か|カ|ケ|ヶ|箇)国|中央アジア諸国|中央アジア各国"
    r"|(?:all\s+)?(?:the\s+)?five\s+Central\s+Asian\s+(?:countries|states|nations)"
    r"|all\s+(?:the\s+)?Central\s+Asian\s+(?:countries|states|nations)",
    re.IGNORECASE,
)
_LOOKUP = {alias.lower(): code for code, names in ALIASES.items() for alias in names}
ALIAS_RE = re.compile(r"\b(?:" + "|".join(sorted((re.escape(a) for a in _LOOKUP if a.isascii()),
                                                  key=len, reverse=True)) + r")\b", re.IGNORECASE)
JA_ALIAS_RE = re.compile("|".join(sorted((re.escape(a) for a in _LOOKUP if not a.isascii()),
                                         key=len, reverse=True)))


def country_of(name: str) -> str | None:
    """Return the ISO2 code of a country name or alias, or None."""
    return _LOOKUP.get(name.lower())


def find_recipients(text: str, language: str, tokens=None) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return (start, end, codes) for every recipient mention, groups giving all five states.

    For Japanese, country names come from Sudachi's 地名/国 tags when tokens are given, so that a name
    is only taken where Sudachi reads a country.
    """
    found = [(m.start(), m.end(), CENTRAL_ASIA) for m in GROUP_RE.finditer(text)]
    taken = {i for s, e, _ in found for i in range(s, e)}  # character positions inside group mentions
    if language == "ja" and tokens is not None:
        singles = []
        for t in tokens:
            if t.pos[2:4] != ("地名", "国"):
                continue
            code = country_of(t.surface) or country_of(t.normalized)
            if code is None:
                m = JA_ALIAS_RE.match(t.surface)
                code = country_of(m.group()) if m else None
            if code:
                singles.append((t.start, t.end, (code,)))
        # names Sudachi splits or tags otherwise ("クルグズ") are found by the alias list
        covered = {i for s, e, _ in singles for i in range(s, e)}
        for m in JA_ALIAS_RE.finditer(text):
            if m.start() not in covered:
                singles.append((m.start(), m.end(), (_LOOKUP[m.group().lower()],)))
    else:
        pattern = JA_ALIAS_RE if language == "ja" else ALIAS_RE
        singles = [(m.start(), m.end(), (_LOOKUP[m.group().lower()],)) for m in pattern.finditer(text)]
    found.extend((s, e, codes) for s, e, codes in singles if s not in taken)
    return sorted(found)
