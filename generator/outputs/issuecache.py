"""What the stages before the website keep per gazette issue from one build to the next (issue 12).

A published issue never changes, so what a stage makes from it alone (the plain text of its notices
for the open data, its newsletter's files) is kept in ``.cache/<kind>/`` of the project (ignored by
git), one JSON file per issue, ``<name>-<key>.json``: ``key`` is a SHA-256 of everything the value is
made from (the issue's sources as the stage reads them) and of the stage's *version* (:func:`code_digest`
of the generator's modules that make it, the versions of the libraries that do, its templates and
words). A value whose key is not there is made again and kept in place of the issue's older one; a
changed notice therefore changes exactly the key of its own issue. Removing ``.cache/`` only makes
the next build slower; a folder that cannot be written only leaves the cache out (a warning).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: The project's cache folder (the website keeps its pages in ``pages/``, the print edition in ``print/``).
CACHE = Path(".cache")
GENERATOR = Path(__file__).resolve().parent.parent


def code_digest(*paths: Path) -> str:
    """A SHA-256 of the files (every ``*.py``, template and words file of a folder, recursively)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(GENERATOR.parent).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def library_versions(*names: str) -> str:
    """The installed versions of these distributions: another version may make other bytes."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return ",".join(found)


class IssueCache:
    """One kind of per-issue value kept in ``root/.cache/<kind>/``, for a stage at ``version``."""

    def __init__(self, root: Path, kind: str, version_: str) -> None:
        self.folder = root / CACHE / kind
        self.version = version_
        self.made = 0  # values made (not found) in this build, for the stage's log line
        self.found = 0
        self._kept: dict[str, list[str]] | None = None  # the folder's files by name, listed once (see :meth:`put`)

    def key(self, *parts: str) -> str:
        """The key of a value made from ``parts`` (strings), by this stage's version."""
        digest = hashlib.sha256(self.version.encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, name: str, key: str) -> Any:
        """The value kept for ``name`` (``gazette-2026-03``) made from inputs hashed as ``key``, if any."""
        try:
            value = json.loads((self.folder / f"{name}-{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.found += 1
        return value

    def has(self, name: str, key: str) -> bool:
        """Whether a value is kept for ``name`` made from inputs hashed as ``key`` (not read)."""
        return (self.folder / f"{name}-{key}.json").is_file()

    def put(self, name: str, key: str, value: object, files: Mapping[str, bytes] | None = None) -> None:
        """Keep ``value`` for ``name`` (its older versions removed), written whole, then renamed.
        ``files``: files kept beside it, by suffix (``message.eml``: ``<name>-<key>.message.eml``,
        :meth:`file`), written before the value, so that a value found has its files; readable by a
        web server, since the website places them by hard links (issue 12)."""
        self.made += 1
        path = self.folder / f"{name}-{key}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self._older(name):
                old.unlink(missing_ok=True)
            for suffix, data in (files or {}).items():
                _write_whole(self.file(name, key, suffix), data)
            _write_whole(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:  # a read-only checkout still builds, only without the cache
            log.warning("could not keep %s in %s: %s", name, self.folder, exc)

    def file(self, name: str, key: str, suffix: str) -> Path:
        """The file kept beside ``name``'s value made from inputs hashed as ``key`` (:meth:`put`)."""
        return self.folder / f"{name}-{key}.{suffix}"

    def _older(self, name: str) -> list[Path]:
        """The files kept for ``name`` (``<name>-<key>.json`` and the files beside it, ``<name>-<key>.<suffix>``,
        :data:`_KEPT`; partial files too). The folder is listed once for the
        stage, not once for each value kept (issue 12: at 5,000 issues a listing for each was 5,000
        listings of 5,000 files). Each name is made by one process of a build, so the listing taken
        when the first value is kept is the truth for it."""
        if self._kept is None:
            self._kept = {}
            try:
                files = os.listdir(self.folder)
            except OSError:
                files = []
            for file in files:
                if found := _KEPT.fullmatch(file):
                    self._kept.setdefault(found["name"], []).append(file)
        return [self.folder / file for file in self._kept.pop(name, [])]


#: A kept file's name: the value's name, its key (a SHA-256 in hex), a suffix (``json``, ``message.eml``, ``json.partial``).
_KEPT = re.compile(r"(?P<name>.+)-[0-9a-f]{64}\.[^/]+")


def _write_whole(path: Path, data: bytes) -> None:
    """``data`` at ``path``, written whole (a partial file, then renamed), readable by everyone (0644)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.chmod(partial, 0o644)  # whatever the umask
    partial.replace(path)
