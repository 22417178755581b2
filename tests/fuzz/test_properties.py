"""Property tests (hypothesis): amounts and dates of press texts, Money, and the counting rules.

Each property writes a value the way a press text or a user would, parses it back, and requires the exact
same value (Decimal, never float); counting totals must not depend on the order of the items, splitting
must keep the sum, and converting to the headline currency and back stays within the rates' rounding.
"""

from datetime import date, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pledgewatch.ledger.counting import Item, Rules, allocate, count, country_shares
from pledgewatch.ledger.money import Money, MoneyError, format_decimal, to_decimal
from pledgewatch.ledger.rates import PLACES, RateBook
from pledgewatch.press.extract.dates import ERA_STARTS, ERAS, find_en_dates, find_ja_dates
from pledgewatch.press.extract.numbers import find_en_amounts, find_ja_amounts, parse_ja_number
from pledgewatch.press.extract.text import normalise
from pledgewatch.totals.progress import breakdowns, headline_total
from tests.ja_numbers import render_ja

settings.register_profile("pledgewatch-fuzz", max_examples=150, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings.get_profile("pledgewatch-fuzz")

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
KANJI = "〇一二三四五六七八九"

# ---------------------------------------------------------------- Japanese amounts

JA_QUALIFIERS = [("", "", "exact"), ("約", "", "approx"), ("", "規模", "approx"), ("", "程度", "approx"),
                 ("", "以上", "at_least"), ("", "を限度とする", "up_to"), ("供与限度額は", "", "up_to"),
                 ("最大", "", "up_to"), ("総額", "", "exact")]
JA_CURRENCIES = [("円", "JPY"), ("ドル", "USD"), ("米ドル", "USD"), ("ユーロ", "EUR")]
amounts = st.one_of(st.integers(min_value=1, max_value=10 ** 16 - 1).map(Decimal),
                    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2))


@FUZZ
@given(value=amounts, commas=st.booleans(), full_width=st.booleans(), qualifier=st.sampled_from(JA_QUALIFIERS),
       currency=st.sampled_from(JA_CURRENCIES))
def test_japanese_amount_written_then_found_is_exact(value, commas, full_width, qualifier, currency):
    pre, post, expected_qualifier = qualifier
    number = render_ja(value, commas=commas)
    if full_width:
        number = number.translate(FULL_WIDTH)
    text = f"日本政府は、{pre}{number}{currency[0]}{post}の協力を表明した。"
    found = find_ja_amounts(normalise(text))
    assert len(found) == 1, text
    amount = found[0]
    assert type(amount.value) is Decimal and amount.value == value, text
    assert (amount.currency, amount.qualifier) == (currency[1], expected_qualifier), text
    assert number in text[amount.start:amount.end]  # offsets point into the original (full-width) text


def kanji_group(n: int, *, ichi: bool) -> str:
    """Write 1..9999 in kanji with 千百十 (「四千五百六」), with or without 一 before 千/百/十."""
    out = ""
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, n = divmod(n, size)
        if digit:
            out += (KANJI[digit] if digit > 1 or ichi else "") + unit
    return out + (KANJI[n] if n else "")


@FUZZ
@given(groups=st.lists(st.integers(min_value=0, max_value=9999), min_size=4, max_size=4), ichi=st.booleans())
def test_kanji_numerals_with_big_units_are_exact(groups, ichi):
    assume(any(groups))
    text = "".join(kanji_group(g, ichi=ichi) + unit for g, unit in zip(groups, ("兆", "億", "万", ""), strict=True)
                   if g)
    value = sum(Decimal(g) * Decimal(10) ** e for g, e in zip(groups, (12, 8, 4, 0), strict=True))
    assert parse_ja_number(text) == value, text
    assert parse_ja_number(render_ja(value)) == value


@FUZZ
@given(whole=st.integers(min_value=0, max_value=99999), places=st.integers(min_value=1, max_value=4),
       fraction=st.integers(min_value=1, max_value=9999), unit=st.sampled_from(["兆", "億", "万"]))
def test_decimal_number_before_a_unit_is_exact(whole, places, fraction, unit):
    digits = str(fraction % 10 ** places).zfill(places)
    text = f"{whole}.{digits}{unit}"
    expected = Decimal(f"{whole}.{digits}") * {"兆": 10 ** 12, "億": 10 ** 8, "万": 10 ** 4}[unit]
    assert parse_ja_number(text) == expected


# ---------------------------------------------------------------- English amounts

EN_FORMS = [("JPY {n}", "JPY"), ("US${n}", "USD"), ("USD {n}", "USD"), ("¥{n}", "JPY"), ("€{n}", "EUR"),
            ("{n} yen", "JPY"), ("{n} Japanese yen", "JPY"), ("{n} US dollars", "USD"), ("{n} euros", "EUR")]
