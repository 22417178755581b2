"""Spike benchmark: many keep-alive clients on the public pages, against a static file of the same server.

Usage (wrk is Debian's package: `apt-get install -y wrk`; never installed by CI):
    flock /tmp/pw-bench.lock nice -n 0 .venv/bin/python bench/web/spike.py --label after \
        [--backends sqlite,postgres] [--clients 16,64] [--seconds 60] [--no-writes] [--redis redis://127.0.0.1:6379/9]

For each backend: a fresh database (SQLite file under $PLEDGEWATCH_BENCH_DIR, or the PostgreSQL database of
`PLEDGEWATCH_SPIKE_PG`, default postgres://postgres@127.0.0.1:5432/pledgewatch_spike), the demo ledger
(`pledgewatch demo --no-serve`: the CA+JAD initiative and JICA's IATI history),
`pledgewatch serve --workers 2 --threads 4`; with `--redis URL` both processes share that Redis database as their
page cache (`REDIS_URL`, as docs/deploy.md advises for several processes; it is emptied first), otherwise each keeps
its pages in its own memory.
A warm-up fetches every path on 8 connections at once (every process renders every page once). Then, for each
number of clients, with wrk (the mix for --seconds with 64 clients or more, half as long
below; the other runs a quarter, at least 10 s) (keep-alive connections, one thread per 16 clients):
  1. the static stylesheet `/static/pledgewatch/dashboard.css` (the baseline, same server, same run);
  2. the mix, weighted like real traffic: overview 40 % (ja, en, ru), lists 25 % (filters, pages),
     commitment detail pages 20 % (every commitment, page and .json twin), the progress API 15 %;
  3. each of the four kinds alone (its own rate against the static one);
and then, for each number of clients, the mix again (as long as above) while a writer changes one counted
commitment every second (an ORM save, as the admin does) and four checker connections poll its `.json` twin and
the progress API: the lag from each commit to the last checker seeing it (or a later write), and any answer
older than one a checker saw before (check_writes).
Results: bench/results/spike-<label>.json and .md (requests/s, p50/p95/p99 ms, errors, ratio to static,
machine load average before and after each run: the 2 cores are shared with other engineers' work).
"""

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
WORK = Path(os.environ.get("PLEDGEWATCH_BENCH_DIR", "/tmp/pw-spike-i18"))
PG_URL = os.environ.get("PLEDGEWATCH_SPIKE_PG", "postgres://postgres@127.0.0.1:5432/pledgewatch_spike")
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
from bench.web.run import wait_for_port  # noqa: E402

PORT = int(os.environ.get("PLEDGEWATCH_SPIKE_PORT", "8108"))
STATIC = "/static/pledgewatch/dashboard.css"
SLUG = "ca-jad-tokyo-initiative"
PROGRESS = f"/api/v1/initiatives/{SLUG}/progress"
WATCHED = 1  # the commitment the writer changes (the demo's 21.368 billion yen loan, counted)

KINDS = {  # kind: (weight in the mix, paths); {id} is replaced by every commitment id
    "overview": (40, ["/", "/?lang=en", "/?lang=ru", f"/initiatives/{SLUG}/"]),
    "list": (25, ["/commitments/", "/commitments/?country=UZ", "/commitments/?instrument=loan&lang=en",
                  "/commitments/?page=2", "/commitments/?stage=signed&lang=ru", "/commitments.json?country=KG"]),
    "detail": (20, ["/commitments/{id}/", "/commitments/{id}.json"]),
    "progress API": (15, [PROGRESS, PROGRESS + "?lang=en"]),
}

LUA = r"""
local paths = {%(paths)s}
local n = #paths
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 1000)
request = function()
  return wrk.format("GET", paths[math.random(n)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50": %%.3f, "p95": %%.3f, ' ..
    '"p99": %%.3f, "max": %%.3f, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
"""

