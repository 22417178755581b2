"""Backup and restore of a synthetic ledger: time, file size and peak memory, SQLite → PostgreSQL → SQLite.

Usage: .venv/bin/python bench/backup/run.py [--sizes 10000,100000] [--postgres postgres://postgres@127.0.0.1:5432]

For each size: a SQLite database with the seed and N generated commitments (bench/web/generate.py) →
`pledgewatch backup` → `pledgewatch restore` into a new PostgreSQL database → `pledgewatch backup` from it.
Baselines measured in the same run: `pg_dump -Fc` and `pg_restore` of the same PostgreSQL database, and the
peak memory at the smallest size (memory must not grow with the database). Writes bench/results/backup.md
and .json.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
MEASURE = ("import resource, sys\nfrom pledgewatch.cli import main\nrc = main(sys.argv[1:])\n"
           "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(rc)")


def run(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run a command; return (seconds, peak RSS in KiB or 0, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS")), 0)
    return seconds, rss, done.stdout


def cli(words: list[str], env: dict) -> tuple[float, int, str]:
    return run([PY, "-c", MEASURE, *words], env)


def sql(pg: str, statement: str) -> None:
    subprocess.run(["psql", "-q", f"{pg}/postgres", "-c", statement], check=True, capture_output=True)


def fresh_database(pg: str, name: str) -> None:
    sql(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(pg, f'CREATE DATABASE "{name}"')


def one_size(size: int, pg: str, work: Path) -> dict:
    base = {**os.environ, "PLEDGEWATCH_DATA_DIR": str(work), "PLEDGEWATCH_LANG": "en"}
    lite = {**base, "DATABASE_URL": f"sqlite:///{work / f'source-{size}.sqlite3'}"}
    name = f"pw_bench_backup_{size}"
    pgenv = {**base, "DATABASE_URL": f"{pg}/{name}"}
    cli(["migrate", "-v0"], lite)
    cli(["demo", "--no-serve"], lite)  # the seed and the bundled IATI history (history rows included)
    run([PY, "bench/web/generate.py", "--size", str(size)], lite)
    a, b, dump = work / f"a-{size}.zip", work / f"b-{size}.zip", work / f"pg-{size}.dump"
    r: dict = {"size": size}
    r["backup_sqlite_s"], r["backup_sqlite_rss_kib"], out = cli(["backup", str(a)], lite)
    r["rows"] = int(out.split(" tables, ")[1].split(" rows")[0])
    r["file_bytes"] = a.stat().st_size
    fresh_database(pg, name)
    try:
        r["restore_pg_s"], r["restore_pg_rss_kib"], _ = cli(["restore", str(a)], pgenv)
        r["backup_pg_s"], r["backup_pg_rss_kib"], _ = cli(["backup", str(b)], pgenv)
        r["pg_dump_s"] = run(["pg_dump", "-Fc", "-f", str(dump), f"{pg}/{name}"], base)[0]
        r["pg_dump_bytes"] = dump.stat().st_size
        fresh_database(pg, name)
        r["pg_restore_s"] = run(["pg_restore", "--no-owner", "-d", f"{pg}/{name}", str(dump)], base)[0]
    finally:
        sql(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    fresh = {**base, "DATABASE_URL": f"sqlite:///{work / f'restored-{size}.sqlite3'}"}
    r["restore_sqlite_s"], r["restore_sqlite_rss_kib"], _ = cli(["restore", str(b)], fresh)
    same = json.loads(subprocess.run([PY, "-c", (
        "import json, sys, zipfile\n"
        "m = [json.loads(zipfile.ZipFile(f).read('manifest.json')) for f in sys.argv[1:]]\n"
        "print(json.dumps([(t['rows'], t['sha256']) for t in m[0]['tables']] == "
        "[(t['rows'], t['sha256']) for t in m[1]['tables']]))"), str(a), str(b)],
        capture_output=True, text=True, check=True).stdout)
    r["sqlite_and_pg_backups_identical"] = same
    return r


def report(results: list[dict], load: str) -> str:
    first = results[0]
    lines = ["# Backup and restore", "",
             f"Machine: {os.cpu_count()} cores, x86_64, CPython {platform.python_version()}, PostgreSQL 15, "
             f"shared with other engineers' test runs (load average at the start: {load}).",
             "Command: `.venv/bin/python bench/backup/run.py` (seed + bundled IATI history + N generated "
             "commitments with transactions).", "",
             "| commitments | rows | zip MB | backup SQLite s | restore → PostgreSQL s (incl. migrate) | backup "
             "PostgreSQL s | pg_dump -Fc s | ratio backup/pg_dump | pg_restore s | restore → SQLite s (incl. "
             "migrate) | peak RSS MiB (backup, restore) | RSS vs smallest | SQLite and PostgreSQL backups identical |",
             "|" + "---|" * 13]
    for r in results:
        rss = max(r["backup_sqlite_rss_kib"], r["restore_pg_rss_kib"], r["backup_pg_rss_kib"],
                  r["restore_sqlite_rss_kib"])
        rss0 = max(first["backup_sqlite_rss_kib"], first["restore_pg_rss_kib"], first["backup_pg_rss_kib"],
                   first["restore_sqlite_rss_kib"])
        lines.append(
            f"| {r['size']:,} | {r['rows']:,} | {r['file_bytes'] / 1e6:.1f} | {r['backup_sqlite_s']:.1f} | "
            f"{r['restore_pg_s']:.1f} | {r['backup_pg_s']:.1f} | {r['pg_dump_s']:.1f} | "
            f"{r['backup_pg_s'] / r['pg_dump_s']:.1f}× | {r['pg_restore_s']:.1f} | {r['restore_sqlite_s']:.1f} | "
            f"{max(r['backup_sqlite_rss_kib'], r['backup_pg_rss_kib']) / 1024:.0f}, "
            f"{max(r['restore_pg_rss_kib'], r['restore_sqlite_rss_kib']) / 1024:.0f} | {rss / rss0:.2f}× | "
            f"{'yes' if r['sqlite_and_pg_backups_identical'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with tempfile.TemporaryDirectory(prefix="pw-bench-backup-") as tmp:
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(one_size(size, args.postgres.rstrip("/"), Path(tmp)))
            print(json.dumps(results[-1]), flush=True)
    text = report(results, load)
    print(text)
    out = ROOT / "bench" / "results"
    (out / "backup.md").write_text(text, encoding="utf-8")
    (out / "backup.json").write_text(json.dumps({"load": load, "results": results}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
