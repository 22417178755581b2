"""Classes of error met on the real development corpus (issue 13), second pass: one made-up text per class.

Every text here is written for the test; none reproduces a sentence or a figure of a real text.
"""

from pledgewatch.press.extract import extract


def tuples(result):
    return [(c["recipients"], c["instrument"], (c["amount"] or {}).get("amount"), (c["amount"] or {}).get("currency"))
            for c in result["commitments"]]


# ------------------------------------------------------------------ goals and intentions
def test_money_for_the_purposes_of_development_is_no_goal():
    # «на цели развития» says what the money is for; «цель» alone would make it a target
    text = ("Осака, 9 ноября 2019 г. Правительство Японии решило выделить 3 млрд иен на цели развития "
            "сельских дорог в Лаосе.")
    result = extract(text)
    assert tuples(result) == [(["LA"], "other", "3000000000", "JPY")]
    assert result["targets"] == []


def test_an_intention_to_give_a_sum_is_a_pledge_not_a_goal():
    text = ("Токио, 2 марта 2021 г. Япония намерена выделить на восстановление школ в Непале $4 млн, заявил "
            "министр.")
    result = extract(text)
    assert tuples(result) == [(["NP"], "other", "4000000", "USD")]
    assert result["targets"] == []
    text = ("Катманду, 5 марта 2021 г. Подписанная нота подтверждает намерение японской стороны предоставить "
            "Непалу льготный кредит на сумму около $9,5 млн на ремонт мостов.")
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
    text = ("Пекин, 8 мая 2016 г. Япония пообещала выделить 900 млрд иен странам бассейна реки Меконг "
            "в качестве экономической помощи.")
    assert tuples(extract(text)) == [(["KH", "LA", "MM", "TH", "VN"], "other", "900000000000", "JPY")]
