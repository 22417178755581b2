"""Evaluate the extractor on a corpus: precision, recall and F1 per part (tuned, held-out).

Each text `NAME.txt|.html` has a hand-written `NAME.expected.json`. Scored, as multisets over all
texts of a part: (recipients, instrument, amount, currency) tuples of the commitments; their titles;
their dates; and totals, targets and documents as (amount/count, currency/kind, qualifier).

Run: `.venv/bin/python -m pledgewatch.press.evaluate tests/fixtures/press [--json]`
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

import django

TEXT_SUFFIXES = {".txt", ".html", ".htm"}
# tuned: rules were developed on these; heldout: measured once before tuning, then seen (see
# docs/extract.md); heldout2, heldout3: expectations written before their first run, then seen;
# heldout4: kept aside, never tuned on.
PARTS = ("tuned", "heldout", "heldout2", "heldout3", "heldout4")


def corpus(folder: Path) -> list[tuple[Path, dict]]:
    """Return (text path, expected JSON) for each text of a folder that has an expectation."""
    pairs = []
    for path in sorted(folder.iterdir()):
        if path.suffix in TEXT_SUFFIXES:
            expected = path.with_name(path.stem + ".expected.json")
            if expected.exists():
                pairs.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return pairs


def keys(result: dict) -> dict[str, list]:
    """Return the scored keys of one extraction result (or expectation)."""
    cs = result["commitments"]
    return {
        "tuples": [(tuple(sorted(c["recipients"])), c["instrument"], (c["amount"] or {}).get("amount"),
                    (c["amount"] or {}).get("currency")) for c in cs],
        "titles": [c["title"] for c in cs if c["title"]],
        "dates": [c["date"] for c in cs if c["date"]],
        "qualifiers": [(c["instrument"], (c["amount"] or {}).get("amount"), (c["amount"] or {}).get("qualifier"))
                       for c in cs],
        "channels": [c["channel"] for c in cs if c["channel"]],
        "totals_targets": [("total", t["amount"]["amount"], t["amount"]["currency"], t["amount"]["qualifier"])
                           for t in result["totals"]]
        + [("target", t["amount"]["amount"], t["amount"]["currency"], t["amount"]["qualifier"],
            t.get("horizon_years")) for t in result["targets"]],
        "documents": [(d["kind"], d["count"], d["qualifier"]) for d in result["documents"]],
    }


def prf(expected: Counter, predicted: Counter) -> dict:
    """Return precision, recall and F1 of two multisets."""
    hit = sum((expected & predicted).values())
    p = hit / sum(predicted.values()) if predicted else 1.0
    r = hit / sum(expected.values()) if expected else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "expected": sum(expected.values()),
            "predicted": sum(predicted.values()), "matched": hit}


def evaluate(folder: Path) -> dict:
    """Return the scores of one corpus part and the texts that differ."""
    # both read the ledger's models: `main` runs django.setup() before calling this
    from pledgewatch.press.extract import extract, prepare  # noqa: PLC0415 (needs django.setup() first)
    from pledgewatch.press.pillars import default_rules  # noqa: PLC0415 (needs django.setup() first)

    rules = default_rules()
    expected_all: dict[str, Counter] = {}
    predicted_all: dict[str, Counter] = {}
    misses = []
    for path, expected in corpus(folder):
        result = extract(prepare(path.read_bytes()), file=path.name, rules=rules)
        ek, pk = keys(expected), keys(result)
        for name in ek:
            expected_all.setdefault(name, Counter()).update(ek[name])
            predicted_all.setdefault(name, Counter()).update(pk[name])
        if ek != pk or expected["language"] != result["language"]:
            misses.append({"file": path.name, "differs": [n for n in ek if Counter(ek[n]) != Counter(pk[n])]})
    scores = {name: prf(expected_all[name], predicted_all[name]) for name in expected_all}
    return {"texts": len(corpus(folder)), "scores": scores, "differences": misses}


def report(root: Path) -> dict:
    """Return the scores of the tuned and held-out parts under root."""
    return {part: evaluate(root / part) for part in PARTS if (root / part).is_dir()}


def as_markdown(results: dict) -> str:
    """Return the scores as a Markdown table."""
    lines = ["| part | texts | measure | precision | recall | F1 | matched/expected/predicted |",
             "|---|---|---|---|---|---|---|"]
    for part, data in results.items():
        for name, s in data["scores"].items():
            lines.append(f"| {part} | {data['texts']} | {name} | {s['precision']} | {s['recall']} | {s['f1']} | "
                         f"{s['matched']}/{s['expected']}/{s['predicted']} |")
    for part, data in results.items():
        for miss in data["differences"]:
            lines.append(f"\n- {part}: `{miss['file']}` differs in {', '.join(miss['differs'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    root = Path(args[0] if args else "tests/fixtures/press")
    results = report(root)
    print(json.dumps(results, ensure_ascii=False, indent=1) if as_json else as_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
