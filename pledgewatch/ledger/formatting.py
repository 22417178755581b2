"""Format money, shares, rates and dates the way each reader expects: the one place that does it.

Pages, e-mails, feeds, exports' labels and charts all call these functions, so one figure reads the
same everywhere (約213.68億円 on the page, in the newsletter and in the feed). This module imports no
app (web, newsletter, exports may all import it).

Japanese readers count in 万 (10⁴), 億 (10⁸) and 兆 (10¹²): 3兆円, 213.68億円. English readers count in
millions, billions and trillions: ¥3 trillion, ¥21.37 billion. Russian readers use the short words
тыс./млн/млрд/трлн, a decimal comma and a space between digit groups: 3 трлн иен, 21,37 млрд иен.
Amounts are Decimal (or decimal strings from the API form); nothing here touches float.
The unit and currency words are locale data (like CLDR's compact formats); the qualifier words
("about", "up to") go through gettext.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# (power of ten, word) from the largest; the reader's compact units
UNITS = {
    "ja": ((12, "兆"), (8, "億"), (4, "万")),
    "en": ((12, " trillion"), (9, " billion"), (6, " million")),
    "ru": ((12, " трлн"), (9, " млрд"), (6, " млн")),
}
# Japanese: the currency word follows the number (3兆円, 1.95億米ドル)
JA_CURRENCY = {"JPY": "円", "USD": "米ドル", "EUR": "ユーロ", "GBP": "英ポンド", "CNY": "人民元", "RUB": "ルーブル",
               "KZT": "テンゲ", "UZS": "スム", "KGS": "ソム", "TJS": "ソモニ", "TMT": "マナト", "KRW": "ウォン"}
# English: a symbol or the code precedes the number (¥3 trillion, US$195 million, KZT 5 billion)
EN_SYMBOL = {"JPY": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "KRW": "₩"}
# Russian: the genitive plural follows the number (3 трлн иен, 195 млн долларов США)
RU_CURRENCY = {"JPY": "иен", "USD": "долларов США", "EUR": "евро", "GBP": "фунтов стерлингов", "CNY": "юаней",
               "RUB": "рублей", "KZT": "тенге", "UZS": "сумов", "KGS": "сомов", "TJS": "сомони", "TMT": "манатов",
               "KRW": "вон"}
ZERO_DECIMAL = {"JPY", "KRW", "UZS"}  # shown without minor units when below the smallest compact unit
CENT = Decimal("0.01")


def language(lang: str | None = None) -> str:
    """Return the two-letter language to format for: the given one, else the active one; en as fallback."""
    code = (lang or translation.get_language() or "ja")[:2]
    return code if code in UNITS else "en"


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts must be Decimal or decimal strings, not float")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def group(value: Decimal, lang: str, places: int = 0) -> str:
    """Return value with `places` decimals and the reader's separators: 21,368,000 or 21 368 000."""
    text = f"{value:,.{places}f}"
    if lang == "ru":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def _short(value: Decimal, lang: str) -> str:
    """Return value rounded to at most two decimals, trailing zeros dropped, in the reader's style."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    text = group(rounded, lang, 2)
    sep = "," if lang == "ru" else "."
    return text.rstrip("0").rstrip(sep)


def compact_number(amount, lang: str | None = None) -> tuple[str, str]:
    """Return (number, unit word) for an amount: (“213.68”, “億”), (“21.37”, “ billion”), (“950,000”, “”)."""
    lang = language(lang)
    value = _decimal(amount)
    size = abs(value)
    for power, word in UNITS[lang]:
        scaled = (size / (Decimal(10) ** power)).quantize(CENT, rounding=ROUND_HALF_UP)
        if scaled >= 1:
            sign = "-" if value < 0 else ""
            return sign + _short(size / (Decimal(10) ** power), lang), word
    return "", ""


def plain_number(amount, currency: str, lang: str | None = None) -> str:
    """Return the amount in full with the reader's separators (no units): 21,368,000,000."""
    lang = language(lang)
    value = _decimal(amount)
    if currency in ZERO_DECIMAL or value == value.to_integral_value():
        return group(value.quantize(Decimal(1), rounding=ROUND_HALF_UP), lang, 0)
    return group(value.quantize(CENT, rounding=ROUND_HALF_UP), lang, 2)


