"""Input text: decoding (UTF-8, Shift_JIS/CP932 detected), HTML main text, width folding, sentences."""

import re
import unicodedata

import lxml.html
from charset_normalizer import from_bytes

from pledgewatch.press.exceptions import EmptyInput, UnreadableInput

# Full-width ASCII variants folded one character for one, so that offsets stay valid.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xFFE5: ord("¥"), 0x2212: ord("-"), 0xFF0E: ord(".")})
WIDTH_TABLE = str.maketrans({k: chr(v) for k, v in _WIDTH.items()})

BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
                    "button", "svg", "template")
BOILERPLATE_HINTS = re.compile(r"(nav|menu|breadcrumb|footer|header|sidebar|share|sns|cookie|pankuzu|"
                               r"related|banner|skip)", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
              "main", "table", "dd", "dt", "blockquote", "pre", "ul", "ol", "dl"}


def normalise(text: str) -> str:
    """Return text with full-width ASCII folded to half-width, character for character."""
    return text.translate(WIDTH_TABLE)


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else as the encoding charset-normalizer detects."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_japanese(text):
            return text
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("not a text file (no character encoding fits)")
    return str(best)


def _looks_japanese(text: str) -> bool:
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    return kana >= max(1, len(text) // 50)


def looks_like_html(text: str) -> bool:
    """Return True when the text is an HTML page rather than plain text."""
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head) or (
        head.count("<p") + head.count("<div") >= 2)


def html_main_text(html: str) -> str:
    """Return the main text of an HTML page: navigation, headers, footers, scripts and forms dropped."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise UnreadableInput(f"HTML that cannot be parsed ({exc})") from exc
    for el in list(root.iter(*BOILERPLATE_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marker = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
        if BOILERPLATE_HINTS.search(marker) and el.tag not in {"main", "article", "body"}:
            el.drop_tree()
    main = root.find(".//main")
    if main is None:
        main = root.find(".//article")
    node = main if main is not None else (root.find(".//body") if root.find(".//body") is not None else root)
    lines: list[str] = []
    _collect(node, lines)
    text = "\n".join(line.strip() for line in "".join(lines).split("\n"))
    title = root.findtext(".//title") or ""
    body = re.sub(r"\n{3,}", "\n\n", text).strip()
    if title.strip() and title.strip() not in body[:300]:
        body = title.strip() + "\n\n" + body
    return body


def _collect(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in BLOCK_TAGS:
        out.append("\n")
    if el.text and tag:
        out.append(re.sub(r"[ \t\r\n]+", " ", el.text))
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(re.sub(r"[ \t\r\n]+", " ", child.tail))
    if tag in BLOCK_TAGS:
        out.append("\n")


def prepare(data: bytes | str) -> str:
    """Return the text to read from raw input: decoded, HTML reduced to its main text."""
    text = decode(data) if isinstance(data, bytes) else data
    if "\x00" in text:
        raise UnreadableInput("binary data, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = html_main_text(text)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise EmptyInput("no text")
    return text


_KANA = re.compile(r"[\u3040-\u30ff]")
_JA_CHARS = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def script_counts(sample: str) -> dict[str, int]:
    """Return how many letters of a sample are kana, Japanese (kana or kanji), Latin and Cyrillic."""
    return {"kana": len(_KANA.findall(sample)), "ja": len(_JA_CHARS.findall(sample)),
            "latin": len(_LATIN.findall(sample)), "cyrillic": len(_CYRILLIC.findall(sample))}


def word_share(sample: str, words: frozenset[str], pattern: re.Pattern) -> tuple[float, int]:
    """Return the share of a sample's words (found by pattern) that are in `words`, and the word count."""
    found = pattern.findall(sample[:3000].lower())
    return (sum(1 for w in found if w in words) / len(found) if found else 0.0), len(found)


# A Japanese sentence also ends at a half-width 「.」 used as 「。」 (older MOFA pages), not inside "13.82".
SENTENCE_RE = re.compile(r"(?:[^。\n！？.]|(?<=[0-9])\.(?=[0-9])|(?<=[A-Za-z])\.)+(?:[。！？.])?|[^\n]+")
# a wire story broken into short lines goes on across a single line break before a small letter
EN_SENTENCE_RE = re.compile(r"(?:[^.\n]|\.(?=\S)|\.(?=\s+[a-zа-яё0-9(«\"$])|(?<=[\w,])\n(?=[a-zа-яё]))+\.?")


def sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of a text (lines and 。/. separated)."""
    pattern = SENTENCE_RE if language == "ja" else EN_SENTENCE_RE  # Russian punctuates as English
    spans = []
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
