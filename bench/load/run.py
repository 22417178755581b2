"""Load test: 64 concurrent clients for 60 s against `pledgewatch serve` (several gunicorn workers) on loopback.

Usage: .venv/bin/python bench/load/run.py [--size 100000] [--backend postgres] [--clients 64] [--seconds 60]
       [--workers 4] [--threads 4] [--regenerate]
       .venv/bin/python bench/load/run.py --smoke     (8 clients, 5 s, 2,000 commitments, SQLite; prints JSON)

The ledger comes from bench/web's generator (`bench.web.run.prepare`, imported) into a database of its own
(PostgreSQL `pledgewatch_load`, or a SQLite file under PLEDGEWATCH_LOAD_DIR, default /tmp/pledgewatch-load);
it is generated once and kept for reruns (`--regenerate` makes it anew; migrations run every time).
The server is `pledgewatch serve --workers W --threads T` (gunicorn gthread). A warm-up request per kind
reaches every worker first (recorded apart). Then the clients (bench/load/client.py: asyncio, raw HTTP/1.1
keep-alive, one process) draw a realistic mix for the given time; every 20 s one of them downloads the full
CSV export. Any status outside 2xx/3xx or a connection error is an error and is listed. Reported: p50/p95/p99
per kind and overall, requests per second, the CPU used by the server, the PostgreSQL backends, the client
and the rest of the machine during the window, and the server's memory. Results: bench/results/load.md/.json
(not in --smoke mode).
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import report  # noqa: E402
from bench.load.client import Ledger, Plan, run_clients  # noqa: E402
from bench.web import generate as web_generate  # noqa: E402
from bench.web import run as web  # noqa: E402  (the ledger generator and the /proc helpers)

WORK = Path(os.environ.get("PLEDGEWATCH_LOAD_DIR", "/tmp/pledgewatch-load"))
PG_URL = os.environ.get("PLEDGEWATCH_LOAD_PG", "postgres://postgres@127.0.0.1:5432/pledgewatch_load")
SECRET = secrets.token_urlsafe(50)


NOTES = """
## How to read these figures

- Everything ran on one machine: the load client, gunicorn and PostgreSQL share its cores with whatever
  else runs there (other engineers' test suites during this run: see "other processes" above and the load
  average). Latencies are then dominated by waiting for a core, so they are an upper bound; the
  **CPU per request** (server and PostgreSQL CPU seconds during the window / requests completed in it) does
  not depend on the other work and gives the capacity estimate for dedicated cores.
- 64 clients with keep-alive connections and no think time keep every gunicorn thread busy: this is a
  saturation test (the rate the server sustains), not a model of 64 people reading.
- The mix per 100 requests: overview 15 (ja/en/ru), list with random filters and pages 20 (+3 as JSON),
  commitment 14, country 4, organisation 3, document 5, API progress 8, API list 8, API commitment 8,
  openapi.json 2, Atom feed with random filters 6, CSV export of a narrow filter (one country, one year) 4;
  plus a full CSV export (all commitments) every 20 s by one of the clients, at most one at a time (on this
  shared machine one took 77–82 s, so one full export ran per window).
- The warm-up sends each kind of request to every worker before the window; the first overview in a
  language computes that language's progress once (stored for every process), which is why the warm-up of
  the overview in ja and ru takes longer than in en; requests in the window never pay that computation.
- An error is any status outside 2xx/3xx, a connection error or a request over 120 s; the run lists them.
"""


def configure(backend: str, size: int) -> dict:
    """Point bench/web's helpers at this benchmark's own database; return the server's environment."""
    web.WORK, web.PG_URL = WORK, PG_URL
    env = web.env_for(backend, size)
    env.update(PLEDGEWATCH_SECRET_KEY=SECRET, PLEDGEWATCH_ALLOWED_HOSTS="127.0.0.1,localhost",
               PLEDGEWATCH_LOG_LEVEL="ERROR")
    env.pop("DATABASE_REPLICA_URL", None)
    return env


def ledger_ready(backend: str, size: int, env: dict, *, regenerate: bool) -> dict:
    """Generate the ledger unless a kept one of this size exists; migrate; return the generator's counts."""
    marker = WORK / f"ledger-{backend}-{size}.json"
    if marker.exists() and not regenerate:
        subprocess.run([web.PYTHON, "-m", "django", "migrate", "-v0", "--settings=pledgewatch.settings"], env=env,
                       check=True, cwd=ROOT)
        return {**json.loads(marker.read_text()), "kept": True}
    marker.unlink(missing_ok=True)
    counts = web.prepare(backend, size)
    marker.write_text(json.dumps(counts))
    return {**counts, "kept": False}


