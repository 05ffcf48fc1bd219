"""Pages of the gazette: home, year archives, issues, and one permanent page per notice.

Listings by category and agency are in :mod:`.gazette_lists`; feeds in :mod:`generator.outputs.feeds`.
A notice page links only to its neighbours, its issue, category and agency, so its size does not
grow with the archive. Each page is a template of ``templates/gazette/``; this module computes what
the template shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import groupby
from pathlib import Path

from markupsafe import Markup

from generator import urls
from generator.dates import roc_date, roc_year
from generator.labels import labels
from generator.markup.markdown import Asset, Page, file_size, page, shortened, summary
from generator.model import Attachment, Content, Issue, Named, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.model.schedule import WEEKDAYS
from generator.outputs import search
from generator.outputs.printed.issues import IssuePdf
from generator.website.pages import dated, gazette_lists
from generator.website.pages.shown import Shown, keyed_page
from generator.website.apart import generated_in_workers
from generator.website.templating import Templates

RECENT_ISSUES = 6
LANGUAGE = DEFAULT_LANGUAGE  # the gazette is published in one language
WORDS = labels("gazette", LANGUAGE)
PRINT_WORDS = labels("print", LANGUAGE)


def issue_name(content: Content, issue: Issue) -> str:
    """What readers call an issue, from the label in site.yml: ``115年第3期``."""
    return content.site.gazette.label(issue.year, issue.number)


def context(content: Content) -> dict[str, object]:
    """What every gazette template uses (``templates/gazette/_macros.md``)."""
    return {"labels": WORDS, "language": LANGUAGE, "links": content.links,
            "gazette_title": content.site.gazette.title.get(LANGUAGE), "issue_name": partial(issue_name, content)}


def pages(content: Content, templates: Templates | None = None, pdfs: tuple[IssuePdf, ...] = (),
          notices: bool = True, texts: Mapping[str, str] | None = None, keyed: bool = False) -> Iterator[Page]:
    """Every gazette page, rendered apart from MkDocs' per-page pipeline (``website/apart.py``): with
    thousands of notices they are almost all of the site's pages, and the archive's never change.
    ``pdfs``: the print edition, linked from each issue and notice, and cited by page. ``notices``:
    False leaves out the notices' own pages (``serve`` makes each when it is asked for: :func:`notice_pages`).
    ``texts``: each notice's plain text by its id, if made already (the open data's cache), for its summary.
    ``keyed``: the pages of years, issues, notices and listings without their Markdown, each with the
    hash of what it shows (:class:`Shown`, ``Page.inputs``) and how to make it (``Page.make``): the
    build makes the Markdown of those whose hash is not the last build's (issue 12)."""
    for made in _pages(content, templates or Templates(), pdfs, notices, texts, keyed):
        yield replace(made, apart=True)


def notice_pages(content: Content, templates: Templates | None = None,
                 pdfs: tuple[IssuePdf, ...] = ()) -> Iterator[tuple[str, Callable[[], Page]]]:
    """Each notice's page as its source path and how to make it, for ``serve`` (generator/preview.py)."""
    shared = context(content)
    printed = {pdf.issue: pdf for pdf in pdfs}
    templates = templates or Templates()

    def made(notice: Notice, pdf: IssuePdf | None) -> Page:
        return replace(notice_page(content, notice, templates, shared, pdf), apart=True)

    for notice in content.gazette.notices:
        yield urls.notice(notice), partial(made, notice, printed.get(content.links.issue_of(notice).id))


def _pages(content: Content, templates: Templates, pdfs: tuple[IssuePdf, ...], notices: bool = True,
           texts: Mapping[str, str] | None = None, keyed: bool = False) -> Iterator[Page]:
    shared = context(content)
    printed = {pdf.issue: pdf for pdf in pdfs}
    shown = Shown(content, pdfs) if keyed else None
    yield gazette_home(content, templates, shared)  # made on every build: it shows the latest issue
    for year, grouped in groupby(content.gazette.issues, key=lambda issue: issue.year):
        issues = list(grouped)
        yield keyed_page(urls.gazette_year(year), shown.year(year, issues) if shown else None,
                         partial(year_page, content, year, issues, templates, shared))
    for issue in content.gazette.issues:
        yield keyed_page(urls.issue(issue), shown.issue(issue) if shown else None,
                         partial(issue_page, content, issue, templates, shared, printed.get(issue.id)))
    if notices and shown is not None:
        made = partial(_notice_page, content, templates, shared, printed, texts)
        for notice in content.gazette.notices:
            yield Page(urls.notice(notice), "", inputs=shown.notice(notice), make=partial(made, notice))
    elif notices:
        yield from made_notice_pages(content, content.gazette.notices, templates, pdfs, texts)
    yield from gazette_lists.pages(content, templates, shared, shown)


