"""Benchmark: the real national gazette sample imported and built, beside a synthetic archive of as many notices.

    .venv/bin/python tests/benchmarks/import_real.py [--repeat 3] [--schedule "{daily: working-days}"]

Unpacks ../shared/realdata/ey-gazette-2006-01-04.tar.xz into a temporary folder, imports all of it with
``python -m generator import ey-xml`` into a copy of the shipped project (with ``--schedule``, the
gazette's schedule in site.yml is set to that first: ``{daily: working-days}`` makes one issue per publication day),
then builds it ``repeat`` times, interleaved with builds of the shipped project plus a synthetic archive
of the same number of notices (tests/archive.py: the shipped notices' bodies, 20 per issue), the
baseline measured in the same run so that a noisy shared machine affects both alike. Reports the
import and check times, the median build time, and the sizes of the archive's notice pages and of the
site, with ratios real/synthetic; and the memory of the largest process (the build's, or one it
started: Typst's, pandoc's, Pagefind's) up to the first build of the real sample, the one that
typesets its print edition (the later builds take it from the cache).
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
from archive import add_archive, copy_project  # noqa: E402

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = REPO.parent / "shared" / "realdata" / "ey-gazette-2006-01-04.tar.xz"


def run(*args: str, root: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the command and its children: pandoc, Pagefind…)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", *args, "-q", "--root", str(root)], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pages(root: Path, years: set[str]) -> list[int]:
    """Sizes of the notice pages of the archive's years (not the shipped issues)."""
    return [p.stat().st_size for p in (root / "site" / "gazette").glob("[0-9]*/[0-9]*/[0-9]*/index.html")
            if p.parts[-4] in years]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--schedule", default=None, help="the value of gazette.schedule in site.yml, e.g. \"{daily: working-days}\"")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    subprocess.run(["tar", "xJf", str(SAMPLE), "-C", str(work)], check=True)
    days = next(p for p in work.iterdir() if p.is_dir())
    real = copy_project(work / "real")
    if args.schedule:
        site = real / "content" / "site.yml"
        text = re.sub(r"^  schedule: .*$", f"  schedule: {args.schedule}", site.read_text(encoding="utf-8"), count=1, flags=re.M)
        site.write_text(text, encoding="utf-8")
    import_s = run("import", "ey-xml", str(days), root=real)
    imported = sorted((real / "content" / "gazette").glob("*/*/*-ey-*.md"))
    years = {p.parts[-3] for p in imported}
    issues = {p.parent for p in imported}
    synthetic = copy_project(work / "synthetic")
    add_archive(synthetic, len(imported))
    synthetic_years = {p.name for p in (synthetic / "content" / "gazette").iterdir()} - {p.name for p in (REPO / "content" / "gazette").iterdir()}
    check_s = run("check", root=real)
    times: dict[str, list[tuple[float, float]]] = {"real": [], "synthetic": []}
    for repeat in range(args.repeat):
        times["real"].append(run("build", root=real))
        if repeat == 0:  # Linux: kilobytes, the largest child waited for so far (the import and check before)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        times["synthetic"].append(run("build", root=synthetic))
    sizes = {"real": pages(real, years), "synthetic": pages(synthetic, synthetic_years)}
    print(f"real sample: {len(imported)} notices in {len(issues)} issues; import {import_s[0]:.1f} s ({import_s[1]:.1f} s CPU), "
          f"check {check_s[0]:.1f} s ({check_s[1]:.1f} s CPU); the largest process up to the first build of it: {peak:,.0f} MB")
    print(f"{'archive':>10} {'build s':>8} {'CPU s':>7} {'ms/notice':>10} {'page median B':>14} {'page mean B':>12} {'page max B':>11} "
          f"{'site MB':>8} {'search MB':>10}")
    for name, root in (("real", real), ("synthetic", synthetic)):
        build = statistics.median(t[0] for t in times[name])
        cpu = statistics.median(t[1] for t in times[name])
        print(f"{name:>10} {build:>8.1f} {cpu:>7.1f} {1000 * build / len(sizes[name]):>10.1f} {statistics.median(sizes[name]):>14,.0f} "
              f"{statistics.mean(sizes[name]):>12,.0f} {max(sizes[name]):>11,} {folder_size(root / 'site') / 1e6:>8.1f} "
              f"{folder_size(root / 'site' / 'pagefind') / 1e6:>10.1f}")
    wall = statistics.median(t[0] for t in times["real"]) / statistics.median(t[0] for t in times["synthetic"])
    cpu = statistics.median(t[1] for t in times["real"]) / statistics.median(t[1] for t in times["synthetic"])
    print(f"real/synthetic: build x{wall:.2f} wall, x{cpu:.2f} CPU; page mean x"
          f"{statistics.mean(sizes['real']) / statistics.mean(sizes['synthetic']):.2f} (builds, wall/CPU s: real "
          f"{', '.join(f'{w:.1f}/{c:.1f}' for w, c in times['real'])}; synthetic {', '.join(f'{w:.1f}/{c:.1f}' for w, c in times['synthetic'])})")


if __name__ == "__main__":
    main()
