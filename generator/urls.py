"""Every public URL of the site, defined once (permalinks never change once published).

Functions return the page's source path for MkDocs (``…/index.md``); :func:`url` turns that into
the directory URL readers see.
"""

from __future__ import annotations

from generator.model import Agency, Book, Chapter, Issue, Notice
from generator.model.common import DEFAULT_LANGUAGE


def url(page: str) -> str:
    """``gazette/2026/01/index.md`` -> ``/gazette/2026/01/``."""
    return "/" + page.removesuffix("index.md")


def built_file(page: str) -> str:
    """The HTML file MkDocs writes for a page: ``gazette/2026/01/index.md`` -> ``gazette/2026/01/index.html``."""
    return page.removesuffix(".md") + ".html"


def home(language: str = DEFAULT_LANGUAGE) -> str:
    """The home page: ``index.md``, and ``en/index.md`` for English readers."""
    return f"{_prefix(language)}index.md"


def about() -> str:
    """The hand-written page about the site (content/pages/about.md)."""
    return "about.md"


def gazette_home() -> str:
    return "gazette/index.md"


def gazette_year(year: int) -> str:
    return f"gazette/{year}/index.md"


def issue(item: Issue) -> str:
    return f"gazette/{item.id}/index.md"  # an issue's id is its path: 2026/03


def notice(item: Notice) -> str:
    return f"gazette/{item.id}/index.md"  # a notice's id is its path: 2026/03/05


def notice_folder(item: Notice) -> str:
    return notice(item).removesuffix("index.md")


def attachment(item: Notice, file: str) -> str:
    """A notice's attachment, published beside its page under the file's own name (quote it for a URI)."""
    return notice_folder(item) + file


def category(slug: str, year: int | None = None) -> str:
    return f"gazette/category/{slug}/" + (f"{year}/" if year else "") + "index.md"


def gazette_agency(agency_id: str, year: int | None = None) -> str:
    return f"gazette/agency/{agency_id}/" + (f"{year}/" if year else "") + "index.md"


def category_index() -> str:
    """The gazette's categories, each with its number of notices."""
    return "gazette/category/index.md"


def agency_index() -> str:
    """The agencies that have published in the gazette."""
    return "gazette/agency/index.md"


def gazette_feed() -> str:
    return "gazette/feed.atom"


def category_feed(slug: str) -> str:
    return f"gazette/category/{slug}/feed.atom"


def agency_feed(agency_id: str) -> str:
    """The Atom feed of one agency's notices, beside its gazette listing."""
    return f"gazette/agency/{agency_id}/feed.atom"


def directory_changes_feed() -> str:
    """The Atom feed of the phone directory's changes, beside its changes page."""
    return "directory/changes.atom"


def subscribe() -> str:
    """The subscribe page (訂閱): the newsletter and every feed."""
    return "subscribe/index.md"


def issue_pdf(item: Issue) -> str:
    """An issue's print edition (PDF), under the issue: ``gazette/2026/03/gazette-2026-03.pdf``."""
    return f"gazette/{item.id}/gazette-{item.year}-{item.number:02d}.pdf"


def newsletter(item: Issue) -> str:
    """An issue's newsletter, the web version, under the issue (its e-mail files are beside it)."""
    return f"gazette/{item.id}/newsletter/index.md"


#: The files of an issue's newsletter beside its web version: the whole message (RFC 5322, as sent to
#: the list address) and its two parts, the e-mail's HTML and its plain text.
NEWSLETTER_FILES = ("message.eml", "email.html", "email.txt")


def newsletter_file(item: Issue, name: str) -> str:
    """One of :data:`NEWSLETTER_FILES` of an issue's newsletter."""
    assert name in NEWSLETTER_FILES
    return f"gazette/{item.id}/newsletter/{name}"


def absolute(base_url: str, page: str) -> str:
    """The full URL of a page or file, from the base URL in site.yml."""
    return base_url.rstrip("/") + url(page)


def _prefix(language: str) -> str:
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


def yearbook_home(language: str = DEFAULT_LANGUAGE) -> str:
    return f"{_prefix(language)}yearbook/index.md"


def book(item: Book, language: str = DEFAULT_LANGUAGE) -> str:
    return f"{_prefix(language)}yearbook/{item.year}/index.md"


def chapter(item: Book, ch: Chapter) -> str:
    return f"{_prefix(ch.language)}yearbook/{item.year}/{ch.slug}/index.md"


def book_asset(item: Book, name: str) -> str:
    """Images and tables of an edition, shared by both languages."""
    return f"yearbook/{item.year}/{name}"


def table_download(item: Book, file: str, language: str) -> str:
    """A statistics table as citizens download it, in one language (``file``: the table's CSV in the
    edition's folder, ``tables/population.csv`` -> ``yearbook/2025/tables/population-zh-Hant.csv``)."""
    return book_asset(item, file.removesuffix(".csv") + f"-{language}.csv")


def ebook(item: Book, language: str) -> str:
    """The EPUB of an edition in one language."""
    return f"ebooks/yearbook-{item.year}-{language}.epub"


def book_pdf(item: Book, language: str) -> str:
    """The print edition (PDF) of an edition in one language, beside its e-book."""
    return f"ebooks/yearbook-{item.year}-{language}.pdf"


def search(language: str = DEFAULT_LANGUAGE) -> str:
    """The search results page of a language's index."""
    return f"{_prefix(language)}search/index.md"


def directory_home() -> str:
    return "directory/index.md"


def agency(item: Agency | str) -> str:
    return f"directory/{item if isinstance(item, str) else item.id}/index.md"


#: Agency ids that would take the address of another directory page.
DIRECTORY_RESERVED = ("changes",)


def directory_changes() -> str:
    """The directory's recent changes."""
    return "directory/changes/index.md"


def version_anchor(commit: str) -> str:
    """A published version's place on :func:`directory_changes`: ``v-`` and the commit's first 10 digits."""
    return f"v-{commit[:10]}"


def directory_entry(entry_id: str) -> str:
    """The name of a directory entry (``agency/unit/name``) in the site's address space: not a page,
    the seed of the entry's stable vCard UID."""
    return f"directory/{entry_id}"


def directory_download(extension: str) -> str:
    """The whole directory as one file: ``csv``, ``json``, ``ods`` or ``vcf``."""
    return f"directory/directory.{extension}"


def directory_changes_data() -> str:
    """The change record, machine-readable."""
    return "directory/changes.json"


def agency_vcard(item: Agency | str) -> str:
    """One agency's vCards, beside its page."""
    agency_id = item if isinstance(item, str) else item.id
    return f"directory/{agency_id}/{agency_id}.vcf"


def data_home() -> str:
    """The open-data catalogue: every package, its resources and downloads."""
    return "data/index.md"


def data_package(name: str) -> str:
    """One data package's page (its descriptor and files are beside it: :func:`data_file`)."""
    return f"data/{name}/index.md"


def data_file(package: str, name: str) -> str:
    """A file of a data package: ``datapackage.json``, ``notices.csv``, ``notices.json``, …"""
    return f"data/{package}/{name}"


def data_catalog(extension: str) -> str:
    """The catalogue of every package for the open-data portal: ``csv`` (data.gov.tw's columns) or ``jsonld`` (DCAT)."""
    return f"data/catalog.{extension}"


def data_checksums() -> str:
    """The SHA-256 checksums of every published data file (``sha256sum -c`` format)."""
    return "data/SHA256SUMS"
