"""The newsletter's web versions (one per issue, under the issue) and the subscribe page (訂閱).

The letters come from the build's newsletter stage (:mod:`generator.outputs.newsletter`), whose
e-mail files are published beside each web version."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial

from generator import urls
from generator.labels import labels
from generator.markup.markdown import Page, page
from generator.model import Content
from generator.outputs import feeds
from generator.outputs.newsletter import Edition
from generator.website.pages import dated
from generator.website.pages.gazette import LANGUAGE, context
from generator.website.pages.shown import keyed_inputs, keyed_page
from generator.website.templating import Templates

WORDS = labels("newsletter", LANGUAGE)


def pages(content: Content, editions: tuple[Edition, ...], templates: Templates, keyed: bool = False) -> Iterator[Page]:
    """The web version of each issue's newsletter, and the subscribe page. ``keyed``: each web version
    without its Markdown, keyed by its letter (which holds everything it shows: website/pages/shown.py)."""
    shared = context(content)
    site = repr(content.site) if keyed else ""
    for edition in editions:
        # one per issue, out of the nav: rendered apart and kept in the page cache like the issue's
        # notices (website/apart.py); its Markdown holds everything it shows
        letter = edition.letter
        inputs = keyed_inputs("newsletter", site, replace(letter, issue=replace(letter.issue, notices=()))) if keyed else None
        yield replace(keyed_page(urls.newsletter(letter.issue), inputs, partial(web_version, edition, templates, shared)), apart=True)
    yield subscribe(content, editions, templates, shared)


def web_version(edition: Edition, templates: Templates, shared: Mapping[str, object]) -> Page:
    made = edition.letter
    source = urls.newsletter(made.issue)
    title = str(WORDS["newsletter_title"]).format(name=made.name, issue=made.label)
    body = templates.render("gazette/newsletter.md", source, **shared, words=WORDS, title=title, issue=made.issue, letter=made)
    return Page(source, page(title, body, description=made.preheader, **dated.meta(made.issue.date)))


def subscribe(content: Content, editions: tuple[Edition, ...], templates: Templates, shared: Mapping[str, object]) -> Page:
    """Every way to follow the gazette and the directory: the newsletter, then each feed by kind."""
    source = urls.subscribe()
    title = str(WORDS["subscribe_title"])
    gazette = content.site.gazette.title.get(LANGUAGE)
    groups = [
        (WORDS["feed_gazette"], "gazette", [(gazette, urls.gazette_feed())]),
        (WORDS["feed_categories"], "categories",
         [(category.name.get(LANGUAGE), urls.category_feed(category.slug)) for category in content.site.categories]),
        (WORDS["feed_agencies"], "agencies",
         [(content.links.agencies[agency_id].name.get(LANGUAGE), urls.agency_feed(agency_id)) for agency_id in feeds.agencies(content)]),
        (WORDS["feed_directory"], "directory", [(WORDS["feed_directory"], urls.directory_changes_feed())]),
    ]
    body = templates.render("subscribe/page.md", source, **{**shared, "labels": WORDS}, newsletter=content.site.newsletter,
                            latest=editions[-1].letter.issue if editions else None, groups=groups,
                            base_url=content.site.base_url)
    return Page(source, page(title, body, feeds=[urls.gazette_feed(), urls.directory_changes_feed()],
                             **dated.meta(dated.gazette(content))))
