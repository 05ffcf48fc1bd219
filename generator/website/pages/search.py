"""The search results pages, one per language: themes/material/search.html draws the form and the
results (Pagefind's index is made by :mod:`generator.outputs.search`); the page's own content is for
readers without JavaScript. The filters' menus come from the model, with the same values the pages
give Pagefind (:func:`generator.outputs.search.entry`), so the page need not download Pagefind's
filter index to draw them.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

from generator import urls
from generator.labels import labels
from generator.markup.cjk import IDEOGRAPHS
from generator.markup.markdown import Page, page
from generator.model import LANGUAGES, Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.outputs import pagefind_bundle
from generator.outputs import search as indexing
from generator.website.templating import Templates

#: The publications each language's index holds (in English: the yearbook, and the gazette's notices by
#: their English titles, generator/outputs/search_english.py), and the
#: filters its results page offers, in this order (the gazette's category and agency only where
#: the gazette is).
PUBLICATIONS = MappingProxyType({DEFAULT_LANGUAGE: ("gazette", "yearbook", "directory"), "en": ("gazette", "yearbook")})
FILTERS = MappingProxyType({DEFAULT_LANGUAGE: ("publication", "category", "agency", "year", "edition"), "en": ("publication", "edition")})


def pages(content: Content, templates: Templates | None = None) -> Iterator[Page]:
    """The results page in each language."""
    templates = templates or Templates()
    for language in LANGUAGES:
        yield results_page(content, language, templates)


def results_page(content: Content, language: str, templates: Templates) -> Page:
    """The results page: the form and the filters' menus are drawn by the theme from the front matter."""
    source = urls.search(language)
    words = labels("search", language)
    meta: dict[str, object] = {"template": "search.html", "filters": filter_values(content, language),
                               "placeholder": words["placeholder"],
                               # search.js cuts and folds queries by the index's rules, and opens the index by its name
                               "ideographs": IDEOGRAPHS, "fold": dict(indexing.FOLD), "break": indexing.BREAK,
                               "index": indexing.INDEX_LANGUAGE.get(language.lower(), language),
                               # a word with this many positions on a page may have more there (search.js, occurrences())
                               "positions": pagefind_bundle.POSITIONS or 0, "text_piece": pagefind_bundle.TEXT_PIECE,
                               # a lone key's positions per page (search.js, anchored())
                               "lone_positions": pagefind_bundle.LONE_POSITIONS,
                               "words": dict(words["script"]),
                               "prompt": words["prompt"],
                               # what mkdocs.yml loads on every page and this one does not use (the
                               # directory's filter and styles, the yearbook's tables): 4.6 KB less
                               # in a first query (README, "Search": the download of the first query)
                               "unused_assets": ["assets/directory.css", "assets/yearbook.css",
                                                 "assets/javascripts/directory-filter.js"]}
    if language != DEFAULT_LANGUAGE:
        meta["lang"] = language  # read by themes/material/partials/language.html
    body = templates.render("search/results.md", source, labels=words, language=language)
    return Page(source, page(words["title"], body, **meta))


def filter_values(content: Content, language: str) -> list[list[object]]:
    """[filter, label, values] for the results page's menus, in :data:`FILTERS` order."""
    words = labels("search", language)
    published = PUBLICATIONS[language]
    # the gazette's years of publication; the yearbook's editions are a filter of their own
    years = {str(notice.year) for notice in content.gazette.notices} if "gazette" in published else set()
    issuing = {agency for notice in content.gazette.notices for agency in notice.agencies}  # every issuing agency (pages/gazette.py)
    values = {
        "publication": [words["publications"][name] for name in published],
        "category": [category.name.zh_hant for category in content.site.categories],
        "agency": [agency.name.zh_hant for agency in content.directory.agencies if agency.id in issuing],
        "year": sorted(years, reverse=True),
        "edition": sorted({str(book.year) for book in content.yearbooks}, reverse=True),
    }
    return [[name, words["filters"][name], values[name]] for name in FILTERS[language]]
