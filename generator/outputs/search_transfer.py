"""The search bundle made smaller to download, and told what its large index chunks are (issue 14).

A citizen's first query downloads, before any index chunk, Pagefind's page list (``pf_meta``, 101 KB
at 10,108 notices) and its WebAssembly (67 KB). :func:`for_transfer` makes both smaller, without
changing what a search finds:

- **Word counts rounded** (:data:`COUNT_BITS`): ``pf_meta`` gives each page's word count, which
  Pagefind uses for one thing, BM25's page-length normalisation (a page's length against the
  average). Kept to 4 significant bits (the middle of one of 16 steps per doubling: within 1/16,
  1.6 % on average), the counts take fewer distinct values and compress to less (−8 KB at 10,108
  notices); a length a few per cent off moves a score by far less than any term does (the quality table of
  ``tests/benchmarks/search.py`` is unchanged, README "Search").
- **Zopfli** (Google's exhaustive deflate, through the ``zopfli`` package): ``pf_meta`` and the
  WebAssembly are gzip streams that Pagefind's script inflates; Zopfli writes the same format about
  8 % smaller (−8 KB and −3 KB). Too slow for 10,000 fragments and 1,400 index chunks (a minute),
  it is used on these files only, which every first query downloads; :class:`Memo` keeps its output
  by input, so a build where they did not change does not compress them again. The WebAssembly is
  Pagefind's own, the same in every project for one Pagefind version, and Zopfli takes about a second
  for each of its two files: their output is also kept in the machine's cache
  (:mod:`generator.machine_cache`), so the first build of a new project (and each of the test
  suite's dozens of builds, each in a new project) does not pay 2 s for it again.

It also writes an empty :data:`pagefind_bundle.LONE_WORDS` where the merge wrote none, and :data:`LARGE_CHUNKS`, for the results page (``search.js``, ``plan()``): the index
chunks much larger than the usual one (a chunk holds the words of a range; one that holds a common
word, 公司 or 有限, holds every place it occurs: up to 170 KB at 10,108 notices, where the usual chunk
is 9 KB), as ``[from, to, bytes]`` with Pagefind's own range of words (``pf_meta``), and the usual
size, and the usual size of a piece of a page's text (``piece``). A query part of several bigrams can
be looked up by fewer of them; the page picks the ones that cost least, and checks the pages a common
word's chunk would have decided against their texts where that costs less. The file only guides
those choices: a stale or missing copy makes a query cost more, never find other pages.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import statistics
import zlib
from pathlib import Path

import zopfli.gzip

from generator.machine_cache import folder as machine_cache_folder
from generator.writing import write_whole
from generator.outputs import pagefind_bundle
from generator.outputs.pagefind_bundle import MAGIC, cbor, pagefind_hash, read_cbor

#: Significant bits kept of each page's word count in ``pf_meta`` (see above).
COUNT_BITS = 4

#: The file of large index chunks, in the bundle (``pagefind/large-chunks.json``).
LARGE_CHUNKS = "large-chunks.json"

#: A chunk is listed in :data:`LARGE_CHUNKS` when it is this many times the median chunk or more (1.5:
#: 委員's chunk, 1.96 times the median at 10,108 notices, is listed, for search.js's plan of a part of
#: 5 characters; 2 before: 26 chunks listed at 10,108 notices with positions capped, now 54, 0.9 KB gzipped).
LARGE = 1.5


def rounded(count: int, bits: int = COUNT_BITS) -> int:
    """``count`` to ``bits`` significant bits, the middle of its step (1000 -> 992 with 4 bits: the step 960-1023)."""
    drop = count.bit_length() - bits
    if drop <= 0:
        return count
    return ((count >> drop) << drop) + (1 << (drop - 1))


def machine_cache() -> Path:
    """Where Zopfli's output for the files every project shares (Pagefind's WebAssembly) is kept for
    the machine: ``zopfli/`` of :mod:`generator.machine_cache`. It holds two files of about 65 KB per
    Pagefind version. A file found there is used only if it inflates to exactly the bytes asked for,
    and a folder that cannot be written is left alone (the project's own memo still keeps the output)."""
    return machine_cache_folder("zopfli")


class Memo:
    """Zopfli's output by a hash of its input, in a folder (None: kept in memory only); each build
    keeps only what it used (:meth:`prune`). ``shared``: a folder for what :meth:`gzip` is told is
    the same in every project (:func:`machine_cache`), looked in after ``folder`` and never pruned."""

    def __init__(self, folder: Path | None, shared: Path | None = None):
        self.folder, self.shared, self.used, self.mem = folder, shared, set[str](), dict[str, bytes]()

    def gzip(self, body: bytes, shared: bool = False) -> bytes:
        """``body`` compressed by Zopfli, from the memo if it is there; ``shared``: the body is the
        same in every project, so the machine's folder is looked in and written too."""
        key = hashlib.sha256(body).hexdigest()
        self.used.add(key)
        if key in self.mem:
            return self.mem[key]
        folders = [self.folder] + ([self.shared] if shared else [])
        paths = [folder / f"{key}.gz" for folder in folders if folder is not None]
        for n, path in enumerate(paths):
            with contextlib.suppress(OSError, EOFError, zlib.error):
                data = path.read_bytes()
                if gzip.decompress(data) == body:  # whole, and what was asked for
                    self.mem[key] = data
                    for missing in paths[:n]:  # found in the machine's folder: kept in the project's too
                        _keep(missing, data)
                    return data
        data = bytearray(zopfli.gzip.compress(body, numiterations=5))
        data[9] = 255  # "unknown" operating system, as Pagefind and pagefind_bundle.gzipped() write
        self.mem[key] = bytes(data)
        for path in paths:
            _keep(path, self.mem[key])
        return self.mem[key]

    def prune(self) -> None:
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.glob("*.gz"):
                if path.stem not in self.used:
                    with contextlib.suppress(OSError):
                        path.unlink()


def _keep(path: Path, data: bytes) -> None:
    """Zopfli's output kept at ``path`` (other builds may write the machine's folder at the same time:
    :func:`write_whole`), or not, if it cannot be written: the memo only saves time."""
    with contextlib.suppress(OSError):
        write_whole(path, data)


def for_transfer(files: dict[str, bytes], memo: Memo | None = None, large_chunk: float = LARGE) -> dict[str, bytes]:
    """The canonical bundle ``files`` with its page lists' word counts rounded, its page lists and
    WebAssembly recompressed with Zopfli, and :data:`LARGE_CHUNKS` added (the chunks ``large_chunk``
    times the median or more). Given its own output, it gives it back unchanged. A bundle in another
    format is returned as it is (with :data:`LARGE_CHUNKS` empty)."""
    memo = memo or Memo(None)
    files = dict(files)
    large: dict[str, dict[str, object]] = {}
    # the usual piece of a page's text (pagefind_bundle.TEXT_FOLDER): what the results page reckons a page
    # it checks against its text costs, against a common word's chunk (search.js, occurrences())
    texts = [len(data) for name, data in files.items() if name.startswith(f"{pagefind_bundle.TEXT_FOLDER}/")]
    pieces = int(statistics.median(texts)) if texts else 0
    try:
        entry = json.loads(files["pagefind-entry.json"])
        for language, about in sorted(entry["languages"].items()):
            name = f"pagefind.{about['hash']}.pf_meta"
            meta = read_cbor(files[name], check=False)
            for page in meta[1]:
                page[1] = rounded(page[1])
            body = cbor(meta)
            del files[name]
            about["hash"] = f"{language}_{pagefind_hash(body)[:len(language) + 8]}"
            files[f"pagefind.{about['hash']}.pf_meta"] = memo.gzip(MAGIC + body)
            sizes = [len(files[f"index/{chunk[2]}.pf_index"]) for chunk in meta[2]]
            if sizes:
                typical = int(statistics.median(sizes))
                large[language] = {"typical": typical, "large": [[chunk[0], chunk[1], size] for chunk, size in
                                                                 zip(meta[2], sizes, strict=True) if size >= large_chunk * typical]}
                if pieces:
                    large[language]["piece"] = pieces
        files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (pagefind_bundle.FormatError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError):
        large = {}  # not the format known here: the page list as Pagefind wrote it (canonical() warned)
    for name in [name for name in files if name.startswith("wasm.") and name.endswith(".pagefind")]:
        with contextlib.suppress(OSError, EOFError, zlib.error):  # not gzip: left as it is
            files[name] = memo.gzip(gzip.decompress(files[name]), shared=True)  # Pagefind's own: the same everywhere
    files[LARGE_CHUNKS] = json.dumps(large, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # the list of words with a lone key (pagefind_bundle.LONE_WORDS), which the merge writes only when
    # there is one: an empty one otherwise, so the results page's request for it never fails (a 404)
    files.setdefault(pagefind_bundle.LONE_WORDS, b"{}")
    memo.prune()
    return files
