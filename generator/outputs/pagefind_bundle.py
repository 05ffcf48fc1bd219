"""Pagefind's bundle as data: read it, make it canonical, merge the bundles of several runs into one.

The format (Pagefind 1.5.2, read from its bundles and its source, ``pagefind/src/index/``): every
``.pf_*`` file is gzip of ``pagefind_dcd`` followed by CBOR, made of integers, strings and arrays.

- ``pagefind.<hash>.pf_meta``, one per language (``pagefind-entry.json`` names it):
  ``[version, pages, index_chunks, filters, sorts, meta_fields]``: ``pages`` is ``[fragment hash,
  word count]`` per page, the page's number being its place here; ``index_chunks`` is ``[from, to,
  chunk hash]`` per word-index chunk (the shortest prefixes that tell neighbouring chunks apart);
  ``filters`` ``[name, filter hash]``; ``sorts`` ``[key, page numbers in that key's order]``;
  ``meta_fields`` the sorted names of every metadata field of the language's pages.
- ``index/<hash>.pf_index``: ``[[word, postings]…]`` sorted by word, each posting ``[page number,
  locations, metadata locations]``. Locations are word positions on the page (the place of the word
  in the fragment's text split at white space), a negative number ``-w-1`` announcing that the
  positions after it weigh ``w``: the positions of each weight together, weights in ascending order,
  each group's positions ascending as differences (the first from 0); metadata locations are
  positions in metadata fields, a negative number ``-i-1`` announcing the field ``meta_fields[i]``.
  Neither depends on the page's number.
- ``filter/<hash>.pf_filter``: ``[name, [[value, page numbers]…]]``.
- ``fragment/<hash>.pf_fragment``: the page's JSON (URL, text, metadata, filters). Its name is the
  language and the first 7 characters of the SHA-1 of that JSON (longer on a collision).

Pagefind names the files by the SHA-1 of their CBOR, in its own hex (each byte's digits unpadded),
prefixed by the language: ``und-hani_80a7337``.

:func:`merge` turns the bundles of consecutive runs (the pages of run 2 follow those of run 1 …) into
the bundle one run over all the pages would have written: pages renumbered by offset, postings and
filter values concatenated, words re-chunked with Pagefind's own rule (but for a word that fills a
chunk alone, which gets one of its own: :func:`_merge_language_parts`), sorts recomputed from the
pages' sort values (which a bundle does not keep: the caller gives them), fragments renamed with
Pagefind's collision rule. :func:`canonical` then removes what differs between two runs over the
same pages; ``tests/outputs/test_search_merge.py`` checks that the merge of N runs equals, byte for
byte, the canonical bundle of one run (where no word fills a chunk alone, as in its sites).

Positions capped (:data:`POSITIONS`, issue 14): a word's positions on a page are kept up to the first
:data:`POSITIONS` of them when a run is read (:func:`read_parts`), so a common word's index chunk holds
its pages, not its 232,000 places in long lists of companies. Every page's text is kept beside its
fragment, in pieces (``text/<fragment>.<n>.pf_text``), for the results page to check a phrase there
(past a capped word's last position, or where a common word's chunk was not fetched: :data:`TEXT_FOLDER`).
"""

from __future__ import annotations

import array
import base64
import gzip
import hashlib
import itertools
import json
import logging
import re
import struct
import sys
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import cbor2

from generator.markup.cjk import IDEOGRAPHS

log = logging.getLogger(__name__)

MAGIC = b"pagefind_dcd"

#: Pagefind versions whose bundles :func:`merge` knows (the format above); any other version's pages
#: are indexed in one run, unmerged.
MERGEABLE = frozenset({"1.5.2"})

#: Pagefind's index chunk size: a chunk is closed when the sum over its words' postings of (locations +
#: metadata locations + 1) reaches this, variants not counted (``chunk_index`` in pagefind/src/index/mod.rs;
#: checked on 1.5.2's bundles by tests/outputs/test_search_merge.py, which merges at this size).
PAGEFIND_CHUNK_SIZE = 20_000

#: The merged bundle's index chunk size, by Pagefind's rule (above) with a smaller bound. A query
#: downloads the whole chunk of each word it asks for, and the page list every first query downloads
#: holds each chunk's range: at 10,108 notices that are not copies of each other (README, "Different
#: notices, measured") a chunk of Pagefind's 20,000 places is about 36 KB, of 7,000 about 14, while the
#: page list grows from 46 to 70 KB; a query of 4 Han characters or more (2 to 4 words asked for) then
#: costs 10 to 45 KB less, one of 2 characters about the same. Decided for issue 14, goal 2 (the first
#: query of up to 8 characters within 300 KB), measured with 20,000, 10,000, 7,000 and 5,000.
CHUNK_SIZE = 7_000

#: Index chunks being compressed at once by the merge (two threads: each has the next one waiting).
COMPRESSING = 4

#: The positions of a word kept per page: the first this many, in the page's order (None: all). A word
#: found this many times on a page may be there more often; the results page (search.js,
#: ``occurrences()``) knows it as capped there: its positions prove a phrase up to the last of them,
#: and beyond that the page's text decides (:data:`TEXT_FOLDER`, :func:`read_parts`). Why a cap
#: (README, "What a first query downloads"): a chunk holds every place its words occur, and at 10,108
#: notices 公司 alone had 232,000 places in long lists of companies (its chunk 168 KB, a first query
#: 412 KB); with 100 its chunk is 19 KB (有限 131 -> 12 KB, 股份 112 -> 11 KB), and 1,253 of the 10,108
#: pages are capped (their texts, 18 MB in pieces of 1.8 KB, fetched only to check a phrase; every page
#: keeps its text since: :data:`TEXT_FOLDER`). 50
#: would save a few KB more per common word for twice the pages with a text; 200 keeps chunks of 63 KB.
#: Per word and page, whatever the word: a part (one shard's run) is then capped without knowing the
#: other shards, so an incremental build caps as a full one does (a cap for the words whose chunks are
#: large only would need the whole index's counts before any part could be read).
POSITIONS: int | None = 100

