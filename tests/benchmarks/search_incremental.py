"""Benchmark: the search stage of whole builds after a previous build, this code against another commit's.

    .venv/bin/python tests/benchmarks/archive.py 10000 --only-project --keep    # prints the project
    .venv/bin/python tests/benchmarks/search_incremental.py /tmp/…/project-10000 --before 24da6d2

For each code (this worktree, and with ``--before`` the given commit, unpacked by ``git archive``):
copies PROJECT (content, site, .cache), builds it once to bring its caches to that code (not
measured), then measures, each a ``python -m generator build`` in a process of its own:

- nothing changed (``--repeat`` times);
- one new issue of 20 notices (``tests/archive.py``'s ``add_next_issue``), then nothing changed
  again, ``--repeat`` times in turn.

Prints the median wall time of the build and of its search stage (the build's own log line), and
the ratio of this code's search stage to the other's, measured in the same run (the machine is
shared: read the ratios). That an incremental build publishes what a full build does is tested,
not measured here (tests/website/test_incremental.py, tests/outputs/test_search_merge.py).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_next_issue  # noqa: E402

SEARCH = re.compile(r"built the search index in (\d+\.\d) s")


def build(code: Path, project: Path) -> tuple[float, float]:
    """(wall seconds, search stage seconds) of one build of ``project`` by the code in ``code``."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project)], cwd=code,
                            env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"the build failed:\n{result.stderr[-3000:]}")
    found = SEARCH.search(result.stderr)
    assert found, result.stderr[-2000:]
    return wall, float(found[1])


def measure(code: Path, source: Path, work: Path, repeat: int) -> dict[str, tuple[float, float]]:
    project = work / f"project-{code.name}"
    shutil.copytree(source, project, symlinks=True)
    build(code, project)  # the caches brought to this code
    runs: dict[str, list[tuple[float, float]]] = {"nothing changed": [], "one new issue": []}
    for _ in range(repeat):
        runs["nothing changed"].append(build(code, project))
    for serial in range(repeat):
        add_next_issue(project, serial=9_500_000 + 1000 * serial)
        runs["one new issue"].append(build(code, project))
        runs["nothing changed"].append(build(code, project))
    return {name: (statistics.median(w for w, _ in found), statistics.median(s for _, s in found)) for name, found in runs.items()}


def unpacked(commit: str, folder: Path) -> Path:
    """The code of ``commit``, in ``folder`` (``git archive``)."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path, help="a built project (content/, site/, .cache/), copied, not changed")
    parser.add_argument("--before", help="a commit to compare with")
    parser.add_argument("--after", help="a commit to measure instead of this worktree (which may change meanwhile)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-incremental-") as folder:
        work = Path(folder)
        codes = {f"before ({args.before})": unpacked(args.before, work / "before")} if args.before else {}
        codes["this" if not args.after else f"this ({args.after})"] = unpacked(args.after, work / "this") if args.after else REPO
        results = {name: measure(code, args.project, work, args.repeat) for name, code in codes.items()}
    print("| code | run | build s | search s | search vs before |\n|---|---|---|---|---|")
    base = next(iter(results.values()))
    for name, found in results.items():
        for run, (wall, stage) in found.items():
            print(f"| {name} | {run} | {wall:.1f} | {stage:.1f} | {stage / base[run][1]:.2f} |" if base[run][1] else
                  f"| {name} | {run} | {wall:.1f} | {stage:.1f} | - |")


if __name__ == "__main__":
    main()
