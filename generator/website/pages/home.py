"""The site's home page: the publications, each with what is newest in it (``templates/home.md``)."""

from __future__ import annotations

from generator import urls
from generator.labels import labels
from generator.markup.markdown import Page, page
from generator.model import Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.website.pages.gazette import issue_name
from generator.website.templating import Templates

LANGUAGE = DEFAULT_LANGUAGE


def home(content: Content, templates: Templates | None = None) -> Page:
    source = urls.home()
    site = content.site
    latest = content.gazette.issues[-1] if content.gazette.issues else None
    body = (templates or Templates()).render(
        "home.md", source, labels=labels("site", LANGUAGE), language=LANGUAGE, site=site, latest=latest,
        latest_name=issue_name(content, latest) if latest else None, yearbooks=list(reversed(content.yearbooks)),
        agencies=len(content.directory.agencies), datasets=len(content.datasets))
    return Page(source, page(site.publisher.get(LANGUAGE), body))
