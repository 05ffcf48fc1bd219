"""The print edition: every issue's PDF, read as a reader's tools read it (poppler's pdffonts and
pdftotext, pypdf), checked against what the site says about it (links, citations, open data)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import REPO
from generator.checking.check import check
from generator.outputs.printed import issues as printed
from generator.outputs.printed import typeset

ISSUES = ["2026/01", "2026/02", "2026/03", "2026/04"]


def pdf_of(site_dir: Path, issue: str) -> Path:
    year, number = issue.split("/")
    return site_dir / f"gazette/{issue}/gazette-{year}-{number}.pdf"


def text(path: Path, page: int | None = None) -> str:
    """pdftotext's reading of the PDF (one page, if given), in reading order."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def squeeze(value: str) -> str:
    """Text without white space: a title may wrap anywhere, and Typst spaces Latin and Chinese apart."""
    return re.sub(r"\s+", "", value)


@pytest.fixture(scope="module")
def content():
    return check(REPO)


@pytest.mark.parametrize("issue", ISSUES)
def test_every_font_is_embedded_and_subset(site_dir, issue):
    report = subprocess.run(["pdffonts", str(pdf_of(site_dir, issue))], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in report.splitlines()[2:] if line.strip()]
    assert rows, report
    for row in rows:
        emb, sub, uni = row[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert any("NotoSerifCJKtc" in row[0] for row in rows), "the text face is Noto Serif CJK TC"


@pytest.mark.parametrize("issue", ISSUES)
def test_titles_in_reading_order_on_the_cited_pages(site_dir, content, issue):
    """Each notice's title is on the page its citation (and the open data) gives, in the issue's
    order by category; the site's citation line names that page."""
    pdf = pdf_of(site_dir, issue)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((site_dir / "data/gazette/notices.csv").read_text("utf-8")))}
    found = next(i for i in content.gazette.issues if i.id == issue)
    order = [notice for _, notices in printed.sections(content, found) for notice in notices]
    whole = squeeze(text(pdf))
    body = whole[whole.index(squeeze(order[-1].title)) + 1:]  # after the contents, which list every title
    del body
    positions = []
    for notice in order:
        page = int(rows[notice.id]["page"])
        assert squeeze(notice.title) in squeeze(text(pdf, page)), (notice.id, page)
        cited = lxml_html.fromstring((site_dir / f"gazette/{notice.id}/index.html").read_bytes())
        citation = cited.xpath("string(//div[contains(@class, 'citation')]//code)")
        assert f"第{page}頁" in citation, citation
        link = cited.xpath("//a[contains(@class, 'print-edition')]")[0]
        assert link.get("href") == f"../{pdf.name}" and f"第 {page} 頁" in link.text_content()
        # the title's place in the text after the contents pages
        after_contents = squeeze("".join(text(pdf, p) for p in range(3, len(PdfReader(pdf).pages) + 1)))
        positions.append(after_contents.index(squeeze(notice.title)))
    assert positions == sorted(positions)


@pytest.mark.parametrize("issue", ISSUES)
def test_metadata(site_dir, content, issue):
    reader = PdfReader(pdf_of(site_dir, issue))
    found = next(i for i in content.gazette.issues if i.id == issue)
    label = content.site.gazette.label(found.year, found.number)
    meta = reader.metadata
    assert meta.title == f"嘉和市政府公報 {label}"
    assert meta.author == "嘉和市政府秘書處"
    assert label in meta.subject and f"共 {len(found.notices)} 則" in meta.subject
    assert meta.creation_date.date() == found.date and meta.modification_date.date() == found.date
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hant"
    xmp = reader.xmp_metadata
    assert xmp is not None and "pdfaid" in xmp.stream.get_data().decode()  # PDF/A-2b identification
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    # the tags' many small objects packed in compressed object streams (a real issue: 10 MB -> 2.2 MB)
    assert b"/ObjStm" in pdf_of(site_dir, issue).read_bytes()
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.1)


def test_cover_contents_headers_and_page_numbers(site_dir):
    pdf = pdf_of(site_dir, "2026/03")
    cover = text(pdf, 1)
    for expected in ("嘉和市政府公報", "115年第3期", "中華民國115年2月1日", "西元2026年2月1日", "嘉和市政府秘書處"):
        assert expected in squeeze(cover)
    contents = squeeze(text(pdf, 2))
    assert "目次" in contents and "公告115年度第1次標售市有非公用不動產" in contents
    for page in range(2, len(PdfReader(pdf).pages) + 1):
        lines = [line.strip() for line in text(pdf, page).splitlines() if line.strip()]
        assert squeeze(lines[0]).startswith("嘉和市政府公報"), lines[:2]  # running header
        assert lines[-1] == str(page)  # the page number in the footer


