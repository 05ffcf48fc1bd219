"""Incremental builds (website/apart.py, website/cache.py): a build after a new issue renders only
the notice pages that show something new, and gives the same bytes as a build from scratch.
The tests run in order, on one project, each build from the cache of the one before."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from generator import build as build_module
from generator.markup.markdown import file_size
from generator import urls
from generator.website import apart

from archive import copy_project
from gitrepo import commit, init

RENDERED = re.compile(r"gazette pages: (\d+) rendered, (\d+) reused unchanged.*; Markdown made for (\d+) of \d+ pages keyed")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Built(NamedTuple):
    rendered: int  # pages rendered apart (notices, issues, years, listings, newsletters)
    reused: int  # the same, placed from the cache
    made: int  # pages keyed by what they show whose Markdown was made (the others' values were the last build's)


def build(project: Path, site: Path | None = None) -> Built:
    """Build ``project`` in this process; how many pages rendered apart were rendered and reused,
    and how many of them (all but the gazette's home) had their Markdown made."""
    lines = Lines()
    logger = logging.getLogger("generator")
    level = logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    try:
        build_module.build(project, site)
    finally:
        logger.removeHandler(lines)
        logger.setLevel(level)
    (found,) = [RENDERED.search(line) for line in lines.lines if RENDERED.search(line)]
    assert found is not None
    return Built(int(found[1]), int(found[2]), int(found[3]))


def inodes(site: Path) -> dict[str, int]:
    """Each gazette page rendered apart, and its file: a reused page is the same file (a hard link to
    the cache's; the pages MkDocs writes have one link)."""
    return {path.relative_to(site).parent.as_posix(): status.st_ino for path in site.glob("gazette/**/index.html")
            if (status := path.stat()).st_nlink > 1}


#: The gazette's pages rendered apart but made on every build (not keyed by what they show): its
#: home (the latest issue) and the indexes of categories and agencies (how many notices each has).
MADE_EVERY_TIME = ("gazette", "gazette/category", "gazette/agency")


def remade(before: dict[str, int], after: dict[str, int]) -> int:
    """How many pages keyed by what they show are new files: a page's Markdown is made again exactly
    when it shows something new."""
    return len([page for page in changed(before, after, ".*") if page not in MADE_EVERY_TIME])


def changed(before: dict[str, int], after: dict[str, int], pattern: str = r"gazette/\d{4}/\d\d/\d\d") -> list[str]:
    """The pages (notices, by default) that are new files."""
    return sorted(page for page in after if before.get(page) != after[page] and re.fullmatch(pattern, page))


def folders(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_dir())


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def notices_of(project: Path, issue: str) -> int:
    return len(list((project / "content/gazette" / issue).glob("*.md")))


def pdf_size(site: Path, issue: str) -> str:
    """The size of an issue's PDF as its notices' pages show it."""
    (pdf,) = (site / "gazette" / issue).glob("*.pdf")
    return file_size(pdf.stat().st_size)


def add_issue(project: Path) -> list[str]:
    """Issue 5 of 2026 with two notices (made from issue 4's); their folders."""
    issue = project / "content/gazette/2026/05"
    issue.mkdir()
    (issue / "issue.yml").write_text("date: 2026-03-01\n", encoding="utf-8")
    sources = sorted((project / "content/gazette/2026/04").glob("0[12]-*.md"))
    for number, source in enumerate(sources, 1):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^doc_number: (.*)號$", rf"doc_number: \g<1>{number}號", text, flags=re.M)
        text = re.sub(r"^issued: .*$", "issued: 2026-02-25", text, flags=re.M)
        text = re.sub(r"^attachments:\n(?:  .*\n)+", "", text, flags=re.M)
        (issue / f"{number:02d}-new.md").write_text(text, encoding="utf-8")
    return [f"gazette/2026/05/{number:02d}" for number in range(1, len(sources) + 1)]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The shipped project, committed (the home page's "last update" is the last commit's day; each
    other page's footer shows its own, website/pages/dated.py), and built once."""
    project = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    (project / ".gitignore").write_text("/site/\n/.cache/\n", encoding="utf-8")
    init(project)
    commit(project, "the shipped content", "2026-02-20T10:00:00+08:00")
    build(project)
    return project


def test_a_new_issue_renders_its_notices_and_the_notice_before_it(project):
    site = project / "site"
    before = inodes(site)
    last = max(changed({}, before))  # the last notice so far: its "next" link now goes to the new issue
    new = add_issue(project)
    rendered, reused, made = build(project)
    after = inodes(site)
    assert changed(before, after) == sorted([last, *new])
    assert made == remade(before, after)  # the Markdown of these pages only
    # every issue of the year: the nav of each lists its year's issues (and the issue before: "next issue")
    assert changed(before, after, r"gazette/\d{4}/\d\d") == [f"gazette/2026/{number:02d}" for number in range(1, 6)]
    assert 'href="../05/"' in (site / "gazette/2026/02/index.html").read_text(encoding="utf-8")
    assert (rendered, reused) == (len(changed(before, after, ".*")), len(after) - len(changed(before, after, ".*")))
    assert "gazette/2026" in changed(before, after, ".*")  # the year's page lists the new issue
    # the newsletters' web versions are rendered apart too: the new issue's is new, no other changed
    assert "gazette/2026/04/newsletter" in before
    assert changed(before, after, r"gazette/\d{4}/\d\d/newsletter") == ["gazette/2026/05/newsletter"]


def published_files(site: Path) -> dict[str, os.stat_result]:
    """The files the website publishes from bytes a stage made: the newsletters' and the feeds."""
    return {path.relative_to(site).as_posix(): path.stat()
            for path in [*site.glob("gazette/**/newsletter/*"), *site.glob("gazette/**/*.atom")]
            if path.name in (*urls.NEWSLETTER_FILES, "feed.atom")}


def test_files_made_as_bytes_are_placed_from_the_store_and_left_as_they_were_when_unchanged(project):
    """The feeds (website/cache.py, AssetStore): each a hard link to the store's file of its bytes;
    the newsletters' files, hard links to the newsletter cache's files; a build that changes none of
    them writes none, and a build leaves the store holding its own files only."""
    site, store = project / "site", project / ".cache/assets"
    before = published_files(site)
    assert any(name.endswith("message.eml") for name in before) and "gazette/feed.atom" in before
    stored = {path.name: path.stat().st_ino for path in store.glob("*/*")}
    kept = {path.stat().st_ino for path in (project / ".cache/newsletter").glob("*-*.*") if not path.name.endswith(".json")}
    for name, status in before.items():
        if "/newsletter/" in name:
            assert status.st_ino in kept, name  # the newsletter cache's file, linked
        else:
            digest = hashlib.sha256((site / name).read_bytes()).hexdigest()
            assert stored.get(digest) == status.st_ino, name  # the store's file, linked
    stray = store / "00" / ("0" * 64)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"left by another build")
    build(project)  # nothing changed
    after = published_files(site)
    assert {name: status.st_ino for name, status in after.items()} == {name: status.st_ino for name, status in before.items()}
    assert not stray.exists()
    assert {path.name for path in store.glob("*/*")} == set(stored)


def test_a_neighbours_title_re_renders_exactly_the_pages_showing_it(project):
    site = project / "site"
    before = inodes(site)
    notice = next((project / "content/gazette/2026/02").glob("03-*.md"))
    text = notice.read_text(encoding="utf-8")
    notice.write_text(re.sub(r"^title: (.*)$", r"title: \1（更正）", text, count=1, flags=re.M), encoding="utf-8")
    rendered, _, made = build(project)
    after = inodes(site)
    assert changed(before, after) == ["gazette/2026/02/02", "gazette/2026/02/03", "gazette/2026/02/04"]
    assert changed(before, after, r"gazette/\d{4}/\d\d") == ["gazette/2026/02"]
    assert rendered == len(changed(before, after, ".*"))
    assert made == remade(before, after)  # their Markdown (and their issue's, lists', newsletter's), no other


def test_what_another_notice_or_the_directory_shows_re_renders_exactly_the_notices_showing_it(project):
    """A page's Markdown is made only when a value it shows changed (website/pages/shown.py,
    ``Shown``), including values of other files: the notice a correction corrects names the
    correction, a joint notice names each agency from the directory, a removed notice's neighbour
    loses its link. Each makes again exactly the notices showing it (and the full-build comparison
    below checks their bytes)."""
    site = project / "site"
    before = inodes(site)
    correction = project / "content/gazette/2026/03/08-corrigendum.md"
    text = correction.read_text(encoding="utf-8")
    correction.write_text(re.sub(r"^title: (.*)$", r"title: \1（再更正）", text, count=1, flags=re.M), encoding="utf-8")
    size = pdf_size(site, "2026/03")
    made = build(project).made
    after = inodes(site)
    # the corrected notice's banner, the correction itself and its neighbours' links (and every notice
    # of the issue when its PDF, which each links with its size, is shown with another size)
    expected = {"gazette/2026/02/04", "gazette/2026/03/07", "gazette/2026/03/08", "gazette/2026/04/01"}
    if pdf_size(site, "2026/03") != size:
        expected |= {f"gazette/2026/03/{seq:02d}" for seq in range(1, notices_of(project, "2026/03") + 1)}
    assert changed(before, after) == sorted(expected)
    assert made == remade(before, after)

    before = after
    police = project / "content/directory/police.yml"
    police.write_text(police.read_text(encoding="utf-8").replace("zh-Hant: 警察局\n", "zh-Hant: 警政局\n", 1), encoding="utf-8")
    sizes = {issue: pdf_size(site, issue) for issue in ("2026/02", "2026/04")}
    made = build(project).made
    after = inodes(site)
    expected = {"gazette/2026/02/06", "gazette/2026/04/08"}  # the police's, one of them joint
    for issue, size in sizes.items():  # the PDFs print the name too
        if pdf_size(site, issue) != size:
            expected |= {f"gazette/{issue}/{seq:02d}" for seq in range(1, notices_of(project, issue) + 1)}
    assert changed(before, after) == sorted(expected)
    assert made == remade(before, after)
    assert "警政局" in (site / "gazette/2026/04/08/index.html").read_text(encoding="utf-8")

    before = after
    (project / "content/gazette/2026/05/02-new.md").unlink()
    made = build(project).made
    after = inodes(site)
    assert "gazette/2026/05/02" not in after and not (site / "gazette/2026/05/02").exists()
    assert changed(before, after) == ["gazette/2026/05/01"]  # no "next" link any more
    assert made == remade(before, after)  # and the issue's, the year's, the lists' pages


def test_a_theme_template_re_renders_every_page_showing_it(project):
    site = project / "site"
    before = inodes(site)
    main = project / "themes/material/main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")
    rendered, reused, made = build(project)
    after = inodes(site)
    assert (rendered, reused) == (len(before), 0)
    assert made == len(after) - len(MADE_EVERY_TIME)  # a new frame: every page's Markdown again
    assert all(before[page] != after[page] for page in after)


