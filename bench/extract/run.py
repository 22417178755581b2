"""Benchmark the press extractor: texts per second on one core, start-up time, against plain Sudachi.

Run: `.venv/bin/python bench/extract/run.py [--texts 1000] [--repeat 3]`
Writes bench/results/extract.md and bench/results/extract.json.

The 1,000 texts are the corpus (tests/fixtures/press, Japanese, English and Russian, text and HTML) cycled;
each copy gets a distinct trailing line so no cache can help. The baseline, measured in the same
run on the same texts, is plain SudachiPy mode C tokenisation (what the extractor does first for
Japanese); the ratio says how much the rules cost on top of it.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
os.environ.setdefault("PLEDGEWATCH_DATA_DIR", "/tmp/pledgewatch-bench")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()} (pinned to 1 core; "
            f"load average {load:.1f} at the start)")


def texts(n: int) -> list[str]:
    from pledgewatch.press.extract import prepare

    files = sorted(p for p in (ROOT / "tests" / "fixtures" / "press").rglob("*")
                   if p.suffix in {".txt", ".html"})
    base = [prepare(p.read_bytes()) for p in files]
    return [base[i % len(base)] + f"\n({i})" for i in range(n)]


def startup() -> float:
    """Return seconds for a fresh process to import, load the dictionary and read one text."""
    code = ("import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pledgewatch.settings'); "
            "django.setup(); from pledgewatch.press.extract import extract; "
            "from pledgewatch.press.pillars import default_rules; "
            "extract('ウズベキスタンへの円借款（約213.68億円）', rules=default_rules()); "
            "extract('Япония предоставит Непалу грант в размере 1 млрд иен.', rules=default_rules())")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env={**os.environ})
    return time.perf_counter() - t


def timed(fn, items) -> float:
    t = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import django

    django.setup()
    from pledgewatch.press.extract import extract
    from pledgewatch.press.extract.tokenize import tokenizer
    from pledgewatch.press.pillars import default_rules

    starts = [startup() for _ in range(args.repeat)]
    sample = texts(args.texts)
    rules = default_rules()
    tok = tokenizer()
    extract(sample[0], rules=rules)  # warm: dictionary loaded, regexes compiled
    chars = sum(len(t) for t in sample)
    base_runs = [timed(tok.tokenize, sample) for _ in range(args.repeat)]
    runs = [timed(lambda t: extract(t, rules=rules), sample) for _ in range(args.repeat)]
    base, best = min(base_runs), min(runs)
    by_language = {}
    for code in ("ja", "en", "ru"):
        own = [t for t in sample if extract(t, rules=rules)["language"] == code]
        if own:
            seconds = min(timed(lambda t: extract(t, rules=rules), own) for _ in range(args.repeat))
            by_language[code] = {"texts": len(own), "texts_per_second": round(len(own) / seconds, 1)}
    result = {
        "machine": machine(), "texts": len(sample), "characters": chars, "repeat": args.repeat,
        "startup_seconds_median": round(statistics.median(starts), 3),
        "extract_seconds_best": round(best, 3), "extract_texts_per_second": round(len(sample) / best, 1),
        "sudachi_seconds_best": round(base, 3), "sudachi_texts_per_second": round(len(sample) / base, 1),
        "extract_over_sudachi_time_ratio": round(best / base, 2),
        "goal_texts_per_second": 200, "by_language": by_language,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    md = [
        "# Benchmark: press extraction", "",
        f"Machine: {result['machine']}. Command: `.venv/bin/python bench/extract/run.py --texts {len(sample)}`.",
        "", "| measure | value |", "|---|---|",
        f"| texts (fixtures cycled, ja+en+ru, text+HTML) | {len(sample)} ({chars:,} characters) |",
        f"| extraction, texts/s on one core (best of {args.repeat}) | **{result['extract_texts_per_second']}** "
        f"(goal ≥ 200) |",
        f"| baseline: plain Sudachi mode C tokenisation, texts/s | {result['sudachi_texts_per_second']} |",
        f"| extraction time ÷ tokenisation time | {result['extract_over_sudachi_time_ratio']}× |",
        f"| start-up: new process to first result, ja and ru (median of {args.repeat}) | "
        f"{result['startup_seconds_median']} s |",
        *[f"| {code} texts only ({v['texts']}), texts/s | {v['texts_per_second']} |"
          for code, v in by_language.items()],
        ""]
    (out / "extract.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
