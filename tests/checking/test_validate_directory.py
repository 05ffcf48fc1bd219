"""The directory's numbers: what check refuses or doubts, each at its file, line and column."""

from __future__ import annotations

import pytest

from generator.errors import Kind, Severity
from generator.model.common import parse_phone

from conftest import AGENCY
from helpers import at, only, position

PATH = "content/directory/city-government.yml"
SECOND_UNIT = """\
  - id: archives
    name:
      zh-Hant: 檔案科
    contacts:
      - name: 李美華
        phone: {phone}
"""


def with_text(project, text: str) -> str:
    project.write({PATH: text})
    return text


def located(problem, text: str, needle: str, occurrence: int = 1) -> bool:
    line, column = position(text, needle, occurrence)
    return at(problem) == f"{PATH}:{line}:{column}"


@pytest.mark.parametrize(("typed", "reason"), [
    ("+1 650 253 0000", "+1 is not Taiwan's country code"),
    ("(02)123-4567", "a number with area code (02) has 8 digits after it; this one has 7"),
    ("(01)234-5678", "(01) is not a Taiwan area code"),
    ("0912-345-67", "a mobile number has 10 digits"),
    ("0800-12-345", "a toll-free number has 10 digits"),
    ("0204-123456", "premium-rate"),
    ("1999", "short codes such as 1999 cannot be listed"),
    ("225-4321", "start with the area code"),
    ("(05)225-4321 分機 10a", "the extension after '分機' must be 1 to 6 digits"),
    ("(05)225-4321 分機 1234567", "must be 1 to 6 digits"),
])
def test_numbers_that_are_not_taiwan_numbers_are_refused_where_typed(project, typed, reason):
    text = with_text(project, AGENCY.replace("(05)225-4321 分機 101", typed))
    problem = only(project.problems(), Kind.BAD_PHONE)
    assert located(problem, text, typed, text.count(typed))  # the contact's, after the agency's number
    assert reason in problem.message


@pytest.mark.parametrize(("typed", "shown", "kind"), [
    ("(02)2720-8889 分機 123", "(02)2720-8889 分機123", "landline"),
    ("02-27208889#123", "(02)2720-8889 分機123", "landline"),
    ("(04)2228-9111", "(04)2228-9111", "landline"),
    ("(037)559-559", "(037)559-559", "landline"),
    ("(049)222-2106", "(049)222-2106", "landline"),
    ("(082)325-548", "(082)325-548", "landline"),
    ("(0836)22-381", "(0836)22-381", "landline"),
    ("+886 5 225 4321 ext. 7", "(05)225-4321 分機7", "landline"),
    ("0912345678", "0912-345-678", "mobile"),
    ("0800-012-345", "0800-012-345", "toll-free"),
])
def test_every_kind_of_taiwan_number_is_accepted_and_shown_as_people_write_it(project, typed, shown, kind):
    phone = parse_phone(typed)
    assert (phone.national, phone.kind) == (shown, kind)
    with_text(project, AGENCY.replace("(05)225-4321 分機 101", typed))
    assert [p for p in project.problems() if p.severity is Severity.ERROR] == []


def test_tel_link_is_e164_with_the_extension():
    assert parse_phone("(02)2720-8889 分機 123").tel_uri == "tel:+886227208889,123"


def test_an_extension_in_ext_must_be_digits(project):
    text = with_text(project, AGENCY.replace("phone: (05)225-4321 分機 101", 'phone: (05)225-4321\n        ext: "10a"'))
    assert located(only(project.problems(), Kind.BAD_VALUE), text, '"10a"')


def test_an_extension_given_twice(project):
    text = with_text(project, AGENCY.replace("分機 101", '分機 101\n        ext: "102"'))
    problem = only(project.problems(), Kind.BAD_VALUE)
    assert located(problem, text, '"102"') and "already has extension 101" in problem.message


