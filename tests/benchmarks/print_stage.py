"""Benchmark: the print edition of the real sample from an empty cache, this code against an older
commit, alternately (the machine is shared: each round runs both, and the medians are compared).

    .venv/bin/python tests/benchmarks/print_stage.py [--before REV] [--rounds 2] [--project DIR]

Without ``--project``, unpacks ../shared/realdata/ into a temporary folder and imports all of it as a
daily gazette (one issue per publication day: 61 issues of up to 600 KB of tables each) into a copy
of the shipped project. Each run is a process of its own, with ``PYTHONPATH`` at the code measured
(``--before``: a ``git worktree`` of REV), that runs ``check`` and then the print-edition stage
(``print_edition``) with ``.cache/print/`` removed, and reports the stage's wall time; CPU is that
of the process and its children (Typst's processes, pandoc).
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from archive import copy_project  # noqa: E402

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = REPO.parent / "shared" / "realdata" / "ey-gazette-2006-01-04.tar.xz"

#: What each run does, in a process whose ``generator`` is the code measured.
STAGE = """
import shutil, sys, time
from pathlib import Path
from generator.checking.check import check
from generator.outputs.printed import typeset
from generator.outputs.printed.issues import print_edition

if __name__ == "__main__":  # the stage spawns its processes, which import this module again
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(root / typeset.CACHE, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    content = check(root)
    started = time.perf_counter()
    made = print_edition(content, root, out)
    print(time.perf_counter() - started, len(made.issues))
"""


def real_project(work: Path) -> Path:
    subprocess.run(["tar", "xJf", str(SAMPLE), "-C", str(work)], check=True)
    days = next(p for p in work.iterdir() if p.is_dir())
    project = copy_project(work / "real")
    site = project / "content" / "site.yml"
    site.write_text(re.sub(r"^  schedule: .*$", "  schedule: {daily: working-days}", site.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "generator", "import", "ey-xml", str(days), "-q", "--root", str(project)],
                   check=True, capture_output=True)
    return project


def run(tree: Path, project: Path, work: Path) -> tuple[float, float, int]:
    """The stage's wall time, the CPU of the run's process and its children, the issues typeset."""
    script = work / "stage.py"
    script.write_text(STAGE, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, str(script), str(project), str(work / "out")], check=True, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "PYTHONPATH": str(tree)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, issues = done.stdout.split()
    return float(wall), after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, int(issues)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=None, help="a commit to compare with (a git worktree of it)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--project", type=Path, default=None, help="a project to typeset (default: the real sample)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="print-bench-"))
    project = args.project or real_project(work)
    trees = {"this": REPO}
    if args.before:
        trees = {f"before ({args.before})": work / "before", **trees}
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(work / "before"), args.before], check=True)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    try:
        for _ in range(args.rounds):
            for name, tree in trees.items():
                started = time.perf_counter()
                wall, cpu, issues = run(tree, project, work)
                times[name].append((wall, cpu))
                print(f"{name}: {issues} issues, stage {wall:.1f} s, CPU {cpu:.1f} s (run {time.perf_counter() - started:.1f} s)", flush=True)
    finally:
        if args.before:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(work / "before")], check=False)
    print(f"{'code':>24} {'stage s (median)':>17} {'CPU s (median)':>15}")
    for name, runs in times.items():
        print(f"{name:>24} {statistics.median(w for w, _ in runs):>17.1f} {statistics.median(c for _, c in runs):>15.1f}")


if __name__ == "__main__":
    main()
