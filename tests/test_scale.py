"""At archive scale a notice page stays the same size: notices are out of the nav, listings are
split by year. Built with the shipped content plus 1,000 and plus 4,000 generated notices."""

from __future__ import annotations

import statistics
import subprocess
import sys

import pytest

from archive import add_archive, copy_project

pytestmark = pytest.mark.slow  # two archive builds: `make test` runs it, `make test-fast` does not


@pytest.fixture(scope="module")
def average_notice_bytes(tmp_path_factory):
    def build(notices: int) -> float:
        project = copy_project(tmp_path_factory.mktemp(f"archive{notices}") / "project")
        add_archive(project, notices)
        result = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(project)],
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stderr[-3000:]
        pages = list((project / "site" / "gazette").glob("[0-9]*/[0-9]*/[0-9]*/index.html"))
        assert len(pages) > notices
        return statistics.mean(page.stat().st_size for page in pages)

    return {n: build(n) for n in (1000, 4000)}


def test_notice_pages_do_not_grow_with_the_archive(average_notice_bytes):
    small, large = average_notice_bytes[1000], average_notice_bytes[4000]
    print(f"average notice page: {small:,.0f} B with 1,000 notices, {large:,.0f} B with 4,000 ({large / small - 1:+.2%})")
    assert abs(large - small) / small < 0.10
