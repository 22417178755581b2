"""Japanese tokenisation with SudachiPy + sudachidict-core in mode C, long inputs split below Sudachi's limit."""

from dataclasses import dataclass
from functools import cache

# Sudachi refuses inputs of 49,149 bytes or more; chunks stay below with a safety margin.
SUDACHI_MAX_BYTES = 49_149
CHUNK_BYTES = 48_000


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    pos: tuple[str, ...]
    normalized: str
    start: int
    end: int


@cache
def tokenizer():
    """Return the shared mode C tokenizer (the dictionary loads once per process)."""
    from sudachipy import Dictionary, SplitMode  # noqa: PLC0415 (heavy: loads only when a Japanese text is read)

    return Dictionary().tokenizer(SplitMode.C)


def chunks(text: str, limit: int = CHUNK_BYTES) -> list[tuple[int, str]]:
    """Split text into (offset, chunk) pieces of at most `limit` UTF-8 bytes, at line or 。 ends if possible."""
    pieces = []
    start = 0
    while start < len(text):
        end, size = start, 0
        cut = -1
        while end < len(text):
            width = len(text[end].encode("utf-8"))
            if size + width > limit:
                break
            size += width
            end += 1
            if text[end - 1] in "\n。":
                cut = end
        if end < len(text) and cut > start:
            end = cut
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def tokenize(text: str) -> list[Token]:
    """Return mode C tokens of a Japanese text with character offsets into it."""
    tok = tokenizer()
    out = []
    for offset, piece in (chunks(text) if len(text) * 3 >= CHUNK_BYTES else [(0, text)]):
        for m in tok.tokenize(piece):
            out.append(Token(m.surface(), tuple(m.part_of_speech()), m.normalized_form(),
                             offset + m.begin(), offset + m.end()))
    return out


def place_names(text: str) -> list[Token]:
    """Return the tokens tagged as place names (名詞,固有名詞,地名,*: countries and other places), only those."""
    tok = tokenizer()
    out = []
    for offset, piece in (chunks(text) if len(text) * 3 >= CHUNK_BYTES else [(0, text)]):
        for m in tok.tokenize(piece):
            pos = m.part_of_speech()
            if pos[2] == "地名":
                out.append(Token(m.surface(), tuple(pos), m.normalized_form(), offset + m.begin(), offset + m.end()))
    return out
