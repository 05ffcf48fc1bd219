"""The site's home page: the latest issue with its notices, a search box (``themes/material/home.html``),
the yearbook and directory entries, and when the site last changed (``templates/home.md``)."""

from __future__ import annotations

import datetime as dt

from generator import urls
from generator.labels import labels
from generator.markup.markdown import Page, page
from generator.model import Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.website.pages.gazette import issue_name, sections
from generator.website.templating import Templates

LANGUAGE = DEFAULT_LANGUAGE


def home(content: Content, updated: dt.date, templates: Templates | None = None) -> Page:
    """``updated``: the day the content last changed (the build's :func:`~generator.build.content_date`)."""
    source = urls.home()
    site = content.site
    latest = content.gazette.issues[-1] if content.gazette.issues else None
    body = (templates or Templates()).render(
        "home.md", source, labels=labels("site", LANGUAGE), gazette_labels=labels("gazette", LANGUAGE), language=LANGUAGE,
        site=site, links=content.links, latest=latest, latest_name=issue_name(content, latest) if latest else None,
        sections=sections(content, latest) if latest else [], updated=updated,
        yearbooks=list(reversed(content.yearbooks)), agencies=len(content.directory.agencies), datasets=len(content.datasets))
    return Page(source, page(site.publisher.get(LANGUAGE), body, template="home.html"))
