"""Where an IATI import's CPU goes, stage by stage, as ratios to the bare iterparse of the same files.

    .venv/bin/python bench/iati/stages.py                  # 10k bench corpus (bench/iati/corpus.py)
    .venv/bin/python bench/iati/stages.py --size 100000

Each line adds one stage of a reader process (`import iati --jobs`) to the one before, in one process:
the bare iterparse (the baseline of bench/iati/run.py), the fingerprint (SHA-256 of each activity's
XML), the activity's plain tree (`iati.tree`), `parser.read_activity`, `mapping.plan`, `writer.complete`
(what the importing process needs besides the plan, the JSON of the activity's data), and the pickling of
what a reader sends. Then an import with `--jobs 1` into a fresh SQLite database (in this process), with
the CPU of the database's own work measured apart: the `executemany` runs and the commits. That part and
the iterparse are the floor of an import that writes these rows; the rest is the Python work of reading,
mapping and preparing rows. The stages take turns `--repeat` times; each keeps its lowest CPU time. Results go to
bench/results/iati-stages.md and .json.
"""

import argparse
import gc
import hashlib
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "iati"))
sys.path.insert(0, str(ROOT))

STAGES = ["iterparse", "+ fingerprint", "+ plain tree only", "+ read_activity (its tree included)", "+ mapping.plan",
          "+ writer.complete", "+ pickle"]


def reader_stages(files: list[Path], depth: int) -> float:
    """Return the CPU seconds of the first `depth + 1` stages over the files."""
    from lxml import etree

    from pledgewatch.iati import tree
    from pledgewatch.iati.mapping import plan
    from pledgewatch.iati.parser import SAFE, peek, read_activity
    from pledgewatch.iati.writer import complete

    known = _iso_codes()  # the ledger's countries: ISO 3166-1 (the database is made later)
    started = time.process_time()
    for path in files:
        with open(path, "rb") as f:
            head = peek(f, path.name)
        for _event, elem in etree.iterparse(str(path), events=("end",), tag="iati-activity", **SAFE):
            if depth >= 1:
                fingerprint = hashlib.sha256(etree.tostring(elem)).hexdigest()
            if depth == 2:
                tree.tree(elem)
            if depth >= 3:
                a = read_activity(elem, 1, head, fingerprint=fingerprint)
            if depth >= 4:
                p = plan(a, known)
            if depth >= 5:
                complete(p, a, head.version, False)
            if depth >= 6:
                pickle.dumps((a, p), protocol=pickle.HIGHEST_PROTOCOL)
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return time.process_time() - started


def _iso_codes() -> frozenset:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def import_with_database_split(folder: Path) -> dict:
    """Import the folder with --jobs 1 into a fresh SQLite database; return CPU seconds, all and database's own."""
    from django.core.management import call_command
    from django.db import connections

    from pledgewatch.iati import bulk
    from pledgewatch.iati.importer import Importer

    call_command("migrate", verbosity=0)
    spent = {"insert": 0.0, "params": 0.0, "commit": 0.0}
    wrapper = type(connections["default"])
    originals = {"commit": (wrapper, "_commit"), "insert": (bulk.Table, "insert"), "params": (bulk.Table, "params")}

    def timed(name, function):
        def run(*args, **kwargs):
            t = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t
        return run

    saved = {name: getattr(owner, attr) for name, (owner, attr) in originals.items()}
    for name, (owner, attr) in originals.items():
        setattr(owner, attr, timed(name, saved[name]))
    try:
        started = time.process_time()
        summary = Importer(jobs=1).run([str(folder)])
        total = time.process_time() - started
    finally:
        for name, (owner, attr) in originals.items():
            setattr(owner, attr, saved[name])
    # Table.insert = its parameters (Python) + one executemany (SQLite's own work)
    spent["executemany"] = spent["insert"] - spent["params"]
    return {"cpu_seconds": round(total, 3), "executemany": round(spent["executemany"], 3),
            "commit": round(spent["commit"], 3), "activities": summary.activities}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000, help="activities in the corpus (default 10000)")
    parser.add_argument("--work", default="/tmp/pledgewatch-bench-iati", help="folder of the corpus")
    parser.add_argument("--repeat", type=int, default=5, help="runs per stage; the lowest CPU is kept")
    parser.add_argument("--out", default="iati-stages", help="results name under bench/results/")
    args = parser.parse_args()
    from corpus import generate

    folder = Path(args.work) / f"corpus-{args.size}"
    files = generate(args.size, folder)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/stages.sqlite3"
        os.environ.setdefault("PLEDGEWATCH_DATA_DIR", tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
        import django

        django.setup()
        from pledgewatch.iati import tree

        gc.freeze()  # as the reader processes do after start-up
        reader_stages(files, 0)  # warm up: the files in the page cache, lazy imports done
        # the stages take turns, so that a slower spell of a shared machine does not fall on one stage only
        best = [reader_stages(files, depth) for depth in range(len(STAGES))]
        for _ in range(args.repeat - 1):
            best = [min(cpu, reader_stages(files, depth)) for depth, cpu in enumerate(best)]
        stages = [{"stage": name, "cpu_seconds": round(cpu, 3)} for name, cpu in zip(STAGES, best, strict=True)]
        for s in stages:
            print(f"{s['stage']:20} {s['cpu_seconds']:7.3f} s CPU  {s['cpu_seconds'] / best[0]:5.2f}× iterparse")
        db = import_with_database_split(folder)
    base = stages[0]["cpu_seconds"]
    own = round(db["executemany"] + db["commit"], 3)
    print(f"import --jobs 1      {db['cpu_seconds']:7.3f} s CPU  {db['cpu_seconds'] / base:5.2f}× iterparse "
          f"(database's own work {own} s = {own / base:.2f}×)")
    results = {"machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
               "date": time.strftime("%Y-%m-%d"), "load_average_1min": round(os.getloadavg()[0], 1),
               "command": " ".join([".venv/bin/python", "bench/iati/stages.py", *sys.argv[1:]]),
               "size": args.size, "compiled_tree": tree.COMPILED, "stages": stages, "import_jobs1_sqlite": db}
    write(results, args.out)


def write(results: dict, name: str) -> None:
    out = ROOT / "bench" / "results"
    (out / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    base = results["stages"][0]["cpu_seconds"]
    db = results["import_jobs1_sqlite"]
    own = db["executemany"] + db["commit"]
    lines = ["# IATI import: CPU by stage", "",
             f"Machine: {results['machine']}. Date: {results['date']}. Load average (1 min) at the end: "
             f"{results['load_average_1min']}. Compiled tree: {results['compiled_tree']}.",
             f"Command: `{results['command']}` ({results['size']:,} activities; see bench/iati/stages.py).", "",
             "Each stage adds to the one above, in one process; lowest CPU of the runs.", "",
             "| stage | CPU s | × iterparse | this stage alone |", "|---|---:|---:|---:|"]
    previous = 0.0
    for s in results["stages"]:
        cpu = s["cpu_seconds"]
        lines.append(f"| {s['stage']} | {cpu} | {cpu / base:.2f} | {cpu - previous:+.3f} s |")
        if "only" not in s["stage"]:  # read_activity builds the tree itself: it follows the fingerprint line
            previous = cpu
    lines += ["", f"Import with `--jobs 1` into a fresh SQLite database, in one process: {db['cpu_seconds']} s CPU "
              f"= {db['cpu_seconds'] / base:.2f}× iterparse, of which the database's own work (executemany "
              f"{db['executemany']} s + commits {db['commit']} s) = {own:.3f} s = {own / base:.2f}×."]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
