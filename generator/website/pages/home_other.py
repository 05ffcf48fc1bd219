"""The home page of each language other than the site's own (``/en/``): the publications as they
exist in that language. The yearbook is there in full; the gazette, the directory and open data are
published in Chinese, so the page says so and lists the latest issue's notices by their titles in
that language (``title_en``, where the editor gave one), each linking to the Chinese notice."""

from __future__ import annotations

from collections.abc import Iterator

from generator import urls
from generator.dates import english_date
from generator.labels import labels
from generator.markup.markdown import Page
from generator.model import LANGUAGES, Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.website.templating import Templates, front_matter


def pages(content: Content, templates: Templates | None = None) -> Iterator[Page]:
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE:
            yield home(content, language, templates or Templates())


def home(content: Content, language: str, templates: Templates) -> Page:
    source = urls.home(language)
    site = content.site
    words = labels("chrome", language)["home"]
    latest = content.gazette.issues[-1] if content.gazette.issues else None
    notices = [(notice, notice.title_en) for notice in latest.notices if notice.title_en] if latest else []
    body = templates.render(
        "home_other.md", source, words=words, language=language, site=site, latest=latest,
        latest_name=words["issue"].format(year=latest.year, number=latest.number) if latest else None,
        latest_date=english_date(latest.date) if latest else None, notices=notices,
        yearbooks=list(reversed(content.yearbooks)), agencies=len(content.directory.agencies),
        datasets=len(content.datasets), default=DEFAULT_LANGUAGE)
    title = words["title"].format(publisher=site.publisher.get(language))
    meta = {"lang": language,  # read by themes/material/partials/language.html
            "alternates": [{"lang": lang, "href": urls.url(urls.home(lang)).lstrip("/")} for lang in LANGUAGES],
            "hide": ["navigation", "toc"]}
    return Page(source, front_matter(title, **meta) + "\n" + body)
