"""Small assertions shared by the tests."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from generator.errors import Kind, Problem


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def only(problems: list[Problem], kind: Kind) -> Problem:
    """The single problem of ``kind``; fails listing everything found otherwise."""
    matching = [p for p in problems if p.kind is kind]
    assert len(matching) == 1, "expected one %s, got:\n%s" % (kind.slug, "\n".join(map(str, problems)))
    return matching[0]


def at(problem: Problem) -> str:
    return str(problem.source)


def built_page(site_dir: Path, uri: str):
    """The parsed HTML of a built page, by its source path (``gazette/2026/01/index.md``) or file."""
    path = site_dir / uri.replace("index.md", "index.html")
    assert path.is_file(), f"{uri} was not built"
    return lxml_html.fromstring(path.read_bytes())


def text(element) -> str:
    """What a reader sees of an element: its text, spaces folded, without the headings' ¶ signs."""
    return " ".join(element.text_content().replace("¶", "").split())
