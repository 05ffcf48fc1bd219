"""Full-text search with Pagefind, over the built HTML: overlapping Han bigrams, folded variants.

How Chinese is indexed. Each run of Han characters (or kana) is indexed as its overlapping bigrams,
then its last character alone: 路邊停車場 -> 路邊 邊停 停車 車場 場 (Lucene's CJK bigram filter, plus
the run's last character so that every character can be found by a one-character query, which
Pagefind matches as a prefix). A query is cut the same way (search.js): 停車場 -> "停車 車場", an exact
phrase over consecutive words; each part of a query split by spaces is such a phrase, and every part
is required. Measured against the one-character-per-word index this replaces (README, "Search"):
bigrams are selective, so Pagefind's BM25 ranking has meaningful term frequencies, and a query
fetches a few small index chunks instead of one large chunk per character.

Why Pagefind does not segment it. Pagefind cuts Chinese with jieba at index time and with the
browser's Intl.Segmenter at query time; both split bigrams again (場收 -> 場 收), and differently
(Pagefind issue #1237). So the Chinese pages go to Pagefind as language ``und-Hani`` ("undetermined
language, Han script"), which neither side segments; search.js opens that index by name
(:data:`INDEX_LANGUAGE`). English pages keep ``en`` (stemmed as before).

What Pagefind is given. Not the published page but a document made for indexing from its
``data-pagefind-body`` part (:func:`indexing_document`): the title as the heading, each block's text
cut into words, the weights and metadata the page gives, a ``summary`` (the page's own text from its
first paragraph: a notice's subject, without metadata labels or stray spaces) that the results page
shows as the excerpt, and a ``date`` sort. Since the excerpt is the summary, the bundle's fragments
keep no copy of the page text (:func:`canonical` empties it): a result costs its metadata only.

Variant characters are folded at index and query time by one table, :data:`FOLD` (the results page
receives it); the published text is never changed.

How it is run (issue 12): in shards (a piece of a gazette year, the yearbook, the directory, the
English records), each its own cached Pagefind run, merged into one bundle by
:mod:`generator.outputs.pagefind_bundle` (:class:`Index`); a page's running text is indexed up to
:data:`MAX_WORDS` words.

Pages opt in through their front matter (``search: {filters: …, meta: …, sort: …}``, made by
:func:`entry`): themes/material/main.html then marks their article as ``data-pagefind-body`` with
those filters, metadata and sort keys, so listings, the nav, header and footer are never indexed.
Pagefind splits its index by language: the English yearbook has its own index and results page.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import itertools
import json
import logging
import os
import pickle
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from generator import urls, workers
from generator.writing import write_whole as _write
from generator.errors import BuildError
from generator.model import LANGUAGES, Content
from generator.labels import labels
from generator.markup.cjk import IDEOGRAPHS
from generator.outputs import search_english
from generator.outputs import search_transfer
from generator.outputs import pagefind_bundle
from generator.outputs.pagefind_bundle import canonical as canonical  # the benchmark's one-run index

log = logging.getLogger(__name__)

#: Elements (by class) of an indexed article that are not its text; ``dt`` (a metadata label) neither.
EXCLUDE = frozenset({"headerlink", "breadcrumbs", "neighbours", "citation", "md-source-file", "language-switch"})

#: Pagefind's language for an index, by the language of the pages (lower case, as Pagefind keys them).
#: Chinese gets a name no Pagefind component segments (see above); search.js opens it by this name.
INDEX_LANGUAGE = MappingProxyType({"zh-tw": "und-Hani", "zh-hant": "und-Hani"})

#: Variant characters folded to one form at index and query time: (variant, form indexed). Only
#: pairs that are the same word wherever they occur in Taiwanese official text; each was decided:
#: - 台/臺: 臺 is the standard form (臺北市, 新臺幣), 台 the everyday one; 台端 (a polite "you") is
#:   never written 臺端, so folding it finds nothing wrong.
#: - 裡/裏, 峰/峯, 群/羣, 綫/線, 啓/啟, 恒/恆, 敍/敘, 衆/眾, 爲/為, 衞/衛, 説/說, 册/冊, 温/溫, 眞/真: the
#:   second is the standard form, the first a print or input-method variant of the same character.
#: - 秘/祕: the Ministry of Education's form is 祕 (祕書), offices write both; same word.
#: Left distinct on purpose (they are different words in legal text): 于/於 and 余/餘 (surnames),
#: 后/後, 征/徵, 制/製, 志/誌, 干/幹/乾, 才/纔, 了/瞭, 沖/衝, 准/準, 夥/伙, 週/周.
#: Full-width letters and digits (１１５, ＡＢＣ) fold to ASCII as well.
FOLD = MappingProxyType({"台": "臺", "裡": "裏", "峯": "峰", "羣": "群", "綫": "線", "啓": "啟", "恒": "恆", "敍": "敘", "衆": "眾",
        "爲": "為", "衞": "衛", "説": "說", "册": "冊", "温": "溫", "眞": "真", "秘": "祕"})
_FOLD_TABLE = str.maketrans({**FOLD, **{chr(code): chr(code - 0xFEE0) for code in range(0xFF10, 0xFF5F)
                                        if chr(code - 0xFEE0).isalnum()}})


def fold(text: str) -> str:
    """``text`` with every variant of :data:`FOLD` (and full-width letters and digits) in its indexed form."""
    return text.translate(_FOLD_TABLE)


def entry(language: str, publication: str, filters: dict[str, str | list[str]] | None = None,
          meta: dict[str, str] | None = None, sort: dict[str, str] | None = None) -> dict[str, object]:
    """The ``search`` front matter of an indexed page (the results pages, generator/website/pages/search.py,
    offer the same publication names in their filters); a filter takes one value or a list (a joint
    notice's agencies: the page is found under each). ``sort`` gives sort keys (``date``: ISO date,
    for the results page's "newest first")."""
    name = labels("search", language)["publications"][publication]
    return {"filters": {"publication": name, **(filters or {})}, "meta": meta or {}, "sort": sort or {}}


_TOKEN = re.compile(rf"([{IDEOGRAPHS}]+)|([^\s{IDEOGRAPHS}]+)")


#: What stands between two runs of Han characters that only punctuation or a space parts (相關，事項),
#: and after each block of a page: a word of punctuation alone, which Pagefind counts as a place but
#: does not index (tests/outputs/test_search_positions.py checks it). Why (issue 14, goal 2): so that
#: two bigrams of a query part two places apart (AB at p, CD at p + 2) are ABCD as written, always. A
#: run's last character is a word of its own, the place after its last bigram; without this word the
#: next run's first bigram would follow at once, and 「相關，事項」 would prove 相關事項. With it, a part
#: of 4 Han characters or more is looked up by about every other bigram (half the index chunks to
#: download) as an exact phrase: search.js, ``plan()``. search.js writes the same word (``BREAK``).
BREAK = "·"


def words(text: str) -> list[str]:
    """The words Pagefind is given for ``text``: runs of Han characters as overlapping bigrams and the
    run's last character; anything else as it is (Pagefind splits it further); :data:`BREAK` between
    two runs of Han characters with only punctuation or spaces between them. search.js cuts queries
    the same way. 府財產字第1150010234號 -> 府財 財產 產字 字第 第 1150010234 號."""
    out: list[str] = []
    after_han = False  # the last word is a run's last character, nothing but punctuation or spaces since
    for han, other in _TOKEN.findall(fold(text)):
        if other:
            if any(character.isalnum() for character in other):  # not punctuation alone
                out.append(other)
                after_han = False
        else:
            if after_han:
                out.append(BREAK)
            out.extend(han[i:i + 2] for i in range(len(han) - 1))
            out.append(han[-1])
            after_han = True
    return out


# -- what Pagefind is given ----------------------------------------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_BLOCK = frozenset({"p", "div", "li", "dd", "dt", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                    "table", "ul", "ol", "dl", "section", "figure", "figcaption", "caption", "br", "hr", "nav", "header",
                    "footer", "article", "details", "summary"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CJK_EDGE = re.compile(rf"(?<=[{IDEOGRAPHS}\u3000-\u303f\uff00-\uffef]) (?=[{IDEOGRAPHS}\u3000-\u303f\uff00-\uffef])")
_SPACES = re.compile(r"[ \t\r\n]+")  # not U+3000, the ideographic space legal text writes on purpose (第三條　設籍)
_IN_NUMBER = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.,/:-]")  # a number (1,234.5; 115/01/02; 227-5119) or a Latin word
SUMMARY_LENGTH = 100  # characters of a result's excerpt
_BODY_TAG = "<div data-pagefind-body"  # how themes/material/main.html opens a page's indexed part


