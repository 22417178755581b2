"""Classes of error met on the real development corpus (issue 13), one made-up text per class.

Every text here is written for the test; none reproduces a sentence or a figure of a real text. Each test
names the form it stands for; the engine is fixed for the form, not for a text.
"""

from pledgewatch.press.extract import extract
from tests.press.tuples import tuples


def totals(result):
    return [(t["amount"]["amount"], t["amount"]["currency"], t["amount"]["qualifier"]) for t in result["totals"]]


# ------------------------------------------------------------------ totals and their items
def test_headline_rounding_the_body_total_does_not_hide_the_total():
    # a headline "over $N billion", the body's precise package, then its parts one by one
    text = ("Japan to give Nepal over $2 billion\n\n"
            "Kathmandu, 4 May 2023: The two governments signed notes under which Tokyo will provide $2.046 billion "
            "to Nepal for roads, power and schools. Of the total amount, Japan will provide 1,200 million dollars "
            "as a policy loan, said the finance ministry. It will also lend 840 million dollars for a power line "
            "and another 6 million dollars as grants for scholarships.")
    result = extract(text)
    assert tuples(result) == [(["NP"], "loan", "1200000000", "USD"), (["NP"], "loan", "840000000", "USD"),
                              (["NP"], "grant", "6000000", "USD")]
    assert totals(result) == [("2046000000", "USD", "exact")]


# ------------------------------------------------------------------ recipients
def test_a_neighbour_named_in_passing_is_not_the_recipient_of_the_next_item():
    text = ("Tokyo promised to give Georgia up to 800 million yen in grants for its hospitals. "
            "Tokyo will provide up to 700 million yen in grant aid to help Georgia buy scanners. "
            "Georgia has long disputed two regions with neighbouring Russia over their status. "
            "Japan will also provide up to 100 million yen in cultural grant aid so a national museum can buy "
            "display cases. Georgia welcomed the aid.")
    result = extract(text)
    assert tuples(result) == [(["GE"], "grant", "700000000", "JPY"), (["GE"], "grant", "100000000", "JPY")]
    assert totals(result) == [("800000000", "JPY", "up_to")]


# ------------------------------------------------------------------ amounts
def test_a_space_between_thousands_in_english():
    text = "The Embassy of Japan will support twelve clinics in Ghana by donating 54 320 US dollars for equipment."
    assert tuples(extract(text)) == [(["GH"], "grant", "54320", "USD")]


# ------------------------------------------------------------------ instruments
def test_non_refundable_aid_is_a_grant():
    text = ("Ulaanbaatar, 5 June 2014: Mongolia will buy school buses with a non-refundable aid of JPY 150 million "
            "(over USD 1.4 million) from the Japanese government. The note was signed on Thursday.")
    result = extract(text)
    assert tuples(result) == [(["MN"], "grant", "150000000", "JPY")]
    assert [e["amount"]["amount"] for e in result["commitments"][0]["equivalents"]] == ["1400000"]


# ------------------------------------------------------------------ history and cumulative figures
def test_cumulative_figures_in_english_are_not_new_deals():
    text = ("Baku, 3 March 2019: Japan and Azerbaijan discussed cooperation.\n"
            "Within the period of 30 years, the Japanese government has allocated loans worth $2.3 billion "
            "to Azerbaijan. Since the beginning of its cooperation with Azerbaijan, the agency has financed "
            "five loan projects amounting to $1.7 billion. Over the past ten years Japan has given grants of "
            "$40 million. A grant contract, worth $90,500, on a water tower was signed in early 2017.")
    assert tuples(extract(text)) == []


def test_cumulative_figures_in_russian_are_not_new_deals():
    text = ("12 марта 2015 г. премьер-министр Монголии принял посла Японии.\n"
            "Посол отметил, что за минувший срок Япония предоставила льготные кредиты и помощь в сумме "
            "41,2 миллиарда иен на реализацию 11 проектов. Монголия напомнила, что до настоящего времени "
            "Япония выделила ей гранты, общая стоимость которых превышала 300 миллионов долларов.")
    assert tuples(extract(text)) == []


