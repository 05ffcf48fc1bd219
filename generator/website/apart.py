"""Pages rendered apart from MkDocs' per-page pipeline: the gazette's notices, by far the most numerous.

MkDocs gives every page a new ``Markdown()`` (with every extension set up again), reads its front
matter back as YAML and parses its HTML once more for anchors; at 10,000 notices that was about half
of the website stage. A notice page here goes through the same steps, with the same objects, only
once per build where MkDocs repeats them per page:

- **one Markdown instance**, with MkDocs' own extensions and configuration (``markdown_extensions``)
  and MkDocs' own tree processors for relative links (``.md`` links to URLs, broken links reported
  as MkDocs reports them) and for the title, reset between pages;
- **no YAML**: the page's metadata is the dictionary the generator wrote (:func:`split_page`);
- **the theme's own template** (``main.html`` of mkdocs-material with the project's overrides in
  ``themes/``), from MkDocs' Jinja environment, after the plugin made it autoescape, with MkDocs'
  own template context (:func:`mkdocs.commands.build.get_context`) and every plugin event a page
  gets (``on_page_markdown``, ``on_page_content`` (the nh3 cleaning), ``on_page_context``,
  ``on_post_page``): a change to the site's frame (footer, head, header) reaches these pages as it
  reaches the others;
- **a cache** (:mod:`generator.website.cache`): a page whose inputs did not change since the last
  build is not rendered again but linked from the cache;
- **worker processes** for what must be rendered (forked, so they share the build's state).

MkDocs still lists these pages (links to them are checked, the sitemap lists them), but builds them
"dirty": a page MkDocs is told is unmodified (:class:`ApartFile`) is neither read nor written by it.
What MkDocs skips for them: anchor validation (their anchors are generated, their links are checked).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import markdown
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _ExtractTitleTreeprocessor, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from generator.website.cache import PageCache
from generator.website.pages import dated as dated_pages
from generator.workers import cores, forked

log = logging.getLogger("mkdocs.plugins.jiahe")

#: Below this many pages to render, one process does it (starting workers costs more).
WORKER_THRESHOLD = 200


class ApartFile(File):
    """A generated page that MkDocs lists but does not render: in a dirty build, MkDocs neither reads
    nor writes a page whose file is unmodified (the plugin writes it, :func:`render_all`)."""

    def is_modified(self) -> bool:
        return False


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """The metadata and Markdown of a generated page, as MkDocs would read them, without YAML: the
    inverse of :func:`generator.markup.markdown.page` (a line ``name: <JSON>`` per value)."""
    lines = text.split("\n")
    assert lines[0] == "---", "a generated page starts with front matter"
    end = lines.index("---", 1)
    meta: dict[str, Any] = {}
    for line in lines[1:end]:
        name, _, value = line.partition(": ")
        meta[name] = json.loads(value)
    return meta, "\n".join(lines[end + 1:])


#: A rendered page's table of contents once it is written (MkDocs' own empty one).
_NO_TOC = get_toc([])


@dataclass
class Frame:
    """What every page rendered apart shares in one build: MkDocs' config, files, nav and Jinja
    environment, the Markdown instance, and the pages in the order MkDocs lists them."""

    config: Any
    files: Files
    nav: Any
    env: Any
    doc_files: Sequence[File]
    md: markdown.Markdown | None = None

    def converter(self) -> markdown.Markdown:
        if self.md is None:
            self.md = markdown.Markdown(extensions=self.config["markdown_extensions"],
                                        extension_configs=self.config["mdx_configs"] or {})
        return self.md

    def render(self, page: Page, text: str) -> bytes:
        """One page's HTML, as MkDocs' ``_populate_page`` and ``_build_page`` would make it."""
        config, files = self.config, self.files
        config._current_page = page
        try:
            page.meta, page.markdown = split_page(text)
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            md = self.converter()
            relative = _RelativePathTreeprocessor(page.file, files, config)
            relative._register(md)  # replaces the previous page's (same name)
            title = _ExtractTitleTreeprocessor()
            title._register(md)
            try:
                page.content = md.convert(page.markdown)
                page.toc = get_toc(getattr(md, "toc_tokens", []))
            finally:
                md.reset()
            page._title_from_render = title.title
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
            page.active = True
            context = get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = config.plugins.on_post_page(template.render(context), page=page, config=config)
            return output.encode("utf-8", errors="xmlcharrefreplace")
        finally:
            page.active = False
            # 60,000 pages' HTML, Markdown, metadata and headings need not stay in memory once written
            # (each worker rendering 30,000 pages grew by 400 MB at 50,000 notices, most of it the metadata);
            # the page is then as MkDocs left it, unread (its title from the nav's configuration, if any)
            page.content = page.markdown = None
            page.meta, page.toc = {}, _NO_TOC
            config._current_page = None


def render_all(frame: Frame, pages: Iterable[tuple[File, str]], cache: PageCache, workers: int | None = None,
               keyed: Sequence[tuple[File, str, Callable[[], Any]]] = ()) -> tuple[int, int, int]:
    """Write every page (its file and its generated Markdown) into the site: from the cache when
    its key is there, else rendered (in worker processes when there are many). ``keyed``: pages
    without their Markdown, each with the hash of every value it shows and the function that makes
    it (the gazette's: website/pages/shown.py, issue 12); one whose hash is the last build's is
    placed as the last build placed it, the others are made and rendered (by workers when many).
    Each page's MkDocs ``Page`` is given its own last update (:func:`dated`) for the sitemap, which
    MkDocs writes before the pages. Returns (rendered, reused, keyed pages made)."""
    todo: list[tuple[File, str, str]] = []
    reused = 0
    known = cache.inputs() if keyed else {}
    kept: dict[str, str] = {}  # this build's keyed pages, for the next: the hash of what each shows -> "key day"
    missing: list[tuple[File, str, Callable[[], Any]]] = []
    for file, inputs, make in keyed:
        key, _, day = known.get(inputs, "").partition(" ")  # (a list of an older build, keys only: made again)
        if day and cache.place(key, file.abs_dest_path):
            cache.use(key)
            kept[inputs] = f"{key} {day}"
            _set_day(file, day)
            reused += 1
        else:
            missing.append((file, inputs, make))
    workers = workers or cores()
    rendered = 0
    for (file, inputs, _), (key, was_rendered, day) in zip(missing, _made_and_placed(frame, missing, cache, workers),
                                                          strict=True):
        cache.use(key)
        kept[inputs] = f"{key} {day}"
        _set_day(file, day)
        rendered += was_rendered
        reused += not was_rendered
    for file, text in pages:
        _set_day(file, dated(text))
        key = cache.key(file.src_uri, text, nav_shown(file))
        if cache.place(key, file.abs_dest_path):
            reused += 1
        else:
            todo.append((file, text, key))
    if workers > 1 and len(todo) >= WORKER_THRESHOLD:
        _render_in_workers(frame, todo, cache, workers)
    else:
        for item in todo:
            _render_one(frame, item, cache)  # MkDocs logs its warnings itself
    if keyed:
        cache.keep_inputs(kept)
    return len(todo) + rendered, reused, len(missing)


#: The day a generated page shows as its last update, in its front matter (website/pages/dated.py's
#: ``updated``, written by generator.markup.markdown.page as ``name: <JSON>``).
_UPDATED = re.compile(rf'^{re.escape(dated_pages.META)}: "(\d{{4}}-\d{{2}}-\d{{2}})"$', re.MULTILINE)


def dated(text: str) -> str:
    """The day a generated page's front matter gives as its last update; "" for none."""
    end = text.find("\n---", 3)
    found = _UPDATED.search(text, 0, end if end >= 0 else len(text))
    return found[1] if found else ""


def _set_day(file: File, day: str) -> None:
    """The page's last update for the sitemap's ``lastmod`` (MkDocs' ``Page.update_date``, else the
    build's date: the site's day, as the page's footer then shows too)."""
    if day and file.page is not None:
        file.page.update_date = day


def nav_shown(file: File) -> str:
    """What a page's nav shows beyond the frame's levels (website/cache.py, ``frame_key``): the items
    of each section above a page that is in the nav (an issue's page lists its year's issues), by
    their address and the title the nav gives them; nothing for a page outside the nav (a notice).
    Without it a new issue left its year's other issue pages as the last build rendered them, without
    the new issue in their nav (issue 12: found comparing an incremental build with a full one)."""
    section = getattr(file.page, "parent", None) if file.page is not None else None
    parts = []
    while section is not None:
        parts.append(repr([(type(item).__name__, getattr(item, "url", None), vars(item).get("title"))
                           for item in section.children or ()]))
        section = section.parent
    return "\n".join(parts)


def _render_one(frame: Frame, item: tuple[File, str, str], cache: PageCache) -> None:
    """Render one page into the cache and the site."""
    file, text, key = item
    page = file.page if file.page is not None else Page(None, file, frame.config)
    cache.store(key, frame.render(page, text), file.abs_dest_path)


# -- worker processes ------------------------------------------------------------------------------


def _render_in_workers(frame: Frame, todo: list[tuple[File, str, str]], cache: PageCache, workers: int) -> None:
    """Render ``todo`` in ``workers`` forked processes (:func:`generator.workers.forked`). Each takes
    every ``workers``-th page and sends back only the warnings MkDocs logged, which are logged again
    here (strict mode counts them); a worker's error stops the build."""

    def work(share: int) -> list[tuple[int, str]]:
        with _warnings_kept() as problems:
            for item in todo[share::workers]:
                _render_one(frame, item, cache)
        return problems.records

    for found in forked(work, workers, "rendering the gazette's pages", here=True):
        for level, message in found:
            logging.getLogger("mkdocs.structure.pages").log(level, "%s", message)


def _make_and_place(frame: Frame, item: tuple[File, str, Callable[[], Any]], cache: PageCache) -> tuple[str, bool, str]:
    """A keyed page whose inputs changed: its Markdown made, its key, and the page placed from the
    cache when that key is there (what it shows changed back, or the inputs' list was lost), else
    rendered into the cache and the site. Returns (its key, whether it was rendered, its day)."""
    file, _, make = item
    text = make().text
    key = cache.key(file.src_uri, text, nav_shown(file))
    rendered = not cache.place(key, file.abs_dest_path)
    if rendered:
        _render_one(frame, (file, text, key), cache)
    return key, rendered, dated(text)


def _made_and_placed(frame: Frame, missing: Sequence[tuple[File, str, Callable[[], Any]]], cache: PageCache,
                     workers: int) -> list[tuple[str, bool, str]]:
    """:func:`_make_and_place` for every page of ``missing``, in order: in forked workers when there
    are many (every ``workers``-th page each), which send back only each page's key and whether it
    was rendered and its day, and the warnings MkDocs logged. Made and rendered in one pass, page by page (issue
    12, goal 5): the pages' Markdown never travels back to the build, which at 50,000 notices held
    every notice's Markdown (about half a gigabyte) while the renderers were forked from it."""
    if workers < 2 or len(missing) < WORKER_THRESHOLD:
        return [_make_and_place(frame, item, cache) for item in missing]

    def work(share: int) -> tuple[list[tuple[str, bool, str]], list[tuple[int, str]]]:
        with _warnings_kept() as problems:
            made = [_make_and_place(frame, item, cache) for item in missing[share::workers]]
        return made, problems.records

    results: list[tuple[str, bool, str]] = [("", False, "")] * len(missing)
    for share, (found, records) in enumerate(forked(work, workers, "making and rendering the gazette's pages", here=True)):
        results[share::workers] = found
        for level, message in records:
            logging.getLogger("mkdocs.structure.pages").log(level, "%s", message)
    return results


#: Below this many pages to generate, one process makes their Markdown (:func:`generated_in_workers`).
GENERATE_THRESHOLD = 1000

T = TypeVar("T")
R = TypeVar("R")


def generated_in_workers(make: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """``[make(item) for item in items]``, in forked worker processes when there are many items (the
    Markdown of every notice page, made on each build to key the page cache: at 10,000 notices most
    of the website stage once the pages themselves come from the cache). Each worker inherits the
    build's state, makes every ``workers``-th result and sends them back pickled; the order is kept.
    A failed worker stops the build with its error."""
    workers = workers or cores()
    if workers < 2 or len(items) < GENERATE_THRESHOLD:
        return [make(item) for item in items]
    shares = forked(lambda share: [make(item) for item in items[share::workers]], workers, "making the gazette's pages",
                    here=True)
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for share, found in enumerate(shares):
        results[share::workers] = found
    return results


@contextlib.contextmanager
def _warnings_kept() -> Iterator[_Problems]:
    """The warnings MkDocs logs meanwhile, kept for the build to log again in the order of the pages'
    shares (strict mode counts them) instead of logged; MkDocs' logging as it was afterwards (the
    build's own process renders a share too: workers.forked's ``here``)."""
    problems = _Problems()
    logger = logging.getLogger("mkdocs")
    was = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [problems], False
    try:
        yield problems
    finally:
        logger.handlers, logger.propagate = was


class _Problems(logging.Handler):
    """The warnings MkDocs logs in a worker (a broken link), for the build's process to log again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))