def test_an_issue_of_a_new_year_re_renders_every_page(project):
    """Every page's nav lists the gazette's years (pruned to the page's own section, but each year
    leaves its place in the HTML), so the first issue of a new year is a new frame: every page is
    rendered again (the full-build comparison below checks the bytes)."""
    site = project / "site"
    before = inodes(site)
    issue = project / "content/gazette/2027/01"
    issue.mkdir(parents=True)
    (issue / "issue.yml").write_text("date: 2027-01-01\n", encoding="utf-8")
    source = next((project / "content/gazette/2026/05").glob("01-*.md")).read_text(encoding="utf-8")
    source = re.sub(r"^doc_number: (.*)號$", r"doc_number: \g<1>7號", source, flags=re.M)
    (issue / "01-new.md").write_text(re.sub(r"^issued: .*$", "issued: 2026-12-28", source, flags=re.M), encoding="utf-8")
    rendered, reused, _ = build(project)
    after = inodes(site)
    assert reused == 0 and rendered == len(after)
    assert all(before[page] != after[page] for page in before if page in after)


def footer_day(site: Path, page: str) -> str:
    """The day a page's footer shows as its last update (``<time datetime>``)."""
    found = re.findall(r'<dt>(?:最後更新|Last updated)</dt><dd><time datetime="([\d-]+)">', (site / page).read_text(encoding="utf-8"))
    assert len(found) == 1, page
    return found[0]


