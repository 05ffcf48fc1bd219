"""Benchmark (issue 12, goal 5): how a full build's time and memory grow from 1,000 to 50,000 notices.

    .venv/bin/python tests/benchmarks/growth.py 1000 10000 50000
    .venv/bin/python tests/benchmarks/growth.py 1000 10000 --code 24da6d2    # the code of a commit

The archive is a **daily gazette** (``tests/archive.py``, ``add_daily_archive``): issues of 10
notices on the first 250 working days of each year, in the years before the shipped gazette, so
50,000 notices are 5,000 issues over 20 years, as the goal says ("a daily gazette over 20 years").
``site.yml``'s schedule is set to working days.

For each size, each run in a process of its own: a full ``build`` from clean (no ``site/``, no
``.cache/``), and (up to ``--plain-up-to`` notices) plain mkdocs-material with its search plugin
over the same notices (``archive.py``'s ``plain_project``). For each run: wall time, CPU time (user +
system of every process of the run, workers, pandoc and Pagefind included), the **peak memory of the
whole process tree** (the sum of every process's PSS, sampled every half second from ``/proc``:
forked workers share their parent's pages, which PSS counts once, where a sum of RSS would count them
once per process), the largest single process's peak RSS (what ``archive.py`` reports), and the
build's own stage times. Then how each grows from the first size.

The code measured is a copy taken when the benchmark starts (``generator/`` of the working tree, or
of ``--code REV``), so editing the tree while it runs does not change what is measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_daily_archive, copy_project  # noqa: E402

# tests/benchmarks/archive.py (its log patterns and plain mkdocs-material project), by another name
_spec = importlib.util.spec_from_file_location("archive_bench", Path(__file__).with_name("archive.py"))
assert _spec and _spec.loader
archive_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(archive_bench)


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it, from ``/proc/<pid>/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path) -> dict:
    """Wall, CPU, peak PSS of the whole tree, peak RSS of the largest process, and the stage times."""
    process = subprocess.Popen([sys.executable, "-c", archive_bench.MEASURE, str(cwd), *command], stdout=subprocess.PIPE, text=True)
    peak = {"tree": 0, "processes": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            pids = _tree(process.pid)
            peak["tree"] = max(peak["tree"], sum(_pss(pid) for pid in pids))
            peak["processes"] = max(peak["processes"], len(pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    result = json.loads(out)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['err'][-3000:]}")
    result["tree"], result["processes"] = peak["tree"], peak["processes"]
    result["stages"] = {}
    for line in result["err"].splitlines():
        if (m := archive_bench.STAGE.search(line.strip())) and m[1] in archive_bench.STAGES:
            result["stages"][archive_bench.STAGES[m[1]]] = float(m[2])
        elif m := archive_bench.PAGES.search(line):
            result["stages"][f"gazette pages ({m[1]} rendered)"] = float(m[2])
    del result["err"]
    return result


def code_copy(work: Path, rev: str | None) -> Path:
    """A folder holding ``generator/`` as it is now (or at ``rev``), to run ``python -m generator`` from."""
    folder = work / f"code-{rev or 'tree'}"
    folder.mkdir()
    if rev:
        archive = subprocess.run(["git", "archive", rev, "generator"], cwd=REPO, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    else:
        shutil.copytree(REPO / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def run_size(notices: int, work: Path, code: Path, plain: bool) -> dict:
    project = copy_project(work / f"project-{notices}")
    issues = add_daily_archive(project, notices)
    count = len(list((project / "content" / "gazette").glob("*/*/*.md")))
    results = {}
    if plain:
        folder = archive_bench.plain_project(project, work / f"plain-{notices}")
        results["plain mkdocs-material, search on"] = measure(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs-search.yml")], folder)
        shutil.rmtree(folder, ignore_errors=True)
    results["this project, full build (clean)"] = measure(
        [sys.executable, "-m", "generator", "build", "--root", str(project)], code)
    shutil.rmtree(project, ignore_errors=True)
    return {"notices": count, "issues": issues, "results": results}


def print_size(size: dict) -> None:
    results = size["results"]
    base = results.get("plain mkdocs-material, search on")
    print(f"\n{size['notices']:,} notices ({size['issues']:,} archived issues)", flush=True)
    print("| run | wall s | vs plain | CPU s | tree peak MB (PSS) | largest process MB | stages (s) |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        ratio = f"{r['wall'] / base['wall']:.2f}" if base else "-"
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items() if v >= 0.1)
        print(f"| {name} | {r['wall']:.1f} | {ratio} | {r['cpu']:.1f} | {r['tree'] / 1e6:.0f} | {r['rss'] / 1e6:.0f} | {stages} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="archived notices (the shipped ones come on top)")
    parser.add_argument("--code", metavar="REV", help="measure the code of this git revision (default: the working tree's)")
    parser.add_argument("--plain-up-to", type=int, default=10_000, metavar="N",
                        help="build plain mkdocs-material too for sizes up to N notices (default 10000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="growth-bench-"))
    try:
        code = code_copy(work, args.code)
        print(f"load average at the start: {os.getloadavg()}", flush=True)
        sizes = []
        for notices in args.sizes:
            sizes.append(run_size(notices, work, code, notices <= args.plain_up_to))
            print_size(sizes[-1])
            if args.json:
                args.json.write_text(json.dumps(sizes, indent=1), encoding="utf-8")
        print(f"load average at the end: {os.getloadavg()}")
        if len(sizes) > 1:
            first = sizes[0]
            name = "this project, full build (clean)"
            f = first["results"][name]
            print(f"\ngrowth of the full build from {first['notices']:,} notices (as multiples)")
            for size in sizes[1:]:
                r = size["results"][name]
                print(f"  {size['notices']:>7,} (x{size['notices'] / first['notices']:.1f} notices): wall x{r['wall'] / f['wall']:.1f}, "
                      f"CPU x{r['cpu'] / f['cpu']:.1f}, tree memory x{r['tree'] / f['tree']:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
