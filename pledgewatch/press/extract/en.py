"""English cues: instruments, channels, titles, documents, targets, totals and context figures."""

import re

from pledgewatch.press.extract import text as _text
from pledgewatch.press.extract.dates import find_en_dates
from pledgewatch.press.extract.numbers import find_en_amounts
from pledgewatch.press.extract.recipients import find_en

CODE = "en"
NAME = "English"
HEAD_FIRST = True
find_amounts = find_en_amounts
find_dates = find_en_dates
_WORDS = frozenset((
    "the", "of", "and", "to", "in", "for", "a", "on", "with", "by", "is",
    "was", "will", "be", "from", "at", "as", "that", "its", "has", "an", "are", "this"))
_WORD_RE = re.compile(r"[a-z]+")


def detect_score(sample: str) -> float:
    """Return the share of Latin letters, discounted when few words are English function words."""
    n = _text.script_counts(sample)
    if not n["latin"]:
        return 0.0
    share, count = _text.word_share(sample, _WORDS, _WORD_RE)
    factor = 1.0 if share >= 0.08 else (0.6 if count < 12 else 0.1)
    return factor * n["latin"] / (n["latin"] + n["cyrillic"] + 6 * n["ja"])


def find_recipients(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries named ("Viet Nam", "the Kyrgyz Republic"), capitalised."""
    return find_en(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentences ("." followed by a capital, line ends)."""
    return _text.sentences(text, "en")


_I = re.IGNORECASE
INSTRUMENTS = [
    (r"(?:Japanese\s+)?ODA\s+loans?|yen\s+loans?|dollar-denominated\s+loans?|concessional\s+loans?|"
     r"loan\s+agreements?|\bloans?\b|\blend(?:s|ing)?\b", "loan"),
    (r"non-project\s+grant(?:\s+aid)?|grant\s+aid|grassroots\s+grants?|grants?\b|scholarships?|"
     r"food\s+aid|humanitarian\s+(?:aid|assistance)|emergency\s+(?:grant\s+)?aid|"
     r"provision\s+of\s+equipment|equipment\s+supply|non-?refundable\s+(?:aid|assistance|financial\s+aid)|"
     r"non-project\s+assistance|\bdonat(?:e|es|ed|ing|ion)\b", "grant"),
    (r"technical\s+cooperation|technical\s+assistance|dispatch\s+of\s+experts", "technical_cooperation"),
    # lower case only: "Tamil Nadu Investment Promotion Program" names a project, not an investment
    # "investment promotion", "investment climate" name a sector, not an instrument
    (r"(?-i:equity\s+investments?|\binvestments?\b)(?!\s+(?:promotion|climate|environment|policy|policies))",
     "investment"),
    (r"\bguarantees?\b", "guarantee"),
    # aid whose kind the text does not say: `other`
    (r"(?:financial|economic|budget(?:ary)?)\s+(?:assistance|aid|support)", "other"),
]
INSTRUMENT_RE = re.compile("|".join(f"(?P<i{n}>{p})" for n, (p, _) in enumerate(INSTRUMENTS)), _I)
ACTIVITY_RE = re.compile(r"equipment|replacement|maintenance|construction|improvement|support|reduction|"
                         r"rehabilitation|development|promotion", _I)
ODA_RE = re.compile(r"official development assistance|\bODA\b|grant aid|yen loan|ODA loan", _I)
ENUMERATION_END_RE = re.compile(r"\b(?:includ(?:es|e|ing)|such as|among them)\b", _I)
CLAUSE_SEP_RE = re.compile(r"(?<!\s)\s+and\s+|,\s+|;\s+|:\s+")
CLAUSE_MARKS = (", ", "; ")
SEGMENT_SPLIT_RE = re.compile(r",\s*(?:and\s+|as well as\s+)?|(?<!\s)\s+and\s+(?=[a-z])|;\s*", _I)

CHANNELS = {
    "United Nations Development Programme": "UNDP", "UNDP": "UNDP", "UNICEF": "UNICEF",
    "United Nations Children's Fund": "UNICEF", "World Food Programme": "WFP", "WFP": "WFP",
    "UNHCR": "UNHCR", "International Organization for Migration": "IOM", "IOM": "IOM",
    "United Nations Office on Drugs and Crime": "UNODC", "UNODC": "UNODC", "FAO": "FAO", "UNIDO": "UNIDO",
    "UNFPA": "UNFPA", "World Health Organization": "WHO", "WHO": "WHO", "IAEA": "IAEA",
    "Asian Development Bank": "ADB", "ADB": "ADB", "UNOPS": "UNOPS", "ICRC": "ICRC",
}
CHANNEL_RE = re.compile(
    r"(?:through|via|channel(?:l)?ed\s+through|implemented\s+by|in\s+partnership\s+with)\s+(?:the\s+)?"
    r"(?P<name>" + "|".join(sorted(map(re.escape, CHANNELS), key=len, reverse=True)) + r")\b")
TITLE_RE = re.compile(
    r"[“\"](?:[Tt]he\s+)?(?P<title>[^”\"\n]{4,120}?)[”\"]"
    r"|(?<![A-Za-z])(?:[Tt]he\s+)(?P<title2>(?:Project|Programme|Program)\s+for\s+(?:the\s+)?[A-Z][^,.;()\n]{3,100}?)"
    r"(?=\s+(?:under|with|in\s+the|by|from|to|at|on\s+(?:\d|[A-Z][a-z]+\s+\d))\b|[,.;()\n]|$)"
    r"|(?<![A-Za-z])(?:[Tt]he\s+)(?:(?:yen|ODA)\s+loan\s+|grant\s+aid\s+)?"
    r"(?P<title3>[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|and|of|for|in|the|on))*"
    r"\s+(?:Project|Programme|Program)\b(?:\s*\((?:[IVX]+|Phase\s*[0-9IVX]+|[0-9]+)\))*)"
    # a listed item: "(1) Jamuna Railway Bridge Construction Project (II) (loan amount: …)"
    r"|(?<!\S)(?:\(?[0-9]{1,2}\s?[).]|\(?[a-z]\s?[.)]|[•·*\-–])[ \t]*"
    r"(?P<title4>(?:(?:Project|Programme|Program)\b|[A-Z][^\n()]{0,150}?\b(?:Project|Programme|Program)\b)"
    r"[^\n()]{0,150}?"
    r"(?:\s*\((?:[IVX]+|Phase\s*[0-9IVX]+|[0-9]+)\))*)(?=\s*\(|\s*[:–]|\s*$)"
    # names listed without an article: "The other projects are A Project, B Project and …"
    r"|(?:(?<=\bare )|(?<=\binclude )|(?<=, )|(?<= and ))"
    r"(?P<title5>[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|of|for|in|on))*\s+(?:Project|Programme|Program)\b"
    r"(?:\s*\((?:[IVX]+|Phase\s*[0-9IVX]+|[0-9]+)\))*)(?=\s*(?:,|and\b|\.|\(|$))",
)
TITLE_WORDS = re.compile(r"Project|Programme|Program|Plan\b|Scholarship|\bJDS\b", _I)

DOCUMENTS = [
    (r"Exchange\s+of\s+Notes|E/N|exchanged\s+notes|Notes\s+were\s+exchanged", "exchange_of_notes"),
    (r"Loan\s+Agreements?|L/A", "loan_agreement"),
    (r"Grant\s+(?:Agreements?|Contracts?)|G/A", "other"),
    (r"Memorand(?:um|a)\s+of\s+(?:Understanding|Cooperation)|\bMoU\b|\bMOU\b", "mou"),
    (r"Joint\s+Declaration|Tokyo\s+Declaration|Declaration", "declaration"),
]
DOCUMENT_RE = re.compile("|".join(f"(?P<d{n}>{p})" for n, (p, _) in enumerate(DOCUMENTS)), _I)
DOCUMENT_COUNT_RE = re.compile(
    r"(?:(?P<q>more than|over|at least|some|about)\s+)?(?<![0-9,])(?P<count>[0-9][0-9,]*)\s+"
    r"(?:public\s+and\s+private\s+)?"
    r"(?:documents|agreements|memoranda)", _I)
COUNT_QUALIFIERS = {"more than": "at_least", "over": "at_least", "at least": "at_least", "some": "approx",
                    "about": "approx"}

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10}
HORIZON_RE = re.compile(r"(?:over|in|within) the (?:next|coming) "
                        r"(?P<years>[0-9]+|two|three|four|five|six|seven|eight|nine|ten)"
                        r" years", _I)
