"""Benchmark: build time and page sizes of the shipped site plus a generated archive.

    .venv/bin/python tests/benchmarks/scale.py 1000 4000 [--repeat 3]

For each size, builds the project `repeat` times and reports the median build time, the time per
notice, and the median/average size of a notice page, with ratios against the first size (the
baseline, measured in the same run, so a noisy shared machine affects both alike).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from archive import add_archive, copy_project  # noqa: E402


def measure(notices: int, repeat: int) -> dict:
    project = copy_project(Path(tempfile.mkdtemp()) / "project")
    add_archive(project, notices)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(project)], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    sizes = [p.stat().st_size for p in (project / "site" / "gazette").glob("[0-9]*/[0-9]*/[0-9]*/index.html")]
    return {"notices": len(sizes), "build_s": statistics.median(times), "page_median": statistics.median(sizes),
            "page_mean": statistics.mean(sizes)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    results = [measure(n, args.repeat) for n in args.sizes]
    base = results[0]
    print(f"{'notices':>8} {'build s':>9} {'ms/notice':>10} {'page median B':>14} {'page mean B':>12} {'mean vs base':>13}")
    for r in results:
        print(f"{r['notices']:>8} {r['build_s']:>9.1f} {1000 * r['build_s'] / r['notices']:>10.1f} "
              f"{r['page_median']:>14,.0f} {r['page_mean']:>12,.0f} {r['page_mean'] / base['page_mean'] - 1:>+13.2%}")


if __name__ == "__main__":
    main()
