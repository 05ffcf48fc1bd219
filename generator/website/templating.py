"""Generated pages from Jinja templates on disk (``templates/``), escaped by construction.

A template writes the Markdown source of one page, which MkDocs then renders like any other page.
Every value a template prints with ``{{ … }}`` is text and is escaped for where it lands, HTML and
Markdown at once (:func:`shown`): ``< > & " '`` as HTML entities, and the characters Markdown or its
extensions would read as markup (``[ ] * _ ` { } \\ |``) as numeric character references, so a title
is shown exactly as typed, never interpreted. Only :class:`~markupsafe.Markup` is printed as it is:
links and ``<time>`` elements made by the helpers here, and the output of another template.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import string
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import machine_cache, urls
from generator.dates import TAIPEI, roc_date, roc_year

TEMPLATES = Path(__file__).parent / "templates"
_MARKDOWN = str.maketrans({"[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;",
                           "{": "&#123;", "}": "&#125;", "\\": "&#92;", "|": "&#124;",
                           # a line break in a value must not start a Markdown block of its own (a
                           # heading, a fence, raw HTML): it is kept as a character reference
                           "\n": "&#10;", "\r": "&#13;"})


def shown(value: object) -> Markup:
    """A value as text in generated Markdown or HTML: shown, never interpreted."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(html.escape(str(value), quote=True).translate(_MARKDOWN))


def environment(folder: Path = TEMPLATES) -> jinja2.Environment:
    """The templates' environment: autoescape on, every value through :func:`shown`, undefined
    names an error (a typo in a template must not publish an empty string)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, finalize=shown,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["time"] = time
    env.filters["fill"] = fill
    env.filters["code"] = code
    env.filters["roc_date"] = roc_date
    env.filters["roc_year"] = roc_year
    env.globals["urls"] = urls
    machine_cache.template_code(env)  # compiled once per machine (generator/machine_cache.py)
    return env


class Templates:
    """The page templates, compiled once per build (each template once)."""

    def __init__(self, folder: Path = TEMPLATES):
        self.env = environment(folder)

    def render(self, name: str, source: str, **context: object) -> str:
        """The template ``name`` for the page at ``source`` (its MkDocs path): ``link(target)`` in
        the template is the relative link from this page to another page or file."""
        return self.env.get_template(name).render(link=lambda target: link(source, target), **context)


def link(source: str, target: str) -> Markup:
    """A relative link from one generated page to another page or file (both source paths); the
    paths are made by :mod:`generator.urls` from checked ids, so they need no escaping."""
    return Markup(relative(target, posixpath.dirname(source)))


def relative(target: str, folder: str) -> str:
    """``posixpath.relpath(target, folder or ".")`` for the relative paths the generator makes
    (no ``.`` or ``..`` parts, no leading ``/``), without the absolute paths (and a ``getcwd()``
    each) relpath makes of both: a page links dozens of others, an archive has thousands of pages
    (issue 12). Any other path goes to relpath itself."""
    if not target or target.startswith("/") or folder.startswith("/"):
        return posixpath.relpath(target, folder or ".")
    to = [part for part in target.split("/") if part]
    base = [part for part in folder.split("/") if part]
    if any(part in (".", "..") for part in to) or any(part in (".", "..") for part in base):
        return posixpath.relpath(target, folder or ".")
    common = 0
    for a, b in zip(to, base, strict=False):  # up to the shorter
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def fill(label: str, **values: object) -> Markup:
    """A label of the catalogue with its ``{name}`` placeholders filled in, for a template:
    ``{{ labels.published | fill(date=issue.date | time) }}``. The label's words are text and each
    value goes through :func:`shown`, so a link or a ``<time>`` stays markup and a title stays text
    (``str.format`` on the label would make the markup text, or the title markup)."""
    pieces = []
    for words, name, _, _ in string.Formatter().parse(label):
        pieces.append(shown(words))
        if name is not None:
            pieces.append(shown(values[name]))
    return Markup("").join(pieces)


def code(text: str) -> Markup:
    """Text shown as code, every character as typed: a Markdown code span (Markdown escapes its
    content itself, and nothing in it is markup), or ``<code>`` with the text escaped where a
    backtick, a table's column separator or spaces at its ends would change the span."""
    if not text or text != text.strip() or "`" in text or "|" in text:
        return Markup(f"<code>{shown(text)}</code>")
    return Markup(f"`{text}`")


def time(when: dt.date | dt.datetime) -> Markup:
    """A date as readers read it (民國), machine-readable in ``datetime``; a moment (a commit's
    time) is shown as its day in Taiwan."""
    date = when.astimezone(TAIPEI).date() if isinstance(when, dt.datetime) else when
    return Markup(f'<time datetime="{date.isoformat()}">{roc_date(date)}</time>')


def front_matter(title: str, **meta: object) -> str:
    """A page's front matter; JSON strings are valid YAML, so no value needs escaping."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines += [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in meta.items()]
    return "\n".join(lines + ["---", ""])