def _notice_page(content: Content, templates: Templates, shared: Mapping[str, object], printed: Mapping[str, IssuePdf],
                 texts: Mapping[str, str] | None, notice: Notice) -> Page:
    return notice_page(content, notice, templates, shared, printed.get(content.links.issue_of(notice).id),
                       texts.get(notice.id) if texts is not None else None)


def made_notice_pages(content: Content, notices: Sequence[Notice], templates: Templates | None = None,
                      pdfs: tuple[IssuePdf, ...] = (), texts: Mapping[str, str] | None = None) -> list[Page]:
    """The pages of ``notices``, with their Markdown: by both cores at archive scale (a full build)."""
    made = partial(_notice_page, content, templates or Templates(), context(content), {pdf.issue: pdf for pdf in pdfs}, texts)
    return [replace(page, apart=True) for page in generated_in_workers(made, notices)]


def assets(content: Content, root: Path, pdfs: tuple[IssuePdf, ...] = ()) -> Iterator[Asset]:
    for pdf in pdfs:
        yield Asset(pdf.uri, path=pdf.path)  # placed in the build's folder by the print edition
    for notice in content.gazette.notices:
        for attachment in notice.attachments:
            assert attachment.path is not None  # set by the loader for every checked attachment
            yield Asset(urls.attachment(notice, attachment.file), root / attachment.path)


def nav_section(content: Content) -> list[dict[str, object]]:
    """Years (newest first), each with its page and its issues (newest first), for the site's nav."""
    years: list[dict[str, object]] = []
    for year, issues in groupby(reversed(content.gazette.issues), key=lambda issue: issue.year):
        entries = ({issue_name(content, issue): urls.issue(issue)} for issue in issues)
        years.append({WORDS["year"].format(year=year, roc_year=roc_year(year)): [urls.gazette_year(year), *entries]})
    return years


def sections(content: Content, issue: Issue) -> list[tuple[Named, list[Notice]]]:
    """An issue's notices grouped by category, in the order configured in site.yml."""
    by_category = [(category, [n for n in issue.notices if n.category == category.slug]) for category in content.site.categories]
    return [(category, notices) for category, notices in by_category if notices]


def schedule_words(content: Content) -> dict[str, object]:
    """The sentence that says when the gazette appears (labels ``schedule…``), and its weekday."""
    schedule = content.site.gazette.schedule
    name = {"days_of_month": "schedule", "weekly": "schedule_weekly", "dates": "schedule_dates",
            "daily": "schedule_every_day" if schedule.daily == "every-day" else "schedule_daily"}[schedule.kind]
    weekday = WORDS["weekdays"][WEEKDAYS.index(schedule.weekly)] if schedule.weekly else ""
    return {"schedule": WORDS[name], "weekday": weekday}


def gazette_home(content: Content, templates: Templates, shared: Mapping[str, object]) -> Page:
    source = urls.gazette_home()
    issues = content.gazette.issues
    latest = issues[-1] if issues else None
    counts = Counter(issue.year for issue in issues)
    body = templates.render(
        "gazette/home.md", source, **shared, publisher=content.site.publisher.get(LANGUAGE),
        days=content.site.gazette.days, **schedule_words(content), latest=latest, sections=sections(content, latest) if latest else [],
        recent=list(reversed(issues[-RECENT_ISSUES:])),
        years=[(year, roc_year(year), counts[year]) for year in sorted(counts, reverse=True)],
        categories=content.site.categories)
    return Page(source, page(content.site.gazette.title.get(LANGUAGE), body, feeds=[urls.gazette_feed()],
                             **dated.meta(dated.gazette(content))))


