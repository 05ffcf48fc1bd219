"""``serve``: a preview of the site that starts in seconds and shows a saved change at once, at any size.

``build`` makes every page and file of the site; a preview makes a page when the browser asks for
it. What ``serve`` does:

- **start-up** (and after a change to anything but notices): ``check`` through its memo
  (:mod:`generator.reading.memo`), the change record and the e-books; then MkDocs' build of the
  site "dirty", with the same plugin, theme and page cache as ``build``, except that **no generated
  page is rendered**: MkDocs lists them all (nav, links), the plugin keeps each page's Markdown, or
  for a notice how to make it (:func:`generator.website.pages.gazette.notice_pages`), and only the
  hand-written pages (``content/pages/``) and the theme's files are written;
- **a request** for a page not yet made since the last change renders it, with MkDocs' own objects
  of that build (:class:`generator.website.apart.Frame`), from the page cache when its Markdown is
  there (:mod:`generator.website.cache`); a page is made once per change;
- **a saved change** to notices or issue files only, with the same issues and notices and the same
  attachments (what nearly every edit of a gazette is): ``check`` again through the memo held in
  memory (only the changed file is read), and every page made anew when next asked for (from the
  cache unless its Markdown changed): a notice's page alone, the others' Markdown all at once when
  the first of them is asked for (about a second at 10,000 notices); the gazette's feeds too, when
  one is asked for (at start-up as well). Any other change (site.yml, the directory, the yearbook,
  the datasets, the theme, a new or removed notice or issue, an attachment) starts over as at start-up.
- **a content error**: every problem is printed as ``path:line:col: message``, and the preview keeps
  showing the last good content (MkDocs' own server held every request until the content was mended).

What the preview does not make (``build`` makes them, and checks every link strictly): the print
edition (PDFs), the open data (files and validation), the newsletters and the search index. Pages
show no links to what is not made, except the issue pages' link to the issue's newsletter and the
data catalogue's downloads; MkDocs' warnings about those links are not shown (strict mode is off in the
preview, as in MkDocs' own ``serve`` without ``--strict``).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import posixpath
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.errors import ContentError, GeneratorError, errors_in
from generator.markup.markdown import Page
from generator.model import Content
from generator.products import CONFIG_KEY, PREVIEW_KEY, Products
from generator.reading.history import Blobs
from generator.reading.memo import Memo

log = logging.getLogger("generator.preview")

#: The folders and files of a project whose changes the preview shows (datasets/ is optional).
WATCHED = ("content", "datasets", "themes", "mkdocs.yml")


@dataclasses.dataclass
class Made:
    """What one full preview build made: MkDocs' objects (set by the plugin, ``on_env``) and each
    generated page's Markdown or maker."""

    texts: dict[str, str] = dataclasses.field(default_factory=dict)  # source path -> Markdown
    makers: dict[str, Callable[[], Page]] = dataclasses.field(default_factory=dict)  # notices: made when asked
    dests: dict[str, str] = dataclasses.field(default_factory=dict)  # site path (…/index.html) -> source path
    frame: Any = None  # generator.website.apart.Frame
    cache: Any = None  # generator.website.cache.PageCache
    plugin: Any = None  # the jiahe plugin of this build
    stale: bool = False  # ``texts`` are those before the last change: made again when one is asked for