class _Article:
    """Reads the ``data-pagefind-body`` part of a built page: its Pagefind attributes, and its text as
    blocks (tag, weight, text), leaving out :data:`EXCLUDE`, metadata labels, scripts and styles.

    The page is parsed by lxml (libxml2's HTML parser, in C), which calls ``start``, ``end`` and
    ``data`` as it goes (:meth:`read`): the standard library's ``html.parser``, used before, was about
    two thirds of making a real notice's indexing document (issue 12). The blocks are the same, for
    every page of the real sample's site and the shipped one (compared on 2026-12-02); the pages are
    the site's own, well-formed, so libxml2 has no tag to close that the page does not close itself."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool, str | None, bool]] = []  # (tag, skipped, weight, in metadata list)
        self.depth = 0  # > 0 inside data-pagefind-body
        self.attributes: list[tuple[str, str]] = []  # (data-pagefind-meta|filter|sort, "key:value")
        self.blocks: list[tuple[str, str | None, bool, str]] = []  # (tag, weight, in the metadata list, text)
        self.text: list[str] = []
        self.open: tuple[str, str | None, bool] = ("p", None, False)

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.text)).strip(" ")
        if text:
            self.blocks.append((*self.open, text))
        self.text = []

    @classmethod
    def read(cls, page_html: str) -> _Article:
        """The page's article, parsed from its ``<div data-pagefind-body>`` on (the whole page if it has
        none): what comes before it, the header and the nav, is two thirds of a notice's page and holds
        nothing indexed; parsing it took a third of this function's time (issue 12; the same articles
        for every page of the real sample's site). That tag is the first of its kind in the bytes:
        every text and attribute value before it is escaped (``<`` as ``&lt;``; the JSON-LD by
        ``tojson``, which writes ``<`` as ``\\u003c``), so the string starts no tag before the article's."""
        from lxml import etree

        article = cls()
        start = page_html.find(_BODY_TAG)
        parser = etree.HTMLParser(target=article, encoding="utf-8", huge_tree=True)
        parser.feed((page_html[start:] if start > 0 else page_html).encode("utf-8"))
        parser.close()
        return article

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        found = {name: value or "" for name, value in attrib.items()}
        if not self.depth:
            if "data-pagefind-body" in found:
                self.depth = 1
            return
        for name in ("data-pagefind-meta", "data-pagefind-filter", "data-pagefind-sort"):
            if name in found:
                self.attributes.append((name, found[name]))
        if tag in _VOID:
            if tag in _BLOCK:
                self._flush()
            return
        parent = self.stack[-1] if self.stack else ("", False, None, False)
        classes = set(found.get("class", "").split())
        skipped = parent[1] or bool(classes & EXCLUDE) or tag in ("dt", "script", "style", "template") or "hidden" in found
        weight = found.get("data-pagefind-weight", parent[2])
        metadata = parent[3] or (tag == "dl" and "notice-meta" in classes)
        self.stack.append((tag, skipped, weight, metadata))
        self.depth += 1
        if tag in _BLOCK or weight != parent[2]:
            self._flush()
            self.open = (tag if tag in _HEADINGS else "p", weight, metadata)

    def end(self, tag: str) -> None:
        if not self.depth or tag in _VOID:
            return
        if not any(open_tag == tag for open_tag, *_ in self.stack):
            if tag == "div" and not self.stack:  # the end of data-pagefind-body
                self._flush()
                self.depth = 0
            return
        while self.stack:
            open_tag, _, weight, _ = self.stack.pop()
            self.depth -= 1
            if open_tag == tag:
                break
        if tag in _BLOCK or weight != (self.stack[-1][2] if self.stack else None):
            self._flush()
            parent = self.stack[-1] if self.stack else ("", False, None, False)
            self.open = (parent[0] if parent[0] in _HEADINGS else "p", parent[2], parent[3])

    def data(self, data: str) -> None:
        if self.depth and not (self.stack and self.stack[-1][1]):
            self.text.append(data)

    def close(self) -> None:
        self._flush()


def summary(blocks: Iterable[str], length: int = SUMMARY_LENGTH) -> str:
    """The excerpt shown with a result: the page's text from its first paragraph, spaces only where the
    text has them between words of other scripts, cut at ``length`` characters but never inside a
    number or a Latin word."""
    text = ""
    for block in blocks:
        if len(text) > length:
            break
        text += " " + block
    text = _CJK_EDGE.sub("", _SPACES.sub(" ", text).strip(" "))
    if len(text) <= length:
        return text
    cut = length
    while cut > 0 and _IN_NUMBER.match(text[cut - 1]) and _IN_NUMBER.match(text[cut]):
        cut -= 1
    return text[:cut or length].rstrip() + "…"


#: The most words of a page's running text Pagefind is given (see README, "Search": a cap on a
#: page's indexed words). The title, the metadata list (document numbers, agency, dates), every
#: weighted block and the first paragraph of the text (a notice's subject) are always indexed whole;
#: the rest of the text up to this many words. None: no cap.
MAX_WORDS: int | None = 10_000


def indexing_document(page_html: str, language: str, max_words: int | None = -1) -> str | None:
    """What Pagefind is given for a built page: None if the page is not indexed. Every value is
    escaped here (text and attributes), whatever the page holds. ``max_words``: the cap on the
    running text's words (-1: :data:`MAX_WORDS`)."""
    budget = MAX_WORDS if max_words == -1 else max_words
    article = _Article.read(page_html)
    if not article.attributes and not article.blocks:
        return None
    parts = [f'<!DOCTYPE html><html lang="{html.escape(INDEX_LANGUAGE.get(language.lower(), language))}">'
             '<head><meta charset="utf-8"><title></title></head><body><main data-pagefind-body>']
    parts += [f'<span {name}="{html.escape(value)}"></span>' for name, value in article.attributes]
    prose = [text for tag, _, metadata, text in article.blocks if tag not in _HEADINGS and not metadata]
    parts.append(f'<span data-pagefind-meta="summary:{html.escape(summary(prose))}"></span>')
    first = True
    for tag, weight, metadata, block in article.blocks:
        cut = words(block)
        if budget is not None and tag not in _HEADINGS and not weight and not metadata:  # running text
            if not first:
                cut = cut[:max(budget, 0)]
            budget -= len(cut)
            first = False
            if not cut:
                continue
        weighted = f' data-pagefind-weight="{html.escape(weight)}"' if weight else ""
        parts.append(f"<{tag}{weighted}>{html.escape(' '.join([*cut, BREAK]))}</{tag}>")  # a block ends: BREAK
    parts.append("</main></body></html>")
    return "\n".join(parts)


