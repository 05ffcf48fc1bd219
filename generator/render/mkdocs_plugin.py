"""The MkDocs plugin ``jiahe`` (registered in pyproject.toml, enabled in mkdocs.yml).

It loads the content model once per build (``on_config``), takes the site's URL and name from
``content/site.yml``, adds the gazette's years and issues to the nav, adds every page and file
generated from the model (``on_files``), and sanitizes each page's HTML (``on_page_content``).

``python -m generator build`` checks the content and hands the model over with :func:`use`; a plain
``mkdocs build`` or ``serve`` loads (and checks) it here, so the site is never built from bad content.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..model import Content
from . import sanitize, site

log = logging.getLogger("mkdocs.plugins.jiahe")
_model: Content | None = None


def use(content: Content | None) -> None:
    """Use this model for the next build instead of loading content/ again."""
    global _model
    _model = content


def _content(root: Path) -> Content:
    if _model is not None:
        return _model
    from ..check import check
    from ..errors import ContentError

    try:
        return check(root)
    except ContentError as exc:
        raise PluginError("\n".join(str(problem) for problem in exc.problems) + f"\n{exc}") from None


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
        generated = 0
        for item in site.pages(self.content, root):
            if (existing := files.get_file_from_path(item.uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, item.uri, content=item.text))
            generated += 1
        for asset in site.assets(self.content, root):
            if asset.data is not None:
                files.append(File.generated(config, asset.uri, content=asset.data))
            else:
                files.append(File.generated(config, asset.uri, abs_src_path=str(asset.path)))
        log.info("generated %d pages from content/", generated)
        return files

    def on_page_content(self, html: str, *, page, config, files) -> str:
        return sanitize.clean(html)
