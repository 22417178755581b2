"""English classes of error met on the real development corpus (issue 13), second pass.

Every text here is written for the test; none reproduces a sentence or a figure of a real text.
"""

from pledgewatch.press.extract import extract
from tests.press.tuples import tuples


def test_a_sum_for_a_count_of_projects_and_each_project_in_a_sentence_of_its_own():
    text = ("Dhaka, May 4 (Wire) Bangladesh and Japan concluded four loan agreements, 95.5 billion yen for four "
            "projects in power, ports, roads and health.\n\n"
            "Among them is one for the Matarbari Port Access Road Project (JPY 40.2 billion).\n\n"
            "Another is for Sylhet Urban Hospital Building Project (Phase 2)\" (JPY 21.3 billion).")
    result = extract(text)
    assert sorted(tuples(result)) == [(["BD"], "loan", "21300000000", "JPY"), (["BD"], "loan", "40200000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["95500000000"]


def test_lettered_items_named_project_for_or_program_for_with_the_amount_after_for():
    text = ("Ministry and JICA conclude two loans\n\nNepal and JICA concluded two loans under the Japanese "
            "ODA Loan Program. They cover two projects.\n\n"
            "(a) Project for Upgrading Pokhara Water Supply (Phase 2) for Japanese Yen 12.5 billion "
            "(around NPR 11 billion), and\n\n"
            "(b) Program for Green Growth Actions in Nepal for Japanese Yen 8.000 billion (around NPR 7 billion).\n")
    result = extract(text)
    assert sorted(tuples(result)) == [(["NP"], "loan", "12500000000", "JPY"), (["NP"], "loan", "8000000000", "JPY")]
    assert sorted(c["title"] for c in result["commitments"]) == [
        "Program for Green Growth Actions in Nepal", "Project for Upgrading Pokhara Water Supply"]


def test_the_keys_of_a_release_table_are_not_project_names():
    text = ("Japanese ODA loan for Nepal signed\n\nJICA and Nepal concluded a loan agreement.\n\n"
            "Kathmandu Valley Bus Network Project\n\n- Project Objective\nBetter urban transport.\n\n"
            "- Project Component\nBuses and depots.\n\n- Loan Amount\n18,450 million Japanese Yen\n")
    result = extract(text)
    assert tuples(result) == [(["NP"], "loan", "18450000000", "JPY")]


def test_a_headline_under_a_section_label_rounding_the_sum_of_the_items_is_their_total():
    text = ("News\nJapan grants Sri Lanka 30 billion yen aid for roads and water\n"
            "Colombo: Notes were exchanged for a yen loan for the Southern Roads Project (18.42 billion yen) and "
            "a yen loan for the Galle Water Supply Project (11.93 billion yen), the ministry said.")
    result = extract(text)
    assert sorted(tuples(result)) == [(["LK"], "loan", "11930000000", "JPY"), (["LK"], "loan", "18420000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["30000000000"]


def test_projects_named_without_an_article_and_without_amounts_are_items():
    text = ("Colombo, 2 June 2022: JICA concluded three loan agreements with Sri Lanka. The Kelani Bridge Project "
            "gets ¥80 billion. Two more projects are Jaffna Water Supply Project and Galle Port Project.")
    result = extract(text)
    assert sorted(tuples(result), key=str) == [(["LK"], "loan", "80000000000", "JPY"), (["LK"], "loan", None, None),
                                                (["LK"], "loan", None, None)]
    assert sorted(c["title"] for c in result["commitments"]) == [
        "Galle Port Project", "Jaffna Water Supply Project", "Kelani Bridge Project"]