_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]+)\"")


def index_order(content: Content) -> dict[str, tuple[int, str]]:
    """The order in which Pagefind is given the pages (by HTML file), which is also the order of equally
    good results, and the shard each is indexed in (see :func:`index_site`). The gazette first, newest
    issue first and each issue's notices in order, a shard per year; then the yearbook, newest edition
    first, chapters in reading order; then the directory's agencies. Pages not listed here (a
    hand-written page that opts in) follow, by path, in a shard of their own."""
    pages = [(urls.notice(notice), f"gazette-{issue.year}") for issue in reversed(content.gazette.issues)
             for notice in issue.notices]
    pages += [(urls.chapter(book, chapter), "yearbook") for book in sorted(content.yearbooks, key=lambda b: -b.year)
              for language in LANGUAGES for chapter in book.chapters_in(language)]
    pages += [(urls.agency(agency), "directory") for agency in content.directory.agencies]
    return {urls.built_file(page): (rank, shard) for rank, (page, shard) in enumerate(pages)}


class _Unmade:
    """A :class:`_Source`'s document not made yet (None is a page with nothing to index)."""


class _Source:
    """A page to index: its path (relative to the site), what it is made from (the built page, or an
    English record), the URL Pagefind gives it (None: its path's) and the language of that HTML. A
    built page known from an earlier build (:func:`shards`) is given by its ``file``, its ``digest``
    and ``size``, and read only if its document is wanted. ``digest``: what names the page in the
    search cache (a hash of its language and bytes); ``document``: its indexing document, when
    already made."""

    __slots__ = ("path", "_data", "url", "language", "digest", "size", "file", "_document")

    def __init__(self, path: str, data: bytes | None, url: str | None, language: str, *,
                 digest: str | None = None, size: int = 0, file: str | None = None,
                 document: str | None | type[_Unmade] = _Unmade):
        self.path, self._data, self.url, self.language, self.file = path, data, url, language, file
        self._document = document
        if data is not None:
            self.digest = digest or _page_digest(language, data)
            self.size = len(data)
        else:
            assert digest is not None and file is not None
            self.digest, self.size = digest, size

    @property
    def data(self) -> bytes:
        """The page's bytes: a built page's read from its file each time, not kept (issue 12, goal 5:
        the whole site's pages held at once took 230 MB of the stage at 10,000 notices)."""
        if self._data is None:
            assert self.file is not None
            return Path(self.file).read_bytes()  # a str until read: 17,000 Paths made took 0.2 s of every build (issue 12)
        return self._data

    def document(self) -> str | None:
        if isinstance(self._document, str) or self._document is None:
            return self._document
        return indexing_document(self.data.decode("utf-8"), self.language)


def _page_digest(language: str, data: bytes) -> str:
    """What names a page in the search cache: a hash of its language and bytes."""
    return hashlib.sha256(language.encode() + b"\0" + data).hexdigest()


#: The fields of a page's entry in ``pages.json`` (:func:`shards`).
_ENTRY = 6


