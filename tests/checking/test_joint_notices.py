"""Joint notices (會銜) and several document numbers: ``agency:`` and ``doc_number:`` take one value
or a list; check reports each item's problem at the item, and every number is unique on its own."""

from __future__ import annotations

from generator.checking.check import check
from generator.errors import Kind

from conftest import AGENCY, NOTICE
from helpers import at, only, position

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
SECOND = "content/gazette/2026/01/02-joint.md"
WORKS = AGENCY.replace("分機 101", "分機 201").replace("嘉和市政府", "工務局").replace("Jiahe City Government", "Public Works Department") + "parent: city-government\n"


def joint(agency: str = "[city-government, public-works]", numbers: str = "[府工字第1150000002號, 嘉市工字第1150000003號]") -> str:
    return (NOTICE.replace("agency: city-government", f"agency: {agency}")
            .replace("doc_number: 府工字第1150000001號", f"doc_number: {numbers}"))


def test_a_single_agency_and_number_stay_as_written(project):
    content = check(project.root)
    notice = content.gazette.notices[0]
    assert (notice.agencies, notice.doc_numbers) == (("city-government",), ("府工字第1150000001號",))
    assert (notice.agency, notice.doc_number, notice.joint) == ("city-government", "府工字第1150000001號", False)


def test_a_joint_notice_with_two_numbers_is_valid(project):
    project.write({"content/directory/public-works.yml": WORKS, SECOND: joint()})
    assert project.problems() == []
    content = check(project.root)
    notice = content.gazette.notices[1]
    assert notice.agencies == ("city-government", "public-works") and notice.joint
    assert notice.agency == "city-government"  # the first is the lead
    assert notice.doc_numbers == ("府工字第1150000002號", "嘉市工字第1150000003號")
    assert [a.id for a in content.links.agencies_of(notice)] == ["city-government", "public-works"]


def test_block_lists_are_read_too(project):
    text = joint("\n  - city-government\n  - public-works", "\n  - 府工字第1150000002號\n  - 嘉市工字第1150000003號")
    project.write({"content/directory/public-works.yml": WORKS, SECOND: text})
    assert project.problems() == []


def test_each_number_is_unique_and_reported_at_its_item(project):
    text = joint(numbers="[府工字第1150000002號, 府工字第1150000001號]")  # the second is notice 01's
    project.write({"content/directory/public-works.yml": WORKS, SECOND: text})
    problem = only(project.problems(), Kind.DUPLICATE)
    line, column = position(text, "府工字第1150000001號")
    assert at(problem) == f"{SECOND}:{line}:{column}"
    assert f"{NOTICE_PATH}:5:13" in problem.message  # where it was first given


def test_the_same_number_twice_in_one_notice(project):
    text = joint(numbers="[府工字第1150000002號, 府工字 第1150000002號]")  # spaces do not make it another number
    project.write({"content/directory/public-works.yml": WORKS, SECOND: text})
    problem = only(project.problems(), Kind.DUPLICATE)
    assert at(problem) == f"{SECOND}:{position(text, '府工字 第')[0]}:{position(text, '府工字 第')[1]}"


def test_a_later_number_of_a_joint_notice_clashes_with_a_single_one(project):
    project.write({"content/directory/public-works.yml": WORKS, SECOND: joint(),
                   "content/gazette/2026/01/03-later.md": NOTICE.replace("府工字第1150000001號", "嘉市工字第1150000003號")})
    problem = only(project.problems(), Kind.DUPLICATE)
    assert at(problem) == "content/gazette/2026/01/03-later.md:5:13"
    line, column = position(joint(), "嘉市工字第1150000003號")
    assert f"{SECOND}:{line}:{column}" in problem.message


def test_an_unknown_agency_in_the_list_is_reported_at_it(project):
    text = joint("[city-government, public-wrks]")
    project.write({"content/directory/public-works.yml": WORKS, SECOND: text})
    problem = only(project.problems(), Kind.UNKNOWN_REFERENCE)
    line, column = position(text, "public-wrks")
    assert at(problem) == f"{SECOND}:{line}:{column}"
    assert "did you mean 'public-works'" in problem.message


def test_an_agency_listed_twice(project):
    text = joint("[city-government, city-government]")
    project.write({SECOND: text})
    problem = only(project.problems(), Kind.DUPLICATE)
    assert at(problem) == f"{SECOND}:{position(text, 'city-government', 2)[0]}:{position(text, 'city-government', 2)[1]}"


def test_an_empty_list_and_a_bad_item_are_errors_at_their_place(project):
    empty = joint("[]")
    bad = joint(numbers="[府工字第1150000002號, {a: b}]")
    project.write({SECOND: empty, "content/gazette/2026/01/03-bad.md": bad})
    problems = project.problems()
    assert at(only(problems, Kind.EMPTY_VALUE)) == f"{SECOND}:{position(empty, '[]')[0]}:{position(empty, '[]')[1]}"
    assert at(only(problems, Kind.WRONG_TYPE)) == f"content/gazette/2026/01/03-bad.md:{position(bad, '{a')[0]}:{position(bad, '{a')[1]}"


def test_a_number_that_starts_like_a_formula_is_refused_in_a_list(project):
    text = joint(numbers="[府工字第1150000002號, '=1+1']")
    project.write({"content/directory/public-works.yml": WORKS, SECOND: text})
    assert at(only(project.problems(), Kind.FORMULA_START)) == f"{SECOND}:{position(text, chr(39) + '=1')[0]}:{position(text, chr(39) + '=1')[1]}"
