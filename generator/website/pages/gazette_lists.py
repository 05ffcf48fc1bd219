"""Gazette listings by category and by agency: newest first, one page per year, so that no page
grows without bound as the archive does. Each page is a template of ``templates/gazette/``; the
words and lookups every gazette page shares arrive as ``shared`` (:func:`.gazette.context`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import partial

from generator import urls
from generator.dates import roc_year
from generator.labels import labels
from generator.markup.markdown import Page, page
from generator.model import Content, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.model.links import Links
from generator.website.pages import dated
from generator.website.pages.shown import Shown, keyed_page
from generator.website.templating import Templates

LATEST = 20  # notices listed on a category's or agency's first page
LANGUAGE = DEFAULT_LANGUAGE
WORDS = labels("gazette", LANGUAGE)


def _by_year(notices: list[Notice]) -> dict[int, list[Notice]]:
    years: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        years[notice.year].append(notice)
    return dict(sorted(years.items(), reverse=True))


def pages(content: Content, templates: Templates, shared: Mapping[str, object], shown: Shown | None = None) -> Iterator[Page]:
    """Every listing's pages; with ``shown``, each page without its Markdown, keyed by what it shows
    (:func:`.gazette.keyed_page`): made only when that changed since the last build."""
    notices = content.gazette.notices
    yield category_index(content, templates, shared)
    for category in content.site.categories:
        selected = [n for n in notices if n.category == category.slug]
        yield from listing(templates, shared, WORDS["categories"], category.name.get(LANGUAGE), selected,
                           lambda year=None, slug=category.slug: urls.category(slug, year), urls.category_feed(category.slug), shown)
    yield agency_index(content, templates, shared)
    by_agency = notices_by_agency(content)
    for agency_id in sorted(by_agency):
        selected = by_agency[agency_id]
        yield from listing(templates, shared, WORDS["agencies"], content.links.agencies[agency_id].name.get(LANGUAGE), selected,
                           lambda year=None, a=agency_id: urls.gazette_agency(a, year), urls.agency_feed(agency_id), shown)


def notices_by_agency(content: Content) -> dict[str, list[Notice]]:
    """Each issuing agency's notices in the gazette's order, by its id, a joint notice under each of its
    agencies: one pass over the gazette for every agency's listing and directory page, not a pass
    per agency for each."""
    found: dict[str, list[Notice]] = {}
    for notice in content.gazette.notices:
        for agency in notice.agencies:
            found.setdefault(agency, []).append(notice)
    return found


def listing(templates: Templates, shared: Mapping[str, object], kind: str, name: str, notices: list[Notice],
            where: Callable[..., str], feed: str | None, shown: Shown | None = None) -> Iterator[Page]:
    """The first page (years, latest notices, feed) and one page per year, newest first. The feed is
    announced to browsers and feed readers in the page's head; the link readers see leads to the
    subscribe page, which explains feeds and lists this one. ``shown``: see :func:`pages`."""
    source = where()
    years = _by_year(notices)
    title = WORDS["listing_title"].format(kind=kind, name=name)
    counts = [(year, len(items), where(year)) for year, items in years.items()]
    latest = list(reversed(notices))[:LATEST]
    links = shared["links"]
    assert isinstance(links, Links)

    def first() -> Page:
        body = templates.render("gazette/listing.md", source, **shared, title=title, feed=feed, years=counts, latest=latest)
        return Page(source, page(title, body, **({"feeds": [feed]} if feed else {}), **dated.meta(dated.notices(links, latest))))

    def of_year(year: int, items: list[Notice]) -> Page:
        year_title = WORDS["listing_year_title"].format(kind=kind, name=name, year=year, roc_year=roc_year(year))
        body = templates.render("gazette/listing_year.md", where(year), **shared, title=year_title, subject=name,
                                first=source, year=year, notices=list(reversed(items)))
        return Page(where(year), page(year_title, body, **dated.meta(dated.notices(links, items))))

    yield keyed_page(source, shown.listed("first", source, title, feed or "-", counts, notices=latest) if shown else None, first)
    for year, items in years.items():
        yield keyed_page(where(year), shown.listed("year", where(year), kind, name, source, str(year), notices=items) if shown else None,
                         partial(of_year, year, items))


def category_index(content: Content, templates: Templates, shared: Mapping[str, object]) -> Page:
    counts = Counter(notice.category for notice in content.gazette.notices)
    body = templates.render("gazette/categories.md", urls.category_index(), **shared,
                            categories=[(category, counts[category.slug]) for category in content.site.categories])
    return Page(urls.category_index(), page(WORDS["categories"], body, **dated.meta(dated.gazette(content))))


def agency_index(content: Content, templates: Templates, shared: Mapping[str, object]) -> Page:
    counts = Counter(agency for notice in content.gazette.notices for agency in notice.agencies)
    # as the directory's overview: by its groups (site.yml), each parent before the agencies under it
    order = tuple(group.slug for group in content.site.directory_groups)
    agencies = [agency for agency in content.directory.in_order(order) if counts[agency.id]]
    groups = [(group, [(agency, counts[agency.id]) for agency in agencies if agency.group == group.slug])
              for group in content.site.directory_groups]
    body = templates.render("gazette/agencies.md", urls.agency_index(), **shared,
                            groups=[(group, members) for group, members in groups if members])
    return Page(urls.agency_index(), page(WORDS["agencies"], body, **dated.meta(dated.gazette(content))))
