"""The yearbook's e-books: one EPUB 3 per edition and language, made by pandoc from the model.

The text comes from the model: chapter titles and bodies, the tables (the same markup as the
site: :func:`.markdown.table_html`) and the labels of :mod:`.yearbook_text`. Only the binary files
the model points to (the cover and the chapters' images) are read from content/, by pandoc through
its resource path. One pandoc process per book, from pypandoc_binary (pandoc 3.9), arguments as a
list. :mod:`.epub_package` then finishes pandoc's output (chapter titles, landmarks, the
accessibility claim) and writes the zip deterministically, so an unchanged book gives the same bytes.

:func:`ebooks` is the build's e-book stage: it makes every book once, before the website, whose pages
show their sizes and which publishes their bytes. Each book is kept in ``.cache/ebooks/`` of the
project under a hash of everything pandoc and the finishing read (:func:`render`): a new gazette
issue, which changes no book, runs no pandoc (issue 12: about 0.5 s of every build).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import urls
from generator.dates import english_date, roc_date
from generator.errors import BuildError
from generator.model import Book, Content, Site
from generator.model.common import DEFAULT_LANGUAGE, LANGUAGES
from generator.outputs.ebooks import finish as epub_package
from generator.labels import labels as labels_of
from generator.markup.chapters import chapter_text

if TYPE_CHECKING:
    from generator.outputs.issuecache import IssueCache

log = logging.getLogger(__name__)

#: pandoc's template, stylesheet and Lua filter for the e-books.
PANDOC_FILES = Path(__file__).with_name("pandoc")
#: Oldest pandoc that writes the accessibility metadata and takes lang zh-Hant without a warning.
PANDOC_MINIMUM = (3, 9)
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$\"'@:&%=])")


@dataclass(frozen=True)
class Ebook:
    """One edition's e-book in one language."""

    book: Book
    language: str
    data: bytes

    @property
    def uri(self) -> str:
        return urls.ebook(self.book, self.language)


def ebooks(content: Content, root: Path) -> tuple[Ebook, ...]:
    """The e-book stage: every edition's e-book in each language it has chapters in (pandoc is
    looked for once, and only when there is a book to make), each kept in the project's cache."""
    from generator.outputs.issuecache import IssueCache

    wanted = [(book, language) for book in content.yearbooks for language in LANGUAGES if book.chapters_in(language)]
    program = pandoc() if wanted else ""
    cache = IssueCache(root, "ebooks", version()) if wanted else None
    return tuple(Ebook(book, language, render(content.site, book, language, root, program, cache)) for book, language in wanted)


def version() -> str:
    """What makes a book besides its inputs: pandoc's version, zlib's (the zip), this package (the
    code, pandoc's template, stylesheet and filters), the words and the Markdown of the chapters."""
    import zlib

    import pypandoc

    from generator.outputs.issuecache import GENERATOR, code_digest, library_versions

    return "\0".join([pypandoc.get_pandoc_version(), zlib.ZLIB_RUNTIME_VERSION, library_versions("markdown", "pymdown-extensions"),
                      code_digest(Path(__file__).parent, GENERATOR / "labels", GENERATOR / "markup")])


