"""Japanese amounts written with 兆/億/万 units: a generator for the tests of the press number reader.

Not product code: pages and e-mails format money through pledgewatch.ledger.formatting; this writes the
press releases' own form (「213億6,800万」) so that the reader can be checked against any Decimal.
"""

from decimal import Decimal


def render_ja(value: Decimal, *, commas: bool = True) -> str:
    """Render a non-negative Decimal with 兆/億/万 units (21368000000 → 「213億6,800万」)."""
    if value < 0:
        raise ValueError("negative amounts are not rendered")
    integer = int(value)
    fraction = value - integer
    parts = []
    for unit, size in (("兆", 10 ** 12), ("億", 10 ** 8), ("万", 10 ** 4)):
        group, integer = divmod(integer, size)
        if group:
            parts.append((f"{group:,}" if commas else str(group)) + unit)
    tail = ""
    if integer or fraction or not parts:
        tail = f"{integer:,}" if commas else str(integer)
        if fraction:
            tail += format(fraction, "f")[1:].rstrip("0")
    return "".join(parts) + tail
