"""Dates in Japanese and English press texts: Gregorian, Japanese eras (明治…令和, 元年), month-day only.

A month-day date without a year ("12月17日", "on December 17") takes its year from the nearest full
date before it in the text, else from the first full date after it; a day alone ("本20日、", "は1日、")
takes the month too (the month before when the day is later than the day of the full date before it).
"""

import re
from dataclasses import dataclass
from datetime import date

ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
# The first day of each era; a date before it is not a date of that era.
ERA_STARTS = {"明治": date(1868, 10, 23), "大正": date(1912, 7, 30), "昭和": date(1926, 12, 25),
              "平成": date(1989, 1, 8), "令和": date(2019, 5, 1)}
MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}

JA_DATE_RE = re.compile(
    r"(?:(?P<era>明治|大正|昭和|平成|令和)(?P<eyear>元|[0-9]{1,2})|(?P<year>[0-9]{4}))年\s*"
    r"(?P<month>[0-9]{1,2})月\s*(?P<day>[0-9]{1,2})日"
    r"|(?P<syear>[0-9]{4})[/.](?P<smonth>[0-9]{1,2})[/.](?P<sday>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9年月/])(?P<mmonth>[0-9]{1,2})月\s*(?P<mday>[0-9]{1,2})日"
    r"|(?<=[は本、])(?P<dday>[0-9]{1,2})日(?=[、（(にの])"
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
EN_DATE_RE = re.compile(
    rf"\b(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>[0-9]{{4}}))?\b"
    rf"|\b(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH_NAMES})\.?(?:,?\s+(?P<y2>[0-9]{{4}}))?\b"
    r"|\b(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text; `year_from_context` when the text gave only month and day."""

    value: date | None
    start: int
    end: int
    month: int = 0
    day: int = 0
    year_from_context: bool = False

    def as_json(self) -> dict:
        return {"date": self.value.isoformat() if self.value else None, "start": self.start, "end": self.end}


def era_year(era: str, year: str) -> int:
    """Return the Gregorian year of an era year (令和元年 → 2019, 平成13年 → 2001)."""
    if era not in ERAS:
        raise ValueError(f"Unknown era {era!r}")
    number = 1 if year == "元" else int(year)
    if number < 1:
        raise ValueError(f"No year {number} in era {era}")
    return ERAS[era] + number - 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_context(found: list[FoundDate]) -> list[FoundDate]:
    """Give month-day dates the year of the nearest full date before (else after) them."""
    resolved = []
    for i, item in enumerate(found):
        if item.value is not None or not item.year_from_context:
            resolved.append(item)
            continue
        before = [f for f in found[:i] if f.value is not None and not f.year_from_context]
        after = [f for f in found[i + 1:] if f.value is not None and not f.year_from_context]
        anchor = before[-1] if before else (after[0] if after else None)
        value = None
        if anchor and item.month:
            value = _safe_date(anchor.value.year, item.month, item.day)
        elif anchor:  # day only ("本20日"): the anchor's month, or the month before for a later day
            year, month = anchor.value.year, anchor.value.month
            if item.day > anchor.value.day and before:
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            value = _safe_date(year, month, item.day)
        resolved.append(FoundDate(value, item.start, item.end, item.month, item.day, True))
    return [f for f in resolved if f.value is not None]


def find_ja_dates(text: str) -> list[FoundDate]:
    """Return every date in a width-normalised Japanese text, month-day ones resolved from context."""
    found = []
    for m in JA_DATE_RE.finditer(text):
        if m.group("dday"):
            found.append(FoundDate(None, m.start(), m.end(), 0, int(m.group("dday")), True))
            continue
        if m.group("mmonth"):
            found.append(FoundDate(None, m.start(), m.end(), int(m.group("mmonth")), int(m.group("mday")), True))
            continue
        if m.group("syear"):
            year, month, day = int(m.group("syear")), int(m.group("smonth")), int(m.group("sday"))
        else:
            month, day = int(m.group("month")), int(m.group("day"))
            if m.group("era"):
                try:
                    year = era_year(m.group("era"), m.group("eyear"))
                except ValueError:
                    continue
            else:
                year = int(m.group("year"))
        value = _safe_date(year, month, day)
        if value is None or (m.group("era") and value < ERA_STARTS[m.group("era")]):
            continue
        found.append(FoundDate(value, m.start(), m.end(), month, day))
    return _resolve_context(found)


def find_en_dates(text: str) -> list[FoundDate]:
    """Return every date in an English text ("December 17, 2025", "17 December 2025", "2025-12-17")."""
    found = []
    for m in EN_DATE_RE.finditer(text):
        if m.group("iy"):
            value = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            if value:
                found.append(FoundDate(value, m.start(), m.end(), value.month, value.day))
            continue
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        year = m.group("y1") or m.group("y2")
        if year:
            value = _safe_date(int(year), month, day)
            if value:
                found.append(FoundDate(value, m.start(), m.end(), month, day))
        elif (m.group("m1") and (m.group("m1").lower() != "may" or m.group("m1")[0] == "M")) or m.group("m2"):
            found.append(FoundDate(None, m.start(), m.end(), month, day, True))
    return _resolve_context(found)
