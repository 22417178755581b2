"""Russian: amounts («1 миллиарда 324 миллионов йен», «$180,6 тыс.», «более 3 млрд евро»), dates
(«14 января 2009 г.»), countries in every case (pymorphy3 lemmas), instruments, channels and documents.

The whole language is this module (see language.Language): numbers use a decimal comma and spaces
between thousands («1 324 000»); scale words and currencies are matched by their stems, so every
case form is read («миллиарда», «миллионов», «долларов США», «иен», «йены»).
"""

import re
from decimal import Decimal

from pledgewatch.press.extract import text as _text
from pledgewatch.press.extract.dates import FoundDate, _resolve_context, _safe_date
from pledgewatch.press.extract.numbers import Amount
from pledgewatch.press.extract.recipients import find_ru

CODE = "ru"
NAME = "русский"
HEAD_FIRST = True
_I = re.IGNORECASE

# ------------------------------------------------------------------ detection
_WORDS = frozenset((
    "и", "в", "на", "с", "по", "для", "о", "что", "не", "от", "из",
    "к", "за", "года", "также", "а", "как", "при", "это", "его", "ее", "их"))
_WORD_RE = re.compile(r"[а-яё]+")
_OTHER_CYRILLIC = re.compile(r"[әғқңөұүһіїєґўҳ]", _I)  # Kazakh, Kyrgyz, Ukrainian, Uzbek, Tajik letters


def detect_score(sample: str) -> float:
    """Return the share of Cyrillic letters when the words are Russian (not Kazakh, Ukrainian …)."""
    n = _text.script_counts(sample)
    if not n["cyrillic"] or len(_OTHER_CYRILLIC.findall(sample)) * 100 > n["cyrillic"]:
        return 0.0
    share, count = _text.word_share(sample, _WORDS, _WORD_RE)
    factor = 1.0 if share >= 0.06 else (0.6 if count < 12 else 0.1)
    return factor * n["cyrillic"] / (n["cyrillic"] + n["latin"] + 6 * n["ja"])


# ------------------------------------------------------------------ amounts
SCALES = {"трлн": Decimal(10) ** 12, "триллион": Decimal(10) ** 12, "млрд": Decimal(10) ** 9,
          "миллиард": Decimal(10) ** 9, "млн": Decimal(10) ** 6, "миллион": Decimal(10) ** 6,
          "тыс": Decimal(1000), "тысяч": Decimal(1000)}
_SCALE = r"(?P<{g}>трлн|триллион\w*|млрд|миллиард\w*|млн|миллион\w*|тыс|тысяч\w*)\.?"
# 1 324 000 / 1 324,5 / 180,6 / 1.324.000 / 7.1; a space inside a number is a thousands separator only
_NUM = r"(?<![0-9.,])[0-9]{1,3}(?:[  ][0-9]{3}(?![0-9]))*+(?:[,.][0-9]+)?+|(?<![0-9.,])[0-9]+(?:[,.][0-9]+)?+"
CURRENCIES = [
    (r"японск\w+\s+(?:иен|йен)\w*|(?:иен|йен)\w*|JPY|¥", "JPY"),
    (r"(?:американск\w+\s+)?доллар\w*(?:\s+США)?|долл\.(?:\s*США)?|USD|\$", "USD"),
    (r"евро\b|EUR|€", "EUR"),
    (r"российск\w+\s+рубл\w*|рубл\w*|руб\.", "RUB"),
]
_CUR = "|".join(f"(?P<c{n}{{g}}>{p})" for n, (p, _) in enumerate(CURRENCIES))
_PRE = (r"(?P<pre>(?:в\s+размере\s+)?(?:на\s+(?:общую\s+)?сумму\s+)?(?:до|не\s+более|не\s+свыше|не\s+превышающ\w+|"
        r"в\s+пределах|около|порядка|примерно|приблизительно|почти|более\s+чем|более|свыше|не\s+менее|"
        r"по\s+меньшей\s+мере|свыше)\s+)?")