def year_page(content: Content, year: int, issues: list[Issue], templates: Templates, shared: Mapping[str, object]) -> Page:
    source = urls.gazette_year(year)
    title = WORDS["year_title"].format(gazette=shared["gazette_title"], year=year, roc_year=roc_year(year))
    body = templates.render("gazette/year.md", source, **shared, title=title, year=year, roc_year=roc_year(year),
                            issues=issues, notices=sum(len(i.notices) for i in issues))
    return Page(source, page(title, body, **dated.meta(dated.issues(issues))))


def issue_page(content: Content, issue: Issue, templates: Templates, shared: Mapping[str, object],
               pdf: IssuePdf | None = None) -> Page:
    source = urls.issue(issue)
    title = WORDS["issue_title"].format(gazette=shared["gazette_title"], issue=issue_name(content, issue))
    before, after = content.links.issue_neighbours(issue)
    printed = (PRINT_WORDS["issue_pdf"].format(size=file_size(pdf.size)), pdf.uri) if pdf else None
    body = templates.render("gazette/issue.md", source, **shared, title=title, issue=issue,
                            sections=sections(content, issue), before=before, after=after, printed=printed,
                            newsletter=urls.newsletter(issue) if content.site.newsletter else None)
    return Page(source, page(title, body, **dated.meta(dated.issue(content.links, issue))))


@dataclass(frozen=True)
class Attached:
    """An attachment as its notice's page lists it."""

    title: str
    page: str  # its source path, beside the notice's page
    kind: str  # PDF
    size: str  # 3 KB

    @classmethod
    def of(cls, notice: Notice, attachment: Attachment) -> Attached:
        return cls(title=attachment.title or attachment.file, page=urls.notice_folder(notice) + attachment.file,
                   kind=Path(attachment.file).suffix.lstrip(".").upper(), size=file_size(attachment.size))


def agency_names(content: Content, notice: Notice) -> str:
    """Who issued the notice, as one text: ``交通局``, or for a joint notice ``交通局、工務局`` (lead first)."""
    return str(WORDS["list_separator"]).join(agency.name.get(LANGUAGE) for agency in content.links.agencies_of(notice))


def doc_numbers(notice: Notice) -> str:
    """The notice's document numbers as one text: ``府交停字第1150001234號、府工字第1150000001號``."""
    return str(WORDS["list_separator"]).join(notice.doc_numbers)


def citation(content: Content, issue: Issue, notice: Notice, page: int | None = None) -> str:
    """The line a lawyer or a clerk pastes into a document to cite the notice: one line, whatever
    line breaks a title holds (it is shown in a code block, where a line could end the block).
    A joint notice names every agency and every document number. ``page``: where the issue's PDF
    (the print edition) prints the notice's title."""
    return " ".join(str(WORDS["citation"]).format(
        gazette=content.site.gazette.title.get(LANGUAGE), issue=issue_name(content, issue), date=roc_date(issue.date),
        page=WORDS["citation_page"].format(page=page) if page else "",
        agency=agency_names(content, notice), doc_number=doc_numbers(notice), title=notice.title,
        url=urls.absolute(content.site.base_url, urls.notice(notice))).split())


def notice_page(content: Content, notice: Notice, templates: Templates, shared: Mapping[str, object],
                pdf: IssuePdf | None = None, text: str | None = None) -> Page:
    """A notice's page; ``text``: its body's plain text, if made already (else made here, for the summary)."""
    source = urls.notice(notice)
    issue, category = content.links.issue_of(notice), content.links.category_of(notice)
    agency_name, numbers = agency_names(content, notice), doc_numbers(notice)
    page_number = pdf.pages.get(notice.id) if pdf else None
    printed = (PRINT_WORDS["notice_pdf"].format(issue=issue_name(content, issue), page=page_number, size=file_size(pdf.size)),
               pdf.uri) if pdf and page_number else None
    before, after = content.links.neighbours(notice)
    attachments = [Attached.of(notice, attachment) for attachment in notice.attachments]
    body = templates.render(
        "gazette/notice.md", source, **shared, notice=notice, issue=issue, agencies=content.links.agencies_of(notice),
        category=category, attachments=attachments, before=before, after=after,
        # Content's Markdown, to be read as Markdown (checked, and cleaned by nh3 after rendering);
        # the citation is shown in a code block, which Markdown itself escapes for HTML.
        body=Markup(notice.body.strip()), citation=Markup(citation(content, issue, notice, page_number)),
        printed=printed)
    # For search (generator/outputs/search.py): every document number is in the page's text
    # (templates/gazette/notice.md, one span.doc-number each, weighted) and all of them, joined, in the
    # "doc_number" meta; every agency in the "agency" meta and in the agency filter, lead first (a joint
    # notice is found under each of its agencies, as it is listed under each on the site).
    indexed = search.entry(LANGUAGE, "gazette",
                           filters={"category": category.name.get(LANGUAGE),
                                    "agency": [agency.name.get(LANGUAGE) for agency in content.links.agencies_of(notice)],
                                    "year": str(notice.year)},
                           meta={"date": roc_date(issue.date), "agency": agency_name, "doc_number": numbers,
                                 "issue": issue_name(content, issue)},
                           sort={"date": issue.date.isoformat()})  # the results page's "newest first"
    # what a search result or a shared link shows under the title: who, which numbers, when, and the text's start
    description = WORDS["description"].format(agency=agency_name, doc_number=numbers, date=roc_date(issue.date),
                                              summary=summary(notice.body, 100) if text is None else shortened(text, 100))
    return Page(source, page(notice.title, body, jsonld=jsonld(content, issue, notice), search=indexed, description=description,
                              og_type="article", **dated.meta(dated.notice(content.links, notice))))