#: A word asked for alone (a query part that is one word: 第, 規定) needs its pages and how often it
#: occurs there (BM25), not where: its positions only prove phrases. A word that fills an index chunk
#: alone (its postings' size :data:`CHUNK_SIZE` or more, over the whole index) is therefore also
#: written as a *lone key* (:data:`LONE_PREFIX` + the word, ``0第``) with the first
#: :data:`LONE_POSITIONS` of its positions on each page, and listed in :data:`LONE_WORDS`; the results
#: page asks for the key where a part is that word alone (search.js, ``plan()``), for the word itself
#: in a phrase. Why (issue 14, goal 2): 第 ends a Han run before almost every number, so it is on every
#: notice, 121,674 positions at 10,108 notices even with :data:`POSITIONS`; its chunk was 99 KB and the
#: query 第 cost 342 KB. Lowering the cap of one-character words instead was measured and refused
#: (README, "Where 'any query' still fails"): on notices that are not copies of each other 第's chunk
#: stays 79 KB even at 10 positions a page, while a phrase through 第 (「第1條」) would then leave 511
#: pages to be checked against their texts (about 1 MB) instead of 21. The key is made when the parts
#: are merged (it needs the whole index's count), from the merged postings, so an incremental build
#: writes what a full one does. Only for words of Han characters: a key must never be a word of the
#: text, and :func:`generator.outputs.search.words` never writes a digit and a Han character in one
#: word (a key that is already a word, from a metadata value, is not made, and its word not listed).
LONE_PREFIX = "0"

#: Positions per page kept in a lone key (above): 3 keeps 第's key at 11 KB at 10,108 notices (about
#: 42 KB for 10,108 notices that are not copies of each other: README), and a page's term frequency
#: up to 3 for the ranking of a one-word query, where the word is on nearly every page.
LONE_POSITIONS = 3

#: The bundle's list of the words that have a lone key, by language (``{"und-hani": ["第", …]}``);
#: written only when there is one (a site whose words are all smaller has none, and the results page
#: takes a missing list as empty).
LONE_WORDS = "lone-words.json"

#: The folder and suffix of a page's text in the bundle (``text/<fragment>.<n>.pf_text``: its pieces,
#: named as its fragment and numbered from 0). The results page reads a piece to decide a phrase where
#: the index chunks it fetched cannot: past the last position of a capped word (:data:`POSITIONS`), and
#: where it did not fetch a common word's chunk at all because checking the few pages its other words
#: left costs less (search.js, ``plan()`` and ``occurrences()``: ``強國際股份有限公`` is looked up by its
#: rarer bigrams, and 股份 and 有限公's large chunks are read only if too many pages are left). Until
#: 2026-12-02 only capped pages kept a text (1,253 of 10,108); every page keeps one since, so that a
#: page without a capped word can be checked too (README, "Common words left to the pages' texts").
TEXT_FOLDER, TEXT_SUFFIX = "text", ".pf_text"

#: The words (positions) of a page's text per piece: piece ``n`` holds positions ``n * TEXT_PIECE``
#: to ``(n + 1) * TEXT_PIECE - 1``, so the results page fetches the piece where a phrase may start, not
#: the whole text (10 KB gzipped for a 10,000-word page; a piece of 1,000 words 1.8 KB; measured on the
#: benchmark's capped pages, 2026-12-01: 500 words 1.1 KB, 2,000 3.0 KB).
TEXT_PIECE = 1000


class FormatError(ValueError):
    """A bundle that is not in the format described above."""


def read_cbor(gzipped: bytes, check: bool = True):
    """The value of a ``.pf_*`` file; with ``check``, only if writing it back gives the same bytes."""
    data = gzip.decompress(gzipped)
    if not data.startswith(MAGIC):
        raise FormatError(f"a file does not start with {MAGIC.decode()}")
    body = data[len(MAGIC):]
    try:
        value = cbor2.loads(body)
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise FormatError(f"a file holds CBOR this build does not read: {exc}") from exc
    if check and cbor2.dumps(value) != body:  # anything this codec would not write back the same
        raise FormatError("a file holds CBOR this build does not write back the same")
    return value


def cbor(value) -> bytes:
    """``value`` as CBOR, as Pagefind's minicbor writes it (definite lengths, shortest integers)."""
    return cbor2.dumps(value)


def gzipped(body: bytes) -> bytes:
    """A ``.pf_*`` file holding the CBOR ``body``: the same bytes for the same body on any machine.
    Level 8, not 9 (issue 12): on the 695 index chunks of the 10,000-notice benchmark (47 MB of CBOR),
    level 9 took 1.35 s and wrote 2,087,092 bytes, level 8 0.91 s and 2,089,394 (0.1 % more; level 7,
    0.35 s but 1.0 % more, and level 6, 2.3 % more): a new issue compresses every chunk again (each
    page's number moves), and a query's download grows by a few bytes at most."""
    data = bytearray(gzip.compress(MAGIC + body, compresslevel=8, mtime=0))
    data[9] = 255  # "unknown" operating system, as Pagefind writes, whichever system zlib was built for
    return bytes(data)


