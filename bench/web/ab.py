"""A/B benchmark in one run: the CSV export of a baseline revision against this tree, and the progress after a
write (full `progress()` against the stored outcomes), on the same ledger, in CPU seconds.

Usage: DATABASE_URL=... .venv/bin/python bench/web/ab.py [--baseline 692cfa4] [--rounds 3]
(the database holds a generated ledger: `bench/web/generate.py --size N`). CPU seconds, unlike wall-clock
time, barely grow when other work shares the cores; both are printed. Results: bench/results/web-ab.*.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results"

EXPORT = """
import datetime, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
import django; django.setup()
import hashlib, pledgewatch
assert pledgewatch.__path__[0].startswith({root!r})
from pledgewatch.exports.formats import FORMATS
from pledgewatch.exports.rows import Export
export = Export(language="en")
export.exported_at = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
digest, rows = hashlib.sha256(), 0
cpu, wall = time.process_time(), time.perf_counter()
for chunk in FORMATS["csv"].stream(export):
    digest.update(chunk)
    rows += chunk.count(b"\\n")
print(rows - 1, time.process_time() - cpu, time.perf_counter() - wall, digest.hexdigest())
"""

PROGRESS = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")
import django; django.setup()
import json
from decimal import Decimal
from pledgewatch.totals import outcomes
from pledgewatch.ledger.models import Commitment, Initiative
from pledgewatch.totals.progress import progress, progress_from_outcomes

def timed(f):
    cpu, wall = time.process_time(), time.perf_counter()
    value = f()
    return value, time.process_time() - cpu, time.perf_counter() - wall

initiative = Initiative.objects.get(slug="ca-jad-tokyo-initiative")
_, build_cpu, build_wall = timed(lambda: outcomes.rebuild(initiative))
out = {{"rebuild": [build_cpu, build_wall], "full": [], "save": [], "incremental": [], "equal": True}}
ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True)[100:100 + {rounds}])
for pk in ids:
    c = Commitment.objects.get(pk=pk)
    c.amount = (c.amount or Decimal(0)) + 1000
    c.qualifier = "exact"
    _, cpu, wall = timed(c.save)
    out["save"].append([cpu, wall])
    fast, cpu, wall = timed(lambda: progress_from_outcomes(initiative))
    out["incremental"].append([cpu, wall])
    full, cpu, wall = timed(lambda: progress(initiative))
    out["full"].append([cpu, wall])
    out["equal"] = out["equal"] and fast == full
print(json.dumps(out))
"""


def run(code: str) -> str:
    return subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PLEDGEWATCH_TODAY="2026-11-28")).stdout.strip().splitlines()[-1]


def export_ab(baseline: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", baseline, "pledgewatch"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        result = {}
        for name, root in (("baseline", tmp), ("this tree", str(ROOT))):
            rows, cpu, wall, digest = run(EXPORT.format(root=root)).split()
            result[name] = {"rows": int(rows), "cpu_s": round(float(cpu), 2), "wall_s": round(float(wall), 2),
                            "sha256": digest}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="692cfa4", help="git revision of the baseline export code")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    export = export_ab(args.baseline)
    base, new = export["baseline"], export["this tree"]
    print(json.dumps(export), flush=True)
    prog = json.loads(run(PROGRESS.format(root=str(ROOT), rounds=args.rounds)))
    print(json.dumps(prog), flush=True)

    def best(pairs: list) -> tuple[float, float]:
        return min(p[0] for p in pairs), min(p[1] for p in pairs)

    full, inc, save = best(prog["full"]), best(prog["incremental"]), best(prog["save"])
    machine = (f"{os.cpu_count()} cores, x86_64, CPython {sys.version.split()[0]}; shared with other engineers' "
               f"work (load average at the end {[round(x, 1) for x in os.getloadavg()]})")
    lines = [
        "# bench/web A/B: export and progress after a write, same ledger, same run", "",
        f"Run {started} on `{os.environ.get('DATABASE_URL', 'sqlite (default)').split('@')[-1]}`; {machine}. "
        f"Command: `DATABASE_URL=… .venv/bin/python bench/web/ab.py --baseline {args.baseline} "
        f"--rounds {args.rounds}`.", "",
        "## Full CSV export (in process, no HTTP)", "",
        "| code | rows | CPU s | rows per CPU-second | wall s |", "|---|---|---|---|---|",
        f"| baseline `{args.baseline}` | {base['rows']:,} | {base['cpu_s']} | {base['rows'] / base['cpu_s']:,.0f} | "
        f"{base['wall_s']} |",
        f"| this tree | {new['rows']:,} | {new['cpu_s']} | {new['rows'] / new['cpu_s']:,.0f} | {new['wall_s']} |", "",
        f"Speed-up (CPU): **{base['cpu_s'] / new['cpu_s']:.2f}×**. Same bytes: "
        f"{'yes' if base['sha256'] == new['sha256'] else 'NO'} (sha256 {new['sha256'][:16]}…).", "",
        "## Progress right after one commitment is saved", "",
        "| step | best CPU s | best wall s |", "|---|---|---|",
        f"| baseline: `progress()` over every commitment | {full[0]:.3f} | {full[1]:.3f} |",
        f"| save (signals recompute that commitment's outcome) | {save[0]:.3f} | {save[1]:.3f} |",
        f"| `progress_from_outcomes()` (running totals) | {inc[0]:.3f} | {inc[1]:.3f} |",
        f"| one-off rebuild of every outcome | {prog['rebuild'][0]:.2f} | {prog['rebuild'][1]:.2f} |", "",
        f"Speed-up of the read after a write (CPU): **{full[0] / inc[0]:.0f}×**; equal to `progress()`: "
        f"{'yes' if prog['equal'] else 'NO'} (every round).", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web-ab.md").write_text("\n".join(lines) + "\n")
    (RESULTS / "web-ab.json").write_text(json.dumps({"date": started, "machine": machine, "export": export,
                                                     "progress": prog}, indent=1) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
