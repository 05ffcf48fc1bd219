"""The directory's change record, read from the git history of a temporary repository."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.dates import TAIPEI
from generator.reading import history
from generator.checking.check import problems_of
from generator.errors import BuildError

from gitrepo import FIRE, TRANSPORTATION, commit, git, init

TRANSPORTATION_PATH = "content/directory/transportation.yml"
NOW = dt.datetime(2026, 3, 20, 9, 30, tzinfo=TAIPEI)


def directory(project):
    content, problems = problems_of(project.root)
    assert content is not None and not [p for p in problems if p.severity.value == "error"], problems
    return content.directory


def record(project, **options) -> history.ChangeRecord:
    return history.record(project.root, directory(project), now=NOW, **options)


def summary(version: history.Version) -> set[tuple]:
    return {(c.change, c.entry.id, c.fields) for c in version.changes}


@pytest.fixture
def repo(project):
    """The minimal project plus the transportation bureau, committed once on 2 March 2026."""
    project.write({TRANSPORTATION_PATH: TRANSPORTATION})
    init(project.root)
    project.first = commit(project.root, "Directory: first version", "2026-03-02T10:00:00+08:00")
    return project


def change_directory(project) -> None:
    """One contact added, one removed, one with a new title and extension, one only retyped; an agency added."""
    project.edit(TRANSPORTATION_PATH, "      - name: 沈瑞麟\n        title: 股長\n        phone: (05)225-4321 分機 3522\n",
                 "      - name: 黃秀鳳\n        title: 科員\n        phone: (05)225-4321 分機 3523\n")
    project.edit(TRANSPORTATION_PATH, "        title: 科長\n        phone: (05)225-4321 分機 3521",
                 "        title: 專門委員\n        phone: (05)225-4321 分機 3520")
    project.edit(TRANSPORTATION_PATH, "(05)225-4321 分機 3529", "(05)225-4321#3529")
    project.write({"content/directory/fire.yml": FIRE})


def test_a_committed_change_lists_exactly_what_was_added_removed_and_changed(repo):
    change_directory(repo)
    second = commit(repo.root, "Directory: March changes", "2026-03-16T15:20:00+08:00")
    result = record(repo)
    assert [v.commit for v in result.versions] == [second]
    assert summary(result.versions[0]) == {
        ("added", "transportation/transit/黃秀鳳", ()),
        ("removed", "transportation/transit/沈瑞麟", ()),
        ("changed", "transportation/transit/張怡萱", ("title", "extension")),
        ("added", "fire", ()),
        ("added", "fire//值班台", ()),
    }
    changed = next(c for c in result.versions[0].changes if c.change == "changed")
    assert (changed.before.title, changed.entry.title) == ("科長", "專門委員")
    assert (changed.before.extension, changed.entry.extension) == ("3521", "3520")
    assert result.versions[0].when == dt.datetime.fromisoformat("2026-03-16T15:20:00+08:00")
    assert result.first.commit == repo.first and result.first.date == dt.date(2026, 3, 2)


def test_each_agency_shows_when_it_last_changed(repo):
    change_directory(repo)
    commit(repo.root, "Directory: March changes", "2026-03-16T15:20:00+08:00")
    result = record(repo)
    assert result.last_changed("transportation").date() == dt.date(2026, 3, 16)
    assert result.last_changed("fire").date() == dt.date(2026, 3, 16)
    assert result.last_changed("city-government").date() == dt.date(2026, 3, 2)  # untouched since the first version
    assert result.updated == dt.datetime.fromisoformat("2026-03-16T15:20:00+08:00")


def test_a_commit_that_only_retypes_numbers_or_comments_changes_nothing(repo):
    repo.edit(TRANSPORTATION_PATH, "(05)225-4321 分機 3521", "(05)225-4321#3521")
    repo.edit(TRANSPORTATION_PATH, "name:\n", "# 交通局 as of March\nname:\n")
    commit(repo.root, "Directory: tidy", "2026-03-10T09:00:00+08:00")
    result = record(repo)
    assert result.versions == ()
    assert result.last_changed("transportation").date() == dt.date(2026, 3, 2)


def test_uncommitted_changes_are_listed_first_as_unpublished(repo):
    change_directory(repo)
    commit(repo.root, "Directory: March changes", "2026-03-16T15:20:00+08:00")
    repo.edit(TRANSPORTATION_PATH, "        title: 科員\n", "        title: 技士\n")
    result = record(repo)
    unpublished = result.versions[0]
    assert not unpublished.published and unpublished.when == NOW
    assert summary(unpublished) == {("changed", "transportation/transit/黃秀鳳", ("title",))}
    assert result.pending == {"transportation"}
    assert result.last_changed("transportation") == NOW
    assert result.versions[1].published


def test_dates_are_days_in_taiwan(repo):
    repo.edit(TRANSPORTATION_PATH, "分機 3522", "分機 3528")
    commit(repo.root, "late in New York", "2026-03-16T20:00:00-04:00")  # 17 March, 08:00 in Taipei
    assert record(repo).versions[0].date == dt.date(2026, 3, 17)


def test_the_walk_is_bounded_to_the_newest_versions(repo):
    for day, ext in ((3, "3523"), (4, "3524"), (5, "3525")):
        repo.edit(TRANSPORTATION_PATH, "分機 3522" if day == 3 else f"分機 {int(ext) - 1}", f"分機 {ext}")
        commit(repo.root, f"change {day}", f"2026-03-{day:02d}T10:00:00+08:00")
    result = record(repo, window=2)
    assert [v.date.day for v in result.versions] == [5, 4]
    assert result.first is None  # the record does not reach back to the first version
    assert result.last_changed("city-government").date() == dt.date(2026, 3, 2)


def test_an_old_version_that_no_longer_loads_is_not_compared(repo):
    """A file committed with a mistake (or under an older schema) does not make its agency look new."""
    repo.edit(TRANSPORTATION_PATH, "address:", "adress:")
    commit(repo.root, "broken", "2026-03-03T10:00:00+08:00")
    repo.edit(TRANSPORTATION_PATH, "adress:", "address:")
    repo.edit(TRANSPORTATION_PATH, "分機 3522", "分機 3528")
    commit(repo.root, "fixed", "2026-03-04T10:00:00+08:00")
    result = record(repo)
    assert result.versions == ()


def test_no_repository_gives_an_empty_record_that_says_why(project):
    result = record(project)
    assert (result.versions, result.first, result.updated, result.note) == ((), None, None, "no-repository")


def test_a_repository_without_commits_gives_an_empty_record(project):
    init(project.root)
    assert record(project).note == "no-commits"


def test_without_git_installed_the_record_is_empty(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert record(repo).note == "no-git"


def test_a_damaged_repository_is_a_build_error_that_says_what_to_do(repo):
    blob = git(repo.root, "rev-parse", f"HEAD:{TRANSPORTATION_PATH}")
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    with pytest.raises(BuildError, match="git fsck"):
        record(repo)


def test_the_record_is_read_from_the_project_folder_inside_a_larger_repository(tmp_path, project):
    outer = tmp_path / "outer"
    outer.mkdir()
    shutil.move(project.root, outer / "publications")
    project.root = outer / "publications"
    project.write({TRANSPORTATION_PATH: TRANSPORTATION})
    init(outer)
    commit(outer, "first", "2026-03-02T10:00:00+08:00")
    project.edit(TRANSPORTATION_PATH, "分機 3522", "分機 3528")
    commit(outer, "second", "2026-03-05T10:00:00+08:00")
    assert summary(record(project).versions[0]) == {("changed", "transportation/transit/沈瑞麟", ("extension",))}


def test_the_build_publishes_the_change_record(repo):
    change_directory(repo)
    commit(repo.root, "Directory: March changes", "2026-03-16T15:20:00+08:00")
    result = repo.run("build")
    assert result.returncode == 0, result.stderr
    site = repo.root / "site" / "directory"
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-03-16">中華民國115年3月16日</time>' in changes
    assert "黃秀鳳" in changes and "沈瑞麟" in changes and "科長 → 專門委員" in changes
    assert '<time datetime="2026-03-02">中華民國115年3月2日</time>首次發布' in changes
    page = (site / "transportation" / "index.html").read_text(encoding="utf-8")
    assert '最後更新：<time datetime="2026-03-16">中華民國115年3月16日</time>' in page


def test_an_unchanged_commit_builds_byte_identical_directory_files(repo, tmp_path):
    outputs = []
    for name in ("one", "two"):
        result = repo.run("build", "--site-dir", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outputs.append(tmp_path / name / "directory")
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(outputs[1]) for p in outputs[1].rglob("*") if p.is_file())
    different = [str(f) for f in files if (outputs[0] / f).read_bytes() != (outputs[1] / f).read_bytes()]
    assert different == []


def test_the_record_of_the_shipped_repository_is_read_quickly():
    """The shipped project's own history: it must load, and fast enough for every preview rebuild."""
    import time

    root = Path(__file__).resolve().parents[2]
    content, _ = problems_of(root)
    start = time.perf_counter()
    result = history.record(root, content.directory)
    assert time.perf_counter() - start < 5
    assert result.note is None and result.updated is not None


def test_a_preview_keeps_the_files_read_from_git_for_its_next_rebuild(repo, monkeypatch):
    """``serve`` passes the same Blobs to every rebuild: files read once are not read from git again."""
    blobs = history.Blobs()
    first = record(repo, blobs=blobs)
    assert (("transportation.yml", git(repo.root, "rev-parse", f"HEAD:{TRANSPORTATION_PATH}")) in blobs)
    commands = []
    real = history.subprocess.run

    def spy(command, *args, **kwargs):
        commands.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", spy)
    assert record(repo, blobs=blobs) == first
    assert not [c for c in commands if "cat-file" in c]
    record(repo)  # without Blobs, read afresh
    assert [c for c in commands if "cat-file" in c]
