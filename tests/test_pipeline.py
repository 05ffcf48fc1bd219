"""The build as one visible pipeline (generator/build.py): each stage returns its product, is timed
on a line of its own, and runs once; the MkDocs plugin only places what the stages made, received
through MkDocs' config; a plain ``mkdocs build`` still works; no module keeps state of its own."""

from __future__ import annotations

import ast
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator import build as build_module
from generator.model import Content
from generator.outputs.ebooks import epub
from generator.outputs.ebooks.epub import Ebook
from generator.outputs.opendata import packages as datapackage
from generator.outputs.opendata.validation import OpenData
from generator.products import CONFIG_KEY, Products
from generator.reading import history
from generator.reading.history import ChangeRecord
from generator.website.plugin import GeneratorPlugin

from conftest import REPO

GENERATOR = REPO / "generator"
#: The stage lines of a build's log, in order ("built the e-books in 0.6 s").
#: The e-books are made beside the open data and the newsletters (their line comes when the build
#: waits for them), the open data is validated beside the website (its line comes before publishing).
STAGE_LINES = [r"checked content/", r"read the directory's change record", r"built the newsletters",
               r"typeset the print edition", r"built the e-books", r"built the open data", r"built the website",
               r"built the search index", r"validated the open data beside the website", r"published .*/site"]


@dataclass
class Run:
    """What one in-process build of the shipped project made and did."""

    site: Path
    products: dict[str, object] = field(default_factory=dict)  # stage -> what it returned
    calls: dict[str, int] = field(default_factory=dict)  # function -> times called
    configs: list = field(default_factory=list)  # the MkDocs configs the plugin saw
    data_files: dict[str, tuple[int, int]] = field(default_factory=dict)  # uri -> (inode, mtime) after the open-data stage
    log: list[str] = field(default_factory=list)


class Lines(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.INFO)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    """The shipped project built once, in this process, with every stage watched."""
    found = Run(tmp_path_factory.mktemp("pipeline") / "site")

    def watched(name: str, function):
        def wrapper(*args, **kwargs):
            found.calls[name] = found.calls.get(name, 0) + 1
            product = function(*args, **kwargs)
            found.products.setdefault(name, product)
            return product
        return wrapper

    def data_written(*args, **kwargs):
        made = real_data(*args, **kwargs)
        found.data_files.update({a.uri: _stamp(a.path) for a in made.files})
        return made

    def on_config(plugin, config):
        found.configs.append(config)
        return real_on_config(plugin, config)

    real_data, real_on_config = build_module.make_data, GeneratorPlugin.on_config
    generator_log = logging.getLogger("generator")
    handler, level = Lines(found.log), generator_log.level
    with pytest.MonkeyPatch.context() as patch:
        for name in ("check", "record", "ebooks", "newsletters", "_make_products", "website", "index_site", "publish"):
            patch.setattr(build_module, name, watched(name, getattr(build_module, name)))
        patch.setattr(build_module, "make_data", watched("make_data", data_written))
        patch.setattr(history, "record", watched("history.record", history.record))
        patch.setattr(epub, "render", watched("epub.render", epub.render))
        patch.setattr(epub, "pandoc", watched("epub.pandoc", epub.pandoc))
        patch.setattr(datapackage, "packages", watched("packages", datapackage.packages))
        patch.setattr(GeneratorPlugin, "on_config", on_config)
        generator_log.addHandler(handler)
        generator_log.setLevel(logging.INFO)
        try:
            assert build_module.build(REPO, found.site) == found.site
        finally:
            generator_log.removeHandler(handler)
            generator_log.setLevel(level)
    return found


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def test_each_stage_returns_its_product(run):
    made = run.products
    assert isinstance(made["check"], Content)
    assert isinstance(made["record"], ChangeRecord) and made["record"].note is None
    assert [(e.book.year, e.language) for e in made["ebooks"]] == [(2025, "zh-Hant"), (2025, "en")]
    assert all(isinstance(e, Ebook) and e.data.startswith(b"PK") for e in made["ebooks"])
    data = made["make_data"]
    assert isinstance(data, OpenData) and [p.name for p in data.packages] == ["gazette", "directory", "yearbook-statistics"]
    staging = made["website"]
    assert len(data.files) > 20 and all(a.data is None and a.path == staging / a.uri for a in data.files)  # written there
    products, _ = made["_make_products"]  # the products, and the wait for the open data's validation
    assert isinstance(products, Products)
    assert (products.content, products.record, products.ebooks, products.packages, products.data_files) == (
        made["check"], made["record"], made["ebooks"], data.packages, data.files)
    assert products.newsletters is made["newsletters"] and len(products.newsletters) == len(products.content.gazette.issues)
    assert staging.name.startswith(".site-new-") and staging.parent == run.site.parent  # the folder that became site/
    assert made["index_site"] == staging / "pagefind"
    assert made["publish"] == run.site and (run.site / "pagefind" / "pagefind.js").is_file()


def test_each_stage_is_timed_on_a_line_of_its_own_in_pipeline_order(run):
    import re

    lines = [line for line in run.log if re.fullmatch(r".* in \d+\.\d s", line)]
    assert len(lines) == len(STAGE_LINES)
    for line, stage in zip(lines, STAGE_LINES, strict=True):
        assert re.fullmatch(rf"{stage} in \d+\.\d s", line), (line, stage)