class Preview:
    """The preview of one project, served from ``site_dir`` at ``serve_url``."""

    def __init__(self, root: Path, site_dir: Path, serve_url: str):
        self.root = root.resolve()
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.memo = Memo(self.root)  # the project's, written back once (the first check), then kept in memory
        self.blobs = Blobs()  # the directory files read from git, kept across rebuilds
        self.lock = threading.RLock()  # one rebuild or page at a time
        self.made = Made()
        self.products: Products | None = None
        self.shape: object = None  # what a quick rebuild must find unchanged (see shape)
        self.written: set[str] = set()  # the source paths made since the last change
        self.stale_feeds = False

    # -- the plugin's side (website/plugin.py, while MkDocs builds) ---------------------------------

    def page(self, uri: str, text: str, dest: str) -> None:
        self.made.texts[uri] = text
        self.made.dests[dest] = uri

    def lazy(self, uri: str, make: Callable[[], Page], dest: str) -> None:
        self.made.makers[uri] = make
        self.made.dests[dest] = uri

    def ready(self, frame: Any, cache: Any, plugin: Any) -> None:
        self.made.frame, self.made.cache, self.made.plugin = frame, cache, plugin

    # -- building --------------------------------------------------------------------------------------

    def check(self) -> Content:
        """check through the memo; a content error raises :class:`ContentError` with every problem."""
        from generator.checking.check import problems_of

        content, problems = problems_of(self.root, self.memo)
        self.memo.in_memory()  # written back once, at start-up
        if errors_in(problems) or content is None:
            raise ContentError(problems)
        for problem in problems:
            log.warning("%s", problem)
        return content

    def full(self, content: Content | None = None) -> None:
        """Everything as at start-up: products, then MkDocs' build, rendering no generated page."""
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.utils import clean_directory

        from generator.build import _into_fresh_folder, _stage
        from generator.outputs.ebooks.epub import ebooks
        from generator.reading.history import record

        started = time.perf_counter()
        content = content or _stage("checked", "content/", self.check)
        changes = _stage("read", "the directory's change record", record, self.root, content.directory, blobs=self.blobs)
        books = _stage("built", "the e-books", ebooks, content, self.root)
        products = Products(self.root, content, changes, books, packages=())
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), strict=False)
        config.site_url = self.serve_url
        config[CONFIG_KEY] = products
        config[PREVIEW_KEY] = self
        with self.lock:
            self.made, self.written, self.stale_feeds = Made(), set(), False
            clean_directory(str(self.site_dir))  # a page removed since is gone
            with _into_fresh_folder():
                mkdocs_build(config, serve_url=self.serve_url, dirty=True)
            self.products, self.shape = products, shape(self.root, content)
            self.stale_feeds = True  # written empty: made when one is asked for
        # What this build made lives until the next full one: out of the cycle collector's sight, or
        # each collection walks MkDocs' thousands of pages again (half a second at 10,000 notices).
        # What the build before left (MkDocs' pages and files refer to each other) is collected first.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        log.info("preview ready in %.1f s: %d pages, each made when asked for", time.perf_counter() - started,
                 len(self.made.texts) + len(self.made.makers))

    def rebuild(self) -> None:
        """After a saved change: quickly when only notices or issues changed, else as at start-up.
        A content error is printed and the preview stays as it was."""
        started = time.perf_counter()
        try:
            content = self.check()
            if not self.quick(content):
                self.full(content)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr, flush=True)  # noqa: T201 - as check prints them
            errors = len(errors_in(exc.problems))
            log.error("%d error%s: the preview still shows the content before this change", errors, "s" * (errors != 1))
            return
        except GeneratorError as exc:
            log.error("error: %s; the preview still shows the content before this change", exc)
            return
        log.info("rebuilt the preview in %.2f s", time.perf_counter() - started)

    def quick(self, content: Content) -> bool:
        """The quick rebuild (see the module's text); False when it does not apply."""
        from generator.website.pages import gazette as gazette_pages

        made, products = self.made, self.products
        if products is None or made.plugin is None or shape(self.root, content) != self.shape:
            return False
        products = dataclasses.replace(products, content=content)
        with self.lock:
            makers = dict(gazette_pages.notice_pages(content, pdfs=products.pdfs))
            if makers.keys() != made.makers.keys():
                return False
            made.plugin.made = products
            made.makers, made.stale = makers, True
            self.products, self.written, self.stale_feeds = products, set(), True
        return True

    def _texts(self) -> None:
        """The Markdown of every generated page but the notices' again, after a quick rebuild: the
        same pages as before (the shape of the content did not change), with what they now show."""
        from generator.website import site

        made = self.made
        assert self.products is not None
        texts = {page.uri: page.text for page in site.pages(self.products, made.plugin.updated, notices=False)}
        if texts.keys() != made.texts.keys():  # not expected: the pages follow from the shape
            log.warning("the site's pages changed with a notice: starting the preview over")
            self.full(self.products.content)
            return
        made.texts, made.stale = texts, False

    # -- serving ---------------------------------------------------------------------------------------

    def provide(self, path: str) -> None:
        """Make the file at ``path`` (relative to the site) if it is a page or feed not made since the
        last change: before the server reads it."""
        with self.lock:
            uri = self.made.dests.get(path)
            if uri is not None and uri not in self.written:
                self._render(uri)
            elif self.stale_feeds and path.endswith(".atom"):
                self._feeds()

    def _render(self, uri: str) -> None:
        made = self.made
        if uri in made.makers:
            text = made.makers[uri]().text
        else:
            if made.stale:
                self._texts()
                made = self.made
                if uri not in made.texts:
                    return
            text = made.texts[uri]
        from generator.website.apart import render_all

        file = made.frame.files.get_file_from_path(uri)
        env = made.frame.env
        shown = env.globals.get("frame")
        env.globals["frame"] = made.plugin.apart_frame()  # as website/plugin.py renders pages apart
        try:
            render_all(made.frame, [(file, text)], made.cache, workers=1)
        finally:
            env.globals["frame"] = shown
        self.written.add(uri)

    def _feeds(self) -> None:
        """The gazette's feeds, made again from the content (after a quick rebuild)."""
        from generator.outputs import feeds

        assert self.products is not None
        for asset in feeds.assets(self.products.content, self.products.pdfs):
            assert asset.data is not None
            path = self.site_dir / asset.uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(asset.data)
        self.stale_feeds = False

    def render_everything(self) -> dict[str, bytes]:
        """Every generated page as the preview serves it, by site path (for tests)."""
        for path in sorted(self.made.dests):
            self.provide(path)
        return {path: (self.site_dir / path).read_bytes() for path in sorted(self.made.dests)}


