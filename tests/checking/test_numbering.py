"""Issue folders and notice files numbered with two digits, or three in a year of 100 issues or more
(an issue of 100 notices or more), the same width within a folder; ids and URLs unchanged by the width."""

from __future__ import annotations

from generator import urls
from generator.checking.check import check
from generator.errors import Kind

from conftest import NOTICE
from helpers import at, only


def notice(serial: int) -> str:
    return NOTICE.replace("府工字第1150000001號", f"府工字第11500{serial:05d}號")


def test_three_digit_folders_and_files_are_valid_and_keep_the_two_digit_ids(project):
    """A daily gazette can name its folders 001, 002, … from the first issue; issue 2 is still /gazette/2026/02/."""
    project.write({"content/gazette/2026/01/issue.yml": "", "content/gazette/2026/01/01-road-works.md": ""})
    (project.root / "content/gazette/2026/01/issue.yml").unlink()
    (project.root / "content/gazette/2026/01/01-road-works.md").unlink()
    (project.root / "content/gazette/2026/01").rmdir()
    project.write({"content/gazette/2026/001/issue.yml": "date: 2026-01-01\n",
                   "content/gazette/2026/001/001-road-works.md": notice(1),
                   "content/gazette/2026/002/issue.yml": "date: 2026-01-16\n",
                   "content/gazette/2026/002/001-first.md": notice(2),
                   "content/gazette/2026/002/002-second.md": notice(3)})
    assert project.problems() == []
    content = check(project.root)
    assert [issue.id for issue in content.gazette.issues] == ["2026/01", "2026/02"]
    assert [n.id for n in content.gazette.notices] == ["2026/01/01", "2026/02/01", "2026/02/02"]
    assert urls.notice(content.gazette.notices[2]) == "gazette/2026/02/02/index.md"


def test_a_hundredth_notice_is_numbered_with_three_digits(project):
    files = {f"content/gazette/2026/01/{seq:03d}-n.md": notice(seq) for seq in range(2, 101)}
    (project.root / "content/gazette/2026/01/01-road-works.md").rename(project.root / "content/gazette/2026/01/001-road-works.md")
    project.write(files)
    assert project.problems() == []
    content = check(project.root)
    last = content.gazette.notices[-1]
    assert (len(content.gazette.notices), last.seq, last.id) == (100, 100, "2026/01/100")
    assert urls.notice(last) == "gazette/2026/01/100/index.md"


def test_two_digit_names_beside_a_hundredth_are_each_reported_with_the_rule(project):
    project.write({"content/gazette/2026/01/100-last.md": notice(2)})
    problem = only(project.problems(), Kind.BAD_NAME)
    assert at(problem) == "content/gazette/2026/01/01-road-works.md:1:1"
    assert "have 3 digits" in problem.message and "'001'" in problem.message
    assert "three (001 … 999) in an issue of 100 notices or more" in problem.message


def test_mixed_widths_in_a_year_are_reported_at_the_odd_folder(project):
    project.write({"content/gazette/2026/002/issue.yml": "date: 2026-01-16\n",
                   "content/gazette/2026/002/01-n.md": notice(2)})
    problem = only(project.problems(), Kind.BAD_NAME)
    assert at(problem) == "content/gazette/2026/002:1:1"
    assert "have 2 digits" in problem.message and "'02'" in problem.message
    assert "three (001, 002, … 999) in a year of 100 issues or more" in problem.message


def test_one_digit_four_digits_and_zero_are_refused_with_the_rule(project):
    project.write({"content/gazette/2026/01/2-n.md": notice(2), "content/gazette/2026/01/0001-n.md": notice(3),
                   "content/gazette/2026/000/issue.yml": "date: 2026-01-16\n"})
    problems = [p for p in project.problems() if p.kind is Kind.BAD_NAME]
    assert sorted(at(p) for p in problems) == ["content/gazette/2026/000:1:1", "content/gazette/2026/01/0001-n.md:1:1",
                                               "content/gazette/2026/01/2-n.md:1:1"]
    assert all("two digits" in p.message and "three" in p.message for p in problems)
