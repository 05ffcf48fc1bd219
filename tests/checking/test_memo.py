"""check's memo of each notice file (generator/reading/memo.py) never hides a problem: after every
change below, check through the memo reports exactly what a check without it reports, the change's
problem included, and the memo file holds what the last run used."""

from __future__ import annotations

import pickle

import pytest

from generator.checking.check import problems_of
from generator.errors import Kind
from generator.reading.memo import FILE, Memo

from conftest import NOTICE

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
SECOND_PATH = "content/gazette/2026/01/02-bridge-closure.md"
SECOND = NOTICE.replace("府工字第1150000001號", "府工字第1150000002號").replace("道路挖掘管理", "橋梁封閉")


def report(root, memo) -> list[str]:
    return [str(p) for p in problems_of(root, memo)[1]]


def same(project) -> list[str]:
    """check through the project's memo file, which must say what a check without one says."""
    through = report(project.root, True)
    assert through == report(project.root, False)
    return through


def kinds(found: list[str]) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in found]


@pytest.fixture
def two(project):
    """The minimal project with a second notice, checked once (so both files are in the memo)."""
    project.write({SECOND_PATH: SECOND})
    assert same(project) == []
    assert (project.root / FILE).is_file()
    return project


def test_a_file_changed_back_and_forth_is_read_as_it_is_each_time(two):
    broken = NOTICE.replace("category: 公告", "category: 不存在的類別")
    for _ in range(2):
        two.write({NOTICE_PATH: broken})
        found = same(two)
        assert kinds(found) == [Kind.UNKNOWN_REFERENCE.slug]
        assert found[0].startswith(f"{NOTICE_PATH}:3:11:")
        two.write({NOTICE_PATH: NOTICE})
        assert same(two) == []
    two.write({NOTICE_PATH: NOTICE.replace("---\n\n主旨", "\n主旨")})  # front matter never closed
    assert kinds(same(two)) == [Kind.UNCLOSED_FRONT_MATTER.slug]
    two.write({NOTICE_PATH: NOTICE})
    assert same(two) == []


def test_a_deleted_file_is_gone_from_the_model_and_its_neighbours_rules_see_it(two):
    two.write({SECOND_PATH: SECOND + "corrects: 府工字第1150000001號\n"})  # in the body: no relation yet
    assert same(two) == []
    two.write({SECOND_PATH: SECOND.replace("keywords:", "corrects: 府工字第1150000001號\nkeywords:")})
    assert same(two) == []
    (two.root / NOTICE_PATH).unlink()
    found = same(two)
    assert kinds(found) == [Kind.UNKNOWN_REFERENCE.slug]  # the notice it corrects is gone
    assert found[0].startswith(SECOND_PATH)
    content, _ = problems_of(two.root)
    assert [n.source.path.name for n in content.gazette.notices] == ["02-bridge-closure.md"]


def test_a_conflict_made_by_a_neighbour_is_reported_at_the_unchanged_file_too(two):
    # the second notice takes the first one's document number: the first, unchanged and read from
    # the memo, is where the number was first given
    two.write({SECOND_PATH: NOTICE})
    found = same(two)
    assert kinds(found) == [Kind.DUPLICATE.slug]
    assert found[0].startswith(SECOND_PATH) and NOTICE_PATH in found[0]
    two.write({SECOND_PATH: SECOND})
    assert same(two) == []


def test_what_an_unchanged_notice_names_is_looked_up_again(two):
    # its agency leaves the directory
    (two.root / "content/directory/city-government.yml").rename(two.root / "content/directory/city-hall.yml")
    assert kinds(same(two)).count(Kind.UNKNOWN_REFERENCE.slug) == 2
    (two.root / "content/directory/city-hall.yml").rename(two.root / "content/directory/city-government.yml")
    assert same(two) == []
    # its category leaves site.yml
    two.edit("content/site.yml", "zh-Hant: 公告\n", "zh-Hant: 公示\n")
    assert Kind.UNKNOWN_REFERENCE.slug in kinds(same(two))
    two.edit("content/site.yml", "zh-Hant: 公示\n", "zh-Hant: 公告\n")
    assert same(two) == []


def test_an_attachment_or_image_removed_under_an_unchanged_notice_is_reported(two):
    two.write({"content/gazette/2026/01/files/plan.pdf": b"%PDF-1.4\n",
               "content/gazette/2026/01/files/map.png": b"\x89PNG\r\n\x1a\n",
               NOTICE_PATH: NOTICE.replace("keywords:", "attachments:\n  - file: files/plan.pdf\n    title: 計畫書\nkeywords:")
               + "\n![路線圖](files/map.png)\n"})
    assert same(two) == []
    (two.root / "content/gazette/2026/01/files/map.png").unlink()
    found = same(two)
    assert kinds(found) == [Kind.MISSING_FILE.slug] and "image 'files/map.png'" in found[0]
    (two.root / "content/gazette/2026/01/files/plan.pdf").unlink()
    found = same(two)  # the notice does not load now: its image is not looked at
    assert kinds(found) == [Kind.MISSING_FILE.slug] and "attachment 'files/plan.pdf'" in found[0]


