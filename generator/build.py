"""The ``build`` command: the whole pipeline, one stage after another, published at once.

    check -> change record -> (print edition | newsletters | e-books) -> open data -> website -> search index -> publish
                                                          (the open data's validation, beside them)  -^

Each stage is a function that takes what it needs and returns its product; :func:`build` runs them
in this order, times each and logs it on a line of its own. The stages before the website make
:class:`~generator.products.Products` (:func:`make_products`), which the website's pages show and whose
files it publishes: the MkDocs plugin receives them through MkDocs' config (:data:`CONFIG_KEY`) and
only places pages and files. A plain ``mkdocs build`` or ``serve`` has no products: the plugin then
runs :func:`make_products` itself.

Nothing is written to ``site/`` until every stage has succeeded: the stages write into a staging
folder beside it (``.site-new-*``), which then trades places with ``site/`` in one atomic rename
(``renameat2(RENAME_EXCHANGE)``), so ``site/`` always holds a complete build, the previous one or
the new one, even if the build is killed at any moment. A failed build leaves ``site/`` exactly as
it was. One build at a time: the build holds a lock (``.site.lock`` beside ``site/``) from start
to end, and the next build removes whatever staging folder a killed one left behind.

Two builds of the same commit give the same bytes: the only date MkDocs writes (the sitemap's
``lastmod``) comes from the last commit of the content (see :func:`content_date`), never the clock.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

from generator.checking.check import check
from generator.dates import TAIPEI
from generator.errors import BuildError
from generator.model import Content
from generator.outputs.ebooks.epub import ebooks
from generator.outputs.opendata.validation import build_data, check_aside, make_data
from generator.outputs.printed.issues import PrintEdition, pdf_uri, print_edition
from generator.outputs.newsletter import newsletters
from generator.outputs.search import index_site
from generator.products import APART_KEY, CONFIG_KEY, Products
from generator.reading.history import Blobs, record

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What dates the site: the folders editors commit (the theme and mkdocs.yml are presentation).
DATED_BY = ("content", "datasets")


def build(root: Path, site_dir: Path | None = None) -> Path:
    """Check ``root/content``, build every output into a staging folder and publish it as
    ``site_dir`` (``root/site``)."""
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    from generator.workers import long_lived

    with _lock(site_dir), long_lived() as settled:
        _clear_leftovers(site_dir)
        trash = _Trash(site_dir)
        try:
            with _staging(site_dir, spare=True) as out:
                # the spare's files are removed in a thread while check reads the content (a syscall per
                # file, without the GIL: about 30,000 files at 10,000 notices), and waited for before
                # any stage writes into the folder (issue 12)
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="emptying the spare")
                emptied = pool.submit(_reuse_spare, site_dir, out, trash)
                pool.shutdown(wait=False)
                try:
                    def ready() -> None:
                        settled()  # the content model, kept to the end, out of the collector's way
                        emptied.result()

                    made, validated = _make_products(root, out, aside=True, ready=ready)
                    try:
                        settled()  # the products
                        _stage("built", "the website", website, made, out, content_date(made.root, made.content))
                        settled(dropped=True)  # MkDocs' files, nav and pages, garbage now (in cycles): unfrozen, for the collector
                        _stage("built", "the search index", index_site, made.content, out, root / ".cache" / "search")
                    except Exception:
                        validated()  # an invalid package is the clearer message (what MkDocs stopped on may follow from it)
                        raise
                    _stage("validated", "the open data beside the website", validated)
                    _tidy(emptied.result())
                finally:
                    wait([emptied])  # never still emptying the folder when it is renamed or removed
                _stage("published", str(site_dir), publish, out, site_dir)
        finally:
            trash.wait()  # the spare's last links, removed meanwhile by a process of their own
    return site_dir


def make_products(root: Path, out: Path, blobs: Blobs | None = None) -> Products:
    """The stages before the website, each on what the ones before it made: the data files are
    written into ``out`` (the website's folder) and validated there. ``blobs``: the directory files
    already read from git, kept by ``serve`` from one rebuild to the next."""
    made, _ = _make_products(root, out, blobs)
    return made


def _make_products(root: Path, out: Path, blobs: Blobs | None = None, aside: bool = False,
                   ready: Callable[[], object] = lambda: None) -> tuple[Products, Callable[[], None]]:
    """:func:`make_products`, and the function that waits for the open data's validation: with
    ``aside``, it runs in a process of its own while the build goes on (the build waits for it before
    publishing), else it is done here. Side by side (issue 12): with ``aside``, the print edition in a
    forked process while the newsletters are made, and the e-books (pandoc, in a thread) meanwhile;
    the print edition typesets in one process per core when it has several issues to typeset; the
    stages before run first because the others need what they make. ``ready``: waits until ``out``
    may be written into (called after check and the change record, which do not)."""
    content = _stage("checked", "content/", check, root)
    changes = _stage("read", "the directory's change record", record, root, content.directory, blobs=blobs)
    ready()
    # before the open data and the website: they cite each notice by its page in the issue's PDF, and
    # link the PDF. With ``aside`` (a build), typeset in a forked process of its own while this one
    # makes the newsletters (issue 12: 0.6 s beside 0.5 s after one new issue at 10,000 notices);
    # forked before any thread of this build starts. ``serve`` typesets here: Typst's threads, started
    # by an earlier rebuild in the same process, would not survive a fork.
    # Nor in any process that has imported Typst (a test process, a script that built before): its
    # forked child hung for ever in Typst's compile (found by the suite: two workers' in-process
    # builds after another test had typeset). A build by ``python -m generator`` has not.
    if aside and "typst" not in sys.modules:
        printing = _forked("typeset", "the print edition", print_edition, content, root, out)
    else:
        printing = _done_here("typeset", "the print edition", print_edition, content, root, out)
    books = _beside("built", "the e-books", ebooks, content, root)
    validated = _nothing
    printed: PrintEdition | None = None
    failure: Exception | None = None
    try:
        try:
            # The newsletter links an issue's files that a stage before it made (newsletter.issue_files: the
            # print edition's PDF, at urls.issue_pdf), given by their site paths: the PDF of every issue,
            # which the print edition makes or stops the build (checked below).
            published = frozenset(pdf_uri(issue) for issue in content.gazette.issues)
            try:
                letters = _stage("built", "the newsletters", newsletters, content, published, root)
            except Exception as exc:  # noqa: BLE001 - raised below, after the open data's report (see the end)
                failure, letters = exc, ()
            printed = printing()
            if frozenset(pdf.uri for pdf in printed.issues) != published:
                raise BuildError("the print edition did not make the PDF of every issue, which the newsletters link")
        finally:
            if printed is None:  # stopped before it: the process is not left writing into the folder
                with contextlib.suppress(Exception):
                    printing()
            made_books = books()  # before the open data's validation forks: no thread runs then
        if aside:
            data = _stage("built", "the open data", make_data, content, changes, out, printed.issues, root)
            validated = check_aside(data, out, root)
        else:
            data = _stage("built and validated", "the open data", build_data, content, changes, out, printed.issues, root)
        if failure is not None:
            raise failure
    except Exception:
        # content that slipped past check (an agency missing from the directory) may stop a stage (the
        # newsletters, made before the open data since the print edition is typeset beside them; the
        # website) before the validation does: the package's report is the readable message
        validated()
        raise
    return Products(root, content, changes, made_books, data.packages, data.files, letters, printed.issues, printed.books), validated


def _forked(done: str, what: str, stage: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start a stage in a forked process (:func:`generator.workers.aside`) beside the stages that
    follow; returns the function that waits for its product (or raises its error) and then logs the
    stage's line with the stage's own time, as :func:`_beside` does for a thread."""
    from generator.workers import aside

    def timed() -> tuple[T, float]:
        started = time.perf_counter()
        return stage(*args), time.perf_counter() - started

    waiting = aside(timed, what)

    def wait() -> T:
        product, took = waiting()
        log.info("%s %s in %.1f s", done, what, took)
        return product

    return wait


def _done_here(done: str, what: str, stage: Callable[..., T], *args: object) -> Callable[[], T]:
    """Run a stage here and now, and return the function that gives its product and logs its line
    when the build waits for it, as :func:`_forked` does: the log's order is the same either way."""
    started = time.perf_counter()
    with _progress(what):
        product = stage(*args)
    took = time.perf_counter() - started

    def wait() -> T:
        log.info("%s %s in %.1f s", done, what, took)
        return product

    return wait


def _nothing() -> None:
    return None


def website(made: Products, out: Path, updated: dt.date | None = None) -> Path:
    """The website in ``out``, by MkDocs: the plugin gets ``made`` through the config, generates the
    pages from it and places its files. The folder is the build's own, fresh, holding only the data
    files the open-data stage wrote and validated: MkDocs builds "dirty" so that it keeps them, and
    places them as they are (its :class:`~mkdocs.structure.files.File` whose source is its
    destination is not copied), while strict mode still checks every link to them. ``updated``: the
    day the content last changed (:func:`content_date`), when the build knows it already."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(made.root / "mkdocs.yml"), site_dir=str(out), strict=True)
        config[CONFIG_KEY] = made
        config[APART_KEY] = True  # built dirty, below: the notices are rendered apart (website/apart.py)
        updated = updated or content_date(made.root, made.content)
        with _environment(SOURCE_DATE_EPOCH=str(_epoch(updated))), _into_fresh_folder():
            mkdocs_build(config, dirty=True)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs failed: {exc}") from exc
    return out


def publish(out: Path, site_dir: Path) -> Path:
    """The built site ``out`` in place of ``site_dir``, in one step (see :func:`_publish`)."""
    _publish(out, site_dir)
    return site_dir


def _beside(done: str, what: str, stage: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start a stage in a thread (one that mostly waits for another program: the e-books' pandoc),
    beside the stages that follow; returns the function that waits for its product (or raises its
    error) and then logs the stage's line with its own time, so the log's order does not depend on
    which finished first."""

    def timed() -> tuple[T, float]:
        started = time.perf_counter()
        return stage(*args), time.perf_counter() - started

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=what)
    future = pool.submit(timed)
    pool.shutdown(wait=False)  # not waiting here: its one thread ends when the stage does

    def wait() -> T:
        product, took = future.result()  # the stage's own error, raised here
        log.info("%s %s in %.1f s", done, what, took)
        return product

    return wait


