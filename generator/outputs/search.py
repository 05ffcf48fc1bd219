"""Full-text search with Pagefind, over the built HTML.

Chinese is indexed one character per word, and queries are searched as exact phrases of those
characters. Why: Pagefind segments Chinese at index time with jieba (a Simplified-Chinese
dictionary, which cuts Traditional text such as 路邊停車場收費 mostly into single characters) but at
query time with the browser's Intl.Segmenter (which keeps 停車場 and 收費 whole), so everyday words
found nothing on a 10,000-notice archive (Pagefind issue #1237). Segmenting both sides ourselves,
the same way, makes them agree; phrase search over word positions keeps results as precise as a
bigram index would. Pagefind is sent a segmented copy of the indexable pages, in a fixed order
(:func:`index_order`); the published pages are untouched.

Pages opt in through their front matter (``search: {filters: …, meta: …}``, made by :func:`entry`):
themes/material/main.html then marks their article as ``data-pagefind-body`` with those filters
and metadata, so listings, the nav, header and footer are never indexed. Pagefind splits its index
by ``<html lang>``: the English yearbook has its own index and its own results page.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import itertools
import json
import logging
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from generator import urls
from generator.errors import BuildError
from generator.model import LANGUAGES, Content
from generator.labels import labels
from generator.markup.cjk import IDEOGRAPHS
from generator.outputs import search_english

log = logging.getLogger(__name__)

#: Parts of an indexed article that are not its text.
EXCLUDE = ".headerlink, nav.breadcrumbs, nav.neighbours, .citation, .md-source-file, .language-switch"


def entry(language: str, publication: str, filters: dict[str, str] | None = None,
          meta: dict[str, str] | None = None) -> dict[str, object]:
    """The ``search`` front matter of an indexed page (the results pages, generator/website/pages/search.py,
    offer the same publication names in their filters)."""
    name = labels("search", language)["publications"][publication]
    return {"filters": {"publication": name, **(filters or {})}, "meta": meta or {}}


_WORD_EDGE = re.compile(rf"(?<=[{IDEOGRAPHS}])(?=\S)|(?<=\S)(?=[{IDEOGRAPHS}])")
_IDEOGRAPH_AT_EDGE = re.compile(rf"^[{IDEOGRAPHS}]|[{IDEOGRAPHS}]$")
_TAGS = re.compile(r"(<[^>]*>)")


def segment(text: str) -> str:
    """Every Han character (or kana) a word of its own: 嘉市交停字第1140236418號 -> 嘉 市 交 停 字 第 1140236418 號."""
    spaced = _WORD_EDGE.sub(" ", text)
    # a character at the edge of a text node may touch a word in the next one (局</a>（本): keep them apart
    return f" {spaced} " if _IDEOGRAPH_AT_EDGE.search(text) else spaced


def index_order(content: Content) -> dict[str, int]:
    """The order in which Pagefind is given the pages (by HTML file), which is also the order of equally
    good results: an exact phrase, the way Chinese is searched, scores the same on every page that has
    it. The gazette first, newest issue first and each issue's notices in order; then the yearbook,
    newest edition first, chapters in reading order; then the directory's agencies. Pages not listed
    here (a hand-written page that opts in) follow, by path."""
    pages = [urls.notice(notice) for issue in reversed(content.gazette.issues) for notice in issue.notices]
    pages += [urls.chapter(book, chapter) for book in sorted(content.yearbooks, key=lambda b: -b.year)
              for language in LANGUAGES for chapter in book.chapters_in(language)]
    pages += [urls.agency(agency) for agency in content.directory.agencies]
    return {urls.built_file(page): rank for rank, page in enumerate(pages)}


def indexable_pages(site: Path, order: dict[str, int]) -> Iterator[tuple[str, str]]:
    """(path relative to ``site``, HTML with its text segmented) of every indexable page, in ``order``."""
    paths = {path.relative_to(site).as_posix(): path for path in site.rglob("*.html")}
    for name in sorted(paths, key=lambda name: (order.get(name, len(order)), name)):
        html = paths[name].read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        parts = _TAGS.split(html)
        yield name, "".join(part if part.startswith("<") else segment(part) for part in parts)


def index_site(content: Content, out: Path) -> Path:
    """The search-index stage: index the website built in ``out`` with Pagefind, in :func:`index_order`;
    its bundle, made canonical, goes to ``out/pagefind/``, which is returned."""
    english = search_english.records(content)  # the gazette's English titles, for the English index
    pages, files = _Service(cwd=out).index(itertools.chain(indexable_pages(out, index_order(content)), english))
    if "pagefind.js" not in files:
        raise BuildError("Pagefind failed to index the site: its bundle has no pagefind.js")
    bundle = out / "pagefind"
    for name, data in sorted(canonical(files).items()):
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise BuildError(f"Pagefind named a file outside its bundle: {name}")
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(data)
    log.info("indexed %d pages for search", pages)
    return bundle


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
            stdin.write(_message(message_id, {"type": "NewIndex", "config": {"exclude_selectors": [EXCLUDE]}}))
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


def _message(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","


# -- a canonical bundle ------------------------------------------------------------------------------
#
# Pagefind keeps each filter's values, the list of filters and the entry's languages in hash maps
# seeded at random, so every run writes them in another order: other bytes, other file names (which
# are their hashes). canonical() sorts them and renames the files by their new hashes, the way
# Pagefind names files (the first characters of the SHA-1 of the CBOR, in its unpadded hex). The
# pages, words and fragments are already in a fixed order once the pages are sent in one.

_MAGIC = b"pagefind_dcd"


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its hash-ordered parts sorted; as it is (with a warning) if its format is not
    the one known here."""
    try:
        return _canonical(files)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, EOFError, OSError) as exc:
        log.warning("the search index is left as Pagefind wrote it (its format is not the one this build knows: "
                    "%s); two builds may differ in its bytes", exc)
        return files


