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

The entries live in one file, ``.cache/check/notices.pickle`` in the project (ignored by git;
removing it only makes the next ``check`` slower); after a run it holds the entries that run
used and nothing else. It is a pickle: whoever can write the project's ``.cache/`` can also
write its code, so it is trusted as the code is; a file that cannot be read back is ignored.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
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
        self.added = False
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
        except FileNotFoundError:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: start again
            log.info("ignoring the check cache %s: %s", self.path, exc)
            return
        finally:
            if collecting:
                gc.enable()
        if code == self.code and isinstance(entries, dict):
            self.entries = entries

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
            self.added = True
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
            self.added = True
        return value

    def save(self) -> None:
        """Write the entries this run used (and only those) to the project's file, whole or not at all."""
        stale = self.entries.keys() - self.used
        for key in stale:
            del self.entries[key]
        if self.path is None or not (self.added or stale):
            return
        self.added = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".new-")
            try:
                with os.fdopen(handle, "wb") as out:
                    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((self.code, self.entries))
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as exc:  # a read-only project is still checked
            log.info("could not keep the check cache %s: %s", self.path, exc)


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
