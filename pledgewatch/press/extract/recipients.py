"""Recipient countries named in a text: every ISO 3166-1 country the ledger knows, in ja, en and ru, and groups.

Names come from `pledgewatch.ledger.countries` (pycountry's iso-codes translations: short, common and
official names) plus the names the press writes that iso-codes does not ("Vietnam", 「クルグズ」,
«Кыргызстан»). Russian case forms are not listed: `find_ru` compares lemmas from pymorphy3.
"""

import contextlib
import gettext
import re
from functools import cache

import pycountry

from pledgewatch.ledger.countries import country_rows

CENTRAL_ASIA = ("KZ", "KG", "TJ", "TM", "UZ")
MEKONG = ("KH", "LA", "MM", "TH", "VN")
ASEAN = ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN")
# the island states of the Pacific Islands Forum (PALM's partners; not Australia, New Zealand)
PACIFIC_ISLANDS = ("CK", "FJ", "FM", "KI", "MH", "NR", "NU", "PG", "PW", "SB", "TO", "TV", "VU", "WS")
# Other groups a text may name as the recipients: the Mekong region, ASEAN, the Pacific island states.
OTHER_GROUPS = [
    (re.compile(r"太平洋島嶼国|大洋州(?:島嶼国|諸国|地域)|Pacific\s+Island(?:s|\s+(?:countries|nations|states))\b"
                r"|тихоокеанск\w+\s+островн\w+\s+(?:государств|стран)\w*|островн\w+\s+(?:государств|стран)\w*\s+"
                r"Тихого\s+океана"), PACIFIC_ISLANDS),
    (re.compile(r"メコン(?:地域|諸国|5か国|河流域諸国)|Mekong\s+(?:region|countries|nations|sub-?region)"
                r"|стран\w*\s+(?:бассейна\s+(?:реки\s+)?)?Меконга?|(?:в\s+)?бассейне\s+реки\s+Меконг", re.IGNORECASE),
     MEKONG),
    (re.compile(r"ASEAN(?:諸国|各国)?|АСЕАН|Association\s+of\s+Southeast\s+Asian\s+Nations"), ASEAN),
]
GROUP_RE = re.compile(
    r"中央アジア(?:の)?(?:5|五)(?:か|カ|ケ|ヶ|箇)国|中央アジア諸国|中央アジア各国"
    r"|(?:all\s+)?(?:the\s+)?five\s+Central\s+Asian\s+(?:countries|states|nations)"
    r"|all\s+(?:the\s+)?Central\s+Asian\s+(?:countries|states|nations)"
    r"|(?:пят[иь]\s+)?(?:государств|стран)\w*\s+Центральной\s+Азии",
    re.IGNORECASE,
)
# Names the press uses that iso-codes lacks (and adjectives the CA texts use for a state).
EXTRA = {
    "en": {"KZ": "Kazakh", "KG": "Kyrgyz|Kyrgyz Republic|Kyrgyzstan", "TJ": "Tajik", "TM": "Turkmen",
           "UZ": "Uzbek", "VN": "Vietnam|Viet Nam", "LA": "Laos|Lao PDR", "MM": "Myanmar|Burma",
           "TR": "Türkiye|Turkey", "CI": "Côte d'Ivoire|Cote d'Ivoire|Ivory Coast", "CV": "Cabo Verde|Cape Verde",
           "SZ": "Eswatini|Swaziland", "TL": "Timor-Leste|East Timor",
           "CD": "Democratic Republic of the Congo|Democratic Republic of Congo|DR Congo",
           "CG": "Republic of the Congo", "KR": "South Korea|Republic of Korea", "KP": "North Korea",
           "RU": "Russia", "IR": "Iran", "SY": "Syria", "MD": "Moldova", "BO": "Bolivia", "VE": "Venezuela",
           "TZ": "Tanzania", "PS": "Palestine|Palestinian territories", "FM": "Micronesia", "GB": "United Kingdom",
           "US": "United States", "GM": "The Gambia|Gambia", "PH": "the Philippines", "MK": "North Macedonia",
           "CZ": "Czech Republic|Czechia", "VA": "Vatican", "BN": "Brunei", "TW": "Taiwan"},
    "ja": {"KG": "キルギス共和国|クルグズ共和国|クルグズスタン|クルグズ", "KZ": "カザフスタン共和国",
           "TJ": "タジキスタン共和国", "UZ": "ウズベキスタン共和国", "MN": "モンゴル国", "VN": "ベトナム|ヴィエトナム",
           "LA": "ラオス", "MM": "ミャンマー", "KH": "カンボジア", "TR": "トルコ|トルコ共和国|テュルキエ",
           "CI": "コートジボワール", "CD": "コンゴ民主共和国", "CG": "コンゴ共和国", "TZ": "タンザニア",
           "SZ": "エスワティニ", "CV": "カーボベルデ", "KP": "北朝鮮", "TW": "台湾", "PS": "パレスチナ",
           "FM": "ミクロネシア", "BO": "ボリビア", "VE": "ベネズエラ", "IR": "イラン", "SY": "シリア",
           "MD": "モルドバ", "GB": "英国|イギリス", "US": "米国|アメリカ", "TL": "東ティモール", "BD": "バングラデシュ",
           "LK": "スリランカ", "PK": "パキスタン", "NP": "ネパール", "PH": "フィリピン", "ID": "インドネシア",
           "AF": "アフガニスタン", "SS": "南スーダン", "MK": "北マケドニア"},
    "ru": {"KG": "Кыргызстан|Киргизия|Кыргызская Республика|Киргизская Республика", "KZ": "Казахстан",
           "TJ": "Таджикистан", "UZ": "Узбекистан", "TM": "Туркменистан|Туркмения", "MN": "Монголия",
           "VN": "Вьетнам", "LA": "Лаос", "MM": "Мьянма|Бирма", "TR": "Турция", "CI": "Кот-д'Ивуар",
           "CV": "Кабо-Верде", "SZ": "Эсватини|Свазиленд", "TL": "Восточный Тимор|Тимор-Лесте",
           "KR": "Южная Корея|Республика Корея", "KP": "КНДР|Северная Корея", "RU": "Россия|Российская Федерация",
           "IR": "Иран", "SY": "Сирия", "MD": "Молдова|Молдавия", "BO": "Боливия", "VE": "Венесуэла",
           "TZ": "Танзания", "PS": "Палестина", "GB": "Великобритания", "US": "США|Соединенные Штаты",
           "CN": "Китай|КНР", "CD": "Демократическая Республика Конго|ДР Конго", "TW": "Тайвань",
           "AF": "Афганистан", "JP": "Япония",
           "CF": "ЦАР|Центральноафриканская Республика|Центрально-Африканская Республика"},
}
# 「マリ州」 is a region of Turkmenistan, not Mali; 「インド洋」 is not India
_REGION_AFTER = re.compile(r"州|県|省|市|地方|地区|区|村|町|洋|海|湾")
_JA_SUFFIXES = re.compile(r"(?:民主共和国|人民共和国|共和国|王国|連邦|首長国連邦)$")


