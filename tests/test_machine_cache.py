"""The machine's cache (generator/machine_cache.py): what every project computes alike (Pagefind's
WebAssembly through Zopfli, the templates' compiled code) is kept once for the machine, and a build
that uses it makes exactly the site a build without it makes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import jinja2

from generator import machine_cache
from test_hostile_content import copy_project


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def build(root: Path, cache_home: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(root)], capture_output=True,
                            text=True, timeout=600, env={**os.environ, "XDG_CACHE_HOME": str(cache_home)})
    assert result.returncode == 0, result.stderr


def test_a_build_from_the_machines_cache_makes_the_site_a_build_without_it_makes(tmp_path):
    cache_home = tmp_path / "cache"
    first = copy_project(tmp_path / "first")
    build(first.root, cache_home)  # an empty machine's cache: everything compiled and compressed here
    kept = {path: path.stat().st_mtime_ns for path in (cache_home / "jiahe").rglob("*") if path.is_file()}
    assert any(path.parent.name == "zopfli" for path in kept) and any(path.parent.name.startswith("jinja-") for path in kept)
    second = copy_project(tmp_path / "second")  # another project: an empty .cache/, the machine's cache full
    build(second.root, cache_home)
    # nothing made again (only the templates of the second project's own copy of themes/ are compiled)
    assert all(path.stat().st_mtime_ns == made for path, made in kept.items())
    assert sorted(path.name for path in (cache_home / "jiahe" / "zopfli").iterdir()) == sorted(path.name for path in kept if path.parent.name == "zopfli")
    assert tree(second.root / "site") == tree(first.root / "site")


def environment(folder: Path, **settings) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **settings)
    env.filters["shout"] = lambda value: f"{value}!"
    machine_cache.template_code(env)
    return env


def test_a_template_is_compiled_again_for_another_source_or_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "page.html").write_text("<p>{{ text|shout }}</p>", encoding="utf-8")
    assert environment(tmp_path / "one").get_template("page.html").render(text="<b>") == "<p><b>!</p>"
    assert environment(tmp_path / "one", autoescape=True).get_template("page.html").render(text="<b>") == "<p>&lt;b&gt;!</p>"
    assert environment(tmp_path / "one").get_template("page.html").render(text="<b>") == "<p><b>!</p>"  # from the cache
    compiled = sorted(path.name for path in machine_cache.folder("").rglob("*.cache"))
    assert len(compiled) == 2
    (tmp_path / "two").mkdir()  # the same name in another project, another source
    (tmp_path / "two" / "page.html").write_text("<div>{{ text|shout }}</div>", encoding="utf-8")
    assert environment(tmp_path / "two").get_template("page.html").render(text="a") == "<div>a!</div>"
    (tmp_path / "one" / "page.html").write_text("<p>{{ text }}</p>", encoding="utf-8")  # a template edited
    assert environment(tmp_path / "one").get_template("page.html").render(text="a") == "<p>a</p>"
    # a filter that is given the context is called by other code: compiled again, not taken from the cache
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "one"))
    env.filters["shout"] = jinja2.pass_context(lambda context, value: f"{value}?")
    machine_cache.template_code(env)
    (tmp_path / "one" / "page.html").write_text("<p>{{ text|shout }}</p>", encoding="utf-8")
    assert env.get_template("page.html").render(text="a") == "<p>a?</p>"
    assert len(list(machine_cache.folder("").rglob("*.cache"))) == 5
    # select_autoescape's function is made anew for each list of extensions: such an environment is not cached
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "one"), autoescape=jinja2.select_autoescape(["txt"]))
    machine_cache.template_code(env)
    assert env.bytecode_cache is None


def test_a_machines_cache_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    (tmp_path / "file").write_bytes(b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    env = environment(tmp_path)
    assert env.bytecode_cache is None


def test_without_a_home_folder_the_machines_cache_is_in_the_temporary_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert machine_cache.folder("zopfli") == tmp_path / ".cache" / "jiahe" / "zopfli"
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("Could not determine home directory."))))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    assert machine_cache.folder("zopfli") == tmp_path / "tmp" / "jiahe" / "zopfli"


def test_a_template_compiled_in_another_project_names_its_own_file_in_an_error(tmp_path, monkeypatch):
    """Found by its source, not its path: the code is the other project's, the file named in a
    traceback this one's (what an editor opens to mend the template)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = "{% macro row(x) %}{{ x.missing.name }}{% endmacro %}<p>{{ row(text) }}</p>"
    for project in ("one", "two"):
        (tmp_path / project).mkdir()
        (tmp_path / project / "page.html").write_text(source, encoding="utf-8")
        env = environment(tmp_path / project)
        env.undefined = jinja2.StrictUndefined
        template = env.get_template("page.html")
        assert template.filename == str(tmp_path / project / "page.html")
        try:
            template.render(text="a")
        except jinja2.UndefinedError as exc:
            frames = [frame.filename for frame in traceback.extract_tb(exc.__traceback__)]
        assert str(tmp_path / project / "page.html") in frames  # the macro's frame too, not only the template's
        assert not any(str(tmp_path / other) in name for name in frames for other in ({"one", "two"} - {project}))
    assert len(list(machine_cache.folder("").rglob("*.cache"))) == 1  # compiled once