def _built_pages(site: Path) -> dict[str, tuple[str, os.stat_result]]:
    """Every HTML page of the built site, by its path relative to the site: its file and status.
    Walked with ``os.scandir`` (a folder's entries say which are folders without a call of their
    own), the names joined as strings: at 12,700 pages ``os.walk`` with a ``Path`` and a ``relpath``
    per page took a third of a second of every build (issue 12)."""
    found: dict[str, tuple[str, os.stat_result]] = {}
    todo = [(os.fspath(site), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.name.endswith(".html") and entry.is_file():
                    found[prefix + entry.name] = (entry.path, entry.stat())
    return found


def shards(content: Content, site: Path, cache: Path | None = None) -> list[tuple[str, list[_Source]]]:
    """The indexable pages of the site built in ``site`` and the English records, in :func:`index_order`,
    cut into shards (runs of consecutive pages of one shard name). ``cache``: the search cache's folder,
    where ``pages.json`` keeps, for each page of the last build, its file's size, modification time,
    inode and device, and the page's digest and language (None: not indexed): a page whose file has
    all four as before is not read again. (The website stage writes a page it did not render again as
    a hard link to its cache's file, and a page it renders as a new file; a file's status changes when
    its bytes do, so the digest stays the page's. Each page's footer shows its own last update, not
    the site's (website/pages/dated.py), so a new issue leaves the archive's files as they were, and
    this stage reads none of them: issue 12.)"""
    order = index_order(content)
    memo_path = cache / "pages.json" if cache is not None else None
    known: dict[str, list] = {}
    if memo_path is not None:
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(memo_path.read_bytes())
            known = stored if isinstance(stored, dict) else {}
    memo: dict[str, list] = {}
    sources: list[tuple[str, _Source]] = []
    pages = _built_pages(site)
    for name in sorted(pages, key=lambda name: (order.get(name, (len(order), ""))[0], name)):
        path, status = pages[name]
        stamp = [status.st_size, status.st_mtime_ns, status.st_ino, status.st_dev]
        entry = known.get(name)
        if isinstance(entry, list) and len(entry) == _ENTRY and entry[:4] == stamp:
            digest, language = entry[4], entry[5]
            source = None if language is None else _Source(name, None, None, language, digest=digest, size=stamp[0], file=path)
            memo[name] = entry
        else:
            data = Path(path).read_bytes()
            source = None
            if b"data-pagefind-body" in data:
                found = _LANG.search(data.decode("utf-8", "replace")[:2000])
                language = found[1] if found else "unknown"
                source = _Source(name, None, None, language, digest=_page_digest(language, data), size=len(data),
                                 file=path)  # its bytes read again if its document is wanted
            memo[name] = [*stamp, *((source.digest, source.language) if source else (None, None))]
        if source is not None:
            sources.append((order.get(name, (0, "other"))[1], source))
    if memo_path is not None and memo != known:
        _write(memo_path, json.dumps(memo, separators=(",", ":")).encode("utf-8"))
    sources += [("english", _Source(path, record.encode("utf-8"), url, search_english.LANGUAGE))
                for path, record, url in search_english.records(content)]
    return [piece for shard, group in itertools.groupby(sources, key=lambda s: s[0])
            for piece in _pieces(shard, [source for _, source in group])]


#: A gazette year's pages are indexed in pieces of about this many bytes of built pages: Pagefind's
#: memory grows with the words of a run (about 370 bytes a word given, on the real notices), and a
#: year of a daily gazette is thousands of notices (README, "Search").
SHARD_BYTES = 4 << 20


#: The English records (:mod:`search_english`, a notice's English title and metadata: short, dense
#: text) are cut into pieces of this many bytes, so that a new issue's records run Pagefind over a
#: small piece (about 1,000 records; 0.5 s on the 2-core machine) instead of every record.
ENGLISH_SHARD_BYTES = 1 << 20


def _pieces(shard: str, sources: list[_Source]) -> list[tuple[str, list[_Source]]]:
    """A gazette year's pages (newest first) cut into pieces of :data:`SHARD_BYTES`, counted from its
    oldest page, so that a new issue leaves every piece but the newest as it was (and cached); the
    English records (oldest first) likewise, in pieces of :data:`ENGLISH_SHARD_BYTES`."""
    if shard.startswith("gazette-"):
        oldest_first, limit = sources[::-1], SHARD_BYTES
    elif shard == "english":
        oldest_first, limit = sources, ENGLISH_SHARD_BYTES
    else:
        return [(shard, sources)]
    pieces: list[list[_Source]] = []
    piece: list[_Source] = []
    size = 0
    for source in oldest_first:
        piece.append(source)
        size += source.size
        if size >= limit:
            pieces.append(piece)
            piece, size = [], 0
    if piece:
        pieces.append(piece)
    if shard == "english":
        return [(f"{shard}.{number}", piece) for number, piece in enumerate(pieces)]
    return [(f"{shard}.{number}", piece[::-1]) for number, piece in reversed(list(enumerate(pieces)))]


def index_site(content: Content, out: Path, cache: Path | None = None) -> Path:
    """The search-index stage: index the website built in ``out`` with Pagefind, in :func:`index_order`;
    its bundle, made canonical and then smaller to download (:mod:`search_transfer`), goes to
    ``out/pagefind/``, which is returned. ``cache``: the folder of the search cache (``.cache/search/``
    of the project; None: none)."""
    cut = shards(content, out, cache)
    bundle = out / "pagefind"
    # smaller to download, and the results page told which index chunks are large (search_transfer.py)
    Index(out, cache).place(cut, bundle, lambda files: search_transfer.for_transfer(
        files, search_transfer.Memo(cache / "transfer" if cache else None, search_transfer.machine_cache())))
    log.info("indexed %d pages for search in %d shards", sum(len(sources) for _, sources in cut), len(cut))
    return bundle


def _checked(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle's files, if it is one that can be published."""
    if "pagefind.js" not in files:
        raise BuildError("Pagefind failed to index the site: its bundle has no pagefind.js")
    for name in files:  # as strings: a PurePosixPath per name took 0.1 s of every build at 17,000 files (issue 12)
        if not name or name.startswith("/") or ".." in name.split("/"):
            raise BuildError(f"Pagefind named a file outside its bundle: {name}")
    return files


def _transfer_version() -> str:
    """What the published bundle follows from besides the merged one: search_transfer's code and Zopfli's version."""
    from importlib import metadata

    digest = hashlib.sha256(Path(search_transfer.__file__).read_bytes())
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(f"zopfli {metadata.version('zopfli')}".encode())
    return digest.hexdigest()


def _code_version() -> str:
    """What a shard's bundle follows from besides its pages: Pagefind's version and this code."""
    from importlib import metadata

    digest = hashlib.sha256()
    for distribution in ("pagefind", "pagefind_bin_extended", "cbor2"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{distribution} {metadata.version(distribution)}\n".encode())
    for module in (__file__, pagefind_bundle.__file__, search_english.__file__, Path(__file__).parent.parent / "markup" / "cjk.py"):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


class _Parts:
    """A shard's parts, by language (:class:`pagefind_bundle.Part`), and its bundle's other files (the
    program and its interface files), by name: their SHA-256 (the files are kept in ``program/``)."""

    def __init__(self, parts: dict[str, pagefind_bundle.Part], program: dict[str, str]):
        self.parts, self.program = parts, program

    def fields(self) -> dict[str, list[str]]:
        return {language: part.fields for language, part in self.parts.items()}

    def read_for(self, unions: dict[str, list[str]]) -> bool:
        """Whether the parts' postings are numbered in these metadata fields."""
        return all(part.union == unions.get(language) for language, part in self.parts.items())

    def dumps(self) -> bytes:
        data = [part.dumps() for part in self.parts.values()]
        head = json.dumps({"program": self.program, "parts": [[language, len(d)] for language, d in zip(self.parts, data, strict=True)]})
        body = b"".join([head.encode("utf-8"), b"\n", *data])
        return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body

    @classmethod
    def loads(cls, data: bytes) -> _Parts:
        """Raises ValueError (or KeyError, TypeError) if ``data`` is not a whole, undamaged dump."""
        digest, _, body = data.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
            raise ValueError("damaged")
        head, _, rest = body.partition(b"\n")
        about = json.loads(head)
        parts, at = {}, 0
        for language, size in about["parts"]:
            parts[language] = pagefind_bundle.Part.loads(rest[at:at + size])
            at += size
        if at != len(rest):
            raise ValueError("not whole")
        return cls(parts, dict(about["program"]))


class Index:
    """The search index in shards (issue 12). Each shard (a year of the gazette, the yearbook, the
    directory, the English records, any other page) is indexed by its own Pagefind run, two at a time
    (two cores), and the runs' parts are merged into one bundle (:func:`pagefind_bundle.merge_parts`),
    which is byte for byte the bundle one run over all the pages would give. With a cache folder:

    - ``shards/<key>.bundle``: a run's bundle, under a hash of Pagefind's version, this code and the
      shard's pages (path, URL, language and bytes of each), so a new issue runs Pagefind over its
      year only and the other shards come from the cache;
    - ``documents/<shard>.json``: each page's indexing document, under a hash of its bytes, so a
      shard that runs again parses only its new or changed pages;
    - ``parts/<key>.part`` and ``program/``: each run read for merging (:class:`pagefind_bundle.Part`),
      and the bundle's program files, so a run is decoded once;
    - ``groups/``: stretches of shards that did not change, each combined into one part (:meth:`_merged`);
    - ``blobs/`` and ``published/<key>.json``: the files the last build published (:meth:`place`),
      so a build where no shard changed neither merges nor writes, and one where some did writes
      only its new files;
    - ``merged/<key>.bundle``: the last merged bundle, for :meth:`bundle` called alone (the tests).

    Each build keeps only what it used. Removing the folder only makes the next build slower; a
    damaged file is made again (see README, "The search stage after one new issue")."""

    WORKERS = 2

    #: The pages of the shards to read for merging from which they are read by a worker process per
    #: core (:meth:`_merged`): fewer are read here, where a fork would cost more than it saves.
    PARALLEL_PAGES = 1000

    def __init__(self, cwd: Path, cache: Path | None = None):
        self.cwd, self.cache = cwd, cache
        self.version = _code_version()
        self.peaks: dict[str, int] = {}  # shard -> peak memory of its Pagefind run (bytes)
        self.programs: dict[str, bytes] = {}  # SHA-256 -> a program file of the bundle
        self.checked: set[str] = set()  # the program files found whole in the cache, or written, in this build
        self.made: dict[str, str | None] = {}  # digest -> a page's indexing document made ahead (_make_documents)
        self.kept: dict[str, dict[str, str | None]] = {}  # shard -> its documents read from the cache by _make_documents

    def place(self, cut: list[tuple[str, list[_Source]]], folder: Path,
              transform: Callable[[dict[str, bytes]], dict[str, bytes]] = lambda files: files) -> None:
        """The bundle of the shards ``cut``, changed by ``transform`` (the same bundle gives the same
        files), as files in ``folder``. With a cache, the files of the last build are kept in
        ``blobs/`` (named by their SHA-256, listed by ``published/<key>.json`` under the shards' keys
        and the transform's code), and placed as hard links (a copy where links are refused): a build
        where no shard changed neither merges nor writes a file's bytes, and one where some did writes
        only the files that are new (the index chunks; not the fragments of the pages that did not change)."""
        keys = [self._key(sources) for _, sources in cut]
        key = hashlib.sha256("\n".join([self.version, _transfer_version(), "placed", *keys]).encode()).hexdigest()
        listing = self._published(key)
        if listing is None:
            files = _checked(transform(self.bundle(cut, keep=False)))
            listing = self._publish(key, files)
        else:
            log.info("search: no shard changed (%d shards)", len(cut))
            self._prune(keys, [shard for shard, _ in cut], "")
            files = {}
        made: set[str] = set()
        for name, source in listing:
            target = os.path.join(folder, name)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            if source is None:
                with open(target, "wb") as file:
                    file.write(files[name])
                continue
            try:
                os.link(source, target)
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(source, target)

    def _published(self, key: str) -> list[tuple[str, str | None]] | None:
        """The files of the bundle placed under ``key`` (name, blob), if the list and every blob are there."""
        if self.cache is None:
            return None
        try:
            listed = json.loads((self.cache / "published" / f"{key}.json").read_bytes())
            blobs = self.cache / "blobs"
            listing: list[tuple[str, str | None]] = []
            for name, digest, size in listed:
                source = os.path.join(blobs, digest)
                if os.stat(source).st_size != size:
                    return None
                listing.append((name, source))
            _checked(dict.fromkeys((name for name, _ in listing), b""))
        except (OSError, ValueError, TypeError, BuildError):
            return None
        return listing

    def _publish(self, key: str, files: dict[str, bytes]) -> list[tuple[str, str | None]]:
        """Keeps the files as blobs (those not kept already) and their list under ``key``; returns
        (name, blob) of each file, the blob None without a cache."""
        if self.cache is None:
            return [(name, None) for name in sorted(files)]
        blobs = self.cache / "blobs"
        blobs.mkdir(parents=True, exist_ok=True)
        kept = {entry.name: entry.stat().st_size for entry in os.scandir(blobs)}
        listing: list[tuple[str, str | None]] = []
        listed = []
        for name in sorted(files):
            data = files[name]
            digest = hashlib.sha256(data).hexdigest()
            if kept.get(digest) != len(data):  # not kept, or not whole
                _write_blob(blobs, digest, data)
                kept[digest] = len(data)
            listing.append((name, os.path.join(blobs, digest)))
            listed.append([name, digest, len(data)])
        _write(self.cache / "published" / f"{key}.json", json.dumps(listed, ensure_ascii=False).encode("utf-8"))
        used = {digest for _, digest, _ in listed}
        for folder, keep in (("blobs", used), ("published", {f"{key}.json"})):
            for path in (self.cache / folder).iterdir():
                if path.name not in keep:
                    with contextlib.suppress(OSError):
                        path.unlink()
        return listing

    def bundle(self, cut: list[tuple[str, list[_Source]]], keep: bool = True) -> dict[str, bytes]:
        """The canonical bundle of the shards ``cut``; with ``keep``, kept in the cache for a build
        where no shard changed (:meth:`place` keeps its own files instead)."""
        keys = [self._key(sources) for _, sources in cut]
        merged_key = hashlib.sha256("\n".join([self.version, *keys]).encode()).hexdigest()
        if keep and (kept := self._cached(merged_key, "merged")) is not None:  # no shard changed: the last merge
            self._prune(keys, [shard for shard, _ in cut], merged_key)
            log.info("search: no shard changed (%d shards)", len(cut))
            return kept[0]
        try:
            files = self._merged(cut, keys)
        except (pagefind_bundle.FormatError, KeyError, IndexError, TypeError) as exc:
            log.warning("search: the shards' bundles could not be merged (%s); indexing the site in one run", exc)
            everything = [source for _, sources in cut for source in sources]
            files, sorts = self._run("everything", everything)
            files = canonical(files, sorts=sorts)
        if keep:
            self._store(merged_key, (files, {}), "merged")
        self._prune(keys, [shard for shard, _ in cut], merged_key if keep else "")
        return files

    def _merged(self, cut: list[tuple[str, list[_Source]]], keys: list[str], grouped: bool = True) -> dict[str, bytes]:
        """The shards' parts (:class:`pagefind_bundle.Part`, cached in ``parts/``), merged. A shard without
        a part is read from its run's bundle (cached in ``shards/``, else run by Pagefind); so is one whose
        part was read for other metadata fields than the union of every shard's.

        Groups (``groups/``): a stretch of consecutive shards of one language whose parts did not change
        in a build is kept as one part (:func:`pagefind_bundle.combine`), under its shards' keys, and
        used instead of their parts while they stay as they are: a new issue then merges its shard's
        part, the directory's and the English records' with one group of the older gazette (about 5 parts
        instead of 70, the index's 70,000 words once rather than once a shard)."""
        groups = self._groups(keys) if grouped else {}
        inside = {j for start, (members, _, _) in groups.items() for j in range(start, start + len(members))}
        parts: list[_Parts | None] = [None if i in inside else self._parts(key) for i, key in enumerate(keys)]
        # The shards' runs are kept in the cache (``shards/``) and read back one at a time when their parts
        # are read, not held together (issue 12, goal 5: at 50,000 notices the runs of every shard, the
        # pages' texts in their fragments, took 1.6 GB of the build's 3.6 GB); without a cache folder, held.
        runs: dict[int, tuple[dict[str, bytes], dict[str, list[dict[str, str]]]]] = {}
        languages: dict[int, dict[str, list[str]]] = {}  # each run's languages and their metadata fields

        def held(i: int, run: tuple[dict[str, bytes], dict[str, list[dict[str, str]]]]) -> None:
            languages[i] = pagefind_bundle.languages(run[0])
            if self.cache is None:
                runs[i] = run

        def run_of(i: int) -> tuple[dict[str, bytes], dict[str, list[dict[str, str]]]]:
            """Shard ``i``'s run: held, else read back from the cache, else (a cache that lost it) run again."""
            if i in runs:
                return runs.pop(i)
            if (run := self._cached(keys[i])) is None:
                run = self._run(*cut[i])
                self._store(keys[i], run)
            return run

        def need(wanted: list[int]) -> None:
            """The runs of the shards ``wanted``: from the cache, else Pagefind's, two at a time."""
            for i in wanted:
                if i not in languages and (run := self._cached(keys[i])) is not None:
                    held(i, run)
            todo = [i for i in wanted if i not in languages]
            for batch in _batches(todo, [len(cut[i][1]) for i in todo], self.PARALLEL_PAGES * 4):
                self._make_documents([cut[i] for i in batch])
                with ThreadPoolExecutor(self.WORKERS) as pool:
                    for i, run in zip(batch, pool.map(lambda i: self._run(*cut[i]), batch), strict=True):
                        self._store(keys[i], run)
                        held(i, run)
            if todo:
                log.info("search: Pagefind ran over %d of %d shards (%s; peak memory %.0f MB)", len(todo), len(cut),
                         ", ".join(cut[i][0] for i in todo), max(self.peaks.get(cut[i][0], 0) for i in todo) / 2**20)

        need([i for i, found in enumerate(parts) if found is None and i not in inside])
        fields: dict[str, set[str]] = {}
        for _, _, group in groups.values():
            for language, own in group.fields().items():
                fields.setdefault(language, set()).update(own)
        for i, found in enumerate(parts):
            if i not in inside:
                for language, own in (found.fields() if found is not None else languages[i]).items():
                    fields.setdefault(language, set()).update(own)
        unions = {language: sorted(own) for language, own in fields.items()}
        if not all(group.read_for(unions) for _, _, group in groups.values()):
            return self._merged(cut, keys, grouped=False)  # a field new to the index: every part is read again
        stale = [i for i, found in enumerate(parts) if i not in inside and (found is None or not found.read_for(unions))]
        need(stale)

        def read(i: int) -> tuple[_Parts, dict[str, bytes]]:
            """Shard ``i``'s parts, read from its run, and its program files."""
            files, sorts = run_of(i)
            program_files = pagefind_bundle.program([files])
            return (_Parts(pagefind_bundle.read_parts(files, sorts, unions),
                           {name: hashlib.sha256(data).hexdigest() for name, data in program_files.items()}), program_files)

        # Reading a run decodes all of its CBOR in Python (about half a second a shard of 4 MB of
        # pages), so a full build reads its shards in a worker process per core, in batches (the parts
        # a worker sends back, as bytes, held at once stay bounded at 50,000 notices), issue 12; a
        # build after one new issue reads two or three shards, here.
        sizes = [len(cut[i][1]) for i in stale]
        shares = workers.cores()
        here = sum(sizes) < self.PARALLEL_PAGES or shares < 2
        for i in stale if here else []:
            found, program_files = read(i)
            parts[i] = found
            self._keep_parts(keys[i], found, program_files)
        for batch in [] if here else _batches(stale, sizes, self.PARALLEL_PAGES * 4):
            def in_worker(share: int, batch: list[int] = batch, shares: int = min(shares, len(batch))) \
                    -> list[tuple[int, bytes, dict[str, bytes]]] | Exception:
                try:
                    return [(i, found.dumps(), program_files) for i in batch[share::shares] for found, program_files in [read(i)]]
                except (pagefind_bundle.FormatError, KeyError, IndexError, TypeError) as exc:
                    return exc  # raised here, where bundle() indexes the site in one run instead
            for done in workers.forked(in_worker, min(shares, len(batch)), "reading the search index's shards", here=True):
                if isinstance(done, Exception):
                    raise done
                for i, dumped, program_files in done:
                    parts[i] = found = _Parts.loads(dumped)
                    self._keep_parts(keys[i], found, program_files, dumped)
        # what is merged, in order: (the shards' keys, their parts, whether they are as in the last build)
        items: list[tuple[list[str], _Parts, bool]] = []
        for i, found in enumerate(parts):
            if i in groups:
                members, _, group = groups[i]
                items.append((members, group, True))
            elif i not in inside:
                assert found is not None
                items.append(([keys[i]], found, i not in stale))
        items = self._grouped(items)
        log.info("search: %d of %d shards read for merging, %d parts merged", len(stale), len(cut), len(items))
        by_language: dict[str, list[pagefind_bundle.Part]] = {}
        program: dict[str, bytes] = {}
        for _, found, _ in items:
            for language, part in found.parts.items():
                by_language.setdefault(language, []).append(part)
            for name, digest in found.program.items():
                if name not in program:
                    program[name] = self._program_file(digest)
        memo = self._lone_memo()
        files = pagefind_bundle.merge_parts(by_language, program, memo)
        self._keep_lone_memo(memo)
        return files

    #: The lone keys' capped postings, by the postings they are capped from (pagefind_bundle._capped_piece).
    LONE_MEMO = "lone.memo"

    def _lone_memo(self) -> _Used:
        """The capped postings of the lone keys kept by the last build (``lone.memo``): an unchanged
        part (the group of the older gazette) gives the same postings, so a new issue caps only its
        own part's and the directory's (issue 12). Checked by a SHA-256 of its bytes and kept for
        this code only; anything else is an empty memo."""
        memo = _Used()
        if self.cache is None:
            return memo
        try:
            data = (self.cache / self.LONE_MEMO).read_bytes()
            digest, _, body = data.partition(b"\n")
            if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
                return memo
            version, entries = pickle.loads(body)  # a cache of this project, trusted as its code is (reading/memo.py)
            if version == self.version and isinstance(entries, dict):
                memo.update(entries)
        except (OSError, ValueError, TypeError, pickle.UnpicklingError, EOFError):
            pass
        memo.loaded = set(memo)
        return memo

    def _keep_lone_memo(self, memo: _Used) -> None:
        """Keep the entries this merge used (and only those), when they are not what was kept."""
        if self.cache is None or memo.used == memo.loaded:
            return
        body = pickle.dumps((self.version, {key: memo[key] for key in memo.used}), protocol=pickle.HIGHEST_PROTOCOL)
        _write(self.cache / self.LONE_MEMO, hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)

    def _groups(self, keys: list[str]) -> dict[int, tuple[list[str], str, _Parts]]:
        """The kept groups whose shards are consecutive shards of ``keys``, by the place of their first:
        (the shards' keys, the group's key, its parts)."""
        if self.cache is None:
            return {}
        try:
            listed = json.loads((self.cache / "groups" / "groups.json").read_bytes())
        except (OSError, ValueError):
            return {}
        at = {key: i for i, key in enumerate(keys)}
        found: dict[int, tuple[list[str], str, _Parts]] = {}
        taken: set[int] = set()
        for entry in listed if isinstance(listed, list) else []:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list) and entry[1]):
                continue
            key, members = entry
            start = at.get(members[0])
            if start is None or keys[start:start + len(members)] != members or taken & set(range(start, start + len(members))):
                continue
            if (group := self._parts(str(key), "groups")) is not None:
                found[start] = (members, str(key), group)
                taken.update(range(start, start + len(members)))
        return found

    def _grouped(self, items: list[tuple[list[str], _Parts, bool]]) -> list[tuple[list[str], _Parts, bool]]:
        """``items`` with each stretch of two or more that did not change, of one language, combined
        into a group, kept in the cache (the groups not used are removed)."""
        out: list[tuple[list[str], _Parts, bool]] = []
        stretch: list[tuple[list[str], _Parts, bool]] = []
        made: set[int] = set()  # the groups made here (the others were read whole from the cache)

        def close() -> None:
            if len(stretch) < 2:
                out.extend(stretch)
            else:
                members = [key for keys, _, _ in stretch for key in keys]
                (language,) = stretch[0][1].parts
                program: dict[str, str] = {}
                for _, found, _ in stretch:
                    program = {**found.program, **program}
                combined = _Parts({language: pagefind_bundle.combine([found.parts[language] for _, found, _ in stretch])}, program)
                out.append((members, combined, True))
                made.add(id(combined))
            stretch.clear()

        for item in items:
            _, found, unchanged = item
            if not (unchanged and len(found.parts) == 1 and (not stretch or stretch[0][1].parts.keys() == found.parts.keys())):
                close()
            if unchanged and len(found.parts) == 1:
                stretch.append(item)
            else:
                out.append(item)
        close()
        if self.cache is not None:
            listed = []
            for members, found, _ in out:
                if len(members) > 1:
                    key = hashlib.sha256("\n".join([self.version, *members]).encode()).hexdigest()
                    if id(found) in made:
                        _write(self.cache / "groups" / f"{key}.part", found.dumps())
                    listed.append([key, members])
            _write(self.cache / "groups" / "groups.json", json.dumps(listed).encode("utf-8"))
            kept = {f"{key}.part" for key, _ in listed} | {"groups.json"}
            for path in (self.cache / "groups").iterdir():
                if path.name not in kept:
                    with contextlib.suppress(OSError):
                        path.unlink()
        return out

    def _key(self, sources: list[_Source]) -> str:
        digest = hashlib.sha256(self.version.encode())
        for source in sources:
            digest.update(json.dumps([source.path, source.url, source.digest]).encode())
        return digest.hexdigest()

    def _run(self, shard: str, sources: list[_Source]) -> tuple[dict[str, bytes], dict[str, list[dict[str, str]]]]:
        """Pagefind over one shard: its bundle, and each language's pages' sort values in order."""
        known = self.kept.pop(shard) if shard in self.kept else self._documents(shard)
        documents = []
        for source in sources:
            if source.digest not in known:
                known[source.digest] = self.made.pop(source.digest) if source.digest in self.made else source.document()
            if (document := known[source.digest]) is not None:
                documents.append((source.path, document, source.url))
        self._keep_documents(shard, {source.digest: known[source.digest] for source in sources})
        sorts: dict[str, list[dict[str, str]]] = {}
        for path, document, _ in documents:
            language = _LANG.search(document)
            values = dict(html.unescape(value).partition(":")[::2] for value in _SORT.findall(document))
            if "date" in values:  # the page is named by its date instead: the results page sorts by it
                values[pagefind_bundle.NAME] = page_name(path, values.pop("date"))
            sorts.setdefault(language[1].lower() if language else "unknown", []).append(values)
        service = _Service(cwd=self.cwd)
        _, files = service.index((path, document, url) if url else (path, document) for path, document, url in documents)
        self.peaks[shard] = service.peak
        return files, sorts

    def _make_documents(self, cut: list[tuple[str, list[_Source]]]) -> None:
        """The indexing documents the shards ``cut`` lack (neither cached nor made), made by a worker
        process per core into :attr:`made` when there are :data:`PARALLEL_PAGES` or more: parsing a
        page and cutting its text into words is Python, which the threads that run Pagefind share one
        core for (issue 12: at 10,030 notices 25 s of the stage's 47). Fewer are made by :meth:`_run`."""
        shares = workers.cores()
        if sum(len(sources) for _, sources in cut) < self.PARALLEL_PAGES or shares < 2:
            return  # too few at most: _run makes them (and reads the shards' kept documents once)
        for shard, _ in cut:
            self.kept[shard] = self._documents(shard)  # read once: _run takes them from here
        missing = [source for shard, sources in cut for source in sources
                   if source.digest not in self.kept[shard] and source.digest not in self.made]
        if len(missing) < self.PARALLEL_PAGES:
            return

        def make(share: int) -> list[tuple[str, str | None]]:
            return [(source.digest, source.document()) for source in missing[share::shares]]

        for made in workers.forked(make, shares, "making the search index's documents", here=True):
            self.made.update(made)

    # -- the cache ----------------------------------------------------------------------------------

    def _documents(self, shard: str) -> dict[str, str | None]:
        if self.cache is None:
            return {}
        path = self.cache / "documents" / f"{shard}.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stored.get("documents", {}) if isinstance(stored, dict) and stored.get("version") == self.version else {}

    def _keep_documents(self, shard: str, documents: dict[str, str | None]) -> None:
        if self.cache is not None:
            _write(self.cache / "documents" / f"{shard}.json",
                   json.dumps({"version": self.version, "documents": documents}, ensure_ascii=False).encode("utf-8"))

    def _parts(self, key: str, folder: str = "parts") -> _Parts | None:
        """A shard's parts (or a group's) from the cache, with its program files (None if anything is
        missing or damaged)."""
        if self.cache is None:
            return None
        try:
            found = _Parts.loads((self.cache / folder / f"{key}.part").read_bytes())
            for digest in found.program.values():
                self._program_file(digest)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        return found

    def _keep_parts(self, key: str, parts: _Parts, program: dict[str, bytes], dumped: bytes | None = None) -> None:
        """Keeps a shard's parts (``dumped``: their :meth:`_Parts.dumps`, when made already) and program files."""
        self.programs.update({hashlib.sha256(data).hexdigest(): data for data in program.values()})
        if self.cache is None:
            return
        for digest in parts.program.values():
            if digest not in self.checked:  # not read whole from the cache in this build
                _write(self.cache / "program" / digest, self.programs[digest])
                self.checked.add(digest)
        _write(self.cache / "parts" / f"{key}.part", dumped or parts.dumps())

    def _program_file(self, digest: str) -> bytes:
        """A program file by its SHA-256, from memory or the cache (checked); raises ValueError if damaged."""
        if digest not in self.programs:
            assert self.cache is not None
            data = (self.cache / "program" / digest).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(f"damaged program file {digest}")
            self.programs[digest] = data
            self.checked.add(digest)
        return self.programs[digest]

    def _cached(self, key: str, folder: str = "shards") -> tuple[dict[str, bytes], dict[str, list[dict[str, str]]]] | None:
        if self.cache is None:
            return None
        try:
            data = (self.cache / folder / f"{key}.bundle").read_bytes()
            head, _, body = data.partition(b"\n")
            about = json.loads(head)
            files, at = {}, 0
            for name, size in about["files"]:
                files[name] = body[at:at + size]
                at += size
            if at != len(body) or hashlib.sha256(body).hexdigest() != about["sha256"]:
                return None  # damaged
            return files, about["sorts"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not there, or not whole: run the shard again

    def _store(self, key: str, run: tuple[dict[str, bytes], dict[str, list[dict[str, str]]]], folder: str = "shards") -> None:
        if self.cache is None:
            return
        files, sorts = run
        names = sorted(files)
        body = b"".join(files[n] for n in names)
        head = json.dumps({"files": [[name, len(files[name])] for name in names], "sorts": sorts,
                           "sha256": hashlib.sha256(body).hexdigest()}, ensure_ascii=False)
        _write(self.cache / folder / f"{key}.bundle", b"".join([head.encode("utf-8"), b"\n", body]))

    def _prune(self, keys: list[str], names: list[str], merged: str) -> None:
        if self.cache is None:
            return
        for folder, kept in (("shards", {f"{key}.bundle" for key in keys}), ("documents", {f"{n}.json" for n in names}),
                             ("merged", {f"{merged}.bundle"}), ("parts", {f"{key}.part" for key in keys}),
                             ("program", set(self.programs))):
            if folder == "program" and not self.programs:  # no merge in this build: the parts were not read
                continue
            for path in (self.cache / folder).glob("*"):
                if path.name not in kept:
                    with contextlib.suppress(OSError):
                        path.unlink()


_SORT = re.compile(r'data-pagefind-sort="([^"]*)"')


def _batches(items: list[int], sizes: list[int], limit: int) -> list[list[int]]:
    """``items`` in order, cut into runs whose ``sizes`` add up to about ``limit`` (an item larger than
    that alone): the shards whose documents are made, then run by Pagefind, together, so that the
    documents held at once stay bounded (issue 12, goal 5: 50,000 notices)."""
    return [[items[index] for index in run] for run in workers.runs(sizes, limit)]


def page_name(path: str, date: str) -> str:
    """The name a dated page is published under in the search bundle (pagefind_bundle.NAME): its date,
    then its address, ``20260305-2026-03-05`` for the notice gazette/2026/03/05/ of 2026-03-05,
    ``20261231-yearbook-2026-economy`` for a yearbook's chapter, ``20260305-en-gazette-2026-03-05`` for a
    notice's English record.

    Why (issue 14, goal 2): Pagefind names a page's fragment by a hash of it, 5 characters that do not
    compress, and keeps the pages' order by date as a sort of page numbers that hardly compress
    either: at 10,108 notices about 32 and 21 KB of the page list every first query downloads. A
    name that says when and where the page is compresses against its neighbour's (the pages of an
    issue are given in order) and lets the results page order results newest first by their names
    (search.js, ``newestFirst()``): the date, then the rest of the name by its numbers, so a day's
    notices come in the issue's order.

    What it changes for caches: a page keeps its name when its fragment changes (a correction), as
    the page itself keeps its address; a browser that kept the fragment may show the earlier title
    and summary until it asks again. So the fragments and texts of the bundle must not be served as
    immutable (README, "Search"). A name is never another page's: the address is the page's for good
    (DESIGN.md, "permalinks never change"), and a date that changes makes a new name."""
    folders = path.removesuffix("index.html").strip("/").split("/")
    if folders[0] == "gazette":  # the notices, nearly every page: their address without the folder
        folders = folders[1:]
    return "-".join([date.replace("-", ""), *folders])


class _Used(dict):
    """A memo that knows which of its entries were asked for or added (``used``) and which it was
    loaded with (``loaded``)."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set = set()
        self.loaded: set = set()

    def get(self, key, default=None):
        if key in self:
            self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key, value) -> None:
        self.used.add(key)
        super().__setitem__(key, value)


def _write_blob(folder: Path, name: str, data: bytes) -> None:
    """A blob (named by its SHA-256, so no other build writes another file of that name) written whole
    or not at all: a temporary file of this process renamed, readable by the web server (0644: it is
    published as it is). What :func:`_write` does, without a ``NamedTemporaryFile`` for each of the
    600 new index chunks and fragments of a new issue (issue 12)."""
    temporary = os.path.join(folder, f".{name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        with open(descriptor, "wb", closefd=True) as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # whatever the umask
        os.replace(temporary, os.path.join(folder, name))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _Service:
    """Pagefind's indexing service (``pagefind_extended --service``: base64 JSON messages, each ended by a
    comma, over stdin and stdout), the protocol of Pagefind's own Python and Node APIs.

    Why not the CLI: it walks the folder in the file system's order (ext4 and tmpfs give different
    orders), and a page's number in the index follows that order; the service numbers pages in the
    order they are sent (:func:`index_order`). Why not Pagefind's Python API: it waits 0.1 s for each
    answer (17 minutes for 10,000 notices). The bundle is asked for in memory (``GetFiles``) and written here: with
    ``WriteFiles`` the service answers before its last writes reach the disk, and it exits as soon as
    its input closes, so files came out truncated. Requests are written by a thread (which also
    segments the pages) while this one reads the answers, so neither pipe fills up; the service
    handles them one by one, in order.
    """

    TIMEOUT = 1800  # seconds for the whole index

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.sent: dict[int, str] = {}  # message id -> what it asked (for errors)
        self.failure: BaseException | None = None
        self.expired = False
        self.peak = 0  # the service's peak memory (VmHWM, bytes), once it has answered

    def _expire(self, process: subprocess.Popen) -> None:
        self.expired = True
        process.kill()

    def index(self, pages: Iterable[tuple[str, ...]]) -> tuple[int, dict[str, bytes]]:
        """Send every page, then ask for the bundle: (how many pages were indexed, the bundle's files)."""
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise BuildError("Pagefind could not run (its program is missing); install the project with `make site`")
        with tempfile.TemporaryFile() as stderr:
            try:
                process = subprocess.Popen([str(binary), "--service"], cwd=self.cwd, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=stderr)
            except OSError as exc:
                raise BuildError(f"Pagefind could not run ({exc}); install the project with `make site`") from exc
            watchdog = threading.Timer(self.TIMEOUT, self._expire, [process])
            watchdog.start()
            writer = threading.Thread(target=self._send, args=(process, pages), daemon=True)
            writer.start()
            try:
                return self._receive(process, stderr)
            finally:
                watchdog.cancel()
                self.peak = _peak_memory(process.pid)
                if process.stdin:
                    with contextlib.suppress(OSError):
                        process.stdin.close()  # the service exits when its input ends
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                writer.join()

    def _send(self, process: subprocess.Popen, pages: Iterable[tuple[str, ...]]) -> None:
        stdin = process.stdin
        assert stdin is not None
        try:
            message_id = 1
            stdin.write(_message(message_id, {"type": "NewIndex", "config": {}}))
            for path, html, *url in pages:  # a record (search_english) gives its URL; a page's is its path's
                message_id += 1
                self.sent[message_id] = path
                stdin.write(_message(message_id, {"type": "AddFile", "index_id": 0, "file_path": path,
                                                  "url": url[0] if url else None, "file_contents": html}))
            message_id += 1
            self.sent[message_id] = "the bundle"
            stdin.write(_message(message_id, {"type": "GetFiles", "index_id": 0}))
            stdin.flush()
        except BaseException as exc:  # a page that cannot be read, or Pagefind gone: _receive reports it
            self.failure = exc
            with contextlib.suppress(OSError):
                stdin.close()

    def _receive(self, process: subprocess.Popen, stderr) -> tuple[int, dict[str, bytes]]:
        stdout = process.stdout
        assert stdout is not None
        pending, indexed = bytearray(), 0
        while True:
            chunk = stdout.read1(1 << 20)  # type: ignore[attr-defined]  # a buffered pipe: read what is there
            if not chunk:
                if self.expired:
                    raise BuildError(f"Pagefind took more than {self.TIMEOUT // 60} minutes to index the site")
                if self.failure is not None and not isinstance(self.failure, BrokenPipeError):
                    raise self.failure
                stderr.seek(0)
                detail = stderr.read().decode("utf-8", "replace").strip()[-2000:]
                raise BuildError(f"Pagefind failed to index the site: {detail or 'it stopped without a word'}")
            pending += chunk
            if b"," not in chunk:  # a message ends at a comma (base64 has none)
                continue
            *messages, rest = bytes(pending).split(b",")
            pending = bytearray(rest)
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                payload = answer.get("payload", {})
                if payload.get("type") == "Error":
                    what = self.sent.get(answer.get("message_id"), "the site")
                    raise BuildError(f"Pagefind failed to index {what}: {payload.get('message')}")
                if payload.get("type") == "IndexedFile":
                    indexed += 1
                elif payload.get("type") == "GetFiles":
                    return indexed, {file["path"]: base64.b64decode(file["content"]) for file in payload["files"]}


def _peak_memory(pid: int) -> int:
    """The peak resident memory of a running process (Linux's VmHWM), in bytes; 0 if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found[1]) * 1024 if found else 0


def _message(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","