def test_the_memo_keeps_what_the_last_run_used_and_a_damaged_one_is_ignored(two):
    (two.root / SECOND_PATH).unlink()
    same(two)
    memo = Memo(two.root)
    assert len(memo.entries) == 1  # the deleted file's entry is gone
    (two.root / FILE).write_bytes(b"not a pickle")
    assert same(two) == []
    with open(two.root / FILE, "rb") as handle:
        code, entries = pickle.load(handle)
    assert code == memo.code and len(entries) == 1  # written anew


def test_the_command_line_reports_a_memoised_files_problem_at_its_place_every_time(two):
    two.write({NOTICE_PATH: NOTICE.replace("issued: 2025-12-20", "issued: 2025-13-40")})
    for _ in range(2):  # the second run reads the file's problem from the memo
        result = two.run("check")
        assert result.returncode == 1
        assert f"{NOTICE_PATH}:6:9: error:" in result.stderr
        assert "Traceback" not in result.stderr


def test_only_the_changed_file_is_read_again(two, monkeypatch):
    from generator.reading.load import Loader

    read = []
    original = Loader.read_notice

    def counted(self, path, *args, **kwargs):
        read.append(path.name)
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(Loader, "read_notice", counted)
    assert same(two) == [] and read == ["01-road-works.md", "02-bridge-closure.md"]  # without the memo
    read.clear()
    two.edit(SECOND_PATH, "主旨：", "主旨：（更正）")
    assert problems_of(two.root)[1] == [] and read == ["02-bridge-closure.md"]
    read.clear()
    memo = Memo()  # in memory, as serve keeps it between rebuilds
    for _ in range(2):
        assert problems_of(two.root, memo)[1] == []
    assert read == ["01-road-works.md", "02-bridge-closure.md"]  # read once


def test_a_file_with_very_many_problems_is_reported_whole_each_time(two):
    two.write({NOTICE_PATH: NOTICE + "<img src=x onerror=alert(1)>\n" * 500})
    for _ in range(2):
        found = same(two)
        assert kinds(found) == [Kind.UNSAFE_MARKUP.slug] * 500


THIRD_PATH = "content/gazette/2026/01/03-park-hours.md"
THIRD = NOTICE.replace("府工字第1150000001號", "府工字第1150000003號").replace("道路挖掘管理", "公園開放時間")


def test_a_new_file_is_appended_and_the_whole_file_is_written_only_when_an_entry_goes(two):
    """A new notice (a new issue) adds its entry beside the whole file, which stays as it was; a
    removed one makes the run write the whole file, with only what it used, and drop the records."""
    from generator.reading.memo import ADDED

    whole = (two.root / FILE).stat()
    two.write({THIRD_PATH: THIRD})
    assert same(two) == []
    after = (two.root / FILE).stat()
    assert (after.st_ino, after.st_mtime_ns) == (whole.st_ino, whole.st_mtime_ns)  # not written again
    assert (two.root / ADDED).is_file()
    memo = Memo(two.root)
    assert len(memo.entries) == 3 and memo.appended == 1 and not memo.rewrite
    (two.root / THIRD_PATH).unlink()
    assert same(two) == []
    assert not (two.root / ADDED).exists() and len(Memo(two.root).entries) == 2


def test_appended_records_of_another_whole_file_or_cut_short_are_not_read(two):
    from generator.reading.memo import ADDED

    two.write({THIRD_PATH: THIRD})
    assert same(two) == []
    kept = (two.root / ADDED).read_bytes()
    # the whole file written anew (an entry went): the records kept from before extend the old one
    (two.root / THIRD_PATH).unlink()
    assert same(two) == []
    (two.root / ADDED).write_bytes(kept)
    memo = Memo(two.root)
    assert len(memo.entries) == 2 and memo.rewrite  # the third file's entry was not taken
    two.write({THIRD_PATH: THIRD})
    assert same(two) == [] and not (two.root / ADDED).exists()  # written whole
    # a record cut short (a run killed while appending) is not read; the next run writes the whole file
    two.write({"content/gazette/2026/01/04-library.md": THIRD.replace("1150000003", "1150000004").replace("公園", "圖書館")})
    assert same(two) == []
    data = (two.root / ADDED).read_bytes()
    (two.root / ADDED).write_bytes(data[:-7])
    memo = Memo(two.root)
    assert memo.rewrite and len(memo.entries) == 3
    assert same(two) == [] and not (two.root / ADDED).exists() and len(Memo(two.root).entries) == 4
