"""Japanese cues: instruments, channels, titles, documents, targets, totals and context figures."""

import re

from pledgewatch.press.extract import text as _text
from pledgewatch.press.extract.dates import find_ja_dates
from pledgewatch.press.extract.numbers import find_ja_amounts, kanji_small
from pledgewatch.press.extract.recipients import find_ja
from pledgewatch.press.extract.tokenize import place_names

CODE = "ja"
NAME = "日本語"
HEAD_FIRST = False
find_amounts = find_ja_amounts
find_dates = find_ja_dates


def detect_score(sample: str) -> float:
    """Return the weight of kana and kanji among the letters; 0 without kana (Chinese is not read)."""
    n = _text.script_counts(sample)
    if n["kana"] < max(1, n["ja"] // 20):
        return 0.0
    return 6 * n["ja"] / (6 * n["ja"] + n["latin"] + n["cyrillic"])


def find_recipients(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return the countries named, from Sudachi's 地名 tokens and the ledger's Japanese names."""
    return find_ja(text, place_names(text))


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentences (「。」, 「.」 used as 「。」, line ends)."""
    return _text.sentences(text, "ja")


# (pattern, instrument) — the first matching pattern at a place wins; longer cues first.
INSTRUMENTS = [
    (r"ドル建て借款|円借款|有償資金協力|借款|貸付契約|融資", "loan"),
    (r"ノン・?プロジェクト無償(?:資金協力)?|無償資金協力|草の根・人間の安全保障無償(?:資金協力)?|"
     r"人材育成奨学計画|JDS|機材供与|機材の供与|贈与|無償", "grant"),
    (r"技術協力(?:プロジェクト)?|専門家派遣|研修員受入れ", "technical_cooperation"),
    (r"出資|投資(?!促進|環境|計画|事業|銀行|庁)", "investment"),  # 「直接投資促進事業」 names a project
    (r"保証", "guarantee"),
]
INSTRUMENT_RE = re.compile("|".join(f"(?P<i{n}>{p})" for n, (p, _) in enumerate(INSTRUMENTS)))
# Activities that, in a sentence listing ODA, stand for grant-financed items ("税関機材整備").
ACTIVITY_RE = re.compile(r"供与|整備|支援|架け替え|保守|改修|建設|改善|強化|協力")
ODA_RE = re.compile(r"政府開発援助|ODA|円借款|無償資金協力|技術協力")
ENUMERATION_END_RE = re.compile(r"(?:など|等)(?:が|を|の)[^。]{0,30}?(?:合意|署名|表明|決定|発表|供与|実施|約束|披露)")
CLAUSE_SEP_RE = re.compile(r"、|,(?![0-9]{3})|と(?=[「『])|及び|並びに|や(?=[「『])")
CLAUSE_MARKS = ("、", ",", "; ")
SEGMENT_SPLIT_RE = re.compile(r"、さらに|、また|、及び|、および|及び|および|並びに|、|,(?![0-9]{3})|や(?=[^\s、。]{2})")

CHANNELS = {
    "国連開発計画": "UNDP", "UNDP": "UNDP", "国連児童基金": "UNICEF", "ユニセフ": "UNICEF", "UNICEF": "UNICEF",
    "世界食糧計画": "WFP", "国連世界食糧計画": "WFP", "WFP": "WFP", "国連難民高等弁務官事務所": "UNHCR",
    "UNHCR": "UNHCR", "国際移住機関": "IOM", "IOM": "IOM", "国連薬物・犯罪事務所": "UNODC", "UNODC": "UNODC",
    "国連食糧農業機関": "FAO", "FAO": "FAO", "国連工業開発機関": "UNIDO", "UNIDO": "UNIDO",
    "国連人口基金": "UNFPA", "UNFPA": "UNFPA", "世界保健機関": "WHO", "WHO": "WHO",
    "国際原子力機関": "IAEA", "IAEA": "IAEA", "アジア開発銀行": "ADB", "ADB": "ADB",
    "国連プロジェクト・サービス機関": "UNOPS", "UNOPS": "UNOPS", "赤十字国際委員会": "ICRC", "ICRC": "ICRC",
}
CHANNEL_RE = re.compile(
    r"(?P<name>" + "|".join(sorted(map(re.escape, CHANNELS), key=len, reverse=True)) + r")"
    r"(?:\s*[（(][^（）()]{1,20}[)）])?\s*(?:を通じ|経由|を通した|を通して|との連携)")
TITLE_RE = re.compile(r"[「『](?P<title>[^「」『』\n]{2,80}?(?:計画|事業|プロジェクト|プログラム))"
                      r"(?:[（(][^（）()」]{1,12}[)）])?[」』]"
                      # a listed item without brackets: 「(1)…計画(供与限度額…)」「・…事業：…」
                      r"|(?<!\S)(?:[(（]?[0-9]{1,2}[)）.]|[①-⑳・●○■◆-])[ \t]*"
                      r"(?P<title2>[^「」『』\n(（、。:：]{2,80}?(?:計画|事業|プロジェクト|プログラム))(?=[(（:：\s]|$)"
                      # a name right before its amount, in a table or a run: 「…整備事業755億7,100万円、…」
                      r"|(?:(?<=[\s、:：は])|(?<![^\n]))(?P<title3>[^\s「」『』(（、。:：,はがを]{2,60}?"
                      r"(?:計画|事業|プロジェクト|プログラム)(?:[(（]第[一二三四五六七八九十0-9]+期[)）])?)"
                      r"(?=[ \t　]*(?:[(（](?:供与限度額|限度額|同)?[:：]?)?\s*約?[0-9])")
TITLE_WORDS = None

DOCUMENTS = [
    (r"書簡の(?:署名・)?交換|交換公文|E/N", "exchange_of_notes"),
    (r"借款契約|貸付契約|L/A", "loan_agreement"),
    (r"贈与契約|G/A", "other"),
    (r"協力覚書|覚書|MOU|MoU", "mou"),
    (r"共同宣言|宣言", "declaration"),
]
DOCUMENT_RE = re.compile("|".join(f"(?P<d{n}>{p})" for n, (p, _) in enumerate(DOCUMENTS)))
DOCUMENT_COUNT_RE = re.compile(r"(?<![0-9,])(?P<count>[0-9][0-9,]*+)\s*件(?P<q>以上|超|余り|近く)?"
                               r"の(?:文書|合意文書|協力文書|覚書)")
COUNT_QUALIFIERS = {"以上": "at_least", "超": "at_least", "余り": "approx", "近く": "approx"}

TARGET_RE = re.compile(r"今後\s*(?:[0-9]+|[一二三四五六七八九十]+)\s*年|目標|目指す|目指し")
HORIZON_RE = re.compile(r"(?:今後|向こう)\s*(?P<years>[0-9]+|[一二三四五六七八九十]+)\s*年")
CONTEXT_RE = re.compile(r"累計|累積|これまで|GDP|国内総生産|人口|貿易額|輸出額|輸入額|投資残高|総事業費"
                        r"|(?:署名|供与|締結|調印)しており|過去に|具体化"
                        # the aid record (「援助実績は…」「2005年度までの」「…を実施してきた」)
                        r"|(?:援助|ODA|供与|支援)実績|(?<![0-9])(?:19|20)[0-9]{2}年度?まで(?:の|に)|(?:実施|供与|支援)してきた"
                        # a sum as it stands now (「その総額は…を超えている」「…に達している」)
                        r"|(?:を超えて|に達して|に上って|となって)いる")
TOTAL_RE = re.compile(r"(?:合計|総額|総計|計)(?:は|で)?\s*(?:約)?$")
TOTAL_AFTER_RE = re.compile(r"総額")
PAST_RE = re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})年(?:度)?(?:に|には|、|から|以来)")
# an amount whose sentence states what it is for, without an instrument cue: 「…に約10億円が充てられる」
ALLOCATION_RE = re.compile(r"充て|拠出|供与(?:する|され|し)|支援(?:する|され|し)|配分")
# between an amount and its restatement in another currency: 「約1億ドル(約150億円)」「…円(…ドル相当)」
EQUIVALENT_RE = re.compile(r"\s*[（(]\s*(?:約|およそ|日本円で|邦貨換算で|換算で)?\s*$")
RECIPIENT_PARTICLES = re.compile(r"(?:への|での|に対する|に対し(?:て)?|向けの|向け|における|の)")
TITLE_JUNK = re.compile(r"^(?:さらに|また|特に|そして)|(?:など|等|や|と|及び)$|[（(][^）)]*[）)]$")


def horizon_years(sentence: str) -> int | None:
    """Return the number of years of a 「今後N年間」 target, if stated."""
    m = HORIZON_RE.search(sentence)
    if not m:
        return None
    years = m.group("years")
    return int(years) if years.isdigit() else kanji_small(years)