@cache
def names(language: str) -> dict[str, str]:
    """Return {name: ISO2 code} of every country in one language (ja, en, ru), iso-codes and press names."""
    table: dict[str, str] = {}
    translate = gettext.NullTranslations()
    if language != "en":
        with contextlib.suppress(OSError):
            translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    for row in _rows():
        code = row["code"]
        country = pycountry.countries.get(alpha_2=code)
        found = {row[f"name_{language}"], translate.gettext(country.name)}
        for attr in ("common_name", "official_name"):
            if getattr(country, attr, None):
                found.add(translate.gettext(getattr(country, attr)))
        if language == "ja":
            found |= {_JA_SUFFIXES.sub("", n) for n in found}
            found |= {n[:-1] for n in found if n.endswith("国") and len(n) >= 4}  # 「モンゴル国」
        for name in found:
            name = name.strip()
            if len(name) >= 2 and "," not in name and "(" not in name:
                table.setdefault(name, code)
    for code, listed in EXTRA[language].items():
        for name in listed.split("|"):
            table[name] = code
    return table


@cache
def name_re(language: str) -> re.Pattern:
    """Return one pattern of every name of a language, longest first (en: whole words, any case)."""
    alternation = "|".join(sorted((re.escape(n) for n in names(language)), key=len, reverse=True))
    if language == "en":
        # a name starts with a capital (or "the"): other positions are skipped before the long alternation
        return re.compile(rf"(?<![\w-])(?=[A-ZÅÇÉÎÔÜt])(?:{alternation})(?![\w-])", re.IGNORECASE)
    return re.compile(alternation)


@cache
def _rows() -> list[dict]:
    """Return the ledger's country rows once per process (all three languages' names)."""
    return country_rows()