def jsonld(content: Content, issue: Issue, notice: Notice) -> dict[str, object]:
    """schema.org description of a notice: an article in a periodical issue, by a government body."""
    base = content.site.base_url
    authors = [{"@type": "GovernmentOrganization", "name": agency.name.get(LANGUAGE), "url": urls.absolute(base, urls.agency(agency))}
               for agency in content.links.agencies_of(notice)]
    periodical: dict[str, object] = {"@type": "Periodical", "name": content.site.gazette.title.get(LANGUAGE)}
    if (volume := content.site.gazette.volume(issue.year)) is not None:  # issue, in a volume (卷), of the periodical
        periodical = {"@type": "PublicationVolume", "volumeNumber": str(volume), "isPartOf": periodical}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": urls.absolute(base, urls.notice(notice)),
        "url": urls.absolute(base, urls.notice(notice)),
        "headline": notice.title,
        # one number is a text; several are a list (schema.org: identifier and author may repeat)
        "identifier": notice.doc_number if len(notice.doc_numbers) == 1 else list(notice.doc_numbers),
        "inLanguage": LANGUAGE,
        "dateCreated": notice.issued.isoformat(),
        "datePublished": issue.date.isoformat(),
        "articleSection": content.links.category_of(notice).name.get(LANGUAGE),
        "author": authors[0] if len(authors) == 1 else authors,  # a joint notice: the lead agency first
        "publisher": {"@type": "GovernmentOrganization", "name": content.site.publisher.get(LANGUAGE)},
        "isPartOf": {"@type": "PublicationIssue", "issueNumber": str(issue.number), "name": issue_name(content, issue),
                     "datePublished": issue.date.isoformat(), "url": urls.absolute(base, urls.issue(issue)),
                     "isPartOf": periodical},
    }
    if notice.keywords:
        data["keywords"] = ", ".join(notice.keywords)
    if notice.title_en:
        data["alternativeHeadline"] = notice.title_en
    links = content.links
    # What it corrects, amends or repeals: schema.org has no such relation between articles, so each
    # earlier notice is a citation, named by the relation (corrects, …) in its description; a later
    # correction is the earlier one's "correction" (schema.org's own property for it), an amendment or
    # a repeal is its "subjectOf", likewise named.
    if relations := links.relations(notice):
        data["citation"] = [_related(content, relation, earlier) for relation, earlier in relations]
    related_by = links.related_by(notice)
    if corrections := [later for relation, later in related_by if relation == "corrects"]:
        data["correction"] = [_related(content, "corrects", later, "CorrectionComment") for later in corrections]
    if others := [(relation, later) for relation, later in related_by if relation != "corrects"]:
        data["subjectOf"] = [_related(content, relation, later) for relation, later in others]
    return data


def _related(content: Content, relation: str, notice: Notice, kind: str = "Article") -> dict[str, object]:
    url = urls.absolute(content.site.base_url, urls.notice(notice))
    return {"@type": kind, "@id": url, "url": url, "headline": notice.title,
            "identifier": notice.doc_number if len(notice.doc_numbers) == 1 else list(notice.doc_numbers),
            "datePublished": content.links.issue_of(notice).date.isoformat(), "description": relation}
