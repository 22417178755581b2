"""Score the press extractor per language on the real corpus (corpus/INDEX.tsv + gold.jsonl) and the fixtures.

Run: `.venv/bin/python bench/extract/real.py [--corpus DIR] [--texts DIR] [--slice dev1 …] [--out FILE]`

`--corpus` (default `<repo>/corpus`) holds INDEX.tsv and gold.jsonl; `--texts` (default
`$PLEDGEWATCH_CORPUS_TEXTS`, else `<corpus>/texts`) the texts as `<id>.txt`. Texts are third-party
and never committed: a text missing locally is listed under `missing` and counted apart, never
silently skipped. Scored as `press/evaluate.py` scores the fixtures: per commitment the tuple
(recipients, instrument, amount, currency), as multisets over all texts of a language; totals and
equivalents (amount, currency) are reported beside. `--fixtures` adds the project's own fixtures
(tests/fixtures/press) per language. Writes JSON to `--out` (or prints it).
"""

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
os.environ.setdefault("PLEDGEWATCH_DATA_DIR", "/tmp/pledgewatch-bench")


def index(corpus: Path) -> list[dict]:
    """Return the rows of INDEX.tsv as dicts."""
    lines = (corpus / "INDEX.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:] if line.strip()]


def gold(corpus: Path) -> dict[str, dict]:
    """Return {id: gold label} from gold.jsonl."""
    out = {}
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["id"]] = row
    return out


def tuples(result: dict) -> list[tuple]:
    """Return the scored tuple of every commitment: (recipients, instrument, amount, currency)."""
    return [(tuple(sorted(c["recipients"])), c["instrument"], (c["amount"] or {}).get("amount"),
             (c["amount"] or {}).get("currency")) for c in result["commitments"]]


def side_keys(result: dict) -> dict[str, list]:
    """Return the keys reported beside the tuples: totals and equivalents as (amount, currency)."""
    return {
        "totals": [(t["amount"]["amount"], t["amount"]["currency"]) for t in result.get("totals", [])],
        "equivalents": [_money(e) for c in result["commitments"] for e in c.get("equivalents", [])],
    }


def _money(equivalent: dict) -> tuple:
    """Return (amount, currency) of an equivalent, {"amount": {…}, "evidence": …} or the gold's flat form."""
    money = equivalent["amount"] if isinstance(equivalent["amount"], dict) else equivalent
    return money["amount"], money["currency"]


def prf(expected: Counter, predicted: Counter) -> dict:
    from pledgewatch.press.evaluate import prf as _prf

    return _prf(expected, predicted)


def read(path: Path) -> dict:
    """Return the extraction of one text, or an empty result with the reason it could not be read."""
    from pledgewatch.press.exceptions import PressError
    from pledgewatch.press.extract import extract, prepare
    from pledgewatch.press.pillars import default_rules

    try:
        return extract(prepare(path.read_bytes()), file=path.name, rules=default_rules())
    except PressError as exc:
        return {"language": None, "error": str(exc), "commitments": [], "totals": []}


def score(pairs: list[tuple[str, str, dict, dict]]) -> dict:
    """Return per-language scores of (id, language, gold, result) pairs and the texts that differ."""
    by_language: dict[str, dict[str, Counter]] = {}
    differences = []
    for text_id, language, expected, result in pairs:
        for lang in (language, "all"):
            bucket = by_language.setdefault(lang, {"texts": Counter(), "e": Counter(), "p": Counter(),
                                                    "te": Counter(), "tp": Counter(), "ee": Counter(),
                                                    "ep": Counter()})
            bucket["texts"]["n"] += 1
            bucket["e"].update(tuples(expected))
            bucket["p"].update(tuples(result))
            side_e, side_p = side_keys(expected), side_keys(result)
            bucket["te"].update(side_e["totals"])
            bucket["tp"].update(side_p["totals"])
            bucket["ee"].update(side_e["equivalents"])
            bucket["ep"].update(side_p["equivalents"])
        if Counter(tuples(expected)) != Counter(tuples(result)) or result.get("language") != language:
            differences.append({"id": text_id, "language_read": result.get("language"),
                                "error": result.get("error"),
                                "missed": sorted(map(str, (Counter(tuples(expected)) - Counter(tuples(result)))
                                                     .elements())),
                                "extra": sorted(map(str, (Counter(tuples(result)) - Counter(tuples(expected)))
                                                    .elements()))})
    scores = {lang: {"texts": b["texts"]["n"], "tuples": prf(b["e"], b["p"]), "totals": prf(b["te"], b["tp"]),
                     "equivalents": prf(b["ee"], b["ep"])} for lang, b in sorted(by_language.items())}
    return {"scores": scores, "differences": differences}


# Slices kept out of every run that does not name them: they are scored once, never tuned on (corpus/README.md)
HELD_OUT = {"dev4", "dev5"}


def real_corpus(corpus: Path, texts: Path, slices: list[str] | None) -> dict:
    """Return the scores on the real corpus (per language), with the texts missing locally.

    Without `slices`, every slice but the held-out ones; a held-out slice is scored only when named.
    """
    labels = gold(corpus)
    slices = slices or sorted({r["slice"] for r in index(corpus)} - HELD_OUT)
    pairs, missing = [], []
    for row in index(corpus):
        if row["slice"] not in slices:
            continue
        path = texts / f"{row['id']}.txt"
        if row["id"] not in labels:
            continue
        if not path.exists():
            missing.append(row["id"])
            continue
        pairs.append((row["id"], row["language"], labels[row["id"]], read(path)))
    out = score(pairs)
    out["missing"] = missing
    out["slices"] = slices
    return out


def fixtures() -> dict:
    """Return the scores on the project's own fixtures (tests/fixtures/press), per language."""
    from pledgewatch.press.evaluate import corpus as fixture_corpus

    pairs = []
    for part in sorted(p for p in (ROOT / "tests" / "fixtures" / "press").iterdir() if p.is_dir()):
        for path, expected in fixture_corpus(part):
            pairs.append((f"{part.name}/{path.name}", expected["language"], expected, read(path)))
    return score(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--texts", type=Path, default=None)
    parser.add_argument("--slice", action="append", dest="slices")
    parser.add_argument("--fixtures", action="store_true", help="also score tests/fixtures/press")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    texts = args.texts or Path(os.environ.get("PLEDGEWATCH_CORPUS_TEXTS") or args.corpus / "texts")
    import django

    django.setup()
    started = time.perf_counter()
    result = {"command": "bench/extract/real.py " + " ".join(sys.argv[1:] if argv is None else argv)}
    if (args.corpus / "INDEX.tsv").exists():
        result["real"] = real_corpus(args.corpus, texts, args.slices)
    else:
        result["real"] = {"error": f"no {args.corpus / 'INDEX.tsv'}"}
    if args.fixtures:
        result["fixtures"] = fixtures()
    result["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    summary = {part: {lang: s["tuples"]["f1"] for lang, s in result[part]["scores"].items()}
               for part in ("real", "fixtures") if part in result and "scores" in result[part]}
    print(json.dumps(summary) if args.out else text)
    if result["real"].get("missing"):
        print(f"missing locally: {', '.join(result['real']['missing'])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
