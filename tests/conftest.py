"""Fixtures: a minimal valid project written from a dict of files, and a copy of the shipped one."""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.checking.check import problems_of
from generator.errors import Problem, Severity

REPO = Path(__file__).resolve().parent.parent


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


SITE = (REPO / "content" / "site.yml").read_text(encoding="utf-8")

AGENCY = """\
name:
  zh-Hant: 嘉和市政府
  en: Jiahe City Government
group: city-hall
address: 嘉和市東區府前路1號
phone: (05)225-4321
units:
  - id: general
    name:
      zh-Hant: 總務科
    contacts:
      - name: 王小明
        title: 科長
        phone: (05)225-4321 分機 101
"""

ISSUE = "date: 2026-01-01\n"

NOTICE = """\
---
title: 公告本市道路挖掘管理事項
category: 公告
agency: city-government
doc_number: 府工字第1150000001號
issued: 2025-12-20
keywords: [道路, 挖掘]
---

主旨：公告本市道路挖掘管理事項。
"""

BOOK = """\
title:
  zh-Hant: 嘉和市年鑑 2025
  en: Jiahe City Yearbook 2025
identifier:
  zh-Hant: 978-626-7000-00-7
  en: urn:uuid:5f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f
rights:
  zh-Hant: 著作權所有
  en: All rights reserved
date: 2026-06-30
cover:
  file: images/cover.png
  alt:
    zh-Hant: 封面
    en: Cover
tables:
  population:
    file: tables/population.csv
    title:
      zh-Hant: 人口
      en: Population
    unit:
      zh-Hant: 人
      en: persons
    source:
      zh-Hant: 民政局
      en: Civil Affairs Bureau
    columns:
      district:
        zh-Hant: 區別
        en: District
      people:
        zh-Hant: 人口數
        en: Population
chapters:
  - 01-overview
"""

CHAPTER_ZH = "---\ntitle: 市政概況\n---\n\n本市位於嘉南平原。\n\n![市政大樓](../images/cover.png)\n\n{{ table: population }}\n"
CHAPTER_EN = "---\ntitle: Overview\n---\n\nThe city lies on the plain.\n\n![City hall](../images/cover.png)\n\n{{ table: population }}\n"

MINIMAL: dict[str, str | bytes] = {
    "content/site.yml": SITE,
    "content/directory/city-government.yml": AGENCY,
    "content/gazette/2026/01/issue.yml": ISSUE,
    "content/gazette/2026/01/01-road-works.md": NOTICE,
    "content/yearbook/2025/book.yml": BOOK,
    "content/yearbook/2025/zh-Hant/01-overview.md": CHAPTER_ZH,
    "content/yearbook/2025/en/01-overview.md": CHAPTER_EN,
    "content/yearbook/2025/images/cover.png": tiny_png(),
    "content/yearbook/2025/tables/population.csv": "district,people\n東區,120345\n西區,-12\n",
    "content/pages/about.md": "---\ntitle: 關於本站\n---\n\n關於。\n",
}


@dataclass
class Project:
    """A project folder in tmp_path that a test can change file by file."""

    root: Path

    def write(self, files: dict[str, str | bytes]) -> None:
        for name, data in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def problems(self) -> list[Problem]:
        return problems_of(self.root)[1]

    def errors(self) -> list[Problem]:
        return [p for p in self.problems() if p.severity is Severity.ERROR]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """The command line, as an editor runs it."""
        return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(self.root)],
                              capture_output=True, text=True, cwd=self.root, timeout=600)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal valid project."""
    proj = Project(tmp_path / "proj")
    proj.write(MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", proj.root / "mkdocs.yml")
    shutil.copytree(REPO / "themes", proj.root / "themes")
    return proj


@pytest.fixture
def shipped(tmp_path: Path) -> Project:
    """A copy of the shipped content/, datasets/, mkdocs.yml and themes/."""
    proj = Project(tmp_path / "shipped")
    proj.root.mkdir()
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, proj.root / name, symlinks=True)
    shutil.copy(REPO / "mkdocs.yml", proj.root / "mkdocs.yml")
    return proj


# -- the shipped site, built once, served over HTTP, opened in Debian's Chromium ---------------------

CHROMIUM = "/usr/bin/chromium"


def run_folder(tmp_path_factory) -> Path:
    """The test run's temporary folder, the same for every pytest-xdist worker of the run (`make
    test` runs the suite in one worker per core: each worker's own folder is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The shipped content built once per test run (into a temporary folder, not site/): by the first
    worker that asks for it, while the others wait on a lock and then read the same site."""
    folder = run_folder(tmp_path_factory) / "built-shipped"
    out = folder / "site"
    with open(run_folder(tmp_path_factory) / "built-shipped.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            folder.mkdir(exist_ok=True)
            result = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(REPO), "--site-dir", str(out)],
                                    capture_output=True, text=True, timeout=900)
            assert result.returncode == 0, result.stderr
            (folder / "built").touch()
    return out


#: The two longest files (CI's --durations: the real sample's daily gazette about 200 s, the archive
#: built with 1,000 then 4,000 notices about 70 s), in that order: with --no-loadscope-reorder each
#: worker gets the next file in the order below, so they start at once on different workers.
LONGEST = (REPO / "tests" / "importing" / "test_import.py", REPO / "tests" / "test_scale.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first, then the others with archive-scale tests, then the rest, each file's
    tests together and in their order: with a worker per core (`make test`), the longest file starts
    at once instead of last, alone on one core while the other waits."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> int:
        return LONGEST.index(item.path) if item.path in LONGEST else len(LONGEST) + (item.path not in slow)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """A local HTTP server over the built site; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


SCREENSHOTS = REPO / "tests" / ".artifacts"


@pytest.fixture
def screenshot():
    """Save a page's screenshot under tests/.artifacts/ (git-ignored) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