def test_a_new_issue_on_a_later_day_leaves_the_archives_pages_untouched_and_dates_a_corrected_notice(project, monkeypatch):
    """Each page's footer shows its own last change (website/pages/dated.py), not the day of the
    site's last commit: an issue committed on a later day, with a correction of an old notice,
    leaves an archived notice's page the same file (its bytes untouched, and not read again by the
    search stage) still dated by its issue, while the corrected notice and the issue listing it
    show the correction's day, and the home page the commit's."""
    site = project / "site"
    before = inodes(site)
    old_page = (site / "gazette/2026/01/01/index.html").read_bytes()
    assert footer_day(site, "gazette/2026/01/01/index.html") == "2026-01-01"  # issue 1 of 2026's day
    issue = project / "content/gazette/2027/02"
    issue.mkdir()
    (issue / "issue.yml").write_text("date: 2027-01-16\n", encoding="utf-8")
    source = next((project / "content/gazette/2027/01").glob("01-*.md")).read_text(encoding="utf-8")
    source = re.sub(r"^doc_number: (.*)號$", r"doc_number: \g<1>8號", source, flags=re.M)
    (issue / "01-new.md").write_text(re.sub(r"^issued: .*$", "issued: 2027-01-10", source, flags=re.M), encoding="utf-8")
    correction = (project / "content/gazette/2026/03/08-corrigendum.md").read_text(encoding="utf-8")
    correction = re.sub(r"^corrects: .*$", "corrects: 府地價字第1140248830號", correction, flags=re.M)  # 2026/01/02
    correction = re.sub(r"^doc_number: (.*)號$", r"doc_number: \g<1>9號", correction, flags=re.M)
    (issue / "02-corrigendum.md").write_text(re.sub(r"^issued: .*$", "issued: 2027-01-12", correction, flags=re.M),
                                            encoding="utf-8")
    commit(project, "issue 2 of 2027", "2027-01-17T09:00:00+08:00")
    read: list[str] = []
    real_read = Path.read_bytes

    def recorded(path: Path) -> bytes:
        read.append(path.as_posix())
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", recorded)
    rendered, _, _ = build(project)
    monkeypatch.undo()
    after = inodes(site)
    new = changed(before, after, ".*")
    assert "gazette/2026/01/01" not in new and after["gazette/2026/01/01"] == before["gazette/2026/01/01"]
    assert (site / "gazette/2026/01/01/index.html").read_bytes() == old_page
    assert footer_day(site, "gazette/2026/01/01/index.html") == "2026-01-01"
    # what the new issue shows: its own pages, the notice before it, the corrected notice and its issue, lists
    assert {"gazette/2027/02/01", "gazette/2027/02/02", "gazette/2027/01/01", "gazette/2026/01/02", "gazette/2026/01"} <= set(new)
    assert rendered == len(new) and len(new) < len(after) / 4
    assert footer_day(site, "gazette/2026/01/02/index.html") == "2027-01-16"  # the correction's day
    assert "嘉市秘企字第11500024689號" in (site / "gazette/2026/01/02/index.html").read_text(encoding="utf-8")  # its banner
    assert footer_day(site, "gazette/2026/01/index.html") == "2027-01-16"  # its issue lists it as corrected
    assert footer_day(site, "gazette/2026/01/03/index.html") == "2026-01-01"
    assert footer_day(site, "gazette/2027/02/01/index.html") == "2027-01-16"
    assert footer_day(site, "index.html") == "2027-01-17"  # the home page: the site's last update
    assert '<time datetime="2027-01-17">' in (site / "index.html").read_text(encoding="utf-8").split("home-updated")[1][:200]
    # the search stage read no page the new issue left as it was
    unchanged = [page for page in after if page not in new]
    assert [path for path in read for page in unchanged if path.endswith(f"/{page}/index.html")] == []
    assert any(path.endswith("/gazette/2027/02/01/index.html") for path in read)