TARGET_RE = re.compile(r"over the (?:next|coming) (?:[0-9]+|two|three|four|five|six|seven|eight|nine|ten)"
                       r" years|\btarget\b|\baims? to\b|\bgoal\b", _I)
CONTEXT_RE = re.compile(r"cumulative|to date|so far|"
                        r"\btotal\s+(?:amount|volume|value|sum)\s+of\s+(?:[\w'’]+\s+){0,3}?(?:aid|assistance|grants|loans|"
                        r"projects|ODA)\b(?!\s+(?:to\s+be|will|under\s+(?:the|this)\s+agreement))|"
                        r"since \d{4}|within the (?:period|span) of [0-9]+ years|"
                        r"over the (?:past|last) (?:[0-9]+|two|three|four|five|ten|few|several) (?:years|decades)|"
                        r"since the (?:beginning|start) of (?:its|our|their|the) (?:cooperation|relations|partnership)|"
                        r"\b(?:completed|handed\s+over|inaugurated)\b(?!\s+(?:the\s+)?(?:exchange|signing|negotiation))|"
                        r"has reached|have reached|up to the present|"
                        r"^\s*(?:READ MORE|Read more|Also read|See also|Related)\b|^\s*Earlier\b|\bpreviously\b|"
                        r"\bat present\b|\bare being implemented\b|\bthank(?:ed|s|ing)?\b[^.]{0,80}\bfor\b|"
                        r"\bsince the (?:beginning|start) of (?:this|the) year\b|"
                        r"\b(?:World Bank|European (?:Investment Bank|Union|Bank)|EU|IMF|USAID|United States|China)\s+"
                        r"(?:has\s+|have\s+|had\s+|will\s+|also\s+)*(?:allocated|provided|offered|pledged|approved|"
                        r"committed|lent|granted|allocate|provide|offer)\b|"
                        r"since (?:its )?inception|\bGDP\b|population|trade volume|bilateral trade",
                        _I)
