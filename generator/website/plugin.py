"""The MkDocs plugin ``jiahe`` (registered in pyproject.toml, enabled in mkdocs.yml).

It loads the content model once per build (``on_config``), takes the site's URL and name from
``content/site.yml``, adds the gazette's years and issues to the nav, adds every page and file
generated from the model (``on_files``), and sanitizes each page's HTML (``on_page_content``).

Every template renders with autoescaping on (``on_env``): MkDocs' Jinja environment does not
autoescape, and mkdocs-material prints ``{{ page.title }}`` raw in ``<title>`` and the header, so
a notice titled ``</title><script>…`` would run. With autoescape, every value reaching a template is
text and is escaped where it lands; the only HTML a template prints unescaped is the page's body,
marked :class:`~markupsafe.Markup` here after nh3 has cleaned it. MkDocs gives titles taken from
a heading (the page's h1, the table of contents) as HTML text with entities; they are turned back
into plain text here so that they are escaped once, not twice.

``python -m generator build`` checks the content and hands the model over with :func:`use`; a plain
``mkdocs build`` or ``serve`` loads (and checks) it here, so the site is never built from bad content.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from markupsafe import Markup

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.model import Content
from generator.products import Products
from generator.markup import sanitize
from generator.website import site

log = logging.getLogger("mkdocs.plugins.jiahe")
_model: Content | None = None


def use(content: Content | None) -> None:
    """Use this model for the next build instead of loading content/ again."""
    global _model
    _model = content


def _content(root: Path) -> Content:
    if _model is not None:
        return _model
    from generator.checking.check import check
    from generator.errors import ContentError

    try:
        return check(root)
    except ContentError as exc:
        raise PluginError("\n".join(str(problem) for problem in exc.problems) + f"\n{exc}") from None


def _products(root: Path, content: Content) -> Products:
    """What the stages before the website make (interim: made here; see build.py)."""
    from generator.outputs.ebooks.epub import ebooks
    from generator.outputs.opendata.packages import packages
    from generator.reading.history import record_for

    return Products(root, content, record_for(root, content.directory), ebooks(content, root), packages(content, root))


class GeneratorPlugin(BasePlugin):
    content: Content | None = None

    def on_config(self, config):
        self.content = _content(Path(config.config_file_path).parent)
        publisher = self.content.site.publisher.zh_hant
        config.site_url = self.content.site.base_url
        config.site_name = f"{publisher}出版品"
        config.copyright = f"{publisher} · {self.content.site.licence.name.zh_hant}"
        config.nav = site.nav(self.content, config.nav)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        root = Path(config.config_file_path).parent
        made = _products(root, self.content)
        generated = 0
        for item in site.pages(made):
            if (existing := files.get_file_from_path(item.uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, item.uri, content=item.text))
            generated += 1
        for asset in site.assets(made):
            if asset.data is not None:
                files.append(File.generated(config, asset.uri, content=asset.data))
            else:
                files.append(File.generated(config, asset.uri, abs_src_path=str(asset.path)))
        log.info("generated %d pages from content/", generated)
        return files

    def on_env(self, env, *, config, files):
        env.autoescape = True
        return env

    def on_page_content(self, content: str, *, page, config, files) -> Markup:
        if "title" not in page.meta and page.title is not None:
            page.meta["title"] = html.unescape(page.title)  # a heading's text, as MkDocs gives it
        _plain_titles(page.toc)
        return Markup(sanitize.clean(content))


def _plain_titles(toc) -> None:
    """The table of contents' titles as plain text (MkDocs gives them as HTML with entities)."""
    for item in toc:
        item.title = html.unescape(item.title)
        _plain_titles(item.children)