def test_the_incremental_build_equals_a_build_from_scratch(project, tmp_path, monkeypatch):
    """After the builds above (a new issue, a new title, a new theme template, a new year, an issue
    committed on a later day) and a commit of a hand-written page (a new last update of the site: the
    home page's and that page's, no gazette page's, so none is rendered again), each build from the
    cache of the one before: the same files, byte for byte, as a build without any cache."""
    about = project / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n本頁內容如有更新，以本站公告為準。\n", encoding="utf-8")
    commit(project, "about: one more sentence", "2027-02-01T10:00:00+08:00")
    before = inodes(project / "site")
    rendered, reused, made = build(project)
    assert rendered == 0 and reused > 0 and made == 0
    assert inodes(project / "site") == before  # the same files, not even written again
    assert footer_day(project / "site", "gazette/2026/01/01/index.html") == "2026-01-01"
    assert footer_day(project / "site", "index.html") == "2027-02-01"
    assert footer_day(project / "site", "about/index.html") == "2027-02-01"  # its file's last commit
    assert footer_day(project / "site", "privacy/index.html") < "2027-01-01"
    incremental = tree(project / "site")
    shutil.rmtree(project / ".cache")
    monkeypatch.setattr(apart, "WORKER_THRESHOLD", 1)  # the workers' pages, too, are the same bytes
    monkeypatch.setattr(apart, "GENERATE_THRESHOLD", 1)  # and so is the notices' Markdown, made by workers
    sent: dict[str, list[int]] = {}  # what the workers send back, pickled, by what they did
    forked = apart.forked

    def measured(task, workers, what, **options):
        results = forked(task, workers, what, **options)
        sent.setdefault(what, []).extend(len(pickle.dumps(result)) for result in results)
        return results

    monkeypatch.setattr(apart, "forked", measured)
    rendered, reused, made = build(project, tmp_path / "site")
    assert reused == 0 and rendered == len(inodes(tmp_path / "site")) and made == rendered - len(MADE_EVERY_TIME)
    # the keyed pages are made and rendered in one pass: their Markdown never travels back to the
    # build (issue 12, goal 5: at 50,000 notices the build held every notice's Markdown), only a key each
    assert sum(sent["making and rendering the gazette's pages"]) < 120 * made
    scratch = tree(tmp_path / "site")
    assert sorted(scratch) == sorted(incremental)
    assert [name for name in scratch if scratch[name] != incremental[name]] == []
    # and the same folders: the incremental builds reused the folders of the site before the last
    # (build._reuse_spare), removing those left empty (a removed notice's)
    assert folders(tmp_path / "site") == folders(project / "site")
    assert (project / ".site-spare").is_dir()


