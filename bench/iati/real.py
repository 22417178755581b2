"""Benchmark the IATI import on a realistic corpus: the per-file rate from the first file to the last.

    flock /tmp/pw-bench.lock .venv/bin/python bench/iati/real.py --sizes 50000,100000
    .venv/bin/python bench/iati/real.py --sizes 5000 --per-file 500 --out iati-real-baseline

The corpus comes from `gen_iati_corpus.py` (a tool kept outside this repository, in the project's
shared folder; `--generator PATH`): it copies the real JICA activities with new identifiers and varied
amounts and leaves everything else as JICA published it, including the many near-identical yearly
programmes. Unlike bench/iati/run.py's corpus, it reaches the duplicate search: the database first gets
the demo ledger (`pledgewatch demo --no-serve`: the CA+JAD commitments entered from the press, and the
bundled JICA history), so that every imported activity that shares a recipient and instrument with a
press commitment is compared with the ledger.

For each size and backend: a fresh database, the demo data, then one `import iati` in its own process
that records the time of every file (progress callback). Reported: the per-file rate (activities/s)
of the first tenth of the files, the middle and the last tenth, and their ratio (flat = 1.0); the
import's wall and CPU seconds against the bare iterparse of the same files; peak RSS of the process
tree. Results go to bench/results/<out>.md and .json.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "iati"))
from run import TreeMemory, _memory, baseline, fresh_database, postgres_available  # noqa: E402

GENERATOR = Path("/work/shared/tools/gen_iati_corpus.py")
JICA = ROOT / "pledgewatch" / "iati" / "data" / "activities" / "jica-619-central-asia"

# runs in the import's own process: the importer with a progress callback that notes each file's end
DRIVER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
import django
django.setup()
from pledgewatch.iati.importer import Filters, Importer
from pledgewatch.ledger.audit import acting_as
marks = []
last = [0]
def progress(summary, name):
    marks.append([os.path.basename(name), summary.activities - last[0], time.monotonic()])
    last[0] = summary.activities
started = time.monotonic()
cpu = time.process_time()
with acting_as(reason="bench"):
    summary = Importer(Filters(), progress=progress, jobs=int(sys.argv[2])).run([sys.argv[1]])
print(json.dumps({"started": started, "marks": marks, "summary": summary.as_json()}))
"""


