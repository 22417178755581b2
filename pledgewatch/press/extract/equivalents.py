"""Amounts restated in another currency: 「約1億ドル(約150億円)」, "15 billion yen (US$ 136.5 million)".

The amount first stated, in its original currency, is the commitment; the restatement is kept as an
equivalent of it and is never an item or a total of its own.
"""

from pledgewatch.press.extract.numbers import Amount


def pair(text: str, amounts: list[Amount], pattern) -> tuple[list[Amount], dict[int, list[Amount]]]:
    """Return the amounts that are not restatements, and {start of an amount: [its equivalents]}.

    An amount is the equivalent of the amount just before it when it is in another currency and the
    text between them is only what the language's EQUIVALENT_RE allows ("(", "(about", ", or").
    """
    kept: list[Amount] = []
    equivalents: dict[int, list[Amount]] = {}
    head: Amount | None = None  # the amount being restated (a chain "X (Y, Z)" keeps its head)
    for amount in amounts:
        if kept and head is not None and amount.currency != head.currency and _restates(text, kept[-1], amount,
                                                                                       equivalents, pattern):
            equivalents.setdefault(head.start, []).append(amount)
            continue
        kept.append(amount)
        head = amount
    return kept, equivalents


def _restates(text: str, before: Amount, amount: Amount, equivalents: dict, pattern) -> bool:
    last = equivalents.get(before.start, [before])[-1]
    gap = text[last.end:amount.start]
    if len(gap) > 40 or "\n" in gap:
        return False
    return bool(pattern.fullmatch(gap)) or gap.strip() in {"/", "="}


def as_json(found: list[Amount]) -> list[dict]:
    """Return the `equivalents` list of the JSON: amount and evidence of each restatement."""
    return [{"amount": a.as_json(), "evidence": [{"start": a.start, "end": a.end}]} for a in found]
