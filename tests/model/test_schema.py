"""The schema: unknown and missing keys, wrong types, impossible dates, text kept as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.checking.check import problems_of
from generator.errors import Kind

from conftest import AGENCY, NOTICE
from helpers import at, only, position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
AGENCY_PATH = "content/directory/city-government.yml"


def test_unknown_key_with_a_hint(project):
    text = NOTICE.replace("signer", "x").replace("keywords:", "signr: 市長 林志遠\nkeywords:")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.UNKNOWN_KEY)
    line, column = position(text, "signr")
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "did you mean 'signer'" in problem.message


def test_missing_required_key(project):
    project.write({NOTICE_PATH: NOTICE.replace("doc_number: 府工字第1150000001號\n", "")})
    problem = only(project.problems(), Kind.MISSING_KEY)
    assert at(problem) == f"{NOTICE_PATH}:2:1"  # the front matter's first key
    assert "'doc_number'" in problem.message


def test_missing_key_in_a_nested_mapping(project):
    text = AGENCY.replace("  en: Jiahe City Government\n", "")
    project.write({AGENCY_PATH: text})
    problem = only(project.problems(), Kind.MISSING_KEY)
    line, column = position(text, "zh-Hant: 嘉和市政府")
    assert at(problem) == f"{AGENCY_PATH}:{line}:{column}"
    assert "'en' in 'name'" in problem.message


def test_wrong_type(project):
    text = NOTICE.replace("keywords: [道路, 挖掘]", "keywords: 道路")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.WRONG_TYPE)
    line, column = position(text, "道路\n")
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "must be a list" in problem.message


def test_mapping_where_text_is_expected(project):
    text = NOTICE.replace("title: 公告本市道路挖掘管理事項", "title:\n  zh-Hant: 公告")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.WRONG_TYPE)
    assert at(problem) == f"{NOTICE_PATH}:3:3"


def test_impossible_date(project):
    text = NOTICE.replace("issued: 2025-12-20", "issued: 2025-02-30")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.BAD_DATE)
    line, column = position(text, "2025-02-30")
    assert at(problem) == f"{NOTICE_PATH}:{line}:{column}"
    assert "day is out of range" in problem.message


def test_date_in_another_format(project):
    text = NOTICE.replace("issued: 2025-12-20", "issued: 114/12/20")
    project.write({NOTICE_PATH: text})
    assert "YYYY-MM-DD" in only(project.problems(), Kind.BAD_DATE).message


def test_empty_required_value(project):
    text = NOTICE.replace("title: 公告本市道路挖掘管理事項", "title:")
    project.write({NOTICE_PATH: text})
    assert at(only(project.problems(), Kind.EMPTY_VALUE)) == f"{NOTICE_PATH}:2:7"


def test_text_stays_text(project):
    text = AGENCY.replace("title: 科長", "title: NO\n        ext: 0123\n        role: '10:30'").replace(
        "phone: (05)225-4321 分機 101", "phone: (05)225-4321")
    text += "hours: 10:30\n"
    project.write({AGENCY_PATH: text, NOTICE_PATH: NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [1e3, NO, 0123]")})
    content, problems = problems_of(project.root)
    assert problems == []
    agency = content.links.agencies["city-government"]
    contact = agency.units[0].contacts[0]
    assert (contact.title, contact.ext, contact.role, agency.hours) == ("NO", "0123", "10:30", "10:30")
    assert content.gazette.notices[0].keywords == ("1e3", "NO", "0123")
    assert content.gazette.notices[0].issued == dt.date(2025, 12, 20)


def test_bad_phone_number(project):
    text = AGENCY.replace("phone: (05)225-4321\n", "phone: (05)225-43\n")
    project.write({AGENCY_PATH: text})
    problem = only(project.problems(), Kind.BAD_PHONE)
    line, column = position(text, "(05)225-43\n")
    assert at(problem) == f"{AGENCY_PATH}:{line}:{column}"


def test_phone_numbers_are_kept_as_typed_and_normalized(project):
    content, _ = problems_of(project.root)
    phone = content.links.agencies["city-government"].units[0].contacts[0].phone
    assert (phone.raw, phone.e164, phone.extension) == ("(05)225-4321 分機 101", "+88652254321", "101")
    assert phone.tel_uri == "tel:+88652254321,101"
    assert phone.national == "(05)225-4321 分機101"


def test_isbn_with_a_wrong_check_digit(project):
    from conftest import BOOK

    text = BOOK.replace("978-626-7000-00-7", "978-626-7000-00-2")
    project.write({"content/yearbook/2025/book.yml": text})
    problem = only(project.problems(), Kind.BAD_VALUE)
    line, column = position(text, "978-626-7000-00-2")
    assert at(problem) == f"content/yearbook/2025/book.yml:{line}:{column}"
    assert "check digit" in problem.message


def test_identifier_that_is_neither_isbn_nor_urn(project):
    from conftest import BOOK

    project.write({"content/yearbook/2025/book.yml": BOOK.replace("urn:uuid:5f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f", "yearbook-2025-en")})
    assert "neither an ISBN-13" in only(project.problems(), Kind.BAD_VALUE).message


# -- YAML's null is no value -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["~", "null", "Null", "NULL"])
def test_null_for_a_required_text_is_a_missing_value(project, typed):
    text = NOTICE.replace("title: 公告本市道路挖掘管理事項", f"title: {typed}")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.NULL_VALUE)  # not a notice titled "null"
    assert at(problem) == f"{NOTICE_PATH}:2:8"
    assert f"unquoted {typed} as nothing" in problem.message


def test_quoted_null_is_the_text_null(project):
    project.write({NOTICE_PATH: NOTICE.replace("title: 公告本市道路挖掘管理事項", 'title: "null"')})
    content, problems = problems_of(project.root)
    assert problems == []
    assert content.gazette.notices[0].title == "null"


def test_null_for_an_optional_key_is_absent(project):
    text = NOTICE.replace("keywords:", "signer: ~\ntitle_en: null\nattachments:\nkeywords:")
    project.write({NOTICE_PATH: text})
    content, problems = problems_of(project.root)
    assert problems == []
    notice = content.gazette.notices[0]
    assert (notice.signer, notice.title_en, notice.attachments) == (None, None, ())


def test_null_in_a_list_or_a_nested_mapping(project):
    text = AGENCY.replace("  en: Jiahe City Government", "  en: ~")
    notice = NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [道路, null]")
    project.write({AGENCY_PATH: text, NOTICE_PATH: notice})
    problems = [p for p in project.problems() if p.kind is Kind.NULL_VALUE]
    assert [at(p) for p in problems] == [f"{AGENCY_PATH}:{':'.join(map(str, position(text, '~')))}",
                                         f"{NOTICE_PATH}:{':'.join(map(str, position(notice, 'null')))}"]


def test_null_for_a_required_date(project):
    project.write({NOTICE_PATH: NOTICE.replace("issued: 2025-12-20", "issued: ~")})
    assert at(only(project.problems(), Kind.NULL_VALUE)) == f"{NOTICE_PATH}:6:9"


# -- free text that a spreadsheet would run ------------------------------------------------------------------

@pytest.mark.parametrize("value, char", [
    ('=HYPERLINK("https://evil.example/","按此")', "'='"), ("+886-5-2254321", "'+'"),
    ("-2+3", "'-'"), ("@SUM(A1:A9)", "'@'"),
])
def test_title_starting_like_a_formula(project, value, char):
    text = NOTICE.replace("title: 公告本市道路挖掘管理事項", f"title: '{value}'")
    project.write({NOTICE_PATH: text})
    problem = only(project.problems(), Kind.FORMULA_START)
    assert at(problem) == f"{NOTICE_PATH}:2:8"
    assert f"starts with {char}" in problem.message and "full-width" in problem.message


def test_formula_in_names_roles_keywords_and_attachment_titles(project):
    agency = AGENCY.replace("title: 科長", "title: '=1+1'").replace("address: 嘉和市", "address: +嘉和市")
    notice = NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [道路, '@挖掘']").replace(
        "keywords:", "attachments:\n  - file: 01-map.pdf\n    title: -附件\nkeywords:")
    project.write({AGENCY_PATH: agency, NOTICE_PATH: notice, "content/gazette/2026/01/01-map.pdf": b"%PDF-1.4\n"})
    problems = [p for p in project.problems() if p.kind is Kind.FORMULA_START]
    expected = [(AGENCY_PATH, agency, "+嘉和市"), (AGENCY_PATH, agency, "'=1+1'"),
                (NOTICE_PATH, notice, "-附件"), (NOTICE_PATH, notice, "'@挖掘'")]
    assert sorted(at(p) for p in problems) == sorted(f"{path}:{':'.join(map(str, position(text, needle)))}"
                                                     for path, text, needle in expected)


def test_plain_numbers_and_formatted_values_are_not_formulas(project):
    agency = AGENCY.replace("title: 科長", "title: '-12'").replace("phone: (05)225-4321\n", "phone: +886 5 225 4321\n")
    project.write({AGENCY_PATH: agency, NOTICE_PATH: NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [道路, '-3.5', ＝等號]")})
    assert project.problems() == []


def test_formula_in_a_dataset_descriptor(shipped):
    path = shipped.root / "datasets" / "gazette.yml"
    text = path.read_text(encoding="utf-8")
    first = text.index("    title: ", text.index("resources:"))
    changed = text[:first] + "    title: =WEBSERVICE(1)" + text[text.index("\n", first):]
    path.write_text(changed, encoding="utf-8")
    problem = only(shipped.problems(), Kind.FORMULA_START)
    line, column = position(changed, "=WEBSERVICE")
    assert at(problem) == f"datasets/gazette.yml:{line}:{column}"