EN_QUALIFIERS = [("", "exact"), ("up to ", "up_to"), ("a maximum of ", "up_to"), ("approximately ", "approx"),
                 ("about ", "approx"), ("around ", "approx"), ("at least ", "at_least"), ("more than ", "at_least")]
EN_SCALES = [("", 1), (" thousand", 10 ** 3), (" million", 10 ** 6), (" billion", 10 ** 9), (" trillion", 10 ** 12),
             (" bn", 10 ** 9), (" mn", 10 ** 6)]


def english_number(value: Decimal, commas: bool) -> str:
    whole, _, fraction = format(value, "f").partition(".")
    whole = f"{int(whole):,}" if commas else whole
    return whole + ("." + fraction if fraction else "")


@FUZZ
@given(value=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999.999"), places=3),
       commas=st.booleans(), form=st.sampled_from(EN_FORMS), qualifier=st.sampled_from(EN_QUALIFIERS),
       scale=st.sampled_from(EN_SCALES))
def test_english_amount_written_then_found_is_exact(value, commas, form, qualifier, scale):
    pattern, currency = form
    if "{n} " in pattern and scale[0]:
        pattern = pattern.replace("{n} ", "{n}" + scale[0] + " ")
    else:
        pattern = pattern.replace("{n}", "{n}" + scale[0])
    text = f"Japan will provide {qualifier[0]}{pattern.format(n=english_number(value, commas))} to Uzbekistan."
    found = find_en_amounts(text)
    assert len(found) == 1, text
    assert type(found[0].value) is Decimal and found[0].value == value * scale[1], text
    assert (found[0].currency, found[0].qualifier) == (currency, qualifier[1]), text


def test_the_design_examples():
    assert [(a.value, a.currency) for a in find_en_amounts("a loan of JPY 21.368 billion")] == [
        (Decimal("21368000000.000"), "JPY")]
    assert [(a.value, a.currency) for a in find_en_amounts("US$195 million")] == [(Decimal("195000000"), "USD")]


# ---------------------------------------------------------------- dates

ERA_ORDER = sorted(ERA_STARTS, key=ERA_STARTS.get)


def era_of(day: date) -> str:
    return [e for e in ERA_ORDER if ERA_STARTS[e] <= day][-1]


@FUZZ
@given(day=st.dates(min_value=date(1868, 10, 23), max_value=date(2099, 12, 31)), full_width=st.booleans(),
       gannen=st.booleans())
def test_era_date_written_then_found_is_the_same_day(day, full_width, gannen):
    era = era_of(day)
    number = day.year - ERAS[era] + 1
    year = "元" if number == 1 and gannen else str(number)
    text = f"{era}{year}年{day.month}月{day.day}日に署名された。"
    if full_width:
        text = text.translate(FULL_WIDTH)
    found = find_ja_dates(normalise(text))
    assert [f.value for f in found] == [day], text
    assert (found[0].start, found[0].end) == (0, text.index("日") + 1)


@FUZZ
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       style=st.sampled_from(["{y}年{m}月{d}日", "{y}/{m}/{d}", "{y}.{m}.{d}"]))
def test_gregorian_japanese_date_round_trips(day, style):
    text = "署名日：" + style.format(y=day.year, m=day.month, d=day.day) + "。"
    assert [f.value for f in find_ja_dates(normalise(text))] == [day]


@FUZZ
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       style=st.sampled_from(["%B {d}, %Y", "{d} %B %Y", "%b. {d}, %Y", "%Y-%m-%d", "{d} %b %Y"]))
def test_english_date_round_trips(day, style):
    text = "It was signed on " + day.strftime(style.replace("{d}", str(day.day))) + " in Tokyo."
    assert [f.value for f in find_en_dates(text)] == [day], text


# ---------------------------------------------------------------- Money

money_amounts = st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"), places=4, allow_nan=False,
                            allow_infinity=False)


@FUZZ
@given(amount=money_amounts, currency=st.sampled_from(["JPY", "USD", "EUR", "KZT", "UZS"]),
       qualifier=st.sampled_from(["exact", "approx", "up_to", "at_least"]))
def test_money_json_round_trip_is_exact(amount, currency, qualifier):
    money = Money(amount, currency, qualifier)
    data = money.as_json()
    assert "e" not in data["amount"].lower()  # plain decimal string, never an exponent
    back = Money.from_json(data)
    assert back == money and type(back.amount) is Decimal
    assert to_decimal(format_decimal(amount)) == amount


