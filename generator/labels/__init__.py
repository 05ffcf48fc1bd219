"""Every word the interface says, in each language: one catalogue, a YAML file per part of the site.

``labels("yearbook", "en")["contents"]`` is the English word for the yearbook's contents. Each file
(``yearbook.yml``, ``directory.yml``, …) holds one mapping per language of :data:`LANGUAGES`, with the
same keys in each (tested), so a label cannot be missing in one language. Labels are text: they are
escaped wherever they are printed, like content. The files are read once, when this module is
imported, into read-only mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from generator.model.common import LANGUAGES

FOLDER = Path(__file__).parent


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _read() -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
    catalogue = {}
    for path in sorted(FOLDER.glob("*.yml")):
        catalogue[path.stem] = _frozen(yaml.safe_load(path.read_text(encoding="utf-8")))
    return MappingProxyType(catalogue)


CATALOGUE = _read()


def labels(section: str, language: str) -> Mapping[str, Any]:
    """The labels of one part of the site (a file of this folder) in ``language``."""
    return CATALOGUE[section][language]


__all__ = ["CATALOGUE", "LANGUAGES", "labels"]
