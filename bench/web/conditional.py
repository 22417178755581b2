"""Server CPU per request: a conditional request answered 304, a page served from the page cache, a full render.

Usage: flock /tmp/pw-bench.lock nice -n 0 .venv/bin/python bench/web/conditional.py [--backend sqlite]
       [--requests 2000] [--reuse]

Starts `pledgewatch serve` (1 worker, 1 thread, so one process does all the work) on the demo ledger of
bench/web/spike.py (`--reuse`: the database an earlier spike run left), sends the requests one after another on
one keep-alive connection and divides the server process's user+system CPU time (/proc/PID/stat) by their
number. Results: bench/results/spike-conditional.json and .md.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spike

PAGES = {"overview": "/?lang=en", "list": "/commitments/?country=UZ&lang=en", "detail": "/commitments/1/?lang=en",
         "progress API": spike.PROGRESS + "?lang=en"}


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def per_request(pids: list[int], path: str, n: int, headers: dict) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", spike.PORT, timeout=60)
    before = cpu_seconds(pids)
    statuses = set()
    for _ in range(n):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        statuses.add(response.status)
    return round((cpu_seconds(pids) - before) / n * 1000, 3), sorted(statuses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        spike.prepare(args.backend)
    proc = subprocess.Popen([str(Path(spike.PYTHON).parent / "pledgewatch"), "serve", "--host", "127.0.0.1",
                             "--port", str(spike.PORT), "--workers", "1", "--threads", "1"],
                            env=spike.env_for(args.backend), cwd=spike.ROOT, stdout=subprocess.DEVNULL)
    try:
        time.sleep(1)
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", spike.PORT, timeout=1).request("GET", spike.STATIC)
                break
            except OSError:
                time.sleep(0.1)
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
        pids = [int(p) for p in out.split()]  # the worker (the arbiter does no request work)
        rows = {}
        for name, path in PAGES.items():
            conn = http.client.HTTPConnection("127.0.0.1", spike.PORT, timeout=60)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            etag = response.getheader("ETag")
            n = args.requests
            rows[name] = {"304": per_request(pids, path, n, {"If-None-Match": etag}) if etag else None,
                          "cached": per_request(pids, path, n, {}),
                          "static": per_request(pids, spike.STATIC, n, {})}
            print(name, json.dumps(rows[name]), flush=True)
        report = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "backend": args.backend,
                  "revision": spike.git_revision(), "requests": args.requests, "load": os.getloadavg()[0],
                  "ms_cpu_per_request": rows}
        (spike.RESULTS / "spike-conditional.json").write_text(json.dumps(report, indent=1) + "\n")
        lines = ["# Server CPU per request (one gunicorn worker, one thread)", "",
                 f"{report['when']}, revision {report['revision']}, {args.backend}, {args.requests} requests each, "
                 f"load average {report['load']:.2f} (2 cores shared).", "",
                 "| page | 304 (If-None-Match) | from the page cache | static file |", "|---|---|---|---|"]
        for name, r in rows.items():
            lines.append(f"| {name} | {r['304'][0] if r['304'] else '—'} ms | {r['cached'][0]} ms | "
                         f"{r['static'][0]} ms |")
        (spike.RESULTS / "spike-conditional.md").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