def test_issue_page_and_feed_link_the_pdf(site_dir):
    import feedparser

    page = lxml_html.fromstring((site_dir / "gazette/2026/03/index.html").read_bytes())
    link = page.xpath("//a[contains(@class, 'print-edition')]")[0]
    assert link.get("href") == "gazette-2026-03.pdf" and link.get("type") == "application/pdf"
    feed = feedparser.parse((site_dir / "gazette/feed.atom").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/gazette/2026/03/05/"))
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href == "https://publications.jiahe.gov.tw/gazette/2026/03/gazette-2026-03.pdf"
    assert int(enclosure.length) == pdf_of(site_dir, "2026/03").stat().st_size
    issues = {row["id"]: row for row in csv.DictReader(io.StringIO((site_dir / "data/gazette/issues.csv").read_text("utf-8")))}
    assert issues["2026/03"]["pdf_url"] == enclosure.href
    assert int(issues["2026/03"]["pdf_bytes"]) == pdf_of(site_dir, "2026/03").stat().st_size


def test_two_builds_are_identical_and_an_unchanged_issue_is_not_typeset_again(shipped, monkeypatch, tmp_path):
    content = check(shipped.root)
    first = printed.issue_pdfs(content, shipped.root, tmp_path / "first")
    cache = sorted(p.name for p in (shipped.root / typeset.CACHE).iterdir())
    assert len(cache) == 2 * len(first)
    # again without the cache: the same bytes
    for path in (shipped.root / typeset.CACHE).iterdir():
        path.unlink()
    again = printed.issue_pdfs(content, shipped.root, tmp_path / "again", workers=2)  # typeset by two processes
    assert [p.data for p in again] == [p.data for p in first]

    # with the cache: nothing is typeset
    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged issue was typeset again")

    monkeypatch.setattr(typeset, "compile_pdf", refuse)
    cached = printed.issue_pdfs(content, shipped.root, tmp_path / "cached")
    assert [p.data for p in cached] == [p.data for p in first]
    # placed in the build's folder as a hard link to the cached file: no byte copied
    kept = {path.stat().st_ino for path in (shipped.root / typeset.CACHE).glob("gazette-*.pdf")}
    assert all(p.path == tmp_path / "cached" / p.uri and p.path.stat().st_ino in kept for p in cached)
    # a changed notice is typeset again: its issue only
    monkeypatch.undo()
    shipped.edit("content/gazette/2026/02/02-public-bicycle.md", "---\n\n", "---\n\n新增一段。\n\n")
    calls = []
    real = typeset.compile_pdf
    monkeypatch.setattr(typeset, "compile_pdf", lambda *a, **k: calls.append(a) or real(*a, **k))
    printed.issue_pdfs(check(shipped.root), shipped.root, tmp_path / "changed")
    assert len(calls) == 1


#: Typst's own syntax, in every field the PDF shows: it must come out as the text typed.
TYPST_PAYLOADS = ['#panic("typst-1")', ']#panic("typst-2")[', '$x^2$ <lbl> @lbl', '#set page(fill: red)', "\\", "`{=typst}`"]


def test_typst_markup_in_content_is_text(shipped, tmp_path):
    payload = " ".join(TYPST_PAYLOADS)
    notice = "content/gazette/2026/03/05-towing-rules.md"
    original = (shipped.root / notice).read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", original, re.M)[1]
    shipped.edit(notice, f"title: {title}", f"title: {_yaml(payload + ' ' + title)}")
    shipped.edit(notice, "---\n\n", f"---\n\n{payload}\n\n```{{=typst}}\n#panic(\"typst-3\")\n```\n\n一、{payload}\n\n")
    signer = re.search(r"^signer: (.*)$", original, re.M)
    if signer:
        shipped.edit(notice, f"signer: {signer[1]}", f"signer: {_yaml(payload)}")
    shipped.edit("content/gazette/2026/03/issue.yml", "title: 春節前特刊", f"title: {_yaml(payload + ' 春節前特刊')}")
    assert shipped.errors() == []
    content = check(shipped.root)
    made = {pdf.issue: pdf for pdf in printed.issue_pdfs(content, shipped.root, tmp_path)}
    path = shipped.root / "issue.pdf"
    path.write_bytes(made["2026/03"].data)
    shown = squeeze(text(path))
    assert shown.count(squeeze(payload)) >= 4  # cover (issue title), contents, heading, signer, body
    assert squeeze('#panic("typst-3")') in shown  # a raw-Typst block of Markdown is shown as code, not run


def _yaml(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# -- the yearbook ------------------------------------------------------------------------------------

BOOKS = {"zh-Hant": "ebooks/yearbook-2025-zh-Hant.pdf", "en": "ebooks/yearbook-2025-en.pdf"}


@pytest.mark.parametrize("language", list(BOOKS))
def test_yearbook_pdf_fonts_metadata_and_chapters_on_the_pages_the_contents_give(site_dir, content, language):
    pdf = site_dir / BOOKS[language]
    report = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    for row in (line.split() for line in report.splitlines()[2:] if line.strip()):
        assert row[-5:-2] == ["yes", "yes", "yes"], row
    reader = PdfReader(pdf)
    book = content.yearbooks[0]
    assert reader.metadata.title == book.title.get(language)
    assert reader.metadata.author == book.publisher.get(language)
    assert reader.trailer["/Root"]["/Lang"] == language
    assert reader.metadata.creation_date.date() == book.date
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    chapters = book.chapters_in(language)
    contents = text(pdf, 3)
    pages = []
    for chapter in chapters:
        line = next(line for line in contents.splitlines() if squeeze(line).startswith(squeeze(chapter.title)))
        page = int(re.search(r"(\d+)\s*$", line)[1])
        top = [squeeze(x) for x in text(pdf, page).splitlines() if x.strip()]
        assert squeeze(chapter.title) in top[:3], (chapter.title, page, top[:3])  # after the running header
        pages.append(page)
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # reading order, each on its own page


@pytest.mark.parametrize("language", list(BOOKS))
def test_yearbook_pdf_has_cover_images_captions_and_tables(site_dir, content, language):
    pdf = site_dir / BOOKS[language]
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    book = content.yearbooks[0]
    folder = REPO / "content/yearbook/2025"
    used = {m for chapter in book.chapters_in(language) for m in re.findall(r"\]\(\.\./(images/[^)]+)\)", chapter.body)}
    assert len(images.splitlines()) - 2 >= len(used) + 1  # every figure and the cover
    first = [squeeze(line) for line in text(pdf, 1).splitlines() if line.strip()]
    assert first == [] or len(first) < 3  # the cover is the cover image
    whole = squeeze(text(pdf))
    for chapter in book.chapters_in(language):
        for alt in re.findall(r"!\[([^\]]+)\]\(\.\./images/", chapter.body):
            assert squeeze(alt) in whole, alt  # the caption is the image's text alternative
    for table in book.tables.values():
        if re.search(r"\{\{\s*table:", " ".join(c.body for c in book.chapters_in(language))):
            assert squeeze(table.title.get(language)) in whole
    assert (folder / book.cover.file).is_file()


def test_yearbook_pages_offer_the_pdf(site_dir):
    page = lxml_html.fromstring((site_dir / "yearbook/2025/index.html").read_bytes())
    hrefs = [a.get("href") for a in page.xpath("//a[@type='application/pdf']")]
    assert {h.rsplit("/", 1)[-1] for h in hrefs} == {"yearbook-2025-zh-Hant.pdf", "yearbook-2025-en.pdf"}


def test_attachments_are_listed_with_title_and_address(site_dir, content):
    issue = next(i for i in content.gazette.issues if i.id == "2026/01")
    shown = squeeze(text(pdf_of(site_dir, "2026/01")))
    attached = [(n, a) for n in issue.notices for a in n.attachments]
    assert attached
    for notice, attachment in attached:
        address = f"https://publications.jiahe.gov.tw/gazette/{notice.id}/{attachment.file}"
        assert squeeze(f"{attachment.title}{address}") in shown


def test_a_change_to_how_pdfs_are_finished_makes_the_yearbook_again(shipped, monkeypatch):
    """The PDFs' keys hold the code that compiles and finishes them (typeset.py: the language tag, the
    object streams), not only the templates: a yearbook PDF cached by older code is not served."""
    from generator.outputs.printed.yearbook import book_pdfs

    content, program = check(shipped.root), typeset.pandoc_program()
    version = typeset.engine_version() + typeset.templates_digest()
    first, made = book_pdfs(content, shipped.root, version, program)
    assert made == len(first) == 2
    assert book_pdfs(content, shipped.root, version, program)[1] == 0  # unchanged: from the cache
    changed = shipped.root / "typeset.py"
    changed.write_text(Path(typeset.__file__).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(typeset, "__file__", str(changed))
    assert book_pdfs(content, shipped.root, typeset.engine_version() + typeset.templates_digest(), program)[1] == 2
