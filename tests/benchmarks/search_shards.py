"""Benchmark: the search stage alone, one Pagefind run (as before) against shards merged, on a built site.

    .venv/bin/python tests/benchmarks/archive.py 10000 --only-project --keep    # prints the project
    .venv/bin/python tests/benchmarks/search_shards.py /tmp/…/project [--repeat 3]

On the site built in PROJECT/site, in this one process, each measurement ``--repeat`` times (medians):

- one run: every page's indexing document made and sent to one Pagefind run, the bundle made
  canonical (what the stage did before the shards);
- shards, cold: no cache (every shard indexed, two runs at a time, then merged);
- shards, one new issue: the cache holds the shards as they were without the newest issue's notices
  (the build before that issue), then the site as it is: the newest year's shard runs again, its
  other pages' documents come from the cache;
- shards, nothing changed: every shard from the cache, merged.

Prints wall seconds, the peak memory of the largest Pagefind process (VmHWM) and of this process
(ru_maxrss, which only grows: read it per line as "so far"), and checks that every way gives the
same bundle.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))

from generator.checking.check import check  # noqa: E402
from generator.outputs import search  # noqa: E402
from generator.outputs.pagefind_bundle import canonical  # noqa: E402


def one_run(site: Path, cut) -> tuple[dict[str, bytes], int]:
    sources = [source for _, sources in cut for source in sources]
    documents = ((s.path, d, s.url) if s.url else (s.path, d) for s in sources if (d := s.document()) is not None)
    service = search._Service(cwd=site)
    _, files = service.index(documents)
    return canonical(files), service.peak


def sharded(site: Path, cut, cache: Path | None) -> tuple[dict[str, bytes], int]:
    index = search.Index(site, cache)
    files = index.bundle(cut)
    return files, max(index.peaks.values(), default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    site = args.project / "site"
    cut = search.shards(check(args.project), site)
    newest = cut[0][1][:20]  # the newest issue's notices (20 an issue in the synthetic archive)
    before = [(cut[0][0], cut[0][1][20:]), *cut[1:]]
    print(f"{sum(len(s) for _, s in cut):,} pages in {len(cut)} shards; largest: "
          f"{max(len(s) for _, s in cut):,} pages; newest issue: {len(newest)} pages")
    work = Path(tempfile.mkdtemp(prefix="search-shards-"))
    rows: dict[str, list[tuple[float, int]]] = {}
    bundles = {}

    def timed(name, run, prepare=None):
        for _ in range(args.repeat):
            if prepare:
                prepare()
            start = time.perf_counter()
            files, peak = run()
            rows.setdefault(name, []).append((time.perf_counter() - start, peak))
            bundles[name] = files
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  {name}: {rows[name][-1][0]:.1f} s, Pagefind {peak / 2**20:.0f} MB, this process so far {maxrss:.0f} MB",
                  flush=True)

    cache = work / "cache"
    timed("one run (before)", lambda: one_run(site, cut))
    timed("shards, cold", lambda: sharded(site, cut, None))
    timed("shards, one new issue", lambda: sharded(site, cut, cache),
          prepare=lambda: (shutil.rmtree(cache, ignore_errors=True), sharded(site, before, cache)))
    timed("shards, nothing changed", lambda: sharded(site, cut, cache))
    shutil.rmtree(work, ignore_errors=True)
    first = bundles["one run (before)"]
    same = all(files == first for files in bundles.values())
    print(f"\n| search stage, {sum(len(s) for _, s in cut):,} pages | wall s (median of {args.repeat}) | vs one run "
          "| Pagefind peak MB |\n|---|---|---|---|")
    base = statistics.median(t for t, _ in rows["one run (before)"])
    for name, values in rows.items():
        wall = statistics.median(t for t, _ in values)
        print(f"| {name} | {wall:.1f} | {wall / base:.2f} | {max(p for _, p in values) / 2**20:.0f} |")
    print(f"\nevery way gave the same bundle: {same}")


if __name__ == "__main__":
    main()
