"""Builds are repeatable and atomic: the same commit gives the same bytes, site/ always holds a
complete build (even when a build is killed), and two builds of one project never interleave."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO
from generator import build
from generator.checking.check import check
from gitrepo import commit, init


COMMITTED = "2026-03-20T00:30:00+08:00"  # 19 March in UTC


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, timeout=600, env={**os.environ, **(env or {})})


def tree(site: Path) -> dict[str, str] | None:
    """Every file of a site by path, with the SHA-256 of its bytes; None if the site is missing."""
    if not site.is_dir():
        return None
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Builds:
    root: Path
    seconds: float  # how long a build of the shipped content takes here
    first: dict[str, str]
    again: dict[str, str]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    """The shipped content, committed, built twice: into site/, then into another folder with another
    environment."""
    root = tmp_path_factory.mktemp("publish") / "shipped"
    root.mkdir()
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, root / name, symlinks=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    init(root)
    commit(root, "the shipped content", COMMITTED)
    started = time.monotonic()
    result = run(root)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    other = root.parent / "elsewhere" / "public"
    result = run(root, "--site-dir", str(other), env={"SOURCE_DATE_EPOCH": "0", "TZ": "America/New_York"})
    assert result.returncode == 0, result.stderr
    return Builds(root, seconds, tree(root / "site"), tree(other))


def test_two_builds_give_the_same_bytes(builds):
    assert len(builds.first) > 300
    assert any(name.startswith("pagefind/filter/") for name in builds.first)
    assert list(builds.first) == list(builds.again)  # the same files
    differ = [name for name in builds.first if builds.first[name] != builds.again[name]]
    assert differ == []


def test_the_sitemap_is_dated_by_the_last_commit_not_the_clock(builds):
    """Each page's ``lastmod`` is its own last update (tests/website/test_frame.py), and a page
    without one (the home page) carries the content's last commit, as a day in Taiwan: never the
    day the build ran."""
    sitemap = (builds.root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    days = {part.split("<")[0] for part in sitemap.split("<lastmod>")[1:]}
    assert "2026-03-20" in days and dt.date.today().isoformat() not in days
    home = re.search(r"<loc>https://publications\.jiahe\.gov\.tw/</loc>\s*<lastmod>([\d-]+)</lastmod>", sitemap)
    assert home is not None and home[1] == "2026-03-20"


def test_content_date_is_the_last_commit_of_the_content_as_a_day_in_taiwan(project):
    init(project.root)
    commit(project.root, "content", "2026-03-02T01:30:00+08:00")  # 1 March in UTC
    (project.root / "notes.txt").write_text("not content\n", encoding="utf-8")
    commit(project.root, "notes", "2026-04-01T10:00:00+08:00")
    assert build.content_date(project.root, check(project.root)) == dt.date(2026, 3, 2)


def test_content_date_without_git_is_the_newest_date_the_content_states(project):
    assert build.content_date(project.root, check(project.root)) == dt.date(2026, 6, 30)  # the yearbook's date


def test_a_killed_build_leaves_a_complete_site_and_the_next_build_clears_up(builds):
    """SIGKILL at moments spread over a build: site/ is the previous build or the new one, whole."""
    root, site = builds.root, builds.root / "site"
    notice = next((root / "content" / "gazette").glob("*/*/01-*.md"))
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("\ntitle: ", "\ntitle: 更正：", 1), encoding="utf-8")
    seen, leftovers, locked = [], [], []
    for fraction in (0.15, 0.35, 0.55, 0.75, 0.95):
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "-q", "--root", str(root)],
                                   cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(fraction * builds.seconds)
        with contextlib.suppress(FileNotFoundError):
            locked.append((root / ".site.lock").read_text(encoding="ascii").strip() == str(process.pid))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the build and whatever it started
        process.wait()
        seen.append(tree(site))
        leftovers += [p.name for p in root.glob(".site-*")]
    result = run(root)
    assert result.returncode == 0, result.stderr
    new = tree(site)
    assert new != builds.first  # the edit is published
    for fraction, state in zip((0.15, 0.35, 0.55, 0.75, 0.95), seen, strict=True):
        assert state in (builds.first, new), f"site/ after a kill at {fraction:.0%} of a build is partial or missing"
    assert any(name.startswith(".site-new-") for name in leftovers)  # some kills left a staging folder...
    # ...the next build removed it; what is left is the site before, whose folders the next build reuses
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site-spare"]
    assert any(locked)  # a running build holds the lock, with its pid


def test_site_is_never_missing_while_a_build_is_published(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0", encoding="utf-8")
    missing: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        # (a listing begun in the old tree may lose names as it is removed: by path, site/ is always whole)
        while not stop.is_set():
            try:
                (site / "index.html").read_bytes()
                os.listdir(site)
            except FileNotFoundError as exc:
                missing.append(str(exc))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(300):
            with build._staging(site) as out:
                for page in ("index.html", "a.html", "b/index.html"):
                    (out / page).parent.mkdir(exist_ok=True)
                    (out / page).write_text(str(n), encoding="utf-8")
                build._publish(out, site)
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert (site / "index.html").read_text(encoding="utf-8") == "299"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("refusal", [OSError(errno.EINVAL, "Invalid argument"), AttributeError("renameat2")])
def test_publish_falls_back_to_two_renames_where_exchange_is_refused(tmp_path, monkeypatch, caplog, refusal):
    def refuse(a, b):
        raise refusal

    monkeypatch.setattr(build, "_exchange", refuse)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    with caplog.at_level(logging.WARNING), build._staging(site) as out:
        (out / "index.html").write_text("new", encoding="utf-8")
        build._publish(out, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert "publishing by two renames" in caplog.text


def test_the_next_build_puts_back_a_site_a_killed_fallback_had_moved_away(tmp_path):
    site = tmp_path / "site"
    (tmp_path / ".site-old").mkdir()
    (tmp_path / ".site-old" / "index.html").write_text("previous", encoding="utf-8")
    (tmp_path / ".site-new-abc123" / "gazette").mkdir(parents=True)
    (tmp_path / ".site-trash-def456").mkdir()  # a killed build's spare files, moved to be removed
    (tmp_path / ".site-trash-def456" / "0").write_text("an old page", encoding="utf-8")
    build._clear_leftovers(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_build_stops_while_one_holds_the_lock(project):
    site = project.root / "site"
    site.mkdir()
    (site / "index.html").write_text("published", encoding="utf-8")
    with open(project.root / ".site.lock", "w", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242\n")
        lock.flush()
        result = project.run("build")
    assert result.returncode == 1
    assert result.stderr == "error: another build of this project is running (pid 4242); wait for it to finish\n"
    assert (site / "index.html").read_text(encoding="utf-8") == "published"
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def test_the_spare_is_emptied_its_last_links_removed_by_a_process_of_their_own(tmp_path):
    """build._reuse_spare: the spare becomes the staging folder with its folders and no file; a file
    that is its data's last link goes through a trash folder removed by ``rm`` beside the build (freeing
    blocks can take seconds), a link into a cache is only unlinked (the cache keeps its file)."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    (tmp_path / ".site-spare" / "gazette" / "2026").mkdir(parents=True)
    cache.mkdir()
    (cache / "page.html").write_text("kept", encoding="utf-8")
    os.link(cache / "page.html", tmp_path / ".site-spare" / "gazette" / "index.html")
    (tmp_path / ".site-spare" / "gazette" / "2026" / "index.html").write_text("last link", encoding="utf-8")
    with build._staging(site) as out:
        trash = build._Trash(site)
        folders = build._reuse_spare(site, out, trash)
        assert sorted(Path(folder).relative_to(out).as_posix() for folder in folders) == [".", "gazette", "gazette/2026"]
        assert [path for path in out.rglob("*") if not path.is_dir()] == []
        assert trash.folder is not None and trash.count == 1
        trash.wait()
        assert not Path(trash.folder).exists()
    assert (cache / "page.html").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
