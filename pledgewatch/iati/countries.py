"""Country names (English, Japanese, Russian) for inferring a recipient from a location text."""

from functools import cache


@cache
def name_index() -> list[tuple[str, str]]:
    """Return [(lower-case name, ISO code)], longest names first (so "Niger" does not hide "Nigeria")."""
    from pledgewatch.ledger.countries import country_rows

    pairs = set()
    for row in country_rows():
        for key in ("name_en", "name_ja", "name_ru"):
            name = (row.get(key) or "").strip().lower()
            if len(name) >= 4:
                pairs.add((name, row["code"]))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))