def pagefind_hash(data: bytes) -> str:
    """Pagefind's hex of the SHA-1 of ``data``: each byte's digits, unpadded."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


# -- canonical --------------------------------------------------------------------------------------
#
# Pagefind keeps each filter's values, the list of filters and sorts and the entry's languages in
# hash maps seeded at random, so every run writes them in another order: other bytes, other file
# names (which are their hashes). canonical() sorts them and renames the files by their new hashes.
# It also compresses the word index chunks with this module's gzip (Pagefind's compressor is not
# available here, and the merge writes chunks of its own), and moves the fragments' text into pieces
# of their own (see _split). The pages, words and fragments are already in a fixed order once the
# pages are sent in one.


def canonical(files: dict[str, bytes], recompress: bool = True,
              sorts: dict[str, list[dict[str, str]]] | None = None) -> dict[str, bytes]:
    """The bundle with its hash-ordered parts sorted and its fragments without text; as it is (with a
    warning) if its format is not the one known here. ``recompress``: the index chunks are Pagefind's
    (a merged bundle's are already this module's). ``sorts``: each language's pages' sort values (as
    :func:`merge` takes them), which then give the pages their names (:data:`NAME`) and the sorts."""
    try:
        return _canonical(files, recompress, sorts)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, EOFError, OSError) as exc:
        log.warning("the search index is left as Pagefind wrote it (its format is not the one this build knows: "
                    "%s); two builds may differ in its bytes", exc)
        return files


def _canonical(files: dict[str, bytes], recompress: bool, sorts: dict[str, list[dict[str, str]]] | None) -> dict[str, bytes]:
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    fragments = [name for name in files if name.startswith("fragment/")]
    chunks = [name for name in files if name.startswith("index/")] if recompress else []
    texts: dict[str, list[bytes]] = {}  # a fragment's path -> its page's text in pieces (:func:`_split`)
    with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL: both cores
        for name, (data, pieces) in zip(fragments, pool.map(_split, [files[n] for n in fragments]), strict=True):
            files[name] = data
            texts[name] = pieces
        for name, data in zip(chunks, pool.map(_recompressed, [files[n] for n in chunks]), strict=True):
            files[name] = data
    names = _Names()
    languages = {}
    for language, about in sorted(entry["languages"].items()):
        meta = read_cbor(files.pop(f"pagefind.{about['hash']}.pf_meta"))
        if not (isinstance(meta[0], str) and all(isinstance(f, list) and len(f) == 2 for f in meta[1] + meta[3] + meta[4])
                and all(isinstance(c, list) and len(c) == 3 for c in meta[2])):
            raise FormatError(f"unexpected layout of pagefind.{about['hash']}.pf_meta")
        values = sorts.get(language, []) if sorts is not None else [{} for _ in meta[1]]
        if len(values) != len(meta[1]):
            raise FormatError(f"{len(meta[1])} pages of {language}, {len(values)} were given sort values")
        for page, value in zip(meta[1], values, strict=True):
            pieces = texts.get(f"fragment/{page[0]}.pf_fragment", [])
            page[0] = names.rename(files, "fragment", page[0], ".pf_fragment", value.get(NAME))
            for number, piece in enumerate(pieces):  # the page's text, named as its fragment
                files[f"{TEXT_FOLDER}/{page[0]}.{number}{TEXT_SUFFIX}"] = piece
        if sorts is not None:
            meta[4] = _sorts(values)
        for chunk in meta[2]:
            chunk[2] = names.rename(files, "index", chunk[2], ".pf_index")
        filters = []
        for name, old in sorted(meta[3]):
            filter_name, values = read_cbor(files.pop(f"filter/{old}.pf_filter"))
            files[f"filter/{old}.pf_filter"] = gzipped(cbor([filter_name, sorted(values, key=lambda value: value[0])]))
            filters.append([name, names.rename(files, "filter", old, ".pf_filter")])
        meta[3] = filters
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        body = cbor(meta)
        about["hash"] = f"{language}_{pagefind_hash(body)[:len(language) + 8]}"
        files[f"pagefind.{about['hash']}.pf_meta"] = gzipped(body)
        languages[language] = about
    entry["languages"] = languages
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


#: Characters of a file's name in a canonical bundle (more on a collision): see :class:`_Names`.
NAME_LENGTH = 5

#: The sort key that names a page instead (:func:`merge`'s ``sorts``): a page whose sort values hold
#: it is published under that name (its fragment ``fragment/<name>.pf_fragment``, its text
#: ``text/<name>.<n>.pf_text``, the results' ``id``), and the key is no sort of Pagefind's. The search
#: stage names each dated page by its date and address (generator/outputs/search.py, ``page_name()``),
#: so the results page orders results newest first by their names, without the date sort every first
#: query downloaded (issue 14, goal 2). A name must be unique in the bundle and made of
#: :data:`NAME_CHARACTERS`; a page whose name is not is named by its digest (with a warning).
NAME = "name"
NAME_CHARACTERS = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")


class _Names:
    """Short names for a canonical bundle's fragments, index chunks and filters. Pagefind names them by
    the language and 7 hex digits of a hash (``und-hani_31ec611``, 16 characters); the results page
    downloads one per page in ``pf_meta`` before any search, 73 KB of its 124 KB at 10,108 notices.
    A name only has to be unique in its folder and to change when the file changes (browsers cache
    the files by name), so here it is :data:`NAME_LENGTH` characters of the base-32 SHA-1 of the
    file as served (25 bits; a character more while the name is another file's; the language is
    left out: the files of every language are named together)."""

    def __init__(self) -> None:
        self.taken: dict[str, dict[str, str]] = {}  # folder -> name -> the full digest
        self.renamed: dict[str, dict[str, str]] = {}  # folder -> Pagefind's name -> this one

    def rename(self, files: dict[str, bytes], folder: str, old: str, suffix: str, own: str | None = None) -> str:
        """The file ``folder/old+suffix`` renamed in ``files`` (by its digest, or ``own``: :meth:`claim`)."""
        renamed = self.renamed.setdefault(folder, {})
        if old in renamed:  # two pages with the same fragment: Pagefind gives them one file
            return renamed[old]
        path = f"{folder}/{old}{suffix}"
        name = renamed[old] = self.claim(folder, own, _digest(files[path]))
        files[f"{folder}/{name}{suffix}"] = files.pop(path)
        return name

    def claim(self, folder: str, name: str | None, digest: str) -> str:
        """``name`` for the file of ``digest`` in ``folder`` if it is a page's own (:data:`NAME`), a valid
        file name and not another file's, else the digest's name (:meth:`take`). The two never meet: a
        digest's name is lower-case base 32 without a hyphen, a page's own name (search.py's
        ``page_name()``) holds one; were one taken first, :meth:`take` lengthens a digest's name past it."""
        if name is None:
            return self.take(folder, digest)
        taken = self.taken.setdefault(folder, {})
        if not NAME_CHARACTERS.fullmatch(name) or taken.get(name, digest) != digest:
            log.warning("a page of the search index is named %r, which %s: it is named by its digest", name,
                        "another page is named" if NAME_CHARACTERS.fullmatch(name) else "a file name cannot be")
            return self.take(folder, digest)
        taken[name] = digest
        return name

    def take(self, folder: str, digest: str) -> str:
        """The name of the file of ``digest`` (see :func:`_digest`) in ``folder``: the same for the same digest."""
        taken = self.taken.setdefault(folder, {})
        name = digest[:NAME_LENGTH]
        while taken.get(name, digest) != digest:
            name = digest[:len(name) + 1]
        taken[name] = digest
        return name


def _recompressed(data: bytes) -> bytes:
    body = gzip.decompress(data)
    if not body.startswith(MAGIC):
        raise FormatError(f"an index chunk does not start with {MAGIC.decode()}")
    return gzipped(body[len(MAGIC):])


