"""The rendered pages of earlier builds, reused when nothing they show has changed.

A page is stored under a key that hashes everything its HTML follows from:

- the page itself: its path and the Markdown the generator wrote for it, front matter included,
  which holds every value the page shows: the notice, its issue, agency and category, and the
  titles and addresses of the previous and next notices (so a neighbour's new title changes the
  key of exactly the pages that show it);
- the frame (:func:`frame_key`), the same for every page of a build: the generator's own code,
  templates and labels, the theme folder (``themes/``, the project's overrides), ``mkdocs.yml``,
  the versions of MkDocs, mkdocs-material and every library that writes HTML, the site's name,
  address and copyright (which come from ``content/site.yml``) and the nav's top two levels (its
  sections, and the gazette's years), which every page shows.

An archived issue never changes, so an archive of thousands of notices is rendered once; a new
issue renders its own notices and the last notice of the issue before (whose "next" link changes).
Entries are content-addressed files, written once (to a temporary name, then renamed) and never
changed, so the site's files are hard links to them (a copy where links are refused); the build
removes the entries it did not use, so the cache holds one build (per frame: the last build's and
the preview's, ``.cache/pages/<frame>/``).

The notices' pages are keyed one step earlier too (issue 12): the frame's folder keeps, in
``inputs.json``, the hash of every value each notice's page showed (``website/pages/gazette.py``'s
``notice_inputs``) and the key of the page placed for it, so that a build makes the Markdown only of
the notices whose values changed (at 10,000 notices, making every notice's Markdown to key its page
took most of the website stage when nothing changed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import generator

#: The distributions whose code turns a page's Markdown into its HTML.
RENDERERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "jinja2", "markupsafe", "nh3")
#: Where a project keeps the cache (ignored by git; removing it only makes the next build slower).
FOLDER = Path(".cache") / "pages"
#: Where a project keeps the files the website publishes from bytes (:class:`AssetStore`).
ASSETS = Path(".cache") / "assets"


def frame_key(config: Any, nav: Any, shown: object = None) -> str:
    """The hash of what every page of the build shows or is made with, besides its own Markdown;
    ``shown``: the theme's frame data (without the site's last update: each page shows its own day,
    which its Markdown holds, website/pages/dated.py)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little") + data)

    for name in RENDERERS:
        add(name, metadata.version(name))
    add_tree(add, Path(generator.__file__).parent)
    if config.theme.custom_dir:
        add_tree(add, Path(config.theme.custom_dir))
    add(Path(config.config_file_path).read_bytes())
    add(config.site_name, config.site_url, config.copyright)
    # the nav's top level and the level below it (the gazette's years): every page leaves a place in
    # its HTML for each of them, pruned or not, so the first issue of a new year changes every page
    for item in nav.items:
        add(item.title, getattr(item, "url", None),
            [(getattr(child, "title", None), getattr(child, "url", None)) for child in getattr(item, "children", None) or []])
    add(repr(shown))
    return digest.hexdigest()


