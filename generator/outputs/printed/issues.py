"""The print edition of the gazette: one A4 PDF per issue, the copy cited by issue and page.

The stage :func:`print_edition` (which also makes the yearbook's PDFs, :mod:`.yearbook`) runs before the open data and the website, which show each notice's page
(its citation, the data's ``page`` column): the pages are where Typst really put each notice, read back
from the typeset document. Issues are immutable once published, so each PDF is kept in a cache
(``.cache/print/`` in the project folder, :data:`.typeset.CACHE`) under a hash of everything it is made from (the notices'
text, the data the template shows, the templates, Typst's and pandoc's versions, the font files): an
unchanged issue is never typeset again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from generator import urls
from generator.dates import roc_date
from generator.errors import BuildError
from generator.labels import labels
from generator.markup.sanitize import clean
from generator.model import Content, Issue, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.outputs.printed import typeset
from generator.outputs.printed.yearbook import BookPdf, book_pdfs
from generator.workers import cores, heaviest_first, runs

log = logging.getLogger(__name__)

LANGUAGE = DEFAULT_LANGUAGE  # the gazette is published in one language


@dataclass(frozen=True)
class IssuePdf:
    """An issue's print edition: the PDF published at :attr:`uri` (the file at :attr:`path`, placed in
    the build's folder), and the page of each notice in it."""

    issue: str  # the issue's id, 2026/03
    uri: str  # gazette/2026/03/gazette-2026-03.pdf
    path: Path  # the PDF, at its place in the build's folder (a hard link to the cache's)
    size: int
    pages: Mapping[str, int]  # notice id -> the page its title is printed on (1 = the cover)

    @property
    def data(self) -> bytes:
        """The PDF's bytes (read when asked: 500 issues' PDFs need not stay in memory)."""
        return self.path.read_bytes()


@dataclass(frozen=True)
class PrintEdition:
    """What the print-edition stage makes: every issue's PDF, and every yearbook edition's in each language."""

    issues: tuple[IssuePdf, ...] = ()
    books: tuple[BookPdf, ...] = ()


def print_edition(content: Content, root: Path, out: Path) -> PrintEdition:
    """The print-edition stage: the gazette's issues and the yearbook's editions as PDFs, each from the
    cache when nothing it is made from changed; the issues' PDFs are placed in ``out`` (the build's folder)."""
    if not content.gazette.issues and not content.yearbooks:
        return PrintEdition()
    version = typeset.engine_version() + typeset.templates_digest()
    program = typeset.pandoc_program()
    pdfs = issue_pdfs(content, root, out, version, program)
    books, typeset_books = book_pdfs(content, root, version, program)
    log.info("typeset %d of %d yearbook PDFs (the others unchanged, from %s)", typeset_books, len(books), typeset.CACHE)
    return PrintEdition(pdfs, books)


def issue_pdfs(content: Content, root: Path, out: Path, version: str = "", program: str = "",
               workers: int | None = None) -> tuple[IssuePdf, ...]:
    """Every issue's PDF, placed in ``out`` at its address: from the cache when nothing it is made
    from changed (a hard link to the cached file, not a copy), else typeset, in ``workers`` processes
    (one per core) when there are several to typeset."""
    if not content.gazette.issues:
        return ()
    version = version or typeset.engine_version() + typeset.templates_digest()
    version += source_version()
    cache = root / typeset.CACHE
    keys = {issue.id: issue_key(content, issue, version) for issue in content.gazette.issues}
    kept = {issue.id: typeset.cached_pdf(cache, _name(issue), keys[issue.id]) for issue in content.gazette.issues}
    todo = [issue for issue in content.gazette.issues if kept[issue.id] is None]
    if todo:
        _typeset_all(content, todo, keys, cache, program or typeset.pandoc_program(), workers or cores())
    made = []
    for issue in content.gazette.issues:
        found = kept[issue.id] or typeset.cached_pdf(cache, _name(issue), keys[issue.id])
        if found is None:  # the cache could not be written (a read-only checkout): typeset here, kept in out
            pdf, pages = _typeset(content, issue, program or typeset.pandoc_program())
            target = _target(out, issue)
            target.write_bytes(pdf)
        else:
            cached, pages = found
            target = _place(cached, out, issue)
        if len(pages) != len(issue.notices):
            raise BuildError(f"the print edition of issue {issue.id} placed {len(pages)} of {len(issue.notices)} notices")
        order = [notice for _, notices in sections(content, issue) for notice in notices]
        made.append(IssuePdf(issue.id, pdf_uri(issue), target, target.stat().st_size,
                             {notice.id: page for notice, page in zip(order, pages, strict=True)}))
    log.info("typeset %d of %d issues (the others unchanged, from %s)", len(todo), len(made), typeset.CACHE)
    return tuple(made)


def _name(issue: Issue) -> str:
    return f"gazette-{issue.year}-{issue.number:02d}"