def test_a_fax_must_be_a_landline(project):
    text = with_text(project, AGENCY.replace("phone: (05)225-4321\n", "phone: (05)225-4321\nfax: 0912-345-678\n", 1))
    problem = only(project.problems(), Kind.BAD_FAX)
    assert located(problem, text, "0912-345-678") and "mobile" in problem.message


def test_a_fax_has_no_extension(project):
    text = with_text(project, AGENCY.replace("phone: (05)225-4321\n", "phone: (05)225-4321\nfax: (05)225-4320 分機 9\n", 1))
    assert located(only(project.problems(), Kind.BAD_EXTENSION), text, "(05)225-4320 分機 9")


def test_a_mobile_has_no_extension(project):
    text = with_text(project, AGENCY.replace("phone: (05)225-4321 分機 101", 'phone: 0912-345-678\n        ext: "12"'))
    problem = only(project.problems(), Kind.BAD_EXTENSION)
    assert located(problem, text, '"12"') and "mobile phones have no extensions" in problem.message


def test_a_toll_free_number_with_an_extension_is_a_warning(project):
    text = with_text(project, AGENCY.replace("(05)225-4321 分機 101", "0800-225-999 分機 3"))
    problem = only(project.problems(), Kind.TOLL_FREE_EXTENSION)
    assert problem.severity is Severity.WARNING and located(problem, text, "0800-225-999 分機 3")
    assert project.run("check").returncode == 0


def test_the_same_extension_for_two_units_is_a_warning_naming_the_first(project):
    text = with_text(project, AGENCY + SECOND_UNIT.format(phone="(05)225-4321 分機 101"))
    problem = only(project.problems(), Kind.SHARED_NUMBER)
    assert problem.severity is Severity.WARNING
    assert located(problem, text, "(05)225-4321 分機 101", 2)
    line, column = position(text, "(05)225-4321 分機 101")
    assert f"city-government/general at {PATH}:{line}:{column}" in problem.message


def test_the_same_direct_line_for_two_units_is_a_warning(project):
    text = AGENCY.replace("(05)225-4321 分機 101", "(05)225-4399")
    text = with_text(project, text + SECOND_UNIT.format(phone="(05)225-4399"))
    assert located(only(project.problems(), Kind.SHARED_NUMBER), text, "(05)225-4399", 2)


def test_the_switchboard_may_be_given_for_anyone(project):
    with_text(project, AGENCY.replace("(05)225-4321 分機 101", "(05)225-4321") + SECOND_UNIT.format(phone="(05)225-4321"))
    assert project.problems() == []


def test_two_contacts_of_a_unit_cannot_have_the_same_name(project):
    text = with_text(project, AGENCY + "      - name: 王小明\n        phone: (05)225-4321 分機 102\n")
    problem = only(project.problems(), Kind.DUPLICATE)
    assert located(problem, text, "王小明", 2) and "contact '王小明'" in problem.message


def test_two_contacts_of_a_unit_cannot_have_the_same_role_without_a_name(project):
    extra = "      - role: 承辦人\n        phone: (05)225-4321 分機 102\n"
    text = with_text(project, AGENCY + extra + extra.replace("102", "103"))
    assert located(only(project.problems(), Kind.DUPLICATE), text, "承辦人", 2)


def test_the_same_person_in_two_units_is_fine(project):
    with_text(project, AGENCY + SECOND_UNIT.format(phone="(05)225-4321 分機 102").replace("李美華", "王小明"))
    assert project.problems() == []


def test_an_agency_id_cannot_take_the_address_of_the_changes_page(project):
    agency = AGENCY.replace("group: city-hall", "group: city-hall\nparent: city-government").replace("分機 101", "分機 901")
    project.write({"content/directory/changes.yml": agency})
    problem = only(project.problems(), Kind.BAD_NAME)
    assert at(problem) == "content/directory/changes.yml:1:1" and "/directory/changes/" in problem.message
