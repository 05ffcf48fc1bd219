"""Rules across files: issue numbering and dates, references, translations, files inside content/."""

from __future__ import annotations

import os

import pytest

from generator.errors import Kind, Severity

from conftest import BOOK, CHAPTER_ZH, ISSUE, NOTICE
from helpers import at, only, position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
BOOK_PATH = "content/yearbook/2025/book.yml"
CHAPTER_PATH = "content/yearbook/2025/zh-Hant/01-overview.md"


def second_issue(project, number: str = "02", date: str = "2026-01-16", doc: str = "府工字第1150000002號") -> None:
    project.write({
        f"content/gazette/2026/{number}/issue.yml": f"date: {date}\n",
        f"content/gazette/2026/{number}/01-notice.md": NOTICE.replace("府工字第1150000001號", doc),
    })


def test_a_second_issue_on_schedule_is_valid(project):
    second_issue(project)
    assert project.problems() == []


def test_gap_in_issue_numbers(project):
    second_issue(project, number="03")
    problem = only(project.problems(), Kind.ISSUE_GAP)
    assert at(problem) == "content/gazette/2026/03/issue.yml:1:1"
    assert "follows issue 01" in problem.message


def test_first_issue_of_a_year_is_01(project):
    project.write({"content/gazette/2027/02/issue.yml": "date: 2027-01-01\n",
                   "content/gazette/2027/02/01-notice.md": NOTICE.replace("1150000001", "1160000001")})
    assert at(only(project.problems(), Kind.ISSUE_GAP)) == "content/gazette/2027/02/issue.yml:1:1"


def test_issue_folder_must_be_two_digits(project):
    project.write({"content/gazette/2026/2/issue.yml": "date: 2026-01-16\n"})
    assert at(only(project.problems(), Kind.BAD_NAME)) == "content/gazette/2026/2:1:1"


def test_publication_date_outside_its_year(project):
    project.write({"content/gazette/2026/01/issue.yml": "date: 2025-12-28\n"})
    problem = only(project.errors(), Kind.ISSUE_DATE)
    assert at(problem) == "content/gazette/2026/01/issue.yml:1:7"
    assert "not in 2026" in problem.message


def test_publication_dates_increase_with_the_number(project):
    second_issue(project, date="2026-01-01")
    problem = only(project.errors(), Kind.ISSUE_DATE)
    assert at(problem) == "content/gazette/2026/02/issue.yml:1:7"


def test_off_schedule_is_a_warning_not_an_error(project, capsys):
    second_issue(project, date="2026-01-17")
    problem = only(project.problems(), Kind.OFF_SCHEDULE)
    assert problem.severity is Severity.WARNING
    assert at(problem) == "content/gazette/2026/02/issue.yml:1:7"
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr


def test_notice_issued_after_publication(project):
    project.write({NOTICE_PATH: NOTICE.replace("issued: 2025-12-20", "issued: 2026-01-05")})
    assert at(only(project.errors(), Kind.ISSUE_DATE)) == f"{NOTICE_PATH}:6:9"


def test_document_numbers_are_unique_across_the_gazette(project):
    second_issue(project, doc="府工字第1150000001號")
    problem = only(project.problems(), Kind.DUPLICATE)
    assert at(problem) == "content/gazette/2026/02/01-notice.md:5:13"
    assert f"{NOTICE_PATH}:5:13" in problem.message


def test_unknown_agency_with_a_hint(project):
    project.write({NOTICE_PATH: NOTICE.replace("agency: city-government", "agency: city-govt")})
    problem = only(project.problems(), Kind.UNKNOWN_REFERENCE)
    assert at(problem) == f"{NOTICE_PATH}:4:9"
    assert "did you mean 'city-government'" in problem.message


def test_agency_with_a_broken_file_is_not_also_reported_missing(project):
    project.write({"content/directory/city-government.yml": "name: [\n"})
    kinds = {p.kind for p in project.problems()}
    assert kinds == {Kind.YAML_SYNTAX}


def test_unknown_category(project):
    project.write({NOTICE_PATH: NOTICE.replace("category: 公告", "category: 公吿事項")})
    problem = only(project.problems(), Kind.UNKNOWN_REFERENCE)
    assert at(problem) == f"{NOTICE_PATH}:3:11"


def test_category_by_slug(project):
    project.write({NOTICE_PATH: NOTICE.replace("category: 公告", "category: notices")})
    assert project.problems() == []