WORDS = {"один": 1, "одна": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
         "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
         "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10}
AMOUNT_RE = re.compile(  # an amount starts a word: positions inside words are skipped at once
    r"(?<!\w)" + _PRE + r"(?:"
    # «1 миллиарда 324 миллионов йен», «7,1 млн долларов», «3 млрд евро», «5 000 000 долларов США»
    rf"(?P<num>{_NUM})\s*(?:{_SCALE.format(g='scale')}\s*(?:(?P<num2>{_NUM})\s*(?:{_SCALE.format(g='scale2')}\s*)?)?)?"
    rf"(?:{_CUR.format(g='a')})"
    # «пять миллионов долларов»
    rf"|(?P<wnum>{'|'.join(sorted(WORDS, key=len, reverse=True))})\s+{_SCALE.format(g='scalew')}"
    rf"\s*(?:{_CUR.format(g='w')})"
    # «$180,6 тыс.», «USD 5 млн»
    rf"|(?:{_CUR.format(g='b')})\s?(?P<numb>{_NUM})(?:\s*{_SCALE.format(g='scaleb')})?"
    r")", _I)
QUALIFIERS = [("не менее", "at_least"), ("по меньшей мере", "at_least"), ("более", "at_least"),
              ("свыше", "at_least"), ("до", "up_to"), ("не более", "up_to"), ("не свыше", "up_to"),
              ("не превыша", "up_to"), ("в пределах", "up_to"), ("около", "approx"), ("порядка", "approx"),
              ("примерно", "approx"), ("приблизительно", "approx"), ("почти", "approx")]


def _number(text: str, scaled: bool = True) -> Decimal:
    """Return the value of «1 324», «180,6», «7.1» (comma or point as decimal mark); without a scale word
    «121,950» groups thousands as in English."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if not scaled and re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", text):
        text = text.replace(",", "")
    if text.count(".") > 1:
        text = text.replace(".", "")
    return Decimal(text.replace(",", "."))


def _scale(word: str | None) -> Decimal:
    if not word:
        return Decimal(1)
    word = word.lower().rstrip(".")
    return next(v for k, v in SCALES.items() if word.startswith(k))


def _qualifier(pre: str) -> str:
    pre = " ".join(pre.lower().split())
    pre = re.sub(r"^(?:в размере|на (?:общую )?сумму)\s*", "", pre)
    for words, qualifier in QUALIFIERS:
        if pre.startswith(words):
            return qualifier
    return "exact"


def find_amounts(text: str) -> list[Amount]:
    """Return every Russian amount of a text (exact Decimals)."""
    found = []
    for m in AMOUNT_RE.finditer(text):
        if m.group("wnum") is not None:
            value = Decimal(WORDS[m.group("wnum").lower()]) * _scale(m.group("scalew"))
            suffix = "w"
        elif m.group("num") is not None:
            value = _number(m.group("num"), bool(m.group("scale"))) * _scale(m.group("scale"))
            if m.group("num2"):
                value += _number(m.group("num2")) * _scale(m.group("scale2"))
            suffix = "a"
        else:
            value = _number(m.group("numb"), bool(m.group("scaleb"))) * _scale(m.group("scaleb"))
            suffix = "b"
        currency = next(CURRENCIES[n][1] for n in range(len(CURRENCIES)) if m.group(f"c{n}{suffix}"))
        pre = m.group("pre") or ""
        qualifier = _qualifier(pre)
        start = m.start() if qualifier != "exact" else m.start() + len(pre)
        end = m.end()
        while text[end - 1] in " \u00a0":
            end -= 1
        found.append(Amount(value, currency, qualifier, start, end))
    return _elided(text, found) if found else found


# The unit said once and left out after (a list «3,1 млрд иен — Непалу, 1,2 — Бутану, еще 0,9 получит Лаос»;
# parts of a total «$300 млн … 250 млн пойдут на …, еще 50 млн — на …»): the number takes the scale and
# currency of the amount before it. A bare number needs a dash or «еще» and a verb; a scaled one a part's
# verb or a dash, never a noun («3 млн человек»).
_ELIDED_RE = re.compile(
    r"(?<![\w.,])(?:(?P<still>еще|ещё)\s+)?(?P<num>[0-9]+(?:,[0-9]+)?)(?:\s*(?P<scale>млрд|млн|тыс)\.?)?"
    r"(?=\s*[—–-]\s*(?:[А-ЯЁ]|на\b|в\b|для\b)|\s+(?:пойд|будут|будет|получ|направ|выдел)\w*)", _I)
ELIDED_REACH = 300  # characters after the amount whose unit a bare number takes
PART_REACH = 1000  # characters after a total whose currency a scaled part takes


def _elided(text: str, found: list[Amount]) -> list[Amount]:
    taken = [(a.start, a.end) for a in found]
    more = []
    for m in _ELIDED_RE.finditer(text, found[0].end):
        if any(s <= m.start("num") < e for s, e in taken):
            continue
        before = [a for a in found if a.end <= m.start()]
        if not before:
            continue
        head = before[-1]
        gap = m.start() - head.end
        number = _number(m.group("num"))
        if m.group("scale"):
            value = number * _scale(m.group("scale"))
            if gap > PART_REACH or value >= head.value:
                continue
        else:
            unit = _unit_of(head.value)
            if gap > ELIDED_REACH or unit is None or "\n" in text[head.end:m.start()]:
                continue
            value = number * unit
        start = m.start("still") if m.group("still") else m.start("num")
        more.append(Amount(value, head.currency, "exact", start, m.end()))
    return sorted(found + more, key=lambda a: a.start)


def _unit_of(value: Decimal) -> Decimal | None:
    """Return the scale a listed amount was written in (1,2 млрд → 10**9), or None below a thousand."""
    for scale in (Decimal(10) ** 12, Decimal(10) ** 9, Decimal(10) ** 6, Decimal(1000)):
        if value >= scale:
            return scale
    return None


# ------------------------------------------------------------------ dates
MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
          "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
DATE_RE = re.compile(
    r"(?<![0-9])(?P<day>[0-9]{1,2})\s+(?P<month>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|"
    r"октября|ноября|декабря)(?:\s+(?P<year>[0-9]{4})(?:\s*(?:г\.|года|году|г\b))?)?"
    r"|(?<![0-9.])(?P<nday>[0-9]{1,2})\.(?P<nmonth>[0-9]{2})\.(?P<nyear>[0-9]{4})(?![0-9])", _I)


def find_dates(text: str) -> list[FoundDate]:
    """Return every date («14 января 2009 г.», «14.01.2009», «14 января» with the year from context)."""
    found = []
    for m in DATE_RE.finditer(text):
        if m.group("nday"):
            day, month, year = int(m.group("nday")), int(m.group("nmonth")), m.group("nyear")
        else:
            name = m.group("month").lower()
            month = next(v for k, v in MONTHS.items() if name.startswith(k))
            day, year = int(m.group("day")), m.group("year")
        if year:
            value = _safe_date(int(year), month, day)
            if value:
                found.append(FoundDate(value, m.start(), m.end(), month, day))
        else:
            found.append(FoundDate(None, m.start(), m.end(), month, day, True))
    return _resolve_context(found)


def find_recipients(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries named in any case («Таджикистану», «Кыргызской Республики»)."""
    return find_ru(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentences (as English: «.» before a capital, line ends)."""
    return _text.sentences(text, "ru")


# ------------------------------------------------------------------ cues
INSTRUMENTS = [
    (r"льготн\w*\s+(?:иенов\w*\s+)?(?:кредит|за[её]м|займ)\w*|иенов\w*\s+(?:кредит|за[её]м|займ)\w*|"
     r"кредит\w*|за[её]м\w*|займ\w*", "loan"),
    (r"безвозмездн\w*\s+(?:финансов\w*\s+)?(?:помощ|содейств|грант)\w*|грант\w*|"
     r"безвозмездн\w*|поставк\w+\s+оборудован\w*|(?:продовольственн|гуманитарн)\w*\s+помощ\w*", "grant"),
    (r"техническ\w*\s+(?:сотрудничеств|содействи|помощ)\w*|направлени\w*\s+экспертов", "technical_cooperation"),
    (r"инвестици\w*", "investment"),
    (r"гаранти(?:я|и|ю|ей|й)\b", "guarantee"),
    # aid whose kind the text does not say (financial or economic help, budget support): `other`
    (r"(?:финансов|экономическ|бюджетн)\w*\s+(?:помощ|поддержк)\w*", "other"),
]
INSTRUMENT_RE = re.compile("|".join(f"(?P<i{n}>{p})" for n, (p, _) in enumerate(INSTRUMENTS)), _I)
ACTIVITY_RE = re.compile(r"оборудован|строительств|восстановлен|модернизац|поддержк|развити|улучшени|"
                         r"реконструкц|укреплени|обучени|подготовк", _I)
ODA_RE = re.compile(r"официальн\w+\s+помощ\w+\s+развити|\bОПР\b|безвозмездн|льготн\w+\s+кредит|"
                    r"техническ\w+\s+сотрудничеств", _I)
ENUMERATION_END_RE = re.compile(r"\b(?:включа\w+|в\s+том\s+числе|такие\s+как|среди\s+них)\b", _I)
CLAUSE_SEP_RE = re.compile(r"(?<!\s)\s+и\s+|,\s+|;\s+|:\s+")
CLAUSE_MARKS = (", ", "; ")
SEGMENT_SPLIT_RE = re.compile(r",\s*(?:а\s+также\s+|и\s+)?|(?<!\s)\s+и\s+(?=[а-яё])|;\s*", _I)

CHANNELS = {
    "Программа развития ООН": "UNDP", "ПРООН": "UNDP", "UNDP": "UNDP", "ЮНИСЕФ": "UNICEF", "UNICEF": "UNICEF",
    "Всемирная продовольственная программа": "WFP", "ВПП": "WFP", "WFP": "WFP", "УВКБ ООН": "UNHCR",
    "UNHCR": "UNHCR", "Международная организация по миграции": "IOM", "МОМ": "IOM", "IOM": "IOM",
    "УНП ООН": "UNODC", "UNODC": "UNODC", "ФАО": "FAO", "FAO": "FAO", "ЮНИДО": "UNIDO", "UNIDO": "UNIDO",
    "ЮНФПА": "UNFPA", "UNFPA": "UNFPA", "ВОЗ": "WHO", "WHO": "WHO", "МАГАТЭ": "IAEA", "IAEA": "IAEA",
    "Азиатский банк развития": "ADB", "АБР": "ADB", "ADB": "ADB", "ЮНОПС": "UNOPS", "UNOPS": "UNOPS",
    "МККК": "ICRC", "ICRC": "ICRC",
}
CHANNEL_RE = re.compile(
    r"(?:через|по\s+линии|при\s+посредничестве|в\s+партн[её]рстве\s+с|реализу\w+|осуществля\w+)\s+"
    r"(?P<name>" + "|".join(sorted(map(re.escape, CHANNELS), key=len, reverse=True)) + r")(?![\w])")
TITLE_RE = re.compile(
    r"(?:[Пп]роект\w*|[Пп]рограмм\w*)\s+[«“\"](?P<title2>[^»”\"\n]{4,160}?)[»”\"]"
    r"|[«“\"](?P<title>[^»”\"\n]{4,160}?)[»”\"]"
    r"|(?<![А-Яа-яЁё])(?P<title3>[Пп]роект\w*\s+(?:по|для)\s+[^,.;«»()\n]{3,100}?)(?=[,.;()\n]|\s+(?:в\s+размере|на\s+сумму|стоимостью)|$)")
TITLE_WORDS = re.compile(r"[Пп]роект|[Пп]рограмм|[Пп]лан\b|[Сс]типенди|JDS", _I)

DOCUMENTS = [
    (r"обмен\w*\s+нотами|нот(?:ами|ы)\s+(?:был\w*\s+)?обменял\w*", "exchange_of_notes"),
    (r"кредитн\w+\s+соглашени\w*|соглашени\w+\s+о\s+(?:льготном\s+)?(?:кредите|займе)", "loan_agreement"),
    (r"грантов\w+\s+соглашени\w*|соглашени\w+\s+о\s+(?:предоставлении\s+)?гранта", "other"),
    (r"меморандум\w*\s+о\s+(?:взаимопонимании|сотрудничестве)", "mou"),
    (r"декларац\w+", "declaration"),
]
DOCUMENT_RE = re.compile("|".join(f"(?P<d{n}>{p})" for n, (p, _) in enumerate(DOCUMENTS)), _I)
DOCUMENT_COUNT_RE = re.compile(
    r"(?:(?P<q>более|свыше|не менее|около|порядка)\s+)?(?<![0-9,])(?P<count>[0-9]+)\s+"
    r"(?:документ\w*|соглашени\w*|меморандум\w*)", _I)
COUNT_QUALIFIERS = {"более": "at_least", "свыше": "at_least", "не менее": "at_least", "около": "approx",
                    "порядка": "approx"}

_NUMBER_WORDS = {"двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5, "шести": 6, "семи": 7,
                 "восьми": 8, "девяти": 9, "десяти": 10}
HORIZON_RE = re.compile(r"(?:в\s+течение|за)\s+(?:следующих|ближайших|предстоящих)\s+"
                        r"(?P<years>[0-9]+|" + "|".join(_NUMBER_WORDS) + r")\s+лет", _I)
# a goal («цель», «намерена довести до …»); «на цели развития» (for the purpose of) and an intention to give
# («намерена выделить $100 млн», «подтверждает намерение предоставить кредит») state a deal, not a goal
TARGET_RE = re.compile(r"(?:в\s+течение|за)\s+(?:следующих|ближайших|предстоящих)\s+\w+\s+лет|"
                       r"(?<!\bна\s)\bцел[ьи]\b|(?:намерен|планиру)\w*\s+довести", _I)
CONTEXT_RE = re.compile(r"в\s+общей\s+сложности\s+с\s+[0-9]{4}|"
                        # the aid given so far: «Общий объем помощи … превышает», «Помощь Японии республике составляет»,
                        # «за 1995–2010 гг.»
                        r"общ\w+\s+(?:объ[её]м|сумм|стоимост)\w*\s+(?:\w+\s+){0,3}?(?:помощи|грантов|проектов|кредитов|"
                        r"займов|содействия)\b|(?<![\w-])[Пп]омощь\s+(?:\w+\s+){0,3}?(?:составляет|составила|превыша\w*|"
                        r"превысила|достиг\w*)|\bна\s+\w+\s+месте\b|"
                        # money given to Japan («для Японии», «пострадавшей от цунами Японии»)
                        r"\bдля\s+Японии\b|пострадавш\w+\s+(?:\w+\s+){0,3}?Японии\b|\bза\s+(?:19|20)[0-9]{2}\s*[–—-]\s*(?:19|20)[0-9]{2}\s*(?:гг|годы)|накопленн\w+|за\s+(?:все\s+)?годы|с\s+[0-9]{4}\s+года|"
                        r"\bВВП\b|населени\w+|товарооборот\w*|торгов\w+\s+оборот\w*|объ[её]м\w*\s+торговл\w*|"
                        r"на\s+сегодняшний\s+день|(?:к|до)\s+настоящего\s+времени|к\s+настоящему\s+времени|"
                        r"за\s+(?:минувш|прошедш|последн)\w+\s+(?:срок|период|время|годы|десятилети\w*|[0-9]+\s+лет)|\bранее\b|предыдущ\w+|"
                        r"^\s*Читайте|[Сс]м\.\s+также|выплат\w*\s+по\s+(?:кредит|займ)\w*|погашени\w*|"
                        r"за\s+(?:прошедший\s+|весь\s+|последний\s+)?(?:год|период|годы)\b|"
                        r"поблагодари\w*[^.]{0,80}\sза\s|перечислил\w*|поступил[аио]?\b|с\s+начала\s+(?:этого\s+|текущего\s+)?года|"
                        r"(?:Всемирн\w+\s+банк\w*|ЕБРР|Европейск\w+\s+(?:союз|инвестиционн\w+\s+банк)\w*|\bЕС\b|"
                        r"\bМВФ\b|\bСША\b|Китай)\s+(?:\w+\s+)?(?:выделил|предоставил|одобрил|выделит|предоставит)\w*",
                        _I)
PAST_RE = re.compile(r"\bв\s+(?P<year>(?:19|20)[0-9]{2})\s+(?:году|г\.)", _I)
TOTAL_RE = re.compile(r"(?:на\s+общую\s+сумму|общ\w+\s+(?:сумм\w*|объ[её]м\w*|стоимость\w*)|в\s+общей\s+сложности|"
                      r"всего|итого)\s*(?:в\s+размере|составит|составляет|составила)?\s*$", _I)
TOTAL_AFTER_RE = None
ALLOCATION_RE = re.compile(r"\b(?:будут|будет|был[аои]?|были)\s+(?:направлен\w*|выделен\w*|предоставлен\w*|"
                           r"потрачен\w*|использован\w*)|\bвыдел\w+|\bнаправ\w+\s+на\b|\bпойд(?:ут|ет)\s+на\b|"
                           r"\bполучит\b", _I)
EQUIVALENT_RE = re.compile(r"\s*(?:[(]\s*(?:что\s+)?(?:эквивалентн\w+|составляет|равн\w+)?\s*|,?\s+или\s+|"
                           r",?\s+что\s+(?:эквивалентно|составляет)\s+)$", _I)
RECIPIENT_PARTICLES = re.compile(r"\s*", _I)
TITLE_JUNK = re.compile(r"^(?:и|а\s+также|также|в\s+том\s+числе)\s+|(?<!\s)\s+(?:в|для|на)$|(?<!\s)\s*\([^)]*\)$", _I)


def horizon_years(sentence: str) -> int | None:
    """Return the number of years of «в течение следующих пяти лет», if stated."""
    m = HORIZON_RE.search(sentence)
    if not m:
        return None
    years = m.group("years").lower()
    return int(years) if years.isdigit() else _NUMBER_WORDS[years]
