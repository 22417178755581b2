"""Phrases the reader looks for in every language: references, quoted speech, schemes, war, per-unit ceilings.

Each pattern holds its English, Russian and Japanese forms; a language module holds what is its own.
"""

import re

RESPECTIVELY = re.compile(r"respectively|それぞれ|соответственно", re.IGNORECASE)
# a word standing for a name given earlier, a document's name or a table's key, in any of the languages
NOT_A_NAME = re.compile(r"(?:the\s+)?(?:Project|Programme|Program|Grant|Loan)\.?|"
                        # a key line of a release's table ("- Project Objective", "Project Site")
                        r"(?:Project|Programme|Program)\s+(?:Objectives?|Components?|Sites?|Period|Description|Cost|"
                        r"Outline|Summary|Name|Location|Area|Title|Overview|Background|Amount)|"
                        r".*\b(?:Action\s+Plan|List|Declaration|Statement|Communiqu[eé])\.?|"
                        r"(?:[Пп]роект|[Пп]рограмм)\w*\.?", re.IGNORECASE)
# a part of the sum just told ("of this amount", «из этой суммы», «остальные»): as new as that sum
PART_OF = re.compile(r"\b(?:of (?:this|that|the) (?:amount|sum)|of which|the rest|the remaining)\b|"
                     r"из\s+(?:этой|данной|указанной)\s+суммы|\bиз\s+них\b|\bостальн\w+|\bоставш\w+",
                     re.IGNORECASE)
SPEECH_AFTER = re.compile(r"\s*[,.]?\s*[-—–]?\s*(?:говорится|сказал|отметил|заявил|сообщил|подчеркнул|"
                          r"(?:he|she|it|they)?\s*(?:said|says|stated|added|noted))\b", re.IGNORECASE)
# the name of a scheme that deals come under («в рамках японской программы «…»», «грантовую
# программу "…"», "under the Grassroots Grant Programme "…"") is no project of its own
FRAMEWORK_BEFORE = re.compile(r"(?:(?:в\s+рамках|по\s+линии)\s+(?:\w+\s+){0,2}?программ\w*|грантов\w*\s+программ\w*)"
                              r"(?:\s+\w+){0,4}?\s*[«“\"]?\s*$|\bunder\s+(?:the|its|a)\s+(?:[\w-]+\s+){0,5}?"
                              r"(?:programme|program|scheme|framework)\s+(?:of\s+|called\s+)?[“\"]?\s*$",
                              re.IGNORECASE)
# the sides of a war named beside a deal («войны России с Украиной», "Russia's war against
# Ukraine") are not its recipients; the sentence takes the country of the deal instead
WAR_BEFORE = re.compile(r"(?:\bвойн[аыеуо]\w*|\bагресси\w+|\bвторжени\w+|\bwar|\binvasion|\baggression)\b"
                        r"[^.;\n]*$", re.IGNORECASE)
# a ceiling per application or project of a grant scheme («до 100 тысяч долларов на одну заявку», "up to $100,000
# per project", 「1件当たり1,000万円」) is no deal
PER_UNIT_AFTER = re.compile(r"\s*(?:на\s+(?:одну|один|одно|каждую|каждый|каждое)\s+(?:заявк|проект|организаци)\w*|"
                            r"per\s+(?:project|application|proposal|grant)\b)", re.IGNORECASE)
PER_UNIT_BEFORE = re.compile(r"(?:1|一)件(?:当たり|あたり)(?:最大|上限)?\s*$")
BRACKET_GAP = re.compile(r"[”\"»」』]?\s*[(（]\s*")  # 「"X Project" (Yen 36.114 billion)」: the amount of X
# 「昨年表明した約2,000億円の支援の一環として、…億円を供与」: the figure before 一環 is the earlier pledge the new
# deal belongs to (context); what follows it is read
PART_OF_EARLIER = re.compile(r"の一環(?:として|で|であり|となる)?")
# a line that only names an instrument heads the items listed under it: 「【円借款事業】」, 「(2) 無償資金協力」,
# "Grant Aid:"; the cue itself is checked by the language's INSTRUMENT_RE
HEADING = re.compile(r"(?m)^[ \t]*[【\[(（]?[ \t]*(?:[0-9]{1,2}[.)）][ \t]*)?(?P<cue>[^\n【】\[\]:：]{2,40}?)"
                     r"(?:事業|案件|プロジェクト|projects?|Projects?)?[ \t]*[】\])）]?[ \t]*[:：]?[ \t]*$")
# a name before a lone bracketed amount: "Also, one for the X Project (Phase 2) (JPY 7.9 billion)."
NAMED_BEFORE = re.compile(r"\b(?:Project|Programme|Program|Plant|Construction|Phase)\b|(?:計画|事業)|[Пп]роект")
# a sum over a count of deals: "worth JPY 95 billion for 4 projects", «на общую сумму … для пяти проектов»
COUNTED_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:for|covering|under)\s+(?:[2-9]|1[0-9]|two|three|four|five|six|"
                           r"seven|eight|nine|ten)\s+(?:[\w-]+\s+)?(?:projects|loans|agreements|grants)\b",
                           re.IGNORECASE)
# a programme named after a kind of financing, introduced as the frame ("under the Japanese ODA Loan Program",
# «в рамках Программы безвозмездной помощи»)
SCHEME_NAME = re.compile(r"(?:Assistance|Aid|Loan|Grant|Grassroots|помощ\w*|грант\w*|кредит\w*)\s+"
                         r"(?:Program|Programme|Scheme|программ\w*)\s*$", re.IGNORECASE)
SCHEME_BEFORE = re.compile(r"(?:\b(?:under|within)\s+(?:the|its)|в\s+рамках)\s*$", re.IGNORECASE)
# the words that join a name to the amount after it ("… in Nepal for Japanese Yen 8 billion")
NAME_TAIL = re.compile(r"[\s,]*(?:\b(?:for|of|worth|amounting\s+to|at|totall?ing|на\s+сумму|в\s+размере)\b)?"
                       r"[\s,]*(?:\bJapanese)?\s*$", re.IGNORECASE)
# money in a sentence that names another lender and not Japan is that lender's (「アジア開発銀行からの300百万USDを
#入れて、合計で…」, "The World Bank will add $500 million"), unless the sentence says they co-finance
OTHER_DONOR = re.compile(r"世界銀行|世銀|アジア開発銀行|欧州復興開発銀行|国際通貨基金|IMF|\bADB\b|World\s+Bank|"
                         r"Asian\s+Development\s+Bank|\bEBRD\b|Всемирн\w+\s+банк\w*|Азиатск\w+\s+банк\w*\s+развития|"
                         r"\bАБР\b|\bЕБРР\b|\bМВФ\b")
JAPAN_SIDE = re.compile(r"日本|我が国|JICA|国際協力|JBIC|Japan|Tokyo|Япони|японск|Токио|協調融資|co-?financ|совместн",
                        re.IGNORECASE)