def render(site: Site, book: Book, language: str, root: Path, program: str, cache: IssueCache | None = None) -> bytes:
    """The EPUB of ``book`` in ``language``: one run of pandoc (``program``, from :func:`pandoc`),
    then :func:`.epub_package.finish`. With ``cache``, kept under a hash of pandoc's input and
    arguments, the book's date, the finishing's titles and publisher, and the bytes of every file
    pandoc may read: the cover, the images the chapters show and every other file of the edition's
    folder (an image named by raw HTML too); a change to any of them makes the book again (the
    labels and the code are the cache's :func:`version`)."""
    started = time.perf_counter()
    folder = root / Path(*book.source.path.parent.parts)
    images: list[str] = []
    text, args = source(site, book, language, images.append), arguments(book, language, folder)
    titles = {f"chapter-{chapter.slug}": chapter.title for chapter in book.chapters_in(language)}
    publisher = (book.publisher or site.publisher).get(language)
    words = labels_of("yearbook", language)
    name, key = f"ebook-{book.year}-{language}", ""
    if cache is not None:
        # the Markdown and YAML of the edition reach pandoc through the model (``text``), not as files
        read = sorted({folder / book.cover.file, *(folder / image for image in images),
                       *(path for path in folder.rglob("*") if path.is_file() and path.suffix not in (".md", ".yml"))})
        key = cache.key(text, json.dumps(args, ensure_ascii=False), str(epoch(book.date)), program,
                        json.dumps(titles, ensure_ascii=False), publisher, book.date.isoformat(),
                        *(f"{path}\0{_file_digest(path)}" for path in read))
        if (kept := cache.get(name, key)) is not None:
            return base64.b64decode(kept["epub"])
    raw = run_pandoc(program, args, text, epoch(book.date))
    data = epub_package.finish(raw, titles=titles, labels=words, certifier=publisher, when=book.date)
    log.info("made %s (%d KB) in %.2f s", urls.ebook(book, language), len(data) // 1024, time.perf_counter() - started)
    if cache is not None:
        cache.put(name, key, {"epub": base64.b64encode(data).decode("ascii")})
    return data


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"  # pandoc then fails (check reports a missing image before)


def source(site: Site, book: Book, language: str, image: Callable[[str], object] = lambda path: None) -> str:
    """pandoc's input: a metadata block, then each chapter under its title as a level-1 heading.
    ``image``: told the path of each image the chapters show (in the edition's folder)."""
    parts = ["---", json.dumps(metadata(site, book, language), ensure_ascii=False), "---", ""]

    def shown(path: str) -> str:
        image(path)
        return path

    for chapter in book.chapters_in(language):
        body = chapter_text(book, chapter, image=shown, raw_fence=True,
                            csv_href=lambda stat: urls.absolute(site.base_url, urls.table_download(book, stat.file, language)))
        # Chapters each number their notes from 1; in one book the labels must differ.
        body = _FOOTNOTE.sub(lambda m, slug=chapter.slug: f"[^{slug}-{m[1]}]", body)  # type: ignore[misc]
        parts += [f"# {md_text(chapter.title)} {{#chapter-{chapter.slug}}}", "", body.strip(), ""]
    return "\n".join(parts)


def md_text(text: str) -> str:
    """Text for pandoc's Markdown (headings, metadata), shown as typed: ASCII punctuation escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def metadata(site: Site, book: Book, language: str) -> dict:
    """The book's metadata for pandoc: the OPF, the title page and the accessibility metadata."""
    labels = labels_of("yearbook", language)
    publisher = md_text((book.publisher or site.publisher).get(language))
    meta = {
        "title": md_text(book.title.get(language)),
        "lang": language,
        "identifier": [identifier(book.identifier.get(language))],
        "creator": [{"role": "author", "text": publisher}],
        "publisher": publisher,
        "rights": md_text(book.rights.get(language)),
        "date": book.date.isoformat(),
        "toc-title": md_text(labels["contents"]),
        # Every image has a text alternative (check refuses one without), so text alone suffices.
        "accessModes": ["textual", "visual"],
        "accessModeSufficients": ["textual"],
        "accessibilityFeatures": ["alternativeText", "displayTransformability", "readingOrder",
                                  "structuralNavigation", "tableOfContents"],
        "accessibilityHazards": ["none"],
        "accessibilitySummary": md_text(labels["summary"]),
    }
    if book.subtitle:
        meta["subtitle"] = md_text(book.subtitle.get(language))
    return meta


def identifier(value: str) -> dict:
    """An ISBN as ``urn:isbn:…`` with its scheme, or a URN as it is."""
    if value.lower().startswith("urn:"):
        return {"text": value}
    return {"scheme": "ISBN-13", "text": "urn:isbn:" + re.sub(r"[\s-]", "", value)}


def arguments(book: Book, language: str, folder: Path) -> list[str]:
    """pandoc's command line for one book (without the program)."""
    value = book.identifier.get(language)
    shown = value if value.lower().startswith("urn:") else f"ISBN {value}"
    date = roc_date(book.date) if language == DEFAULT_LANGUAGE else english_date(book.date)
    args = [
        # east_asian_line_breaks: a line break between two Chinese characters is no space;
        # gfm_auto_identifiers: headings such as "1月" keep their digits in their ids.
        "--from=markdown+east_asian_line_breaks+gfm_auto_identifiers", "--to=epub3", "--output=-", "--wrap=none",
        f"--data-dir={PANDOC_FILES}",  # not the user's: the same book on every machine
        f"--template={PANDOC_FILES / 'epub.xhtml'}", f"--css={PANDOC_FILES / 'epub.css'}",
        f"--resource-path={folder}", f"--epub-cover-image={folder / book.cover.file}",
        "--toc", "--toc-depth=2", "--split-level=1", "--fail-if-warnings",
        # Template variables are used as given (not read as Markdown): escaped for XHTML here.
        f"--variable=cover-alt={html.escape(book.cover.alt.get(language))}",
        f"--variable=date-display={html.escape(date)}",
        f"--variable=identifier-display={html.escape(shown)}",
    ]
    args.append(f"--lua-filter={PANDOC_FILES / 'inert.lua'}")  # nothing that runs script, whatever check let through
    args.append(f"--lua-filter={PANDOC_FILES / 'legal-items.lua'}")  # 一、 （一） 1. hang, as on the website
    if language == DEFAULT_LANGUAGE:
        args.append(f"--lua-filter={PANDOC_FILES / 'lang-en.lua'}")
    return args


def epoch(date: dt.date) -> int:
    """SOURCE_DATE_EPOCH for pandoc: the book's publication date, never the time of the build."""
    return int(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc).timestamp())


