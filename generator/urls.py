"""Every public URL of the site, defined once (permalinks never change once published).

Functions return the page's source path for MkDocs (``…/index.md``); :func:`url` turns that into
the directory URL readers see.
"""

from __future__ import annotations

from .model import Agency, Book, Chapter, Issue, Notice


def url(page: str) -> str:
    """``gazette/2026/01/index.md`` -> ``/gazette/2026/01/``."""
    return "/" + page.removesuffix("index.md")


def home() -> str:
    return "index.md"


def gazette_home() -> str:
    return "gazette/index.md"


def gazette_year(year: int) -> str:
    return f"gazette/{year}/index.md"


def issue(item: Issue) -> str:
    return f"gazette/{item.year}/{item.number:02d}/index.md"


def notice(item: Notice) -> str:
    return f"gazette/{item.year}/{item.issue:02d}/{item.seq:02d}/index.md"


def notice_folder(item: Notice) -> str:
    return notice(item).removesuffix("index.md")


def category(slug: str, year: int | None = None) -> str:
    return f"gazette/category/{slug}/" + (f"{year}/" if year else "") + "index.md"


def gazette_agency(agency_id: str, year: int | None = None) -> str:
    return f"gazette/agency/{agency_id}/" + (f"{year}/" if year else "") + "index.md"


def gazette_feed() -> str:
    return "gazette/feed.atom"


def category_feed(slug: str) -> str:
    return f"gazette/category/{slug}/feed.atom"


def absolute(base_url: str, page: str) -> str:
    """The full URL of a page or file, from the base URL in site.yml."""
    return base_url.rstrip("/") + url(page)


def _prefix(language: str) -> str:
    return "" if language == "zh-Hant" else f"{language}/"


def yearbook_home(language: str = "zh-Hant") -> str:
    return f"{_prefix(language)}yearbook/index.md"


def book(item: Book, language: str = "zh-Hant") -> str:
    return f"{_prefix(language)}yearbook/{item.year}/index.md"


def chapter(item: Book, ch: Chapter) -> str:
    return f"{_prefix(ch.language)}yearbook/{item.year}/{ch.slug}/index.md"


def book_asset(item: Book, name: str) -> str:
    """Images and tables of an edition, shared by both languages."""
    return f"yearbook/{item.year}/{name}"


def directory_home() -> str:
    return "directory/index.md"


def agency(item: Agency | str) -> str:
    return f"directory/{item if isinstance(item, str) else item.id}/index.md"
