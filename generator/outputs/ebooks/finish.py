"""Finishing pandoc's EPUB: what pandoc cannot be told, then a deterministic zip.

- Each chapter file gets its chapter's title as ``<title>`` (pandoc writes the file name there).
- The landmarks are named in the book's language and include the start of the text (bodymatter).
- ``dcterms:conformsTo`` (EPUB Accessibility 1.1, WCAG 2.1 AA) is claimed only when every check of
  :func:`accessibility_problems` passes; otherwise the book goes out without the claim and the
  build says why.
- The zip: ``mimetype`` first and stored, the other files in name order, every entry with the
  book's date and the same permissions: two builds of the same book give the same bytes.

The edits are small text substitutions on pandoc's known output, each checked: if pandoc's output
changes shape, the build stops (BuildError) rather than publish a half-finished book.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from typing import Any
from types import MappingProxyType

from generator.errors import BuildError

log = logging.getLogger(__name__)

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
OPF = "EPUB/content.opf"
NAV = "EPUB/nav.xhtml"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_CHAPTER_FILE = re.compile(r"EPUB/text/ch\d+\.xhtml")
_LANDMARKS = re.compile(r'<nav epub:type="landmarks".*?</nav>', re.S)
_LANDMARK = re.compile(r'<a href="([^"]+)" epub:type="([a-z-]+)">')
#: Landmarks in reading order, by epub:type, with the key of their name in the book's labels.
_LANDMARK_ORDER = MappingProxyType({"cover": "cover", "titlepage": "titlepage", "toc": "toc", "bodymatter": "bodymatter"})
#: What the OPF must say about accessibility before the book may claim conformance.
_A11Y_PROPERTIES = ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                    "schema:accessibilitySummary")


def finish(data: bytes, *, titles: dict[str, str], labels: Mapping[str, Any], certifier: str, when: dt.date) -> bytes:
    """pandoc's EPUB, finished: ``titles`` maps a chapter's section id to its title, ``labels``
    are the book language's labels, ``certifier`` who vouches for the accessibility claim."""
    files = unzip(data)
    for name in [n for n in files if _CHAPTER_FILE.fullmatch(n)]:
        files[name] = retitle(files[name], titles, name)
    files[NAV] = landmarks(files[NAV], labels, _first_chapter(files))
    files[OPF] = guide_titles(files[OPF], labels)
    problems = accessibility_problems(files)
    if problems:
        log.warning("no accessibility conformance claimed: %s", "; ".join(problems))
    else:
        files[OPF] = claim(files[OPF], certifier)
    return pack(files, when)


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def _replace_once(pattern: str | re.Pattern, replacement, text: str, what: str) -> str:
    """``re.subn`` that must match exactly once: pandoc's output is not what this module expects otherwise."""
    result, count = re.subn(pattern, replacement, text, count=1)
    if count != 1:
        raise BuildError(f"unexpected pandoc output: no {what}; generator/outputs/ebooks/finish.py needs updating")
    return result


def retitle(xhtml: bytes, titles: dict[str, str], name: str) -> bytes:
    """A chapter file with its chapter's title in ``<title>``."""
    text = xhtml.decode("utf-8")
    section = re.search(r'<section id="([^"]+)" class="level1"', text)
    if section is None or section[1] not in titles:
        raise BuildError(f"unexpected pandoc output: {name} holds no chapter; generator/outputs/ebooks/finish.py needs updating")
    title = html.escape(titles[section[1]], quote=False)
    return _replace_once(r"<title>[^<]*</title>", lambda _m: f"<title>{title}</title>", text, "<title>").encode("utf-8")


def _first_chapter(files: dict[str, bytes]) -> str:
    """The first chapter's file, relative to the nav document (where the text starts)."""
    chapters = sorted(n for n in files if _CHAPTER_FILE.fullmatch(n))
    if not chapters:
        raise BuildError("unexpected pandoc output: the book has no chapter files")
    return chapters[0].removeprefix("EPUB/")


