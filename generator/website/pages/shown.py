"""What the gazette's pages show, as hashes, and pages made only when those changed (issue 12).

At 10,000 notices, making the Markdown of every gazette page on every build (to key the page
cache, ``website/cache.py``) took most of the website stage when nothing had changed. The pages of
years, issues, notices and listings are therefore first keyed by the values they show
(:class:`Shown`): the build places the page the last build placed for the same hash, and makes the
Markdown only of the others (``website/apart.py``, ``render_all``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace

from generator.markup.markdown import Page, file_size
from generator.model import Content, Issue, Notice
from generator.outputs.printed.issues import IssuePdf


def keyed_page(uri: str, inputs: str | None, make: Callable[[], Page]) -> Page:
    """The page ``make`` makes; or, given the hash of every value it shows (``inputs``, from
    :class:`Shown`), the page without its Markdown, which the build makes only if that hash is not
    the last build's (``website/apart.py``, ``render_all``)."""
    return make() if inputs is None else Page(uri, "", inputs=inputs, make=make)


class Shown:
    """The hashes of what the gazette's pages show, made once per build (issue 12): a page whose hash
    is the last build's needs no Markdown, its page is the one the last build placed.

    Every value is taken whole, by its ``repr`` (the model's frozen dataclasses print every field),
    so a value a page does not show only makes its Markdown again, never a stale page: when one is
    made, the page cache still keys its HTML by that Markdown. What the pages are made with (the
    generator's code, templates and words, the libraries, the theme) keys the page cache's folder
    (website/cache.py's frame), which holds these hashes; the site's settings (names, address, the
    issues' label, the categories) are in every hash. The gazette's home (one page, which shows the
    latest issue) is made on every build."""

    def __init__(self, content: Content, pdfs: tuple[IssuePdf, ...] = ()):
        self.links = links = content.links
        self.site = _digest(repr(content.site))
        self.printed = {pdf.issue: pdf for pdf in pdfs}
        self.digests = {notice.id: _digest(repr(notice)) for notice in content.gazette.notices}
        self.issues = {issue.id: _digest(repr(replace(issue, notices=()))) for issue in content.gazette.issues}
        #: the issues of each year, as the nav lists them under the year (an issue's page shows its
        #: year's issues in its nav: a new issue changes every page of its year's issues)
        self.years: dict[int, list[str]] = {}
        for issue in content.gazette.issues:
            self.years.setdefault(issue.year, []).append(issue.id)
        agencies = {agency_id: _digest(repr(agency)) for agency_id, agency in links.agencies.items()}
        #: what a list of notices shows of each (its line in an issue, a year, a listing): the notice
        #: (title, numbers), its issue, category and agencies, and what corrects, amends or repeals it,
        #: with that notice's issue (whose day dates the list's page: website/pages/dated.py)
        self.cards = {}
        for issue in content.gazette.issues:
            for notice in issue.notices:
                self.cards[notice.id] = _digest("\0".join([
                    self.digests[notice.id], self.issues[issue.id], repr(links.categories.get(notice.category)),
                    *(agencies.get(agency, agency) for agency in notice.agencies),
                    *(f"{relation}:{self.issues[links.issue_of(later).id]}" for relation, later in links.related_by(notice))]))

    def _key(self, *parts: object) -> str:
        return keyed_inputs(self.site, *parts)

    def _pdf(self, issue: Issue) -> str:
        pdf = self.printed.get(issue.id)
        return repr((pdf.uri, file_size(pdf.size))) if pdf else "-"  # its size as shown

    def notice(self, notice: Notice) -> str:
        """A notice's page: the notice itself (every field: its text, numbers, attachments and their
        sizes, ...), its issue, category and agencies, the notices before and after it, the notices
        it corrects, amends or repeals and those that do so to it (each with its issue), the page its
        issue's PDF prints it on and the PDF's size and address."""
        links = self.links
        issue = links.issue_of(notice)
        before, after = links.neighbours(notice)
        pdf = self.printed.get(issue.id)

        def other(relation: str, item: Notice) -> str:
            return f"{relation}:{self.digests[item.id]}:{self.issues[links.issue_of(item).id]}"

        return self._key("notice", self.cards[notice.id],
                         self.digests[before.id] if before else "-", self.digests[after.id] if after else "-",
                         *(other(relation, earlier) for relation, earlier in links.relations(notice)), "|",
                         *(other(relation, later) for relation, later in links.related_by(notice)), "|",
                         self._pdf(issue), repr(pdf.pages.get(notice.id)) if pdf else "-")

    def issue(self, issue: Issue) -> str:
        """An issue's page: the issue, each of its notices' lines, the issues before and after it, its
        PDF, and the issues of its year (its nav lists them)."""
        before, after = self.links.issue_neighbours(issue)
        return self._key("issue", self.issues[issue.id], *(self.cards[notice.id] for notice in issue.notices), "|",
                         self.issues[before.id] if before else "-", self.issues[after.id] if after else "-", self._pdf(issue),
                         "|", *self.years[issue.year])

    def year(self, year: int, issues: Sequence[Issue]) -> str:
        """A year's page: its issues, and how many notices each has."""
        return self._key("year", str(year), *(f"{self.issues[issue.id]}:{len(issue.notices)}" for issue in issues))

    def listed(self, kind: str, *values: object, notices: Sequence[Notice] = ()) -> str:
        """A listing's page (by category or agency): its own values, and its notices' lines."""
        return self._key("listing", kind, *values, "|", *(self.cards[notice.id] for notice in notices))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def keyed_inputs(*parts: object) -> str:
    """The hash of ``parts`` (texts as they are, other values by their ``repr``)."""
    return _digest("\0".join(part if isinstance(part, str) else repr(part) for part in parts))
