"""``serve``: a live preview that rebuilds when an editor changes content, says where a mistake is,
and comes back once it is mended (MkDocs holds requests while the content has errors)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import NOTICE


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
