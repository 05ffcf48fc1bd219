"""Typesetting with Typst: HTML bodies to Typst markup by pandoc, then one Typst compile per document.

Safety by construction: every string from content/ reaches Typst as JSON data (``sys.inputs``), read
with ``json()`` and placed as text, or as a body that pandoc's Typst writer escaped (``#``, ``$``,
``[``, ``]``, ``<``, ``@``, ``*``, ``_``, …). The only Typst markup pandoc writes besides its own comes
from ``typst/legal.lua``, from positions the generator controls. pandoc reads HTML (the site's
Markdown, rendered and cleaned by nh3), so no raw-Typst block (```` ```{=typst} ````) can be written
in content: its text is shown as typed.

Reproducible by construction: the fonts are Debian's Noto CJK files only (no system font lookup,
so another machine's fonts cannot change the layout), the PDF's dates are the document's own date
(Typst's creation timestamp), and Typst derives the PDF's ID from the document, not the clock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.errors import BuildError

log = logging.getLogger(__name__)

#: The cache of typeset documents, in the project folder: ``<name>-<hash of the inputs>.pdf`` and ``.json``
#: (the pages of its parts); a document's older versions are removed when a new one is kept.
CACHE = Path(".cache") / "print"
#: The Markdown extensions of the site's pages (mkdocs.yml) that change what a body says, and
#: ``plain_runs``, which changes only the time it takes.
EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "pymdownx.details",
              "pymdownx.superfences", "generator.markup.cjk", "generator.markup.plain_runs")
#: The Typst templates and the pandoc filter.
TEMPLATES = Path(__file__).with_name("typst")
#: Where Debian's fonts-noto-cjk puts Noto Serif CJK and Noto Sans CJK (installed by `make site`).
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"),)
SERIF = "Noto Serif CJK TC"
#: PDF/A-2b: fonts embedded, colours and metadata as an archive needs; tagged for accessibility too.
PDF_STANDARD: Literal["a-2b"] = "a-2b"


#: Typst names a language by ISO 639 and a region (``lang: "zh", region: "TW"``, which also picks
#: Taiwan's typesetting rules and punctuation) and writes ``zh-TW`` in the PDF; the site and the
#: e-books say ``zh-Hant`` (the script, which is what Taiwan, Hong Kong and Macau readers share),
#: and so does the PDF: :func:`language_tag` replaces the tag after Typst.
TYPST_LANGUAGE, LANGUAGE_TAG = "zh-TW", "zh-Hant"


def language_tag(pdf: bytes, typst_tag: str, tag: str) -> bytes:
    """The PDF with its language (the catalogue's ``/Lang``, every structure element's, and the XMP's
    ``dc:language``) ``tag`` instead of ``typst_tag``, by qpdf (pikepdf): the rest is kept as Typst wrote
    it (PDF/A identification, tags, fonts), and the file's ID is computed from its content, so the same
    input gives the same bytes.

    Written with object streams: Typst writes each of a tagged PDF's structure elements (one for
    every paragraph, cell and span: 40,000 in an issue of 250 real pages) as a plain object, 8 MB of
    a 10 MB file; packed into compressed object streams, which PDF/A-2 allows (only PDF/A-1 forbids
    them), the file is 2.2 MB, and qpdf writes it faster (issue 12).

    qpdf reads the PDF from a file, not from the bytes in memory (``io.BytesIO``): from a Python
    stream it reads through Python, a call for every small read, which was half of this function's
    time (an issue of 250 real pages, 48,000 objects: 1.8 s against 0.9 s from a file)."""
    import io

    import pikepdf

    with tempfile.NamedTemporaryFile(prefix="jiahe-typst-", suffix=".pdf") as typst_pdf:
        typst_pdf.write(pdf)
        typst_pdf.flush()
        with pikepdf.open(typst_pdf.name) as document:
            old, new = pikepdf.String(typst_tag), pikepdf.String(tag)
            if b"/ObjStm" in pdf or pdf.count(b"/Lang") > 1:
                # Without object streams every dictionary is written as it is, so one ``/Lang`` in the
                # bytes is the catalogue's alone (Typst's usual output: a span in another language is
                # marked in its compressed page content, which no dictionary holds). Only then is the
                # walk over every object (0.5 s for an issue of 250 pages, 40,000 objects) needed.
                for obj in document.objects:
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/Lang") == old:
                        obj.Lang = new
            if document.Root.get("/Lang") == old:
                document.Root.Lang = new
            if "/Metadata" in document.Root:
                xmp = document.Root.Metadata.read_bytes()
                document.Root.Metadata.write(xmp.replace(f"<rdf:li>{typst_tag}</rdf:li>".encode(), f"<rdf:li>{tag}</rdf:li>".encode()))
            out = io.BytesIO()
            document.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


@dataclass(frozen=True)
class Typeset:
    """A typeset document: the PDF's bytes, and the page each marked part starts on (1 = the cover)."""

    pdf: bytes
    pages: tuple[int, ...]


