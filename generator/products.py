"""What the build's stages make, handed on to the stages after them (see build.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import Content
from generator.outputs.ebooks.epub import Ebook
from generator.outputs.opendata.packages import Package
from generator.reading.history import ChangeRecord


@dataclass(frozen=True)
class Products:
    """The checked content and everything made from it before the website: the website's pages
    show them (e-book sizes, data tables, the directory's changes) and publish their files."""

    root: Path  # the project folder
    content: Content
    record: ChangeRecord  # the directory's change record, from git
    ebooks: tuple[Ebook, ...]
    packages: tuple[Package, ...]  # the open-data packages, validated