def shape(root: Path, content: Content) -> object:
    """What must not change for a quick rebuild: everything but the notices' and issues' own text.
    The site, the directory, the yearbook and the datasets as read; the issues and their notices
    (which pages exist, the nav) and the attachments; and the size and time of every other file the
    site is made from (the theme, mkdocs.yml, hand-written pages, images, attachments)."""
    gazette = tuple((issue.id, tuple((notice.id, notice.category, notice.agencies, notice.attachments)
                                     for notice in issue.notices)) for issue in content.gazette.issues)
    # without git history the site's "last update" (the home page's) is the newest issue's date (build.content_date)
    newest = max((issue.date for issue in content.gazette.issues), default=None)
    return (content.site, content.directory, content.yearbooks, content.datasets, gazette, newest, _files(root))


def _files(root: Path) -> tuple[tuple[str, int, int], ...]:
    """The size and modification time of every file of :data:`WATCHED` but notices and issue files."""
    found = []
    for name in WATCHED:
        top = root / name
        if top.is_file():
            stat = top.stat()
            found.append((name, stat.st_size, stat.st_mtime_ns))
            continue
        for folder, _dirs, names in os.walk(top):
            gazette = _GAZETTE.match(posixpath.relpath(folder, root)) is not None
            for file in names:
                if gazette and (file.endswith(".md") or file == "issue.yml"):
                    continue
                path = os.path.join(folder, file)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


#: The events of a watched file that are changes (not "opened", "closed_no_write").
CHANGES = frozenset({"created", "modified", "moved", "deleted", "closed"})


class _Deferred(logging.Filter):
    """Drops MkDocs' warning about a link to what the preview does not make: an issue's newsletter,
    the open data's files (the data catalogue's downloads)."""

    TARGET = re.compile(r"^Doc file .*, but the target '(?:.*/newsletter/index\.md|data/[^']*)' is not found among documentation files")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.TARGET.match(record.getMessage())


_GAZETTE = re.compile(r"content/gazette/\d{4}/\d+$")


def serve(root: Path, dev_addr: str) -> None:
    """The ``serve`` command: the preview at ``dev_addr``, rebuilt on every saved change."""
    import shutil
    import tempfile
    from urllib.parse import urlsplit

    import watchdog.observers
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    root = root.resolve()
    config = load_config(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    site_dir = Path(tempfile.mkdtemp(prefix="jiahe-preview-"))
    preview = Preview(root, site_dir, _serve_url(host, port, mount_path))

    class Server(LiveReloadServer):
        """MkDocs' server, which makes a page when it is asked for (:meth:`Preview.provide`)."""

        def _serve_request(self, environ, start_response):  # type: ignore[no-untyped-def]
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
            if (path + "/").startswith(self.mount_path) and not path.startswith("/livereload/"):
                relative = path[len(self.mount_path):]
                if path.endswith("/"):
                    relative += "index.html"
                relative = posixpath.normpath("/" + relative).lstrip("/")
                with self._epoch_cond:  # not while a rebuild runs
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                preview.provide(relative)
            return super()._serve_request(environ, start_response)

        def watch(self, path, func=None, *, recursive=True):  # type: ignore[no-untyped-def]
            """As MkDocs' watch, for changes only: the kernel also tells of files opened and read
            (by the preview's own check), which must not start a rebuild."""
            import watchdog.events

            path = os.path.abspath(path)

            def changed(event: Any) -> None:
                if not event.is_directory and event.event_type in CHANGES:
                    with self._rebuild_cond:
                        self._want_rebuild = True
                        self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = changed  # type: ignore[method-assign]
            self._watched_paths[path] = 1
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    server = Server(builder=preview.rebuild, host=host, port=port, root=str(site_dir), mount_path=mount_path)
    server.observer = watchdog.observers.Observer()  # type: ignore[assignment]  # the kernel's notices (inotify), not polling 10,000 files

    def error_page(code: int) -> bytes | None:
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page

    def stop(_signal: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # as Ctrl-C: the server stops and its folder is removed

    signal.signal(signal.SIGTERM, stop)  # (by default SIGTERM ends Python at once, leaving the folder in /tmp)
    deferred = _Deferred()
    logging.getLogger("mkdocs.structure.pages").addFilter(deferred)
    try:
        preview.full()
        for name in WATCHED:
            if (root / name).exists():
                server.watch(str(root / name))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        logging.getLogger("mkdocs.structure.pages").removeFilter(deferred)
        shutil.rmtree(site_dir, ignore_errors=True)
