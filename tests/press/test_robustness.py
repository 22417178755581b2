"""Hostile inputs stay linear: no regular expression backtracks through long runs (each case ≪ 1 s)."""

import time

import pytest

from pledgewatch.press.extract import extract
from pledgewatch.press.extract.numbers import find_en_amounts, find_ja_amounts

CASES = {
    "digits without currency": "1" * 50_000 + "件",
    "kanji numerals without currency": "一二三四五六七八九" * 5_000 + "件",
    "digit groups": "1," * 25_000 + "件",
    "spaces": " " * 50_000 + "x",
    "ideographic spaces": "\u3000" * 50_000 + "円",
    "capitalised words": "Big Green Bridge " * 10_000,
    "one long Japanese sentence": "ウズベキスタンへの支援、" * 10_000 + "などが合意された。",
    "one long English list": "Japan's ODA includes " + "bridge equipment for Uzbekistan, " * 3_000 + ".",
    "brackets": "「" * 20_000 + "計画」",
}


@pytest.mark.parametrize("language", ["ja", "en", "ru"])
@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_hostile_input_is_read_quickly(text, language):
    started = time.perf_counter()
    extract(text, language=language)
    assert time.perf_counter() - started < 5  # about 0.1–1 s here; quadratic backtracking took minutes


def test_long_list_still_reads_items():
    listed = "".join(f"equipment for bridge {n} for Uzbekistan, " for n in range(300))
    result = extract("Japan's ODA includes " + listed + "and a dam rehabilitation for Tajikistan.")
    assert len(result["commitments"]) == 301  # one per listed activity
    last = result["commitments"][-1]
    assert (last["title"], last["recipients"]) == ("dam rehabilitation", ["TJ"])


def test_number_runs_are_not_amounts():
    assert find_ja_amounts("1" * 30 + "件") == [] and find_en_amounts("1" * 30 + " people") == []
    assert [str(a.value) for a in find_ja_amounts("数千万円、四百万円")] == ["4000000"]