def add_tree(add: Any, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            add(path.relative_to(folder).as_posix(), path.read_bytes())


#: The file, in a frame's folder, of the last build's keyed pages (:meth:`PageCache.inputs`).
INPUTS = "inputs.json"

#: How many frames' caches a project keeps: a build's and a preview's (``serve`` shows the site at
#: another address, so its pages differ), the most recently used.
FRAMES_KEPT = 2


class PageCache:
    """Rendered pages by key, in a folder of ``root`` for the frame (None: no cache, every page is
    rendered). Each frame has its own folder, so that a preview and a build do not remove each
    other's pages; the folders of frames no longer used (an older theme) are removed."""

    def __init__(self, root: Path | None, frame: str):
        self.folder = root / frame[:16] if root is not None else None
        self.frame = frame
        self.used: set[str] = set()
        if root is not None and self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)  # most recently used
            frames = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in frames[FRAMES_KEPT:]:
                if old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)

    def key(self, uri: str, text: str, nav: str = "") -> str:
        """The key of a page: its path and Markdown, in this frame, and what its nav shows beyond the
        frame's levels (``website/apart.py``, ``nav_shown``)."""
        key = hashlib.sha256(f"{self.frame}\0{uri}\0{text}\0{nav}".encode("utf-8", "surrogatepass")).hexdigest()
        self.used.add(key)  # here, in the build's process (not a worker's)
        return key

    def use(self, key: str) -> None:
        """Keep the page ``key`` at the prune: placed by :meth:`place` without :meth:`key`."""
        self.used.add(key)

    def inputs(self) -> dict[str, str]:
        """The last build's keyed pages (website/apart.py): the hash of what each showed -> its page's key."""
        if self.folder is None:
            return {}
        try:
            found = json.loads((self.folder / INPUTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or unreadable: every keyed page's Markdown is made again
        return found if isinstance(found, dict) else {}

    def keep_inputs(self, pages: Mapping[str, str]) -> None:
        """What :meth:`inputs` gives the next build: this build's keyed pages, and no others."""
        if self.folder is not None:
            _keep_file(self.folder / INPUTS, json.dumps(pages, sort_keys=True).encode("utf-8"))

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.html"

    def place(self, key: str, dest: str) -> bool:
        """Put the stored page ``key`` at ``dest`` (a hard link to the cache's file: the page's bytes
        and file as the last build placed them); False when it is not stored."""
        if self.folder is None:
            return False
        try:
            link(self._path(key), dest)
            return True
        except FileNotFoundError:
            return False

    def store(self, key: str, html: bytes, dest: str) -> None:
        """Write a page at ``dest`` and keep it under ``key``."""
        if self.folder is None:
            _write(dest, html)
            return
        _keep_written(self._path(key), html, dest)

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Remove every entry but those used by this build (or ``keep``); returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        keep = set(self.used if keep is None else keep)
        removed = 0
        with os.scandir(self.folder) as shards:
            folders = [entry.path for entry in shards if entry.is_dir(follow_symlinks=False)]
        for folder in folders:  # within this frame's folder
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".new-"):  # left by a killed build
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(entry.path)
                    elif name.endswith(".html") and name[:-5] not in keep:
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(entry.path)
                        removed += 1
        return removed


class AssetStore:
    """The files the website publishes from bytes a stage made (the feeds, the directory's and the
    e-books' downloads, a newsletter's files when the newsletter cache could not keep them; with the
    newsletters' files, about 1,800 files and 51 MB at 10,000 notices),
    kept in ``folder`` by the SHA-256 of their bytes and placed by hard links, as the pages are
    (issue 12: MkDocs wrote them all again on every build, about 1 s of a build after one new issue,
    and the next build freed their blocks). None: each file is written. An entry is written once
    (linked under a temporary name, then renamed) and never changed; :meth:`prune` removes the
    entries this build did not place, so the store holds one build's files."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: set[str] = set()

    def place(self, data: bytes, dest: str) -> None:
        """``data`` at ``dest``: a hard link to the store's file of those bytes, made first if missing."""
        if self.folder is None:
            _write(dest, data)
            return
        key = hashlib.sha256(data).hexdigest()
        self.used.add(key)
        path = self.folder / key[:2] / key
        try:
            link(path, dest)
        except FileNotFoundError:
            _keep_written(path, data, dest)

    def prune(self) -> int:
        """Remove every entry this build did not place; returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        with os.scandir(self.folder) as shards:
            folders = [entry.path for entry in shards if entry.is_dir(follow_symlinks=False)]
        for folder in folders:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name not in self.used:  # another build's, or a temporary name left by a killed one
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(entry.path)
                        removed += 1
        return removed


def _keep_written(path: Path, data: bytes, dest: str) -> None:
    """``data`` written at ``dest``, a new file, then kept in a cache at ``path`` as a hard link to
    it (a copy where links are refused): written once, not twice. The cache's entry appears whole
    or not at all: it is linked under a temporary name, then renamed."""
    _write(dest, data)
    temporary = os.path.join(path.parent, f".new-{os.getpid()}-{path.name}")
    try:
        try:
            os.link(dest, temporary)
        except FileNotFoundError:  # the cache's folder, not made yet
            path.parent.mkdir(parents=True, exist_ok=True)
            os.link(dest, temporary)
        except FileExistsError:  # left by a killed build of this process id
            os.unlink(temporary)
            os.link(dest, temporary)
    except OSError:  # another file system, or one without hard links
        _keep_file(path, data)
        return
    os.replace(temporary, path)


def _keep_file(path: Path, data: bytes) -> None:
    """``data`` at ``path``, written whole or not at all (a temporary file, renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def link(source: Path, dest: str) -> None:
    """``dest`` as a hard link to ``source`` (a copy where the file system refuses links); raises
    FileNotFoundError when ``source`` does not exist. The page cache's and the store's entries are
    placed so, and the files another cache keeps, written once and never changed (the newsletters')."""
    try:
        os.link(source, dest)
        return
    except FileExistsError:
        os.unlink(dest)
    except FileNotFoundError:
        if os.path.isdir(os.path.dirname(dest)):
            raise  # the source is missing
        os.makedirs(os.path.dirname(dest), exist_ok=True)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, dest)
        return
    try:
        os.link(source, dest)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, dest)


def _write(dest: str, data: bytes) -> None:
    """``data`` in a new file at ``dest`` (readable by a web server), never written through an
    existing file: one there (a hard link into a cache, say) is removed first."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    try:
        handle = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        handle = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    with os.fdopen(handle, "wb") as out:
        os.fchmod(handle, 0o644)
        out.write(data)