def fonts():  # -> typst.Fonts
    """Debian's Noto CJK faces and Typst's own (DejaVu Sans Mono for code), never other system fonts."""
    import typst

    found = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                        font_paths=[str(folder) for folder in FONT_DIRS if folder.is_dir()])
    if SERIF not in found.families():
        raise BuildError(f"the print edition needs the font {SERIF} (Debian's fonts-noto-cjk, in {FONT_DIRS[0]}): "
                         "install it with `make site`")
    return found


#: One Typst compiler for each thread (issue 12): a new one parsed the Noto CJK fonts again, which was
#: most of an issue's typesetting (about 0.9 s of 1.2 s; a compiler used again typesets an issue
#: in well under 0.3 s). Each document is compiled from a folder of its own (its path never seen
#: before, and Typst reads its files again on every compile anyway), with its own ``sys.inputs``, so
#: nothing of one document reaches the next: the PDFs are the same, byte for byte, as a new
#: compiler's (``tests/outputs/test_print_scale.py``). A tool kept ready, like
#: ``markup.markdown``'s converters, not state: it remembers no document.
_compilers = threading.local()


def _compiler():  # -> typst.Compiler
    """This thread's Typst compiler, with :func:`fonts`."""
    compiler = getattr(_compilers, "typst", None)
    if compiler is None:
        import typst

        compiler = _compilers.typst = typst.Compiler(None, font_paths=fonts(), ignore_system_fonts=True)
    return compiler


#: How many compiles Typst's memoization cache keeps an unused result for: typst-py evicts it after
#: each compile by age, keeping what the last 10 compiles used (``comemo::evict(10)``), and a query
#: compiles again without evicting. See :func:`_forget`.
MEMORY_AGE = 10


def _forget(compiler, work: Path) -> None:  # compiler: typst.Compiler
    """Let Typst's memoization cache drop what the document just typeset left in it, by compiling an
    empty document :data:`MEMORY_AGE` times (a few milliseconds each, and the time to free what goes).

    Typst keeps each compile's layout in a cache shared by the whole process, for the next compile of
    the same document (an editor's preview); a build never typesets a document twice, so for it the
    cache is only memory. typst-py offers no call to empty it, only its eviction by age after each
    compile, so the last 10 issues' layouts stayed: typesetting the real sample's daily issues (up to
    190 pages of tables each), one process grew to 4.7 GB in 16 issues, and the build had one such
    process per core. With this it stays at about 1.2 GB (README, "The print edition (issue 16)", **Memory.**;
    ``tests/outputs/test_print_scale.py``). What an empty document uses (the fonts' metrics) stays."""
    empty = work / "forget.typ"
    empty.write_bytes(b"")
    for _ in range(MEMORY_AGE):
        compiler.compile(input=str(empty), root=str(work), sys_inputs=None, format="svg")


def engine_version() -> str:
    """What else decides the output besides the inputs: Typst's and pandoc's versions, the font files."""
    from importlib.metadata import version

    import pypandoc

    font_files = sorted(f"{path.name}:{path.stat().st_size}" for folder in FONT_DIRS if folder.is_dir()
                        for path in folder.glob("*CJK*"))
    return json.dumps([version("typst"), pypandoc.get_pandoc_version(), font_files])


