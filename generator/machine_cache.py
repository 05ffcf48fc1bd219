"""The machine's cache: work that comes out the same for every project on a machine, kept once for all
of them (issue 12, the fixed costs of a build; and the suite's time, whose dozens of builds each start
in a new project with an empty ``.cache/``).

It lives in ``$XDG_CACHE_HOME/jiahe/`` (``~/.cache/jiahe/`` by default), beside the newsletter's
records in ``$XDG_STATE_HOME/jiahe/``. Two things are kept there, each found by what it is made from
and checked when read, so a stale or damaged file is never used:

- ``zopfli/``: Pagefind's WebAssembly compressed by Zopfli (about a second for each of its two files;
  :mod:`generator.outputs.search_transfer`);
- ``jinja-<Jinja version>-py<Python version>/``: the compiled code of the website's templates
  (mkdocs-material's, the generator's, each project's ``themes/``; about 0.5 s a build), by the
  template's name, source and the environment's settings (:func:`template_code`).

Deleting the folder only makes the next build slower. A folder that cannot be written is left alone:
the build then does the work itself, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg


def folder(name: str) -> Path:
    """``name``'s folder in the machine's cache (not made here); in the system's temporary folder when
    neither ``XDG_CACHE_HOME`` nor a home folder is known (a service account without one)."""
    if not (base := os.environ.get("XDG_CACHE_HOME")):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no HOME, and no entry in the password database
            base = tempfile.gettempdir()
    return Path(base) / "jiahe" / name


class _TemplateCode(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, shared by every project: a template is found by its name,
    its source and the settings of the environment that compiles it (:func:`_settings`), not by its
    file's path, so the copy of ``themes/`` in each project is compiled once for the machine and the
    folder grows only with the templates' versions. The path Jinja wrote into the code (for the
    tracebacks of a template's errors) is made the loading template's own (:func:`_relocated`).
    Jinja checks the source's checksum on loading; a file it cannot write is not an error."""

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        checksum = self.get_source_checksum(source)
        key = hashlib.sha256(f"{_settings(environment)}\n{name}\n{checksum}".encode()).hexdigest()
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        if bucket.code is not None and filename and bucket.code.co_filename != filename:
            bucket.code = _relocated(bucket.code, filename)
        return bucket

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _relocated(code: CodeType, filename: str) -> CodeType:
    """``code`` and every function compiled within it (a template's blocks and macros) naming ``filename``."""
    consts = tuple(_relocated(const, filename) if isinstance(const, CodeType) else const for const in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _named(value: object) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def _settings(env: jinja2.Environment) -> str:
    """What of ``env`` decides the code Jinja compiles a template to: autoescaping and ``finalize``
    (by their names), the extensions, the syntax, and each filter's and test's name and what it is
    passed (``pass_context`` and the like are written into the code)."""
    def passed(functions) -> list[tuple[str, str]]:
        return sorted((name, repr(_PassArg.from_obj(function))) for name, function in functions.items())
    return repr((_named(env.autoescape), _named(env.finalize), sorted(env.extensions), env.optimized,
                 env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
                 env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
                 env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
                 env.keep_trailing_newline, passed(env.filters), passed(env.tests)))


def template_code(env: jinja2.Environment) -> None:
    """Give ``env`` the machine's cache of compiled templates. Not when its autoescaping or ``finalize``
    is a function made inside another (``select_autoescape``'s: two such functions of one name may
    decide differently), or when the folder cannot be made."""
    if any("<locals>" in _named(value) for value in (env.autoescape, env.finalize)):
        return
    where = folder(f"jinja-{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}")
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = _TemplateCode(str(where))
