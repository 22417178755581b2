"""Languages as plug-ins: every registered module has the whole interface; Russian; detection; other languages."""

import types
from datetime import date

import pytest

from pledgewatch.press.exceptions import UnsupportedLanguage
from pledgewatch.press.extract import extract, language, ru
from pledgewatch.press.extract.language import LANGUAGES, NAMES, Language, register


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_has_the_interface(code):
    module = LANGUAGES[code]
    assert code == module.CODE
    assert all(hasattr(module, name) for name in NAMES)
    assert {"find_amounts", "find_dates", "find_recipients", "sentences", "detect_score", "HEAD_FIRST",
            "INSTRUMENT_RE", "EQUIVALENT_RE", "PAST_RE"} <= set(NAMES)


def test_registry_refuses_a_module_lacking_a_name():
    with pytest.raises(TypeError, match="lacks"):
        register(types.ModuleType("pledgewatch.press.extract.xx"))
    assert sorted(LANGUAGES) == ["en", "ja", "ru"]
    assert Language.__doc__


@pytest.mark.parametrize(("text", "expected"), [
    ("1 миллиарда 324 миллионов йен", ("1324000000", "JPY", "exact")),
    ("$180,6 тыс.", ("180600", "USD", "exact")),
    ("7,1 млн долларов", ("7100000", "USD", "exact")),
    ("более 3 млрд евро", ("3000000000", "EUR", "at_least")),
    ("до 2,5 млрд японских иен", ("2500000000", "JPY", "up_to")),
    ("около 27 млн. долларов США", ("27000000", "USD", "approx")),
    ("1 324 000 долларов", ("1324000", "USD", "exact")),
    ("порядка 500 тысяч рублей", ("500000", "RUB", "approx")),
])
def test_russian_amounts(text, expected):
    (found,) = ru.find_amounts(text)
    assert tuple(found.as_json().values()) == expected
    assert (found.start, found.end) == (0, len(text))


def test_russian_dates():
    found = ru.find_dates("14 января 2009 г. подписано; 3 февраля — второе; 05.03.2010 — третье")
    assert [d.value for d in found] == [date(2009, 1, 14), date(2009, 2, 3), date(2010, 3, 5)]


@pytest.mark.parametrize(("text", "code"), [
    ("Таджикистан", "TJ"), ("Таджикистану", "TJ"), ("Республики Таджикистан", "TJ"),
    ("Кыргызской Республике", "KG"), ("Монголией", "MN"), ("Шри-Ланке", "LK"), ("Вьетнаму", "VN"),
    ("Демократической Республики Конго", "CD"), ("Молдове", "MD"), ("Молдавии", "MD"),
])
def test_russian_countries_in_every_case(text, code):
    (mention,) = ru.find_recipients(text)
    assert mention == (0, len(text), (code,))


def test_russian_instruments_and_documents():
    text = ("Стороны обменялись нотами и подписали кредитное соглашение о льготном кредите Шри-Ланке "
            "в размере 10 млрд иен, а также грантовое соглашение о безвозмездной помощи в размере 500 млн иен "
            "и программу технического сотрудничества.")
    result = extract(text)
    assert result["language"] == "ru"
    assert [(c["instrument"], (c["amount"] or {}).get("amount")) for c in result["commitments"]] == [
        ("loan", "10000000000"), ("grant", "500000000"), ("technical_cooperation", None)]
    assert {tuple(c["recipients"]) for c in result["commitments"]} == {("LK",)}
    assert [d["kind"] for d in result["documents"]] == ["exchange_of_notes", "loan_agreement", "other"]


@pytest.mark.parametrize(("text", "code"), [
    ("Правительство Японии предоставит Непалу грант для строительства школ.", "ru"),
    ("日本政府はネパールに対し無償資金協力を行う。", "ja"),
    ("The Government of Japan will provide a grant to Nepal for schools.", "en"),
])
def test_detection(text, code):
    assert language.detect(text) == code


@pytest.mark.parametrize("text", [
    "Le gouvernement du Japon accordera un don au Népal pour la construction des écoles de la région.",
    "Уряд Японії надасть Україні грант на відновлення шкіл і лікарень у регіоні.",
    "日本政府向尼泊尔提供无偿援助，用于学校建设。",
    "1234 5678",
])
def test_another_language_gets_a_clear_message_and_no_proposals(text):
    with pytest.raises(UnsupportedLanguage, match="cannot be read"):
        extract(text)


def test_unknown_language_code():
    with pytest.raises(UnsupportedLanguage, match="“de”"):
        extract("Japan grants 5 million dollars to Nepal.", language="de")
