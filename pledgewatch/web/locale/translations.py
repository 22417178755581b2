# ruff: noqa: E501  (catalog data: one translation per line reads better than wrapped strings)
"""Fill the ja and ru catalogs of the web app: `python locale/translations.py` after makemessages.

Kept next to the catalogs so that a re-run of makemessages never loses a translation.
Plural entries map to a tuple (ja has one form; ru three: 1, 2–4, 5+).
"""

from pathlib import Path

import polib

JA = {
    # issue 17: error pages, the API reference, the newsletter link
    "Page not found": "ページが見つかりません", "There is no page at %(path)s.": "%(path)s にページはありません。",
    "Server error": "サーバーエラー",
    "Something went wrong on our side and the page could not be shown. It has been logged; please try again later.": "サーバー側の問題でページを表示できませんでした。記録済みです。しばらくしてからもう一度お試しください。",
    "Server error. Please try again later.": "サーバーエラーです。しばらくしてからもう一度お試しください。",
    "Access denied": "アクセスできません", "You may not open this page with your account.": "このアカウントではこのページを開けません。",
    "Newsletter": "ニュースレター", "API reference": "APIリファレンス",
    'The JSON API as OpenAPI: <a href="%(openapi_url)s">openapi.json</a>. Money is an amount (a decimal string), an ISO 4217 currency and a qualifier; errors are <code>{"detail": "…"}</code>.': 'OpenAPI形式のJSON API：<a href="%(openapi_url)s">openapi.json</a>。金額は数値（10進数の文字列）、ISO 4217通貨コード、性質の組です。エラーは <code>{"detail": "…"}</code> です。',
    "The interactive reference needs JavaScript; the description itself is openapi.json.": "対話型リファレンスにはJavaScriptが必要です。記述そのものは openapi.json にあります。",
    "Public pages": "公開ページ", "Counted": "計上額", "Linear path to the target": "目標までの直線経路",
    "Projection at the current pace": "現在のペースでの見通し",
    "Counted money over time against the linear path to the target": "計上額の推移と目標までの直線経路",
    "Date": "日付", "Line": "系列", "Amount": "金額", "Commitments": "案件", "Undisclosed amounts": "金額非公表",
    "No commitments": "案件なし", "Map of counted money by recipient country in Central Asia":
    "中央アジアの受入国別計上額の地図", "Country": "国",
    "loan": "借款", "grant": "無償資金協力", "technical cooperation": "技術協力", "investment": "投資",
    "guarantee": "保証", "other": "その他", "announced": "表明", "signed": "署名", "committed": "確約",
    "disbursing": "実行中", "completed": "完了", "cancelled": "中止", "public": "公的", "private": "民間",
    "exact": "確定額", "approximately": "概算", "up to": "上限", "at least": "下限", "undisclosed": "非公表",
    "on track": "順調", "behind": "遅れ", "ahead": "前倒し", "not started": "未開始",
    "counted toward the target": "目標に計上", "pipeline (announced, not counted yet)": "パイプライン(表明済み・未計上)",
    "not counted at this stage": "この段階では計上しない", "cancelled: never counted": "中止:計上しない",
    "outside the initiative's scope": "イニシアティブの対象外", "converted": "換算済み",
    "amount undisclosed": "金額非公表", "no exchange rate: excluded from the total": "為替レートなし:合計から除外",
    "rate of the commitment date": "案件日付のレート", "average rate of the commitment month": "案件月の平均レート",
    "average rate of the commitment year": "案件年の平均レート", "fixed initiative rates": "イニシアティブの固定レート",
    "declaration": "宣言", "initiative text": "イニシアティブ文書", "exchange of notes": "交換公文",
    "loan agreement": "借款契約", "memorandum of understanding": "覚書", "press release": "報道発表",
    "news article": "報道記事", "summit": "首脳会合", "ministerial meeting": "閣僚会合", "dinner": "晩餐会",
    "meeting": "会合", "government": "政府", "agency": "政府機関", "company": "企業", "multilateral": "国際機関",
    "NGO": "NGO", "Unassigned": "未分類", "created": "作成", "changed": "変更", "deleted": "削除",
    ("money", "about %(amount)s"): "約%(amount)s", ("money", "up to %(amount)s"): "最大%(amount)s",
    ("money", "at least %(amount)s"): "%(amount)s以上", ("money", "undisclosed"): "非公表",
    "%(symbol)s%(unit)s": "%(symbol)s%(unit)s",
    "No initiative has been loaded yet. Run “pledgewatch demo”.":
    "イニシアティブがまだ読み込まれていません。「pledgewatch demo」を実行してください。",
    "Unknown initiative: %(slug)s": "不明なイニシアティブ: %(slug)s",
    "newest first": "新しい順", "oldest first": "古い順", "largest amount first": "金額の大きい順",
    "smallest amount first": "金額の小さい順", "title A–Z": "タイトル順", "recently changed": "最近の変更順",
    "Unknown kind: %(values)s": "不明な種類: %(values)s", "By pillar": "柱別", "By focus area": "重点分野別",
    "By recipient country": "受入国別", "By instrument": "手段別", "By stage": "段階別",
    "Public or private": "公的・民間", "By year": "年別", "Unknown pillar: %(slug)s": "不明な柱: %(slug)s",
    "Skip to content": "本文へ移動", "Main": "メイン", "Overview": "概要", "Documents": "文書",
    "Timeline": "年表", "Organisations": "組織", "Countries": "国", "Counting rules": "計上ルール",
    "Language": "言語", "Every figure links to the text it comes from.": "すべての数字は出典の文章にリンクしています。",
    "This page as JSON": "このページのJSON", "API": "API", "How figures are counted": "数字の数え方",
    "Money": "金額", "Amount as stated": "発表された金額", "In the headline currency": "表示通貨での金額",
    "Exchange rate": "為替レート", "rate of": "基準日", "source": "出典",
    "Counts toward the initiative": "イニシアティブへの計上", "Details": "詳細", "Recipients": "受入国",
    "Instrument": "手段", "Stage": "段階", "Commitment date": "案件の日付", "unknown": "不明", "Provider": "供与者",
    "Channel": "経由機関", "Recipient organisations": "受入機関", "Initiatives": "イニシアティブ", "Pillar": "柱",
    "Focus areas": "重点分野", "Event": "会合", "DAC sector code": "DACセクターコード", "IATI identifier": "IATI識別子",
    "Title in other languages": "他言語のタイトル", "Stage history": "段階の履歴",
    "No stage changes recorded.": "段階の変更は記録されていません。", "Transactions": "取引", "Kind": "種類",
    "Sources": "出典", "No linked documents.": "関連文書はありません。", "Change history": "変更履歴",
    "Filter commitments": "案件の絞り込み", "Search titles and descriptions": "タイトルと説明を検索",
    "Recipient country": "受入国", "all": "すべて", "Focus area": "重点分野", "Year": "年", "Sort": "並び順",
    "Apply filters": "絞り込む", "Clear": "解除",
    ("%(n)s commitment matches.", "%(n)s commitments match."): ("該当する案件は%(n)s件です。",),
    "Download this list": "この一覧をダウンロード", "Atom feed of changes": "変更のAtomフィード",
    "Counted money for %(name)s. A commitment to several countries is split by their shares, or equally.":
    "%(name)sの計上額。複数国向けの案件は配分比率で、比率がなければ均等に按分します。",
    "In scope": "対象国", "yes": "はい", "no": "いいえ", "Counted so far": "これまでの計上額",
    "Counted commitments": "計上された案件",
    ("%(n)s with undisclosed amount", "%(n)s with undisclosed amounts"): ("金額非公表 %(n)s件",),
    "Commitments to this country": "この国への案件", "Filter and download these commitments": "これらの案件を絞り込み・ダウンロード",
    "Stands for": "代表する文書数", "%(n)s documents (%(q)s)": "%(n)s件(%(q)s)", "Parties": "当事者",
    "Address": "アドレス", "Commitments in this document": "この文書の案件", "Filter documents": "文書の絞り込み",
    "Search titles": "タイトルを検索", ("%(n)s record", "%(n)s records"): ("%(n)s件の記録",),
    "standing for %(n)s documents": "文書%(n)s件に相当", "Title": "タイトル", "%(n)s+": "%(n)s件以上",
    "No documents match.": "該当する文書はありません。", "When": "日時", "Place": "場所", "Participants": "出席者",
    "chair or host": "議長・主催", "Events, documents and stage changes in date order.": "会合・文書・段階の変更を日付順に表示します。",
    "Nothing recorded yet.": "まだ記録はありません。", "Commitment": "案件", "In headline currency": "表示通貨",
    "No commitments match.": "該当する案件はありません。", "Pages": "ページ", "Previous": "前へ",
    "Page %(n)s of %(total)s": "%(total)sページ中%(n)sページ目", "Next": "次へ", "Supports: %(field)s": "裏付ける項目: %(field)s",
    "characters %(start)s–%(end)s": "%(start)s–%(end)s文字目", "seen on": "確認日",
    "Read the quote in its full text": "全文の中で引用箇所を読む", "Original address": "元のアドレス",
    "No sources recorded.": "出典は記録されていません。", "Founded or launched": "設立・開始年",
    "IATI organisation identifier": "IATI組織識別子", "Name in other languages": "他言語の名称",
    "Commitments it provides, receives or channels": "供与・受入・経由する案件", "Name": "名称",
    "Provides": "供与", "Receives": "受入", "Channels": "経由", "Progress at a glance": "進捗の概要",
    "Target": "目標", "%(start)s to %(end)s": "%(start)s〜%(end)s", "%(share)s of the target": "目標の%(share)s",
    "Pace": "ペース", "%(elapsed)s of the horizon elapsed": "期間の%(elapsed)sが経過",
    "Pipeline (announced, not counted)": "パイプライン(表明済み・未計上)",
    ("%(n)s commitment", "%(n)s commitments"): ("%(n)s件",),
    "On the linear path, %(expected)s would be counted by %(today)s.": "直線経路なら、%(today)sまでに%(expected)sが計上されているはずです。",
    "At the current pace, the total would reach %(projected)s by %(end)s.": "現在のペースでは、%(end)sまでに合計%(projected)sとなる見通しです。",
    ("%(n)s document", "%(n)s documents"): ("文書%(n)s件",), "%(n)s counted": "うち計上%(n)s件",
    ("%(n)s without exchange rate (excluded)", "%(n)s without exchange rate (excluded)"): ("為替レートなし %(n)s件(除外)",),
    ("%(n)s “up to” amount counted at face value", "%(n)s “up to” amounts counted at face value"):
    ("上限額を額面で計上 %(n)s件",),
    "Counting rules that made these figures:": "これらの数字を作った計上ルール:", "stages counted": "計上する段階",
    "conversion to": "換算先", "How the figures are counted": "数字の数え方", "Progress over time": "進捗の推移",
    "Progress over time (table)": "進捗の推移(表)", "Where the money goes": "資金の行き先",
    "Select a country to open its page.": "国を選ぶとその国のページを開きます。",
    "Breakdowns of the counted money": "計上額の内訳", "Undisclosed": "非公表", "Nothing counted yet.": "まだ計上はありません。",
    "A number is only as good as the rule that made it. These are the rules stored with %(name)s; every total on this site is made by them.":
    "数字の信頼性は、それを作ったルール次第です。以下は%(name)sに保存されたルールで、このサイトのすべての合計はこれによって算出されています。",
    "Stages": "段階",
    "A commitment moves from announced to signed, committed, disbursing and completed, or is cancelled.":
    "案件は、表明→署名→確約→実行中→完了と進むか、中止されます。",
    "Counted toward the target:": "目標に計上する段階:", "Shown as pipeline, not counted:": "パイプラインとして表示(計上しない):",
    "Never counted:": "計上しない段階:", "Scope": "対象範囲",
    "A commitment counts when it is linked to the initiative explicitly, or when it matches the initiative's scope rule (provider, recipient countries, date inside the horizon). A rule match counts only the in-scope share of its recipients.":
    "案件は、イニシアティブに明示的に結び付けられているか、対象範囲のルール(供与者、受入国、期間内の日付)に合致する場合に計上されます。ルールによる合致では、対象国の配分のみを計上します。",
    "Horizon": "期間", "Scope rule in use": "対象範囲ルールの適用", "Money and currencies": "金額と通貨",
    "Amounts are converted to %(cur)s at the %(policy)s; the rate and its source are kept with every converted figure.":
    "金額は%(policy)sで%(cur)sに換算し、換算したすべての数字にレートとその出典を記録します。",
    "Rates come from rates entered or loaded from CSV first, then the European Central Bank reference rates shipped with the software. A missing rate is never taken as 1.":
    "レートは、入力またはCSVから読み込んだものを優先し、次に同梱の欧州中央銀行参照レートを使います。レートがない場合に1とみなすことはありません。",
    "An amount that cannot be converted is excluded from the money total and listed as such.":
    "換算できない金額は合計から除外し、その旨を表示します。",
    "“Up to” amounts are counted at face value and flagged.": "「最大」の金額は額面で計上し、印を付けます。",
    "Undisclosed amounts are counted in the number of commitments, not in money.": "非公表の金額は件数に数え、金額には含めません。",
    "A commitment to several countries is split by the given shares, or equally when no shares are given.":
    "複数国向けの案件は、配分比率で、比率がなければ均等に按分します。",
    "A sum that includes an approximate amount is itself approximate.": "概算額を含む合計は、それ自体も概算です。",
    "The counted share of the target is compared with the share of the horizon that has elapsed. Within ±%(tol)s of it (relative) the initiative is on track; below, behind; above, ahead. Before the horizon starts, or with nothing counted in its first days, it has not started. The projection extends the current pace linearly to the end of the horizon.":
    "目標に対する計上の割合を、期間の経過割合と比べます。その±%(tol)s(相対)以内なら順調、下回れば遅れ、上回れば前倒しです。期間の開始前、または最初の数日に計上がなければ未開始です。見通しは現在のペースを期間の終わりまで直線で延ばしたものです。",
    "Double counting": "二重計上",
    "One deal can be reported by several sources (an exchange of notes, a loan agreement, a news item). Imports link to the existing commitment when it is the same deal, and uncertain matches wait for a reviewer instead of being added twice.":
    "一つの案件が複数の出典(交換公文、借款契約、報道)で報じられることがあります。取り込み時に同じ案件なら既存の案件に結び付け、不確かな一致は二重に追加せずに確認待ちにします。",
    "Exchange rates used in the current total": "現在の合計に使った為替レート", "Exchange rates": "為替レート",
    "Pair": "通貨ペア", "Rate": "レート", "Source": "出典",
    "No conversion was needed: every counted amount is in the headline currency.": "換算は不要でした。計上額はすべて表示通貨です。",
    "Back to the overview": "概要に戻る", "Supports": "裏付ける対象", "Quoted span": "引用箇所", "Offsets": "位置",
    "Date seen": "確認日", "Full text": "全文",
    "none needed: the amount is in the headline currency": "不要(表示通貨建ての金額)",
    "“up to” amount, counted at face value": "上限額(額面で計上)", "approximate amount": "概算額",
    "minimum amount": "下限額",
    "Showing the newest %(shown)s of %(total)s.": "全%(total)s件のうち新しい%(shown)s件を表示しています。",
    "See them all in the filtered list": "絞り込み一覧ですべて見る", "Commitments it provides": "供与する案件",
    "Commitments it receives or channels": "受け入れる・経由する案件",
    "The newest %(shown)s of %(total)s rates.": "全%(total)s件のうち新しい%(shown)s件のレート。",
    "All rates in the progress API": "すべてのレートは進捗APIに",
    "Not found.": "見つかりません。", "the record as a whole": "記録全体", "amount": "金額", "stage": "段階", "instrument": "手段", "date": "日付",
    "number of documents": "文書数", "title": "タイトル", "recipients": "受入国", "pillar": "柱",
    # database away, full disk (pledgewatch/web/dberrors.py)
    "The database is unavailable at the moment. Nothing was changed by this request; please try again in a minute.": "データベースに一時的に接続できません。このリクエストでは何も変更されていません。1分ほどしてからもう一度お試しください。",
    "Temporarily unavailable": "一時的に利用できません",
    "The database failed: %(error)s. The command stopped and its unfinished transaction was rolled back; run it again when the database is back (or has free space).": "データベースでエラーが発生しました: %(error)s。コマンドを中止し、未完了のトランザクションはロールバックしました。データベースが復旧したら（または空き容量ができたら）もう一度実行してください。",
    "Cannot write %(file)s: %(error)s. Nothing was written: no partial file was left, an existing file is unchanged.": "%(file)s に書き込めません: %(error)s。何も書き込んでいません（途中までのファイルは残らず、既存のファイルも変更されていません）。",
}

