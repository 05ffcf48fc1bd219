"""Benchmark (issue 13): `check` of the shipped content against the same with a daily year of 250
issues (three-digit folders) and an issue of 400 notices, interleaved run by run.

    .venv/bin/python tests/benchmarks/daily.py [--repeat 5] [--build]

Reports the median time of each and the ratio to the shipped baseline measured in the same run (a
noisy shared machine affects both alike); with --build, the build too (once each: it is long).
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
from archive import add_daily_year, copy_project  # noqa: E402


def project(daily: bool) -> Path:
    root = copy_project(Path(tempfile.mkdtemp()) / "project")
    if daily:
        site = root / "content" / "site.yml"
        site.write_text(site.read_text(encoding="utf-8").replace("schedule: [1, 16]", "schedule: {daily: working-days}", 1),
                        encoding="utf-8")
        add_daily_year(root, 2025, 250, 120, 400)
    return root


def timed(root: Path, command: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", command, "-q", "--root", str(root)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    roots = {"shipped": project(False), "daily": project(True)}
    commands = ["check"] + (["build"] if args.build else [])
    for command in commands:
        times: dict[str, list[float]] = {name: [] for name in roots}
        for _ in range(args.repeat if command == "check" else 1):
            for name, root in roots.items():  # interleaved
                times[name].append(timed(root, command))
        base = statistics.median(times["shipped"])
        for name, found in times.items():
            median = statistics.median(found)
            print(f"{command:6} {name:8} median {median:6.2f} s of {len(found)}  x{median / base:5.2f} of shipped")


if __name__ == "__main__":
    main()