@FUZZ
@given(amounts=st.lists(money_amounts, min_size=1, max_size=30), data=st.data())
def test_money_sums_do_not_depend_on_order(amounts, data):
    shuffled = data.draw(st.permutations(amounts))
    assert sum((Money(a, "JPY").amount for a in amounts), Decimal(0)) == sum(
        (Money(a, "JPY").amount for a in shuffled), Decimal(0))


@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_money_refuses_floats(value):
    with pytest.raises(MoneyError, match=r"^Money amounts must not be floats; pass a str or Decimal$"):
        Money(value, "JPY")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN", "1e", "", "1,000", "¥1"])
def test_money_refuses_non_finite_and_non_numbers(text):
    with pytest.raises(MoneyError):
        Money(text, "JPY")


# ---------------------------------------------------------------- counting rules

RULES = Rules(headline_currency="JPY", horizon_start=date(2025, 12, 20), horizon_end=date(2030, 12, 20))
BOOK = RateBook("date", use_db=False)
COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ"]


@st.composite
def items(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    out = []
    for i in range(n):
        codes = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=5, unique=True))
        shares = draw(st.one_of(st.none(), st.lists(st.integers(min_value=1, max_value=100), min_size=len(codes),
                                                    max_size=len(codes))))
        qualifier = draw(st.sampled_from(["exact", "approx", "up_to", "at_least", "undisclosed"]))
        out.append(Item(
            id=i + 1, stage=draw(st.sampled_from(["announced", "signed", "committed", "disbursing", "completed",
                                                 "cancelled"])),
            amount=None if qualifier == "undisclosed" else draw(st.decimals(
                min_value=0, max_value=Decimal("1e15"), places=4, allow_nan=False, allow_infinity=False)),
            currency=draw(st.sampled_from(["JPY", "USD", "EUR"])), qualifier=qualifier,
            date=date(2025, 12, 22) + timedelta(days=draw(st.integers(min_value=0, max_value=300))),
            pillar_id=draw(st.sampled_from([None, 1, 2, 3])),
            focus_area_ids=tuple(draw(st.lists(st.integers(min_value=1, max_value=6), max_size=3, unique=True))),
            countries=tuple((c, None if shares is None else Decimal(s)) for c, s in zip(codes, shares or codes,
                                                                                       strict=True)),
            instrument=draw(st.sampled_from(["loan", "grant", "investment"]))))
    return out


def totals(counted) -> tuple:
    """Return the headline total (as progress() adds it) and every breakdown bucket."""
    total = headline_total([c for c in counted if c.counts])
    parts = breakdowns(counted)
    return total, {k: {key: (b.amount, b.count, b.undisclosed, b.qualifier) for key, b in v.items()}
                   for k, v in parts.items()}


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=items(), data=st.data())
def test_totals_and_breakdowns_are_invariant_under_reordering(ledger, data):
    shuffled = data.draw(st.permutations(ledger))
    assert totals(count(ledger, RULES, BOOK)) == totals(count(shuffled, RULES, BOOK))


@FUZZ
@given(amount=st.decimals(min_value=0, max_value=Decimal("1e20"), places=4, allow_nan=False, allow_infinity=False),
       shares=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10 ** 6)), min_size=1, max_size=12))
def test_splitting_a_commitment_never_changes_its_sum(amount, shares):
    given_shares = [(f"C{i}", None if s is None else Decimal(s)) for i, s in enumerate(shares)]
    with localcontext() as ctx:
        ctx.prec = 34
        fractions = country_shares(given_shares)
        parts = allocate(amount, fractions)
    assert sum(p for _, p in parts) == amount
    assert [k for k, _ in parts] == [k for k, _ in given_shares]
    assert all(p.as_tuple().exponent >= -4 for _, p in parts)  # to 0.0001, as stored


@FUZZ
@given(amount=st.decimals(min_value=0, max_value=Decimal("1e15"), places=4, allow_nan=False, allow_infinity=False),
       currency=st.sampled_from(["USD", "EUR", "KZT", "CNY", "KRW", "GBP"]),
       day=st.dates(min_value=date(2015, 1, 5), max_value=date(2025, 12, 19)),
       policy=st.sampled_from(["date", "month", "year"]))
def test_conversion_to_the_headline_currency_and_back_stays_within_the_rates_rounding(amount, currency, day, policy):
    book = RateBook(policy, use_db=False)
    there, back = book.get(currency, "JPY", day), book.get("JPY", currency, day)
    assume(there is not None and back is not None)
    with localcontext() as ctx:
        ctx.prec = 34
        round_trip = amount * there.rate * back.rate
        # each rate is rounded to PLACES: the error is at most one unit of that rounding, each way
        bound = amount * PLACES * (there.rate + back.rate)
    assert abs(round_trip - amount) <= bound
    assert there.on == back.on and there.source == back.source