def describe_ledger(env: dict) -> Ledger:
    """Read the ids and slugs the clients need from the ledger database."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Max, Min

    from pledgewatch.ledger.models import Commitment, Document, Organisation, Pillar

    bounds = Commitment.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ledger = Ledger(commitment_ids=(bounds["low"], bounds["high"]),
                    document_ids=list(Document.objects.values_list("pk", flat=True)[:500]),
                    organisations=list(Organisation.objects.values_list("slug", flat=True)[:200]),
                    pillars=list(Pillar.objects.values_list("slug", flat=True)),
                    instruments=[v for v, _w in web_generate.INSTRUMENTS],
                    stages=[v for v, _w in web_generate.STAGES])
    from django.db import connections

    connections.close_all()
    return ledger


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    log = WORK / "serve.log"  # the server's messages (a pipe nobody reads could fill and stall it)
    with log.open("wb") as out:
        command = str(Path(sys.executable).parent / "pledgewatch")
        proc = subprocess.Popen([command, "serve", "--host", "127.0.0.1", "--port",
                                 str(port), "--workers", str(workers), "--threads", str(threads)],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            import http.client

            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer within 120 s")


def warm_up(port: int, ledger: Ledger, workers: int, *, together: bool = False) -> dict:
    """Send every kind of request (and the overview in each language) to every worker; return seconds per kind.

    Kind after kind (the slowest batch of each is its cold figure), or all kinds at once (`together`, smoke).
    """
    import random

    from bench.load.client import Mix

    mix, paths = Mix(ledger, random.Random(1)), {}
    while len(paths) < len(Mix.WEIGHTS):
        kind, path = mix.draw()
        paths.setdefault(kind, path)
    paths.update({f"overview ({lang})": f"/?lang={lang}" for lang in ("ja", "en", "ru")})
    plan = Plan("127.0.0.1", port, clients=workers * 2, seconds=0, ledger=ledger)
    if together:
        started = time.perf_counter()

        async def every_kind():
            return await asyncio.gather(*(_fetch_all(plan, path, workers * 2) for path in paths.values()))
        batches = asyncio.run(every_kind())
        seconds = round(time.perf_counter() - started, 2)
        return {kind: {"seconds": seconds, "statuses": sorted(set(statuses))}
                for kind, statuses in zip(paths, batches, strict=True)}
    timings = {}
    for kind, path in paths.items():
        started = time.perf_counter()
        statuses = asyncio.run(_fetch_all(plan, path, workers * 2))
        timings[kind] = {"seconds": round(time.perf_counter() - started, 2), "statuses": sorted(set(statuses))}
    return timings


async def _fetch_all(plan: Plan, path: str, n: int) -> list[int]:
    from bench.load.client import Connection

    async def one() -> int:
        conn = Connection(plan.host, plan.port)
        try:
            return (await asyncio.wait_for(conn.get(path, "en"), 300))[0]
        finally:
            await conn.close()
    return await asyncio.gather(*(one() for _ in range(n)))


def pg_backend_pids(env: dict) -> list[int]:
    if not env["DATABASE_URL"].startswith("postgres"):
        return []
    import psycopg

    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]


def machine_busy_seconds() -> float:
    """Return the CPU seconds the whole machine spent busy so far (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def _measured(plan: Plan, server: list[int], env: dict) -> dict:
    """Run the clients; sample the server's memory each second and the CPU at the start and end of the window."""
    pg_before = {pid: web.cpu_seconds([pid]) for pid in pg_backend_pids(env)}
    cpu0, client0, machine0 = web.cpu_seconds(server), time.process_time(), machine_busy_seconds()
    rss = []
    window = {}

    async def monitor() -> None:
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < plan.seconds:
            rss.append(web.rss_kib(server))
            await asyncio.sleep(min(1.0, max(plan.seconds - elapsed, 0.01)))
        pg_after = {pid: web.cpu_seconds([pid]) for pid in pg_backend_pids(env)}
        window.update(server_cpu_s=web.cpu_seconds(server) - cpu0, client_cpu_s=time.process_time() - client0,
                      machine_cpu_s=machine_busy_seconds() - machine0,
                      postgres_cpu_s=sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items()),
                      elapsed_s=time.perf_counter() - started)

    gathered = await asyncio.gather(run_clients(plan), monitor())
    window["client_cpu_total_s"] = time.process_time() - client0
    window["drain_s"] = time.perf_counter() - gathered[0] - plan.seconds
    window["rss_kib"] = rss
    return window


def run(args) -> dict:
    env = configure(args.backend, args.size)
    started = time.perf_counter()
    counts = ledger_ready(args.backend, args.size, env, regenerate=args.regenerate)
    prepared = round(time.perf_counter() - started, 1)
    ledger = describe_ledger(env)
    port = web.free_port()
    proc = start_server(env, port, args.workers, args.threads)
    try:
        server = web.server_pids(proc)
        warm = warm_up(port, ledger, args.workers, together=args.smoke)
        plan = Plan("127.0.0.1", port, clients=args.clients, seconds=args.seconds, ledger=ledger,
                    full_export_every=args.full_export_every)
        window = asyncio.run(_measured(plan, server, env))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    result = report.summarise(plan, window)
    result["server_log_tail"] = (WORK / "serve.log").read_text(errors="replace")[-2000:]
    result.update(config={k: getattr(args, k) for k in ("backend", "size", "clients", "seconds", "workers",
                                                        "threads", "full_export_every")},
                  ledger=counts, prepare_s=prepared, warm_up=warm, server_processes=len(server),
                  statuses=dict(Counter(s.status for s in plan.samples)))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="commitments in the generated ledger")
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--full-export-every", type=float, default=20, help="seconds between full CSV exports")
    parser.add_argument("--regenerate", action="store_true", help="generate the ledger again")
    parser.add_argument("--smoke", action="store_true", help="8 clients, 5 s, 2,000 commitments, SQLite; JSON out")
    args = parser.parse_args()
    if args.smoke:
        args.size, args.backend, args.clients, args.seconds = 2000, "sqlite", 8, 5
        args.workers, args.threads, args.full_export_every = 2, 2, 2
    result = report.stamp(run(args), " ".join([".venv/bin/python", "bench/load/run.py", *sys.argv[1:]]))
    if args.smoke:
        print(json.dumps(result, ensure_ascii=False))
        return 1 if result["overall"]["errors"] else 0
    report.write(result, NOTES)
    print(report.markdown(result))
    return 1 if result["overall"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
