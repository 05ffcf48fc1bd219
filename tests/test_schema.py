"""The schema: unknown and missing keys, wrong types, impossible dates, text kept as typed."""

from __future__ import annotations

import datetime as dt

from generator.check import problems_of
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
    agency = content.directory.agency("city-government")
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
    phone = content.directory.agency("city-government").units[0].contacts[0].phone
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