def _canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    languages = {}
    for language, about in sorted(entry["languages"].items()):
        meta = _read_cbor(files.pop(f"pagefind.{about['hash']}.pf_meta"))
        if not (isinstance(meta[0], str) and all(isinstance(f, list) and len(f) == 2 for f in meta[3] + meta[4])):
            raise ValueError(f"unexpected layout of pagefind.{about['hash']}.pf_meta")
        filters = []
        for name, old in sorted(meta[3]):
            filter_name, values = _read_cbor(files.pop(f"filter/{old}.pf_filter"))
            body = _cbor([filter_name, sorted(values, key=lambda value: value[0])])
            digest, size = _hash(body), 7
            while f"filter/{language}_{digest[:size]}.pf_filter" in files and size < len(digest):
                size += 1  # as Pagefind does on a collision
            files[f"filter/{language}_{digest[:size]}.pf_filter"] = _gzip(body)
            filters.append([name, f"{language}_{digest[:size]}"])
        meta[3] = filters
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        body = _cbor(meta)
        about["hash"] = f"{language}_{_hash(body)[:len(language) + 8]}"
        files[f"pagefind.{about['hash']}.pf_meta"] = _gzip(body)
        languages[language] = about
    entry["languages"] = languages
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _read_cbor(gzipped: bytes):
    data = gzip.decompress(gzipped)
    if not data.startswith(_MAGIC):
        raise ValueError(f"a file does not start with {_MAGIC.decode()}")
    body = data[len(_MAGIC):]
    value, end = _uncbor(body, 0)
    if end != len(body) or _cbor(value) != body:  # any CBOR this codec would not write back the same
        raise ValueError("a file holds CBOR this build does not read")
    return value


def _gzip(body: bytes) -> bytes:
    data = bytearray(gzip.compress(_MAGIC + body, compresslevel=9, mtime=0))
    data[9] = 255  # "unknown" operating system, as Pagefind writes, whichever system zlib was built for
    return bytes(data)


def _hash(data: bytes) -> str:
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())  # Pagefind's hex: bytes unpadded


def _uncbor(data: bytes, i: int):
    """The CBOR Pagefind writes (minicbor): integers, strings, definite arrays, null and booleans."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info >= 28:
        raise ValueError(f"unsupported CBOR head 0x{head:02x}")
    if info < 24:
        argument = info
    else:
        size = 1 << (info - 24)
        argument, i = int.from_bytes(data[i:i + size], "big"), i + size
    if major == 0:
        return argument, i
    if major == 1:
        return -1 - argument, i
    if major == 2:
        return bytes(data[i:i + argument]), i + argument
    if major == 3:
        return data[i:i + argument].decode("utf-8"), i + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, i = _uncbor(data, i)
            items.append(item)
        return items, i
    if major == 7 and info in (20, 21, 22):
        return (False, True, None)[info - 20], i
    raise ValueError(f"unsupported CBOR head 0x{head:02x}")


def _cbor(value) -> bytes:
    if value is None or isinstance(value, bool):
        return {None: b"\xf6", True: b"\xf5", False: b"\xf4"}[value]
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor(item) for item in value)
    raise TypeError(f"cannot write {type(value).__name__} as CBOR")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError(f"{argument} is too large for CBOR")
