"""A project folder under git, for the directory's change record: commits with chosen dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TRANSPORTATION = """\
name:
  zh-Hant: 交通局
  en: Department of Transportation
parent: city-government
group: bureaus
address: 嘉和市東區府前路1號9樓
phone: (05)225-3500
units:
  - id: transit
    name:
      zh-Hant: 運輸管理科
      en: Public Transit Section
    contacts:
      - name: 張怡萱
        title: 科長
        phone: (05)225-4321 分機 3521
        email: traffic3521@mail.jiahe.gov.tw
      - name: 沈瑞麟
        title: 股長
        phone: (05)225-4321 分機 3522
      - role: 公車申訴
        phone: (05)225-4321 分機 3529
"""

FIRE = """\
name:
  zh-Hant: 消防局
  en: Fire Department
parent: city-government
group: bureaus
address: 嘉和市西區中山路100號
phone: (05)227-1190
contacts:
  - role: 值班台
    phone: (05)227-1190 分機 100
"""


def git(root: Path, *args: str, date: str = "2026-03-02T10:00:00+08:00") -> str:
    """Run git in ``root`` as an editor would, with fixed dates and no personal configuration."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@mail.jiahe.gov.tw", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@mail.jiahe.gov.tw", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def init(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")


def commit(root: Path, message: str, date: str) -> str:
    """Commit everything in the folder; returns the commit id."""
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")
