"""Amount rules: Japanese units and numerals, qualifiers, currencies, English forms; exact Decimals."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgewatch.press.extract.numbers import (
    find_en_amounts,
    find_ja_amounts,
    kanji_small,
    parse_ja_number,
)
from pledgewatch.press.extract.text import normalise
from tests.ja_numbers import render_ja


def exact(message: str) -> str:
    """Return a pattern matching exactly this error message."""
    return "^" + re.escape(message) + "$"


def ja(text):
    return [(str(a.value), a.currency, a.qualifier, text[a.start:a.end]) for a in find_ja_amounts(normalise(text))]


def en(text):
    return [(str(a.value), a.currency, a.qualifier, text[a.start:a.end]) for a in find_en_amounts(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("18億4,600万", "1846000000"), ("1,234億", "123400000000"), ("213.68億", "21368000000.00"),
    ("四百万", "4000000"), ("四億五千万", "450000000"), ("1兆5000億", "1500000000000"), ("2千億", "200000000000"),
    ("三十五", "35"), ("二〇二五", "2025"), ("98,765", "98765"), ("3兆", "3000000000000"),
])
def test_parse_ja_number(text, value):
    assert parse_ja_number(text) == Decimal(value)


def test_units_out_of_order_are_refused():
    with pytest.raises(ValueError, match=exact("Units out of order in '5万3億'")):
        parse_ja_number("5万3億")


def test_kanji_small():
    assert [kanji_small(t) for t in ("十", "十二", "百五", "千二百三十四", "九")] == [10, 12, 105, 1234, 9]


@pytest.mark.parametrize(("text", "expected"), [
    ("供与限度額18億4,600万円の", ("1846000000", "JPY", "up_to", "供与限度額18億4,600万円")),
    ("１，２３４億円", ("123400000000", "JPY", "exact", "１，２３４億円")),
    ("約２１３．６８億円", ("21368000000.00", "JPY", "approx", "約２１３．６８億円")),
    ("四百万円の緊急無償", ("4000000", "JPY", "exact", "四百万円")),
    ("3兆円規模の", ("3000000000000", "JPY", "approx", "3兆円規模")),
    ("100億円以上を出資", ("10000000000", "JPY", "at_least", "100億円以上")),
    ("213億6,800万円を限度とする円借款", ("21368000000", "JPY", "up_to", "213億6,800万円を限度とする")),
    ("約1億2,000万米ドル", ("120000000", "USD", "approx", "約1億2,000万米ドル")),
    ("最大5億ドルを融資", ("500000000", "USD", "up_to", "最大5億ドル")),
    ("約250万ユーロ相当", ("2500000", "EUR", "approx", "約250万ユーロ相当")),
    ("供与額：98,765米ドル", ("98765", "USD", "exact", "98,765米ドル")),
])
def test_japanese_amounts(text, expected):
    assert ja(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("a loan of up to 42 billion yen", ("42000000000", "JPY", "up_to", "up to 42 billion yen")),
    ("JPY 21.368 billion", ("21368000000.000", "JPY", "exact", "JPY 21.368 billion")),
    ("approximately ¥1.5 billion", ("1500000000.0", "JPY", "approx", "approximately ¥1.5 billion")),
    ("US$120 million", ("120000000", "USD", "exact", "US$120 million")),
    ("USD 18 million", ("18000000", "USD", "exact", "USD 18 million")),
    ("grant aid of 264 million yen", ("264000000", "JPY", "exact", "264 million yen")),
    ("more than 500 billion yen", ("500000000000", "JPY", "at_least", "more than 500 billion yen")),
    ("US$89,950 for", ("89950", "USD", "exact", "US$89,950")),
    ("EUR 2.5 million", ("2500000.0", "EUR", "exact", "EUR 2.5 million")),
])
def test_english_amounts(text, expected):
    assert en(text) == [expected]


def test_numbers_without_currency_are_not_amounts():
    assert ja("人口約3,700万人、150件以上の文書") == []
    assert en("about 20 million people in 2024") == []


def test_render_ja_examples():
    assert render_ja(Decimal("21368000000")) == "213億6,800万"
    assert render_ja(Decimal("3000000000000")) == "3兆"
    assert render_ja(Decimal("0")) == "0"
    assert render_ja(Decimal("12345.5"), commas=False) == "1万2345.5"


@given(st.decimals(min_value=0, max_value=Decimal("9999999999999999"), places=0, allow_nan=False),
       st.booleans())
def test_render_then_parse_integers(value, commas):
    assert parse_ja_number(render_ja(value, commas=commas)) == value


@given(st.decimals(min_value=0, max_value=Decimal("99999999999"), places=2, allow_nan=False))
def test_render_then_parse_with_fraction(value):
    assert parse_ja_number(render_ja(value)) == value


@given(st.integers(min_value=0, max_value=99999), st.integers(min_value=1, max_value=99),
       st.sampled_from(["億", "万", "兆"]))
def test_decimal_unit_form_is_exact(whole, cents, unit):
    """「213.68億」 is exactly 21368000000: the unit multiplies a Decimal, never a float."""
    text = f"{whole}.{cents:02d}{unit}"
    scale = {"万": 10 ** 4, "億": 10 ** 8, "兆": 10 ** 12}[unit]
    assert parse_ja_number(text) == Decimal(f"{whole}.{cents:02d}") * scale
    assert parse_ja_number(text) == Decimal(whole * scale + cents * scale // 100)