def landmarks(nav: bytes, labels: Mapping[str, Any], bodymatter: str) -> bytes:
    """The landmarks named in the book's language, in reading order, with the start of the text."""
    text = nav.decode("utf-8")
    found = _LANDMARKS.search(text)
    if found is None:
        raise BuildError("unexpected pandoc output: no landmarks in nav.xhtml; generator/outputs/ebooks/finish.py needs updating")
    targets = {kind: href for href, kind in _LANDMARK.findall(found[0])}
    targets["bodymatter"] = bodymatter
    items = "".join(f'\n    <li><a href="{html.escape(targets[kind])}" epub:type="{kind}">{html.escape(labels[key])}</a></li>'
                    for kind, key in _LANDMARK_ORDER.items() if kind in targets)
    block = f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n  <ol>{items}\n  </ol>\n</nav>'
    return (text[: found.start()] + block + text[found.end():]).encode("utf-8")


def guide_titles(opf: bytes, labels: Mapping[str, Any]) -> bytes:
    """The EPUB 2 guide's titles in the book's language (older readers show them)."""
    text = opf.decode("utf-8")
    for kind in ("toc", "cover"):
        title = html.escape(str(labels[kind]))
        text = re.sub(rf'(<reference type="{kind}" title=")[^"]*(")', lambda m, title=title: m[1] + title + m[2], text)  # type: ignore[misc]
    return text.encode("utf-8")


def claim(opf: bytes, certifier: str) -> bytes:
    """The OPF with the accessibility conformance claim and who made it."""
    lines = (f'    <meta property="dcterms:conformsTo">{CONFORMANCE}</meta>\n'
             f'    <meta property="a11y:certifiedBy">{html.escape(certifier, quote=False)}</meta>\n')
    text = _replace_once(r"(?=  </metadata>)", lambda _m: lines, opf.decode("utf-8"), "</metadata>")
    return text.encode("utf-8")


def accessibility_problems(files: dict[str, bytes]) -> list[str]:
    """Why the book may not claim EPUB Accessibility 1.1 (WCAG 2.1 AA): empty when it may.

    Checked: the OPF's accessibility metadata and language; a table of contents and landmarks;
    in every XHTML file a language, a real title, alt text on every image, a caption and header
    cells on every table. (Contrast and reading order are the stylesheet's and the template's.)"""
    problems = []
    opf = files.get(OPF, b"").decode("utf-8")
    problems += [f"the OPF lacks {prop}" for prop in _A11Y_PROPERTIES if f'property="{prop}"' not in opf]
    if "<dc:language>" not in opf:
        problems.append("the OPF names no language")
    nav = files.get(NAV, b"").decode("utf-8")
    problems += [f"nav.xhtml has no {kind}" for kind in ("toc", "landmarks") if f'epub:type="{kind}"' not in nav]
    for name in sorted(n for n in files if n.endswith(".xhtml")):
        problems += [f"{name}: {problem}" for problem in document_problems(files[name])]
    return problems


def document_problems(xhtml: bytes) -> list[str]:
    """What keeps one XHTML file from being accessible (see :func:`accessibility_problems`)."""
    try:
        root = ET.fromstring(xhtml)
    except ET.ParseError as exc:
        return [f"not well-formed ({exc})"]
    problems = []
    if not (root.get("lang") or root.get(_XML_LANG)):
        problems.append("no language on <html>")
    title = (root.findtext(f"{_XHTML}head/{_XHTML}title") or "").strip()
    if not title or title.endswith(".xhtml"):
        problems.append(f"no real <title> ({title!r})")
    for image in root.iter(f"{_XHTML}img"):
        if not (image.get("alt") or "").strip():
            problems.append(f"image {image.get('src')} has no alt text")
    if any(True for _ in root.iter("{http://www.w3.org/2000/svg}image")):
        problems.append("an SVG image (no alt text)")
    for table in root.iter(f"{_XHTML}table"):
        if table.find(f"{_XHTML}caption") is None or next(table.iter(f"{_XHTML}th"), None) is None:
            problems.append("a table without a caption or header cells")
    return problems


def pack(files: dict[str, bytes], when: dt.date) -> bytes:
    """The EPUB's zip: mimetype first and stored, then the other files in name order, with fixed
    dates and permissions, so that the same files always give the same bytes."""
    if files.get("mimetype") != b"application/epub+zip":
        raise BuildError("unexpected pandoc output: the EPUB has no mimetype file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ["mimetype", *sorted(n for n in files if n != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whichever system builds
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
