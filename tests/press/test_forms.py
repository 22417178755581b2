"""The forms real press texts take (issue 13), each in a text written for this test: amounts in older
MOFA punctuation, totals with items, equivalents, news style, phantom items, any country."""

import pytest

from pledgewatch.press.extract import extract
from tests.press.tuples import tuples


def test_comma_grouped_man_in_a_clause_punctuated_with_half_width_commas():
    text = ("令和2年3月5日,ラオス人民民主共和国の首都において,同国政府との間で,"
            "19億9,200万円を供与限度額とする無償資金協力「北部地域給水改善計画」に関する書簡の交換が行われた."
            "この計画は,三つの県で給水施設を建て直すものである.")
    result = extract(text)
    assert tuples(result) == [(["LA"], "grant", "1992000000", "JPY")]
    assert result["commitments"][0]["title"] == "北部地域給水改善計画"
    assert result["commitments"][0]["amount"]["qualifier"] == "up_to"


def test_kyoyogaku_is_an_amount():
    text = "政府は,ネパール連邦民主共和国に対し,5億円を供与額とする無償資金協力を実施することを決めた."
    assert tuples(extract(text)) == [(["NP"], "grant", "500000000", "JPY")]


def test_total_with_listed_items():
    text = ("ブータン王国に対する計2件の無償資金協力(合計13.82億円)に関する書簡の交換が行われました。\n"
            "(1) 山間部道路防災計画(供与限度額13.41億円)\n"
            "(2) 地方病院医療機材整備計画(供与限度額0.41億円)\n")
    result = extract(text)
    assert tuples(result) == [(["BT"], "grant", "1341000000", "JPY"), (["BT"], "grant", "41000000", "JPY")]
    assert [c["title"] for c in result["commitments"]] == ["山間部道路防災計画", "地方病院医療機材整備計画"]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["1382000000"]


@pytest.mark.parametrize(("text", "amount", "equivalent"), [
    ("Japan extended an ODA loan of 15 billion yen (US$ 136.5 million) to the Philippines for flood control.",
     ("15000000000", "JPY"), ("136500000", "USD")),
    ("The Government of Japan will lend JPY 37 billion (about USD 200 million) to Kenya for a geothermal plant.",
     ("37000000000", "JPY"), ("200000000", "USD")),
])
def test_equivalent_in_english_is_not_a_second_commitment(text, amount, equivalent):
    (c,) = extract(text)["commitments"]
    assert (c["amount"]["amount"], c["amount"]["currency"]) == amount
    (e,) = c["equivalents"]
    assert (e["amount"]["amount"], e["amount"]["currency"]) == equivalent
    assert text[e["evidence"][0]["start"]:e["evidence"][0]["end"]].endswith("million")


def test_equivalent_in_japanese_keeps_the_first_stated_currency():
    text = "日本はフィリピンに対し、約1億ドル(約150億円)の円借款を供与する。"
    (c,) = extract(text)["commitments"]
    assert (c["amount"]["amount"], c["amount"]["currency"], c["amount"]["qualifier"]) == ("100000000", "USD", "approx")
    assert [(e["amount"]["amount"], e["amount"]["currency"]) for e in c["equivalents"]] == [("15000000000", "JPY")]


def test_equivalent_of_a_total():
    text = ("Japan signed grant agreements worth a total of 3 billion yen (about US$ 20 million) with Ghana, "
            "including 2 billion yen for the Northern Road Project and 1 billion yen for the Rural Water Project.")
    result = extract(text)
    (total,) = result["totals"]
    assert total["amount"]["amount"] == "3000000000"
    assert [e["amount"]["amount"] for e in total["equivalents"]] == ["20000000"]
    assert sorted(c["amount"]["amount"] for c in result["commitments"]) == ["1000000000", "2000000000"]


def test_news_style_one_paragraph_per_item():
    text = ("TOKYO, March 3, 2024. Japan will provide grant aid to Sri Lanka, officials said.\n\n"
            "Nearly 10 million US dollars will be directed to repairing rural clinics.\n\n"
            "Around 20 million US dollars will be channeled for school buildings in the north.\n\n"
            "Some 12 million US dollars will be granted to farmers hit by the drought.\n")
    result = extract(text)
    assert tuples(result) == [(["LK"], "grant", "10000000", "USD"), (["LK"], "grant", "20000000", "USD"),
                              (["LK"], "grant", "12000000", "USD")]
    assert {c["amount"]["qualifier"] for c in result["commitments"]} == {"approx"}


def test_phantom_items_are_not_commitments():
    text = ("Dhaka, 12 May 2024. Japan and Bangladesh exchanged notes on a grant of 2.5 billion yen for the "
            "Coastal Shelter Project.\n"
            "Japan has been the largest bilateral donor, and its cumulative ODA to the country has reached "
            "US$ 25 billion.\n"
            "In 2015, Japan also signed a loan of 60 billion yen for a power plant.\n"
            "Loans and grants have long supported the country's growth.\n")
    assert tuples(extract(text)) == [(["BD"], "grant", "2500000000", "JPY")]


def test_any_country_of_the_ledger_in_three_languages():
    assert tuples(extract("Japan will give a grant of 300 million yen to Mozambique."))[0][0] == ["MZ"]
    assert tuples(extract("日本はパラグアイに対し、3億円の無償資金協力を行う。"))[0][0] == ["PY"]
    assert tuples(extract("Япония предоставит Парагваю грант в размере 300 млн иен."))[0][0] == ["PY"]


def test_indian_ocean_is_not_india_and_a_state_is_not_a_country():
    text = "インド洋に面したモルディブに対し、2億円の無償資金協力を行う。マリ州の学校も支援する。"
    assert [c["recipients"] for c in extract(text)["commitments"]] == [["MV"]]


def test_currency_of_an_amount_is_not_a_recipient():
    result = extract("Япония выделит Молдове грант в размере 5 млн долларов США.")
    assert tuples(result) == [(["MD"], "grant", "5000000", "USD")]


@pytest.mark.parametrize(("text", "expected"), [
    ("日本は、ラオスに3億円、カンボジアに2億円の無償資金協力を行う。",
     [(["LA"], "grant", "300000000", "JPY"), (["KH"], "grant", "200000000", "JPY")]),
    ("Япония выделит гранты: Ирану — 1,6 млрд иен, Лаосу — 2,9 млрд иен.",
     [(["IR"], "grant", "1600000000", "JPY"), (["LA"], "grant", "2900000000", "JPY")]),
])
def test_amounts_split_by_country_in_one_sentence(text, expected):
    assert tuples(extract(text)) == expected
