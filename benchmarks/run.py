"""Run every benchmark, each in its own process (so each peak RSS is its own), and print their figures.

    python -m benchmarks.run           # full sizes
    python -m benchmarks.run --quick   # small sizes (a smoke run)
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["benchmarks.bench_nexus", "benchmarks.bench_screen", "benchmarks.bench_store", "benchmarks.bench_gleif",
              "benchmarks.bench_formats", "benchmarks.bench_resolve", "benchmarks.eval_resolve"]


def main() -> int:
    args = sys.argv[1:]
    worst = 0
    for module in BENCHMARKS:
        print(f"\n=== {module} {' '.join(args)}", flush=True)
        rc = subprocess.call([sys.executable, "-m", module, *args])
        worst = max(worst, rc)
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
