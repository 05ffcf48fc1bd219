"""What ``check`` found in each notice file, kept by the file's content, for the next ``check``.

At 10,000 notices nearly all of ``check``'s time goes to reading each notice on its own (YAML
front matter, the schema, the Markdown rules that look at one body). None of that depends on
anything but the file's bytes, its place (path, year, issue) and the site's categories, so it is
kept under a hash of exactly those, together with a hash of the generator's own code (a new rule
or message makes every entry stale):

- the problems reading the file reported, and what it read (the notice's values, their places);
- the problems of the rules on one body alone (unsafe markup, a formula at its start);
- the images its body names (the files themselves are looked up again on every run).

What depends on other files is never kept: attachments and images are looked up on disk on each
run, and every cross-file rule (numbering, dates, duplicate document numbers, agencies,
references between notices) runs over the whole model every time. A file that changes back to
earlier bytes finds its earlier entry only if that entry is still kept, and its result is the
same as a fresh read by construction (same bytes, same code, same key).

The entries live in ``.cache/check/notices.pickle`` in the project (ignored by git; removing it
only makes the next ``check`` slower). A run that only added or completed entries (a new issue)
appends them to ``notices.added.pickle`` beside it instead of writing 10,000 entries again (issue
12: 0.2 s of every build); a run that left entries unused (a changed or deleted file), or after
which the appended entries would pass an eighth of the whole (and 256), writes the whole file anew with the
entries that run used and nothing else, and removes the appended ones. Each appended record names
the whole file it extends (its inode, size and modification time when it was read), so a record
left beside another file, or cut short by a killed run, is not read, and the next run writes the
whole file. It is a pickle: whoever can write the project's ``.cache/`` can also write its code,
so it is trusted as the code is; a file that cannot be read back is ignored.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import logging
import os
import pickle
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

import generator

log = logging.getLogger(__name__)

#: Where a project keeps it (beside the page cache, website/cache.py).
FILE = Path(".cache") / "check" / "notices.pickle"
#: The entries added since :data:`FILE` was written whole, beside it.
ADDED = FILE.with_name("notices.added.pickle")
#: The appended entries are written into the whole file when they pass this share of it (or, in a
#: small project, this many).
APPENDED_SHARE = 8
APPENDED_AT_LEAST = 256


def code_key() -> str:
    """A hash of the generator's code: the rules and messages an entry was made with."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Memo:
    """The entries of one project (``root``), loaded from its file; or in memory only (``root`` None),
    as ``serve`` keeps it between rebuilds. :meth:`save` writes back what this run used."""

    def __init__(self, root: Path | None = None, code: str | None = None):
        self.path = root / FILE if root is not None else None
        self.code = code if code is not None else code_key()
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.changed: set[str] = set()  # the entries this run added or completed
        self.whole: tuple[int, int, int] | None = None  # the file read whole: its inode, size and modification time
        self.appended = 0  # entries read from the appended records
        self.rewrite = False  # an appended record that could not be read: write the whole file next
        #: the key of each notice file read in this run, by its path relative to the project ('/'-separated)
        self.keys: dict[str, str] = {}
        if self.path is not None:
            self._load()

    @classmethod
    def none(cls) -> Memo:
        """No memo: every part is computed (no notice is read through it)."""
        return cls(code="")

    def _load(self) -> None:
        assert self.path is not None
        collecting = gc.isenabled()
        gc.disable()  # the collector would walk the growing heap again and again: most of the load's time
        try:  # (check pauses it for the whole run; a memo may be made elsewhere)
            with open(self.path, "rb") as handle:
                code, entries = pickle.load(handle)
                whole = _identity(os.fstat(handle.fileno()))
            if code == self.code and isinstance(entries, dict):
                self.entries, self.whole = entries, whole
                self._load_added()
        except FileNotFoundError:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: start again
            log.info("ignoring the check cache %s: %s", self.path, exc)
            self.entries, self.whole = {}, None
            return
        finally:
            if collecting:
                gc.enable()

    def _load_added(self) -> None:
        """The records appended to the whole file (:data:`ADDED`), in order, as long as they are whole
        and extend this file; anything else there makes the next :meth:`save` write the whole file."""
        assert self.path is not None
        try:
            data = self.path.with_name(ADDED.name).read_bytes()
        except FileNotFoundError:
            return
        stream = io.BytesIO(data)
        while stream.tell() < len(data):
            try:
                code, whole, entries = pickle.load(stream)
            except Exception:  # noqa: BLE001 - cut short by a killed run, or damaged
                self.rewrite = True
                return
            if code != self.code or whole != self.whole or not isinstance(entries, dict):
                self.rewrite = True  # appended to another file (written whole meanwhile)
                return
            self.entries.update(entries)
            self.appended += len(entries)

    def base(self, *parts: object) -> Any:
        """The start of the keys of files read alike (the code, the kind of file, the site's categories):
        hashed once, for :meth:`key`."""
        digest = hashlib.sha256(self.code.encode())
        _add(digest, parts)
        return digest

    def key(self, base: Any, *parts: object) -> str:
        """The key of a file's entry: ``base`` (:meth:`base`), then its bytes and whatever else its
        reading depends on (``parts``)."""
        digest = base.copy()
        _add(digest, parts)
        return digest.hexdigest()

    def in_memory(self) -> None:
        """From now on kept in memory only (``serve``: writing the file back after each change costs more
        than it saves)."""
        self.path = None

    def begin(self) -> None:
        """A new run over the same entries (``serve`` keeps the memo from one rebuild to the next)."""
        self.used = set()
        self.keys = {}

    def entry(self, key: str) -> dict[str, Any]:
        """The entry ``key`` (empty if new), marked as used by this run."""
        self.used.add(key)
        found = self.entries.get(key)
        if found is None:
            found = self.entries[key] = {}
            self.changed.add(key)
        return found

    def part(self, path: str, name: str, compute: Any) -> Any:
        """The part ``name`` of the entry of the notice file ``path`` read in this run: kept, or
        ``compute()`` (kept for the next run); computed and not kept for a file not read through the memo."""
        key = self.keys.get(path)
        if key is None:
            return compute()
        found = self.entry(key)
        if name in found:
            return found[name]
        value = compute()
        if keeps(value):
            found[name] = value
            self.changed.add(key)
        return value

    def save(self) -> None:
        """Keep what this run added: appended to the whole file's records, or the whole file written
        anew with the entries this run used (and only those), whole or not at all (see the module)."""
        stale = self.entries.keys() - self.used
        for key in stale:
            del self.entries[key]
        changed, self.changed = self.changed & self.entries.keys(), set()
        if self.path is None or not (changed or stale):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if stale or self.rewrite or self.whole is None or \
                    self.appended + len(changed) > max(APPENDED_AT_LEAST, len(self.entries) // APPENDED_SHARE):
                self._write_whole()
            else:
                self._append({key: self.entries[key] for key in sorted(changed)})
        except OSError as exc:  # a read-only project is still checked
            log.info("could not keep the check cache %s: %s", self.path, exc)

    def _write_whole(self) -> None:
        assert self.path is not None
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".new-")
        try:
            with os.fdopen(handle, "wb") as out:
                _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((self.code, self.entries))
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self.whole, self.appended, self.rewrite = _identity(os.stat(self.path)), 0, False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path.with_name(ADDED.name))

    def _append(self, entries: dict[str, dict[str, Any]]) -> None:
        """One record (the code, the whole file it extends, the entries) added to the end of
        :data:`ADDED` by one write."""
        assert self.path is not None
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((self.code, self.whole, entries))
        descriptor = os.open(self.path.with_name(ADDED.name), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(buffer.getvalue())
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)
        self.appended += len(entries)


def _identity(status: os.stat_result) -> tuple[int, int, int]:
    """What tells one written file from another: its inode, size and modification time."""
    return status.st_ino, status.st_size, status.st_mtime_ns


def _add(digest: Any, parts: tuple[object, ...]) -> None:
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)


#: The most problems an entry keeps: a file with more (a pasted page of script) is read again each time,
#: which costs less than writing and reading back its thousands of problems.
KEEP_AT_MOST = 100


def keeps(value: object) -> bool:
    """Whether a part of an entry is worth keeping (see :data:`KEEP_AT_MOST`)."""
    return not isinstance(value, list) or len(value) <= KEEP_AT_MOST


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    """Pickles the model's read-only mappings (``where``: the place of each value) as what they show."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, MappingProxyType):
            return _proxy, (dict(obj),)
        return NotImplemented