def _target(out: Path, issue: Issue) -> Path:
    target = out / pdf_uri(issue)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _place(cached: Path, out: Path, issue: Issue) -> Path:
    """The cached PDF at its place in ``out``: a hard link (no byte copied), a copy where links are refused."""
    target = _target(out, issue)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(cached, target)
    return target


def source_version() -> str:
    """What turns an issue's Markdown into the HTML pandoc reads, besides the Markdown: the markup
    libraries' versions and the generator's code (the key hashes the Markdown, not the HTML)."""
    from generator.outputs.issuecache import GENERATOR, code_digest, library_versions

    return library_versions("markdown", "pymdown-extensions", "nh3") + code_digest(
        GENERATOR / "markup", Path(__file__), Path(typeset.__file__), GENERATOR / "labels")


def issue_key(content: Content, issue: Issue, version: str) -> str:
    """The cache key of an issue's PDF: the data the template shows and the notices' bodies as typed
    (their HTML is a function of them and of :func:`source_version`, part of ``version``), so that
    an unchanged issue costs no Markdown conversion."""
    bodies = [notice.body for _, notices in sections(content, issue) for notice in notices]
    return hashlib.sha256("\0".join([version, json.dumps(data_of(content, issue), ensure_ascii=False, sort_keys=True),
                                       *bodies]).encode()).hexdigest()


def _typeset(content: Content, issue: Issue, program: str) -> tuple[bytes, tuple[int, ...]]:
    html, data = source(content, issue)
    body = typeset.to_typst(html, program, shift_headings=2)
    result = typeset.compile_pdf("issue.typ", body, data, timestamp=_epoch(issue.date))
    return result.pdf, result.pages


def _typeset_into_cache(content: Content, issues: list[Issue], keys: Mapping[str, str], cache: Path, program: str) -> None:
    older = typeset.kept(cache)
    for start in range(0, len(issues), BATCH):
        _typeset_batch([_job(content, issue, keys, older) for issue in issues[start:start + BATCH]], cache, program)


#: Issues typeset by one job (issue 12): their HTML converted by one pandoc run, their PDFs compiled
#: one after the other by the process's one Typst compiler. At most this many, and fewer when there
#: are few to typeset, so that every process gets its share.
BATCH = 16


#: The most Markdown one job's issues hold (issue 12). The real sample's daily issues hold up to
#: 600 KB of tables each, and jobs of 16 of them took a minute or more each: at the end one core
#: waited while the other typeset the last job (the real sample's print edition: 179 s for 315 s of
#: work). A gazette's usual issues, a few KB a notice, still go sixteen to a job.
BATCH_BYTES = 500_000

Job = tuple[str, str, list[str], dict[str, object], int, list[Path]]


