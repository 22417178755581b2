"""bench/load keeps working: its --smoke mode (8 clients, 5 s, 2,000 commitments, SQLite) ends with no error.

The smoke run starts its own `pledgewatch serve` on its own SQLite ledger, whatever the test database is.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.client import LANGUAGES, Mix  # noqa: E402


def first_kinds(clients: int, seed: int = 20251220) -> set[str]:
    """Return the kinds of the first request of each client (drawn before any full export is due)."""
    import random

    kinds = set()
    for number in range(clients):
        rng = random.Random(seed * 1000 + number)
        rng.choice(LANGUAGES)
        kinds.add(rng.choices(list(Mix.WEIGHTS), list(Mix.WEIGHTS.values()))[0])
    return kinds


def test_load_smoke_run_has_no_errors(tmp_path):
    env = {**os.environ, "PLEDGEWATCH_LOAD_DIR": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATABASE_REPLICA_URL", "PLEDGEWATCH_TEST_DB"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, str(ROOT / "bench/load/run.py"), "--smoke"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    overall = result["overall"]
    assert overall["errors"] == 0 and result["errors"] == [], result["errors"]
    assert overall["n"] >= 8 and set(result["statuses"]) == {"200"}
    assert result["config"] == {"backend": "sqlite", "size": 2000, "clients": 8, "seconds": 5, "workers": 2,
                                "threads": 2, "full_export_every": 2}
    assert result["ledger"]["commitments"] == 2000
    warmed = [*Mix.WEIGHTS, "overview (ja)", "overview (en)", "overview (ru)"]
    assert {kind: w["statuses"] for kind, w in result["warm_up"].items()} == {kind: [200] for kind in warmed}
    assert result["kinds"]["csv (full export)"]["n"] >= 1  # the full export ran at least once
    assert result["kinds"]["csv (full export)"]["mb"] > 0.5
    assert first_kinds(clients=8) <= set(result["kinds"])
    assert result["server_processes"] == 3  # the gunicorn arbiter and 2 workers
    assert result["cpu_seconds"]["server"] > 0 and result["server_rss_mib"]["peak"] > 0
