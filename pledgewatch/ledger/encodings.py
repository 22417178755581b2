"""Name the character encoding of a file that is not UTF-8, so that an import can say what it found."""

import codecs

from charset_normalizer import from_bytes

JAPANESE = ("\u3040", "\u30ff", "\u4e00", "\u9fff")  # kana, CJK ideographs
LATIN = {"cp1250", "cp1252", "latin_1", "iso8859_1", "iso8859_2", "iso8859_15", "mac_roman"}


def _japanese(text: str) -> bool:
    return any(JAPANESE[0] <= ch <= JAPANESE[1] or JAPANESE[2] <= ch <= JAPANESE[3] for ch in text)


def guess_encoding(data: bytes) -> str:
    """Return a readable name for the encoding of bytes that are not UTF-8 ("Shift_JIS", "UTF-16", …)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "UTF-16LE"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "UTF-16BE"
    for codec, name in (("euc_jp", "EUC-JP"), ("cp932", "Shift_JIS")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _japanese(text):
            return name
    if any(ch >= "\x80" and ch != "\ufffd" for ch in data.decode("utf-8", "replace")):
        return "UTF-8 with invalid bytes"  # mostly UTF-8, damaged

    best = from_bytes(data).best()
    if best is None:
        return "?"
    return "Latin-1/Windows-1252" if best.encoding in LATIN else best.encoding


def decode_utf8(data: bytes) -> tuple[str | None, int, str]:
    """Return (text, 0, "") for UTF-8 bytes (a BOM is dropped), else (None, first bad byte, guessed encoding)."""
    try:
        return data.decode("utf-8-sig"), 0, ""
    except UnicodeDecodeError as exc:
        return None, exc.start, guess_encoding(data)


def find_non_utf8(path, chunk: int = 1 << 20) -> tuple[int, str] | None:
    """Return (first bad byte, guessed encoding) if the file is not UTF-8, else None; reads it in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as handle:
        head = handle.read(chunk)
        data = head
        while data:
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:
                return offset + exc.start, guess_encoding(head)
            offset += len(data)
            data = handle.read(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return offset + exc.start, guess_encoding(head)
    return None
