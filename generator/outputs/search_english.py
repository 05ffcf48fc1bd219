"""The English search index's gazette part: each notice that has an English title (``title_en``) is
added to the English index (``<html lang="en">``) as a record of its own, holding that title and its
metadata in English (agencies, category, issue, date) and its document numbers. A result leads to the
notice's page, which is in Chinese. Kept apart from :mod:`generator.outputs.search` (which indexes
the built pages): it makes records from the model, and the search stage sends them along.

Why records and not English notice pages: the gazette is published in Chinese only; what an English
reader can search for is what the editors wrote in English, and the result says where it leads.
A record's URL is the notice's with ``#main-content`` (the page's main content, see
themes/material/main.html): Pagefind keeps one page per URL, whatever its language.
"""

from __future__ import annotations

from collections.abc import Iterator

import jinja2

from generator import urls
from generator.dates import english_date
from generator.labels import labels
from generator.model import Content

LANGUAGE = "en"

_RECORD = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main data-pagefind-body>
<span hidden data-pagefind-meta="title:{{ title }}"></span>
{%- for name, value in filters.items() %}
<span hidden data-pagefind-filter="{{ name }}:{{ value }}"></span>
{%- endfor %}
{%- for name, value in meta.items() %}
<span hidden data-pagefind-meta="{{ name }}:{{ value }}"></span>
{%- endfor %}
{%- for name, value in sort.items() %}
<span hidden data-pagefind-sort="{{ name }}:{{ value }}"></span>
{%- endfor %}
<h1>{{ title }}</h1>
<p>{{ description }}</p>
</main></body></html>
""")


def records(content: Content) -> Iterator[tuple[str, str, str]]:
    """(a file name of its own, the HTML record, the notice's URL) for each notice with an English title; the
    search stage makes of each record the document Pagefind is given, as of a page
    (:func:`generator.outputs.search.indexing_document`)."""
    words = labels("search", LANGUAGE)
    for notice in content.gazette.notices:
        if not notice.title_en:
            continue
        issue = content.links.issue_of(notice)
        agency = ", ".join(agency.name.get(LANGUAGE) for agency in content.links.agencies_of(notice))  # lead first
        numbers = ", ".join(notice.doc_numbers)
        category = content.links.category_of(notice).name.get(LANGUAGE)
        issue_name = words["gazette_issue"].format(number=issue.number, year=issue.year)
        date = english_date(issue.date)
        html = _RECORD.render(
            title=notice.title_en,
            filters={"publication": words["publications"]["gazette"]},
            meta={"date": date, "agency": agency, "doc_number": numbers, "issue": issue_name},
            sort={"date": issue.date.isoformat()},
            description=words["gazette_record"].format(category=category, agency=agency, issue=issue_name, date=date,
                                                       doc_number=numbers))
        page = urls.notice(notice)
        # a URL of its own: Pagefind keeps one page per URL across languages, and the Chinese page has this one
        yield f"{LANGUAGE}/{urls.built_file(page)}", html, urls.url(page) + "#main-content"
