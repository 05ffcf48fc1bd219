"""The yearbook's pages (generator/website/pages/yearbook.py) on the built shipped site, in both
languages: what a reader checks on each, and how an untranslated chapter is shown."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest

from generator import urls
from generator.checking.check import check
from generator.model.common import LANGUAGES
from generator.markup.markdown import file_size

from conftest import MINIMAL, REPO, Project
from helpers import built_page as page, text


@pytest.fixture(scope="module")
def book():
    return check(REPO).yearbooks[0]



def target(uri: str, href: str) -> str:
    """Where a relative link on the page built from ``uri`` leads, as a path in the site."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(uri), href.split("#")[0]))



@pytest.mark.parametrize("language, html_lang", [("zh-Hant", "zh-TW"), ("en", "en")])
def test_every_chapter_page_is_in_its_language(site_dir, book, language, html_lang):
    for chapter in book.chapters_in(language):
        tree = page(site_dir, urls.chapter(book, chapter))
        assert tree.get("lang") == html_lang
        assert text(tree.xpath("//article//h1")[0]).rstrip("¶") == chapter.title
    english = page(site_dir, urls.chapter(book, book.chapters_in("en")[0]))
    # The theme's own words are English too, not only the page's.
    assert text(english.xpath("//a[contains(@class, 'md-skip')]")[0]) == "Skip to content"
    assert english.xpath("//nav[contains(@class, 'neighbours')]//a[@rel='next']")[0].text.startswith("Next: ")