WRITER = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
import django; django.setup()
from decimal import Decimal
from pledgewatch.ledger.models import Commitment
c = Commitment.objects.get(pk={pk})
base = c.amount
start = time.time()
for i in range(1, {n} + 1):
    time.sleep(max(0.0, start + i - time.time()))
    c.amount = base + i
    c.save()  # signals refresh the outcome and bump the ledger version, as an admin edit does
    print(json.dumps({{"amount": str(c.amount.quantize(Decimal(1))), "at": time.time()}}), flush=True)
"""


REDIS: list[str] = []  # the page cache's Redis URL (--redis), when given


def env_for(backend: str) -> dict:
    env = dict(os.environ, PLEDGEWATCH_DATA_DIR=str(WORK / backend), PLEDGEWATCH_TODAY="2026-11-28",
               PLEDGEWATCH_DEBUG="", PLEDGEWATCH_LOG_LEVEL="ERROR")
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    if REDIS:
        env["REDIS_URL"] = REDIS[0]
    env["DATABASE_URL"] = PG_URL if backend == "postgres" else f"sqlite:///{WORK / backend / 'spike.sqlite3'}"
    return env


def prepare(backend: str) -> None:
    """Create a fresh database and load the demo ledger into it."""
    env = env_for(backend)
    (WORK / backend).mkdir(parents=True, exist_ok=True)
    if backend == "postgres":
        name = PG_URL.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{WORK / backend / 'spike.sqlite3'}{suffix}").unlink(missing_ok=True)
    if REDIS:
        import redis

        redis.Redis.from_url(REDIS[0]).flushdb()
    subprocess.run([str(Path(PYTHON).parent / "pledgewatch"), "demo", "--no-serve"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def start_server(backend: str) -> subprocess.Popen:
    proc = subprocess.Popen([str(Path(PYTHON).parent / "pledgewatch"), "serve", "--host", "127.0.0.1", "--port",
                             str(PORT), "--workers", "2", "--threads", "4"], env=env_for(backend), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return wait_for_port(proc, PORT)


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def commitment_ids() -> list[int]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    ids, page = [], 1
    while True:
        status, body = fetch(conn, f"/api/v1/commitments?page={page}")
        items = json.loads(body)["results"] if status == 200 else []
        ids += [item["id"] for item in items]
        if len(items) < 50:
            return ids
        page += 1


def paths_of(kind: str, ids: list[int]) -> list[str]:
    out = []
    for path in KINDS[kind][1]:
        out += [path.format(id=i) for i in ids] if "{id}" in path else [path]
    return out


def mix(ids: list[int]) -> list[str]:
    """Return a list of paths in which each kind's share of entries is its weight (paths of a kind cycled)."""
    out = []
    for kind, (weight, _paths) in KINDS.items():
        paths = paths_of(kind, ids)
        out += [paths[i % len(paths)] for i in range(weight * 20)]
    return out


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def wrk(paths: list[str], clients: int, seconds: int) -> dict:
    """Run wrk with `clients` keep-alive connections over `paths` (picked at random); return its summary."""
    body = ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": body})
    load_before = load_average()
    out = subprocess.run(["wrk", "-t", str(max(1, clients // 16)), "-c", str(clients), "-d", f"{seconds}s",
                          "--timeout", "30s", "-s", script.name, f"http://127.0.0.1:{PORT}"],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rate"] = round(result["requests"] / result["seconds"], 1)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["load"] = [load_before, load_average()]
    return result


def check_writes(backend: str, seconds: int, checkers: int = 4) -> dict:
    """Write once a second for `seconds`; return how long until every checker saw each write.

    Each checker polls the watched commitment's `.json` twin and the progress API on one keep-alive connection
    and notes, per poll, the newest write both answers show (the detail's amount, and the counted total moved by
    the same difference). A write counts as seen by a checker at the end of its first poll that shows it or a
    later one (amounts only grow), so a write overtaken by the next one before a checker polled still gets a
    lag (up to the moment the newer one was seen); the lag of a write is the longest over the checkers, from the
    writer's commit. `stale` counts polls that showed an older write than an earlier poll of the same checker.
    """
    writer = subprocess.Popen([PYTHON, "-c", WRITER.format(root=str(ROOT), pk=WATCHED, n=seconds)],
                              env=env_for(backend), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    stop = threading.Event()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    counted0 = Decimal(json.loads(fetch(conn, PROGRESS)[1])["counted"]["amount"])
    amount0 = Decimal(json.loads(fetch(conn, f"/api/v1/commitments/{WATCHED}")[1])["amount"]["amount"])
    seen: list[list[tuple[float, int]]] = [[] for _ in range(checkers)]  # (time, newest write shown) per poll
    stale, errors = [0] * checkers, [0] * checkers

    def checker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        newest = 0
        while not stop.is_set():
            try:
                _status, detail = fetch(conn, f"/commitments/{WATCHED}.json")
                _status2, progress = fetch(conn, PROGRESS)
                shown_detail = Decimal(json.loads(detail)["commitment"]["money"]["amount"]) - amount0
                shown_progress = Decimal(json.loads(progress)["counted"]["amount"]) - counted0
            except (OSError, http.client.HTTPException, ValueError, KeyError):  # a timeout or an error page
                errors[n] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                continue
            shown = int(min(shown_detail, shown_progress))
            if shown < newest:
                stale[n] += 1
            newest = max(newest, shown)
            seen[n].append((time.time(), shown))
            time.sleep(0.01)

    threads = [threading.Thread(target=checker, args=(n,), daemon=True) for n in range(checkers)]
    for t in threads:
        t.start()
    written = [json.loads(line) for line in writer.stdout]
    writer.wait()
    time.sleep(2)
    stop.set()
    for t in threads:
        t.join(timeout=35)
    lags, missed = [], 0
    for i, event in enumerate(written, start=1):
        firsts = [next((at for at, shown in polls if shown >= i and at >= event["at"] - 0.001), None)
                  for polls in seen]
        if None in firsts:
            missed += 1
        else:
            lags.append(max(firsts) - event["at"])
    ordered = sorted(lags)

    def pct(q: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else None

    return {"writes": len(written), "missed": missed, "stale": sum(stale), "checker_errors": sum(errors),
            "polls": sum(len(polls) for polls in seen), "over_1s": sum(1 for lag in lags if lag > 1.0),
            "lag_p50_ms": pct(0.5), "lag_p99_ms": pct(0.99),
            "lag_max_ms": round(ordered[-1] * 1000, 1) if ordered else None}


def warm_up(paths: list[str], connections: int = 8) -> None:
    """Fetch every path on each of several connections at once, so that every server process (each keeps its
    own pages unless they share Redis) has rendered every page before the runs, as on a site that has been up
    for a while; a keep-alive connection stays with one process."""
    def one(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        for i in range(len(paths)):
            fetch(conn, paths[(i + offset) % len(paths)])
        conn.close()

    threads = [threading.Thread(target=one, args=(n * len(paths) // connections,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run_backend(backend: str, clients_list: list[int], seconds: int, writes: bool) -> dict:
    prepare(backend)
    server = start_server(backend)
    try:
        ids = commitment_ids()
        warm_up(sorted({*mix(ids), STATIC}))
        out: dict = {"commitments": len(ids), "runs": {}}
        for clients in clients_list:
            short = max(10, seconds // 4)
            mixed = seconds if clients >= 64 else seconds // 2  # the spike itself runs the full time
            run = {"static": wrk([STATIC], clients, short), "mix": wrk(mix(ids), clients, mixed)}
            for kind in KINDS:
                run[kind] = wrk(paths_of(kind, ids), clients, short)
            for result in run.values():
                result["ratio"] = round(result["rate"] / run["static"]["rate"], 3)
            out["runs"][str(clients)] = run
            print(backend, clients, json.dumps({k: (v["rate"], v["ratio"], v["errors"]) for k, v in run.items()}),
                  flush=True)
        for clients in clients_list if writes else ():
            mixed = seconds if clients >= 64 else seconds // 2
            result: dict = {}
            thread = threading.Thread(target=lambda: result.update(mix=wrk(mix(ids), clients, mixed)))  # noqa: B023
            thread.start()
            result["visibility"] = check_writes(backend, mixed - 5)
            thread.join()
            result["static"] = out["runs"][str(clients)]["static"]
            result["mix"]["ratio"] = round(result["mix"]["rate"] / result["static"]["rate"], 3)
            out.setdefault("writes", {})[str(clients)] = result
            print(backend, clients, "writes", json.dumps(result["visibility"]), result["mix"]["rate"], flush=True)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def git_revision() -> str:
    if os.environ.get("PLEDGEWATCH_SPIKE_REVISION"):  # a copy of another revision (git archive) has no .git
        return os.environ["PLEDGEWATCH_SPIKE_REVISION"]
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip() + ("+dirty" if subprocess.run(
                              ["git", "status", "--porcelain", "pledgewatch"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() else "")


def markdown(report: dict) -> str:
    lines = [f"# Spike benchmark: {report['label']}", "",
             f"{report['when']}, revision {report['revision']}, {report['machine']}; `{report['command']}`; "
             f"page cache: {report.get('page_cache', 'local memory of each process')}.",
             "Load average before/after each run in the last column (2 cores shared with other engineers' work).", ""]
    for backend, data in report["backends"].items():
        lines += [f"## {backend} ({data['commitments']} commitments)", ""]
        for clients, run in data["runs"].items():
            lines += [f"### {clients} keep-alive clients", "",
                      "| | requests/s | × static | p50 ms | p95 ms | p99 ms | errors | requests | load |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for name, r in run.items():
                lines.append(f"| {name} | {r['rate']:,} | {r['ratio']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                             f"{r['p99']:.1f} | {r['errors']} | {r['requests']:,} | {r['load'][0]} → {r['load'][1]} |")
            lines.append("")
        for clients, writes in data.get("writes", {}).items():
            w, m = writes["visibility"], writes["mix"]
            lines += [f"### the mix with one write per second, {clients} keep-alive clients", "",
                      f"mix {m['rate']:,} requests/s ({m['ratio']} × static), p50/p95/p99 {m['p50']:.1f} / "
                      f"{m['p95']:.1f} / {m['p99']:.1f} ms, {m['errors']} errors; {w['writes']} writes, "
                      f"{w['missed']} not seen by every checker by the end; lag until the last of 4 checkers saw a "
                      f"write (or a later one): p50 {w['lag_p50_ms']} ms, p99 {w.get('lag_p99_ms')} ms, max "
                      f"{w['lag_max_ms']} ms, {w.get('over_1s')} writes over 1 s; {w.get('stale')} stale answers "
                      f"(older than one seen before) in {w.get('polls')} polls, {w.get('checker_errors')} failed "
                      "polls.", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--clients", default="16,64")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--no-writes", action="store_true")
    parser.add_argument("--redis", default="", help="a Redis URL shared by the server processes as page cache")
    args = parser.parse_args()
    REDIS[:] = [args.redis] if args.redis else []
    report = {"label": args.label, "when": datetime.now(UTC).isoformat(timespec="seconds"),
              "revision": git_revision(), "command": " ".join(sys.argv),
              "page_cache": f"Redis ({args.redis})" if args.redis else "local memory of each process",
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
              "backends": {}}
    for backend in args.backends.split(","):
        report["backends"][backend] = run_backend(backend, [int(c) for c in args.clients.split(",")],
                                                  args.seconds, not args.no_writes)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"spike-{args.label}.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / f"spike-{args.label}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