def test_chapter_missing_in_one_language(project):
    os.remove(project.root / "content/yearbook/2025/en/01-overview.md")
    problem = only(project.problems(), Kind.MISSING_TRANSLATION)
    line, column = position(BOOK, "01-overview")
    assert at(problem) == f"{BOOK_PATH}:{line}:{column}"
    assert "content/yearbook/2025/en/01-overview.md" in problem.message


def test_chapter_marked_not_translated(project):
    os.remove(project.root / "content/yearbook/2025/en/01-overview.md")
    project.write({BOOK_PATH: BOOK.replace("  - 01-overview", "  - chapter: 01-overview\n    not_translated: [en]")})
    assert project.problems() == []


def test_chapter_file_not_in_the_book(project):
    project.write({"content/yearbook/2025/zh-Hant/02-extra.md": "---\ntitle: 附錄\n---\n\n附錄。\n"})
    problem = only(project.problems(), Kind.UNKNOWN_REFERENCE)
    assert at(problem) == "content/yearbook/2025/zh-Hant/02-extra.md:1:1"


def test_image_that_does_not_exist(project):
    text = CHAPTER_ZH.replace("../images/cover.png", "../images/missing.png")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "![")
    assert at(only(project.problems(), Kind.MISSING_FILE)) == f"{CHAPTER_PATH}:{line}:{column}"


def test_image_without_alt_text(project):
    text = CHAPTER_ZH.replace("![市政大樓]", "![]")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "![")
    assert at(only(project.problems(), Kind.MISSING_ALT)) == f"{CHAPTER_PATH}:{line}:{column}"


def test_image_escaping_content_with_dotdot(project):
    (project.root / "secret.png").write_bytes(b"x")
    text = CHAPTER_ZH.replace("../images/cover.png", "../../../../secret.png")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "![")
    problem = only(project.problems(), Kind.OUTSIDE_CONTENT)
    assert at(problem) == f"{CHAPTER_PATH}:{line}:{column}"


def test_image_symlink_pointing_outside(project):
    (project.root / "secret.png").write_bytes(b"x")
    os.symlink(project.root / "secret.png", project.root / "content/yearbook/2025/images/link.png")
    text = CHAPTER_ZH.replace("../images/cover.png", "../images/link.png")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "![")
    problem = only(project.problems(), Kind.OUTSIDE_CONTENT)
    assert at(problem) == f"{CHAPTER_PATH}:{line}:{column}"
    assert "link" in problem.message


def test_notice_file_symlinked_from_outside(project):
    (project.root / "outside.md").write_text(NOTICE, encoding="utf-8")
    os.symlink(project.root / "outside.md", project.root / "content/gazette/2026/01/02-linked.md")
    assert at(only(project.problems(), Kind.OUTSIDE_CONTENT)) == "content/gazette/2026/01/02-linked.md:1:1"


def test_unknown_table(project):
    text = CHAPTER_ZH.replace("{{ table: population }}", "{{ table: populaton }}")
    project.write({CHAPTER_PATH: text})
    problem = only(project.problems(), Kind.UNKNOWN_REFERENCE)
    line, column = position(text, "populaton")
    assert at(problem) == f"{CHAPTER_PATH}:{line}:{column}"
    assert "did you mean 'population'" in problem.message


def test_table_file_missing(project):
    os.remove(project.root / "content/yearbook/2025/tables/population.csv")
    line, column = position(BOOK, "tables/population.csv")
    assert at(only(project.problems(), Kind.MISSING_FILE)) == f"{BOOK_PATH}:{line}:{column}"


def test_table_column_not_described(project):
    project.write({"content/yearbook/2025/tables/population.csv": "district,people,area\n東區,1,2\n"})
    problem = only(project.problems(), Kind.BAD_TABLE)
    assert at(problem) == "content/yearbook/2025/tables/population.csv:1:17"  # the line and column of 'area'
    assert "'area'" in problem.message


def test_cover_missing(project):
    os.remove(project.root / "content/yearbook/2025/images/cover.png")
    problems = project.problems()
    line, column = position(BOOK, "images/cover.png")
    assert f"{BOOK_PATH}:{line}:{column}" in [at(p) for p in problems if p.kind is Kind.MISSING_FILE]


def with_attachment(file: str) -> str:
    return NOTICE.replace("keywords:", f"attachments:\n  - file: {file}\n    title: 附件\nkeywords:")


def test_attachment_beside_the_notice(project):
    project.write({NOTICE_PATH: with_attachment("01-road-works-map.pdf"),
                   "content/gazette/2026/01/01-road-works-map.pdf": b"%PDF-1.4\n"})
    assert project.problems() == []