def _stage(done: str, what: str, stage: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run one stage: a spinner on a terminal while it runs, then a line in the log with its time
    ("built the e-books in 0.6 s")."""
    started = time.perf_counter()
    with _progress(what):
        product = stage(*args, **kwargs)
    log.info("%s %s in %.1f s", done, what, time.perf_counter() - started)
    return product


class _FreshFolder(logging.Filter):
    """Drops MkDocs' warning about a "dirty" build (which strict mode would count as an error): it is
    about stale pages of an earlier build, and the build's folder is fresh."""

    MESSAGES = ("A 'dirty' build is being performed", "The directory contains stale files")

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.MESSAGES)


@contextmanager
def _into_fresh_folder() -> Iterator[None]:
    """MkDocs building into the build's own fresh folder: without its warnings about a dirty one."""
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _FreshFolder()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def content_date(root: Path, content: Content) -> dt.date:
    """The day the content last changed: its last commit (of :data:`DATED_BY`), as a day in Taiwan,
    like the directory's changes; without git history, the latest date the content states (its
    newest issue or yearbook edition). Never the clock: the same commit gives the same date."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%cI", "--", *DATED_BY], cwd=root,
                                capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("dating the site by its content: git cannot run (%s)", exc)
    else:
        if result.returncode == 0 and result.stdout.strip():
            return dt.datetime.fromisoformat(result.stdout.strip()).astimezone(TAIPEI).date()
        reason = (result.stderr.strip().splitlines() or [f"no commit of {' or '.join(f'{n}/' for n in DATED_BY)}"])[0]
        log.info("dating the site by its content: %s", reason)
    dates = [issue.date for issue in content.gazette.issues] + [book.date for book in content.yearbooks]
    return max(dates, default=dt.date(1970, 1, 1))


def file_dates(root: Path, folder: str) -> dict[str, dt.date]:
    """The day of each file's last commit under ``folder`` (relative to ``root``), by its path
    relative to ``folder``, as a day in Taiwan: one ``git log`` over the folder (the footer's "last
    update" of the hand-written pages of content/pages/: website/pages/dated.py). Files git does not
    know (no history, not committed yet) are left out."""
    try:
        result = subprocess.run(["git", "log", "--relative", "--format=%x00%cI", "--name-only", "--no-renames", "--", folder],
                                cwd=root, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    found: dict[str, dt.date] = {}
    day: dt.date | None = None
    prefix = folder.rstrip("/") + "/"
    for line in result.stdout.splitlines():
        if line.startswith("\0"):
            day = dt.datetime.fromisoformat(line[1:]).astimezone(TAIPEI).date()
        elif line and day is not None and line.startswith(prefix):
            found.setdefault(line.removeprefix(prefix), day)  # newest first: the first seen is the last commit
    return found


def _epoch(date: dt.date) -> int:
    """SOURCE_DATE_EPOCH for a day: its midnight UTC, so MkDocs (which writes UTC days) writes that day."""
    return int(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc).timestamp())


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """These environment variables while the block runs (whatever the environment said), then as before."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _progress(what: str):
    """A spinner with the current stage on a terminal; nothing in a log (each stage logs its time)."""
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(what) if console.is_terminal else nullcontext()


# -- one build at a time, published at once --------------------------------------------------------


@contextmanager
def _lock(site_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.site.lock`` beside ``site_dir`` (holding our pid) while the block
    runs; another build holding it stops this one at once. The kernel releases the lock of a killed
    build; the file is removed at the end (a build that opened it just before checks it still has the
    file that is there, else takes the lock again on the new one)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    path = site_dir.with_name(f".{site_dir.name}.lock")
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise BuildError(f"another build of this project is running{pid}; wait for it to finish") from None
        except OSError:
            os.close(fd)
            raise
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        os.close(fd)  # the build before removed the file after we opened it: lock the one now there
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _clear_leftovers(site_dir: Path) -> None:
    """Remove what a killed build left beside ``site_dir``: staging folders, and the old site if it
    was killed between the two renames of the fallback (then ``site_dir`` is missing: put it back)."""
    old = site_dir.with_name(f".{site_dir.name}-old")
    if old.is_dir() and not site_dir.exists():
        log.warning("putting back %s, which a killed build had moved to %s", site_dir.name, old.name)
        old.rename(site_dir)
    for path in [old, *site_dir.parent.glob(f".{site_dir.name}-new-*"), *site_dir.parent.glob(f".{site_dir.name}-trash-*")]:
        if path.is_dir() and not path.is_symlink():
            log.info("removing %s, left by a build that did not finish", path.name)
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _staging(site_dir: Path, spare: bool = False) -> Iterator[Path]:
    """A fresh folder beside ``site_dir`` (so the swap is a rename); at the end it holds the old site
    or a failed build, and is removed, or with ``spare`` kept as the spare folder (:func:`_reuse_spare`)."""
    out = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(out, 0o777 & ~umask)  # as mkdir makes a folder, not mkdtemp's 0700: web servers must read site/
    try:
        yield out
    finally:
        kept = _spare(site_dir)
        if spare and out.is_dir() and not kept.exists():
            out.rename(kept)
        else:
            shutil.rmtree(out, ignore_errors=True)


def _spare(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}-spare")


def _reuse_spare(site_dir: Path, out: Path, trash: _Trash | None = None) -> list[str]:
    """The folders of the spare (the site before the last, or a failed build), emptied of every file,
    as the staging folder ``out``; returns them, each before the folders in it.

    Why (issue 12): a site of 10,000 notices has about 11,700 folders (a notice's page is its folder's
    ``index.html``), and on a disk that frees blocks at once (``discard``, as on this project's
    machines) making them in a fresh staging folder and removing the old site's took seconds of every
    build, far more than the files in them, most of which are hard links. The folders are kept
    from one build to the next instead: every file is removed (so every stage writes into folders
    holding no file, as into a fresh one: no stale page, and no write through a hard link into a
    cache), and the folders this build leaves empty are removed before publishing (:func:`_tidy`;
    a build from scratch leaves none, ``tests/website/test_incremental.py`` compares the trees).

    A file that is its data's last link (a page whose copy in the page cache is gone, or one MkDocs
    wrote) is moved into ``trash`` instead (a rename: nothing freed), which a
    process of its own then removes while the build goes on: freeing 12,000 pages' blocks on that
    disk took 1 to 18 s, all of it in the way of the stages (issue 12)."""
    spare = _spare(site_dir)
    if spare.is_symlink() or not spare.is_dir():
        return []
    mode = os.stat(out).st_mode
    os.replace(spare, out)  # onto the empty folder mkdtemp made: the spare is now the staging folder
    os.chmod(out, mode)
    folders, todo = [], [os.fspath(out)]
    while todo:
        folder = todo.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif trash is not None and entry.stat(follow_symlinks=False).st_nlink == 1:
                    trash.take(entry.path)
                else:
                    os.unlink(entry.path)
    if trash is not None:
        trash.empty()
    return folders


class _Trash:
    """A folder beside the site (one file system: a file moves in by a rename) whose files a process
    of its own removes (``rm -rf``), so that freeing their blocks does not hold up the build; the
    build waits for it at its end (:meth:`wait`), so nothing is left behind or still running. A
    killed build's trash is removed by the next (:func:`_clear_leftovers`)."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self.folder: str | None = None
        self.count = 0
        self.process: subprocess.Popen[bytes] | None = None

    def take(self, path: str) -> None:
        if self.folder is None:
            self.folder = tempfile.mkdtemp(prefix=f".{self.site_dir.name}-trash-", dir=self.site_dir.parent)
        os.rename(path, os.path.join(self.folder, str(self.count)))
        self.count += 1

    def empty(self) -> None:
        """Start removing the folder (and what is in it)."""
        if self.folder is None:
            return
        try:
            self.process = subprocess.Popen(["rm", "-rf", "--", self.folder], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:  # no rm: here, now
            shutil.rmtree(self.folder, ignore_errors=True)

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
        if self.folder is not None and os.path.isdir(self.folder):
            shutil.rmtree(self.folder, ignore_errors=True)  # rm failed, or never started (an error before)


def _tidy(folders: list[str]) -> None:
    """Remove the folders of the spare (:func:`_reuse_spare`) that this build left empty, each after
    the folders in it (the first is the staging folder itself, kept)."""
    for folder in reversed(folders[1:]):
        with contextlib.suppress(OSError):  # not empty: this build wrote into it
            os.rmdir(folder)


def _publish(out: Path, site_dir: Path) -> None:
    """Put the new build ``out`` in place of ``site_dir`` in one step; ``out`` then holds the old one."""
    if not site_dir.exists():
        out.rename(site_dir)  # atomic too: nothing to trade places with
        return
    try:
        _exchange(out, site_dir)
        return
    except AttributeError:  # a C library without renameat2 (glibc < 2.28, not Linux)
        reason = "the C library has no renameat2"
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOSYS):
            raise BuildError(f"could not publish {site_dir}: {exc}") from exc
        reason = f"the kernel or file system refuses RENAME_EXCHANGE ({os.strerror(exc.errno)})"
    log.warning("publishing by two renames, %s: for a moment %s does not exist", reason, site_dir)
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    site_dir.rename(old)
    out.rename(site_dir)
    old.rename(out)  # removed with the staging folder


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths atomically: Linux's renameat2(RENAME_EXCHANGE), through glibc."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = libc.renameat2  # AttributeError without it
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))
