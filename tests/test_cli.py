"""The command line on a copy of the shipped content with one mistake at a time, as an editor meets it.

Each case: ``check`` exits 1 and prints the mistake's ``path:line:col:``, no traceback; ``build``
does the same and leaves the existing ``site/`` exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from helpers import position


def first_notice(project) -> str:
    return sorted((project.root / "content/gazette").glob("*/*/*.md"))[0].relative_to(project.root).as_posix()


def notice_with_attachment(project) -> str:
    for path in sorted((project.root / "content/gazette").glob("*/*/*.md")):
        if "attachments:" in path.read_text(encoding="utf-8"):
            return path.relative_to(project.root).as_posix()
    raise AssertionError("the shipped gazette has no notice with an attachment")


def first_chapter(project, language: str) -> str:
    for path in sorted((project.root / "content/yearbook").glob(f"*/{language}/*.md")):
        if "![" in path.read_text(encoding="utf-8"):
            return path.relative_to(project.root).as_posix()
    raise AssertionError("no chapter with an image")


def rewrite(project, name: str, old: str, new: str, needle: str | None = None, occurrence: int = 1) -> str:
    """Replace ``old`` (a regex) once in a file; return ``path:line:col`` of ``needle`` in the result."""
    path = project.root / name
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(old, new, text, count=1, flags=re.M)
    assert count == 1, f"{old!r} not found in {name}"
    path.write_text(changed, encoding="utf-8")
    line, column = position(changed, needle if needle is not None else new, occurrence)
    return f"{name}:{line}:{column}"


def duplicate_key(p):
    return rewrite(p, "content/site.yml", r"^base_url: .*$", r"\g<0>\nbase_url: https://example.gov.tw/", "base_url", 2)


def alias(p):
    path = "content/gazette/2026/01/issue.yml"
    (p.root / path).write_text("date: &d 2026-01-01\ntitle: *d\n", encoding="utf-8")
    return f"{path}:1:7"


def tab(p):
    return rewrite(p, "content/site.yml", r"^  schedule: (.*)$", "  schedule:\n\t- 1\n\t- 16", "\t")


def big5(p):
    name = first_notice(p)
    text = (p.root / name).read_text(encoding="utf-8")
    (p.root / name).write_bytes(text.encode("cp950", errors="replace"))
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    line, column = position(text, text[first])
    return f"{name}:{line}:{column}"


def front_matter_list(p):
    name = first_notice(p)
    text = (p.root / name).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    (p.root / name).write_text("---\n- 公告\n---\n" + body, encoding="utf-8")
    return f"{name}:2:1"


def unknown_key(p):
    return rewrite(p, first_notice(p), r"^title:", "titel:")


def missing_key(p):
    name = first_notice(p)
    rewrite(p, name, r"^doc_number: .*\n", "", "---")
    return f"{name}:2:1"


def wrong_type(p):
    return rewrite(p, first_notice(p), r"^issued: (.*)$", r"issued: [\1]", "[")


def impossible_date(p):
    return rewrite(p, first_notice(p), r"^issued: .*$", "issued: 2025-02-29", "2025-02-29")


def too_large(p):
    name = first_notice(p)
    with open(p.root / name, "a", encoding="utf-8") as f:
        f.write("本市道路挖掘管理。\n" * 80_000)
    return f"{name}:1:1"


def issue_gap(p):
    issues = sorted((p.root / "content/gazette/2026").iterdir())
    last = issues[-1]
    target = last.with_name(f"{int(last.name) + 2:02d}")
    last.rename(target)
    return f"{target.relative_to(p.root).as_posix()}/issue.yml:1:1"


def date_outside_year(p):
    path = "content/gazette/2026/01/issue.yml"
    (p.root / path).write_text("date: 2027-01-01\n", encoding="utf-8")
    return f"{path}:1:7"


def duplicate_doc_number(p):
    notices = sorted((p.root / "content/gazette/2026/02").glob("*.md"))
    first = re.search(r"^doc_number: (.*)$", notices[0].read_text(encoding="utf-8"), re.M)[1]
    name = notices[1].relative_to(p.root).as_posix()
    return rewrite(p, name, r"^doc_number: .*$", f"doc_number: {first}", first)


def unknown_agency(p):
    return rewrite(p, first_notice(p), r"^agency: .*$", "agency: no-such-agency", "no-such-agency")


def missing_translation(p):
    chapters = sorted((p.root / "content/yearbook").glob("*/en/*.md"))
    os.remove(chapters[-1])
    book = chapters[-1].parent.parent / "book.yml"
    name = book.relative_to(p.root).as_posix()
    line, column = position(book.read_text(encoding="utf-8"), chapters[-1].stem)
    return f"{name}:{line}:{column}"


def missing_image(p):
    return rewrite(p, first_chapter(p, "zh-Hant"), r"!\[([^\]]+)\]\(([^)]+)\)", r"![\1](../images/no-such-image.png)", "![")


def absolute_attachment(p):
    return rewrite(p, notice_with_attachment(p), r"(- file: ).*$", r"\1/etc/passwd", "/etc/passwd")


def dotdot_attachment(p):
    return rewrite(p, notice_with_attachment(p), r"(- file: ).*$", r"\1../../../../mkdocs.yml", "../../../../mkdocs.yml")


def symlink_out(p):
    (p.root / "outside.png").write_bytes(b"\x89PNG")
    images = p.root / "content/yearbook/2025/images"
    os.symlink(p.root / "outside.png", images / "outside.png")
    return rewrite(p, first_chapter(p, "zh-Hant"), r"!\[([^\]]+)\]\(([^)]+)\)", r"![\1](../images/outside.png)", "![")


def null_title(p):
    return rewrite(p, first_notice(p), r"^title: .*$", "title: ~", "~")


def control_char(p):
    name = first_chapter(p, "en")
    path = p.root / name
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    changed = head + "\n---\n" + body.replace(".", ".\x1b[0m", 1)  # a terminal colour code pasted along
    path.write_text(changed, encoding="utf-8")
    line, column = position(changed, "\x1b")
    return f"{name}:{line}:{column}"


def deep_nesting(p):
    where = rewrite(p, "content/directory/city-government.yml", r"^group: .*$",
                    r"\g<0>\nnote: " + "[" * 400 + "]" * 400, "note: ")  # PyYAML's composer recursed ~330 deep
    name, line, column = where.rsplit(":", 2)
    return f"{name}:{line}:{int(column) + len('note: ') + 31}"  # the 33rd level: the file's mapping and 32 lists


def thousands_separator(p):
    tables = sorted((p.root / "content/yearbook").glob("*/tables/*.csv"))
    name = next(t for t in tables if '"' not in t.read_text(encoding="utf-8")).relative_to(p.root).as_posix()
    return rewrite(p, name, r"^((?:[^,\n]*,)*?)(\d+)(\d{3})(?=,|$)", r'\1"\2,\3"', '"')  # the first number over 999


def formula_trigger(p):
    return rewrite(p, notice_with_attachment(p), r"^(\s+title: )(.*)$", r"\1=HYPERLINK(\2)", "=HYPERLINK")


MISTAKES = [duplicate_key, alias, tab, big5, front_matter_list, unknown_key, missing_key, wrong_type, impossible_date,
            too_large, issue_gap, date_outside_year, duplicate_doc_number, unknown_agency, missing_translation,
            missing_image, absolute_attachment, dotdot_attachment, symlink_out,
            null_title, control_char, deep_nesting, thousands_separator, formula_trigger]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_passes_on_the_shipped_content(shipped):
    result = shipped.run("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings")


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__)
def test_one_mistake(shipped, mistake):
    expected = mistake(shipped)
    result = shipped.run("check")
    assert result.returncode == 1
    assert f"{expected}: error:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"^\d+ errors?, \d+ warnings?$", result.stderr, re.M)

    site = shipped.root / "site"
    (site / "gazette").mkdir(parents=True)
    (site / "index.html").write_text("<p>the site built before</p>", encoding="utf-8")
    (site / "gazette" / "index.html").write_text("<p>gazette</p>", encoding="utf-8")
    before = snapshot(site)
    result = shipped.run("build")
    assert result.returncode == 1
    assert f"{expected}: error:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(site) == before


def test_problems_print_one_per_line_then_a_count(project):
    project.edit("content/gazette/2026/01/01-road-works.md", "issued: 2025-12-20", "issued: 2025-12-32")
    project.edit("content/directory/city-government.yml", "group: city-hall", "group: city-hal")
    result = project.run("check")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert lines == [
        "content/directory/city-government.yml:4:8: error: group 'city-hal' does not exist"
        " (did you mean 'city-hall'?) [unknown-reference]",
        "content/gazette/2026/01/01-road-works.md:6:9: error: '2025-12-32' is not a valid date:"
        " day is out of range for month [bad-date]",
        "2 errors, 0 warnings",
    ]


def test_build_failure_in_mkdocs_leaves_site_untouched(project):
    site = project.root / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    shutil.rmtree(project.root / "themes")  # the theme's custom_dir is gone: MkDocs refuses the config
    result = project.run("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert not list(project.root.glob(".site-new-*"))  # no staging folder left behind (the failed one is the spare)