def test_attachment_missing(project):
    text = with_attachment("01-road-works-map.pdf")
    project.write({NOTICE_PATH: text})
    line, column = position(text, "01-road-works-map.pdf")
    assert at(only(project.problems(), Kind.MISSING_FILE)) == f"{NOTICE_PATH}:{line}:{column}"


def test_attachment_with_absolute_path(project):
    text = with_attachment("/etc/passwd")
    project.write({NOTICE_PATH: text})
    line, column = position(text, "/etc/passwd")
    assert at(only(project.problems(), Kind.OUTSIDE_CONTENT)) == f"{NOTICE_PATH}:{line}:{column}"


def test_attachment_escaping_with_dotdot(project):
    text = with_attachment("../../../../mkdocs.yml")
    project.write({NOTICE_PATH: text})
    line, column = position(text, "../../../../mkdocs.yml")
    assert at(only(project.problems(), Kind.OUTSIDE_CONTENT)) == f"{NOTICE_PATH}:{line}:{column}"


def test_contact_needs_a_name_or_a_role(project):
    project.edit("content/directory/city-government.yml", "      - name: 王小明\n        title: 科長\n", "      - title: 科長\n")
    problem = only(project.problems(), Kind.MISSING_KEY)
    assert problem.source.path.name == "city-government.yml"


def test_unknown_parent_agency(project):
    project.edit("content/directory/city-government.yml", "group: city-hall", "group: city-hall\nparent: nobody")
    assert only(project.problems(), Kind.UNKNOWN_REFERENCE).source.line == 5


def test_empty_issue_is_a_warning(project):
    project.write({"content/gazette/2026/02/issue.yml": "date: 2026-01-16\n"})
    problem = only(project.problems(), Kind.EMPTY_ISSUE)
    assert problem.severity is Severity.WARNING


def test_all_problems_of_a_run_are_reported(project):
    project.write({
        NOTICE_PATH: NOTICE.replace("issued: 2025-12-20", "issued: 2025-13-01"),
        "content/gazette/2026/01/issue.yml": ISSUE + "title: [\n",
        CHAPTER_PATH: CHAPTER_ZH.replace("![市政大樓]", "![]"),
    })
    second_issue(project, number="03")
    kinds = sorted(p.kind.slug for p in project.problems())
    assert kinds == ["bad-date", "issue-gap", "missing-alt", "yaml-syntax"]


def test_image_from_the_web_is_refused(project):
    text = CHAPTER_ZH.replace("../images/cover.png", "https://example.com/cover.png")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "![")
    problem = only(project.problems(), Kind.OUTSIDE_CONTENT)
    assert str(problem.source) == f"{CHAPTER_PATH}:{line}:{column}"
    assert "offline" in problem.message


def test_keyword_with_the_open_data_list_separator(project):
    text = NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [道路;挖掘]")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.BAD_VALUE)
    line, column = position(text, "道路;挖掘")
    assert str(problem.source) == f"{NOTICE_PATH}:{line}:{column}"
    assert "make two keywords" in problem.message


# -- statistics tables: numbers written plain, columns that do not change type silently -----------------------

TABLE_PATH = "content/yearbook/2025/tables/population.csv"


def test_number_with_thousands_separators(project):
    project.write({TABLE_PATH: 'district,people\n東區,"120,345"\n西區,-12\n'})
    problem = only(project.problems(), Kind.BAD_NUMBER)  # the column would silently become text
    assert at(problem) == f"{TABLE_PATH}:2:4"
    assert "'120,345' in column 'people'" in problem.message and "120345" in problem.message


@pytest.mark.parametrize("cell, plain", [("１２０３４５", "120345"), ("+120345", "120345"), ("\u2212120345", "-120345"),
                                         ('"-1,415.5"', "-1415.5"), ("120 345", "120345")])
def test_numbers_written_otherwise_than_plain(project, cell, plain):
    project.write({TABLE_PATH: f"district,people\n東區,{cell}\n西區,-12\n"})
    problem = only(project.problems(), Kind.BAD_NUMBER)
    assert at(problem) == f"{TABLE_PATH}:2:4"
    assert f"write it plain, {plain} " in problem.message


