"""A notice's corrects/amends/repeals: each reference names an earlier notice, by document number or id,
and every one that does not is reported at its own place."""

from __future__ import annotations

from generator.checking.check import check
from generator.errors import Kind

from conftest import NOTICE
from helpers import at, only, position

SECOND = "content/gazette/2026/02/01-correction.md"


def corrigendum(project, front: str) -> str:
    text = NOTICE.replace("府工字第1150000001號", "府工字第1150000002號").replace("keywords: [道路, 挖掘]\n", front)
    project.write({"content/gazette/2026/02/issue.yml": "date: 2026-01-16\n", SECOND: text})
    return text


def test_a_correction_by_document_number_links_both_notices(project):
    corrigendum(project, "corrects: 府工字 第1150000001號\n")  # spaces inside a number do not matter
    assert project.problems() == []
    content = check(project.root)
    first, second = content.gazette.notices
    assert content.links.relations(second) == (("corrects", first),)
    assert content.links.related_by(first) == (("corrects", second),)
    assert content.links.related_by(second) == () and content.links.relations(first) == ()


def test_a_notice_may_be_named_by_its_id_and_in_a_list(project):
    corrigendum(project, "amends: [2026/01/01]\n")
    content = check(project.root)
    assert content.links.related_by(content.gazette.notices[0]) == (("amends", content.gazette.notices[1]),)


def test_an_unknown_reference_is_reported_at_its_place_with_a_hint(project):
    text = corrigendum(project, "repeals:\n  - 2026/01/01\n  - 府工字第1150000091號\n")
    problem = only(project.errors(), Kind.UNKNOWN_REFERENCE)
    assert at(problem) == "%s:%d:%d" % (SECOND, *position(text, "府工字第1150000091號"))
    assert "府工字第1150000001號" in problem.message  # did you mean


def test_a_notice_cannot_name_itself_or_a_later_one(project):
    text = corrigendum(project, "corrects: 府工字第1150000002號\n")
    assert at(only(project.errors(), Kind.BAD_RELATION)) == "%s:%d:%d" % (SECOND, *position(text, "府工字第1150000002號", 2))
    project.edit("content/gazette/2026/01/01-road-works.md", "keywords:", "corrects: 2026/02/01\nkeywords:")
    project.edit(SECOND, "corrects: 府工字第1150000002號", "keywords: [更正]")
    problem = only(project.errors(), Kind.BAD_RELATION)
    assert at(problem) == "content/gazette/2026/01/01-road-works.md:7:11"
    assert "published after this one" in problem.message


def test_references_must_be_text(project):
    corrigendum(project, "corrects: {notice: 2026/01/01}\n")
    assert at(only(project.errors(), Kind.WRONG_TYPE)) == f"{SECOND}:7:11"
