"""Fill the ledger/project catalogs (pledgewatch/locale) from these tables, then compile them.

Run: .venv/bin/python scripts/translations_ledger.py   (after django-admin makemessages)
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "pledgewatch" / "locale"

JA = {
    "Unknown initiative: %(slug)s": "不明なイニシアティブです: %(slug)s",
    "JSON API": "JSON API",
    "Unknown command: %(words)s. Run `pledgewatch --help`.": "不明なコマンドです: %(words)s。`pledgewatch --help` を実行してください。",
    "pledgewatch staff": "pledgewatch スタッフ",
    "pledgewatch": "pledgewatch",
    "Ledger administration": "台帳の管理",
    "Give a share for every recipient country, or for none (equal split).": "すべての受取国に配分比率を入力するか、すべて空欄にしてください(均等配分)。",
    "The shares of the recipient countries must sum to 100 (now %(sum)s).": "受取国の配分比率の合計は100でなければなりません(現在 %(sum)s)。",
    "Target": "目標", "Scope": "対象範囲", "Counting rules": "計上ルール", "Classification": "分類", "Parties": "当事者",
    "Money and stage": "金額と段階", "Links": "関連",
    "Same deal: merge the new commitment into the existing one": "同一案件: 新しい約束を既存の約束に統合する",
    "Distinct deals: keep both": "別案件: 両方を残す",
    "Ledger": "台帳",
    "pledgewatch: a verifiable ledger of summit pledges": "pledgewatch: 首脳会合の約束を検証できる台帳",
    "Usage: pledgewatch COMMAND [OPTIONS]": "使い方: pledgewatch コマンド [オプション]",
    "Each command has --help. Set PLEDGEWATCH_LANG=ja for Japanese messages.": "各コマンドに --help があります。英語表示には PLEDGEWATCH_LANG=en を設定してください。",
    "Create or upgrade the database, load the CA+JAD data, serve on 127.0.0.1": "データベースを作成・更新し、CA+JADのデータを読み込み、127.0.0.1で公開する",
    "Run the production web server": "本番用ウェブサーバーを起動する",
    "Read press texts and print the commitments they state": "プレスリリースを読み、記載された約束を出力する",
    "Import IATI activity XML (files, folders, zip archives)": "IATI活動XMLを取り込む(ファイル、フォルダ、zip)",
    "Import commitments from a spreadsheet": "表計算ファイルから約束を取り込む",
    "Export commitments": "約束を書き出す",
    "Members, issues and delivery of the newsletter": "ニュースレターの会員・号・配信",
    "Run background work (sending e-mail)": "バックグラウンド処理(メール送信)を実行する",
    "Create or upgrade the database, load the CA+JAD initiative and the bundled data (idempotent), and serve on 127.0.0.1. Example: pledgewatch demo --port 8000":
        "データベースを作成・更新し、CA+JAD東京イニシアティブと同梱データを読み込み(何度実行しても同じ結果)、127.0.0.1で公開します。例: pledgewatch demo --port 8000",
    "port (default 8000)": "ポート(既定 8000)",
    "only prepare the data": "データの準備だけを行う",
    "Database: %(where)s": "データベース: %(where)s",
    "CA+JAD Tokyo Initiative loaded (%(n)d records created or changed).": "CA+JAD東京イニシアティブを読み込みました(作成・変更 %(n)d 件)。",
    "Data ready. Start the server with: pledgewatch serve": "データの準備ができました。サーバーの起動: pledgewatch serve",
    "Run the production web server (gunicorn). Example: pledgewatch serve --host 0.0.0.0 --port 8000": "本番用ウェブサーバー(gunicorn)を起動します。例: pledgewatch serve --host 0.0.0.0 --port 8000",
    "address to listen on (default 127.0.0.1)": "待ち受けるアドレス(既定 127.0.0.1)",
    "worker processes (default: cores, max 4)": "ワーカープロセス数(既定: コア数、最大4)",
    "threads per worker (default 4)": "ワーカーあたりのスレッド数(既定 4)",
    "announced": "発表", "signed": "署名", "committed": "確約", "disbursing": "実行中", "completed": "完了",
    "cancelled": "中止", "loan": "借款", "grant": "無償資金協力", "technical cooperation": "技術協力", "investment": "投資",
    "guarantee": "保証", "other": "その他", "exact": "確定", "approximately": "約", "up to": "上限", "at least": "以上",
    "undisclosed": "非公表", "public": "公的", "private": "民間", "government": "政府", "agency": "政府機関",
    "company": "企業", "multilateral": "国際機関", "NGO": "NGO",
    "rate of the commitment date": "約束日のレート", "average rate of the commitment month": "約束月の平均レート",
    "average rate of the commitment year": "約束年の平均レート", "fixed initiative rates": "イニシアティブ固定レート",
    "summit": "首脳会合", "ministerial meeting": "閣僚会合", "dinner": "晩餐会", "meeting": "会合",
    "declaration": "宣言", "initiative text": "イニシアティブ文書", "exchange of notes": "交換公文",
    "loan agreement": "借款契約", "memorandum of understanding": "覚書", "press release": "プレスリリース",
    "news article": "報道記事", "commitment": "約束", "disbursement": "支出", "expenditure": "経費",
    "loan repayment": "元本返済", "interest payment": "利払い", "incoming funds": "受入資金",
    "amount": "金額", "currency": "通貨", "qualifier": "金額の性質",
    "An undisclosed amount must be left empty.": "非公表の金額は空欄にしてください。",
    "Give an amount, or choose the qualifier “undisclosed”.": "金額を入力するか、「非公表」を選んでください。",
    "The amount must not be negative.": "金額は負の値にできません。",
    "Give the ISO 4217 currency of the amount.": "金額の通貨(ISO 4217)を入力してください。",
    "ISO 3166-1 alpha-2": "ISO 3166-1 2文字コード", "ISO 3166-1 alpha-3": "ISO 3166-1 3文字コード",
    "ISO 3166-1 numeric": "ISO 3166-1 数字コード", "name (Japanese)": "名称(日本語)", "name (English)": "名称(英語)",
    "name (Russian)": "名称(ロシア語)", "country": "国", "countries": "国", "slug": "スラッグ", "kind": "種類",
    "IATI organisation identifier": "IATI組織識別子", "description (Japanese)": "説明(日本語)",
    "description (English)": "説明(英語)", "description (Russian)": "説明(ロシア語)",
    "year founded or launched": "設立・発足年", "organisation": "組織", "organisations": "組織",
    "base currency": "基準通貨", "quote currency": "換算先通貨", "date or start of period": "日付または期間の開始",
    "end of period": "期間の終了", "rate": "レート", "source": "出典", "exchange rate": "為替レート",
    "exchange rates": "為替レート", "The end of the period is before its start.": "期間の終了が開始より前です。",
    "Base and quote currency are the same.": "基準通貨と換算先通貨が同じです。",
    "summary (Japanese)": "概要(日本語)", "summary (English)": "概要(英語)", "summary (Russian)": "概要(ロシア語)",
    "horizon start": "期間の開始", "horizon end": "期間の終了", "headline currency": "表示通貨",
    "scope: provider": "対象範囲: 供与者", "scope: recipient countries": "対象範囲: 受取国",
    "include commitments matching the scope rule": "対象範囲ルールに合う約束を含める",
    "stages that count": "計上する段階", "conversion date policy": "換算日の方針",
    "fixed rates (currency → headline)": "固定レート(通貨 → 表示通貨)", "pace tolerance": "ペースの許容幅",
    "initiative": "イニシアティブ", "initiatives": "イニシアティブ",
    "The horizon must end after it starts.": "期間の終了は開始より後でなければなりません。",
    "Unknown stages: %(stages)s": "不明な段階: %(stages)s", "order": "順序",
    "keywords (one per line, ja or en)": "キーワード(1行に1つ、日本語または英語)", "pillar": "柱", "pillars": "柱",
    "focus area": "重点分野", "focus areas": "重点分野", "starts at": "開始", "start time is known": "開始時刻が判明",
    "ends at": "終了", "place (Japanese)": "場所(日本語)", "place (English)": "場所(英語)",
    "place (Russian)": "場所(ロシア語)", "event": "行事", "events": "行事",
    "The event ends before it starts.": "行事の終了が開始より前です。", "role (Japanese)": "役職(日本語)",
    "role (English)": "役職(英語)", "role (Russian)": "役職(ロシア語)", "chair or host": "議長・主催者",
    "participant": "出席者", "participants": "出席者", "title (Japanese)": "表題(日本語)", "title (English)": "表題(英語)",
    "title (Russian)": "表題(ロシア語)", "date": "日付", "parties": "当事者", "address": "アドレス", "language": "言語",
    "stands for this many documents": "この件数の文書を表す", "count qualifier": "件数の性質",
    "IATI document link": "IATI文書リンク", "document": "文書", "documents": "文書",
    "Give a title in Japanese or English.": "日本語または英語の表題を入力してください。",
    "initiatives (explicit link)": "イニシアティブ(明示的な紐付け)", "why this pillar": "この柱とした理由",
    "instrument": "手段", "public or private": "公的・民間", "DAC sector code": "DACセクターコード",
    "provider": "供与者", "recipient organisations": "受取組織", "channel": "経由機関", "commitment date": "約束日",
    "stage": "段階", "date of the current stage": "現在の段階の日付", "IATI identifier": "IATI識別子",
    "stable reference": "固定参照キー",
    "A stable key for records loaded from bundled or external data.": "同梱データや外部データから読み込んだ記録の固定キー。",
    "commitments": "約束",
    "The pillar belongs to an initiative this commitment is not linked to.": "この柱は、この約束が紐付いていないイニシアティブのものです。",
    "share (%)": "配分比率(%)", "Leave empty to split equally.": "空欄なら均等に配分します。",
    "recipient country": "受取国", "recipient countries": "受取国", "note": "注記", "stage change": "段階の変更",
    "stage changes": "段階の変更", "value date": "価値日", "description": "説明", "transaction": "取引",
    "transactions": "取引", "title": "表題", "text": "本文", "date seen": "確認日", "source text": "出典テキスト",
    "source texts": "出典テキスト", "supports": "裏付ける項目", "quoted span": "引用箇所", "start offset": "開始位置",
    "end offset": "終了位置", "sources": "出典",
    "A source needs a text, a document or an address.": "出典にはテキスト、文書、アドレスのいずれかが必要です。",
    "The offsets are outside the text.": "位置がテキストの範囲外です。",
    "The quote does not match the text at these offsets.": "引用がこの位置のテキストと一致しません。",
    "open": "未処理", "merged: same deal": "統合済み: 同一案件", "distinct deals": "別案件",
    "new commitment": "新しい約束", "existing commitment": "既存の約束", "score": "スコア", "reasons": "理由",
    "found by": "検出元", "status": "状態", "possible duplicate": "重複の可能性", "possible duplicates": "重複の可能性",
    "“%(code)s” is not an ISO 4217 currency code.": "「%(code)s」はISO 4217の通貨コードではありません。",
    "Unassigned": "未分類", "Unknown %(name)s: %(values)s": "不明な%(name)s: %(values)s", "sector": "公的・民間",
    "A year has four digits: %(values)s": "年は4桁で指定してください: %(values)s",
    "Unknown sort: %(value)s": "不明な並べ替え: %(value)s",
    "pledgewatch is serving on http://%(host)s:%(port)s/ (Ctrl+C to stop)": "pledgewatch を http://%(host)s:%(port)s/ で公開中です(Ctrl+C で停止)",
    "Refusing to serve with PLEDGEWATCH_DEBUG on: debug pages leak secrets. Unset it, or use `pledgewatch demo` on 127.0.0.1.":
        "PLEDGEWATCH_DEBUG が有効なため起動を拒否しました。デバッグページは秘密情報を漏らします。設定を外すか、127.0.0.1 で `pledgewatch demo` を使ってください。",
    "Japanese": "日本語", "English": "英語", "Russian": "ロシア語",
    "Commands of `pledgewatch %(group)s`:": "`pledgewatch %(group)s` のコマンド:",
    "Each command has --help, e.g. `pledgewatch %(command)s --help`.": "各コマンドに --help があります(例: `pledgewatch %(command)s --help`)。",
    "Port %(port)s on %(host)s is already in use by another program. Stop that program, or choose another port with --port N, e.g. `pledgewatch %(command)s --port %(other)s`.": "%(host)s のポート %(port)s は別のプログラムが使用中です。そのプログラムを止めるか、--port N で別のポートを指定してください(例: `pledgewatch %(command)s --port %(other)s`)。",
    "Cannot listen on %(host)s port %(port)s: %(error)s. Choose another address or port (--host, --port N).": "%(host)s のポート %(port)s で待ち受けできません: %(error)s。別のアドレスかポートを指定してください(--host、--port N)。",
}

RU = {
    "announced": "объявлено", "signed": "подписано", "committed": "принято обязательство", "disbursing": "выплачивается",
    "completed": "завершено", "cancelled": "отменено", "loan": "заём", "grant": "грант",
    "technical cooperation": "техническое сотрудничество", "investment": "инвестиции", "guarantee": "гарантия",
    "other": "другое", "exact": "точно", "approximately": "около", "up to": "до", "at least": "не менее",
    "undisclosed": "не раскрыто", "public": "государственный", "private": "частный", "government": "правительство",
    "agency": "агентство", "company": "компания", "multilateral": "международная организация", "NGO": "НКО",
    "summit": "саммит", "ministerial meeting": "встреча министров", "dinner": "ужин", "meeting": "встреча",
    "declaration": "декларация", "initiative text": "текст инициативы", "exchange of notes": "обмен нотами",
    "loan agreement": "кредитное соглашение", "memorandum of understanding": "меморандум о взаимопонимании",
    "press release": "пресс-релиз", "news article": "новостная статья", "commitment": "обязательство",
    "disbursement": "выплата", "Unassigned": "Без направления", "Japanese": "японский", "English": "английский",
    "Russian": "русский", "Unknown initiative: %(slug)s": "Неизвестная инициатива: %(slug)s",
    "Unknown %(name)s: %(values)s": "Неизвестное значение (%(name)s): %(values)s",
    "A year has four digits: %(values)s": "Год состоит из четырёх цифр: %(values)s",
    "Unknown sort: %(value)s": "Неизвестная сортировка: %(value)s", "instrument": "инструмент", "stage": "стадия",
    "sector": "сектор", "country": "страна", "pillar": "направление",
}


def fill(lang: str, table: dict) -> None:
    path = ROOT / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Language"] = lang
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    if missing and lang == "ja":
        print(f"{lang}: {len(missing)} untranslated: {missing[:10]}")


if __name__ == "__main__":
    fill("ja", JA)
    fill("ru", RU)
