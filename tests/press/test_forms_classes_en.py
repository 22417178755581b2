"""English classes of error met on the real development corpus (issue 13), second pass.

Every text here is written for the test; none reproduces a sentence or a figure of a real text.
"""

from pledgewatch.press.extract import extract


def tuples(result):
    return [(c["recipients"], c["instrument"], (c["amount"] or {}).get("amount"), (c["amount"] or {}).get("currency"))
            for c in result["commitments"]]


def test_a_sum_for_a_count_of_projects_and_each_project_in_a_sentence_of_its_own():
    text = ("Dhaka, May 4 (Wire) Bangladesh and Japan signed loan agreements worth 95.5 billion yen for four "
            "projects in power, ports, roads and health.\n\n"
            "The agreements include one for the Matarbari Port Access Road Project (JPY 40.2 billion).\n\n"
            "Also, one for Dhaka Urban Hospital Construction Project (Phase 2)\" (JPY 21.3 billion).")
    result = extract(text)
    assert sorted(tuples(result)) == [(["BD"], "loan", "21300000000", "JPY"), (["BD"], "loan", "40200000000", "JPY")]
    assert [t["amount"]["amount"] for t in result["totals"]] == ["95500000000"]
