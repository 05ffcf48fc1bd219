"""Benchmark: Pagefind's memory and time on the real notices, by the cap on a page's indexed words.

    .venv/bin/python tests/benchmarks/search_cap.py [--work /tmp/search-bench] [--copies 1] [--caps 0,20000,10000,5000]

The real notices of ../shared/realdata/ (tests/benchmarks/search.py's notice pages, ``--copies``
times, years apart), each cap's indexing documents sent to ONE Pagefind run (the largest shard the
build could make of them), in this one process: wall seconds, the run's peak memory (VmHWM), the
words given, and the bundle's index size. Cap 0: none.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import search as bench  # noqa: E402

from generator.outputs import search  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--caps", default="0,20000,10000,5000")
    args = parser.parse_args()
    recs = bench.records(args.work)
    pages = [(bench.url_of(r, copy).strip("/") + "/index.html", bench.notice_page(r, f"-{copy}" if copy else "", copy))
             for copy in range(args.copies) for r in sorted(recs, key=lambda r: r["published"], reverse=True)]
    print(f"{len(pages):,} notices in one Pagefind run")
    print("| cap (words of running text) | pages capped | words given | Pagefind s | Pagefind peak MB | index MB |")
    print("|---|---|---|---|---|---|")
    for cap in (int(c) for c in args.caps.split(",")):
        documents = [(name, search.indexing_document(page, "zh-TW", cap or None)) for name, page in pages]
        full = [search.indexing_document(page, "zh-TW", None) for _, page in pages] if cap else None
        given = sum(len(re.sub(r"<[^>]+>", " ", d).split()) for _, d in documents)
        capped = sum(1 for (_, d), f in zip(documents, full, strict=True) if d != f) if full else 0
        service = search._Service(cwd=args.work)
        start = time.perf_counter()
        _, files = service.index(documents)
        seconds = time.perf_counter() - start
        index = sum(len(data) for name, data in files.items() if name.startswith("index/"))
        print(f"| {cap or 'none'} | {capped} | {given:,} | {seconds:.0f} | {service.peak / 2**20:.0f} | {index / 2**20:.1f} |",
              flush=True)


if __name__ == "__main__":
    main()
