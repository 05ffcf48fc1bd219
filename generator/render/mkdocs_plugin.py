"""The MkDocs plugin ``jiahe`` (registered in pyproject.toml, enabled in mkdocs.yml): it adds the
pages and files generated from the content model.

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
from . import site

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
    def on_files(self, files: Files, *, config) -> Files:
        root = Path(config.config_file_path).parent
        content = _content(root)
        generated = 0
        for item in site.pages(content):
            if (existing := files.get_file_from_path(item.uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, item.uri, content=item.text))
            generated += 1
        for asset in site.assets(content, root):
            if asset.data is not None:
                files.append(File.generated(config, asset.uri, content=asset.data))
            else:
                files.append(File.generated(config, asset.uri, abs_src_path=str(asset.path)))
        log.info("generated %d pages from content/", generated)
        return files
