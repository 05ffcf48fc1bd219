"""Benchmark: the website stage at archive scale, before and after issue 12's changes to what it
does on every build besides rendering pages (engineer W), in one process on the same products.

    .venv/bin/python tests/benchmarks/website_stage.py PROJECT [ROUNDS]

PROJECT: a project built once already (``tests/benchmarks/archive.py 10000 --only-project --keep``
prints one), so that its page cache holds the archive. One new issue is added (``tests/archive.py``),
the stages before the website run once, then the website stage runs ROUNDS times each way,
alternating (the machine is shared: medians, and their ratio):

- *before*: ``plain_text`` with a new Markdown converter per call, links by ``posixpath.relpath``, the
  notices' Markdown made in the build's process;
- *after*: the code as it is.
"""

from __future__ import annotations

import html
import logging
import posixpath
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from markupsafe import Markup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from archive import add_next_issue  # noqa: E402

import generator.markup.markdown as markdown_module  # noqa: E402
import generator.website.apart as apart  # noqa: E402
import generator.website.templating as templating  # noqa: E402
from generator.build import make_products, website  # noqa: E402

NEW = (markdown_module.plain_text, templating.link, apart.GENERATE_THRESHOLD)


def old_plain_text(text: str) -> str:
    import markdown
    import nh3

    rendered = markdown.markdown(text, extensions=["tables", "footnotes", "generator.markup.cjk"])
    return re.sub(r"[ \t]*\n\s*", "\n", html.unescape(nh3.clean(rendered, tags=set()))).strip()


def old_link(source: str, target: str) -> Markup:
    return Markup(posixpath.relpath(target, posixpath.dirname(source) or "."))


def use(before: bool) -> None:
    markdown_module.plain_text = old_plain_text if before else NEW[0]  # type: ignore[assignment]
    templating.link = old_link if before else NEW[1]
    apart.GENERATE_THRESHOLD = 10**9 if before else NEW[2]


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    root, rounds = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = Path(tempfile.mkdtemp(prefix="website-stage-"))
    try:
        add_next_issue(root, serial=random.randrange(1_000_000, 9_000_000) // 1000 * 1000)
        made = make_products(root, out)
        website(made, out)  # the new issue's pages into the cache
        times: dict[str, list[float]] = {"before": [], "after": []}
        for number in range(rounds):
            for name in ("before", "after") if number % 2 == 0 else ("after", "before"):
                use(name == "before")
                started = time.perf_counter()
                website(made, out)
                times[name].append(time.perf_counter() - started)
                print(f"{name}: website stage {times[name][-1]:.1f} s", flush=True)
        before, after = (statistics.median(times[name]) for name in ("before", "after"))
        print(f"median: before {before:.1f} s, after {after:.1f} s, ratio {after / before:.2f}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