RU = {
    # issue 17: error pages, the API reference, the newsletter link
    "Page not found": "Страница не найдена", "There is no page at %(path)s.": "По адресу %(path)s страницы нет.",
    "Server error": "Ошибка сервера",
    "Something went wrong on our side and the page could not be shown. It has been logged; please try again later.": "Из-за ошибки на нашей стороне страницу не удалось показать. Ошибка записана; попробуйте позже.",
    "Server error. Please try again later.": "Ошибка сервера. Попробуйте позже.",
    "Access denied": "Доступ запрещён", "You may not open this page with your account.": "С вашей учётной записью эту страницу открыть нельзя.",
    "Newsletter": "Рассылка", "API reference": "Справочник API",
    'The JSON API as OpenAPI: <a href="%(openapi_url)s">openapi.json</a>. Money is an amount (a decimal string), an ISO 4217 currency and a qualifier; errors are <code>{"detail": "…"}</code>.': 'JSON API в формате OpenAPI: <a href="%(openapi_url)s">openapi.json</a>. Деньги — это сумма (десятичная строка), валюта ISO 4217 и характер суммы; ошибки имеют вид <code>{"detail": "…"}</code>.',
    "The interactive reference needs JavaScript; the description itself is openapi.json.": "Интерактивному справочнику нужен JavaScript; само описание — в openapi.json.",
    "Public pages": "Публичные страницы", "Counted": "Учтено", "Linear path to the target": "Линейный путь к цели",
    "Projection at the current pace": "Прогноз при текущем темпе",
    "Counted money over time against the linear path to the target": "Учтённые средства во времени и линейный путь к цели",
    "Date": "Дата", "Line": "Линия", "Amount": "Сумма", "Commitments": "Обязательства",
    "Undisclosed amounts": "Суммы не раскрыты", "No commitments": "Нет обязательств",
    "Map of counted money by recipient country in Central Asia": "Карта учтённых средств по странам Центральной Азии",
    "Country": "Страна", "loan": "заём", "grant": "грант", "technical cooperation": "техническое сотрудничество",
    "investment": "инвестиции", "guarantee": "гарантия", "other": "другое", "announced": "объявлено",
    "signed": "подписано", "committed": "принято обязательство", "disbursing": "выплачивается", "completed": "завершено",
    "cancelled": "отменено", "public": "государственный", "private": "частный", "exact": "точно",
    "approximately": "приблизительно", "up to": "до", "at least": "не менее", "undisclosed": "не раскрыто",
    "on track": "по плану", "behind": "отставание", "ahead": "опережение", "not started": "не начато",
    "counted toward the target": "учитывается в цели", "pipeline (announced, not counted yet)": "в планах (объявлено, ещё не учтено)",
    "not counted at this stage": "на этой стадии не учитывается", "cancelled: never counted": "отменено: не учитывается",
    "outside the initiative's scope": "вне рамок инициативы", "converted": "пересчитано",
    "amount undisclosed": "сумма не раскрыта", "no exchange rate: excluded from the total": "нет курса: исключено из итога",
    "rate of the commitment date": "курс на дату обязательства", "average rate of the commitment month": "средний курс месяца обязательства",
    "average rate of the commitment year": "средний курс года обязательства", "fixed initiative rates": "фиксированные курсы инициативы",
    "declaration": "декларация", "initiative text": "текст инициативы", "exchange of notes": "обмен нотами",
    "loan agreement": "кредитное соглашение", "memorandum of understanding": "меморандум о взаимопонимании",
    "press release": "пресс-релиз", "news article": "новостная статья", "summit": "саммит",
    "ministerial meeting": "встреча министров", "dinner": "ужин", "meeting": "встреча", "government": "правительство",
    "agency": "агентство", "company": "компания", "multilateral": "международная организация", "NGO": "НКО",
    "Unassigned": "Не распределено", "created": "создано", "changed": "изменено", "deleted": "удалено",
    ("money", "about %(amount)s"): "около %(amount)s", ("money", "up to %(amount)s"): "до %(amount)s",
    ("money", "at least %(amount)s"): "не менее %(amount)s", ("money", "undisclosed"): "сумма не раскрыта",
    "%(symbol)s%(unit)s": "%(symbol)s%(unit)s",
    "No initiative has been loaded yet. Run “pledgewatch demo”.": "Инициатива ещё не загружена. Выполните «pledgewatch demo».",
    "Unknown initiative: %(slug)s": "Неизвестная инициатива: %(slug)s", "newest first": "сначала новые",
    "oldest first": "сначала старые", "largest amount first": "сначала крупные", "smallest amount first": "сначала мелкие",
    "title A–Z": "по названию", "recently changed": "недавно изменённые", "Unknown kind: %(values)s": "Неизвестный вид: %(values)s",
    "By pillar": "По направлениям", "By focus area": "По приоритетным областям", "By recipient country": "По странам-получателям",
    "By instrument": "По инструментам", "By stage": "По стадиям", "Public or private": "Государственный или частный",
    "By year": "По годам", "Unknown pillar: %(slug)s": "Неизвестное направление: %(slug)s",
    "Skip to content": "Перейти к содержанию", "Main": "Главное меню", "Overview": "Обзор", "Documents": "Документы",
    "Timeline": "Хронология", "Organisations": "Организации", "Countries": "Страны", "Counting rules": "Правила учёта",
    "Language": "Язык", "Every figure links to the text it comes from.": "Каждая цифра ссылается на текст, из которого она взята.",
    "This page as JSON": "Эта страница в JSON", "API": "API", "How figures are counted": "Как считаются цифры",
    "Money": "Деньги", "Amount as stated": "Заявленная сумма", "In the headline currency": "В основной валюте",
    "Exchange rate": "Обменный курс", "rate of": "курс на", "source": "источник",
    "Counts toward the initiative": "Учёт в инициативе", "Details": "Подробности", "Recipients": "Получатели",
    "Instrument": "Инструмент", "Stage": "Стадия", "Commitment date": "Дата обязательства", "unknown": "неизвестно",
    "Provider": "Донор", "Channel": "Через", "Recipient organisations": "Организации-получатели",
    "Initiatives": "Инициативы", "Pillar": "Направление", "Focus areas": "Приоритетные области", "Event": "Событие",
    "DAC sector code": "Код сектора DAC", "IATI identifier": "Идентификатор IATI",
    "Title in other languages": "Название на других языках", "Stage history": "История стадий",
    "No stage changes recorded.": "Изменения стадии не записаны.", "Transactions": "Транзакции", "Kind": "Вид",
    "Sources": "Источники", "No linked documents.": "Нет связанных документов.", "Change history": "История изменений",
    "Filter commitments": "Фильтр обязательств", "Search titles and descriptions": "Поиск по названиям и описаниям",
    "Recipient country": "Страна-получатель", "all": "все", "Focus area": "Приоритетная область", "Year": "Год",
    "Sort": "Сортировка", "Apply filters": "Применить", "Clear": "Сбросить",
    ("%(n)s commitment matches.", "%(n)s commitments match."): (
        "Найдено %(n)s обязательство.", "Найдено %(n)s обязательства.", "Найдено %(n)s обязательств."),
    "Download this list": "Скачать этот список", "Atom feed of changes": "Лента изменений Atom",
    "Counted money for %(name)s. A commitment to several countries is split by their shares, or equally.":
    "Учтённые средства по инициативе «%(name)s». Обязательство для нескольких стран делится по долям или поровну.",
    "In scope": "В рамках", "yes": "да", "no": "нет", "Counted so far": "Учтено на сегодня",
    "Counted commitments": "Учтённые обязательства",
    ("%(n)s with undisclosed amount", "%(n)s with undisclosed amounts"): (
        "%(n)s с нераскрытой суммой", "%(n)s с нераскрытой суммой", "%(n)s с нераскрытой суммой"),
    "Commitments to this country": "Обязательства для этой страны",
    "Filter and download these commitments": "Отфильтровать и скачать эти обязательства", "Stands for": "Представляет",
    "%(n)s documents (%(q)s)": "документов: %(n)s (%(q)s)", "Parties": "Стороны", "Address": "Адрес",
    "Commitments in this document": "Обязательства в этом документе", "Filter documents": "Фильтр документов",
    "Search titles": "Поиск по названиям", ("%(n)s record", "%(n)s records"): (
        "%(n)s запись", "%(n)s записи", "%(n)s записей"),
    "standing for %(n)s documents": "представляют документов: %(n)s", "Title": "Название", "%(n)s+": "%(n)s+",
    "No documents match.": "Документы не найдены.", "When": "Когда", "Place": "Место", "Participants": "Участники",
    "chair or host": "председатель или хозяин", "Events, documents and stage changes in date order.":
    "События, документы и изменения стадий в порядке дат.", "Nothing recorded yet.": "Пока ничего не записано.",
    "Commitment": "Обязательство", "In headline currency": "В основной валюте", "No commitments match.": "Обязательства не найдены.",
    "Pages": "Страницы", "Previous": "Назад", "Page %(n)s of %(total)s": "Страница %(n)s из %(total)s", "Next": "Далее",
    "Supports: %(field)s": "Подтверждает: %(field)s", "characters %(start)s–%(end)s": "символы %(start)s–%(end)s",
    "seen on": "просмотрено", "Read the quote in its full text": "Прочитать цитату в полном тексте",
    "Original address": "Исходный адрес", "No sources recorded.": "Источники не записаны.",
    "Founded or launched": "Основано или запущено", "IATI organisation identifier": "Идентификатор организации IATI",
    "Name in other languages": "Название на других языках",
    "Commitments it provides, receives or channels": "Обязательства, которые она предоставляет, получает или передаёт",
    "Name": "Название", "Provides": "Предоставляет", "Receives": "Получает", "Channels": "Передаёт",
    "Progress at a glance": "Прогресс вкратце", "Target": "Цель", "%(start)s to %(end)s": "с %(start)s по %(end)s",
    "%(share)s of the target": "%(share)s от цели", "Pace": "Темп", "%(elapsed)s of the horizon elapsed": "прошло %(elapsed)s срока",
    "Pipeline (announced, not counted)": "В планах (объявлено, не учтено)",
    ("%(n)s commitment", "%(n)s commitments"): ("%(n)s обязательство", "%(n)s обязательства", "%(n)s обязательств"),
    "On the linear path, %(expected)s would be counted by %(today)s.": "При линейном пути к %(today)s было бы учтено %(expected)s.",
    "At the current pace, the total would reach %(projected)s by %(end)s.": "При текущем темпе итог к %(end)s составит %(projected)s.",
    ("%(n)s document", "%(n)s documents"): ("%(n)s документ", "%(n)s документа", "%(n)s документов"),
    "%(n)s counted": "учтено: %(n)s",
    ("%(n)s without exchange rate (excluded)", "%(n)s without exchange rate (excluded)"): (
        "%(n)s без курса (исключено)", "%(n)s без курса (исключено)", "%(n)s без курса (исключено)"),
    ("%(n)s “up to” amount counted at face value", "%(n)s “up to” amounts counted at face value"): (
        "%(n)s сумма «до» учтена по номиналу", "%(n)s суммы «до» учтены по номиналу", "%(n)s сумм «до» учтено по номиналу"),
    "Counting rules that made these figures:": "Правила учёта, по которым получены эти цифры:",
    "stages counted": "учитываемые стадии", "conversion to": "пересчёт в", "How the figures are counted": "Как считаются цифры",
    "Progress over time": "Прогресс во времени", "Progress over time (table)": "Прогресс во времени (таблица)",
    "Where the money goes": "Куда идут средства", "Select a country to open its page.": "Выберите страну, чтобы открыть её страницу.",
    "Breakdowns of the counted money": "Структура учтённых средств", "Undisclosed": "Не раскрыто",
    "Nothing counted yet.": "Пока ничего не учтено.",
    "A number is only as good as the rule that made it. These are the rules stored with %(name)s; every total on this site is made by them.":
    "Цифра надёжна настолько, насколько надёжно правило, по которому она получена. Ниже правила инициативы «%(name)s»; по ним получены все итоги на этом сайте.",
    "Stages": "Стадии",
    "A commitment moves from announced to signed, committed, disbursing and completed, or is cancelled.":
    "Обязательство проходит стадии: объявлено, подписано, принято, выплачивается, завершено — или отменяется.",
    "Counted toward the target:": "Учитываются в цели:", "Shown as pipeline, not counted:": "Показываются как планы, не учитываются:",
    "Never counted:": "Никогда не учитываются:", "Scope": "Рамки",
    "A commitment counts when it is linked to the initiative explicitly, or when it matches the initiative's scope rule (provider, recipient countries, date inside the horizon). A rule match counts only the in-scope share of its recipients.":
    "Обязательство учитывается, если оно явно связано с инициативой или соответствует её правилу охвата (донор, страны-получатели, дата в пределах срока). При соответствии правилу учитывается только доля стран в рамках инициативы.",
    "Horizon": "Срок", "Scope rule in use": "Правило охвата применяется", "Money and currencies": "Деньги и валюты",
    "Amounts are converted to %(cur)s at the %(policy)s; the rate and its source are kept with every converted figure.":
    "Суммы пересчитываются в %(cur)s (%(policy)s); курс и его источник сохраняются с каждой пересчитанной цифрой.",
    "Rates come from rates entered or loaded from CSV first, then the European Central Bank reference rates shipped with the software. A missing rate is never taken as 1.":
    "Сначала используются курсы, введённые вручную или загруженные из CSV, затем справочные курсы Европейского центрального банка, поставляемые с программой. Отсутствующий курс никогда не принимается равным 1.",
    "An amount that cannot be converted is excluded from the money total and listed as such.":
    "Сумма, которую нельзя пересчитать, исключается из итога и показывается отдельно.",
    "“Up to” amounts are counted at face value and flagged.": "Суммы «до» учитываются по номиналу и помечаются.",
    "Undisclosed amounts are counted in the number of commitments, not in money.":
    "Нераскрытые суммы учитываются в числе обязательств, но не в деньгах.",
    "A commitment to several countries is split by the given shares, or equally when no shares are given.":
    "Обязательство для нескольких стран делится по указанным долям или поровну, если доли не указаны.",
    "A sum that includes an approximate amount is itself approximate.": "Итог, включающий приблизительную сумму, сам приблизителен.",
    "The counted share of the target is compared with the share of the horizon that has elapsed. Within ±%(tol)s of it (relative) the initiative is on track; below, behind; above, ahead. Before the horizon starts, or with nothing counted in its first days, it has not started. The projection extends the current pace linearly to the end of the horizon.":
    "Учтённая доля цели сравнивается с долей прошедшего срока. В пределах ±%(tol)s (относительно) — по плану; ниже — отставание; выше — опережение. До начала срока или если в первые дни ничего не учтено — не начато. Прогноз линейно продлевает текущий темп до конца срока.",
    "Double counting": "Двойной учёт",
    "One deal can be reported by several sources (an exchange of notes, a loan agreement, a news item). Imports link to the existing commitment when it is the same deal, and uncertain matches wait for a reviewer instead of being added twice.":
    "Об одной сделке могут сообщать несколько источников (обмен нотами, кредитное соглашение, новость). При импорте та же сделка связывается с существующим обязательством, а сомнительные совпадения ждут проверки, а не добавляются дважды.",
    "Exchange rates used in the current total": "Курсы, использованные в текущем итоге", "Exchange rates": "Обменные курсы",
    "Pair": "Пара", "Rate": "Курс", "Source": "Источник",
    "No conversion was needed: every counted amount is in the headline currency.": "Пересчёт не потребовался: все учтённые суммы в основной валюте.",
    "Back to the overview": "Назад к обзору", "Supports": "Подтверждает", "Quoted span": "Цитата", "Offsets": "Позиции",
    "Date seen": "Дата просмотра", "Full text": "Полный текст",
    "none needed: the amount is in the headline currency": "не нужен: сумма в основной валюте",
    "“up to” amount, counted at face value": "сумма «до», учтена по номиналу", "approximate amount": "приблизительная сумма",
    "minimum amount": "минимальная сумма",
    "Showing the newest %(shown)s of %(total)s.": "Показаны последние %(shown)s из %(total)s.",
    "See them all in the filtered list": "Все — в отфильтрованном списке",
    "Commitments it provides": "Предоставляемые обязательства",
    "Commitments it receives or channels": "Получаемые или передаваемые обязательства",
    "The newest %(shown)s of %(total)s rates.": "Последние %(shown)s из %(total)s курсов.",
    "All rates in the progress API": "Все курсы — в API прогресса",
    "Not found.": "Не найдено.", "the record as a whole": "запись целиком", "amount": "сумма", "stage": "стадия", "instrument": "инструмент",
    "date": "дата", "number of documents": "число документов", "title": "название", "recipients": "получатели",
    "pillar": "направление",
    # database away, full disk (pledgewatch/web/dberrors.py)
    "The database is unavailable at the moment. Nothing was changed by this request; please try again in a minute.": "База данных сейчас недоступна. Этот запрос ничего не изменил; попробуйте ещё раз через минуту.",
    "Temporarily unavailable": "Временно недоступно",
    "The database failed: %(error)s. The command stopped and its unfinished transaction was rolled back; run it again when the database is back (or has free space).": "Ошибка базы данных: %(error)s. Команда остановлена, её незавершённая транзакция отменена; запустите её снова, когда база данных снова будет доступна (или освободится место).",
    "Cannot write %(file)s: %(error)s. Nothing was written: no partial file was left, an existing file is unchanged.": "Не удалось записать %(file)s: %(error)s. Ничего не записано: частичный файл не оставлен, существующий файл не изменён.",
}


def fill(path: str, table: dict, nplurals: int) -> list[str]:
    """Write the translations of table into the catalog at path; return the msgids still missing."""
    po = polib.pofile(path)
    missing = []
    for entry in po:
        key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
        entry.flags = [f for f in entry.flags if f != "fuzzy"]  # makemessages' guesses are never kept
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            forms = table.get((entry.msgid, entry.msgid_plural))
            if forms is None:
                missing.append(entry.msgid)
                entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
                continue
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(nplurals)}
        elif key in table:
            entry.msgstr = table[key]
        else:
            missing.append(entry.msgid)
            entry.msgstr = ""
    po.save(path)
    return missing


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for lang, table, n in (("ja", JA, 1), ("ru", RU, 4)):
        gaps = fill(str(here / lang / "LC_MESSAGES" / "django.po"), table, n)
        print(lang, "missing:", gaps)