def test_each_product_is_made_once(run):
    assert run.calls["check"] == 1  # the plugin does not check again
    assert run.calls["record"] == 1 and "history.record" not in run.calls  # the change record: read from git once
    assert run.calls["epub.pandoc"] == 1 and run.calls["epub.render"] == 2
    assert run.calls["packages"] == 1  # the rows and plain text of the open data, for the files and the pages


def test_the_plugin_gets_the_products_through_the_config(run):
    (config,) = run.configs
    assert config[CONFIG_KEY] is run.products["_make_products"][0]


def test_each_data_file_is_written_once(run):
    """MkDocs places the data files the open-data stage wrote and validated; it does not write them again."""
    assert run.data_files
    after = {uri: _stamp(run.site / uri) for uri in run.data_files}
    assert after == run.data_files


def test_strict_mode_still_stops_the_build_on_a_broken_link(project):
    project.write({"content/pages/about.md": "---\ntitle: 關於本站\n---\n\n見[這裡](nowhere.md)。\n"})
    result = project.run("build")
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr and "strict mode" in result.stderr
    assert "dirty" not in result.stderr


def test_a_plain_mkdocs_build_builds_the_shipped_content(shipped, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(shipped.root / "mkdocs.yml"),
                             "-d", str(out)], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "TMPDIR": str(scratch), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "gazette/2026/01/01/index.html", "yearbook/2025/index.html", "directory/index.html",
                 "data/gazette/index.html", "data/gazette/datapackage.json", "data/SHA256SUMS",
                 "ebooks/yearbook-2025-en.epub"):
        assert (out / page).is_file(), page
    assert list(scratch.iterdir()) == []  # the plugin's folder for the data files is gone


def test_a_plain_mkdocs_build_refuses_content_with_errors(project, tmp_path):
    project.edit("content/gazette/2026/01/issue.yml", "2026-01-01", "2026-01-32")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project.root / "mkdocs.yml"),
                             "-d", str(tmp_path / "out")], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "content/gazette/2026/01/issue.yml:1:7: error: '2026-01-32' is not a valid date" in result.stderr


# -- no module keeps state of its own ----------------------------------------------------------------

#: Calls that make a mutable value.
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
MUTABLE_DISPLAYS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _name(node: ast.expr) -> str:
    """The last name of ``x``, ``a.b.x`` or ``x(...)``."""
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _state(path: Path, root: Path = REPO) -> list[str]:
    """Every ``global`` statement, cache decorator, and mutable value assigned at module level (or in a
    class body at module level) in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    place = path.relative_to(root).as_posix()
    found = [f"{place}:{node.lineno}: global {', '.join(node.names)}" for node in ast.walk(tree) if isinstance(node, ast.Global)]
    found += [f"{place}:{node.lineno}: @{ast.unparse(decorator)} on {node.name}()"
              for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
              for decorator in node.decorator_list if _name(decorator) in ("cache", "lru_cache", "cached_property")]
    bodies = [tree.body] + [node.body for node in tree.body if isinstance(node, ast.ClassDef)]
    for statement in (s for body in bodies for s in body):
        value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue  # the module's export list, read by tools only
        if isinstance(value, MUTABLE_DISPLAYS) or (isinstance(value, ast.Call) and _name(value) in MUTABLE_CALLS):
            found.append(f"{place}:{statement.lineno}: {ast.unparse(statement).splitlines()[0][:100]}")
    return found


def test_no_module_keeps_mutable_state():
    """Module-level state (a cache keyed by an object's id, a model handed over through a global) hides
    who made what; constants are tuples, frozensets, MappingProxyType, strings or compiled patterns."""
    modules = sorted(GENERATOR.rglob("*.py"))
    assert len(modules) > 30
    found = [line for path in modules for line in _state(path)]
    assert found == []


@pytest.mark.parametrize("source, found", [
    ("CACHE = {}", True), ("SEEN: set[str] = set()", True), ("ITEMS = [1, 2]", True), ("X = defaultdict(list)", True),
    ("X = collections.OrderedDict()", True), ("B = bytearray(4)", True), ("X = {k: 1 for k in 'ab'}", True),
    ("def f():\n    global X", True), ("@functools.lru_cache(maxsize=1)\ndef f(): ...", True), ("@cache\ndef f(): ...", True),
    ("class C:\n    seen = []", True),
    ("X = (1, 2)", False), ("X = frozenset({1})", False), ("X = MappingProxyType({'a': 1})", False), ("X = 'text'", False),
    ("X = re.compile('a')", False), ("__all__ = ['f']", False), ("def f():\n    x = {}\n    return x", False),
])
def test_the_state_check_finds_what_it_should(tmp_path, source, found):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert bool(_state(path, tmp_path)) is found


def test_serve_keeps_the_files_read_from_git_across_its_rebuilds():
    """MkDocs keeps a plugin with on_startup for a whole ``serve``, loading the config anew on each rebuild:
    the plugin's Blobs outlive the rebuilds, and end with the session."""
    from mkdocs.config import load_config

    first = load_config(config_file=str(REPO / "mkdocs.yml"))
    plugin = first.plugins["jiahe"]
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        blobs = plugin.blobs
        rebuilt = load_config(config_file=str(REPO / "mkdocs.yml"))
        assert rebuilt.plugins["jiahe"] is plugin and plugin.blobs is blobs and isinstance(blobs, history.Blobs)
    finally:
        first.plugins.on_shutdown()
    assert plugin.blobs is None
