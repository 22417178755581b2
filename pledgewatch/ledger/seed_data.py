"""The CA+JAD seed, fact by fact, each with the span of the article it comes from.

`q` is the exact quote in `pledgewatch/data/seed/000_e4d48cf28ef5aab2.txt`; the loader finds its
offsets and refuses to load when a quote is not found exactly once.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
ARTICLE = "000_e4d48cf28ef5aab2.txt"
ARTICLE_META = {
    "title": "日本と中央アジア5カ国 初の首脳会合 「東京宣言」採択で新時代へ",
    "language": "ja",
    "retrieved_on": date(2025, 12, 20),
    "url": "https://m.epochtimes.jp/2025/12/337897.html",
    "publisher": "The Epoch Times Japan (大紀元 エポックタイムズ・ジャパン)",
    # the first two lines are the site's newsletter notice, not part of the article: the article starts here
    "body_starts_with": "日本と中央アジア5カ国 初の首脳会合",
}
FIVE = ["KZ", "KG", "TJ", "TM", "UZ"]

ORGANISATIONS = [
    {"slug": "gov-jp", "name_ja": "日本国政府", "name_en": "Government of Japan", "name_ru": "Правительство Японии",
     "kind": "government", "country": "JP", "iati_ref": "XM-DAC-701"},
    {"slug": "jica", "name_ja": "国際協力機構(JICA)", "name_en": "Japan International Cooperation Agency (JICA)",
     "name_ru": "Японское агентство международного сотрудничества (JICA)", "kind": "agency", "country": "JP",
     "iati_ref": "XM-DAC-701-8"},
    {"slug": "gov-kz", "name_ja": "カザフスタン共和国政府", "name_en": "Government of Kazakhstan",
     "name_ru": "Правительство Республики Казахстан", "kind": "government", "country": "KZ"},
    {"slug": "gov-kg", "name_ja": "キルギス共和国政府", "name_en": "Government of the Kyrgyz Republic",
     "name_ru": "Правительство Кыргызской Республики", "kind": "government", "country": "KG"},
    {"slug": "gov-tj", "name_ja": "タジキスタン共和国政府", "name_en": "Government of Tajikistan",
     "name_ru": "Правительство Республики Таджикистан", "kind": "government", "country": "TJ"},
    {"slug": "gov-tm", "name_ja": "トルクメニスタン政府", "name_en": "Government of Turkmenistan",
     "name_ru": "Правительство Туркменистана", "kind": "government", "country": "TM"},
    {"slug": "gov-uz", "name_ja": "ウズベキスタン共和国政府", "name_en": "Government of Uzbekistan",
     "name_ru": "Правительство Республики Узбекистан", "kind": "government", "country": "UZ"},
    {"slug": "undp", "name_ja": "国連開発計画(UNDP)", "name_en": "United Nations Development Programme (UNDP)",
     "name_ru": "Программа развития ООН (ПРООН)", "kind": "multilateral", "iati_ref": "XM-DAC-41114",
     "sources": [{"q": "UNDPを通じた中央アジア5か国への広域災害リスク軽減支援"}]},
    {"slug": "ca-jad", "name_ja": "「中央アジア+日本」対話(CA+JAD)",
     "name_en": "Central Asia + Japan Dialogue (CA+JAD)", "name_ru": "Диалог «Центральная Азия + Япония»",
     "kind": "other", "founded": 2004,
     "description_ja": "2004年に日本が立ち上げた外相級の対話枠組み。発足から21年を経て首脳級へ格上げされた。",
     "description_en": "Dialogue launched by Japan in 2004 at foreign-minister level; raised to leaders' level "
                       "after 21 years, with its first summit in Tokyo on 2025-12-20.",
     "description_ru": "Диалог, начатый Японией в 2004 году на уровне министров иностранных дел; через 21 год "
                       "повышен до уровня глав государств.",
     "sources": [{"q": "2004年に日本が他国に先駆けて立ち上げたこの対話枠組みは、発足から21年を経て外相級から首脳級へと格上げされた。"}]},
]

INITIATIVE = {
    "slug": "ca-jad-tokyo-initiative",
    "name_ja": "CA+JAD東京イニシアティブ",
    "name_en": "CA+JAD Tokyo Initiative",
    "name_ru": "Токийская инициатива CA+JAD",
    "summary_ja": "中央アジアの産業高度化・多角化を支援し、日本との互恵的関係を強化するため、今後5年間で総額3兆円規模の"
                  "ビジネス・プロジェクトを目指す。重点はグリーン・強靭化、コネクティビティ、人づくりの3分野。",
    "summary_en": "Supports the upgrading and diversification of Central Asian industry and mutually beneficial "
                  "ties with Japan, aiming at business projects of about 3 trillion yen over the next five years "
                  "in three pillars: green and resilience, connectivity, and human resources.",
    "summary_ru": "Поддержка модернизации и диверсификации промышленности Центральной Азии: бизнес-проекты "
                  "примерно на 3 трлн иен за пять лет по трём направлениям.",
    "target_amount": "3000000000000", "target_currency": "JPY", "target_qualifier": "approx",
    "horizon_start": date(2025, 12, 20), "horizon_end": date(2030, 12, 20),
    "headline_currency": "JPY",
    "scope_provider": "gov-jp",
    "scope_countries": FIVE,
    "counted_stages": ["signed", "committed", "disbursing", "completed"],
    "conversion_policy": "date",
    "sources": [
        {"q": "「CA+JAD東京イニシアティブ」が宣言された"},
        {"field": "target", "q": "今後5年間で総額3兆円規模のビジネス・プロジェクトを目指す目標が設定された"},
    ],
}

PILLARS = [
    {"slug": "green-resilience", "name_ja": "グリーン・強靭化", "name_en": "Green and resilience",
     "name_ru": "Зелёное развитие и устойчивость",
     "keywords": "グリーン\n強靭化\nエネルギー\n防災\n気候変動\n重要鉱物\ngreen\nresilience\nenergy\ndisaster\nclimate",
     "q": "グリーン・強靭化: エネルギートランジションに関する協力、重要鉱物サプライチェーンの強靭化、防災協力、気候変動対策に関する協力。",
     "focus": [
         ("energy-transition", "エネルギートランジション", "Energy transition", "Энергетический переход",
          "エネルギートランジション\n再生可能エネルギー\nenergy transition\nrenewable"),
         ("critical-minerals", "重要鉱物サプライチェーンの強靭化", "Critical-minerals supply chains",
          "Цепочки поставок критически важных минералов", "重要鉱物\nレアメタル\nウラン\ncritical minerals\nrare metals"),
         ("disaster-prevention", "防災協力", "Disaster prevention", "Предотвращение бедствий",
          "防災\n災害リスク\ndisaster risk\ndisaster prevention"),
         ("climate-change", "気候変動対策", "Climate change", "Изменение климата", "気候変動\nclimate change"),
     ]},
    {"slug": "connectivity", "name_ja": "コネクティビティ(連結性)", "name_en": "Connectivity",
     "name_ru": "Взаимосвязанность",
     "keywords": "コネクティビティ\n連結性\nカスピ海ルート\nconnectivity\nCaspian\nAI",
     "q": "コネクティビティ(連結性): 「カスピ海ルート」の円滑化支援、AI協力パートナーシップの立ち上げ。",
     "focus": [
         ("caspian-route", "「カスピ海ルート」の円滑化", "Caspian route facilitation",
          "Содействие «Каспийскому маршруту»", "カスピ海ルート\nCaspian route\nTrans-Caspian"),
         ("ai-partnership", "AI協力パートナーシップ", "AI cooperation partnership", "Партнёрство в области ИИ",
          "AI\n人工知能\nartificial intelligence"),
     ]},
    {"slug": "human-resources", "name_ja": "人づくり", "name_en": "Human resources", "name_ru": "Развитие кадров",
     "keywords": "人づくり\n人材育成\n医療\n保健\nhuman resources\nscholarship\nhealth",
     "q": "人づくり: 人材育成奨学計画(JDS)の継続、医療・保健分野の協力。",
     "focus": [
         ("jds-scholarships", "人材育成奨学計画(JDS)", "JDS scholarships", "Стипендии JDS",
          "人材育成奨学計画\nJDS\nscholarship"),
         ("medical-health", "医療・保健分野の協力", "Medical and health cooperation",
          "Сотрудничество в медицине и здравоохранении", "医療\n保健\n血液\nmedical\nhealth\nblood"),
     ]},
]

# OECD DAC 5-digit purpose codes of each focus area (defaults, editable in the admin; the IATI export writes
# them as the sectors of the focus area's commitments)
FOCUS_SECTORS = {
    "energy-transition": "23210", "critical-minerals": "32210 32220", "disaster-prevention": "43060 74020",
    "climate-change": "41010", "caspian-route": "21010 33120", "ai-partnership": "22040",
    "jds-scholarships": "11420", "medical-health": "12191",
}

SUMMIT_PARTICIPANTS = [
    ("高市早苗", "Takaichi Sanae", "Такаити Санаэ", "内閣総理大臣(議長)", "Prime Minister of Japan (chair)", "JP", True,
     "高市早苗内閣総理大臣の議長の下"),
    ("トカエフ", "Kassym-Jomart Tokayev", "Касым-Жомарт Токаев", "カザフスタン共和国大統領",
     "President of Kazakhstan", "KZ", False, "トカエフ・カザフスタン共和国大統領を出迎える高市総理"),
    ("ジャパロフ", "Sadyr Japarov", "Садыр Жапаров", "キルギス共和国大統領", "President of the Kyrgyz Republic",
     "KG", False, "ジャパロフ・キルギス共和国大統領を出迎える高市総理"),
    ("ラフモン", "Emomali Rahmon", "Эмомали Рахмон", "タジキスタン共和国大統領", "President of Tajikistan", "TJ",
     False, "ラフモン・タジキスタン共和国大統領を出迎える高市総理"),
    ("ベルディムハメドフ", "Serdar Berdimuhamedov", "Сердар Бердымухамедов", "トルクメニスタン大統領",
     "President of Turkmenistan", "TM", False, "ベルディムハメドフ・トルクメニスタン大統領を出迎える高市総理"),
    ("ミルジヨーエフ", "Shavkat Mirziyoyev", "Шавкат Мирзиёев", "ウズベキスタン共和国大統領",
     "President of Uzbekistan", "UZ", False, "ミルジヨーエフ・ウズベキスタン共和国大統領を出迎える高市総理"),
]

EVENTS = [
    {"slug": "ca-jad-dinner-2025-12-19", "kind": "dinner",
     "name_ja": "中央アジア5か国首脳を迎えた晩餐会", "name_en": "Dinner for the Central Asian leaders",
     "name_ru": "Ужин в честь лидеров стран Центральной Азии",
     "starts_at": datetime(2025, 12, 19, 19, 15, tzinfo=JST), "ends_at": datetime(2025, 12, 19, 20, 15, tzinfo=JST),
     "time_known": True,
     "place_ja": "迎賓館赤坂離宮", "place_en": "State Guest House Akasaka Palace, Tokyo",
     "place_ru": "Государственная гостевая резиденция Акасака, Токио", "country": "JP",
     "description_ja": "高市総理が主催。各国代表団、茂木外務大臣、麻生日・中央アジア諸国友好議連会長らが出席。約1時間。",
     "description_en": "Hosted by Prime Minister Takaichi for about an hour, with the five delegations, Foreign "
                       "Minister Motegi and Aso Taro, president of the Japan–Central Asia friendship league.",
     "description_ru": "Организован премьер-министром Такаити, около часа; присутствовали пять делегаций, министр "
                       "иностранных дел Мотэги и Асо Таро, председатель парламентской лиги дружбы Японии и "
                       "Центральной Азии.",
     "participants": [
         ("高市早苗", "Takaichi Sanae", "Такаити Санаэ", "内閣総理大臣(主催)", "Prime Minister of Japan (host)", "JP",
          True, "高市総理は、迎賓館赤坂離宮において、中央アジア5か国の大統領らを迎え、晩餐会を主催した"),
         ("茂木敏充", "Motegi Toshimitsu", "Мотэги Тосимицу", "外務大臣", "Minister for Foreign Affairs", "JP", False,
          "茂木敏充外務大臣"),
         ("麻生太郎", "Aso Taro", "Асо Таро", "日・中央アジア諸国友好議連会長",
          "President, Japan–Central Asia Parliamentary Friendship League", "JP", False,
          "麻生太郎日・中央アジア諸国友好議連会長"),
     ],
     "sources": [
         {"q": "前日の19日午後7時15分から約1時間、高市総理は、迎賓館赤坂離宮において、中央アジア5か国の大統領らを迎え、晩餐会を主催した。"},
         {"q": "この晩餐会には、各国の代表団に加え、日本側からは茂木敏充外務大臣や麻生太郎日・中央アジア諸国友好議連会長らも出席した。"},
         {"field": "date", "q": "令和7年12月19日、赤坂迎賓館で中央アジア5カ国首脳らを招いた晩餐会が開かれた"},
     ]},
    {"slug": "ca-jad-summit-2025-12-20", "kind": "summit",
     "name_ja": "「中央アジア+日本」対話・首脳会合", "name_en": "First Central Asia + Japan Dialogue Summit",
     "name_ru": "Первый саммит «Центральная Азия + Япония»",
     "starts_at": datetime(2025, 12, 20, 9, 0, tzinfo=JST), "ends_at": None, "time_known": False,
     "place_ja": "都内ホテル", "place_en": "A hotel in Tokyo", "place_ru": "Гостиница в Токио", "country": "JP",
     "description_ja": "2025年12月20日午前。初の首脳会合。高市総理が議長。東京宣言を採択し、CA+JAD東京イニシアティブを宣言。",
     "description_en": "Morning of 2025-12-20. The first leaders' summit, chaired by Prime Minister Takaichi; "
                       "adopted the Tokyo Declaration and announced the CA+JAD Tokyo Initiative.",
     "description_ru": "Утро 20 декабря 2025 года. Первый саммит на уровне лидеров под председательством "
                       "премьер-министра Такаити; принята Токийская декларация и объявлена Токийская инициатива "
                       "CA+JAD.",
     "participants": SUMMIT_PARTICIPANTS,
     "sources": [
         {"q": "2025年12月20日午前、高市早苗内閣総理大臣の議長の下、都内ホテルにおいて「中央アジア+日本」対話(CA+JAD)/カジャッド)・首脳会合が初めて開催された。"},
         {"q": "本会合には、カザフスタン、キルギス、タジキスタン、トルクメニスタン、ウズベキスタンの5か国大統領が集結した。"},
     ]},
]

DOCUMENTS = [
    {"ref": "tokyo-declaration", "kind": "declaration",
     "title_ja": "「中央アジア+日本」対話・首脳共同宣言(東京宣言)",
     "title_en": "Central Asia + Japan Dialogue Leaders' Joint Declaration (Tokyo Declaration)",
     "title_ru": "Совместная декларация лидеров «Центральная Азия + Япония» (Токийская декларация)",
     "date": date(2025, 12, 20), "event": "ca-jad-summit-2025-12-20", "language": "ja",
     "parties": ["gov-jp", "gov-kz", "gov-kg", "gov-tj", "gov-tm", "gov-uz"], "countries": ["JP", *FIVE],
     "sources": [{"q": "「『中央アジア+日本』対話・首脳共同宣言(東京宣言)」を採択した"}]},
    {"ref": "tokyo-initiative-text", "kind": "initiative", "title_ja": "CA+JAD東京イニシアティブ",
     "title_en": "CA+JAD Tokyo Initiative", "title_ru": "Токийская инициатива CA+JAD",
     "date": date(2025, 12, 20), "event": "ca-jad-summit-2025-12-20", "language": "ja",
     "parties": ["gov-jp", "gov-kz", "gov-kg", "gov-tj", "gov-tm", "gov-uz"], "countries": ["JP", *FIVE],
     "sources": [{"q": "「CA+JAD東京イニシアティブ」が宣言された"}]},
    {"ref": "documents-150", "kind": "other", "title_ja": "官民合わせて150件以上の文書(署名・披露)",
     "title_en": "More than 150 public and private documents signed or announced",
     "title_ru": "Более 150 государственных и частных документов, подписанных или объявленных",
     "date": date(2025, 12, 20), "event": "ca-jad-summit-2025-12-20", "represents_count": 150,
     "count_qualifier": "at_least", "countries": ["JP", *FIVE],
     "sources": [{"field": "count", "q": "官民合わせて150件以上の文書が署名・披露された"}]},
]

# "record": the row of the first-year record (pledgewatch/data/cajad/year-one.csv) that is the same deal: the
# article names the six ODA items without their exchange-of-notes details; the record's row then carries
# the deal's amount, date and stage, and the article stays one of its sources.
_ODA = "具体的な政府開発援助(ODA)として"
_AGREED = "などが合意された"
COMMITMENTS = [
    {"ref": "uz-livestock-yen-loan", "record": "CAJAD-011", "dac_sector": "31163",
     "instrument": "loan", "recipients": ["UZ"],
     "title_ja": "畜産振興のための円借款", "title_en": "Yen loan for livestock promotion",
     "title_ru": "Иеновый заём на развитие животноводства",
     "amount": "21368000000", "currency": "JPY", "qualifier": "approx", "pillar": None,
     "sources": [{"q": "ウズベキスタンへの畜産振興のための円借款(約213.68億円)"},
                 {"field": "amount", "q": "約213.68億円"}]},
    {"ref": "uz-blood-equipment", "record": "CAJAD-013", "instrument": "grant", "recipients": ["UZ"],
     "title_ja": "血液関連機材の供与", "title_en": "Provision of blood-related equipment",
     "title_ru": "Поставка оборудования для службы крови",
     "pillar": ("human-resources", "medical-health"),
     "reason": "Article: 医療・保健分野の協力 (human resources pillar) — blood-related medical equipment",
     "sources": [{"q": "血液関連機材の供与"}]},
    {"ref": "kg-bridge-replacement", "record": "CAJAD-020", "dac_sector": "21020",
     "instrument": "grant", "recipients": ["KG"],
     "title_ja": "橋梁架け替え", "title_en": "Bridge replacement", "title_ru": "Замена мостов",
     "pillar": None, "sources": [{"q": "キルギスでの橋梁架け替え"}]},
    {"ref": "kg-power-system-maintenance", "record": "CAJAD-019", "dac_sector": "23630",
     "instrument": "grant", "recipients": ["KG"],
     "title_ja": "電力システム保守", "title_en": "Power-system maintenance",
     "title_ru": "Обслуживание энергосистемы", "pillar": None, "sources": [{"q": "電力システム保守"}]},
    {"ref": "tj-customs-equipment", "record": "CAJAD-015", "dac_sector": "33120",
     "instrument": "grant", "recipients": ["TJ"],
     "title_ja": "税関機材整備", "title_en": "Customs equipment", "title_ru": "Таможенное оборудование",
     "pillar": None, "sources": [{"q": "タジキスタンでの税関機材整備"}]},
    {"ref": "ca5-undp-disaster-risk-reduction", "record": "CAJAD-026", "instrument": "grant", "recipients": FIVE,
     "channel": "undp",
     "title_ja": "UNDPを通じた中央アジア5か国への広域災害リスク軽減支援",
     "title_en": "Regional disaster-risk reduction for the five Central Asian countries through UNDP",
     "title_ru": "Региональное снижение риска бедствий в пяти странах через ПРООН",
     "pillar": ("green-resilience", "disaster-prevention"),
     "reason": "Article: 防災協力 (green and resilience pillar) — disaster-risk reduction",
     "sources": [{"q": "UNDPを通じた中央アジア5か国への広域災害リスク軽減支援"}]},
]
COMMON_COMMITMENT_SOURCES = [{"field": "instrument", "q": _ODA}, {"field": "stage", "q": _AGREED}]
SIGNED_ON = date(2025, 12, 20)
