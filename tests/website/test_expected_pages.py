"""One expected page per page kind: the built HTML, byte for byte, so that any change to what
readers get shows up as a diff to review. After an intended change, rewrite the files with
``UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/website/test_expected_pages.py`` and read the diff
in git before committing it."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parent / "expected"
#: file in tests/website/expected/ -> the built page it holds
PAGES = {
    "home.html": "index.html",
    "gazette-home.html": "gazette/index.html",
    "issue.html": "gazette/2026/01/index.html",
    "notice.html": "gazette/2026/01/03/index.html",
    "category.html": "gazette/category/notices/index.html",
    "agency-notices.html": "gazette/agency/transportation/index.html",
    "chapter-zh-Hant.html": "yearbook/2025/population/index.html",
    "chapter-en.html": "en/yearbook/2025/population/index.html",
    "book.html": "yearbook/2025/index.html",
    "directory-agency.html": "directory/transportation/index.html",
    "data-package.html": "data/gazette/index.html",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_as_expected(site_dir, name):
    built = (site_dir / PAGES[name]).read_text(encoding="utf-8")
    expected_file = EXPECTED / name
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(built, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if built != expected:
        diff = difflib.unified_diff(expected.splitlines(), built.splitlines(), f"expected/{name}", PAGES[name], lineterm="", n=2)
        pytest.fail("the page changed (UPDATE_EXPECTED=1 rewrites the expected file):\n" + "\n".join(list(diff)[:80]))