def test_text_in_a_number_column_is_refused_at_the_first_text_cell(project):
    project.write({TABLE_PATH: "district,people\n東區,120345\n西區,—\n南區,不詳\n北區,7\n"})
    problem = only(project.problems(), Kind.MIXED_COLUMN)
    assert at(problem) == f"{TABLE_PATH}:3:4"
    assert "'—' in column 'people'" in problem.message and "other 2 filled cells are numbers" in problem.message


def test_empty_cells_are_fine_in_a_number_column(project):
    project.write({TABLE_PATH: "district,people\n東區,120345\n西區,\n"})
    assert project.problems() == []


def test_label_columns_may_hold_numbers_and_text(project):
    text = ("year,year_en,people\n2024,2024,120345\n2025,2025,120400\n合計,Total,240745\n")
    book = BOOK.replace("      district:\n", "      year:\n        zh-Hant: 年\n        en: Year\n"
                              "      year_en:\n        zh-Hant: 年（英文）\n        en: Year\n      district:\n")
    project.write({TABLE_PATH: text, BOOK_PATH: book.replace("      district:\n        zh-Hant: 區別\n        en: District\n", "")})
    assert project.problems() == []


def test_a_text_column_with_a_few_numbers_stays_text(project):
    text = "district,people,note\n東區,1,含港區\n西區,2,2\n南區,3,新設\n"
    book = BOOK.replace("      people:\n", "      note:\n        zh-Hant: 附註\n        en: Note\n      people:\n")
    project.write({TABLE_PATH: text, BOOK_PATH: book})
    assert project.problems() == []


def test_table_cell_starting_like_a_formula(project):
    text = 'district,people\n東區,120345\n"=HYPERLINK(""https://evil.example"")",-12\n'
    project.write({TABLE_PATH: text})
    problem = only(project.problems(), Kind.FORMULA_START)
    assert at(problem) == f"{TABLE_PATH}:3:1"
    assert "starts with '='" in problem.message


def test_cell_positions_follow_quoted_line_breaks(project):
    text = 'district,people\n"東區\n（含港區）",120345\n西區,"1,2"\n'
    project.write({TABLE_PATH: text})
    problem = only(project.problems(), Kind.MIXED_COLUMN)
    assert at(problem) == f"{TABLE_PATH}:4:4"  # the third line's row starts on line 4


# -- the first line of a Markdown body ------------------------------------------------------------------------

@pytest.mark.parametrize("first", ["=HYPERLINK(\"x\")", "@所有人", "+886-5-2254321", "-5℃ 低溫特報", "-(一)"])
def test_body_starting_like_a_formula(project, first):
    text = NOTICE.replace("主旨：", f"\n  {first}\n主旨：")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.FORMULA_START)
    line, column = position(text, first)
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"


def test_chapter_starting_like_a_formula(project):
    text = CHAPTER_ZH.replace("本市位於", "=本市位於")
    project.write({CHAPTER_PATH: text})
    line, column = position(text, "=本市")
    assert at(only(project.problems(), Kind.FORMULA_START)) == f"{CHAPTER_PATH}:{line}:{column}"


@pytest.mark.parametrize("first", ["- 第一項", "+ 第一項", "-\t第一項", "主旨：-5℃", "# 標題"])
def test_body_starting_with_a_list_or_text_is_fine(project, first):
    project.write({NOTICE_PATH: NOTICE.replace("主旨：公告本市道路挖掘管理事項。", first)})
    assert project.problems() == []


# -- one rule for paths named in content (generator/reading/paths.py) ----------------------------------

@pytest.mark.parametrize(("value", "reason"), [
    ("/etc/secret.png", "write a path relative to this file"),
    ("..\\secret.png", "write a path relative to this file"),
    ("../../../../secret.png", "'..' leads out of content/"),
    ("link.png", "it is a link to a file outside"),
])
def test_attachments_and_images_leave_content_for_the_same_reasons(project, value, reason):
    if value == "link.png":
        (project.root / "secret.png").write_bytes(b"x")
        for folder in ("content/gazette/2026/01", "content/yearbook/2025/zh-Hant"):
            os.symlink(project.root / "secret.png", project.root / folder / "link.png")
    project.write({NOTICE_PATH: with_attachment(value), CHAPTER_PATH: CHAPTER_ZH.replace("../images/cover.png", value)})
    found = {str(p.source.path): p for p in project.problems() if p.kind is Kind.OUTSIDE_CONTENT}
    assert {NOTICE_PATH, CHAPTER_PATH} <= set(found), found
    for path in (NOTICE_PATH, CHAPTER_PATH):
        assert found[path].message.endswith(f"'{value}' points outside content/: {reason}"), found[path]
