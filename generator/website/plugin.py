"""The MkDocs plugin ``jiahe`` (registered in pyproject.toml, enabled in mkdocs.yml).

It places what the build's stages made: it takes the site's URL and name from ``content/site.yml``,
adds the gazette's years and issues to the nav (``on_config``), adds every page generated from the
model and every file the stages made (``on_files``), and sanitizes each page's HTML
(``on_page_content``). It makes nothing else.

``python -m generator build`` runs the stages before the website and hands their
:class:`~generator.products.Products` over in MkDocs' config, under :data:`~generator.products.CONFIG_KEY`
(set on the config it loads for that one build, so nothing outlives the build). A plain
``mkdocs build`` or ``serve`` has none: the plugin then runs the same stages itself
(:func:`generator.build.make_products`), check first, so the site is never built from bad content.
Under ``serve`` the plugin is kept from one rebuild to the next (MkDocs keeps a plugin that has
``on_startup``), and so is the git data the change record reads (:class:`~generator.reading.history.Blobs`).

Every template renders with autoescaping on (``on_env``): MkDocs' Jinja environment does not
autoescape, and mkdocs-material prints ``{{ page.title }}`` raw in ``<title>`` and the header, so
a notice titled ``</title><script>…`` would run. With autoescape, every value reaching a template is
text and is escaped where it lands; the only HTML a template prints unescaped is the page's body,
marked :class:`~markupsafe.Markup` here after nh3 has cleaned it. MkDocs gives titles taken from
a heading (the page's h1, the table of contents) as HTML text with entities; they are turned back
into plain text here so that they are escaped once, not twice.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator import machine_cache
from generator.errors import BuildError, ContentError
from generator.markup import sanitize, tables
from generator.products import APART_KEY, CONFIG_KEY, PREVIEW_KEY, Products
from generator.reading.history import Blobs
from generator.labels import labels
from generator.markup.markdown import Page
from generator.model.common import DEFAULT_LANGUAGE
from generator.website import chrome, frame, site, theme
from generator.website.pages import gazette as gazette_pages
from generator.website.apart import ApartFile, Frame, render_all
from generator.outputs.issuecache import CACHE
from generator.website.cache import ASSETS, FOLDER, AssetStore, PageCache, frame_key, link
from generator.website.pages import dated

log = logging.getLogger("mkdocs.plugins.jiahe")
progress = logging.getLogger("generator.website")  # shown in the build's log, unlike MkDocs' info


class GeneratorPlugin(BasePlugin):
    def __init__(self) -> None:
        self.made: Products | None = None  # this build's
        self.blobs: Blobs | None = None  # kept across the rebuilds of one ``serve``
        self.scratch: tempfile.TemporaryDirectory[str] | None = None  # the data files of a plain mkdocs build
        self.updated: dt.date | None = None  # the day the content last changed: the home page's, and the footer's fallback
        self.written: dict[str, dt.date] = {}  # the hand-written pages' days (their last commits), by source path
        self.dirty = False  # MkDocs builds "dirty": the gazette's pages can be rendered apart (see on_files)
        self.apart: list[tuple[File, str]] = []  # this build's pages rendered apart, and their Markdown
        self.keyed: list[tuple[File, str, Callable[[], Page]]] = []  # this build's pages keyed by the hash of what each shows, and how to make each
        self.nav = None  # this build's
        self.cache: PageCache | None = None  # this build's
        self.assets: AssetStore | None = None  # this build's
        self.pages: frozenset[str] = frozenset()  # this build's pages' source paths (the footer's policy pages)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.blobs = Blobs() if command == "serve" else None
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DIRTY)

    def on_shutdown(self) -> None:
        self.blobs = None
        logging.getLogger("mkdocs.commands.build").removeFilter(_DIRTY)

    def on_config(self, config):
        made = self.made = config.get(CONFIG_KEY) or self._make(Path(config.config_file_path).parent)
        publisher = made.content.site.publisher.zh_hant
        config.site_url = made.content.site.base_url
        config.site_name = labels("chrome", DEFAULT_LANGUAGE)["site_name"].format(publisher=publisher)
        config.copyright = f"{publisher} · {made.content.site.licence.name.zh_hant}"
        config.nav = site.nav(made.content, config.nav)
        config.extra["generator"] = False  # no "Made with Material for MkDocs": the footer is the publisher's
        from generator.build import content_date, file_dates

        self.updated = content_date(made.root, made.content)
        docs = Path(config.docs_dir).resolve()
        root = made.root.resolve()
        self.written = file_dates(root, docs.relative_to(root).as_posix()) if docs.is_relative_to(root) else {}
        return config

    def _make(self, root: Path) -> Products:
        """A plain ``mkdocs build`` or ``serve``: the build's stages before the website, run here; the
        data files go to a folder of this build's own, from which MkDocs copies them."""
        from generator.build import make_products

        self._clean()
        self.scratch = tempfile.TemporaryDirectory(prefix="jiahe-data-")
        try:
            return make_products(root, Path(self.scratch.name), self.blobs)
        except ContentError as exc:
            raise PluginError("\n".join(str(problem) for problem in exc.problems) + f"\n{exc}") from None
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    def on_files(self, files: Files, *, config) -> Files:
        assert self.made is not None  # on_config ran
        generated = 0
        assert self.updated is not None
        # The gazette's pages are rendered apart (website/apart.py) when MkDocs builds "dirty" (the
        # build and serve always do): MkDocs then neither reads nor writes a page it is told is unmodified.
        apart = self.dirty or bool(config.get(APART_KEY))
        preview = config.get(PREVIEW_KEY)  # serve: every generated page is made when asked for (generator/preview.py)
        self.apart, self.keyed = [], []
        # the gazette's pages keyed by what they show, their Markdown made only when that changed (issue 12)
        keyed = apart and preview is None
        for item in site.pages(self.made, self.updated, notices=preview is None, keyed=keyed):
            if (existing := files.get_file_from_path(item.uri)) is not None:
                files.remove(existing)
            if preview is not None:
                file = ApartFile.generated(config, item.uri, content=item.text)
                preview.page(item.uri, item.text, file.dest_uri)
            elif item.inputs is not None and item.make is not None:
                file = ApartFile.generated(config, item.uri, content="")  # MkDocs reads no page it is told is unmodified
                self.keyed.append((file, item.inputs, item.make))
            elif apart and item.apart:
                file = ApartFile.generated(config, item.uri, content=item.text)
                self.apart.append((file, item.text))
            else:
                file = File.generated(config, item.uri, content=item.text)
            files.append(file)
            generated += 1
        if preview is not None:
            for uri, make in gazette_pages.notice_pages(self.made.content, pdfs=self.made.pdfs):
                file = ApartFile.generated(config, uri, content="")  # MkDocs reads no page it is told is unmodified
                preview.lazy(uri, make, file.dest_uri)
                files.append(file)
                generated += 1
        # the files made as bytes are placed by hard links to a store of them (website/cache.py), as the
        # pages rendered apart are, and so are the files another stage keeps in the project's cache
        # (the newsletters'): MkDocs then finds each at its place and copies nothing
        store = self.assets = AssetStore(self.made.root / ASSETS) if keyed else None
        kept = self.made.root / CACHE
        for asset in site.assets(self.made, feeds_made=preview is None):
            dest = os.path.join(config.site_dir, asset.uri)
            if store is not None and asset.data is not None:
                store.place(asset.data, dest)
                files.append(File.generated(config, asset.uri, abs_src_path=dest))
            elif store is not None and asset.path is not None and asset.path.is_relative_to(kept):
                link(asset.path, dest)
                files.append(File.generated(config, asset.uri, abs_src_path=dest))
            elif asset.data is not None:
                files.append(File.generated(config, asset.uri, content=asset.data))
            else:  # a content file, or one a stage wrote (at its place, in ``build``: not copied)
                files.append(File.generated(config, asset.uri, abs_src_path=str(asset.path)))
        for file in list(files):
            if not file.is_documentation_page() and theme.unused(file.src_uri):
                files.remove(file)
            elif file.abs_src_path is not None and theme.is_own_source(file.src_uri, file.abs_src_path):
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=theme.minified(Path(file.abs_src_path))))
            elif theme.is_bundle(file.src_uri) and file.abs_src_path is not None:
                files.remove(file)
                try:
                    files.append(File.generated(config, file.src_uri, content=theme.narrowed_bundle(Path(file.abs_src_path))))
                except BuildError as exc:
                    raise PluginError(str(exc)) from None
        log.info("generated %d pages from content/", generated)
        return files

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        env.autoescape = True
        machine_cache.template_code(env)  # compiled once per machine, not per build (generator/machine_cache.py)
        assert self.made is not None and self.updated is not None  # on_config ran
        pages = self.pages = frozenset(file.src_uri for file in files if file.is_documentation_page())
        env.globals["frame"] = frame.frame(self.made.content, self.updated, pages)  # the footer, home and 404 words
        env.filters["page_date"] = frame.page_date  # the footer's day, in the page's language
        if (preview := config.get(PREVIEW_KEY)) is not None:
            self._hand_over(preview, env, config, files)
        elif self.apart or self.keyed:
            self._render_apart(env, config, files)
        return env

    def _hand_over(self, preview, env, config, files) -> None:
        """serve: what the preview needs to make a page when it is asked for (generator/preview.py)."""
        assert self.made is not None and self.nav is not None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        key = frame_key(config, self.nav, (self.apart_frame(), self.made.content.site))
        preview.ready(Frame(config, files, self.nav, env, doc_files), PageCache(self.made.root / FOLDER, key), self)

    def apart_frame(self):
        """The frame of the pages rendered apart: without the site's last update, which none of them
        shows (each shows its own day, website/pages/dated.py), so that a new day leaves every page
        of the archive and the page cache's frame as they were (issue 12)."""
        assert self.made is not None
        return frame.frame(self.made.content, None, self.pages)

    def _render_apart(self, env, config, files) -> None:
        """Write the pages rendered apart, with the theme's templates in ``env``, from the cache when
        nothing they show changed (website/cache.py), in worker processes when many are left."""
        assert self.made is not None and self.nav is not None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        shared = Frame(config, files, self.nav, env, doc_files)
        shown, apart = env.globals.get("frame"), self.apart_frame()
        cache = self.cache = PageCache(self.made.root / FOLDER, frame_key(config, self.nav, (apart, self.made.content.site)))
        started = time.perf_counter()
        env.globals["frame"] = apart
        try:
            rendered, reused, generated = render_all(shared, self.apart, cache, keyed=self.keyed)
        finally:
            env.globals["frame"] = shown
        progress.info("gazette pages: %d rendered, %d reused unchanged (%.1f s); Markdown made for %d of %d pages keyed by what they show",
                      rendered, reused, time.perf_counter() - started, generated, len(self.keyed))

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """A hand-written page of content/pages/: its footer's day is its file's last commit (one ``git
        log`` over the folder, in on_config); uncommitted or without git history, the site's.

        Every page MkDocs reads is then given that day (its front matter's, website/pages/dated.py) as its
        ``update_date``, which the sitemap's ``lastmod`` shows: MkDocs reads every page before it writes
        the sitemap, and would give each the build's date (the pages rendered apart get theirs from
        website/apart.py). A page without one (the home pages, the search pages) keeps the build's, the
        site's day, as its footer shows. Search engines then re-read only the pages that changed
        (sitemaps.org: lastmod is "the date of last modification of the page"), and a new issue leaves
        the archive's lines of the sitemap as they were."""
        if page.file.generated_by is None:
            day = self.written.get(page.file.src_uri)
            if day is not None:
                page.meta[dated.META] = day.isoformat()
            else:
                page.meta.pop(dated.META, None)
        if (updated := page.meta.get(dated.META)) is not None:
            page.update_date = dt.date.fromisoformat(str(updated)).isoformat()
        return markdown

    def on_page_context(self, context, *, page, config, nav):
        """The frame around the page in its language (generator/website/chrome.py), as ``chrome``."""
        assert self.made is not None
        language = chrome.language_of(page.meta)
        context["chrome"] = chrome.frame(self.made.content, language, page.file.src_uri)
        if unused := page.meta.get("unused_assets"):  # mkdocs.yml's CSS and scripts this page has no use for
            context["config"] = _WithoutAssets(config, unused)
        if language != DEFAULT_LANGUAGE and not page.meta.get("description"):  # not mkdocs.yml's, in Chinese
            city = self.made.content.site.city.get(language)
            page.meta["description"] = labels("chrome", language)["description"].format(city=city)
        return context

    def on_template_context(self, context, *, template_name, config):
        """Pages MkDocs renders from a template alone (404.html): the frame in the site's language."""
        if self.made is not None:
            context["chrome"] = chrome.frame(self.made.content, DEFAULT_LANGUAGE, template_name)
        return context

    def on_page_content(self, content: str, *, page, config, files) -> Markup:
        if "title" not in page.meta and page.title is not None:
            page.meta["title"] = html.unescape(page.title)  # a heading's text, as MkDocs gives it
        _plain_titles(page.toc)
        label = labels("chrome", chrome.language_of(page.meta))["table_region"]  # a table without a caption's name
        return Markup(tables.scrollable(sanitize.clean(content), label))

    def on_post_build(self, *, config) -> None:
        if config.get(PREVIEW_KEY) is not None:
            return  # the preview makes pages with this build's objects until the next (its cache is not pruned)
        if self.cache is not None:
            self.cache.prune()  # what this build did not use
        if self.assets is not None:
            self.assets.prune()
            self.assets = None
        self.made = None
        self._clean()

    def on_build_error(self, *, error: Exception) -> None:
        self.made = None
        self._clean()

    def _clean(self) -> None:
        self.apart, self.keyed, self.nav, self.cache = [], [], None, None
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None