def pandoc() -> str:
    """The pandoc program of pypandoc_binary, checked to be recent enough (asks pandoc its version:
    call it once per stage)."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        version = tuple(int(part) for part in re.findall(r"\d+", pypandoc.get_pandoc_version())[:2])
    except (ImportError, OSError, RuntimeError) as exc:
        raise BuildError(f"pandoc is missing ({exc}): the e-books need the pandoc that the Python package "
                         "pypandoc_binary ships; install the project with `make site` (or `pip install -e .`)") from exc
    if version < PANDOC_MINIMUM:
        raise BuildError(f"pandoc {'.'.join(map(str, version))} at {path} is too old for the e-books (need "
                         f"{'.'.join(map(str, PANDOC_MINIMUM))} or later): install pypandoc_binary with `make site`, "
                         "and unset PYPANDOC_PANDOC if it points to another pandoc")
    return path


def run_pandoc(program: str, args: list[str], text: str, source_date_epoch: int) -> bytes:
    """Run pandoc (``program``) once with ``text`` on its input; its EPUB, or a BuildError that says what happened.

    pandoc is run directly (the program pypandoc finds): pypandoc's own calls take no environment,
    and SOURCE_DATE_EPOCH must reach pandoc for reproducible dates."""
    command = [program, *args]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)}
    try:
        result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, env=env, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"pandoc could not run ({exc}); reinstall it with `make site`") from exc
    if result.returncode != 0 or not result.stdout.startswith(b"PK"):
        detail = result.stderr.decode("utf-8", "replace").strip()[-2000:] or "no message"
        raise BuildError(f"pandoc failed to make an e-book (exit {result.returncode}): {detail}\n"
                         "Run `python -m generator check`; if it finds nothing, this is a bug in generator/outputs/ebooks/epub.py")
    return result.stdout
