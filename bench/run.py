"""Run every benchmark at its default (bounded) size: .venv/bin/python bench/run.py [AREA…]

Each area's script prints its figures as ratios against a baseline measured in the same run, plus
absolute numbers with the machine, and writes bench/results/<area>.md and .json.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS = ["extract", "iati", "newsletter", "dashboard", "web"]


def main(argv: list[str]) -> int:
    chosen = argv or AREAS
    unknown = [a for a in chosen if a not in AREAS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(AREAS)}", file=sys.stderr)
        return 2
    failed = []
    for area in chosen:
        print(f"== bench/{area}", flush=True)
        if subprocess.run([sys.executable, str(HERE / area / "run.py")], check=False).returncode != 0:
            failed.append(area)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
