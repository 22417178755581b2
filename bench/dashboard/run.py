"""Measure how long each dashboard page takes to build and render, in process, on a synthetic ledger.

Usage: .venv/bin/python bench/dashboard/run.py [--size 10000] [--requests 20] [--keep]

A fresh SQLite ledger of --size commitments is made with bench/web/generate.py (the CA+JAD seed plus
generated commitments and transactions). Each page is requested once cold (first request after the
ledger changed: progress and the progress series are computed) and then --requests times warm through
Django's test client (no HTTP, no server: this isolates the pages' own work). Figures are printed as
ratios against the smallest API answer (/api/v1/initiatives) measured in the same run, and as
milliseconds. Server-level latency with concurrent clients on SQLite and PostgreSQL is bench/web's job.
Results: bench/results/dashboard.md and .json.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "initiatives API (baseline)"
PAGES = {
    BASELINE: "/api/v1/initiatives",
    "overview /": "/",
    "overview JSON /index.json": "/index.json",
    "commitments list": "/commitments/",
    "filtered list (KG, grant)": "/commitments/?country=KG&instrument=grant",
    "full-text search": "/commitments/?q=bridge",
    "commitment detail": "/commitments/{id}/",
    "country page": "/countries/UZ/",
    "countries": "/countries/",
    "pillar page": "/initiatives/ca-jad-tokyo-initiative/pillars/connectivity/",
    "organisations": "/organisations/",
    "rules": "/rules/",
    "timeline": "/events/",
}


def prepare(size: int, workdir: Path) -> dict:
    """Migrate a fresh SQLite database in workdir and generate the ledger; return the generator's counts."""
    env = dict(os.environ, PLEDGEWATCH_DATA_DIR=str(workdir), DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
               PLEDGEWATCH_TODAY="2026-11-28")
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "-v0", "--settings=pledgewatch.settings"], env=env,
                   check=True, cwd=ROOT)
    out = subprocess.run([python, str(ROOT / "bench/web/generate.py"), "--size", str(size)], env=env, check=True,
                         cwd=ROOT, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def timed(client, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get(path, {"lang": "en"})
    return response.status_code, (time.perf_counter() - started) * 1000


def measure(client, path: str, requests: int) -> dict:
    status, cold = timed(client, path)
    samples = sorted(timed(client, path)[1] for _ in range(requests))
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"status": status, "cold_ms": round(cold, 1), "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(p95, 1), "n": len(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pw-dashboard-bench-"))
    started = time.perf_counter()
    counts = prepare(args.size, workdir)
    print(f"ledger of {args.size:,} commitments generated in {time.perf_counter() - started:.1f} s", flush=True)
    os.environ.update(PLEDGEWATCH_DATA_DIR=str(workdir), DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
                      PLEDGEWATCH_TODAY="2026-11-28", DJANGO_SETTINGS_MODULE="pledgewatch.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from pledgewatch.ledger.models import Commitment

    client = Client()
    detail = Commitment.objects.order_by("-pk").values_list("pk", flat=True).first()
    results = {}
    for name, path in PAGES.items():
        results[name] = measure(client, path.format(id=detail), args.requests)
        r = results[name]
        print(f"{name:30} cold {r['cold_ms']:>9} ms   warm p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms",
              flush=True)
    base = results[BASELINE]["p50_ms"] or 1
    for r in results.values():
        r["ratio_p50"] = round(r["p50_ms"] / base, 1)
    write(results, counts, args)
    if not args.keep:
        shutil.rmtree(workdir)


def write(results: dict, counts: dict, args) -> None:
    """Add this run to bench/results/dashboard.json (one entry per size) and rewrite dashboard.md from it."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "dashboard.json"
    runs = json.loads(path.read_text(encoding="utf-8"))["runs"] if path.exists() else {}
    runs[str(args.size)] = {"requests": args.requests, "machine": machine, "ledger": counts, "pages": results,
                            "date": time.strftime("%Y-%m-%d", time.gmtime())}
    path.write_text(json.dumps({"runs": runs}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["# Dashboard pages: build and render time", "",
             f"Machine: {machine} (the project's 2-core, 24 GiB box). In process through Django's test client "
             "(no HTTP server), one cold request then N warm ones per page; `bench/dashboard/run.py --size N`. "
             "Ratio: warm p50 against the smallest API answer (`/api/v1/initiatives`, the framework's floor) "
             "measured in the same run.", ""]
    for size, run in sorted(runs.items(), key=lambda kv: int(kv[0])):
        lines += [f"## {int(size):,} commitments ({run['ledger'].get('transactions', '?'):,} transactions), "
                  f"{run['requests']} warm requests, {run['date']}", "",
                  "| page | cold ms | warm p50 ms | warm p95 ms | p50 ÷ baseline |", "|---|---:|---:|---:|---:|"]
        for name, r in run["pages"].items():
            lines.append(f"| {name} | {r['cold_ms']} | {r['p50_ms']} | {r['p95_ms']} | {r['ratio_p50']} |")
        lines.append("")
    lines += ["Cold = the first request after the ledger changed. The overview then computes the progress series "
              "once per ledger version (shared by every server process through the aggregate table, like "
              "`totals.progress.cached_progress`); detail pages show 25 commitments and link to the filtered "
              "list, so they do not grow with the ledger. Latency under concurrent HTTP clients on SQLite and "
              "PostgreSQL is measured by `bench/web`.", ""]
    (out / "dashboard.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