# ------------------------------------------------------------------ lists by country, units said once
def test_russian_list_of_countries_with_the_unit_said_once():
    text = ("Токио, 20 июля 2021 г. Правительство Японии в общей сложности решило выделить 9,4 млрд иен "
            "(85 млн долларов) ряду стран. Уточняется, что 3,2 млрд иен будут выделены Непалу, 2,1 — Бутану, "
            "еще 1,5 получит Лаос. Оставшуюся сумму распределят между другими государствами.")
    result = extract(text)
    assert tuples(result) == [(["NP"], "other", "3200000000", "JPY"), (["BT"], "other", "2100000000", "JPY"),
                              (["LA"], "other", "1500000000", "JPY")]
    assert totals(result) == [("9400000000", "JPY", "exact")]


def test_russian_parts_of_a_total_without_a_currency():
    text = ("Япония выделит Молдове $300 млн в качестве безвозмездной помощи, сообщили 5 мая 2022 г.\n\n"
            "Сообщается, что 220 млн пойдут на закупку оборудования для больниц, "
            "еще 80 млн - на ремонт дорог. В стране живут 2,6 млн человек.")
    result = extract(text)
    assert tuples(result) == [(["MD"], "grant", "220000000", "USD"), (["MD"], "grant", "80000000", "USD")]
    assert totals(result) == [("300000000", "USD", "exact")]


def test_russian_amount_and_country_pairs_with_names_in_brackets():
    text = ("Япония предоставит продовольственную помощь на 1,9 млрд йен\n\n"
            "Япония и ВПП завершили обмен нотами о предоставлении Японией 800 млн йен для беженцев в Чаде. "
            "Также было заключено соглашение о продовольственной помощи в размере 600 млн йен в Мали (Mali), "
            "300 млн йен – в ЦАР (Central African Republic) и 200 млн йен – в Нигере (Niger).")
    result = extract(text)
    assert sorted(tuples(result)) == [(["CF"], "grant", "300000000", "JPY"), (["ML"], "grant", "600000000", "JPY"),
                                      (["NE"], "grant", "200000000", "JPY"), (["TD"], "grant", "800000000", "JPY")]
    assert totals(result) == [("1900000000", "JPY", "exact")]


def test_a_quoted_statement_is_not_a_project_name():
    text = ("Токио принял решение выделить Грузии помощь в размере $50 млн в качестве гуманитарной помощи, "
            "15 мая 2023 г.\n\n"
            "\"Правительство Японии решило предоставить следующие два проекта безвозмездной помощи для "
            "восстановления\", - говорится в заявлении.")
    result = extract(text)
    assert tuples(result) == [(["GE"], "grant", "50000000", "USD")]
    assert result["commitments"][0]["title"] is None


# ------------------------------------------------------------------ English amounts and layouts
def test_a_dollar_sign_before_a_yen_amount_and_a_local_dollar_equivalent():
    text = ("Suva, 9 May 2022: Japan signed a grant worth $380 million Japanese Yen (approximately FJD $7 million) "
            "with Fiji for a new ferry.")
    result = extract(text)
    assert tuples(result) == [(["FJ"], "grant", "380000000", "JPY")]
    assert [(e["amount"]["amount"], e["amount"]["currency"]) for e in result["commitments"][0]["equivalents"]] == [
        ("7000000", "FJD")]


def test_scales_glued_to_the_figure_in_a_table():
    text = ("Exchange of Notes for Grant Aid: food aid through WFP in 2010 (Total: JPY 1.03B)\n"
            "| JPY412M to Malawi |\n| JPY618M to Zambia |\n")
    result = extract(text)
    assert tuples(result) == [(["MW"], "grant", "412000000", "JPY"), (["ZM"], "grant", "618000000", "JPY")]
    assert totals(result) == [("1030000000", "JPY", "exact")]


def test_a_wire_story_broken_into_short_lines_inside_a_figure():
    text = ("Japan gives Togo a grant\nLome, March 4, GNA - The Government of Togo on Tuesday\n"
            "signed a non-project grant agreement of 2.3\nbillion yen with the government of Japan.\n")
    assert tuples(extract(text)) == [(["TG"], "grant", "2300000000", "JPY")]


