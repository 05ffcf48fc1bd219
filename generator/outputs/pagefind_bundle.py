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
  locations, metadata locations]``. Locations are word positions on the page, a negative number
  ``-w-1`` announcing that the positions after it weigh ``w``; metadata locations are positions in
  metadata fields, a negative number ``-i-1`` announcing the field ``meta_fields[i]``. Neither
  depends on the page's number.
- ``filter/<hash>.pf_filter``: ``[name, [[value, page numbers]…]]``.
- ``fragment/<hash>.pf_fragment``: the page's JSON (URL, text, metadata, filters). Its name is the
  language and the first 7 characters of the SHA-1 of that JSON (longer on a collision).

Pagefind names the files by the SHA-1 of their CBOR, in its own hex (each byte's digits unpadded),
prefixed by the language: ``und-hani_80a7337``.

:func:`merge` turns the bundles of consecutive runs (the pages of run 2 follow those of run 1 …) into
the bundle one run over all the pages would have written: pages renumbered by offset, postings and
filter values concatenated, words re-chunked with Pagefind's own rule, sorts recomputed from the
pages' sort values (which a bundle does not keep: the caller gives them), fragments renamed with
Pagefind's collision rule. :func:`canonical` then removes what differs between two runs over the
same pages; ``tests/outputs/test_search_merge.py`` checks that the merge of N runs equals, byte for
byte, the canonical bundle of one run.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import heapq
import itertools
import json
import logging
import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import cbor2

log = logging.getLogger(__name__)

MAGIC = b"pagefind_dcd"

#: Pagefind versions whose bundles :func:`merge` knows (the format above); any other version's pages
#: are indexed in one run, unmerged.
MERGEABLE = frozenset({"1.5.2"})

#: Pagefind's index chunk size: a chunk is closed when the sum over its words' postings of (locations +
#: metadata locations + 1) reaches this, variants not counted (``chunk_index`` in pagefind/src/index/mod.rs;
#: checked on 1.5.2's bundles by tests/outputs/test_search_merge.py).
CHUNK_SIZE = 20_000


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
    """A ``.pf_*`` file holding the CBOR ``body``: the same bytes for the same body on any machine."""
    data = bytearray(gzip.compress(MAGIC + body, compresslevel=9, mtime=0))
    data[9] = 255  # "unknown" operating system, as Pagefind writes, whichever system zlib was built for
    return bytes(data)


def pagefind_hash(data: bytes) -> str:
    """Pagefind's hex of the SHA-1 of ``data``: each byte's digits, unpadded."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _short(full: str, language: str, taken) -> str:
    """The name Pagefind gives an index chunk or filter file: the language and 7 characters of the hash,
    two more while the name is taken (as its loop does)."""
    short = full[:len(language) + 8]
    while short in taken and len(short) < len(full):
        short = full[:len(short) + 2]
    return short


# -- canonical --------------------------------------------------------------------------------------
#
# Pagefind keeps each filter's values, the list of filters and sorts and the entry's languages in
# hash maps seeded at random, so every run writes them in another order: other bytes, other file
# names (which are their hashes). canonical() sorts them and renames the files by their new hashes.
# It also compresses the word index chunks with this module's gzip (Pagefind's compressor is not
# available here, and the merge writes chunks of its own), and empties the fragments' text (see
# _without_text). The pages, words and fragments are already in a fixed order once the pages are
# sent in one.


def canonical(files: dict[str, bytes], recompress: bool = True) -> dict[str, bytes]:
    """The bundle with its hash-ordered parts sorted and its fragments without text; as it is (with a
    warning) if its format is not the one known here. ``recompress``: the index chunks are Pagefind's
    (a merged bundle's are already this module's)."""
    try:
        return _canonical(files, recompress)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, EOFError, OSError) as exc:
        log.warning("the search index is left as Pagefind wrote it (its format is not the one this build knows: "
                    "%s); two builds may differ in its bytes", exc)
        return files


def _canonical(files: dict[str, bytes], recompress: bool) -> dict[str, bytes]:
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    fragments = [name for name in files if name.startswith("fragment/")]
    chunks = [name for name in files if name.startswith("index/")] if recompress else []
    with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL: both cores
        for name, data in zip(fragments, pool.map(_without_text, [files[n] for n in fragments]), strict=True):
            files[name] = data
        for name, data in zip(chunks, pool.map(_recompressed, [files[n] for n in chunks]), strict=True):
            files[name] = data
    names = _Names()
    languages = {}
    for language, about in sorted(entry["languages"].items()):
        meta = read_cbor(files.pop(f"pagefind.{about['hash']}.pf_meta"))
        if not (isinstance(meta[0], str) and all(isinstance(f, list) and len(f) == 2 for f in meta[1] + meta[3] + meta[4])
                and all(isinstance(c, list) and len(c) == 3 for c in meta[2])):
            raise FormatError(f"unexpected layout of pagefind.{about['hash']}.pf_meta")
        for page in meta[1]:
            page[0] = names.rename(files, "fragment", page[0], ".pf_fragment")
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

    def rename(self, files: dict[str, bytes], folder: str, old: str, suffix: str) -> str:
        renamed = self.renamed.setdefault(folder, {})
        if old in renamed:  # two pages with the same fragment: Pagefind gives them one file
            return renamed[old]
        path = f"{folder}/{old}{suffix}"
        data = files[path]
        digest = base64.b32encode(hashlib.sha1(data).digest()).decode("ascii").lower().rstrip("=")
        taken = self.taken.setdefault(folder, {})
        name = digest[:NAME_LENGTH]
        while taken.get(name, digest) != digest:
            name = digest[:len(name) + 1]
        taken[name] = digest
        renamed[old] = name
        files[f"{folder}/{name}{suffix}"] = files.pop(path)
        return name


def _recompressed(data: bytes) -> bytes:
    body = gzip.decompress(data)
    if not body.startswith(MAGIC):
        raise FormatError(f"an index chunk does not start with {MAGIC.decode()}")
    return gzipped(body[len(MAGIC):])


def _without_text(fragment: bytes) -> bytes:
    """A result's fragment without its copy of the indexed text: the results page shows the ``summary``
    metadata instead of Pagefind's excerpt, so a result costs only its metadata. The file keeps its
    name (a function of the page, as before), so caches stay right."""
    data = gzip.decompress(fragment)
    if not data.startswith(MAGIC):
        raise FormatError(f"a fragment does not start with {MAGIC.decode()}")
    page = json.loads(data[len(MAGIC):])
    if not isinstance(page, dict) or not isinstance(page.get("content"), str):
        raise FormatError("a fragment has no text where Pagefind writes it")
    page["content"] = ""
    return gzipped(json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# -- merge ------------------------------------------------------------------------------------------


def version(files: dict[str, bytes]) -> str:
    return str(json.loads(files["pagefind-entry.json"]).get("version", ""))


def merge(bundles: Sequence[dict[str, bytes]], sorts: Sequence[dict[str, list[dict[str, str]]]]) -> dict[str, bytes]:
    """One bundle from the bundles of consecutive runs, canonical (see the module's docstring).
    ``sorts[i][language]`` gives, for each page of run ``i`` in that language (in order), its sort
    keys and values. Raises :class:`FormatError` if a bundle is not in the known format."""
    if not bundles:
        raise ValueError("nothing to merge")
    entries = [json.loads(bundle["pagefind-entry.json"]) for bundle in bundles]
    for entry in entries:
        if entry.get("version") not in MERGEABLE:
            raise FormatError(f"Pagefind {entry.get('version')} wrote a bundle this build does not merge")
    files: dict[str, bytes] = {}
    for bundle in bundles:  # the program, its WebAssembly and interface files: the same in every run
        for name, data in bundle.items():
            if not name.startswith(("fragment/", "index/", "filter/")) and not name.endswith(".pf_meta"):
                files.setdefault(name, data)
    languages: dict[str, dict] = {}
    for language in sorted({language for entry in entries for language in entry["languages"]}):
        parts = [(bundle, entry["languages"][language], sort.get(language, []))
                 for bundle, entry, sort in zip(bundles, entries, sorts, strict=True) if language in entry["languages"]]
        about, made = _merge_language(language, parts)
        files.update(made)
        languages[language] = about
    entry = dict(entries[0])
    entry["languages"] = languages
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return canonical_or_raise(files)


def canonical_or_raise(files: dict[str, bytes]) -> dict[str, bytes]:
    return _canonical(files, recompress=False)


def _merge_language(language: str, parts) -> tuple[dict, dict[str, bytes]]:
    metas = [read_cbor(bundle[f"pagefind.{about['hash']}.pf_meta"]) for bundle, about, _ in parts]
    for meta in metas:
        if len(meta) != 6 or not all(isinstance(meta[i], list) for i in range(1, 6)):
            raise FormatError(f"unexpected layout of a pf_meta of {language}")
    fields = sorted({field for meta in metas for field in meta[5]})
    files: dict[str, bytes] = {}
    pages: list[list] = []
    fragments: dict[str, str] = {}  # short hash -> full hash
    offsets: list[int] = []  # the number of each run's first page
    remaps: list[dict[int, int] | None] = []  # a run's metadata field markers -> the merged ones
    filters: dict[str, dict[str, list[int]]] = {}
    sort_values: list[dict[str, str]] = []
    for (bundle, about, sorts), meta in zip(parts, metas, strict=True):
        offset = len(pages)
        offsets.append(offset)
        if len(sorts) != len(meta[1]) or about.get("page_count", len(meta[1])) != len(meta[1]):
            raise FormatError(f"a run of {language} has {len(meta[1])} pages, {len(sorts)} were given")
        sort_values += sorts
        for old, word_count in meta[1]:
            data = bundle[f"fragment/{old}.pf_fragment"]
            full = f"{language}_{pagefind_hash(gzip.decompress(data)[len(MAGIC):])}"
            short = full[:len(language) + 8]
            while short in fragments and fragments[short] != full:
                short = full[:len(short) + 1]
            fragments[short] = full
            files[f"fragment/{short}.pf_fragment"] = data
            pages.append([short, word_count])
        remaps.append(None if meta[5] == fields else {-i - 1: -fields.index(field) - 1 for i, field in enumerate(meta[5])})
        for _, chunk in meta[3]:
            filter_name, values = read_cbor(bundle[f"filter/{chunk}.pf_filter"])
            merged = filters.setdefault(filter_name, {})
            for value, numbers in values:
                merged.setdefault(value, []).extend(number + offset for number in numbers)
    streams = [_words(bundle, meta, run) for run, ((bundle, _, _), meta) in enumerate(zip(parts, metas, strict=True))]
    chunks: list[tuple[str, str]] = []  # (first word, last word)
    index_chunks: list[list[str]] = []
    names: set[str] = set()
    with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL: both cores
        pending = []
        for chunk in _chunks(_merged_words(streams, offsets, remaps)):
            chunks.append((chunk[0][0], chunk[-1][0]))
            body = cbor([chunk])
            pending.append((pagefind_hash(body), pool.submit(gzipped, body)))
        for (first, last), (digest, compressed) in zip(_ranges(chunks), pending, strict=True):
            short = _short(f"{language}_{digest}", language, names)
            names.add(short)
            files[f"index/{short}.pf_index"] = compressed.result()
            index_chunks.append([first, last, short])
    meta_filters: list[list[str]] = []
    for name, values in filters.items():
        body = cbor([name, [[value, numbers] for value, numbers in values.items()]])
        short = _short(f"{language}_{pagefind_hash(body)}", language, {f for _, f in meta_filters})
        files[f"filter/{short}.pf_filter"] = gzipped(body)
        meta_filters.append([name, short])
    meta = [metas[0][0], pages, index_chunks, meta_filters, _sorts(sort_values), fields]
    body = cbor(meta)
    about = dict(parts[0][1])
    about["hash"] = f"{language}_{pagefind_hash(body)[:len(language) + 8]}"
    about["page_count"] = len(pages)
    files[f"pagefind.{about['hash']}.pf_meta"] = gzipped(body)
    return about, files


def _words(bundle: dict[str, bytes], meta: list, run: int) -> Iterator[tuple[str, int, list, list]]:
    """(word, run, postings, variants) of a run's index, by word: one chunk decoded at a time."""
    for _, _, chunk in meta[2]:
        for word, postings, variants in read_cbor(bundle[f"index/{chunk}.pf_index"], check=False)[0]:
            if not all(isinstance(variant, list) and len(variant) == 2 for variant in variants):
                raise FormatError(f"a word of an index chunk has variants this build does not read: {variants!r}")
            yield word, run, postings, variants


class _Postings:
    """A word's (or a variant's) postings over every run: page numbers are deltas from the posting
    before, so each run's first is renumbered from the last page so far."""

    __slots__ = ("postings", "last")

    def __init__(self) -> None:
        self.postings: list = []
        self.last = 0  # the number of the last page so far

    def add(self, postings: list, offset: int, remap: dict[int, int] | None) -> None:
        if not postings:
            return
        if remap is not None:
            for posting in postings:
                posting[2] = [remap.get(n, n) if n < 0 else n for n in posting[2]]
        first = postings[0][0] + offset
        end = offset + sum(posting[0] for posting in postings)
        postings[0][0] = first - self.last
        self.last = end
        self.postings += postings


def _merged_words(streams, offsets: list[int], remaps: list) -> Iterator[tuple[str, list, list]]:
    """(word, postings, variants) over every run, by word (Rust orders strings by their UTF-8 bytes:
    by code point, as Python does), each word's postings run after run, renumbered. Variants (the
    word with diacritics: cafe -> café) keep the order of their first page, as Pagefind's do."""
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]))
    for word, group in itertools.groupby(merged, key=lambda item: item[0]):
        postings = _Postings()
        variants: dict[str, _Postings] = {}
        for _, run, found, found_variants in group:
            postings.add(found, offsets[run], remaps[run])
            for variant, variant_postings in found_variants:
                variants.setdefault(variant, _Postings()).add(variant_postings, offsets[run], remaps[run])
        yield word, postings.postings, [[variant, merged.postings] for variant, merged in variants.items()]


def _chunks(words: Iterable[tuple[str, list, list]]) -> Iterator[list]:
    """Pagefind's chunking of the sorted words (``chunk_index``)."""
    chunk, size = [], 0
    for word, postings, variants in words:
        size += sum(len(posting[1]) + len(posting[2]) + 1 for posting in postings)
        chunk.append([word, postings, variants])
        if size >= CHUNK_SIZE:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _ranges(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each chunk's (from, to): its first and last words, cut to the shortest prefixes that still tell
    neighbouring chunks apart (``chunk_meta``, ``get_prefixes``)."""
    ranges = [[first, last] for first, last in chunks]
    for before, after in itertools.pairwise(ranges):
        a, b = before[1], after[0]
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        before[1], after[0] = a[:common + 1], b[:common + 1]
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
    for key in sorted({key for page in values for key in page}):
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
