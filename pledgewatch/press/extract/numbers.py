"""Amounts in Japanese and English press texts, parsed with exact Decimal arithmetic (never float).

Japanese: 兆/億/万/千 with Arabic, full-width and kanji numerals and commas (「18億4,600万円」,
「２１３．６８億円」, 「四百万円」); qualifiers 約/規模 (approx), 以上 (at least), 供与限度額/を限度とする
(up to); currencies 円, ドル/米ドル, ユーロ. English: "JPY 21.368 billion", "US$120 million",
"up to 42 billion yen". Callers pass text already width-normalised (see text.normalise), so
full-width digits are ASCII here while every offset still points into the original text.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from pledgewatch.ledger.money import format_decimal

KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
KANJI_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"兆": Decimal(10) ** 12, "億": Decimal(10) ** 8, "万": Decimal(10) ** 4}

_ARABIC = r"[0-9](?:[0-9]|,(?=[0-9]{3}))*+(?:\.[0-9]+)?+"
_KANJI = r"[〇零一二三四五六七八九十百千]++"
_PART = rf"(?:{_ARABIC}[千百十]?|{_KANJI})"
# Groups with a big unit, then at most one without; possessive, so that a long run of digits that
# is not followed by a currency fails at once instead of backtracking through every split.
# A number does not start inside another (after a digit, 「1,」 「1.」 or a unit 兆億万), but may follow a
# half-width 「,」 or 「.」 used as Japanese punctuation (「…に対し,5億円」).
JA_NUMBER = (r"(?<![0-9〇零一二三四五六七八九十百千数何兆億万])(?<![0-9][,.])(?=[0-9〇零一二三四五六七八九十百千])"
             rf"(?:{_PART}[兆億万])*+{_PART}?+")

JA_CURRENCIES = {"円": "JPY", "米ドル": "USD", "ドル": "USD", "ユーロ": "EUR", "米㌦": "USD", "㌦": "USD",
                 "USD": "USD", "JPY": "JPY", "EUR": "EUR"}  # 「150百万USD」「3000万米㌦」
JA_AMOUNT_RE = re.compile(
    r"(?P<pre>(?:供与限度額|限度額|上限額?|最大|約|およそ|概ね|総額)(?:は|で|：|:)?\s*(?:約)?)?"
    # 「2 円借款」 numbers a list item, but 「320億円借款」 is 320億円 of yen loan
    rf"(?P<num>{JA_NUMBER})\s*(?P<cur>円(?:(?!借款)|(?<=[兆億万]円))|米ドル|ドル|ユーロ|米?㌦|(?<=[兆億万])(?:USD|JPY|EUR)(?![A-Za-z]))"
    r"(?P<post>(?:規模|程度|相当|以上|超|を(?:供与)?限度(?:額)?と(?:する|し)|を上限と(?:する|し)|まで)?)"
)

EN_SCALES = {"trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
             "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6, "b": Decimal(10) ** 9,
             "thousand": Decimal(1000)}
_EN_NUM = r"(?<![0-9.,])[0-9](?:[0-9]|,(?=[0-9]{3}))*+(?:\.[0-9]+)?+"
# "86 415 US dollars": a space (or no-break space) between groups of three, before a currency word only
_EN_NUM_SPACED = r"(?<![0-9.,])[0-9]{1,3}(?:[ \u00a0][0-9]{3})++(?![0-9.,])"
_EN_SCALE = r"(?:\s?(?P<scale>trillion|billion|million|thousand|bn|mn|m|b)\b)?"
_EN_PRE_Q = (r"(?P<pre>(?:up to|a maximum of|maximum of|not exceeding|approximately|approx\.|about|around|"
             r"roughly|some|nearly|almost|close to|at least|more than|over|a total of|totaling|totalling)"
             r"\s+(?:of\s+)?)?")
# Local currencies, read so that a restatement ("JPY 3.56 billion (PHP 1.8 billion)") is known as an
# equivalent; an amount in one of them is never a commitment of its own (see core.Reader).
LOCAL_CURRENCIES = ("PHP", "INR", "LKR", "PKR", "BDT", "MNT", "AUD", "FJD", "NZD", "AZN", "UAH", "GEL", "AMD", "MDL",
                    "VND", "THB", "IDR", "KES", "GHS", "TZS", "NPR", "MMK", "KHR", "LAK", "GBP", "CNY", "KRW")
_LOCAL = "|".join(LOCAL_CURRENCIES)
EN_AMOUNT_RE = re.compile(  # an amount starts a word: positions inside words are skipped at once
    r"(?<![\w$])" + _EN_PRE_Q + r"(?:"
    rf"(?P<cur1>Japanese\s+[Yy]en\s*\(JPY\)|US\$|USD|JPY|EUR|¥|€|\$|Yen(?=\s?[0-9])|(?-i:{_LOCAL})(?:\s?\$)?)\s?(?P<num1>{_EN_NUM})"
    rf"{_EN_SCALE.replace('scale', 'scale1')}(?P<yen_after>\s(?:Japanese\s+)?[Yy]en\b)?"
    r"|"
    rf"(?P<num2>{_EN_NUM_SPACED}|{_EN_NUM}){_EN_SCALE.replace('scale', 'scale2')}"
    rf"(?:\s+and\s+(?P<num3>{_EN_NUM})\s(?P<scale3>thousand|million))?\s?"  # "69 million and 700 thousand yen"
    rf"(?P<cur2>Japanese yen|yen|US dollars|U\.S\. dollars|dollars|euros?|JPY|USD|EUR|(?-i:{_LOCAL}))\b"
    r")",
    re.IGNORECASE,
)
EN_CURRENCIES = {"us$": "USD", "usd": "USD", "$": "USD", "jpy": "JPY", "¥": "JPY", "eur": "EUR", "€": "EUR",
                 "yen": "JPY", "japanese yen": "JPY", "us dollars": "USD", "u.s. dollars": "USD",
                 "dollars": "USD", "euro": "EUR", "euros": "EUR", "japanese yen (jpy)": "JPY"}
EN_QUALIFIERS = {"up to": "up_to", "a maximum of": "up_to", "maximum of": "up_to", "not exceeding": "up_to",
                 "approximately": "approx", "approx.": "approx", "about": "approx", "around": "approx",
                 "roughly": "approx", "some": "approx", "nearly": "approx",
                 "almost": "approx", "close to": "approx", "at least": "at_least", "more than": "at_least",
                 "over": "at_least", "a total of": "exact", "totaling": "exact", "totalling": "exact"}


@dataclass(frozen=True)
class Amount:
    """An amount found in a text: exact value, ISO 4217 currency, qualifier and its span."""

    value: Decimal
    currency: str
    qualifier: str
    start: int
    end: int

    def as_json(self) -> dict:
        return {"amount": format_decimal(self.value), "currency": self.currency, "qualifier": self.qualifier}


def kanji_small(text: str) -> int:
    """Return the value of a kanji numeral below 10,000 (「四百」→400, 「二〇二五」→2025)."""
    if not any(ch in KANJI_SMALL_UNITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + KANJI_DIGITS[ch]
        return value
    total, digit = 0, None
    for ch in text:
        if ch in KANJI_DIGITS:
            digit = KANJI_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * KANJI_SMALL_UNITS[ch]
            digit = None
    return total + (digit or 0)


_GROUP_RE = re.compile(rf"(?P<arabic>{_ARABIC})(?P<small>[千百十])?|(?P<kanji>{_KANJI})")


def parse_ja_number(text: str) -> Decimal:
    """Return the exact value of a Japanese number such as 「18億4,600万」 or 「213.68億」."""
    total = Decimal(0)
    pos = 0
    last_unit = None
    while pos < len(text):
        m = _GROUP_RE.match(text, pos)
        if not m:
            raise ValueError(f"Not a Japanese number: {text!r}")
        if m.group("arabic"):
            value = Decimal(m.group("arabic").replace(",", ""))
            if m.group("small"):
                value *= KANJI_SMALL_UNITS[m.group("small")]
        else:
            value = Decimal(kanji_small(m.group("kanji")))
        pos = m.end()
        unit = BIG_UNITS.get(text[pos]) if pos < len(text) else None
        if unit is not None:
            if last_unit is not None and unit >= last_unit:
                raise ValueError(f"Units out of order in {text!r}")
            last_unit = unit
            value *= unit
            pos += 1
        total += value
    return total


def ja_qualifier(pre: str, post: str) -> str:
    """Return the qualifier stated around a Japanese amount."""
    if "限度" in pre or "上限" in pre or "最大" in pre or "限度" in post or "上限" in post or post == "まで":
        return "up_to"
    if post in {"以上", "超"}:
        return "at_least"
    if "約" in pre or "およそ" in pre or "概ね" in pre or post in {"規模", "程度", "相当"}:
        return "approx"
    return "exact"


def find_ja_amounts(text: str) -> list[Amount]:
    """Return every Japanese amount in a width-normalised text."""
    found = []
    for m in JA_AMOUNT_RE.finditer(text):
        try:
            value = parse_ja_number(m.group("num"))
        except (ValueError, KeyError):
            continue
        pre, post = m.group("pre") or "", m.group("post") or ""
        start = m.start("pre") if pre and pre.strip("総額は：: ") else m.start("num")
        found.append(Amount(value, JA_CURRENCIES[m.group("cur")], ja_qualifier(pre, post), start, m.end()))
    return found


_UNITS = {w: i for i, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * i for i, w in enumerate([
    "_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if i > 1}
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_WORDS_NUM = rf"(?:{_WORD})(?:(?:[-\s]+|\s+and\s+)(?:{_WORD}|hundred))*"
# Notes of exchange spell amounts out: "three hundred and six million yen", "one billion two hundred million yen"
EN_WORDS_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?:up to|a maximum of|not exceeding)\s+(?:the\s+amount\s+of\s+)?)?\b(?P<n1>{_WORDS_NUM})\s+"
    rf"(?P<s1>billion|million|thousand)(?:\s+(?:and\s+)?(?P<n2>{_WORDS_NUM})\s+(?P<s2>million|thousand))?"
    r"\s+(?P<cur>Japanese\s+yen|yen|US\s+dollars|United\s+States\s+dollars|dollars)\b", re.IGNORECASE)


def words_value(words: str) -> int:
    """Return the value of number words below a thousand ("three hundred and six" → 306)."""
    total = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word == "hundred":
            total *= 100
        elif word in _UNITS:
            total += _UNITS[word]
        elif word in _TENS:
            total += _TENS[word]
    return total


def find_en_word_amounts(text: str) -> list[Amount]:
    """Return amounts spelt out in words ("two hundred and thirty-four million yen")."""
    found = []
    for m in EN_WORDS_RE.finditer(text):
        value = Decimal(words_value(m.group("n1"))) * EN_SCALES[m.group("s1").lower()]
        if m.group("n2"):
            value += Decimal(words_value(m.group("n2"))) * EN_SCALES[m.group("s2").lower()]
        cur = re.sub(r"\s+", " ", m.group("cur").lower())
        currency = "JPY" if "yen" in cur else "USD"
        qualifier = "up_to" if m.group("pre") else "exact"
        found.append(Amount(value, currency, qualifier, m.start() if m.group("pre") else m.start("n1"), m.end()))
    return found


def find_en_amounts(text: str) -> list[Amount]:
    """Return every English amount ("JPY 21.368 billion", "US$120 million", "six million yen") in a text."""
    found = find_en_word_amounts(text)
    if found:  # a figure in digits restating the words ("(¥234,000,000)") is the same amount
        spans = [(a.start, a.end) for a in found]
        return sorted(found + [a for a in _digit_amounts(text)
                               if not any(s <= a.start < e + 4 for s, e in spans)], key=lambda a: a.start)
    return _digit_amounts(text)


def _digit_amounts(text: str) -> list[Amount]:
    found = []
    for m in EN_AMOUNT_RE.finditer(text):
        num = m.group("num1") or m.group("num2")
        scale = m.group("scale1") or m.group("scale2")
        if text.startswith(".", m.end()) and text[m.end() + 1:m.end() + 2].isalpha():
            continue  # a figure broken off ("US$1.b" for "US$1.4 billion"): no amount can be read
        cur = (m.group("cur1") or m.group("cur2")).lower()
        if cur[:3].upper() in LOCAL_CURRENCIES:
            cur = cur[:3]  # "FJD $9 million": the code says which dollar
        value = Decimal(num.replace(",", "").replace(" ", "").replace("\u00a0", ""))
        if scale:
            value *= EN_SCALES[scale.lower()]
        if m.group("num3"):
            value += Decimal(m.group("num3").replace(",", "")) * EN_SCALES[m.group("scale3").lower()]
        pre = re.sub(r"\s+", " ", (m.group("pre") or "").strip().lower())
        # "a maximum of" is a key as it stands; an "of" after other words ("some of") is dropped
        qualifier = EN_QUALIFIERS.get(pre) or EN_QUALIFIERS.get(re.sub(r" of$", "", pre), "exact")
        start = m.start() if qualifier != "exact" else (m.start("cur1") if m.group("cur1") else m.start("num2"))
        currency = "JPY" if cur.startswith("japanese") or m.group("yen_after") else EN_CURRENCIES.get(cur, cur.upper())
        found.append(Amount(value, currency, qualifier, start, m.end()))
    return found