def test_a_figure_broken_off_in_a_headline_is_no_amount():
    text = ("Japan gives Togo US$2.b\nLome, March 4, GNA - Togo signed a grant agreement of 2.3 billion yen "
            "with Japan.")
    assert tuples(extract(text)) == [(["TG"], "grant", "2300000000", "JPY")]


def test_investment_promotion_is_a_sector_not_an_instrument():
    text = ("New Delhi, 3 April 2024: India and Japan signed loan agreements worth JPY 42.5 billion for a metro line "
            "in the sectors of urban transport and investment promotion.")
    assert tuples(extract(text)) == [(["IN"], "loan", "42500000000", "JPY")]


# ------------------------------------------------------------------ one project under several names
def test_a_name_given_earlier_and_a_headline_name_are_one_project():
    text = ("Signing and Exchange of Notes for the Grant Aid for Tonga \u201cCoastal Protection Programme\u201d\n\n"
            "Nuku'alofa, 2 May 2023: the Ambassador of Japan and the Minister signed and exchanged notes on the Grant "
            "Aid for Tonga, \u201cCoastal and Protection Programme.\u201d This 300 million JPY Grant Aid will "
            "support sea walls.\n\n"
            "1. For the purpose of contributing to the execution of the Harbour Works Project (hereinafter referred "
            "to as \"the Project\") by the Government of Tonga, Japan will extend a grant up to 300 million yen.")
    result = extract(text)
    assert tuples(result) == [(["TO"], "grant", "300000000", "JPY"), (["TO"], "grant", "300000000", "JPY")]
    assert [c["title"] for c in result["commitments"]] == ["Coastal Protection Programme", "Harbour Works Project"]


# ------------------------------------------------------------------ money received, and its parts
def test_parts_of_money_already_received_are_not_new_deals():
    text = ("Армения в марте получила 210 млн долларов от Японии\n\n"
            "Япония в марте перечислила Армении 210 млн долларов по программе Всемирного банка. "
            "«Япония предоставила Армении помощь в марте в размере 210 млн долларов. Средства уже поступили "
            "в бюджет», — сказал депутат. Однако лишь 60 млн долларов из этой суммы составляют грантовую помощь. "
            "Остальные — 150 млн долларов — Ереван взял у Японии в займы.")
    result = extract(text)
    assert [c for c in tuples(result) if c[2] in ("60000000", "150000000")] == []


# ------------------------------------------------------------------ items in a list, amounts in brackets
def test_a_list_of_names_each_with_its_amount_in_brackets_and_unbalanced_quotes():
    text = ("Dhaka, 6 June 2024: Bangladesh and Japan signed loan agreements worth Yen 61.5 billion for three "
            "projects. The three loan agreements signed at Dhaka include \"Chattogram Port Access Road Project "
            "(Phase 2)\" (Yen 30.2 billion), \"Project for Rural Water Supply (Yen 11.3 billion), Sylhet Flood "
            "Protection Project\" (Yen 20.0 billion).")
    result = extract(text)
    assert tuples(result) == [(["BD"], "loan", "30200000000", "JPY"), (["BD"], "loan", "11300000000", "JPY"),
                              (["BD"], "loan", "20000000000", "JPY")]
    assert [c["title"] for c in result["commitments"]] == [
        "Chattogram Port Access Road Project (Phase 2)", "Project for Rural Water Supply",
        "Sylhet Flood Protection Project"]
    assert totals(result) == [("61500000000", "JPY", "exact")]


# ------------------------------------------------------------------ headlines and completed projects
def test_a_headline_rounding_the_sum_of_the_items_is_not_an_item():
    text = ("Japan grants 30 billion yen aid for roads and water\n"
            "Colombo, 2 June 2019: Japan and Sri Lanka exchanged notes for the yen loan Southern Road Project "
            "(20.45 billion yen) and the yen loan Northern Water Supply Project (10.1 billion yen).")
    assert tuples(extract(text)) == [(["LK"], "loan", "20450000000", "JPY"), (["LK"], "loan", "10100000000", "JPY")]


def test_a_completed_project_is_not_a_new_deal():
    text = ("Baku, 15 June 2023: Within the framework of the programme, the Japanese government completed the "
            "Project for Repair of a Village Clinic, a grant of $91,200.")
    assert tuples(extract(text)) == []
