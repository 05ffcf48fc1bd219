"""At archive scale a notice page stays the same size: notices are out of the nav, listings are
split by year. Built with the shipped content plus 1,000 and plus 4,000 generated notices."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys

import pytest

from archive import PER_ISSUE, add_archive, copy_project

pytestmark = pytest.mark.slow  # two archive builds: `make test` runs it, `make test-fast` does not


@pytest.fixture(scope="module")
def average_notice_bytes(tmp_path_factory):
    """One project built twice: with 1,000 archived notices, then with 3,000 more in earlier years.
    The second build is a build after a change like any other: it takes what did not change (the
    1,000 notices' pages, their issues' PDFs, ...) from the caches of the first, whose output equals
    a build from scratch (tests/website/test_incremental.py), and renders the rest."""
    project = copy_project(tmp_path_factory.mktemp("archive") / "project")
    first = min(int(p.name) for p in (project / "content" / "gazette").iterdir())

    def build(notices: int) -> float:
        result = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(project)],
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stderr[-3000:]
        pages = list((project / "site" / "gazette").glob("[0-9]*/[0-9]*/[0-9]*/index.html"))
        assert len(pages) > notices
        return statistics.mean(page.stat().st_size for page in pages)

    add_archive(project, 1000)  # the years just before the shipped ones
    small = build(1000)
    add_archive(project, 3000, first_year=first - years(1000) - years(3000))  # the years before those
    assert len(list((project / "content" / "gazette").glob("*/*/*-archived.md"))) == 4000
    return {1000: small, 4000: build(4000)}


def years(notices: int) -> int:
    """The years add_archive spreads ``notices`` over (24 issues a year)."""
    return math.ceil(math.ceil(notices / PER_ISSUE) / 24)


def test_notice_pages_do_not_grow_with_the_archive(average_notice_bytes):
    small, large = average_notice_bytes[1000], average_notice_bytes[4000]
    print(f"average notice page: {small:,.0f} B with 1,000 notices, {large:,.0f} B with 4,000 ({large / small - 1:+.2%})")
    assert abs(large - small) / small < 0.10