def groups(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the mentions of groups: the five Central Asian states, the Mekong region, ASEAN, the Pacific
    island countries."""
    found = [(m.start(), m.end(), CENTRAL_ASIA) for m in GROUP_RE.finditer(text)]
    for pattern, codes in OTHER_GROUPS:
        found.extend((m.start(), m.end(), codes) for m in pattern.finditer(text))
    return sorted(found)


def _code(language: str, name: str) -> str | None:
    table = names(language)
    return table.get(name) or _folded(language).get(name.lower())


@cache
def _folded(language: str) -> dict[str, str]:
    return {n.lower(): c for n, c in names(language).items()}


def _merge(found, singles):
    taken = {i for s, e, _ in found for i in range(s, e)}
    found.extend((s, e, codes) for s, e, codes in singles if s not in taken)
    return sorted(found)


def find_en(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return (start, end, codes) of every country in an English text (a name must start with a capital)."""
    singles = []
    for m in name_re("en").finditer(text):
        word = m.group()
        if word[0].isupper() or word.startswith("the "):
            code = _code("en", word)
            if code:
                singles.append((m.start(), m.end(), (code,)))
    return _merge(groups(text), singles)


def find_ja(text: str, tokens=None) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries of a Japanese text: Sudachi's 地名/国 tokens, then names Sudachi splits or tags
    otherwise, unless they lie inside another place name (「インド洋」 is not India)."""
    singles = []
    covered: set[int] = set()
    blocked: set[int] = set()
    pattern = name_re("ja")
    for t in tokens or ():
        if t.pos[3] != "国" or _REGION_AFTER.match(text, t.end):
            blocked.update(range(t.start, t.end))
            continue
        m = pattern.match(t.surface)
        code = _code("ja", t.surface) or _code("ja", t.normalized) or (_code("ja", m.group()) if m else None)
        if code:
            singles.append((t.start, t.end, (code,)))
            covered.update(range(t.start, t.end))
    for m in pattern.finditer(text):
        if m.start() in covered or m.start() in blocked:
            continue
        if m.end() < len(text) and ("\u30a1" <= text[m.end()] <= "\u30fc" or _REGION_AFTER.match(text, m.end())):
            continue  # a longer katakana word (「インドネシア」 is read whole; 「チャドル」 is not Chad)
        singles.append((m.start(), m.end(), (_code("ja", m.group()),)))
    # 「ロシアによる侵略」: a country that acts is not a recipient
    singles = [s for s in singles if not text.startswith("による", s[1])]
    return _merge(groups(text), singles)


# ------------------------------------------------------------------ Russian, by lemmas
_RU_WORD = re.compile(r"[А-ЯЁA-Z][А-Яа-яЁё]*(?:-[А-Яа-яЁёA-Za-z]+)*|[а-яё]+(?:-[а-яё]+)*")


@cache
def morph():
    """Return the shared pymorphy3 analyser (Russian dictionary; loads once per process)."""
    import pymorphy3  # noqa: PLC0415 (heavy: loads only when a Russian text is read)

    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def lemmas(word: str) -> frozenset[str]:
    """Return every normal form pymorphy3 gives a word (lower case, ё as е)."""
    word = word.lower().replace("ё", "е")
    return frozenset(p.normal_form.replace("ё", "е") for p in morph().parse(word)) | {word}


@cache
def _ru_index() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], frozenset[str]]:
    """Return {first lemma: [(lemmas of the whole name, code)]} and the 3-letter prefixes of name words."""
    index: dict[str, list] = {}
    prefixes = set()
    for name, code in names("ru").items():
        words = _RU_WORD.findall(name)
        if not words:
            continue
        seq = tuple(_name_lemma(w) for w in words)
        index.setdefault(seq[0], []).append((seq, code))
        prefixes.add(words[0][:3].lower().replace("ё", "е"))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index, frozenset(prefixes)


def _name_lemma(word: str) -> str:
    """Return the lemma of a word of a country's name (nominative; the first analysis)."""
    if word.isupper() and len(word) <= 5:
        return word.lower()
    return morph().parse(word.lower().replace("ё", "е"))[0].normal_form.replace("ё", "е")


def find_ru(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries of a Russian text in any case («Таджикистану», «Республики Таджикистан»)."""
    index, prefixes = _ru_index()
    words = [(m.start(), m.end(), m.group()) for m in _RU_WORD.finditer(text)]
    singles = []
    i = 0
    while i < len(words):
        start, _, word = words[i]
        if not word[0].isupper() or word[:3].lower().replace("ё", "е") not in prefixes:
            i += 1
            continue
        found = None
        for lemma in lemmas(word) if not word.isupper() else {word.lower()}:
            for seq, code in index.get(lemma, ()):
                if i + len(seq) <= len(words) and all(
                        seq[k] in lemmas(words[i + k][2]) for k in range(1, len(seq))) and (
                        found is None or len(seq) > found[0]):
                    found = (len(seq), code)
        if found is None:
            i += 1
            continue
        singles.append((start, words[i + found[0] - 1][1], (found[1],)))
        i += found[0]
    # a text that names no partner (Japan and «долларов США» aside) may name it by its adjective («с
    # азербайджанской стороны»)
    if all(codes == ("JP",) or re.search(r"доллар\w*\s+$", text[max(0, s - 20):s]) for s, _, codes in singles):
        singles = sorted(singles + _ru_adjectives(text, index))
    return _merge(groups(text), singles)


_RU_ADJECTIVE = re.compile(r"(?<![а-яё])(?P<stem>[а-яё]{5,}?)ск(?:ий|ая|ое|ой|ого|ую|ом|ие|их|ими|им|ому|ой)(?![а-яё])")


def _ru_adjectives(text: str, index) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries named by adjectives of one-word names (азербайджанский → Азербайджан)."""
    one_word = {seq[0]: code for entries in index.values() for seq, code in entries if len(seq) == 1}
    found = []
    for m in _RU_ADJECTIVE.finditer(text):
        stem = m.group("stem").replace("ё", "е")
        codes = {code for lemma, code in one_word.items() if lemma == stem or lemma[:-1] == stem}
        if len(codes) == 1:
            found.append((m.start(), m.end(), (codes.pop(),)))
    return found
