"""Date rules: Gregorian, slashes, eras (明治…令和, 元年), month-day and day-only from context, English."""

import re
from datetime import date

import pytest

from pledgewatch.press.extract.dates import era_year, find_en_dates, find_ja_dates


def exact(message: str) -> str:
    """Return a pattern matching exactly this error message."""
    return "^" + re.escape(message) + "$"


def ja(text):
    return [(d.value, text[d.start:d.end]) for d in find_ja_dates(text)]


def en(text):
    return [(d.value, text[d.start:d.end]) for d in find_en_dates(text)]


@pytest.mark.parametrize(("era", "year", "expected"), [
    ("令和", "元", 2019), ("令和", "7", 2025), ("平成", "13", 2001), ("平成", "元", 1989), ("昭和", "64", 1989),
    ("大正", "15", 1926), ("明治", "45", 1912),
])
def test_era_year(era, year, expected):
    assert era_year(era, year) == expected


def test_era_errors():
    with pytest.raises(ValueError, match=exact("Unknown era '天平'")):
        era_year("天平", "1")
    with pytest.raises(ValueError, match=exact("No year 0 in era 令和")):
        era_year("令和", "0")


def test_japanese_dates():
    text = "2025年12月20日、令和7年12月19日、平成13年1月15日、令和元年5月1日、2025/12/20"
    assert ja(text) == [
        (date(2025, 12, 20), "2025年12月20日"), (date(2025, 12, 19), "令和7年12月19日"),
        (date(2001, 1, 15), "平成13年1月15日"), (date(2019, 5, 1), "令和元年5月1日"),
        (date(2025, 12, 20), "2025/12/20")]


def test_era_date_before_the_era_began_is_refused():
    assert ja("令和元年4月30日") == []
    assert ja("2025年2月30日") == []


def test_month_day_takes_year_from_context():
    assert ja("2025年12月18日\nJICAは、12月17日、調印した。") == [
        (date(2025, 12, 18), "2025年12月18日"), (date(2025, 12, 17), "12月17日")]
    assert ja("1月14日に署名。2026年1月15日発表") == [
        (date(2026, 1, 14), "1月14日"), (date(2026, 1, 15), "2026年1月15日")]


def test_day_only_takes_month_and_year_from_context():
    assert ja("令和7年12月20日\n本20日（現地時間同日）") == [
        (date(2025, 12, 20), "令和7年12月20日"), (date(2025, 12, 20), "20日")]
    assert ja("2025年10月2日\n日本政府は1日、発表した。") == [
        (date(2025, 10, 2), "2025年10月2日"), (date(2025, 10, 1), "1日")]
    assert ja("2026年3月2日\n政府は28日、発表した。") == [
        (date(2026, 3, 2), "2026年3月2日"), (date(2026, 2, 28), "28日")]


def test_month_day_without_any_year_is_dropped():
    assert ja("12月17日に署名") == []


def test_english_dates():
    text = "December 17, 2025; 17 December 2025; Dec. 3, 2025; 2026-02-03; on December 20"
    assert en(text) == [
        (date(2025, 12, 17), "December 17, 2025"), (date(2025, 12, 17), "17 December 2025"),
        (date(2025, 12, 3), "Dec. 3, 2025"), (date(2026, 2, 3), "2026-02-03"), (date(2026, 12, 20), "December 20")]
