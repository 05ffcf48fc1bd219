"""Benchmark: publishing one new issue (20 notices) on a built project, as an editor does (issue 12, goal 2).

    .venv/bin/python tests/benchmarks/new_issue.py PROJECT [--repeat 3] [--same-day]

PROJECT: a project built once by this code (``tests/benchmarks/archive.py 10000 --only-project --keep``
makes and keeps one; build it once with this code first: a new code version renders every page).
Each run adds the next issue (``tests/archive.py``'s ``add_next_issue``), commits it to the project's
git on the day after the commit before (so the footer's "last update" changes on every page, as it
does when an issue is published; ``--same-day``: no commit, the date stays), flushes the disk
(``sync``: the previous build's writes are not the next one's, as between two real issues), and
runs ``python -m generator build`` in a process of its own. Prints each run and the medians: wall
seconds, CPU seconds (user + system of every process of the build: workers, Pagefind, pandoc, rm,
the open data's validation), and the build's own stage times. The machine is shared: read the
CPU seconds beside the wall time, and the load average printed with each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_next_issue  # noqa: E402
from gitrepo import git  # noqa: E402

# tests/benchmarks/archive.py's measure(): wall, CPU and peak memory of a command, and the build's stage times
_spec = importlib.util.spec_from_file_location("archive_bench", Path(__file__).with_name("archive.py"))
assert _spec is not None and _spec.loader is not None
archive_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(archive_bench)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--same-day", action="store_true", help="no commit: the footer's date stays as it was")
    parser.add_argument("--serial", type=int, default=8_000_000, help="the new notices' first document number")
    args = parser.parse_args()
    project = args.project.resolve()
    committed = (project / ".git").is_dir() and not args.same_day
    runs = []
    for run in range(args.repeat):
        add_next_issue(project, serial=args.serial + 1000 * run)
        if committed:
            last = dt.datetime.fromisoformat(git(project, "log", "-1", "--format=%cI"))
            git(project, "add", "-A", "content")
            git(project, "commit", "-q", "-m", "a new issue", date=(last + dt.timedelta(days=1)).isoformat())
        subprocess.run(["sync"], check=True)
        load = os.getloadavg()[0]
        result = archive_bench.measure([sys.executable, "-m", "generator", "build", "--root", str(project)])
        runs.append(result)
        stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in result["stages"].items() if seconds >= 0.1)
        print(f"run {run + 1}: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s, peak {result['rss'] / 1e6:.0f} MB, "
              f"load before {load:.1f}; {stages}", flush=True)
    names = [name for name in runs[0]["stages"] if all(name in r["stages"] for r in runs)]
    print(f"\nmedians of {len(runs)} ({'a commit a day' if committed else 'the same day'}): "
          f"wall {statistics.median(r['wall'] for r in runs):.1f} s, CPU {statistics.median(r['cpu'] for r in runs):.1f} s; "
          + ", ".join(f"{name} {statistics.median(r['stages'][name] for r in runs):.1f}" for name in names))


if __name__ == "__main__":
    main()