TOTAL_RE = re.compile(r"(?:a\s+total\s+of|totall?ing|in\s+total|combined|altogether|together\s+worth)\s*$", _I)
TOTAL_AFTER_RE = None
PAST_RE = re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]etween|[Ff]rom)\s+(?:(?:early|late|mid-?)\s*)?"
                     r"(?P<year>(?:19|20)[0-9]{2})\b")
ALLOCATION_RE = re.compile(r"\b(?:will\s+be|to\s+be|was|were|is|are|has\s+been|have\s+been)\s+"
                           r"(?:directed|channell?ed|granted|allocated|earmarked|provided|spent|used|allotted|"
                           r"disbursed|given)\b|\bwill\s+receive\b|"
                           r"\b(?:will|to)\s+(?:allocate|provide|offer|extend|give|disburse)\b|"
                           r"\b(?:offers|offering|offered|gives|pledged)\b|"
                           # a table row "| JPY258M to Uganda |"
                           r"(?m:^[|\s]*(?:JPY|US\$|USD|¥|\$)\s?[0-9][0-9.,]*\s?(?:[MB]|million|billion)?\s+(?:to|for)\s+[A-Z])",
                           _I)
EQUIVALENT_RE = re.compile(r"\s*(?:[(]\s*(?:equivalent\s+to|equal\s+to|or|app\.|approx\.?)?\s*|"
                           r",?\s+or\s+|,?\s+equivalent\s+to\s+|"
                           r",?\s+\(?roughly\s+)$", _I)
RECIPIENT_PARTICLES = re.compile(r"(?:to|for|in)\s+(?:the\s+)?", _I)
TITLE_JUNK = re.compile(r"^(?:and|also|further|including|a|an|the)\s+|(?<!\s)\s+(?:in|for|to)$"
                        r"|(?<!\s)\s*\([^)]*\)$", _I)


def horizon_years(sentence: str) -> int | None:
    """Return the number of years of an "over the next N years" target, if stated."""
    m = HORIZON_RE.search(sentence)
    if not m:
        return None
    years = m.group("years")
    return int(years) if years.isdigit() else _NUMBER_WORDS[years.lower()]
