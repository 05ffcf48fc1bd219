"""Benchmark: a build after one new issue, and a build with nothing changed, by this code and by the
code of another commit, on copies of one built project, alternating (issue 12, goal 2).

    .venv/bin/python tests/benchmarks/rebuild.py PROJECT --before REV [--this REV] [--repeat 3]

PROJECT: a project built once (``tests/benchmarks/archive.py 10000 --only-project --keep`` prints
one). It is copied twice (``cp -a``: the site's hard links to the caches stay links), one copy per
code; each copy is built once by its code first (its caches become that code's), then, ``--repeat``
times and alternating between the two codes: a build with nothing changed, then one after a new
issue of 20 notices (``tests/archive.py``'s ``add_next_issue``, the same notices for both). Each
build runs in a process of its own; the table gives medians of the wall time and of each stage's
time (the build's own log lines), and the ratio of this code's median to the other's. The machine
is shared: run it when it is quiet, and read the ratios before the seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_next_issue  # noqa: E402

STAGE = re.compile(r"(?:checked|read|built and validated|built|typeset|validated|published) (.+?) in (\d+\.\d+) s$")
PAGES = re.compile(r"gazette pages: (\d+) rendered, \d+ reused unchanged \((\d+\.\d) s\)")
NAMES = {"content/": "check", "the print edition": "print", "the open data": "open data", "the newsletters": "newsletters",
         "the e-books": "e-books", "the website": "website", "the search index": "search"}


def run_build(code: Path, project: Path) -> dict[str, float]:
    """One build of ``project`` by the code in ``code`` (run from there: its ``generator`` comes first)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project)], cwd=code,
                            capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the build by {code} failed:\n{result.stderr[-3000:]}")
    found = {"wall": wall}
    for line in result.stderr.splitlines():
        if (m := STAGE.search(line.strip())) and m[1] in NAMES:
            found[NAMES[m[1]]] = float(m[2])
        elif m := PAGES.search(line):
            found["gazette pages"] = float(m[2])
    staged = sum(found.get(name, 0.0) for name in ("check", "print", "open data", "newsletters", "website", "search"))
    found["not in a stage"] = wall - staged
    found["all but search"] = wall - found.get("search", 0.0)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--before", metavar="REV", required=True, help="the other code: a git revision")
    parser.add_argument("--this", metavar="REV", help="this code: a git revision (default: the working tree)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rebuild-bench-", dir=args.project.parent))
    try:
        codes = {"before": work / "code-before", "this": work / "code-this" if args.this else REPO}
        for name, revision in (("before", args.before), ("this", args.this)):
            if revision:
                codes[name].mkdir()
                archive = subprocess.run(["git", "archive", revision, "generator"], cwd=REPO, capture_output=True, check=True)
                subprocess.run(["tar", "-x", "-C", str(codes[name])], input=archive.stdout, check=True)
        projects = {}
        for name in codes:
            projects[name] = work / f"project-{name}"
            subprocess.run(["cp", "-a", str(args.project), str(projects[name])], check=True)
            print(f"warming {name}: {run_build(codes[name], projects[name])['wall']:.1f} s", flush=True)
        runs: dict[tuple[str, str], list[dict[str, float]]] = {}
        for turn in range(args.repeat):
            for name in codes:
                runs.setdefault(("nothing changed", name), []).append(run_build(codes[name], projects[name]))
            for name in codes:
                add_next_issue(projects[name], serial=9_500_000 + 1000 * turn)
                runs.setdefault(("one new issue", name), []).append(run_build(codes[name], projects[name]))
            print(f"turn {turn + 1} of {args.repeat} done", flush=True)
        columns = ["wall", "all but search", "check", "print", "open data", "newsletters", "e-books", "website",
                   "gazette pages", "search", "not in a stage"]
        print(f"\nmedians of {args.repeat} runs, seconds (this / before)")
        print("| run | code | " + " | ".join(columns) + " |")
        print("|---|---|" + "---|" * len(columns))
        for run in ("nothing changed", "one new issue"):
            medians = {name: {c: statistics.median(r.get(c, 0.0) for r in runs[(run, name)]) for c in columns} for name in codes}
            for name in codes:
                print(f"| {run} | {name} | " + " | ".join(f"{medians[name][c]:.1f}" for c in columns) + " |")
            print(f"| {run} | ratio | " + " | ".join(
                f"{medians['this'][c] / medians['before'][c]:.2f}" if medians["before"][c] else "-" for c in columns) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