class _WithoutAssets:
    """The configuration as one page's templates see it: mkdocs.yml's ``extra_css`` and
    ``extra_javascript`` without the files the page names in its front matter (``unused_assets``);
    everything else is the configuration's own. The search results page leaves out the directory's
    and the yearbook's (generator/website/pages/search.py): every byte of it counts in a first query."""

    def __init__(self, config, unused) -> None:
        self._config, self._unused = config, frozenset(str(path) for path in unused)

    def __getattr__(self, name: str):
        return getattr(self._config, name)

    def __getitem__(self, name: str):
        return self._config[name]

    @property
    def extra_css(self) -> list:
        return [path for path in self._config.extra_css if str(path) not in self._unused]

    @property
    def extra_javascript(self) -> list:
        return [script for script in self._config.extra_javascript if str(script) not in self._unused]


class _Dirty(logging.Filter):
    """Drops MkDocs' warning about a "dirty" build (which strict mode would count as an error) in
    ``serve``, which rebuilds dirty so that the plugin renders the gazette's pages itself: the pages
    MkDocs then leaves as they were are hand-written ones whose source did not change, and their nav
    (pruned to the site's sections) does not list issues."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_DIRTY = _Dirty()


def _plain_titles(toc) -> None:
    """The table of contents' titles as plain text (MkDocs gives them as HTML with entities)."""
    for item in toc:
        item.title = html.unescape(item.title)
        _plain_titles(item.children)
