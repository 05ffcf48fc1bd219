"""``serve``: a live preview that shows an editor's saved change, says where a mistake is (serving the
last good content meanwhile), and comes back once it is mended; a quick rebuild (a notice edited)
gives exactly what a preview started afresh gives (generator/preview.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import NOTICE
from generator.preview import Preview


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


@pytest.fixture
def preview(project):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(project.root), "--dev-addr",
                                f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield project, f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def test_preview_rebuilds_when_a_notice_changes(preview):
    project, url, _ = preview
    notice = f"{url}/gazette/2026/01/01/"
    assert wait_for(lambda: "公告本市道路挖掘管理事項" in fetch(notice))
    project.write({"content/gazette/2026/01/01-road-works.md": NOTICE.replace("道路挖掘管理事項", "道路挖掘管理新制")})
    assert wait_for(lambda: "公告本市道路挖掘管理新制" in fetch(notice))


def test_preview_reports_a_mistake_and_recovers_when_it_is_mended(preview):
    project, url, process = preview
    notice = f"{url}/gazette/2026/01/01/"
    assert wait_for(lambda: "公告本市道路挖掘管理事項" in fetch(notice))
    project.write({"content/gazette/2026/01/issue.yml": "date: 2026-01-32\n"})
    time.sleep(4)
    project.write({"content/gazette/2026/01/issue.yml": "date: 2026-01-01\n",
                   "content/gazette/2026/01/01-road-works.md": NOTICE.replace("道路挖掘管理事項", "道路挖掘管理新制")})
    assert wait_for(lambda: "公告本市道路挖掘管理新制" in fetch(notice))
    process.terminate()
    output = process.communicate(timeout=20)[0]
    assert "content/gazette/2026/01/issue.yml:1:7: error: '2026-01-32' is not a valid date" in output
    assert "Traceback" not in output

NOTICE_PATH = "content/gazette/2026/01/02-land-value.md"
TITLE = "公告本市115年土地現值"



def fetch_or_none(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def title(page: str | None) -> str | None:
    return None if page is None else lxml_html.fromstring(page).findtext(".//h1")


def until(condition, seconds: float = 60.0):
    """Poll ``condition`` until it gives something true (returned), for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
def served(shipped):
    """``python -m generator serve`` on a copy of the shipped project; yields (project, base URL, its log)."""
    port = free_port()
    log = shipped.root / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}",
                                    "--root", str(shipped.root)], stdout=out, stderr=subprocess.STDOUT, cwd=shipped.root)
    base = f"http://127.0.0.1:{port}/"
    try:
        until(lambda: fetch_or_none(base))
        yield shipped, base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_shows_a_saved_change_and_keeps_the_last_good_content_on_an_error(served):
    project, base, log = served
    page = base + "gazette/2026/01/02/"
    assert title(fetch_or_none(page)) == TITLE
    project.edit(NOTICE_PATH, f"title: {TITLE}\n", f"title: {TITLE}（修正）\n")
    until(lambda: title(fetch_or_none(page)) == f"{TITLE}（修正）")
    # the page lists it by its new title, and the notice after it names it as the one before
    until(lambda: f"{TITLE}（修正）" in (fetch_or_none(base + "gazette/2026/01/") or ""))
    assert f"{TITLE}（修正）" in fetch_or_none(base + "gazette/2026/01/03/")

    project.edit(NOTICE_PATH, "issued: 2025-12-29", "issued: 2025-13-29")
    until(lambda: "02-land-value.md:7:9: error:" in log.read_text(encoding="utf-8"))
    assert "Traceback" not in log.read_text(encoding="utf-8")
    assert title(fetch_or_none(page)) == f"{TITLE}（修正）"  # the last good content, still served

    project.edit(NOTICE_PATH, "issued: 2025-13-29", "issued: 2025-12-29")
    project.edit(NOTICE_PATH, f"title: {TITLE}（修正）\n", f"title: {TITLE}（再修正）\n")
    until(lambda: title(fetch_or_none(page)) == f"{TITLE}（再修正）")


def test_serve_shows_a_new_notice_and_a_change_to_site_yml(served):
    project, base, _log = served
    notice = (project.root / NOTICE_PATH).read_text(encoding="utf-8")
    project.write({"content/gazette/2026/01/08-new-notice.md": notice.replace(TITLE, "新增的公告").replace(
        "府地價字第1140248830號", "府地價字第1140299999號")})
    until(lambda: title(fetch_or_none(base + "gazette/2026/01/08/")) == "新增的公告")
    project.edit("content/site.yml", "嘉和市政府秘書處", "嘉和市政府祕書處")
    until(lambda: "嘉和市政府祕書處" in (fetch_or_none(base + "gazette/2026/01/08/") or ""))


def everything(project, tmp_path: Path, name: str, url: str) -> tuple[Preview, dict[str, bytes]]:
    preview = Preview(project.root, tmp_path / name, url)
    preview.full()
    return preview, preview.render_everything()


def test_a_quick_rebuild_gives_what_a_fresh_preview_gives(shipped, tmp_path):
    url = "http://127.0.0.1:8000/"
    preview, before = everything(shipped, tmp_path, "first", url)
    shipped.edit(NOTICE_PATH, f"title: {TITLE}\n", f"title: {TITLE}（修正）\n")
    preview.rebuild()
    assert preview.written == set() and preview.stale_feeds, "a quick rebuild: every page is made again when asked for"
    quick = preview.render_everything()
    preview.provide("gazette/feed.atom")
    fresh_preview, fresh = everything(shipped, tmp_path, "fresh", url)
    assert quick.keys() == fresh.keys()
    assert [path for path in quick if quick[path] != fresh[path]] == []
    changed = {path for path in quick if quick[path] != before[path]}
    # the notice, its neighbours (previous / next), its issue, the lists that name it, the home pages
    assert "gazette/2026/01/02/index.html" in changed and "gazette/2026/01/03/index.html" in changed
    assert "gazette/2026/01/index.html" in changed
    assert "gazette/2026/01/05/index.html" not in changed
    fresh_preview.provide("gazette/feed.atom")  # the feeds are made when one is asked for
    feeds = sorted(fresh_preview.site_dir.rglob("*.atom"))
    assert len(feeds) > 10
    for feed in feeds:
        relative = feed.relative_to(fresh_preview.site_dir)
        assert (preview.site_dir / relative).read_bytes() == feed.read_bytes(), relative
    assert f"{TITLE}（修正）".encode() in (preview.site_dir / "gazette/feed.atom").read_bytes()


def test_the_open_page_reloads_itself_with_the_saved_change(served, browser):
    """As an editor works: the notice open in the browser, its file saved, the page shows the change
    by itself (MkDocs' live reload), with the site's frame around it."""
    from conftest import SCREENSHOTS

    project, base, _log = served
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(base + "gazette/2026/01/02/")
    assert tab.locator("h1").first.inner_text() == TITLE
    project.edit(NOTICE_PATH, f"title: {TITLE}\n", f"title: {TITLE}（修正）\n")
    tab.wait_for_function(f"document.querySelector('h1') && document.querySelector('h1').innerText === '{TITLE}（修正）'",
                          timeout=60_000)
    assert tab.locator("header").count() and tab.locator("footer").count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "serve-reloaded-notice.png"), full_page=False)
    tab.close()
