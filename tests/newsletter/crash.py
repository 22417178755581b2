"""Crash harness: send an issue to N members while kill -9-ing the worker at random moments, then check.

Used by tests/newsletter/test_crash.py (bounded N) and bench/newsletter/crash.py (10,000 members).
Everything runs in real processes: an aiosmtpd sink, the `pledgewatch` CLI and workers.
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.throwaway import postgres_database, sqlite_database  # noqa: F401 (postgres_database: used by callers)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    def __init__(self, workdir: Path, *, database_url: str | None = None, extra_env: dict | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.sink_file = self.workdir / "sink.txt"
        self.env = {**os.environ, "PLEDGEWATCH_DATA_DIR": str(self.workdir), "PLEDGEWATCH_LANG": "en",
                    "PLEDGEWATCH_SECRET_KEY": "crash-test-secret", "EMAIL_URL": f"smtp://127.0.0.1:{self.port}",
                    "DATABASE_URL": database_url or sqlite_database(self.workdir),
                    "PLEDGEWATCH_MAIL_LEASE": "600", "PYTHONPATH": str(ROOT), **(extra_env or {})}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.sink: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run([PYTHON, "-m", "pledgewatch.cli", *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"pledgewatch {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def start_sink(self) -> None:
        self.sink = subprocess.Popen([PYTHON, str(ROOT / "tests" / "newsletter" / "sink.py"), str(self.port),
                                      str(self.sink_file)], env=self.env, stdout=subprocess.PIPE, text=True)
        assert self.sink.stdout.readline().strip() == "ready"

    def stop_sink(self) -> None:
        if self.sink is not None:
            self.sink.send_signal(signal.SIGINT)
            try:
                self.sink.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.sink.kill()
                self.sink.wait()

    def sunk(self) -> list[str]:
        if not self.sink_file.exists():
            return []
        return [line.split()[0] for line in self.sink_file.read_text().splitlines() if line.strip()]

    def prepare(self, n: int) -> int:
        csv_path = self.workdir / "members.csv"
        with csv_path.open("w", encoding="utf-8") as out:
            out.write("email,language,topics\n")
            for i in range(n):
                out.write(f"member{i:06d}@example{i % 50}.org,{('ja', 'en', 'ru')[i % 3]},\n")
        self.cli("newsletter", "members", "import", str(csv_path), "--confirmed")
        issue_id = self.cli("newsletter", "issue", "create").strip().splitlines()[-1]
        self.cli("newsletter", "issue", "send", issue_id)
        return int(issue_id)

    def worker(self) -> subprocess.Popen:
        return subprocess.Popen([PYTHON, "-m", "pledgewatch.cli", "worker", "--until-idle", "--wait", "3"],
                                env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_crash(workdir: Path, n: int, kills: int = 5, *, delay: tuple[float, float] = (0.05, 0.3),
              database_url: str | None = None, seed: int | None = None) -> dict:
    """Send to n members, kill -9 the worker `kills` times at random moments; return the figures."""
    import json

    rng = random.Random(seed)
    h = Harness(workdir, database_url=database_url)
    h.start_sink()
    started = time.monotonic()
    try:
        issue_id = h.prepare(n)
        prepared = time.monotonic()
        done_kills, kill_points = 0, []
        for _k in range(kills):
            before = len(h.sunk())
            proc = h.worker()
            deadline = time.monotonic() + 60
            while len(h.sunk()) == before and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)  # wait until this worker is sending
            time.sleep(rng.uniform(*delay))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                done_kills += 1
                kill_points.append(len(h.sunk()))
            proc.wait()
        final = h.worker()
        _out, err = final.communicate(timeout=600)
        if final.returncode:
            raise RuntimeError(f"final worker failed: {err.decode()}")
        finished = time.monotonic()
        status = json.loads(h.cli("newsletter", "status", str(issue_id), "--format", "json"))
    finally:
        h.stop_sink()
    ids = h.sunk()
    counts = Counter(ids)
    return {
        "members": n, "kills": done_kills, "kill_points": kill_points,
        "received": len(ids), "unique": len(counts), "duplicates": len(ids) - len(counts),
        "status": status["counts"], "issue_state": status["state"],
        "prepare_s": round(prepared - started, 2), "send_s": round(finished - prepared, 2),
    }
