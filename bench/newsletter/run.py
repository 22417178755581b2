"""Benchmark: messages/s to a loopback aiosmtpd sink, worker with all bookkeeping vs a plain smtplib loop.

Run: .venv/bin/python bench/newsletter/run.py            (10,000 members)
     .venv/bin/python bench/newsletter/run.py --large    (also 100,000 members)
     .venv/bin/python bench/newsletter/run.py --sizes 2000 --no-write   (quick look)
     BENCH_DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/newsletter/run.py   (PostgreSQL)
The baseline builds the same messages with the same renderer and sends them with smtplib.sendmail over one
connection, with no database work; the worker claims rows, sends with VERP and List-Unsubscribe headers,
stores every reply and marks each delivery sent. Both go to the same sink process in the same run.
Results: bench/results/newsletter.md and .json (newsletter_postgresql.* on PostgreSQL).
"""

import argparse
import json
import os
import platform
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup_django(workdir: Path, port: int) -> None:
    os.environ.update({"PLEDGEWATCH_DATA_DIR": str(workdir), "PLEDGEWATCH_SECRET_KEY": "bench",
                       "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'db.sqlite3'}",
                       "EMAIL_URL": f"smtp://127.0.0.1:{port}", "DJANGO_SETTINGS_MODULE": "pledgewatch.settings"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_issue(n: int):
    from django.utils import timezone

    from pledgewatch.newsletter import issues
    from pledgewatch.newsletter.models import Delivery, Issue, Member

    Delivery.objects.all().delete()
    Member.objects.all().delete()
    now = timezone.now()
    batch = []
    for i in range(n):
        batch.append(Member(email=f"member{i:06d}@example{i % 100}.org", language=("ja", "en", "ru")[i % 3],
                            confirmed_at=now, topics={"countries": ["UZ"]} if i % 4 == 0 else {}))
        if len(batch) == 5000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    items = [{"kind": "new_commitment", "commitment": k, "title": {"ja": f"案件 {k}", "en": f"Project {k}", "ru": ""},
              "stage": "signed", "path": f"/commitments/{k}/", "date": "2025-12-17",
              "amount": {"amount": "21368000000", "currency": "JPY", "qualifier": "up_to"},
              "tags": {"countries": ["UZ" if k % 2 else "KG"]}} for k in range(12)]
    issue = Issue.objects.create(until=now, content={"items": items, "progress": []})
    issues.queue_issue(issue)
    return issue


def baseline(issue, port: int) -> float:
    """Return seconds for a plain smtplib loop sending the same messages (same renderer, no bookkeeping)."""
    from pledgewatch.newsletter.models import Member
    from pledgewatch.newsletter.render import FastComposer, IssueRenderer

    renderer, composer = IssueRenderer(issue), FastComposer()
    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port)
    for member in Member.objects.order_by("id").iterator(chunk_size=2000):
        subject, text, html, _manage, unsub = renderer.for_member(member)
        data = composer.compose(to=member.email, subject_line=subject, text=text, html=html,
                                return_path="bounces@localhost", unsubscribe_url=unsub)
        smtp.sendmail("bounces@localhost", [member.email], data)
    smtp.quit()
    return time.perf_counter() - started


def worker_run(n: int) -> tuple[float, list[float]]:
    """Return seconds for the worker to send everything, and RSS samples (MB) along the way."""
    from pledgewatch.newsletter.worker import Worker

    samples: list[float] = []
    worker = Worker()
    every = max(n // 10, 1)
    original = worker.deliver

    def deliver(d):
        result = original(d)
        if worker.sent % every == 0:
            samples.append(round(rss_mb(), 1))
        return result

    worker.deliver = deliver
    started = time.perf_counter()
    sent = worker.run(until_idle=True, wait=0)
    elapsed = time.perf_counter() - started
    assert sent == n, f"worker sent {sent} of {n}"
    return elapsed, samples


def count_lines(path: Path) -> int:
    return sum(1 for _ in path.open()) if path.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also 100,000 members")
    parser.add_argument("--sizes", type=int, nargs="*", help="member counts (default 10000)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    sizes = args.sizes or ([10_000, 100_000] if args.large else [10_000])
    from tests.newsletter.crash import free_port

    workdir = Path(tempfile.mkdtemp(prefix="pw-bench-"))
    port = free_port()
    sink_file = workdir / "sink.txt"
    sink = subprocess.Popen([sys.executable, str(ROOT / "tests/newsletter/sink.py"), str(port), str(sink_file)],
                            stdout=subprocess.PIPE, text=True)
    assert sink.stdout.readline().strip() == "ready"
    setup_django(workdir, port)
    from django.db import connection

    rows = []
    try:
        for n in sizes:
            issue = make_issue(n)
            before = count_lines(sink_file)
            base_s = baseline(issue, port)
            work_s, rss = worker_run(n)
            time.sleep(0.5)
            received = count_lines(sink_file) - before
            row = {"members": n, "load_avg_1min": round(os.getloadavg()[0], 2),
                   "baseline_s": round(base_s, 2), "baseline_per_s": round(n / base_s, 1),
                   "worker_s": round(work_s, 2), "worker_per_s": round(n / work_s, 1),
                   "ratio": round(base_s / work_s, 3), "sink_received": received,
                   "rss_mb_samples": rss, "rss_growth_mb": round(rss[-1] - rss[0], 1) if rss else None}
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        sink.send_signal(signal.SIGINT)
        try:
            sink.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sink.kill()
            sink.wait()
    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, {connection.vendor}"
    result = {"machine": machine, "note": "2 cores, 24 GiB (project bench machine)", "rows": rows,
              "goal": "worker >= 50% of the baseline rate, memory flat"}
    if args.no_write:
        return
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "newsletter" if connection.vendor == "sqlite" else f"newsletter_{connection.vendor}"
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = ["# Newsletter sending benchmark", "", f"Machine: {machine}; 2 cores, 24 GiB.", "",
             "Baseline: plain smtplib loop, same messages (same renderer), one connection, no bookkeeping.",
             "Worker: `pledgewatch worker` code path: atomic claims, VERP, List-Unsubscribe, per-message "
             "UPDATE with the server's reply.", "",
             "The machine is shared with other work: the load average after each size is recorded.", "",
             "| members | baseline msg/s | worker msg/s | worker / baseline | RSS samples (MB) | load avg |",
             "|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append(f"| {r['members']:,} | {r['baseline_per_s']} | {r['worker_per_s']} | {r['ratio']:.0%} | "
                     f"{r['rss_mb_samples']} | {r.get('load_avg_1min', '')} |")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