def test_workers_make_what_one_process_makes_in_its_order():
    items = list(range(2500))
    assert apart.generated_in_workers(lambda n: (n, str(n) * 3), items, workers=3) == [(n, str(n) * 3) for n in items]


def test_a_failing_worker_stops_the_build_with_its_error():
    from generator.errors import BuildError

    def make(n: int) -> int:
        if n == 1234:
            raise ValueError("notice 1234 cannot be made")
        return n

    with pytest.raises(BuildError, match="notice 1234 cannot be made"):
        apart.generated_in_workers(make, list(range(2000)), workers=2)


def test_a_share_rendered_by_the_builds_own_process_keeps_mkdocs_warnings_for_later_and_restores_its_logging(caplog):
    """The build's process renders a share itself (workers.forked's ``here``): MkDocs' warnings meanwhile
    are kept, to be logged again in the shares' order as a worker's are, and its logging is as it was."""
    import logging

    logger = logging.getLogger("mkdocs.structure.pages")
    before = logging.getLogger("mkdocs").handlers[:], logging.getLogger("mkdocs").propagate
    with caplog.at_level(logging.WARNING), apart._warnings_kept() as problems:
        logger.warning("Doc file 'gazette/x.md' contains a link to 'nowhere.md'")
    assert problems.records == [(logging.WARNING, "Doc file 'gazette/x.md' contains a link to 'nowhere.md'")]
    assert "nowhere.md" not in caplog.text
    assert (logging.getLogger("mkdocs").handlers, logging.getLogger("mkdocs").propagate) == before
    with caplog.at_level(logging.WARNING):
        logger.warning("after")
    assert "after" in caplog.text
