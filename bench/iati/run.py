"""Benchmark the IATI import: activities per second and peak memory on SQLite and PostgreSQL.

    .venv/bin/python bench/iati/run.py                 # 10k activities (a few minutes)
    .venv/bin/python bench/iati/run.py --sizes 10000,100000
    .venv/bin/python bench/iati/run.py --sizes 1000000 --no-postgres

For each size: a corpus generated from the real JICA files (bench/iati/corpus.py); a baseline that
only iterparses the same files (events "end" on iati-activity, clear); then, on a fresh database of
each backend, the first import, a re-import of the unchanged corpus (file hashes match) and a
re-import with the file records deleted (every activity is compared by fingerprint).
Each import runs as `pledgewatch import iati --jobs N` in its own process. CPU seconds are those of
that process and its reader processes (`--jobs`); peak RSS is the highest sum of the resident memory
of the process and its children, sampled every 0.2 s (and at least the process's own peak).
Results go to bench/results/iati.md and .json.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "iati"))
from corpus import generate  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/{name}"


def baseline(files: list[Path]) -> tuple[int, float, float]:
    """Return (activities, seconds, CPU seconds) of a plain iterparse of the files."""
    started, cpu = time.perf_counter(), time.process_time()
    n = 0
    for path in files:
        for _event, elem in etree.iterparse(str(path), events=("end",), tag="iati-activity"):
            n += 1
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return n, time.perf_counter() - started, time.process_time() - cpu


PARSE_AND_MAP = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
import django
django.setup()
from pathlib import Path
import pycountry
from pledgewatch.iati.mapping import plan
from pledgewatch.iati.parser import iter_batches, peek
known = {c.alpha_2 for c in pycountry.countries}
started = time.perf_counter()
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    with open(path, "rb") as f:
        head = peek(f, path.name)
        for batch in iter_batches(f, path.name, head, 500):
            for raw in batch:
                plan(raw.read(head), known)
print(time.perf_counter() - started)
"""


def parse_and_map(folder: Path) -> float:
    """Return the seconds to read and map every activity without writing (the import minus the database)."""
    out = subprocess.run([sys.executable, "-c", PARSE_AND_MAP, str(folder)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def _tree_rss(pid: int) -> int:
    """Return the resident memory in KiB of a process and its descendants (0 when it is gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(k) for k in f.read().split()]
    except (OSError, ValueError):
        return total
    return total + sum(_tree_rss(k) for k in kids)


class TreeMemory(threading.Thread):
    """Sample the summed RSS of a process tree until stopped; `peak` is the highest sum in KiB."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, _tree_rss(self.pid))


def command(env: dict, *args: str) -> tuple[dict | None, float, int, float]:
    """Run pledgewatch with args; return (JSON summary or None, wall seconds, peak RSS in KiB, CPU seconds).

    CPU seconds include the reader processes (they are waited for by the command); peak RSS is the
    highest sampled sum over the command and its children, or the command's own peak if that is higher.
    """
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pledgewatch.cli", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    memory = TreeMemory(proc.pid)
    memory.start()
    out = proc.stdout.read()
    memory.stop.set()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"pledgewatch {' '.join(args)} failed with status {proc.returncode}")
    try:
        summary = json.loads(out)
    except ValueError:
        summary = None
    return summary, wall, max(usage.ru_maxrss, memory.peak), usage.ru_utime + usage.ru_stime


def fresh_database(backend: str, work: Path, name: str, *, sqlite_file: str = "bench.sqlite3") -> dict:
    """Return the environment of a new, migrated database (a SQLite file in work, or PostgreSQL `name`)."""
    env = dict(os.environ, PLEDGEWATCH_DATA_DIR=str(work), PLEDGEWATCH_LANG="en")
    if backend == "sqlite":
        db = work / sqlite_file
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = PG.format(name=name)
    command(env, "migrate", "-v0")
    return env


def forget_files(env: dict) -> None:
    """Delete the file records so that the next import compares every activity's fingerprint."""
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pledgewatch.settings'); "
            "django.setup(); from pledgewatch.iati.models import ImportedFile; ImportedFile.objects.all().delete()")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def measure(size: int, backend: str, folder: Path, work: Path, base: float, name: str,
            base_cpu: float = 0.0, jobs: int = 2, labels=("first", "unchanged", "fingerprints")) -> dict:
    env = fresh_database(backend, work, f"pledgewatch_bench_{name.replace('-', '_')}")
    runs = {}
    for label in labels:
        if label == "fingerprints":
            forget_files(env)
        summary, wall, rss, cpu = command(env, "import", "iati", str(folder), "--no-progress", "--format", "json",
                                          "--jobs", str(jobs))
        seconds = summary["seconds"]
        runs[label] = {"seconds": round(seconds, 2), "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                       "load_average_1min": round(os.getloadavg()[0], 1),
                       "activities_per_s": round(size / seconds, 1), "peak_rss_mib": round(rss / 1024, 1),
                       "activities": summary["activities"], "errors": len(summary["errors"])}
        print(f"  {backend:8} {label:12} {seconds:8.2f} s  {size / seconds:9.1f} act/s  "
              f"peak {rss / 1024:6.1f} MiB  load {os.getloadavg()[0]:.1f}", flush=True)
    first = runs["first"]["seconds"]
    cpu_ratio = round(runs["first"]["cpu_seconds"] / base_cpu, 1) if base_cpu else None
    result = {"jobs": jobs, "runs": runs, "ratio_to_baseline": round(first / base, 1),
              "wall_ratio_to_baseline": round(runs["first"]["wall_seconds"] / base, 1),
              "cpu_ratio_to_baseline": cpu_ratio}
    for label, key in (("unchanged", "reimport_speedup"), ("fingerprints", "fingerprint_speedup")):
        if label in runs:
            result[key] = round(first / runs[label]["seconds"], 1)
    return result


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (default 10000)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--no-map", action="store_true", help="skip the read + fingerprint + map measurement")
    parser.add_argument("--out", default="iati", help="results name under bench/results/ (default iati)")
    parser.add_argument("--work", default="/tmp/pledgewatch-bench-iati", help="folder for corpora and databases")
    parser.add_argument("--jobs", type=int, default=2, help="processes of the import (`import iati --jobs`)")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--runs", default="first,unchanged,fingerprints",
                        help="imports to measure, in order (default first,unchanged,fingerprints)")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (
        [] if args.no_postgres or not postgres_available() else ["postgresql"])
    results = {"machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
                          f"{_memory()}", "date": time.strftime("%Y-%m-%d"), "sizes": {},
               "command": " ".join([".venv/bin/python", "bench/iati/run.py", *sys.argv[1:]]),
               "load_before": round(os.getloadavg()[0], 1)}
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"corpus-{size}"
        files = generate(size, folder)
        n, base, base_cpu = baseline(files)
        assert n == size, (n, size)
        print(f"{size} activities, {len(files)} files, baseline iterparse {base:.2f} s ({size / base:.0f} act/s, "
              f"CPU {base_cpu:.2f} s)")
        entry = {"files": len(files), "bytes": sum(f.stat().st_size for f in files),
                 "baseline": {"seconds": round(base, 3), "cpu_seconds": round(base_cpu, 3),
                              "activities_per_s": round(size / base, 1)}}
        if not args.no_map:
            mapped = parse_and_map(folder)
            print(f"  read, fingerprint and map without the database: {mapped:.2f} s ({mapped / base:.1f}× baseline)")
            entry["parse_and_map"] = {"seconds": round(mapped, 3), "activities_per_s": round(size / mapped, 1),
                                      "ratio_to_baseline": round(mapped / base, 1)}
        results["sizes"][str(size)] = entry
        for backend in backends:
            entry[backend] = measure(size, backend, folder, work, base, args.out, base_cpu, args.jobs,
                                     tuple(args.runs.split(",")))
            write(results, args.out)  # after each backend: a long run keeps what it measured


