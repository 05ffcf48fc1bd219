"""Benchmark: the one-word queries of issue 14, goal 2 (第 alone), on the 10,108-notice site that
tests/benchmarks/search.py makes (--copies 7) in WORK/bigrams-x7.

    .venv/bin/python tests/benchmarks/search_lone.py --work /tmp/search-bench [--caps 100,30,20,10,5] [--bytes]

1. What a lower position cap for one-character words would give (the alternative measured and
   refused, README "A word asked for alone: lone keys"): for the words with the most places, the
   chunk each would have alone at each cap, in the bundle of copies and estimated for as many
   different notices (search.distinct_bytes()'s way: one copy's postings compressed alone, times the
   copies), the pages a cap would give a text, and how many pages a phrase through 第 (第 then 1)
   leaves to be checked against their texts at each cap (search.js's judge(), in Python).
2. With --bytes: the first query of each lone-key word, of the word of each of the 30 largest index
   chunks and of a few phrases, on the site as built and on a copy without pagefind/lone-words.json
   (the results page then asks for every word itself, as before the keys), and the ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search as bench  # noqa: E402  (tests/benchmarks/search.py)

from generator.outputs import pagefind_bundle as pb  # noqa: E402


def index_words(site: Path) -> dict[str, list]:
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta = pb.read_cbor((bundle / f"pagefind.{entry['languages']['und-hani']['hash']}.pf_meta").read_bytes(), check=False)
    words = {}
    for _, _, name in meta[2]:
        for word, postings, _ in pb.read_cbor((bundle / "index" / f"{name}.pf_index").read_bytes(), check=False)[0]:
            words[word] = postings
    return words


def recapped(postings: list, cap: int) -> tuple[list, set[int]]:
    out, capped, page = [], set(), 0
    for posting in postings:
        page += posting[0]
        locations = posting[1]
        if sum(1 for location in locations if location >= 0) >= cap:
            locations, _ = pb.capped_locations(list(locations), cap)
            capped.add(page)
        out.append([posting[0], locations, posting[2]])
    return out, capped


def one_copy(postings: list, per_copy: int) -> list:
    page, kept = 0, []
    for posting in postings:
        page += posting[0]
        if page < per_copy:
            kept.append(posting)
    return kept


def places(postings: list, cap: int) -> dict[int, list[int]]:
    return {page: found[:cap] for page, found in pb.page_positions(postings)}


def judge(at: list[list[int]], caps: list[int]) -> str:
    """search.js's judge() for a phrase of consecutive terms: yes, no, or open (a text to check)."""
    sets = [set(a) for a in at]
    capped = [len(a) >= c for a, c in zip(at, caps, strict=True)]
    last = [max(a) for a in at]
    if any(all(start + k in sets[k] for k in range(len(at))) for start in at[0]):
        return "yes"
    if all(capped):
        return "open"
    free = capped.index(False)
    possible = [p - free for p in at[free] if p - free >= 0
                and all(p - free + k in sets[k] or (capped[k] and p - free + k > last[k]) for k in range(len(at)))]
    return "open" if possible else "no"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--caps", default="100,30,20,10,5")
    parser.add_argument("--bytes", action="store_true")
    args = parser.parse_args()
    site = args.work / "bigrams-x7"
    per_copy, copies = len(bench.records(args.work)), 7
    caps = [int(c) for c in args.caps.split(",")]
    words = index_words(site)
    size = {word: sum(len(p[1]) + len(p[2]) + 1 for p in postings) for word, postings in words.items()}
    ones = [word for word in words if len(word) == 1 and bench.HAN.fullmatch(word)]
    print("one-character words with the most places: their chunk alone, KB in the copies / estimated for different notices")
    print("word  places | " + " | ".join(f"cap {cap}" for cap in caps))
    for word in sorted(ones, key=lambda w: -size[w])[:12]:
        cells = []
        for cap in caps:
            out, _ = recapped(words[word], cap)
            cells.append(f"{len(pb.gzipped(pb.cbor(out))) / 1024:3.0f} / {copies * len(pb.gzipped(pb.cbor(one_copy(out, per_copy)))) / 1024:3.0f}")
        print(f"{word}  {size[word]:7,d} | " + " | ".join(cells))
    for cap in caps:
        texts = set().union(*(recapped(words[word], cap)[1] for word in ones))
        first, one = places(words["第"], cap), places(words["1"], pb.POSITIONS or 10**9)
        verdicts = [judge([first[page], one[page]], [cap, pb.POSITIONS or 10**9]) for page in set(first) & set(one)]
        print(f"cap {cap} for one-character words: {len(texts):,} pages with a text; 第 then 1: "
              f"{verdicts.count('yes'):,} pages proved, {verdicts.count('no'):,} ruled out, {verdicts.count('open'):,} to check against their texts")
    if not args.bytes:
        return
    without = args.work / "bigrams-x7-without-lone-keys"
    if without.exists():
        shutil.rmtree(without)
    shutil.copytree(site, without, copy_function=lambda a, b: Path(b).hardlink_to(a))
    (without / "pagefind" / pb.LONE_WORDS).unlink(missing_ok=True)
    lone = json.loads((site / "pagefind" / pb.LONE_WORDS).read_text())["und-hani"]
    largest = [word for word, _ in bench.largest_words(site, 30)]
    queries = list(dict.fromkeys(largest + [w for w in lone if len(w) == 1][:12] + ["規定", "公司", "第一條", "第1條", "「第1條」"]))
    rows: dict[str, dict[str, tuple[int, int]]] = {}
    for name, where in (("before", without), ("now", site)):
        bench.chunks.clear()
        for query, first, _, _ in bench.first_query_bytes(where, queries):
            rows.setdefault(query, {})[name] = (first, bench.distinct_estimate(where, query, first, copies, per_copy))
    print("\nfirst query, KB (estimate for different notices): without lone keys -> with them")
    for query in queries:
        (b, bd), (a, ad) = rows[query]["before"], rows[query]["now"]
        print(f"  {query}: {b / 1024:.0f} ({bd / 1024:.0f}) -> {a / 1024:.0f} ({ad / 1024:.0f}){'  OVER 300' if a > 300 * 1024 else ''}")
    print(f"median ratio with/without: {statistics.median(rows[q]['now'][0] / rows[q]['before'][0] for q in queries):.3f}")
    shutil.rmtree(without)


if __name__ == "__main__":
    main()
