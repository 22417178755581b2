"""Classes of error met on the real development corpus (issue 13), second pass: one made-up text per class.

Every text here is written for the test; none reproduces a sentence or a figure of a real text.
"""

from pledgewatch.press.extract import extract
from tests.press.tuples import tuples


# ------------------------------------------------------------------ goals and intentions
def test_money_for_the_purposes_of_development_is_no_goal():
    # «на цели развития» says what the money is for; «цель» alone would make it a target
    text = ("Осака, 9 ноября 2019 г. Правительство Японии решило выделить 3 млрд иен на цели развития "
            "сельских дорог в Лаосе.")
    result = extract(text)
    assert tuples(result) == [(["LA"], "other", "3000000000", "JPY")]
    assert result["targets"] == []


def test_an_intention_to_give_a_sum_is_a_pledge_not_a_goal():
    text = ("Токио, 2 марта 2021 г. Правительство Японии намерено выделить Непалу $4 млн на ремонт школ, "
            "заявил министр.")
    result = extract(text)
    assert tuples(result) == [(["NP"], "other", "4000000", "USD")]
    assert result["targets"] == []
    text = ("Катманду, 5 марта 2021 г. Нота фиксирует намерение Токио дать Непалу "
            "заём на льготных условиях около $9,5 млн на ремонт мостов.")
    result = extract(text)
    assert tuples(result) == [(["NP"], "loan", "9500000", "USD")]
    assert result["targets"] == []


def test_a_goal_to_raise_aid_is_still_a_target():
    text = ("Токио, 2 марта 2021 г. Как сказал министр, Япония намерена довести свою помощь странам Африки "
            "до 5 млрд долларов, и это будет сделано за три года.")
    result = extract(text)
    assert tuples(result) == []
    assert [t["amount"]["amount"] for t in result["targets"]] == ["5000000000"]


# ------------------------------------------------------------------ groups of countries
def test_the_mekong_basin_with_the_river_name_in_the_nominative():
    text = ("Пекин, 8 мая 2016 г. Для стран бассейна реки Меконг Токио обещал выделить 900 млрд иен "
            "на дороги и порты.")
    assert tuples(extract(text)) == [(["KH", "LA", "MM", "TH", "VN"], "other", "900000000000", "JPY")]


# ------------------------------------------------------------------ schemes and the aid given so far
def test_a_grant_scheme_named_in_quotes_is_not_a_project():
    # the named scheme is the frame; the deals are the sums under it
    text = ("Ереван, 14 мая 2012 г. В посольстве Японии подписаны договоры в рамках японской государственной "
            "программы «Программа малых грантов для общин». Армения получит $52,1 тыс. на ремонт сельской амбулатории, "
            "еще $40,3 тыс. будет выделено на покупку школьного автобуса.")
    result = extract(text)
    assert tuples(result) == [(["AM"], "grant", "52100", "USD"), (["AM"], "grant", "40300", "USD")]
    assert [c["title"] for c in result["commitments"]] == [None, None]


def test_a_project_under_a_named_scheme_takes_the_cost_stated_for_it():
    text = ("Ереван, 14 мая 2012 г. В рамках грантовой программы «Малые гранты для общин» заключен договор "
            "о гранте по «Проекту очистки арыков в Армении». Проект обойдется в 61 тысяч 240 долларов "
            "США.")
    result = extract(text)
    assert tuples(result) == [(["AM"], "grant", "61240", "USD")]
    assert result["commitments"][0]["title"] == "Проекту очистки арыков в Армении"


def test_the_volume_of_aid_given_so_far_is_not_a_new_deal_in_russian():
    text = ("Кишинев, 3 апреля 2015 г. Токио даст Молдове грант размером $0,6 млн на покупку пожарных машин. "
            "Общий объем японских грантов, предоставленных Молдове, превышает $40 млн. Помощь Японии "
            "республике в целом составляет более 200 миллионов долларов. Сумма льготных кредитов, выданных "
            "за 2001–2012 гг., составила 90 млн долларов.")
    assert tuples(extract(text)) == [(["MD"], "grant", "600000", "USD")]


def test_the_volume_of_aid_given_so_far_is_not_a_new_deal_in_english():
    text = ("Chisinau, 3 April 2015: Japan will give Moldova a grant of $0.6 million to buy fire engines. "
            "The total amount of Japanese grants provided to Moldova exceeds $40 million.")
    assert tuples(extract(text)) == [(["MD"], "grant", "600000", "USD")]


