"""Numbers as each reader expects them: 3兆円 / ¥3 trillion / 3 трлн иен, exact strings."""

from decimal import Decimal

import pytest

from pledgewatch.ledger import formatting as numbers
from pledgewatch.ledger.money import Money

NB = "\u00a0"


@pytest.mark.parametrize(("amount", "currency", "ja", "en", "ru"), [
    ("3000000000000", "JPY", "3兆円", "¥3 trillion", "3 трлн иен"),
    ("21368000000", "JPY", "213.68億円", "¥21.37 billion", "21,37 млрд иен"),
    ("21368000000.0000", "JPY", "213.68億円", "¥21.37 billion", "21,37 млрд иен"),
    ("563530000000", "JPY", "5,635.3億円", "¥563.53 billion", "563,53 млрд иен"),
    ("1500000000000", "JPY", "1.5兆円", "¥1.5 trillion", "1,5 трлн иен"),
    ("100000000", "JPY", "1億円", "¥100 million", "100 млн иен"),
    ("950000", "JPY", "95万円", "¥950,000", f"950{NB}000 иен"),  # the currency word below a million too
    ("5000", "JPY", "5,000円", "¥5,000", f"5{NB}000 иен"),
    ("0", "JPY", "0円", "¥0", "0 иен"),  # the ru pipeline card said "0 JPY" (issue 17)
    ("999995000", "JPY", "10億円", "¥1 billion", "1 млрд иен"),  # rounding carries into the next unit
    ("99999500", "JPY", "1億円", "¥100 million", "100 млн иен"),
    ("195000000", "USD", "1.95億米ドル", "US$195 million", "195 млн долларов США"),
    ("1234.5", "USD", "1,234.50米ドル", "US$1,234.50", f"1{NB}234,50 долларов США"),
    ("2500000000", "EUR", "25億ユーロ", "€2.5 billion", "2,5 млрд евро"),
    ("5000000000", "KZT", "50億テンゲ", "KZT 5 billion", "5 млрд тенге"),
    ("7000000", "XAF", "700万 XAF", "XAF 7 million", "7 млн XAF"),
    ("12345678901234", "JPY", "12.35兆円", "¥12.35 trillion", "12,35 трлн иен"),
    ("-21368000000", "JPY", "-213.68億円", "-¥21.37 billion", "-21,37 млрд иен"),
])
def test_format_amount(amount, currency, ja, en, ru):
    assert numbers.format_amount(Decimal(amount), currency, "ja") == ja
    assert numbers.format_amount(Decimal(amount), currency, "en") == en
    assert numbers.format_amount(amount, currency, "ru") == ru


@pytest.mark.parametrize(("qualifier", "ja", "en", "ru"), [
    ("exact", "213.68億円", "¥21.37 billion", "21,37 млрд иен"),
    ("approx", "約213.68億円", "about ¥21.37 billion", "около 21,37 млрд иен"),
    ("up_to", "最大213.68億円", "up to ¥21.37 billion", "до 21,37 млрд иен"),
    ("at_least", "213.68億円以上", "at least ¥21.37 billion", "не менее 21,37 млрд иен"),
])
def test_format_money_qualifiers(qualifier, ja, en, ru):
    money = {"amount": "21368000000", "currency": "JPY", "qualifier": qualifier}
    assert [numbers.format_money(money, lang) for lang in ("ja", "en", "ru")] == [ja, en, ru]
    assert numbers.format_money(Money(Decimal("21368000000"), "JPY", qualifier), "en") == en


def test_undisclosed_and_missing_money():
    undisclosed = {"amount": None, "currency": None, "qualifier": "undisclosed"}
    assert [numbers.format_money(undisclosed, lang) for lang in ("ja", "en", "ru")] == [
        "非公表", "undisclosed", "сумма не раскрыта"]
    assert numbers.format_money(None, "en") == ""


def test_full_amounts():
    money = {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert numbers.format_money(money, "ja", compact=False) == "約21,368,000,000円"
    assert numbers.format_money(money, "en", compact=False) == "about ¥21,368,000,000"
    assert numbers.format_money(money, "ru", compact=False) == f"около 21{NB}368{NB}000{NB}000 иен"
    assert numbers.format_money(money, "en", qualifier=False) == "¥21.37 billion"


def test_target_of_the_seed_in_each_language():
    target = {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert numbers.format_money(target, "ja") == "約3兆円"
    assert numbers.format_money(target, "en") == "about ¥3 trillion"
    assert numbers.format_money(target, "ru") == "около 3 трлн иен"


@pytest.mark.parametrize(("share", "en", "ru"), [
    ("0.0071", "0.71%", f"0,71{NB}%"), ("0.1878", "18.78%", f"18,78{NB}%"), ("1", "100%", f"100{NB}%"),
    ("0", "0%", f"0{NB}%"), ("0.00005", "0.01%", f"0,01{NB}%"), ("0.1", "10%", f"10{NB}%"),
])
def test_format_share(share, en, ru):
    assert numbers.format_share(share, "en") == en
    assert numbers.format_share(share, "ja") == en
    assert numbers.format_share(Decimal(share), "ru") == ru


def test_format_rate():
    assert numbers.format_rate("0.0061234567", "en") == "0.006123"
    assert numbers.format_rate("156.25", "ru") == "156,25"
    assert numbers.format_rate(Decimal("1"), "ja") == "1"


@pytest.mark.parametrize(("peak", "ja", "en", "ru"), [
    ("3000000000000", (10**12, "兆円"), (10**12, "¥ trillion"), (10**12, "трлн иен")),
    ("21368000000", (10**8, "億円"), (10**9, "¥ billion"), (10**9, "млрд иен")),
    ("950000", (10**4, "万円"), (1, "¥"), (1, "иен")),
    ("0", (1, "円"), (1, "¥"), (1, "иен")),
])
def test_chart_scale(peak, ja, en, ru):
    assert numbers.chart_scale(Decimal(peak), "JPY", "ja") == ja
    assert numbers.chart_scale(Decimal(peak), "JPY", "en") == en
    assert numbers.chart_scale(Decimal(peak), "JPY", "ru") == ru


def test_floats_are_refused():
    with pytest.raises(TypeError, match="not float"):
        numbers.format_amount(1.5, "JPY", "en")


def test_language_falls_back_to_english_and_follows_the_active_language():
    from django.utils import translation

    assert numbers.language("de") == "en"
    with translation.override("ru"):
        assert numbers.format_amount("3000000000000", "JPY") == "3 трлн иен"
    with translation.override("ja"):
        assert numbers.format_amount("3000000000000", "JPY") == "3兆円"
