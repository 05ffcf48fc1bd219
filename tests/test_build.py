"""The first build: a page for every issue, notice, chapter and agency, published atomically."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import NOTICE


@pytest.fixture
def built(project):
    project.write({
        "content/gazette/2026/01/01-road-works.md": NOTICE.replace(
            "keywords:", "attachments:\n  - file: 01-road-works-map.pdf\n    title: 施工範圍圖\nkeywords:"),
        "content/gazette/2026/01/01-road-works-map.pdf": b"%PDF-1.4\n%%EOF\n",
    })
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    project.log = result.stderr
    return project


def html(project, page: str) -> str:
    return (project.root / "site" / page).read_text(encoding="utf-8")


def test_the_log_has_a_line_for_each_stage_with_its_time(built):
    stages = [line.split(" in ")[0] for line in built.log.splitlines() if re.fullmatch(r"INFO .* in \d+\.\d s", line)]
    assert stages == ["INFO checked content/", "INFO read the directory's change record", "INFO built the newsletters",
                      "INFO typeset the print edition", "INFO built the e-books", "INFO built the open data",
                      "INFO built the website", "INFO built the search index", "INFO validated the open data beside the website",
                      f"INFO published {built.root / 'site'}"]


def test_home_links_every_publication(built):
    home = html(built, "index.html")
    for href in ('href="gazette/"', 'href="gazette/2026/01/"', 'href="yearbook/"', 'href="directory/"'):
        assert href in home


def test_notice_page_shows_its_metadata(built):
    page = html(built, "gazette/2026/01/01/index.html")
    assert "<h1" in page and "公告本市道路挖掘管理事項" in page
    assert "府工字第1150000001號" in page
    assert '<time datetime="2025-12-20">中華民國114年12月20日</time>' in page
    assert '<time datetime="2026-01-01">中華民國115年1月1日</time>' in page
    assert 'href="../../../../directory/city-government/"' in page
    assert "115年第1期" in page


def test_attachment_is_published_beside_the_notice(built):
    page = html(built, "gazette/2026/01/01/index.html")
    assert 'href="01-road-works-map.pdf"' in page and "（PDF，15 B）" in page
    assert (built.root / "site/gazette/2026/01/01/01-road-works-map.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"


def test_issue_page_groups_notices_by_category(built):
    page = html(built, "gazette/2026/01/index.html")
    assert re.search(r"<h2[^>]*>公告", page)
    assert 'href="01/"' in page


def test_yearbook_in_both_languages_with_tables_and_images(built):
    zh = html(built, "yearbook/2025/overview/index.html")
    en = html(built, "en/yearbook/2025/overview/index.html")
    caption = '<p class="table-caption" id="table-caption-1">{}</p>'  # above its table (generator/markup/tables.py)
    assert caption.format("人口（人）") in zh and caption.format("Population (persons)") in en
    assert '<td class="num">120,345</td>' in zh and '<td class="num">\u221212</td>' in en
    assert 'src="../images/cover.png"' in zh and 'src="../../../../yearbook/2025/images/cover.png"' in en
    assert (built.root / "site/yearbook/2025/images/cover.png").is_file()
    assert (built.root / "site/yearbook/2025/tables/population.csv").is_file()


def test_directory_page_with_tel_links(built):
    page = html(built, "directory/city-government/index.html")
    assert '<a href="tel:+88652254321,101">(05)225-4321 分機101</a>' in page
    assert "總務科" in page


def test_no_lunr_search_index(built):
    assert not list((built.root / "site").rglob("search_index.json"))


def test_rebuild_replaces_the_site(built):
    built.edit("content/gazette/2026/01/01-road-works.md", "公告本市道路挖掘管理事項\n", "公告本市道路挖掘管理新規定\n")
    result = built.run("build")
    assert result.returncode == 0, result.stderr
    assert "公告本市道路挖掘管理新規定" in html(built, "gazette/2026/01/01/index.html")
    # no staging folder left: only the site before, whose folders the next build reuses (build._reuse_spare)
    assert [p.name for p in built.root.glob(".site-*")] == [".site-spare"]


def test_chinese_headings_get_readable_anchors(built):
    assert '<h2 id="附件">' in html(built, "gazette/2026/01/01/index.html")


def test_failing_build_leaves_the_built_site_byte_for_byte(shipped):
    import hashlib

    assert shipped.run("build").returncode == 0
    site = shipped.root / "site"
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}
    assert len(before) > 100
    shipped.edit("content/gazette/2026/02/issue.yml", "date: 2026-01-16", "date: 2026-01-32")
    result = shipped.run("build")
    assert result.returncode == 1 and "content/gazette/2026/02/issue.yml:" in result.stderr
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}
    assert after == before


def test_a_build_in_a_process_that_has_typeset_before_ends(built):
    """The print edition is typeset in a forked process beside the newsletters, but not in a process
    that has used Typst before (a test process, ``serve``): Typst's thread pool does not survive a
    fork, and the forked child waited for it for ever. Here a process typesets, then builds twice,
    each time with the print edition to typeset."""
    script = (
        "import sys, typst\n"
        "from pathlib import Path\n"
        "import shutil\n"
        "typst.compile(sys.argv[2].encode(), format='pdf')\n"
        "from generator.build import build\n"
        "for _ in range(2):\n"
        "    shutil.rmtree(Path(sys.argv[1], '.cache', 'print'), ignore_errors=True)  # an issue to typeset\n"
        "    build(Path(sys.argv[1]))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(built.root), "= Typst, in this process"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the forked child too
        process.communicate()
        pytest.fail("the build hung in a process that had typeset before")
    assert process.returncode == 0, stderr
    assert (built.root / "site/gazette/2026/01/index.html").is_file()
