"""Crash run: 10,000 members, kill -9 the worker at random moments five times, restart, then check.

Run: .venv/bin/python bench/newsletter/crash.py [--members N] [--kills K] [--seed S]
Writes bench/results/newsletter_crash.json and .md (DATABASE_URL=postgres://… runs it on PostgreSQL).
"""

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from tests.newsletter.crash import postgres_database, run_crash

    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20251220)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    db = postgres_database(url, "pledgewatch_crash_bench") if url.startswith("postgres") else None
    result = run_crash(Path(tempfile.mkdtemp(prefix="pw-crash-")), args.members, args.kills,
                       delay=(0.2, 5.0), database_url=db, seed=args.seed)
    result["database"] = "postgresql" if db else "sqlite"
    result["machine"] = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    result["ok"] = (result["unique"] == args.members and result["duplicates"] <= result["kills"]
                    and result["status"]["sent"] == args.members)
    print(json.dumps(result, indent=2))
    if args.no_write:
        return
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "newsletter_crash" + ("_postgres" if db else "")
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / f"{name}.md").write_text("\n".join([
        f"# Newsletter crash run ({result['database']})", "",
        f"Machine: {result['machine']}; 2 cores, 24 GiB.", "",
        f"- members: {result['members']:,}",
        f"- worker killed with SIGKILL: {result['kills']} times (messages received at each kill: "
        f"{result['kill_points']})",
        f"- messages received by the sink: {result['received']:,}; distinct deliveries: {result['unique']:,}",
        f"- duplicates: {result['duplicates']} (allowed: at most one per kill)",
        f"- deliveries by state afterwards: {result['status']}",
        f"- time: prepare {result['prepare_s']} s, send with kills and restarts {result['send_s']} s",
        f"- result: {'PASS' if result['ok'] else 'FAIL'}", ""]))


if __name__ == "__main__":
    main()