def generate(size: int, folder: Path, per_file: int, generator: Path) -> list[Path]:
    """Return the corpus's files, generating them with the shared generator when missing."""
    files = sorted(folder.glob("*.xml"))
    if len(files) == -(-size // per_file):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        f.unlink()
    if not generator.exists():
        raise SystemExit(f"{generator} is missing: give the corpus generator with --generator")
    subprocess.run([sys.executable, str(generator), str(JICA), str(folder), str(size), str(per_file)], check=True)
    return sorted(folder.glob("*.xml"))


def demo_database(backend: str, work: Path, name: str) -> dict:
    """Return the environment of a new database that holds the demo ledger."""
    env = fresh_database(backend, work, name, sqlite_file=f"{name}.sqlite3")
    subprocess.run([sys.executable, "-m", "pledgewatch.cli", "demo", "--no-serve"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def rates(data: dict) -> list[float]:
    """Return the activities per second of each file, from the driver's marks."""
    result, before = [], data["started"]
    for _name, n, at in data["marks"]:
        result.append(n / max(at - before, 1e-9))
        before = at
    return result


def tenth(values: list[float], where: str) -> float:
    """Return the rate over the first, middle or last tenth of the files (at least one file)."""
    k = max(1, len(values) // 10)
    part = {"first": values[:k], "last": values[-k:]}.get(where) or values[len(values) // 2 - k // 2:][:k]
    return round(sum(part) / len(part), 1)


def measure(backend: str, folder: Path, work: Path, name: str, jobs: int) -> dict:
    env = demo_database(backend, work, name)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(folder), str(jobs)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    memory = TreeMemory(proc.pid)
    memory.start()
    out = proc.stdout.read()
    memory.stop.set()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the import on {backend} failed")
    data = json.loads(out.strip().splitlines()[-1])
    per_file = rates(data)
    summary = data["summary"]
    return {"jobs": jobs, "wall_seconds": round(wall, 2), "import_seconds": summary["seconds"],
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mib": round(max(usage.ru_maxrss, memory.peak) / 1024, 1),
            "activities": summary["activities"], "errors": len(summary["errors"]),
            "rate_first_tenth": tenth(per_file, "first"), "rate_middle_tenth": tenth(per_file, "middle"),
            "rate_last_tenth": tenth(per_file, "last"), "per_file_rates": [round(r, 1) for r in per_file],
            "load_average_1min": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000", help="comma-separated corpus sizes (default 50000)")
    parser.add_argument("--per-file", type=int, default=1000, help="activities per file (default 1000)")
    parser.add_argument("--generator", type=Path, default=GENERATOR, help=f"corpus generator (default {GENERATOR})")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--jobs", type=int, default=2, help="processes of the import (`import iati --jobs`)")
    parser.add_argument("--out", default="iati-real", help="results name under bench/results/ (default iati-real)")
    parser.add_argument("--work", default="/tmp/pledgewatch-bench-iati-real", help="folder for corpora and databases")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (
        [] if args.no_postgres or not postgres_available() else ["postgresql"])
    results = {"machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
                          f"{_memory()}", "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "command": " ".join([".venv/bin/python", "bench/iati/real.py", *sys.argv[1:]]),
               "load_before": round(os.getloadavg()[0], 1), "sizes": {}}
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"corpus-{size}-{args.per_file}"
        files = generate(size, folder, args.per_file, args.generator)
        n, base, base_cpu = baseline(files)
        print(f"{n} activities, {len(files)} files, bare iterparse {base:.2f} s (CPU {base_cpu:.2f} s)", flush=True)
        entry = {"files": len(files), "activities": n, "baseline": {"seconds": round(base, 3),
                                                                    "cpu_seconds": round(base_cpu, 3)}}
        results["sizes"][str(size)] = entry
        for backend in backends:
            m = measure(backend, folder, work, f"pledgewatch_bench_real_{backend}", args.jobs)
            m["wall_ratio_to_baseline"] = round(m["import_seconds"] / base, 1)
            m["cpu_ratio_to_baseline"] = round(m["cpu_seconds"] / base_cpu, 1)
            m["last_over_first"] = round(m["rate_last_tenth"] / m["rate_first_tenth"], 2)
            entry[backend] = m
            print(f"  {backend:10} {m['import_seconds']:8.1f} s  files {m['rate_first_tenth']} -> "
                  f"{m['rate_middle_tenth']} -> {m['rate_last_tenth']} act/s  peak {m['peak_rss_mib']} MiB", flush=True)
            write(results, args.out)


def write(results: dict, name: str) -> None:
    out = ROOT / "bench" / "results"
    (out / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = ["# IATI import on the realistic corpus (gen_iati_corpus.py, into the demo ledger)", "",
             f"Machine: {results['machine']}. Date: {results['date']}. "
             f"Load average (1 min) before: {results['load_before']} (a machine shared with other work).",
             f"Command: `{results['command']}` (see bench/iati/real.py).", "",
             "Per-file rate: activities per second of each file, averaged over the first, middle and last tenth "
             "of the files; last/first = 1.0 is flat. × iterparse: the import's seconds (or CPU seconds of the "
             "import and its readers) over the bare iterparse of the same files.", "",
             "| activities | files | backend | jobs | rate first → middle → last tenth | last/first | import s | "
             "× iterparse | CPU s | CPU × iterparse | peak RSS | errors |",
             "|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for size, entry in results["sizes"].items():
        b = entry["baseline"]
        lines.append(f"| {int(size):,} | {entry['files']} | bare iterparse | – | – | – | {b['seconds']} | 1.0 | "
                     f"{b['cpu_seconds']} | 1.0 | – | – |")
        for backend in ("sqlite", "postgresql"):
            m = entry.get(backend)
            if m:
                lines.append(
                    f"| {int(size):,} | {entry['files']} | {backend} | {m['jobs']} | {m['rate_first_tenth']} → "
                    f"{m['rate_middle_tenth']} → {m['rate_last_tenth']} | {m['last_over_first']} | "
                    f"{m['import_seconds']} | {m['wall_ratio_to_baseline']} | {m['cpu_seconds']} | "
                    f"{m['cpu_ratio_to_baseline']} | {m['peak_rss_mib']} MiB | {m['errors']} |")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