def test_the_pacific_island_countries_are_a_group_in_three_languages():
    pacific = ["CK", "FJ", "FM", "KI", "MH", "NR", "NU", "PG", "PW", "SB", "TO", "TV", "VU", "WS"]
    text = ("Island Times\n\nTokyo, 18 July 2018: Japan will provide up to $450 million in assistance to "
            "Pacific Island nations, the prime minister said at the summit.")
    assert tuples(extract(text)) == [(pacific, "other", "450000000", "USD")]
    text = "東京、2018年7月18日　日本は太平洋島嶼国に対し、防災分野で約30億円の無償資金協力を行うと発表した。"
    assert tuples(extract(text)) == [(pacific, "grant", "3000000000", "JPY")]
    text = ("Токио, 18 июля 2018 г. Япония предоставит тихоокеанским островным государствам грант в размере "
            "$45 млн на защиту от стихийных бедствий.")
    assert tuples(extract(text)) == [(pacific, "grant", "45000000", "USD")]


# ------------------------------------------------------------------ unspecified aid
def test_financial_aid_without_an_instrument_word_is_other():
    text = ("Токио, 6 мая 2022 г. Армения получит от Японии 12 миллионов долларов финансовой помощи "
            "на нужды бюджета.")
    assert tuples(extract(text)) == [(["AM"], "other", "12000000", "USD")]
    text = "Tokyo, 6 May 2022: Japan will extend financial assistance of 12 million dollars to Armenia."
    assert tuples(extract(text)) == [(["AM"], "other", "12000000", "USD")]


def test_a_headline_of_unspecified_aid_is_the_body_grant():
    text = ("Япония окажет Армении финансовую помощь\n\n6 мая 2022 г.\n\n"
            "Кабинет Японии выделит Армении 300 миллионов иен. В рамках безвозмездной помощи "
            "10 мая будут подписаны ноты о выделении 300 миллионов иен на закупку оборудования.")
    assert tuples(extract(text)) == [(["AM"], "grant", "300000000", "JPY")]


def test_a_package_of_unspecified_aid_and_its_loan_part():
    text = ("Токио, 6 мая 2022 г. Япония окажет Армении экономическую помощь на 80 млрд иен. "
            "Из них 50 млрд иен составят льготные кредиты.")
    result = extract(text)
    assert tuples(result) == [(["AM"], "loan", "50000000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["80000000000"]


def test_a_donor_ranking_is_no_deal():
    text = ("Кишинев, 2 июня 2020 г. Среди доноров финансовой поддержки для Молдовы Токио на четвертом месте "
            "(более $120 млн). Токио выдаст Молдове кредит в $21 млн на льготных условиях.")
    assert tuples(extract(text)) == [(["MD"], "loan", "21000000", "USD")]


def test_the_sides_of_a_war_are_not_recipients():
    text = ("Кишинев, 2 июня 2022 г. Молдова получит от Токио около 15 млн. долларов финансовой помощи. "
            "Министр сообщил, что эти 15 млн. долларов будут направлены на смягчение последствий войны "
            "России с Украиной.")
    assert tuples(extract(text)) == [(["MD"], "other", "15000000", "USD")]


# ------------------------------------------------------------------ not deals
def test_a_ceiling_per_application_of_a_grant_scheme_is_no_deal():
    text = ("Днепр, 4 октября 2015 г. Мэр обсудил с послом Японии грантовую программу для городов. По ней "
            "школы и больницы получают от Японии до 90 тыс. долларов на одну заявку.")
    assert tuples(extract(text)) == []
    text = ("Accra, 4 October 2015: The embassy invites clinics to apply for grants of up to $90,000 per project "
            "under its grassroots scheme.")
    assert tuples(extract(text)) == []
    text = ("アクラ、2015年10月4日　在ガーナ日本大使館は、1件当たり最大1,000万円の草の根無償資金協力の"
            "申請を受け付けている。")
    assert tuples(extract(text)) == []


def test_a_headline_figure_the_body_gives_only_as_thanks_for_past_help():
    text = ("Япония выделила Грузии $2,4 млрд кредитов\n"
            "«Министр поблагодарил Токио за $2,4 млрд кредитов на дороги», — сообщили в "
            "министерстве.")
    assert tuples(extract(text)) == []


def test_money_a_partner_gives_to_japan_is_no_deal():
    text = ("Грузия выделила для Японии 300 тысяч долларов\n\n12 марта 2011 г.\n\n"
            "Кабинет Грузии решил перечислить пострадавшей от цунами Японии 300 тыс. долларов.")
    assert tuples(extract(text)) == []


def test_unspecified_aid_without_a_sum_is_no_deal():
    text = ("Киев, 9 ноября 2015 г. Посол Японии встретился с мэром. Скоро Киев получит "
            "от Токио финансовую помощь, сказал посол.")
    assert tuples(extract(text)) == []


def test_a_partner_named_only_by_its_adjective():
    text = ("ПОДПИСАН ДОГОВОР\n\n9 апреля в Ханое заключен договор о гранте по «Проекту ремонта сельской школы». "
            "С вьетнамской стороны его подписал министр, с японской — посол. Грант составит 48 тысяч 300 долларов "
            "США.")
    assert tuples(extract(text)) == [(["VN"], "grant", "48300", "USD")]
