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

log = logging.getLogger(__name__)

LANGUAGE = DEFAULT_LANGUAGE  # the gazette is published in one language


@dataclass(frozen=True)
class IssuePdf:
    """An issue's print edition: the PDF published at :attr:`uri`, and the page of each notice in it."""

    issue: str  # the issue's id, 2026/03
    uri: str  # gazette/2026/03/gazette-2026-03.pdf
    data: bytes
    pages: Mapping[str, int]  # notice id -> the page its title is printed on (1 = the cover)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class PrintEdition:
    """What the print-edition stage makes: every issue's PDF, and every yearbook edition's in each language."""

    issues: tuple[IssuePdf, ...] = ()
    books: tuple[BookPdf, ...] = ()


def print_edition(content: Content, root: Path) -> PrintEdition:
    """The print-edition stage: the gazette's issues and the yearbook's editions as PDFs, each from the
    cache when nothing it is made from changed."""
    if not content.gazette.issues and not content.yearbooks:
        return PrintEdition()
    version = typeset.engine_version() + typeset.templates_digest()
    program = typeset.pandoc_program()
    pdfs = issue_pdfs(content, root, version, program)
    books, typeset_books = book_pdfs(content, root, version, program)
    log.info("typeset %d of %d yearbook PDFs (the others unchanged, from %s)", typeset_books, len(books), typeset.CACHE)
    return PrintEdition(pdfs, books)


def issue_pdfs(content: Content, root: Path, version: str = "", program: str = "") -> tuple[IssuePdf, ...]:
    """Every issue's PDF, from the cache when nothing it is made from changed."""
    if not content.gazette.issues:
        return ()
    version = version or typeset.engine_version() + typeset.templates_digest()
    cache = root / typeset.CACHE
    made, typeset_count = [], 0
    for issue in content.gazette.issues:
        html, data = source(content, issue)
        key = hashlib.sha256("\0".join([version, html, json.dumps(data, ensure_ascii=False, sort_keys=True)]).encode()).hexdigest()
        name = f"gazette-{issue.year}-{issue.number:02d}"
        cached = typeset.read_cache(cache, name, key)
        if cached is None:
            body = typeset.to_typst(html, program or typeset.pandoc_program(), shift_headings=2)
            result = typeset.compile_pdf("issue.typ", body, data, timestamp=_epoch(issue.date))
            cached = (result.pdf, result.pages)
            typeset.write_cache(cache, name, key, *cached)
            typeset_count += 1
        pdf, pages = cached
        if len(pages) != len(issue.notices):
            raise BuildError(f"the print edition of issue {issue.id} placed {len(pages)} of {len(issue.notices)} notices")
        order = [notice for _, notices in sections(content, issue) for notice in notices]
        made.append(IssuePdf(issue.id, pdf_uri(issue), pdf, {notice.id: page for notice, page in zip(order, pages, strict=True)}))
    log.info("typeset %d of %d issues (the others unchanged, from %s)", typeset_count, len(made), typeset.CACHE)
    return tuple(made)


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
    wrapper) and the data the template shows (every other string)."""
    import markdown

    words, gazette_words = labels("print", LANGUAGE), labels("gazette", LANGUAGE)
    site = content.site
    gazette, label = site.gazette.title.get(LANGUAGE), site.gazette.label(issue.year, issue.number)
    parts: list[dict[str, object]] = []
    html: list[str] = []
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
            body = clean(markdown.markdown(notice.body, extensions=list(typeset.EXTENSIONS)))
            html.append(f'<div id="part-{len(parts) - 1}">\n{body}\n</div>')
    date = issue.date
    data: dict[str, object] = {
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
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(html) + "\n</body></html>\n", data


def _epoch(date: dt.date) -> int:
    """The PDF's creation date: the issue's publication date (midnight in UTC), never the clock."""
    return int(dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc).timestamp())