def _batches(jobs: list[Job], workers: int) -> list[list[Job]]:
    """``jobs`` cut into batches for ``workers`` processes: at most :data:`BATCH` issues and
    :data:`BATCH_BYTES` of Markdown each (an issue larger than that alone), and no more issues each
    than give every process a share; the largest batches first, so that the last to end is a small
    one (the longest-first rule for spreading jobs over processes)."""
    weights = [sum(len(body.encode("utf-8")) for body in job[2]) for job in jobs]
    cut = runs(weights, BATCH_BYTES, most=max(1, min(BATCH, -(-len(jobs) // workers))))
    return [[jobs[index] for index in batch] for batch in heaviest_first(cut, weights)]


def _job(content: Content, issue: Issue, keys: Mapping[str, str], older: Mapping[str, list[Path]]) -> Job:
    """What a process needs to typeset ``issue`` into the cache: its name and key, its notices' bodies
    as typed (the Markdown is converted by the process: :func:`html_of`), the data, the timestamp,
    and the cache's files of its older versions (``older``: :func:`.typeset.kept`), to remove."""
    bodies = [notice.body for _, notices in sections(content, issue) for notice in notices]
    return _name(issue), keys[issue.id], bodies, data_of(content, issue), _epoch(issue.date), older.get(_name(issue), [])


def _typeset_all(content: Content, todo: list[Issue], keys: Mapping[str, str], cache: Path, program: str,
                 workers: int) -> None:
    """Typeset ``todo`` into the cache: in ``workers`` processes when there is more than one issue,
    in jobs of up to :data:`BATCH` issues.

    The processes are *spawned*, not forked: Typst lays out pages on a pool of threads of its own,
    which a forked child would inherit without its threads (and wait for them for ever) once this
    process has typeset anything (``serve`` typesets in the same process from one rebuild to the
    next). Each job is what :func:`_job` made here (the bodies as typed and the data: the Markdown
    is converted by the processes, beside each other); the first failure stops the others and the
    build, with the error it would have stopped this process with."""
    workers = min(workers, len(todo))
    if workers <= 1:
        _typeset_into_cache(content, todo, keys, cache, program)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    older = typeset.kept(cache)
    failure = ""
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_typeset_batch, jobs, cache, program)
                   for jobs in _batches([_job(content, issue, keys, older) for issue in todo], workers)]
        for future in futures:
            try:
                future.result()
            except BuildError as exc:
                failure = str(exc)
            except BrokenProcessPool:  # one died without a word (killed, out of memory)
                failure = "a process typesetting the print edition stopped"
            except Exception as exc:  # noqa: BLE001 - what stopped a process stops the build, readably
                failure = f"typesetting the print edition failed: {type(exc).__name__}: {exc}"
            if failure:
                pool.shutdown(wait=True, cancel_futures=True)
                break
    if failure:
        raise BuildError(failure)


def _typeset_batch(jobs: list[Job], cache: Path, program: str) -> None:
    """Issues typeset into the cache (in a worker process, or in the build's): their HTML by one
    pandoc run (:func:`.typeset.to_typst_many`), each PDF by the process's Typst compiler."""
    bodies = typeset.to_typst_many([html_of(job[2]) for job in jobs], program, shift_headings=2)
    for (name, key, _, data, timestamp, older), body in zip(jobs, bodies, strict=True):
        result = typeset.compile_pdf("issue.typ", body, data, timestamp=timestamp)
        typeset.write_cache(cache, name, key, result.pdf, result.pages, older)


def pdf_uri(issue: Issue) -> str:
    """The PDF's place, under the issue's own URL: ``gazette/2026/03/gazette-2026-03.pdf``."""
    return urls.issue_pdf(issue)


def sections(content: Content, issue: Issue) -> list[tuple[str, list[Notice]]]:
    """The issue's notices grouped by category, in the order of site.yml (as the issue's page lists them)."""
    by_category = [(category.name.get(LANGUAGE), [n for n in issue.notices if n.category == category.slug])
                   for category in content.site.categories]
    return [(name, notices) for name, notices in by_category if notices]


def source(content: Content, issue: Issue) -> tuple[str, dict[str, object]]:
    """What the PDF is made from: the bodies as one HTML document (each notice's in a ``part-N``
    wrapper) and the data the template shows (every other string, :func:`data_of`)."""
    return html_of([notice.body for _, notices in sections(content, issue) for notice in notices]), data_of(content, issue)


def html_of(bodies: list[str]) -> str:
    """The notices' bodies (Markdown, in the order printed) as one HTML document, each in a ``part-N`` wrapper."""
    import markdown

    converter = markdown.Markdown(extensions=list(typeset.EXTENSIONS))  # one for the issue, reset after each body
    html = []
    for index, body in enumerate(bodies):
        try:
            cleaned = clean(converter.convert(body))
        finally:
            converter.reset()
        html.append(f'<div id="part-{index}">\n{cleaned}\n</div>')
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(html) + "\n</body></html>\n"


def data_of(content: Content, issue: Issue) -> dict[str, object]:
    """The data the template shows: every string of the issue's PDF but the notices' bodies."""
    words, gazette_words = labels("print", LANGUAGE), labels("gazette", LANGUAGE)
    site = content.site
    gazette, label = site.gazette.title.get(LANGUAGE), site.gazette.label(issue.year, issue.number)
    parts: list[dict[str, object]] = []
    for name, notices in sections(content, issue):
        for index, notice in enumerate(notices):
            # every agency of a joint notice, the lead first; an agency missing from the directory slipped
            # past check only in tests of the open data's validation, which runs next and names it
            separator = str(gazette_words["list_separator"])
            names = [agency.name.get(LANGUAGE) if (agency := content.links.agencies.get(agency_id)) else agency_id
                     for agency_id in notice.agencies]
            meta = [(gazette_words["meta"]["agency"], separator.join(names)),
                    (gazette_words["meta"]["doc_number"], separator.join(notice.doc_numbers)),
                    (gazette_words["meta"]["issued"], roc_date(notice.issued))]
            if notice.signer:
                meta.append((gazette_words["meta"]["signer"], notice.signer))
            parts.append({
                "section": name if index == 0 else None, "title": notice.title, "meta": meta,
                "attachments": [{"title": a.title or a.file,
                                 "url": urls.absolute(site.base_url, quote(urls.attachment(notice, a.file)))}
                                for a in notice.attachments]})
    date = issue.date
    return {
        "title": f"{gazette} {label}", "author": site.publisher.get(LANGUAGE),
        "subject": str(words["subject"]).format(gazette=gazette, issue=label, date=roc_date(date), count=len(issue.notices)),
        "keywords": [gazette, label] + [name for name, _ in sections(content, issue)],
        "date": [date.year, date.month, date.day],
        "gazette": gazette, "issue": label, "date_roc": roc_date(date),
        "date_western": str(words["date_western"]).format(year=date.year, month=date.month, day=date.day),
        "publisher": site.publisher.get(LANGUAGE), "issue_title": issue.title, "notes": issue.notes,
        "words": {key: words[key] for key in ("contents", "published_by", "attachments")},
        "parts": parts,
    }


def _epoch(date: dt.date) -> int:
    """The PDF's creation date: the issue's publication date (midnight in UTC), never the clock."""
    return int(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc).timestamp())