@pytest.mark.parametrize("language, other, label", [("zh-Hant", "en", "English"), ("en", "zh-Hant", "中文")])
def test_language_switch_leads_to_the_same_chapter(site_dir, book, language, other, label):
    for chapter in book.chapters_in(language):
        uri = urls.chapter(book, chapter)
        tree = page(site_dir, uri)
        (switch,) = tree.xpath("//nav[contains(@class, 'language-switch')]//a")
        assert switch.text == label and switch.get("hreflang") == other and switch.get("lang") == other
        twin = next(c for c in book.chapters_in(other) if c.name == chapter.name)
        assert target(uri, switch.get("href")) + "/index.md" == urls.chapter(book, twin)
        links = tree.xpath("//head/link[@rel='alternate'][@hreflang]")
        alternates = {link.get("hreflang"): link.get("href") for link in links}
        base = "https://publications.jiahe.gov.tw/"  # hreflang alternates are absolute URLs
        assert alternates == {language: base + urls.url(uri)[1:], other: base + urls.url(urls.chapter(book, twin))[1:]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_cover_page_shows_title_cover_contents_and_downloads(site_dir, book, language):
    uri = urls.book(book, language)
    tree = page(site_dir, uri)
    assert text(tree.xpath("//article//h1")[0]).rstrip("¶") == book.title.get(language)
    (cover,) = tree.xpath("//img[contains(@class, 'yearbook-cover')]")
    assert cover.get("alt") == book.cover.alt.get(language) and (site_dir / target(uri, cover.get("src"))).is_file()
    chapters = tree.xpath("//article//ol/li/a")
    assert [a.text for a in chapters] == [c.title for c in book.chapters_in(language)]
    assert all((site_dir / target(uri, a.get("href")) / "index.html").is_file() for a in chapters)
    assert tree.xpath("//nav[contains(@class, 'language-switch')]//a/@hreflang") == [lang for lang in LANGUAGES if lang != language]
    assert "ISBN " + book.identifier.get(language) in text(tree.xpath("//p[@class='yearbook-imprint']")[0])
    assert_downloads(site_dir, uri, tree, language)


def assert_downloads(site_dir: Path, uri: str, tree, language: str) -> None:
    """Both e-books are offered, the page's language first, each with its real size (and each with
    its print edition, the PDF: tests/outputs/test_print.py)."""
    links = tree.xpath("//div[contains(@class, 'ebook-downloads')]//a[@type='application/epub+zip']")
    assert [a.get("hreflang") for a in links] == [language] + [lang for lang in LANGUAGES if lang != language]
    for a in links:
        path = site_dir / target(uri, a.get("href"))
        assert path.is_file() and path.name.endswith(f"-{a.get('hreflang')}.epub")
        assert file_size(path.stat().st_size) in a.text and "EPUB" in a.text
        assert a.get("type") == "application/epub+zip" and a.get("download") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chapter_offers_both_ebooks(site_dir, book, language):
    for chapter in book.chapters_in(language):
        uri = urls.chapter(book, chapter)
        assert_downloads(site_dir, uri, page(site_dir, uri), language)


@pytest.mark.parametrize("language, own, foreign", [
    ("zh-Hant", ["行政區", "2025年底人口數"], ["East District", "行政區（英文）"]),
    ("en", ["District", "Population, end of 2025"], ["東區", "District (Chinese)"]),
])
def test_statistics_table_is_accessible_and_in_the_pages_language(site_dir, book, language, own, foreign):
    chapter = next(c for c in book.chapters_in(language) if c.slug == "population")
    uri = urls.chapter(book, chapter)
    (table,) = page(site_dir, uri).xpath("//div[@class='stat-table']")
    # the caption above the table's scrolling region, naming it (generator/markup/tables.py)
    (caption,) = table.xpath(".//p[@class='table-caption']")
    assert text(caption).startswith(book.tables["population"].title.get(language))
    assert table.xpath(".//table/@aria-labelledby") == [caption.get("id")]
    heads = [text(th) for th in table.xpath(".//thead/tr/th[@scope='col']")]
    assert all(h in heads for h in own) and not any(f in text(table) for f in foreign)
    assert len(table.xpath(".//tbody/tr/th[@scope='row']")) == len(book.tables["population"].rows)
    numbers = [td.text for td in table.xpath(".//td[@class='num']")]
    assert "169,835" in numbers and "\u2212483" in numbers and "-483" not in numbers
    (csv,) = table.xpath(".//p[@class='stat-table-source']/a")
    published = site_dir / target(uri, csv.get("href"))
    # the citizens' CSV: Excel's UTF-8 (with a BOM), the columns and headers the page shows
    data = published.read_bytes()
    assert published.name == f"population-{language}.csv" and data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert all(h in header for h in own) and not any(f in data.decode("utf-8-sig") for f in foreign)


# -- a chapter written in Chinese only ----------------------------------------------------------------

@pytest.fixture(scope="module")
def untranslated(tmp_path_factory) -> Path:
    """The minimal project with a second chapter in Chinese only, built once."""
    project = Project(tmp_path_factory.mktemp("untranslated") / "proj")
    project.write(MINIMAL)
    project.write({"content/yearbook/2025/zh-Hant/02-chronicle.md": "---\ntitle: 大事記\n---\n\n一月，市府成立。\n"})
    project.edit("content/yearbook/2025/book.yml", "  - 01-overview\n",
                 "  - 01-overview\n  - chapter: 02-chronicle\n    not_translated: [en]\n")
    shutil.copy(REPO / "mkdocs.yml", project.root / "mkdocs.yml")
    shutil.copytree(REPO / "themes", project.root / "themes")
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def test_untranslated_chapter_says_so_instead_of_a_broken_link(untranslated):
    tree = page(untranslated, "yearbook/2025/chronicle/index.md")
    (switch,) = tree.xpath("//nav[contains(@class, 'language-switch')]")
    assert "This chapter has not been translated into English." in text(switch)
    (link,) = switch.xpath(".//a")
    assert target("yearbook/2025/chronicle/index.md", link.get("href")) == "en/yearbook/2025"
    assert not (untranslated / "en/yearbook/2025/chronicle").exists()
    alternates = tree.xpath("//head/link[@rel='alternate']/@hreflang")
    assert "en" not in alternates


def test_english_contents_list_the_untranslated_chapter_in_chinese(untranslated):
    uri = "en/yearbook/2025/index.md"
    items = page(untranslated, uri).xpath("//article//ol/li")
    assert [text(li) for li in items] == ["Overview", "大事記 (Chinese only)"]
    link = items[1].xpath("a")[0]
    assert link.get("lang") == "zh-Hant" and target(uri, link.get("href")) == "yearbook/2025/chronicle"


def test_english_ebook_leaves_the_untranslated_chapter_out(untranslated):
    import zipfile

    with zipfile.ZipFile(untranslated / "ebooks/yearbook-2025-en.epub") as archive:
        chapters = [n for n in archive.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n)]
    with zipfile.ZipFile(untranslated / "ebooks/yearbook-2025-zh-Hant.epub") as archive:
        assert len([n for n in archive.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n)]) == 2
    assert len(chapters) == 1
