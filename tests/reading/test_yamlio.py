"""Strict reading of files: encodings, size, tabs, anchors, duplicate keys, front matter."""

from __future__ import annotations

from generator.errors import Kind, Severity
from generator.reading.yamlio import DEPTH_LIMIT, TEXT_LIMIT

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


# -- characters refused in any text file ---------------------------------------------------------------

BOOK_PATH = "content/yearbook/2025/book.yml"
CHAPTER_PATH = "content/yearbook/2025/zh-Hant/01-overview.md"
TABLE_PATH = "content/yearbook/2025/tables/population.csv"


def test_escape_in_yaml_is_an_error_at_its_place(project):
    text = "date: 2026-01-01\ntitle: 新年\x1b[31m特刊\n"
    project.write({ISSUE_PATH: text})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)  # not PyYAML's own "unacceptable character"
    assert at(problem) == f"{ISSUE_PATH}:2:10"
    assert "U+001B ESCAPE" in problem.message


def test_nul_del_and_c1_controls_each_named_at_their_line(project):
    text = "date: 2026-01-01\ntitle: 新年\x00特刊\nnotes: 本期\x7f另有\x85附錄\n"
    project.write({ISSUE_PATH: text})
    problems = [p for p in project.problems() if p.kind is Kind.CONTROL_CHARACTER]
    assert [at(p) for p in problems] == [f"{ISSUE_PATH}:2:10", f"{ISSUE_PATH}:3:10"]  # the first of each line
    assert "U+0000 NULL" in problems[0].message and "U+007F DELETE" in problems[1].message


def test_c1_control_in_front_matter(project):
    text = NOTICE.replace("title: 公告本市", "title: 公告\x9b本市")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)
    line, column = position(text, "\x9b")
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "U+009B CONTROL SEQUENCE INTRODUCER" in problem.message


def test_control_character_in_a_markdown_body(project):
    text = NOTICE + "第二段\x0c文字。\n"
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)
    line, column = position(text, "\x0c")
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "U+000C FORM FEED" in problem.message


def test_control_character_in_a_table(project):
    text = "district,people\n東區,120345\n西\x1d區,-12\n"
    project.write({TABLE_PATH: text})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)
    assert at(problem) == f"{TABLE_PATH}:3:2"
    assert "U+001D INFORMATION SEPARATOR THREE" in problem.message


def test_control_character_typed_as_a_yaml_escape(project):
    project.write({ISSUE_PATH: 'date: 2026-01-01\ntitle: "新年\\e特刊"\n'})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)
    assert at(problem) == f"{ISSUE_PATH}:2:8"
    assert "U+001B ESCAPE" in problem.message


def test_tab_inside_a_yaml_value_is_refused(project):
    project.write({ISSUE_PATH: 'date: 2026-01-01\ntitle: "新年\t特刊"\n'})
    problem = only(project.problems(), Kind.CONTROL_CHARACTER)
    assert at(problem) == f"{ISSUE_PATH}:2:11"
    assert "tab" in problem.message


def test_tab_in_a_markdown_body_is_fine(project):
    project.write({NOTICE_PATH: NOTICE + "\n| 項目\t| 說明 |\n\n\t縮排的程式碼\n"})
    assert project.problems() == []


def test_tab_in_a_table_is_refused(project):
    project.write({TABLE_PATH: "district,people\n東區\t,120345\n西區,-12\n"})
    assert at(only(project.problems(), Kind.CONTROL_CHARACTER)) == f"{TABLE_PATH}:2:3"


def test_unicode_line_separator_is_refused_where_it_is(project):
    text = "date: 2026-01-01\ntitle: 新年\u2028特刊\n"  # a line break to YAML, to no editor
    project.write({ISSUE_PATH: text})
    assert at(only(project.problems(), Kind.CONTROL_CHARACTER)) == f"{ISSUE_PATH}:2:10"


def test_lone_carriage_returns_end_lines(project):
    (project.root / ISSUE_PATH).write_bytes(b"date: 2026-01-01\rtitle: [\r")
    problem = only(project.problems(), Kind.YAML_SYNTAX)
    assert problem.source.line == 3  # counted as YAML counts them


# -- private-use characters ----------------------------------------------------------------------------

def test_private_use_character_is_a_warning(project):
    text = NOTICE.replace("title: 公告本市道路", "title: 公告本市\ue000道路") + "里長\U000f0001先生。\n"
    project.write({NOTICE_PATH: text})
    problems = [p for p in project.problems() if p.kind is Kind.PRIVATE_USE]
    assert [at(p) for p in problems] == [f"{NOTICE_PATH}:{line}:{column}" for line, column in
                                         (position(text, "\ue000"), position(text, "\U000f0001"))]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert "U+E000" in problems[0].message and "U+F0001" in problems[1].message
    assert "standard Unicode character" in problems[0].message
    assert project.errors() == []


def test_private_use_character_in_a_table(project):
    project.write({TABLE_PATH: "district,people\n東區,120345\n\U00100000區,-12\n"})
    problem = only(project.problems(), Kind.PRIVATE_USE)
    assert at(problem) == f"{TABLE_PATH}:3:1"
    assert "U+100000" in problem.message


# -- nesting ---------------------------------------------------------------------------------------------

def test_deep_flow_nesting_is_refused_where_the_limit_is_passed(project):
    text = "date: 2026-01-01\ntitle: " + "[" * 400 + "]" * 400 + "\n"
    project.write({ISSUE_PATH: text})
    problem = only(project.problems(), Kind.TOO_DEEP)  # not a RecursionError
    assert at(problem) == f"{ISSUE_PATH}:2:{len('title: ') + DEPTH_LIMIT}"  # the 33rd collection: the file's mapping + 32
    assert str(DEPTH_LIMIT) in problem.message


def test_deep_block_nesting_in_front_matter(project):
    nested = "".join("  " * level + "a:\n" for level in range(DEPTH_LIMIT + 5))
    text = NOTICE.replace("keywords:", "x:\n" + "".join("  " + line + "\n" for line in nested.splitlines()) + "keywords:")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.TOO_DEEP)
    # the 33rd mapping: the front matter's, x's, then one a: per line, the 31st a: line indented 2 + 2 × 31
    assert at(problem) == f"{NOTICE_PATH}:{position(text, 'x:')[0] + DEPTH_LIMIT}:{2 + 2 * (DEPTH_LIMIT - 1) + 1}"


def test_nesting_up_to_the_limit_is_only_an_unknown_key(project):
    text = "date: 2026-01-01\nx: " + "[" * (DEPTH_LIMIT - 1) + "]" * (DEPTH_LIMIT - 1) + "\n"
    project.write({ISSUE_PATH: text})
    assert [p.kind for p in project.problems()] == [Kind.UNKNOWN_KEY]
