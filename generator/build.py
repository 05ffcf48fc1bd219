"""The ``build`` command: check, render every output into a fresh folder, then publish it at once.

Nothing is written to ``site/`` until every stage has succeeded: the stages write into a temporary
folder beside it, which then takes ``site/``'s place by two renames. A failed build leaves the
previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path

from .check import check
from .errors import BuildError
from .model import Content

log = logging.getLogger(__name__)

Stage = Callable[[Content, Path, Path], None]  # (model, project root, output folder)


def render_site(content: Content, root: Path, out: Path) -> None:
    """The website, by MkDocs with the pages generated from the model."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .render import mkdocs_plugin

    mkdocs_plugin.use(content)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out), strict=True)
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs failed: {exc}") from exc
    finally:
        mkdocs_plugin.use(None)


def index_search(content: Content, root: Path, out: Path) -> None:
    """The search index, by Pagefind over the built HTML."""
    from .render.search import index_site

    index_site(content, root, out)


def build_data(content: Content, root: Path, out: Path) -> None:
    """The open-data packages, validated by frictionless; first, so that an invalid package is
    reported as such rather than as a broken link in the website (see render/data_validation.py)."""
    from .render.data_validation import build_data as write_and_validate

    write_and_validate(content, root, out)


STAGES: list[tuple[str, Stage]] = [("open data", build_data), ("website", render_site), ("search index", index_search)]


def build(root: Path, site_dir: Path | None = None) -> Path:
    """Check ``root/content`` and build every output into ``site_dir`` (``root/site``)."""
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    with _progress("checking content/"):
        content = check(root)
    with _staging(site_dir) as out:
        for name, stage in STAGES:
            started = time.perf_counter()
            with _progress(f"building the {name}"):
                stage(content, root, out)
            log.info("built the %s in %.1f s", name, time.perf_counter() - started)
        _publish(out, site_dir)
    log.info("published %s", site_dir)
    return site_dir


def _progress(what: str):
    """A spinner with the current step on a terminal; nothing in a log (each step logs its time)."""
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(what) if console.is_terminal else nullcontext()


@contextmanager
def _staging(site_dir: Path):
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        yield out
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _publish(out: Path, site_dir: Path) -> None:
    """Put the new build in place of the old one; the old one is removed only afterwards."""
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    out.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