def _with_currency(number: str, unit: str, currency: str, lang: str) -> str:
    if lang == "ja":
        return f"{number}{unit}{JA_CURRENCY.get(currency, ' ' + currency if currency else '')}".strip()
    if lang == "ru":
        return f"{number}{unit} {RU_CURRENCY.get(currency, currency)}".strip()
    symbol = EN_SYMBOL.get(currency)
    if symbol:
        sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{symbol}{number}{unit}"
    return f"{currency} {number}{unit}".strip()


def format_amount(amount, currency: str, lang: str | None = None, *, compact: bool = True) -> str:
    """Return an amount with its currency, without qualifier: 3兆円 / ¥3 trillion / 3 трлн иен."""
    lang = language(lang)
    number, unit = compact_number(amount, lang) if compact else ("", "")
    if not number:
        number = plain_number(amount, currency, lang)
    return _with_currency(number, unit, currency, lang)


def _qualified(text: str, qualifier: str, lang: str) -> str:
    with translation.override(lang):
        if qualifier == "approx":
            return pgettext("money", "about %(amount)s") % {"amount": text}
        if qualifier == "up_to":
            return pgettext("money", "up to %(amount)s") % {"amount": text}
        if qualifier == "at_least":
            return pgettext("money", "at least %(amount)s") % {"amount": text}
    return text


def format_money(money, lang: str | None = None, *, compact: bool = True, qualifier: bool = True) -> str:
    """Return money (API dict or Money) as the reader expects: 約213.68億円 / about ¥21.37 billion."""
    lang = language(lang)
    if money is None:
        return ""
    if isinstance(money, dict):
        amount, currency, qual = money.get("amount"), money.get("currency") or "", money.get("qualifier", "exact")
    else:
        amount, currency, qual = money.amount, money.currency, money.qualifier
    if qual == "undisclosed" or amount is None:
        with translation.override(lang):
            return pgettext("money", "undisclosed")
    text = format_amount(amount, currency, lang, compact=compact)
    return _qualified(text, qual, lang) if qualifier else text


def format_share(share, lang: str | None = None) -> str:
    """Return a share (0.0071 → 0.71%; ru 0,71 %) with at most two decimals."""
    lang = language(lang)
    if share in (None, ""):
        return ""
    number = _short(_decimal(share) * 100, lang)
    return f"{number}\u00a0%" if lang == "ru" else f"{number}%"


def format_rate(rate, lang: str | None = None) -> str:
    """Return an exchange rate with up to six significant decimals in the reader's style."""
    lang = language(lang)
    value = _decimal(rate).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()
    places = max(-value.as_tuple().exponent, 0)
    return group(value, lang, places)


def chart_scale(max_amount, currency: str, lang: str | None = None) -> tuple[int, str]:
    """Return (divisor, axis title) so a chart axis reads in the reader's units: (10**8, “億円”)."""
    lang = language(lang)
    size = abs(_decimal(max_amount or 0))
    power, word = next(((p, w) for p, w in UNITS[lang] if size >= Decimal(10) ** p), (0, ""))
    divisor = 10 ** power
    if lang == "ja":
        return divisor, f"{word}{JA_CURRENCY.get(currency, currency)}"
    if lang == "ru":
        return divisor, f"{word.strip()} {RU_CURRENCY.get(currency, currency)}".strip()
    symbol = EN_SYMBOL.get(currency, currency + " " if currency else "")
    return divisor, _("%(symbol)s%(unit)s") % {"symbol": symbol.strip(), "unit": word} if word else symbol.strip()


def _moment(value) -> date | datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        return value
    text = str(value)
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text[:10])


def format_date(value, lang: str | None = None) -> str:
    """Return a date (date, datetime or ISO string) in the reader's form: 2025年12月20日 / Dec. 20, 2025."""
    moment = _moment(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.date()
    with translation.override(language(lang)):
        return formats.date_format(moment, "DATE_FORMAT")


def format_datetime(value, lang: str | None = None) -> str:
    """Return a date and time in the reader's form; a bare date is formatted as a date."""
    moment = _moment(value)
    if not isinstance(moment, datetime):
        return format_date(moment, lang)
    with translation.override(language(lang)):
        return formats.date_format(moment, "DATETIME_FORMAT")