def _split(fragment: bytes) -> tuple[bytes, list[bytes]]:
    """A result's fragment without its copy of the indexed text (the results page shows the ``summary``
    metadata instead of Pagefind's excerpt, so a result costs only its metadata), and the text in files
    of :data:`TEXT_PIECE` words (see :data:`TEXT_FOLDER`): Pagefind's text of the page split at white
    space, a word a position (as Pagefind numbers them: ``tests/outputs/test_search_positions.py``
    checks it), each piece a JSON array of its words in gzip (Pagefind's own files are gzip too, and
    served as they are). The fragment names the text by its digest (``"text"``), so that both are
    renamed when the text changes (browsers cache them by name)."""
    data = gzip.decompress(fragment)
    if not data.startswith(MAGIC):
        raise FormatError(f"a fragment does not start with {MAGIC.decode()}")
    page = json.loads(data[len(MAGIC):])
    if not isinstance(page, dict) or not isinstance(page.get("content"), str):
        raise FormatError("a fragment has no text where Pagefind writes it")
    pieces: list[bytes] = []
    words = page["content"].split()
    for at in range(0, len(words), TEXT_PIECE):
        piece = bytearray(gzip.compress(json.dumps(words[at:at + TEXT_PIECE], ensure_ascii=False, separators=(",", ":"))
                                        .encode("utf-8"), compresslevel=9, mtime=0))
        piece[9] = 255  # "unknown" operating system, as gzipped() writes
        pieces.append(bytes(piece))
    page["text"] = _digest(b"".join(pieces))[:NAME_LENGTH * 2]
    page["content"] = ""
    return gzipped(json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")), pieces


# -- merge ------------------------------------------------------------------------------------------


def version(files: dict[str, bytes]) -> str:
    return str(json.loads(files["pagefind-entry.json"]).get("version", ""))


def merge(bundles: Sequence[dict[str, bytes]], sorts: Sequence[dict[str, list[dict[str, str]]]]) -> dict[str, bytes]:
    """One bundle from the bundles of consecutive runs, canonical (see the module's docstring).
    ``sorts[i][language]`` gives, for each page of run ``i`` in that language (in order), its sort
    keys and values. Raises :class:`FormatError` if a bundle is not in the known format."""
    if not bundles:
        raise ValueError("nothing to merge")
    fields = [languages(bundle) for bundle in bundles]
    unions = {language: sorted({field for run in fields for field in run.get(language, [])})
              for language in {language for run in fields for language in run}}
    parts: dict[str, list[Part]] = {}
    for bundle, sort in zip(bundles, sorts, strict=True):
        for language, part in read_parts(bundle, sort, unions).items():
            parts.setdefault(language, []).append(part)
    return merge_parts(parts, program(bundles))


def program(bundles: Iterable[dict[str, bytes]]) -> dict[str, bytes]:
    """The files of a bundle that are not its index (the entry, the program, its WebAssembly and
    interface files): the same in every run but for the languages it holds; the first run's."""
    files: dict[str, bytes] = {}
    for bundle in bundles:
        for name, data in bundle.items():
            if (not name.startswith(("fragment/", "index/", "filter/", f"{TEXT_FOLDER}/")) and not name.endswith(".pf_meta")
                    and name != LONE_WORDS):
                files.setdefault(name, data)
    return files


def _common(a: str, b: str) -> int:
    """The length of the common prefix of ``a`` and ``b``."""
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return common


def _ranges(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each chunk's (from, to): its first and last words cut to the shortest prefixes that still tell
    neighbouring chunks apart (``chunk_meta``, ``get_prefixes``), a ``to`` never cut before the
    chunk's own ``from`` (``by`` stays ``by`` in a chunk from ``bef``, not ``b``; read from
    Pagefind 1.5.2's bundles: 498 chunk ranges of a 10,000-notice archive, all alike)."""
    ranges = [[first, last] for first, last in chunks]
    for before, after in itertools.pairwise(ranges):
        a, b = before[1], after[0]
        common = _common(a, b)
        before[1] = a[:max(common, _common(a, before[0])) + 1]
        after[0] = b[:common + 1]
    return [(first, last) for first, last in ranges]


_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def _number(value: str) -> float | None:
    """The value as Pagefind's number sort reads it (an i32, else an f32), or None."""
    if _INT.fullmatch(value) and -2**31 <= int(value) < 2**31:
        return struct.unpack("f", struct.pack("f", float(int(value))))[0]
    if _FLOAT.fullmatch(value):
        try:
            return struct.unpack("f", struct.pack("f", float(value)))[0]
        except OverflowError:
            return None
    return None


def _sorts(values: list[dict[str, str]]) -> list[list]:
    """Pagefind's sorts: for each key, the numbers of the pages that have it, by value (as numbers if
    every value is one, else as strings by their UTF-8 bytes), equal values in page order."""
    sorts = []
    for key in sorted({key for page in values for key in page} - {NAME}):
        pages = [(page[key], number) for number, page in enumerate(values) if key in page]
        numbers = [_number(value) for value, _ in pages]
        if all(number is not None for number in numbers):
            order = sorted(range(len(pages)), key=lambda i: _total_order(numbers[i]))  # type: ignore[arg-type]
        else:
            order = sorted(range(len(pages)), key=lambda i: pages[i][0].encode("utf-8"))
        sorts.append([key, [pages[i][1] for i in order]])
    return sorts


def _total_order(number: float) -> int:
    """f32::total_cmp as an integer key."""
    bits = struct.unpack("<i", struct.pack("<f", number))[0]
    return bits ^ 0x7FFFFFFF if bits < 0 else bits


# -- merge by parts: each run's index read once, its words' postings kept as CBOR bytes -----------------
#
# Why (issue 12): a new issue changes one shard, but its pages come first, so every page number after
# them moves and every index chunk of the merged bundle changes. Decoding every shard's chunks into
# Python objects to write them again took most of the search stage (30 s at 10,000 notices). Page
# numbers in postings are deltas: a run's postings of a word, renumbered by an offset, keep every byte
# but the first posting's page number. So each run is read once into a :class:`Part`: for each word its
# postings as CBOR bytes without that first number (the "tail"), how many there are, the first page and
# the last page (the sum of the deltas) and the word's share of Pagefind's chunk size. Merging is then
# joining bytes: each run's first posting head is written with its delta from the word's last page so
# far. Parts are cached by the search stage (search.Index), so a build reads only the changed runs.
# A part's postings hold metadata field markers numbered in the union of every run's fields
# (``union``): a part read for another union is read again from its run's bundle.

def _head(major: int, value: int) -> bytes:
    """A CBOR head: the major type and an unsigned argument in its shortest form (as minicbor writes)."""
    if value < 24:
        return bytes([major << 5 | value])
    if value < 1 << 8:
        return bytes([major << 5 | 24, value])
    if value < 1 << 16:
        return bytes([major << 5 | 25]) + value.to_bytes(2, "big")
    if value < 1 << 32:
        return bytes([major << 5 | 26]) + value.to_bytes(4, "big")
    return bytes([major << 5 | 27]) + value.to_bytes(8, "big")


def _posting_head(delta: int) -> bytes:
    """The start of a posting whose page is ``delta`` after the one before: ``[delta, …``."""
    return b"\x83" + _head(0, delta)


def _head_size(first: int) -> int:
    """How many bytes the CBOR head starting with the byte ``first`` takes."""
    info = first & 0x1F
    if info < 24:
        return 1
    if info > 27:
        raise FormatError("an index chunk holds CBOR of indefinite length")
    return 1 + (1 << (info - 24))


def page_positions(postings: list) -> Iterator[tuple[int, list[int]]]:
    """A word's postings (see the module's docstring) as (the page's number, the word's positions on
    it in the page's order), the weights left out: what the tests and the benchmarks read of a chunk."""
    page = 0
    for posting in postings:
        page += posting[0]
        at, found = 0, []
        for location in posting[1]:
            if location < 0:
                at = 0
            else:
                at += location
                found.append(at)
        yield page, sorted(found)


def capped_locations(locations: list[int], positions: int) -> tuple[list[int], bool]:
    """A posting's locations (see the module's docstring) with only the first ``positions`` positions in
    the page's order, in Pagefind's layout (each weight's group in its place, differences from 0); and
    whether the word has ``positions`` or more there (the page then counts as capped)."""
    groups: list[tuple[int | None, list[int]]] = []
    at = 0
    for location in locations:
        if not isinstance(location, int):
            raise FormatError("a location of an index chunk is not an integer")
        if location < 0:
            groups.append((location, []))
            at = 0
            continue
        if not groups:
            groups.append((None, []))  # positions before any weight marker: the default weight
        at += location
        groups[-1][1].append(at)
    found = sorted(position for _, group in groups for position in group)
    if len(found) <= positions:
        return locations, len(found) == positions
    last = found[positions - 1]
    out: list[int] = []
    for marker, group in groups:
        kept = [position for position in group if position <= last]
        if not kept:
            continue
        if marker is not None:
            out.append(marker)
        out += [position - before for position, before in zip(kept, [0, *kept], strict=False)]
    return out, True


class Postings:
    """A word's postings in one run (or a variant's): ``count`` postings, the first on page ``first``, the
    last on page ``last`` (numbers in the run), ``size`` (locations + metadata locations + 1 of each:
    Pagefind's chunk size), and their CBOR without the array's head and the first posting's page."""

    __slots__ = ("count", "first", "last", "size", "tail")

    def __init__(self, count: int, first: int, last: int, size: int, tail: bytes):
        self.count, self.first, self.last, self.size, self.tail = count, first, last, size, tail

    @classmethod
    def of(cls, postings: list, remap: dict[int, int] | None, positions: int | None = None,
           capped: set[int] | None = None) -> Postings:
        """The postings (decoded CBOR), their metadata field markers renumbered by ``remap``, each
        page's positions cut to the first ``positions`` (:func:`capped_locations`); the pages (numbers
        in the run) where the word has that many or more are added to ``capped``."""
        if not postings:
            return cls(0, 0, 0, 0, b"")
        if not all(isinstance(posting, list) and len(posting) == 3 for posting in postings):
            raise FormatError("a posting of an index chunk is not [page, locations, metadata locations]")
        if remap is not None:
            for posting in postings:
                posting[2] = [remap.get(n, n) if n < 0 else n for n in posting[2]]
        if positions is not None:
            page = 0
            for posting in postings:
                page += posting[0]
                if len(posting[1]) >= positions:  # markers included: only then can there be that many
                    posting[1], cut = capped_locations(posting[1], positions)
                    if cut and capped is not None:
                        capped.add(page)
        data = cbor(postings)
        at = _head_size(data[0])
        if data[at] != 0x83:
            raise FormatError("a posting of an index chunk is not an array of 3")
        at += 1 + _head_size(data[at + 1])
        size = sum(len(posting[1]) + len(posting[2]) + 1 for posting in postings)
        return cls(len(postings), postings[0][0], sum(posting[0] for posting in postings), size, data[at:])


class Part:
    """One run's pages of one language, read for merging (see above): ``pages`` (each page's fragment,
    by the base-32 SHA-1 that names it in a canonical bundle, and its word count), ``fragments`` (digest
    -> the fragment without its text, as published), ``filters`` (name -> [[value, page numbers]]),
    ``sorts`` (each page's sort values), ``fields`` (its own metadata fields), ``union`` (the fields its
    postings are numbered in), ``version`` (of Pagefind's index), ``about`` (the entry's language
    record), ``words`` (in the index's order) and their postings in columns (``counts``, ``firsts``,
    ``lasts``, ``sizes``, ``tails``: see :class:`Postings`), ``variants`` (word -> [(variant,
    :class:`Postings`)]) and ``texts`` (the digest of a page's fragment -> its text's pieces, as
    published: see :data:`TEXT_FOLDER`)."""

    def __init__(self) -> None:
        self.language = ""
        self.version = ""
        self.about: dict = {}
        self.pages: list[tuple[str, int]] = []
        self.fragments: dict[str, bytes] = {}
        self.filters: list[tuple[str, list]] = []
        self.sorts: list[dict[str, str]] = []
        self.fields: list[str] = []
        self.union: list[str] = []
        self.words: list[str] = []
        self.counts: list[int] = []
        self.firsts: list[int] = []
        self.lasts: list[int] = []
        self.sizes: list[int] = []
        self.tails: list[bytes] = []
        self.variants: dict[str, list[tuple[str, Postings]]] = {}
        self.texts: dict[str, list[bytes]] = {}

    def add(self, word: str, postings: Postings) -> None:
        self.words.append(word)
        self.counts.append(postings.count)
        self.firsts.append(postings.first)
        self.lasts.append(postings.last)
        self.sizes.append(postings.size)
        self.tails.append(postings.tail)

    # -- as bytes (the search stage's cache; read back in a few milliseconds): a JSON head, the words
    # one a line, the postings' numbers as 64-bit integers, their tails, the fragments. The caller
    # checks the bytes' integrity.

    def dumps(self) -> bytes:
        if any("\n" in word for word in self.words):
            raise FormatError("a word holds a line break")
        variants = [(word, variant, postings) for word, found in self.variants.items() for variant, postings in found]
        numbers = array.array("q", itertools.chain.from_iterable(zip(
            self.counts + [p.count for _, _, p in variants], self.firsts + [p.first for _, _, p in variants],
            self.lasts + [p.last for _, _, p in variants], self.sizes + [p.size for _, _, p in variants],
            [len(tail) for tail in self.tails] + [len(p.tail) for _, _, p in variants], strict=True)))
        words = "\n".join(self.words).encode("utf-8")
        fragments = sorted(self.fragments.items())
        texts = sorted(self.texts.items())
        head = {"language": self.language, "version": self.version, "about": self.about, "pages": self.pages,
                "filters": self.filters, "sorts": self.sorts, "fields": self.fields, "union": self.union,
                "words": [len(self.words), len(words)], "variants": [[word, variant] for word, variant, _ in variants],
                "numbers": [sys.byteorder, len(numbers)], "fragments": [[digest, len(data)] for digest, data in fragments],
                "texts": [[digest, [len(piece) for piece in pieces]] for digest, pieces in texts]}
        return b"".join([json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b"\n", words,
                         numbers.tobytes(), *self.tails, *(p.tail for _, _, p in variants), *(data for _, data in fragments),
                         *(piece for _, pieces in texts for piece in pieces)])

    @classmethod
    def loads(cls, data: bytes) -> Part:
        end = data.index(b"\n")
        head = json.loads(data[:end])
        part = cls()
        part.language, part.version, part.about = head["language"], head["version"], head["about"]
        part.pages = [(digest, count) for digest, count in head["pages"]]
        part.filters = [(name, values) for name, values in head["filters"]]
        part.sorts, part.fields, part.union = head["sorts"], head["fields"], head["union"]
        count, length = head["words"]
        at = end + 1
        part.words = data[at:at + length].decode("utf-8").split("\n") if count else []
        at += length
        byteorder, length = head["numbers"]
        numbers = array.array("q")
        numbers.frombytes(data[at:at + length * numbers.itemsize])
        if byteorder != sys.byteorder:
            numbers.byteswap()
        at += length * numbers.itemsize
        if len(part.words) != count or length != 5 * (count + len(head["variants"])):
            raise FormatError("a part is not whole")
        part.counts, part.firsts, part.lasts, part.sizes = (numbers[i:5 * count:5].tolist() for i in range(4))
        ends = list(itertools.accumulate(numbers[4::5], initial=at))
        part.tails = [data[start:stop] for start, stop in zip(ends[:count], ends[1:count + 1], strict=True)]
        for (word, variant), start, stop, i in zip(head["variants"], ends[count:-1], ends[count + 1:],
                                                   range(5 * count, length, 5), strict=True):
            postings = Postings(numbers[i], numbers[i + 1], numbers[i + 2], numbers[i + 3], data[start:stop])
            part.variants.setdefault(word, []).append((variant, postings))
        at = ends[-1]
        for digest, size in head["fragments"]:
            part.fragments[digest] = data[at:at + size]
            at += size
        for digest, sizes in head["texts"]:
            part.texts[digest] = []
            for size in sizes:
                part.texts[digest].append(data[at:at + size])
                at += size
        if at != len(data):
            raise FormatError("a part is not whole")
        return part


def _metas(bundle: dict[str, bytes]) -> Iterator[tuple[str, dict, list]]:
    """Each language of a run's bundle: (language, its entry in ``pagefind-entry.json``, its pf_meta)."""
    entry = json.loads(bundle["pagefind-entry.json"])
    if entry.get("version") not in MERGEABLE:
        raise FormatError(f"Pagefind {entry.get('version')} wrote a bundle this build does not merge")
    for language, about in entry["languages"].items():
        meta = read_cbor(bundle[f"pagefind.{about['hash']}.pf_meta"])
        if len(meta) != 6 or not all(isinstance(meta[i], list) for i in range(1, 6)):
            raise FormatError(f"unexpected layout of a pf_meta of {language}")
        yield language, about, meta


def languages(bundle: dict[str, bytes]) -> dict[str, list[str]]:
    """Each language of a run's bundle and its metadata fields."""
    return {language: meta[5] for language, _, meta in _metas(bundle)}


def read_parts(bundle: dict[str, bytes], sorts: dict[str, list[dict[str, str]]],
               unions: dict[str, list[str]], positions: int | None = -1) -> dict[str, Part]:
    """The parts of a run's bundle, by language; ``sorts[language]``: the sort values of its pages in
    order; ``unions[language]``: the metadata fields of every run of that language (sorted);
    ``positions``: the positions kept of a word on a page (-1: :data:`POSITIONS`; None: all). Each page
    keeps its text, which its fragment names (:func:`_split`)."""
    cap = POSITIONS if positions == -1 else positions
    parts = {}
    for language, about, meta in _metas(bundle):
        part = Part()
        part.language, part.version, part.about = language, meta[0], dict(about)
        part.sorts = sorts.get(language, [])
        if len(part.sorts) != len(meta[1]) or about.get("page_count", len(meta[1])) != len(meta[1]):
            raise FormatError(f"a run of {language} has {len(meta[1])} pages, {len(part.sorts)} were given")
        for _, chunk in meta[3]:
            name, values = read_cbor(bundle[f"filter/{chunk}.pf_filter"])
            part.filters.append((name, values))
        part.fields, part.union = meta[5], unions[language]
        remap = None if meta[5] == part.union else {-i - 1: -part.union.index(field) - 1 for i, field in enumerate(meta[5])}
        capped: set[int] = set()
        for _, _, chunk in meta[2]:
            for word, postings, variants in read_cbor(bundle[f"index/{chunk}.pf_index"], check=False)[0]:
                if not all(isinstance(variant, list) and len(variant) == 2 for variant in variants):
                    raise FormatError(f"a word of an index chunk has variants this build does not read: {variants!r}")
                part.add(word, Postings.of(postings, remap, cap, capped))
                if variants:
                    part.variants[word] = [(variant, Postings.of(found, remap, cap, capped)) for variant, found in variants]
        if capped and max(capped) >= len(meta[1]):
            raise FormatError(f"a posting of {language} names a page its run does not have")
        olds = [bundle[f"fragment/{old}.pf_fragment"] for old, _ in meta[1]]
        with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL: both cores
            split = list(pool.map(_split, olds)) if len(olds) > 50 else [_split(old) for old in olds]
        for (_, word_count), (data, pieces) in zip(meta[1], split, strict=True):
            digest = _digest(data)
            part.fragments[digest] = data
            part.pages.append((digest, word_count))
            if pieces:
                part.texts[digest] = pieces
        parts[language] = part
    return parts


def _digest(data: bytes) -> str:
    """The base-32 SHA-1 a canonical bundle names a file by (see :class:`_Names`)."""
    return base64.b32encode(hashlib.sha1(data).digest()).decode("ascii").lower().rstrip("=")


class _Words:
    """A word's (or a variant's) postings over runs: the first posting's page and the byte pieces that
    follow it, each later run's first posting renumbered from the last page so far."""

    __slots__ = ("count", "first", "last", "size", "pieces")

    def __init__(self) -> None:
        self.count, self.first, self.last, self.size = 0, 0, 0, 0
        self.pieces: list[bytes] = []

    def add(self, postings: Postings, offset: int) -> None:
        if not postings.count:
            return
        if self.count:
            self.pieces += (_posting_head(postings.first + offset - self.last), postings.tail)
        else:
            self.first = postings.first + offset
            self.pieces.append(postings.tail)
        self.count += postings.count
        self.last = postings.last + offset
        self.size += postings.size

    def cbor(self) -> bytes:
        return _head(4, self.count) + (_posting_head(self.first) + b"".join(self.pieces) if self.count else b"")

    def postings(self) -> Postings:
        return Postings(self.count, self.first, self.last, self.size, b"".join(self.pieces))


class _Gathered:
    """Consecutive parts of one language put together: pages (digest, word count), fragments,
    filters (name -> value -> page numbers), sort values, words (word -> [postings, last page, size,
    first page, byte pieces…]: :class:`_Words` in a list, made for each of 70,000 words) and variants."""

    def __init__(self, parts: list[Part], whole: bool = True):
        """``whole``: the parts are every part of the language (a merge), so the union they were read
        for must be their fields'; a stretch of them (:func:`combine`) may lack a field of another
        shard (the directory's ``phone``)."""
        if not parts:
            raise ValueError("no parts")
        self.fields = parts[0].union
        self.own = sorted({f for part in parts for f in part.fields})
        if any(part.union != self.fields for part in parts) or (whole and self.fields != self.own) or not set(self.own) <= set(self.fields):
            raise FormatError(f"the parts of {parts[0].language} are not read for the same metadata fields")
        self.pages: list[tuple[str, int]] = []
        self.fragments: dict[str, bytes] = {}
        self.texts: dict[str, list[bytes]] = {}
        self.filters: dict[str, dict[str, list[int]]] = {}
        self.sorts: list[dict[str, str]] = []
        self.words: dict[str, list] = {}
        self.variants: dict[str, dict[str, _Words]] = {}
        words = self.words
        get = words.get
        for part in parts:
            offset = len(self.pages)
            self.pages += part.pages
            self.fragments.update(part.fragments)
            self.texts.update(part.texts)
            self.sorts += part.sorts
            for filter_name, values in part.filters:
                merged = self.filters.setdefault(filter_name, {})
                for value, numbers in values:
                    merged.setdefault(value, []).extend(number + offset for number in numbers)
            for word, count, first, last, size, tail in zip(part.words, part.counts, part.firsts, part.lasts, part.sizes,
                                                            part.tails, strict=True):
                found = get(word)
                if found is None:
                    found = words[word] = [0, 0, 0, 0]
                if not count:  # as _Words.add, inline: this loop runs for every word of every run
                    continue
                if found[0]:
                    found += (_posting_head(first + offset - found[1]), tail)
                else:
                    found[3] = first + offset
                    found.append(tail)
                found[0] += count
                found[1] = last + offset
                found[2] += size
            for word, found_variants in part.variants.items():
                merged_variants = self.variants.setdefault(word, {})
                for variant, postings in found_variants:
                    merged_variants.setdefault(variant, _Words()).add(postings, offset)


def combine(parts: list[Part]) -> Part:
    """One part for consecutive parts of one language, read for the same metadata fields: merged with
    other parts, it gives the bundle its parts would (tests/outputs/test_search_merge.py)."""
    gathered = _Gathered(parts, whole=False)
    part = Part()
    part.language, part.version, part.about = parts[0].language, parts[0].version, parts[0].about
    part.pages, part.fragments, part.sorts, part.texts = gathered.pages, gathered.fragments, gathered.sorts, gathered.texts
    part.filters = [(name, [[value, numbers] for value, numbers in values.items()]) for name, values in gathered.filters.items()]
    part.fields, part.union = gathered.own, gathered.fields  # its own fields: the union may come from other shards
    for word, found in gathered.words.items():
        part.add(word, Postings(found[0], found[3], found[1], found[2], b"".join(found[4:])))
    part.variants = {word: [(variant, words.postings()) for variant, words in found.items()]
                     for word, found in gathered.variants.items()}
    return part


def merge_parts(parts: dict[str, list[Part]], program: dict[str, bytes],
                lone_memo: MutableMapping[bytes, tuple[bytes, int]] | None = None) -> dict[str, bytes]:
    """The canonical bundle of consecutive runs from their parts (by language, in run order) and the
    bundle's other files (``pagefind-entry.json`` of any run, the program and its interface files):
    the same bytes as :func:`canonical` of one run over every page. ``lone_memo``: the capped
    postings of the lone keys by the part's postings they are made from (:func:`_capped_piece`),
    kept by the search stage from one build to the next."""
    entry = json.loads(program["pagefind-entry.json"])
    if entry.get("version") not in MERGEABLE:
        raise FormatError(f"Pagefind {entry.get('version')} wrote a bundle this build does not merge")
    files = {name: data for name, data in program.items()
             if not name.startswith(("fragment/", "index/", "filter/", f"{TEXT_FOLDER}/")) and not name.endswith(".pf_meta")
             and name != LONE_WORDS}
    names = _Names()
    about_languages = {}
    lone_words: dict[str, list[str]] = {}
    with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL: both cores
        for language in sorted(parts):
            about_languages[language] = _merge_language_parts(language, parts[language], files, names, pool, lone_words,
                                                              {} if lone_memo is None else lone_memo)
    if lone_words:
        files[LONE_WORDS] = json.dumps(lone_words, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    entry["languages"] = about_languages
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


_HAN_WORD = re.compile(f"[{IDEOGRAPHS}]+")


def _lone_keys(words: dict[str, list], memo: MutableMapping[bytes, tuple[bytes, int]]) -> list[str]:
    """Add to ``words`` (merged: word -> [count, last page, size, first page, byte pieces…]) the lone key
    of each word of Han characters that fills a chunk alone (:data:`LONE_PREFIX`); the words given one.

    A lone key's postings are the word's with each page's positions capped (:data:`LONE_POSITIONS`),
    which changes each posting alone: so each part's piece of the word's postings is capped on its
    own (:func:`_capped_piece`), the pieces between them (the next part's first page) kept as they
    are. ``memo`` keeps each capped piece by the piece's bytes (issue 12: decoding and capping the
    whole postings of every such word again took about 2 s of every build after one new issue at
    10,000 notices, though only the new issue's part had changed)."""
    lone = []
    for word in sorted(word for word, found in words.items() if found[2] >= CHUNK_SIZE and _HAN_WORD.fullmatch(word)):
        key = LONE_PREFIX + word
        if key in words:  # a word of the page (a metadata value's): never taken over
            log.warning("the search index has a word %r: %r is asked for as itself", key, word)
            continue
        found = words[word]
        capped: list = [found[0], found[1], 0, found[3]]
        # found[4:]: a part's tail (its postings without their first page), then for each next part
        # the head of its first posting (the page from the last) and its tail
        for at, piece in enumerate(found[4:]):
            if at % 2:
                capped.append(piece)
                continue
            tail, size = _capped_piece(piece, memo)
            capped.append(tail)
            capped[2] += size
        words[key] = capped
        lone.append(word)
    return lone


def _capped_piece(tail: bytes, memo: MutableMapping[bytes, tuple[bytes, int]]) -> tuple[bytes, int]:
    """A part's postings of a word without their first page (a tail: the first posting's positions and
    metadata positions, then whole postings), each page's positions capped to :data:`LONE_POSITIONS`,
    as a tail again, with its size in Pagefind's count; kept in ``memo`` under the tail's SHA-256."""
    key = hashlib.sha256(tail).digest()
    found = memo.get(key)
    if found is None:
        # the tail read as postings whose first page is 0 (an array of indefinite length around it)
        postings = cbor2.loads(b"\x9f\x83\x00" + tail + b"\xff")
        kept = Postings.of(postings, None, LONE_POSITIONS)
        found = memo[key] = (kept.tail, kept.size)
    return found


def _merge_language_parts(language: str, parts: list[Part], files: dict[str, bytes], names: _Names, pool,
                          lone_words: dict[str, list[str]], lone_memo: MutableMapping[bytes, tuple[bytes, int]]) -> dict:
    gathered = _Gathered(parts)
    fields, filters, sort_values, words, variants = (gathered.fields, gathered.filters, gathered.sorts,
                                                     gathered.words, gathered.variants)
    pages: list[list] = []
    for (digest, word_count), sort in zip(gathered.pages, sort_values, strict=True):
        name = names.claim("fragment", sort.get(NAME), digest)
        files[f"fragment/{name}.pf_fragment"] = gathered.fragments[digest]
        for number, piece in enumerate(gathered.texts.get(digest, [])):  # a capped page's text, named as its fragment
            files[f"{TEXT_FOLDER}/{name}.{number}{TEXT_SUFFIX}"] = piece
        pages.append([name, word_count])
    lone = _lone_keys(words, lone_memo)
    if lone:
        lone_words[language] = lone
    # the words, by word (Rust orders strings by their UTF-8 bytes: by code point, as Python does),
    # chunked by Pagefind's rule (CHUNK_SIZE), but for a word that fills a chunk alone: the chunk
    # before it is closed first, so the word has a chunk of its own (issue 14: Pagefind's rule put
    # 第, 121,674 positions at 10,108 notices, in one 103 KB chunk with the words before it, 符號 …,
    # and a first query for 符號 cost 341 KB instead of about 250)
    # Each chunk is compressed as soon as it is closed, at most COMPRESSING at a time (issue 12, goal 5:
    # every chunk's CBOR made before any was compressed held the whole index, uncompressed, twice over:
    # its words' pieces and the joined chunks, about 10 times its compressed size; and making the
    # chunks now overlaps compressing them, which lets go of the GIL).
    compressing: list[Future[bytes]] = []
    ranges: list[tuple[str, str]] = []
    chunk: list[bytes] = []
    first_word, last_word, size = "", "", 0

    def close(last: str) -> None:
        nonlocal chunk, size
        ranges.append((first_word, last))
        if len(compressing) >= COMPRESSING:
            compressing[-COMPRESSING].result()  # the oldest still running: wait, and its input is let go
        compressing.append(pool.submit(gzipped, b"".join([b"\x81", _head(4, len(chunk)), *chunk])))
        chunk, size = [], 0

    for word in sorted(words):
        found = words[word]
        if chunk and found[2] >= CHUNK_SIZE:
            close(last_word)
        last_word = word
        if not chunk:
            first_word = word
        of_word = variants.get(word, {})
        chunk.append(b"".join([b"\x83", cbor(word), _head(4, found[0]), _posting_head(found[3]) if found[0] else b"",
                               *found[4:], _head(4, len(of_word)),
                               *(b"\x82" + cbor(variant) + postings.cbor() for variant, postings in of_word.items())]))
        size += found[2]
        if size >= CHUNK_SIZE:
            close(word)
    if chunk:
        close(last_word)
    index_chunks = []
    for (first, last), future in zip(_ranges(ranges), compressing, strict=True):
        data = future.result()
        name = names.take("index", _digest(data))
        files[f"index/{name}.pf_index"] = data
        index_chunks.append([first, last, name])
    meta_filters = []
    for filter_name in sorted(filters):
        data = gzipped(cbor([filter_name, sorted(([value, numbers] for value, numbers in filters[filter_name].items()),
                                                 key=lambda value: value[0])]))
        name = names.take("filter", _digest(data))
        files[f"filter/{name}.pf_filter"] = data
        meta_filters.append([filter_name, name])
    body = cbor([parts[0].version, pages, index_chunks, meta_filters, _sorts(sort_values), fields])
    about = dict(parts[0].about)
    about["hash"] = f"{language}_{pagefind_hash(body)[:len(language) + 8]}"
    about["page_count"] = len(pages)
    files[f"pagefind.{about['hash']}.pf_meta"] = gzipped(body)
    return about
