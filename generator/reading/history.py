"""The directory's change record: what was added, removed or changed in each published version.

A *published version* is a commit that changed ``content/directory``; its date is the commit's
committer date. The build reads the newest :data:`WINDOW` versions from git (one ``git ls-tree`` per
version and one ``git cat-file --batch`` for every file not read before), loads each file with the
same :class:`~generator.reading.load.Loader` as the content, and compares neighbouring versions entry by
entry (:class:`~generator.model.directory.Entry`: an agency, a unit or a contact, identified by
agency id, unit id and name or role). An entry whose own data differs in any field is *changed*.

Changes in the working tree that are not committed yet are compared with the newest version and
listed first as *unpublished*, dated by the build's clock: an editor previewing an edit sees it where
it will appear once committed. A published site is built from a clean checkout, so its record comes
from commits only and two builds of the same commit are byte-identical.

No git, no repository, or no commit of ``content/directory`` yet gives an empty record that says why;
any other failure of git is a :class:`~generator.errors.BuildError`.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from generator.dates import TAIPEI  # dates are days in Taiwan
from generator.errors import BuildError
from generator.reading.load import Loader
from generator.model import Agency, Directory
from generator.model.directory import COMPARED, Entry, agency_entries

log = logging.getLogger(__name__)

#: How many published versions the record compares (each with the one before it).
WINDOW = 20
#: The directory's folder, relative to the project.
FOLDER = "content/directory"

Snapshot = Mapping[str, Agency | None]  # agency id -> the agency (None: the file did not load)

#: Why a record is empty, in English (the JSON, the log) and Chinese (the pages).
NOTES = MappingProxyType({
    "no-git": ("git is not installed", "系統未安裝 git"),
    "no-repository": ("the project is not in a git repository", "本專案不在 git 版本庫中"),
    "no-commits": ("the directory has not been committed to git yet", "電話號碼表尚未提交到 git 版本庫"),
})


@dataclass(frozen=True)
class Change:
    """One entry added, removed or changed. ``entry`` is the entry as it is now (as it was, if removed)."""

    change: str  # added, removed or changed
    entry: Entry
    before: Entry | None = None  # for a change
    fields: tuple[str, ...] = ()  # what changed, in column order


@dataclass(frozen=True)
class Version:
    """A version of the directory with what changed since the one before; ``commit`` is None for
    changes not committed yet."""

    commit: str | None
    when: dt.datetime
    changes: tuple[Change, ...] = ()

    @property
    def date(self) -> dt.date:
        return self.when.astimezone(TAIPEI).date()

    @property
    def published(self) -> bool:
        return self.commit is not None


@dataclass(frozen=True)
class ChangeRecord:
    """The versions with changes, newest first; ``first`` is the first published version when the
    record reaches back to it (its entries are the starting point, not listed as added)."""

    versions: tuple[Version, ...] = ()
    first: Version | None = None
    agency_changed: Mapping[str, dt.datetime] = field(default_factory=lambda: MappingProxyType({}))
    note: str | None = None  # why there is no record: a key of NOTES

    @property
    def pending(self) -> frozenset[str]:
        """The agencies with changes not committed yet."""
        return frozenset(c.entry.agency_id for v in self.versions if not v.published for c in v.changes)

    @property
    def updated(self) -> dt.datetime | None:
        """When the directory last changed."""
        times = [version.when for version in self.versions] + list(self.agency_changed.values())
        return max(times, default=None)

    def last_changed(self, agency_id: str) -> dt.datetime | None:
        return self.agency_changed.get(agency_id)


def compare(older: Snapshot, newer: Snapshot) -> tuple[Change, ...]:
    """Every entry added, removed or changed from ``older`` to ``newer``, by agency id, in entry order.
    An agency whose file did not load in either version is not compared."""
    changes: list[Change] = []
    for agency_id in sorted(set(older) | set(newer)):
        if older.get(agency_id, "") is None or newer.get(agency_id, "") is None:
            continue  # its file did not load: not compared
        before, after = older.get(agency_id), newer.get(agency_id)
        old = {entry.id: entry for entry in agency_entries(before)} if before else {}
        new = {entry.id: entry for entry in agency_entries(after)} if after else {}
        for entry_id, entry in new.items():
            if entry_id not in old:
                changes.append(Change("added", entry))
            elif fields := tuple(name for name in COMPARED if getattr(old[entry_id], name) != getattr(entry, name)):
                changes.append(Change("changed", entry, old[entry_id], fields))
        changes += [Change("removed", entry) for entry_id, entry in old.items() if entry_id not in new]
    return tuple(changes)


def record(root: Path, directory: Directory, now: dt.datetime | None = None, window: int = WINDOW,
           blobs: Blobs | None = None) -> ChangeRecord:
    """The change record of ``directory`` (the working tree's) against the git history of ``root``:
    the build's change-record stage. ``blobs`` keeps the files read from git for the next call
    (``serve`` rebuilds often); without it they are read afresh."""
    repo = _Repository(root, blobs if blobs is not None else Blobs())
    note = repo.unavailable()
    if note:
        return ChangeRecord(note=note)
    commits = repo.commits(window + 1)
    if not commits:
        return ChangeRecord(note="no-commits")
    snapshots = [repo.snapshot(commit) for commit, _ in commits]
    versions = []
    current: Snapshot = {agency.id: agency for agency in directory.agencies}
    if unpublished := compare(snapshots[0], current):
        versions.append(Version(None, now or dt.datetime.now(TAIPEI).replace(microsecond=0), unpublished))
    for index, (commit, when) in enumerate(commits[:window]):
        if index + 1 < len(commits) and (changes := compare(snapshots[index + 1], snapshots[index])):
            versions.append(Version(commit, when, changes))
    first = None
    if len(commits) <= window and not repo.shallow:
        first = Version(*commits[-1])
    changed = _agency_changed(versions, current, repo, commits[-1][0])
    return ChangeRecord(versions=tuple(versions), first=first, agency_changed=MappingProxyType(changed))


def _agency_changed(versions: list[Version], current: Snapshot, repo: _Repository, base: str) -> dict[str, dt.datetime]:
    """When each agency of the working tree last changed: its newest change in the record, or else
    the last commit (at or before the oldest version read) that touched its file."""
    changed: dict[str, dt.datetime] = {}
    for version in versions:
        for change in version.changes:
            changed.setdefault(change.entry.agency_id, version.when)
    missing = [agency_id for agency_id in current if agency_id not in changed]
    if missing:
        touched = repo.last_touched(base)
        changed |= {agency_id: touched[agency_id] for agency_id in missing if agency_id in touched}
    return {agency_id: changed[agency_id] for agency_id in sorted(changed) if agency_id in current}


# -- git ------------------------------------------------------------------------------------------

class Blobs:
    """Directory files read from git, loaded, by (file name, blob id): a version shares most files with
    the one before it, and a blob never changes, so whoever reads the record again and again (``serve``)
    keeps one of these and passes it to every :func:`record`. It starts afresh past :attr:`LIMIT` files."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._agencies: dict[tuple[str, str], Agency | None] = {}

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._agencies

    def __getitem__(self, key: tuple[str, str]) -> Agency | None:
        return self._agencies[key]

    def __setitem__(self, key: tuple[str, str], agency: Agency | None) -> None:
        if len(self._agencies) >= self.LIMIT:
            self._agencies.clear()
        self._agencies[key] = agency


class _Repository:
    """The few git commands the record needs, each by argument list, run in the project folder."""

    def __init__(self, root: Path, blobs: Blobs):
        self.root = root
        self.blobs = blobs
        self.shallow = False

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            result = subprocess.run(["git", *args], cwd=self.root, input=stdin, capture_output=True, timeout=120)
        except FileNotFoundError:
            raise BuildError("git is not installed: install it (apt-get install git) to build the change record") from None
        except subprocess.TimeoutExpired:
            raise BuildError(f"git {args[0]} took more than 2 minutes in {self.root}") from None
        if result.returncode != 0:
            reason = result.stderr.decode("utf-8", "replace").strip()
            raise BuildError(f"git {' '.join(args)} failed in {self.root}: {reason}")
        return result.stdout

    def unavailable(self) -> str | None:
        """Why there is no history to read (a key of NOTES), or None."""
        try:
            answer = self.git("rev-parse", "--is-inside-work-tree", "--is-shallow-repository").decode().split()
        except BuildError as exc:
            if "not a git repository" in str(exc):
                return "no-repository"
            if "git is not installed" in str(exc):
                return "no-git"
            raise
        self.shallow = answer[-1] == "true"
        if subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=self.root, capture_output=True).returncode:
            return "no-commits"  # a repository without any commit yet
        if self.shallow:
            log.warning("the repository is a shallow clone: the change record reaches back only as far as it does "
                        "(clone with the full history, e.g. fetch-depth: 0)")
        return None

    def commits(self, count: int) -> list[tuple[str, dt.datetime]]:
        """The newest ``count`` commits that changed the directory, newest first, with committer dates."""
        out = self.git("log", f"--max-count={count}", "--format=%H %cI", "--", FOLDER).decode()
        return [(sha, dt.datetime.fromisoformat(when)) for sha, when in (line.split() for line in out.splitlines())]

    def snapshot(self, commit: str) -> Snapshot:
        """The directory as it was in ``commit``."""
        files = {}
        for line in self.git("ls-tree", "-r", "-z", commit, "--", FOLDER + "/").split(b"\0"):
            if line:
                meta, _, path = line.decode("utf-8").partition("\t")
                name = path.rsplit("/", 1)[-1]
                if meta.split()[1] == "blob" and name.endswith(".yml") and path.count("/") == FOLDER.count("/") + 1:
                    files[name] = meta.split()[2]
        self._read([(name, blob) for name, blob in files.items() if (name, blob) not in self.blobs])
        return {name.removesuffix(".yml"): self.blobs[(name, blob)] for name, blob in sorted(files.items())}

    def _read(self, wanted: list[tuple[str, str]]) -> None:
        """Load files from git with the content loader (problems in old versions are not reported)."""
        if not wanted:
            return
        data = self.git("cat-file", "--batch", stdin="".join(f"{blob}\n" for _, blob in wanted).encode())
        with tempfile.TemporaryDirectory(prefix="jiahe-history-") as tmp:
            folder = Path(tmp, FOLDER)
            folder.mkdir(parents=True)
            loader = Loader(root=Path(tmp), content=Path(tmp, "content"))
            for name, blob in wanted:
                header, _, data = data.partition(b"\n")
                if header.endswith(b" missing"):
                    raise BuildError(f"git cannot read {FOLDER}/{name} (object {blob}) in {self.root}: "
                                     "the repository is damaged; run 'git fsck' and fetch the missing objects")
                size = int(header.split()[2])
                path = folder / name
                path.write_bytes(data[:size])
                data = data[size + 1:]
                self.blobs[(name, blob)] = loader.load_agency(path)

    def last_touched(self, commit: str) -> dict[str, dt.datetime]:
        """For each directory file, the date of the last commit at or before ``commit`` that changed it."""
        out = self.git("log", "--format=%x00%cI", "--name-only", commit, "--", FOLDER).decode("utf-8")
        touched: dict[str, dt.datetime] = {}
        for block in out.split("\0")[1:]:
            when, *names = block.strip().splitlines()
            for name in names:
                if name.endswith(".yml"):
                    touched.setdefault(name.rsplit("/", 1)[-1].removesuffix(".yml"), dt.datetime.fromisoformat(when))
        return touched
