"""Strict reading of files: encodings, size, tabs, anchors, duplicate keys, front matter."""

from __future__ import annotations

from generator.errors import Kind
from generator.yamlio import TEXT_LIMIT

from conftest import NOTICE
from helpers import at, only, position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
ISSUE_PATH = "content/gazette/2026/01/issue.yml"


def test_the_minimal_project_is_valid(project):
    assert project.problems() == []


def test_duplicate_key(project):
    text = NOTICE.replace("keywords:", "title: 另一個標題\nkeywords:")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.DUPLICATE_KEY)
    line, column = position(text, "title:", 2)
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "first given on line 2" in problem.message


def test_anchors_and_aliases(project):
    project.write({ISSUE_PATH: "date: &d 2026-01-01\ntitle: *d\n"})
    problems = [p for p in project.problems() if p.kind is Kind.ALIAS]
    assert [at(p) for p in problems] == [f"{ISSUE_PATH}:1:7", f"{ISSUE_PATH}:2:8"]


def test_tab_indentation(project):
    project.write({ISSUE_PATH: "date: 2026-01-01\nnotes: |\n\t本期另有附錄\n"})
    assert at(only(project.problems(), Kind.TAB_INDENT)) == f"{ISSUE_PATH}:3:1"


def test_big5_file_says_it_is_not_utf8(project):
    (project.root / NOTICE_PATH).write_bytes(NOTICE.encode("cp950"))
    problem = only(project.problems(), Kind.NOT_UTF8)
    assert at(problem) == f"{NOTICE_PATH}:2:8"  # the first Chinese character, after "title: "
    assert "Big5" in problem.message


def test_utf8_bom_is_accepted(project):
    (project.root / NOTICE_PATH).write_bytes(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"))
    assert project.problems() == []


def test_front_matter_that_is_not_a_mapping(project):
    project.write({NOTICE_PATH: "---\n- 公告\n- 道路\n---\n\n本文。\n"})
    problem = only(project.problems(), Kind.NOT_MAPPING)
    assert at(problem) == f"{NOTICE_PATH}:2:1"
    assert "not a list" in problem.message


def test_notice_without_front_matter(project):
    project.write({NOTICE_PATH: "主旨：公告本市道路挖掘管理事項。\n"})
    assert at(only(project.problems(), Kind.NO_FRONT_MATTER)) == f"{NOTICE_PATH}:1:1"


def test_unclosed_front_matter(project):
    project.write({NOTICE_PATH: NOTICE.replace("---\n\n", "\n")})
    assert at(only(project.problems(), Kind.UNCLOSED_FRONT_MATTER)) == f"{NOTICE_PATH}:1:1"


def test_yaml_syntax_error_is_located(project):
    project.write({ISSUE_PATH: "date: 2026-01-01\ntitle: [新年特刊\nnotes: 無\n"})
    problem = only(project.problems(), Kind.YAML_SYNTAX)
    assert problem.source.path.as_posix() == ISSUE_PATH and problem.source.line == 3


def test_file_over_the_size_cap(project):
    text = NOTICE + "道路挖掘。\n" * (TEXT_LIMIT // 15 + 1)
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.FILE_TOO_LARGE)
    assert at(problem) == f"{NOTICE_PATH}:1:1"