def _memory() -> str:
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        return f"{kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        return "memory unknown"


def write(results: dict, name: str = "iati") -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    loads = [r["load_average_1min"] for e in results["sizes"].values() for k, m in e.items()
             if isinstance(m, dict) and "runs" in m for r in m["runs"].values()]
    lines = ["# IATI import benchmark", "", f"Machine: {results['machine']}. Date: {results['date']}.",
             f"Load average (1 min) before the run: {results.get('load_before', '–')}.",
             f"Load average (1 min) at the end of the imports: {min(loads, default=0)}–{max(loads, default=0)} "
             "(the machine was shared with other work; ratios are measured in the same run).",
             f"Command: `{results.get('command', '.venv/bin/python bench/iati/run.py')}` (see bench/iati/run.py for "
             "what is measured).", "",
             "× baseline: the import's time (its own measure, without start-up) over the baseline's wall time; "
             "wall × baseline: the whole command's wall time. CPU × baseline: the CPU seconds (user + system) of "
             "the import process and its reader processes over the baseline's, which the load of a shared "
             "machine disturbs less than wall time (PostgreSQL's own CPU is not in it). Peak RSS: the highest "
             "sum over the import process and its readers.", "",
             "| activities | backend | jobs | first import | act/s | × baseline | wall × baseline | CPU s | "
             "CPU × baseline | peak RSS | re-import unchanged | speed-up | fingerprint re-import | speed-up |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, entry in results["sizes"].items():
        b = entry["baseline"]
        lines.append(f"| {int(size):,} | baseline iterparse | – | {b['seconds']} s | {b['activities_per_s']:,} | "
                     f"1.0 | 1.0 | {b['cpu_seconds']} | 1.0 | – | – | – | – | – |")
        pm = entry.get("parse_and_map")
        if pm:
            lines.append(f"| {int(size):,} | read + fingerprint + map, no database | 1 | {pm['seconds']} s | "
                         f"{pm['activities_per_s']:,} | {pm['ratio_to_baseline']} | – | – | – | – | – | – | – | – |")
        for backend in ("sqlite", "postgresql"):
            if backend not in entry:
                continue
            m = entry[backend]
            r = m["runs"]
            unchanged, fingerprints = r.get("unchanged", {}), r.get("fingerprints", {})
            lines.append(
                f"| {int(size):,} | {backend} | {m.get('jobs', 1)} | {r['first']['seconds']} s | "
                f"{r['first']['activities_per_s']:,} | {m['ratio_to_baseline']} | "
                f"{m.get('wall_ratio_to_baseline', '–')} | "
                f"{r['first']['cpu_seconds']} | {m.get('cpu_ratio_to_baseline') or '–'} | "
                f"{r['first']['peak_rss_mib']} MiB | {unchanged.get('seconds', '–')} s | "
                f"{m.get('reimport_speedup', '–')}× | {fingerprints.get('seconds', '–')} s | "
                f"{m.get('fingerprint_speedup', '–')}× |")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