def templates_digest() -> str:
    """A SHA-256 of the Typst templates, the pandoc filter and this module, which compiles and then
    finishes every PDF (:func:`language_tag`, the PDF's options): each cached PDF's key holds it, so
    a change to any of them makes the print edition again, the yearbook's too."""
    digest = hashlib.sha256()
    for path in [*sorted(TEMPLATES.iterdir()), Path(__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def to_typst(html: str, program: str, shift_headings: int = 0, images: Iterable[str] = ()) -> str:
    """Typst markup for an HTML document (the site's rendered and cleaned Markdown), by pandoc with
    ``legal.lua``: one run for a whole document. ``images``: the names of the image files handed to
    Typst; any other image is printed as its text alternative."""
    return _pandoc(html, program, shift_headings, images)


#: The body of an HTML document as :func:`to_typst_many` joins it with others: what ``<body>`` holds.
_BODY = re.compile(r"<body>\n?(.*)</body>", re.S)


#: The most HTML one pandoc run converts (:func:`to_typst_many`): pandoc holds about 270 times its
#: input in memory while it converts (2.5 GB for the 9 MB of 16 of the real sample's daily issues,
#: where a build runs one such conversion per core), and once the documents are this large a run for
#: each costs no more time than one for all (measured on 8 of them: 12.1 s against 11.0 s).
PANDOC_BYTES = 1_000_000


def to_typst_many(htmls: list[str], program: str, shift_headings: int = 0) -> list[str]:
    """:func:`to_typst` of each HTML document (without images: the gazette's issues), by as few pandoc
    runs as keep each run's HTML within :data:`PANDOC_BYTES` (a document larger than that alone in
    its run): issue 12, a pandoc run per issue cost about four times as much as one run over twenty
    small ones. Each run's documents are joined by :func:`_to_typst_joined`. Each document's Typst
    is the same, byte for byte, as :func:`to_typst` gives for it alone
    (``tests/outputs/test_print_scale.py``)."""
    out: list[str] = []
    group: list[str] = []
    size = 0
    for html in htmls:
        length = len(html.encode("utf-8"))
        if group and size + length > PANDOC_BYTES:
            out += _to_typst_joined(group, program, shift_headings)
            group, size = [], 0
        group.append(html)
        size += length
    if group:
        out += _to_typst_joined(group, program, shift_headings)
    return out


def _to_typst_joined(htmls: list[str], program: str, shift_headings: int) -> list[str]:
    """:func:`to_typst` of each HTML document by **one** pandoc run. The documents' bodies are joined
    with a top-level ``<div id="document-break-<nonce>">`` between them, which ``legal.lua`` writes
    as a Typst comment line holding the nonce; the output is split there. The nonce is random for
    each run, so no body can write it (a code block could write any line), and the count of breaks
    is checked."""
    if len(htmls) == 1:
        return [to_typst(htmls[0], program, shift_headings)]
    nonce = secrets.token_hex(16)
    bodies = []
    for html in htmls:
        found = _BODY.search(html)
        if found is None:
            raise BuildError("the print edition's HTML has no <body>")
        bodies.append(found[1])
    joined = f'\n<div id="document-break-{nonce}"></div>\n'.join(bodies)
    out = _pandoc(f"<!DOCTYPE html>\n<html><body>\n{joined}</body></html>\n", program, shift_headings, ())
    parts = out.split(f"\n// document-break-{nonce}\n")
    if len(parts) != len(htmls):
        raise BuildError(f"pandoc wrote {len(parts)} documents of {len(htmls)} for the print edition")
    return [part + "\n" for part in parts[:-1]] + parts[-1:]


def _pandoc(html: str, program: str, shift_headings: int, images: Iterable[str]) -> str:
    args = [program, "--from=html", "--to=typst", "--wrap=none", f"--lua-filter={TEMPLATES / 'legal.lua'}"]
    args += [f"--metadata=print-image:{name}" for name in images]
    if shift_headings:
        args.append(f"--shift-heading-level-by={shift_headings}")
    try:
        result = subprocess.run(args, input=html.encode("utf-8"), capture_output=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"pandoc could not run ({exc}); reinstall it with `make site`") from exc
    if result.returncode != 0:
        raise BuildError(f"pandoc failed making the print edition: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


#: Private-use characters (an old Big5 造字; check warns about them): no font has their glyph, and
#: PDF/A refuses text it cannot show. Printed as 〓 (U+3013 GETA MARK), the typesetter's sign for a
#: character missing from the font.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
MISSING = "\u3013"


def compile_pdf(main: str, body: str, data: Mapping[str, object], timestamp: int,
                files: Mapping[str, Path] | None = None) -> Typeset:
    """Compile the template ``main`` (a file of ``typst/``) with ``body`` (Typst markup, appended to
    it) and ``data`` (JSON, the only way content's strings reach Typst); ``files``: more
    files (images) by their name in the document. Returns the PDF and the page of every ``<part>``."""
    import typst

    with tempfile.TemporaryDirectory(prefix="jiahe-typst-") as folder:
        work = Path(folder)
        for template in TEMPLATES.glob("*.typ"):
            shutil.copyfile(template, work / template.name)
        document = work / "document.typ"  # the template, then the body, in its scope (its functions part, item)
        document.write_text((TEMPLATES / main).read_text(encoding="utf-8") + "\n" + PRIVATE_USE.sub(MISSING, body),
                            encoding="utf-8")
        for name, path in (files or {}).items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        inputs = {"data": PRIVATE_USE.sub(MISSING, json.dumps(data, ensure_ascii=False))}
        compiler = _compiler()
        try:
            pdf = compiler.compile(input=str(document), root=str(work), sys_inputs=inputs, format="pdf",
                                   pdf_standards=[PDF_STANDARD], timestamp=timestamp, pdf_tags=True)
            marks = json.loads(compiler.query("<part>"))  # of the document just compiled
        except typst.TypstError as exc:
            raise BuildError(f"Typst could not typeset {main}: {exc.message}\n{exc.diagnostic}") from exc
        finally:
            _forget(compiler, work)
    assert isinstance(pdf, bytes)
    pdf = language_tag(pdf, TYPST_LANGUAGE, LANGUAGE_TAG)
    pages = tuple(page for _, page in sorted((mark["value"]["part"], mark["value"]["page"]) for mark in marks))
    return Typeset(pdf, pages)


def pandoc_program() -> str:
    """pandoc, from pypandoc_binary (the e-book stage checks its version)."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise BuildError(f"pandoc is missing ({exc}): install the project with `make site`") from exc


def read_cache(cache: Path, name: str, key: str) -> tuple[bytes, tuple[int, ...]] | None:
    """The PDF and pages kept for ``name`` made from inputs hashed as ``key``, if any."""
    pdf, pages = cache / f"{name}-{key}.pdf", cache / f"{name}-{key}.json"
    try:
        return pdf.read_bytes(), tuple(json.loads(pages.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def cached_pdf(cache: Path, name: str, key: str) -> tuple[Path, tuple[int, ...]] | None:
    """The file of the PDF kept for ``name`` made from inputs hashed as ``key``, and its pages, if any
    (the PDF is not read: the build places the file itself)."""
    pdf, pages = cache / f"{name}-{key}.pdf", cache / f"{name}-{key}.json"
    try:
        found = tuple(json.loads(pages.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    return (pdf, found) if pdf.is_file() else None


def write_cache(cache: Path, name: str, key: str, pdf: bytes, pages: tuple[int, ...],
                older: Iterable[Path] | None = None) -> None:
    """Keep this version only (``name``'s older versions are removed: ``older``, if the caller listed
    the folder already, see :func:`kept`); each file written whole, then renamed."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob(f"{name}-*") if older is None else older:
            old.unlink(missing_ok=True)
        for suffix, data in ((".json", json.dumps(list(pages)).encode()), (".pdf", pdf)):
            path = cache / f"{name}-{key}{suffix}"
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(data)
            partial.replace(path)
    except OSError as exc:  # a read-only checkout still builds, only without the cache
        log.warning("could not keep the print edition's %s in %s: %s", name, cache, exc)


def kept(cache: Path) -> dict[str, list[Path]]:
    """The cache's files by the name of the document they keep (``<name>-<key>.pdf`` and ``.json``: a
    key is hexadecimal, without a dash), from one listing of the folder (issue 12: a listing for
    each issue typeset was, at 5,000 issues, 5,000 listings of 10,000 files)."""
    found: dict[str, list[Path]] = {}
    try:
        files = os.listdir(cache)
    except OSError:
        return found
    for file in files:
        stem, dot, _ = file.partition(".")
        if dot:
            found.setdefault(stem.rsplit("-", 1)[0], []).append(cache / file)
    return found
