"""Input handling: encodings, HTML main text, language, Sudachi tokenisation of long inputs."""

import re
from pathlib import Path

import pytest

from pledgewatch.press.exceptions import EmptyInput, UnreadableInput
from pledgewatch.press.extract.language import detect as detect_language
from pledgewatch.press.extract.text import decode, html_main_text, normalise, prepare
from pledgewatch.press.extract.tokenize import SUDACHI_MAX_BYTES, chunks, place_names, tokenize


def exact(message: str) -> str:
    """Return a pattern matching exactly this error message."""
    return "^" + re.escape(message) + "$"

FIXTURES = Path(__file__).parent.parent / "fixtures" / "press"
TEXT = "ウズベキスタン共和国に対する円借款に関する書簡の交換"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "shift_jis", "cp932", "euc_jp"])
def test_decode_japanese_encodings(encoding):
    assert decode((TEXT + "（供与限度額２１３．６８億円）").encode(encoding)) == TEXT + "（供与限度額２１３．６８億円）"


def test_cp932_only_characters():
    text = "①　髙橋大使と署名　～　№1"
    assert decode(text.encode("cp932")) == text


def test_shift_jis_fixture_reads_like_its_utf8_meaning():
    text = prepare((FIXTURES / "tuned" / "ja_t06_sjis_kz_loan.txt").read_bytes())
    assert text.startswith("カザフスタン共和国に対する円借款「アスタナ熱供給網近代化計画」")


def test_normalise_keeps_offsets():
    raw = "供与限度額２１３．６８億円、ＵＮＤＰ"
    assert normalise(raw) == "供与限度額213.68億円、UNDP"
    assert len(normalise(raw)) == len(raw)


def test_html_main_text_drops_navigation_and_scripts():
    html = (FIXTURES / "tuned" / "ja_t10_embassy_kz_grassroots.html").read_text(encoding="utf-8")
    text = html_main_text(html)
    assert "大使館案内" not in text and "5億円" not in text and "1億円以上" not in text and "ホーム" not in text
    assert "（供与額：98,765米ドル）の贈与契約への署名式" in text
    assert text.splitlines()[0] == (
        "草の根・人間の安全保障無償資金協力「シムケント市第5病院医療機材整備計画」の署名式 | "
        "在カザフスタン日本国大使館")


def test_shift_jis_html():
    text = prepare((FIXTURES / "heldout" / "ja_h07_mofa_uz_grant_sjis.html").read_bytes())
    assert "会見・発表・広報" not in text and "供与限度額13億4,800万円の無償資金協力" in text


def test_empty_and_binary_inputs():
    with pytest.raises(EmptyInput, match=exact("no text")):
        prepare(b"  \n\t ")
    with pytest.raises(EmptyInput, match=exact("no text")):
        prepare(b"<html><body><nav>menu</nav></body></html>")
    with pytest.raises(UnreadableInput, match=exact("binary data, not text")):
        prepare(b"\x00\x01\x02PK\x03\x04")


def test_detect_language():
    assert detect_language(TEXT) == "ja"
    assert detect_language("Exchange of Notes concerning a Japanese ODA Loan to Uzbekistan") == "en"
    assert detect_language("JICA signed a Loan Agreement (円借款) with Uzbekistan on 17 December 2025.") == "en"


def test_chunks_stay_below_sudachi_limit():
    text = ("ウズベキスタンへの円借款。" * 3000) + "\n" + "キルギス" * 5000
    pieces = chunks(text)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p.encode("utf-8")) < SUDACHI_MAX_BYTES for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    assert pieces[0][1].endswith("。")


def test_tokenize_long_text_with_offsets():
    text = "日本はタジキスタン共和国に機材を供与した。" * 4000  # 252,000 bytes
    tokens = tokenize(text)
    assert all(text[t.start:t.end] == t.surface for t in tokens)
    names = [t for t in tokens if t.pos[2:4] == ("地名", "国")]
    assert {t.surface for t in names} == {"日本", "タジキスタン共和国"}
    assert len(names) == 8000


def test_place_names_mode_c():
    names = place_names("中央アジアのキルギス共和国とカザフスタン、インド洋")
    assert [t.surface for t in names if t.pos[3] == "国"] == ["キルギス共和国", "カザフスタン"]
    assert "インド洋" in [t.surface for t in names]  # other places too: they keep 「インド」 from being India
