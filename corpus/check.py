"""Check the development corpus: the index, the gold labels and the local texts agree.

Run from the repository root: ``python corpus/check.py``.  Texts are read from
``PLEDGEWATCH_CORPUS_TEXTS`` or ``corpus/texts/`` (both outside git); a missing text
is reported, not fatal, unless ``--strict`` is given.
"""

import argparse
import csv
import json
import os
import re
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "slice", "language", "date", "url", "publisher", "kind", "recipients", "query", "corpus"]
LANGUAGES = {"ja", "en", "ru"}
KINDS = {
    "exchange_of_notes",
    "loan_agreement",
    "grant_agreement",
    "jica_release",
    "embassy",
    "partner_government",
    "news",
    "other",
}
INSTRUMENTS = {"loan", "grant", "technical_cooperation", "investment", "guarantee", "other"}
QUALIFIERS = {"exact", "approx", "up_to", "at_least"}
BLIND = {"KZ", "KG", "TJ", "TM", "UZ"}


def texts_dir():
    """Return the folder the texts are read from."""
    return Path(os.environ.get("PLEDGEWATCH_CORPUS_TEXTS") or HERE / "texts")


def check_money(money, where, errors):
    """Append an error for each way ``money`` breaks the gold schema."""
    if money is None:
        return
    if set(money) != {"amount", "currency", "qualifier"}:
        errors.append(f"{where}: money keys {sorted(money)}")
        return
    try:
        ok = re.fullmatch(r"\d+(\.\d+)?", money["amount"]) and Decimal(money["amount"]) > 0
    except (InvalidOperation, TypeError):
        ok = False
    if not ok:
        errors.append(f"{where}: amount {money['amount']!r} is not a positive decimal string")
    if not re.fullmatch(r"[A-Z]{3}", str(money["currency"])):
        errors.append(f"{where}: currency {money['currency']!r}")
    if money["qualifier"] not in QUALIFIERS:
        errors.append(f"{where}: qualifier {money['qualifier']!r}")


def check_gold(line_no, gold, errors):
    """Append an error for each way one gold object breaks the schema."""
    where = f"gold.jsonl:{line_no} ({gold.get('id')})"
    if set(gold) != {"id", "language", "commitments", "totals"}:
        errors.append(f"{where}: keys {sorted(gold)}")
        return
    for n, item in enumerate(gold["commitments"]):
        at = f"{where} commitment {n}"
        if set(item) != {"recipients", "instrument", "amount", "equivalents", "title"}:
            errors.append(f"{at}: keys {sorted(item)}")
            continue
        if not item["recipients"] or any(not re.fullmatch(r"[A-Z]{2}", r) for r in item["recipients"]):
            errors.append(f"{at}: recipients {item['recipients']}")
        if set(item["recipients"]) & BLIND:
            errors.append(f"{at}: a Central Asian recipient belongs to the blind evaluation")
        if item["instrument"] not in INSTRUMENTS:
            errors.append(f"{at}: instrument {item['instrument']!r}")
        check_money(item["amount"], at, errors)
        for eq in item["equivalents"]:
            check_money(eq, f"{at} equivalent", errors)
    for n, total in enumerate(gold["totals"]):
        at = f"{where} total {n}"
        check_money(total.get("amount"), at, errors)
        for eq in total.get("equivalents", []):
            check_money(eq, f"{at} equivalent", errors)


def main(argv=None):
    """Check the corpus files and print counts per language and slice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="a missing local text is an error")
    args = parser.parse_args(argv)
    errors, missing = [], []
    with open(HERE / "INDEX.tsv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != COLUMNS:
            errors.append(f"INDEX.tsv columns {reader.fieldnames}")
        rows = list(reader)
    index = {}
    for row in rows:
        if row["id"] in index:
            errors.append(f"INDEX.tsv: duplicate id {row['id']}")
        index[row["id"]] = row
        if row["language"] not in LANGUAGES or row["kind"] not in KINDS or row["corpus"] != "pages":
            errors.append(
                f"INDEX.tsv {row['id']}: language/kind/corpus {row['language']} {row['kind']} {row['corpus']}"
            )
        if row["date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]):
            errors.append(f"INDEX.tsv {row['id']}: date {row['date']!r}")
        if set(filter(None, row["recipients"].split(","))) & BLIND:
            errors.append(f"INDEX.tsv {row['id']}: a Central Asian recipient belongs to the blind evaluation")
        if not row["url"].startswith("http") or not row["query"]:
            errors.append(f"INDEX.tsv {row['id']}: url or query missing")
    gold_ids = set()
    counts = Counter()
    with open(HERE / "gold.jsonl", encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            try:
                gold = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"gold.jsonl:{line_no}: {exc}")
                continue
            check_gold(line_no, gold, errors)
            gid = gold.get("id")
            if gid in gold_ids:
                errors.append(f"gold.jsonl:{line_no}: duplicate id {gid}")
            gold_ids.add(gid)
            row = index.get(gid)
            if row is None:
                errors.append(f"gold.jsonl:{line_no}: id {gid} has no INDEX row")
                continue
            if row["language"] != gold.get("language"):
                errors.append(f"gold.jsonl:{line_no}: language differs from INDEX.tsv")
            key = (row["slice"], row["language"])
            counts[(*key, "texts")] += 1
            counts[(*key, "commitments")] += len(gold["commitments"])
            counts[(*key, "totals")] += len(gold["totals"])
            counts[(*key, "empty")] += not gold["commitments"]
    for gid in sorted(set(index) - gold_ids):
        errors.append(f"INDEX.tsv: id {gid} has no gold line")
    folder = texts_dir()
    for gid in sorted(index):
        if not (folder / f"{gid}.txt").is_file():
            missing.append(gid)
    print(f"{'slice':<6} {'lang':<4} {'texts':>5} {'commitments':>11} {'totals':>6} {'empty':>5}")
    for slice_, lang in sorted({k[:2] for k in counts}):
        c = [counts[(slice_, lang, m)] for m in ("texts", "commitments", "totals", "empty")]
        print(f"{slice_:<6} {lang:<4} {c[0]:>5} {c[1]:>11} {c[2]:>6} {c[3]:>5}")
    for lang in sorted(LANGUAGES):
        n = sum(v for k, v in counts.items() if k[1] == lang and k[2] == "texts")
        print(f"all    {lang:<4} {n:>5}")
    print(f"all    *    {len(index):>5}")
    if missing:
        print(
            f"{len(missing)} texts not found under {folder}: {' '.join(missing[:10])}"
            + (" …" if len(missing) > 10 else "")
        )
        if args.strict:
            errors.append("missing texts")
    for error in errors:
        print("ERROR", error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
