"""Helpers for the open-data tests: the shipped descriptors, reading a built package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parent.parent
DESCRIPTORS = {f"datasets/{path.name}": path.read_text(encoding="utf-8") for path in sorted((REPO / "datasets").glob("*.yml"))}
GAZETTE = "datasets/gazette.yml"
FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def with_datasets(project) -> None:
    """Give a test project the shipped descriptors, so that it publishes open data."""
    project.write(DESCRIPTORS)


def descriptor(site: Path, package: str) -> dict:
    return json.loads((site / "data" / package / "datapackage.json").read_text(encoding="utf-8"))


def packages(site: Path) -> list[str]:
    return sorted(path.parent.name for path in (site / "data").glob("*/datapackage.json"))


def page_file(site: Path, url: str, base_url: str) -> Path:
    """The built file an absolute URL of the site serves (``…/`` is its index.html); fragments ignored."""
    assert url.startswith(base_url), url
    path = unquote(url.removeprefix(base_url).split("#", 1)[0])
    return site / (path + "index.html" if path.endswith("/") or not path else path)
