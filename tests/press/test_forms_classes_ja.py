"""Japanese classes of error met on the real development corpus (issue 13), second pass.

Every text here is written for the test; none reproduces a sentence or a figure of a real text.
"""

from pledgewatch.press.extract import extract
from tests.press.tuples import tuples


def test_an_amount_glued_to_yen_loan():
    # 「…億円借款」 is the amount and the instrument at once; 「2 円借款」 (a list number) is no amount
    text = "2021年5月10日　日本政府はネパールに対し、150億円借款を供与することを決定した。"
    assert tuples(extract(text)) == [(["NP"], "loan", "15000000000", "JPY")]
    text = ("2021年5月10日\n1 無償資金協力\n2 円借款\n"
            "ネパールに対し、道路整備計画のため、30億円を限度とする円借款を供与する。")
    assert [c["amount"]["amount"] for c in extract(text)["commitments"]] == ["3000000000"]


def test_the_new_deal_after_the_earlier_pledge_it_belongs_to():
    # the figure before 一環 is the earlier pledge (context); the one after it is the deal
    text = ("2021年5月10日　日本は昨年表明した約500億円の支援の一環として、ネパールに対し、"
            "80億円を限度とする円借款を供与する。")
    assert tuples(extract(text)) == [(["NP"], "loan", "8000000000", "JPY")]


def test_the_aid_record_is_no_deal():
    text = ("ネパールへの経済協力\n我が国の2010年度までの援助実績は、円借款55.1億円、無償資金協力812.3億円である。"
            "我が国はこれまで同国に技術協力及び無償資金協力を実施してきた。")
    assert tuples(extract(text)) == []


def test_a_sum_as_it_stands_now_is_no_deal():
    text = ("2023年3月2日　日本政府はガーナの診療所に65,000米ドルの無償資金協力を行う。"
            "同国での草の根無償資金協力は合計150件、その総額は1,200万米ドルを超えている。")
    assert tuples(extract(text)) == [(["GH"], "grant", "65000", "USD")]


def test_the_parts_of_one_funded_deal_are_not_deals():
    text = ("2023年3月2日　ガーナの村の給水施設整備計画について署名が行われた。本計画の実施にあたり、日本政府は"
            "65,000米ドルの無償資金協力を行い、井戸の掘削、配水管の建設、ポンプの購入等を実施する。")
    assert tuples(extract(text)) == [(["GH"], "grant", "65000", "USD")]


def test_items_listed_under_an_instrument_heading_take_its_instrument():
    text = ("ケニア向け円借款・無償資金協力の書簡交換について\n令和5年6月1日\n"
            "1 6月1日、ナイロビにおいて、以下の3件に係る書簡の交換が行われました。\n"
            "【円借款事業】\n・「モンバサ港拡張計画」(供与限度額:120億円)\n・「地方送電網整備計画」(供与限度額:80億円)\n"
            "【無償資金協力】\n・「ナクル病院改善計画」(供与額:15億円)\n")
    assert sorted(tuples(extract(text))) == [(["KE"], "grant", "1500000000", "JPY"),
                                             (["KE"], "loan", "12000000000", "JPY"),
                                             (["KE"], "loan", "8000000000", "JPY")]
    text = ("Exchange of Notes on loans and a grant to Kenya\nNairobi, 1 June 2023\n"
            "Notes covering three projects were exchanged.\nYen Loan Projects:\n"
            "(1) Mombasa Port Expansion Project (JPY 12 billion)\n(2) Rural Power Grid Project (JPY 8 billion)\n"
            "Grant Aid:\n(3) Nakuru Hospital Improvement Project (JPY 1.5 billion)\n")
    assert sorted(tuples(extract(text))) == [(["KE"], "grant", "1500000000", "JPY"),
                                             (["KE"], "loan", "12000000000", "JPY"),
                                             (["KE"], "loan", "8000000000", "JPY")]


def test_a_breakdown_in_brackets_gives_the_items_and_the_sum_a_total():
    text = ("平成24年3月8日\n本8日,ナイロビにおいて,合計3億円の無償資金協力(内訳 保健人材育成:2億円,"
            "母子保健改善:1億円)に関するケニア共和国政府との書簡の交換が行われました。")
    result = extract(text)
    assert tuples(result) == [(["KE"], "grant", "200000000", "JPY"), (["KE"], "grant", "100000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["300000000"]
    assert [c["title"] for c in result["commitments"]] == ["保健人材育成", "母子保健改善"]


def test_a_sum_over_one_listed_project_is_that_project():
    # the headline's bare mention must not take the listed project away from the sum stated for it
    text = ("ベトナム向け円借款の書簡交換について\n平成28年5月20日\n"
            "1 本20日,ハノイにおいて,ベトナム政府との間で,総額120億円を限度とする円借款の書簡が"
            "交換された。\n2 対象案件は以下のとおりです。\n"
            "(1)ハノイ市下水道整備計画(第二期)(Hanoi Sewerage Project (II)) 120億円\n")
    result = extract(text)
    assert tuples(result) == [(["VN"], "loan", "12000000000", "JPY")]


def test_the_body_total_wins_over_the_headline_rounding_it():
    text = ("首脳会談でラオスに150億円の円借款供与を事前通報\n"
            "外務省によると、5月2日、首脳会談で、「ビエンチャン道路改善計画」ほか1件合わせて、供与限度総額150億4000万円に"
            "関する事前通報を行った。\n対象案件は①「ビエンチャン道路改善計画」(供与限度額90億1000万円)②「ルアンパバーン"
            "上水道計画」(同60億3000万円)の2案件。")
    result = extract(text)
    assert sorted(tuples(result)) == [(["LA"], "loan", "6030000000", "JPY"), (["LA"], "loan", "9010000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["15040000000"]


def test_millions_with_a_currency_code_and_another_lender_in_its_own_sentence():
    # 「百万USD」, 「米㌦」; the other lender's money and the sum mixing it with Japan's are no deal of Japan's
    text = ("2020年3月5日　財務大臣は、世銀の融資承認に伴い、日本のJICAから120百万USDが融資されることになったと"
            "述べた。また、アジア開発銀行からの200百万USDを入れて、合計で450百万USDが融資されると述べた。"
            "モンゴルはこれを歓迎した。")
    assert tuples(extract(text)) == [(["MN"], "loan", "120000000", "USD")]
    text = "2020年3月5日　日本はモンゴルに3000万米㌦の無償資金協力を行う。"
    assert tuples(extract(text)) == [(["MN"], "grant", "30000000", "USD")]
