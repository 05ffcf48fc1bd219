"""Hostile content: classic script payloads in every text field and in Markdown bodies.

Every string from content/ is text. Put where a field goes, a payload must come out as that text,
escaped for each output (HTML text and attributes, <title> and <meta>, JSON-LD, Atom, EPUB, CSV,
ODS, vCard, JSON), and never as something that runs: no script, event handler or script URL beyond
the site's own assets, in any published file, and no dialog in Chromium on the pages that show it.
In a Markdown body, where markup is allowed, check refuses what could run at its place; and if a
gap in those rules let it through, the published pages and e-books still do not run it.

The search index's texts of capped pages (pagefind/text/, JSON arrays of words) need a page whose
word reaches the cap, which the hostile project has not: tests/outputs/test_search_positions.py puts
a payload into one, checks that it is kept as data, and that the results page reading it to check a
phrase raises no dialog and adds no element.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import REPO, Project

#: name -> a payload; each calls alert() with its own marker, so a dialog names its payload.
PAYLOADS = {
    "script-breakout": "</script><script>alert('xss-1')</script>",
    "attribute-breakout": "\"><img src=x onerror=alert('xss-2')>",
    "single-quote-breakout": "' onmouseover='alert(`xss-3`)' x='",
    "javascript-url": "javascript:alert('xss-4')",
    "entity-javascript-url": "jav&#x61;script:alert('xss-5')",
    "data-url": "data:text/html,<script>alert('xss-6')</script>",
    "attr-list": "{: onclick=\"alert('xss-7')\" }",
    "svg": "<svg onload=alert('xss-8')>",
    "details-ontoggle": "<details open ontoggle=alert('xss-9')>",
    "title-breakout": "</title><style>*{}</style><script>alert('xss-10')</script>",
}
MARKER = re.compile(r"alert\W{1,2}xss-\d+")

NOTICE = "content/gazette/2026/01/03-parking-fees.md"
JOINT = "content/gazette/2026/04/08-traffic-enforcement-cameras.md"  # agency and doc_number are lists
JOINT_NUMBER = "嘉市警交字第1150011862號"  # its second document number
ISSUE = "content/gazette/2026/01/issue.yml"
CORRIGENDUM = "content/gazette/2026/03/08-corrigendum.md"
AGENCY = "content/directory/transportation.yml"
BOOK = "content/yearbook/2025/book.yml"
CHAPTER = {"zh-Hant": "content/yearbook/2025/zh-Hant/01-overview.md", "en": "content/yearbook/2025/en/01-overview.md"}
TABLE = "content/yearbook/2025/tables/population.csv"
DATASET = "datasets/gazette.yml"

#: (file, the text of the value as shipped, field) for every text field the payload goes into.
FIELDS = [
    (NOTICE, "公告調整本市路邊停車場收費費率及收費時段", "notice title"),
    (NOTICE, "Revised On-street Parking Fees and Charging Hours in Jiahe City", "notice English title"),
    (NOTICE, "局長 陳建宏", "signer"),
    (NOTICE, "嘉市交停字第1140236418號", "document number"),
    (NOTICE, "嘉和市路邊停車場收費費率表（115年2月1日起適用）", "attachment title"),
    (CORRIGENDUM, "更正本府公報115年第2期第4則公告之變更範圍筆數", "title of a correction"),
    (ISSUE, "115年新年號", "issue title"),
    (ISSUE, "本期起本府公報全面改以電子方式發行，紙本不再印製；發行方式說明詳見本期第7則。", "issue notes"),
    (AGENCY, "交通局\n  en:", "agency name"),
    (AGENCY, "交通行政科", "unit name"),
    (AGENCY, "黃志明", "contact name"),
    (AGENCY, "承辦人（計程車管理）", "contact role"),
    (AGENCY, "週一至週五 08:30-17:30", "office hours"),
    (BOOK, "嘉和市年鑑 2025\n  en:", "book title (zh-Hant)"),
    (BOOK, "Jiahe City Yearbook 2025\nsubtitle:", "book title (en)"),
    (BOOK, "各區人口及戶數（2024年底及2025年底）", "table caption"),
    (BOOK, "年鑑封面：深藍色背景上有港灣、山巒與市區剪影，標題為「嘉和市年鑑 2025」", "cover alt text"),
    (CHAPTER["zh-Hant"], "市政概況", "chapter title (zh-Hant)"),
    (CHAPTER["en"], "Overview", "chapter title (en)"),
    (DATASET, "每期公報一列：期別、出刊日期、本期標題與說明、刊登則數及網址。", "dataset resource description"),
    (DATASET, "期別代碼", "dataset field title"),
]


def inject(project: Project, payload: str) -> None:
    """The payload before the shipped value of every field (so values stay unique), as a YAML
    double-quoted string (JSON's string syntax is YAML's), and into a keyword and a table cell."""
    for name, shipped, _ in FIELDS:
        value, _, rest = shipped.partition("\n")
        quoted = json.dumps(f"{payload} {value}", ensure_ascii=False)
        project.edit(name, f": {value}" + ("\n" + rest if rest else ""), f": {quoted}" + ("\n" + rest if rest else ""))
    # the issue label of site.yml, which names every issue on pages, feeds, data and the newsletter
    # (braces doubled: in the label's template they are the text '{' and '}')
    label = json.dumps(payload.replace("{", "{{").replace("}", "}}") + " {roc_year}年第{number}期", ensure_ascii=False)
    project.edit("content/site.yml", 'issue_label: "{roc_year}年第{number}期"', f"issue_label: {label}")
    # the second item of a list of document numbers (a joint notice's): the lead agency is transportation,
    # whose name holds the payload too
    project.edit(JOINT, f", {JOINT_NUMBER}]", ", " + json.dumps(f"{payload} {JOINT_NUMBER}", ensure_ascii=False) + "]")
    keyword = json.dumps(payload.replace(";", ""), ensure_ascii=False)  # ';' separates keywords in the open data
    project.edit(NOTICE, "keywords: [路邊停車,", f"keywords: [{keyword},")
    rows = list(csv.reader(io.StringIO((project.root / TABLE).read_text(encoding="utf-8"))))
    rows[1][0] = f"{payload} {rows[1][0]}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (project.root / TABLE).write_text(out.getvalue(), encoding="utf-8")


def copy_project(root: Path) -> Project:
    project = Project(root)
    root.mkdir(parents=True)
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return project


@pytest.fixture(scope="module", params=list(PAYLOADS), ids=list(PAYLOADS))
def hostile(request, tmp_path_factory):
    """The shipped content with one payload in every text field, built."""
    payload = PAYLOADS[request.param]
    project = copy_project(tmp_path_factory.mktemp(request.param) / "project")
    inject(project, payload)
    result = project.run("build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, payload


# -- what must never be in a published file ----------------------------------------------------------

_SCRIPT_SCHEMES = re.compile(r"^(?:javascript|vbscript|data):")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}
_NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
_OWN_SCRIPTS = re.compile(r"(?:^|/)(?:assets/javascripts/(?:bundle\.[0-9a-f]+\.min|search|directory-filter)\.js)$")


def _scheme(url: str) -> str:
    """A URL as a browser reads its scheme: entities decoded, controls and spaces dropped, lower case."""
    return re.sub(r"[\x00-\x20]", "", url).lower()


def runnable(tree, where: str, xhtml: bool = False) -> list[str]:
    """Everything in a parsed page that could run script, described (empty when inert)."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname.lower()
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower() if name.startswith("{") else name.lower()
            if local.startswith("on"):
                found.append(f"{where}: <{tag} {local}=…>")
            if local in _URL_ATTRIBUTES and _SCRIPT_SCHEMES.match(_scheme(value)):
                found.append(f"{where}: <{tag} {local}={value[:40]!r}>")
        if tag in _NEVER:
            found.append(f"{where}: <{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(f"{where}: <meta http-equiv=refresh>")
        if tag == "script":
            found += _script(element, where, xhtml)
        elif MARKER.search(element.text or "") and tag in ("svg", "style"):
            found.append(f"{where}: payload inside <{tag}>")
    return found


def _script(element, where: str, xhtml: bool) -> list[str]:
    kind = (element.get("type") or "").lower()
    if xhtml:
        return [f"{where}: <script> in an e-book"]
    if kind in ("application/ld+json", "application/json"):
        json.loads(element.text or "")  # a value that ended the block would leave broken JSON
        return []
    if element.get("src") is not None:
        return [] if _OWN_SCRIPTS.search(element.get("src")) else [f"{where}: <script src={element.get('src')!r}>"]
    return [f"{where}: inline script running the payload"] if MARKER.search(element.text or "") else []


def test_every_field_is_shown_as_text_and_nothing_runs(hostile):
    project, payload = hostile
    site = project.root / "site"
    found = []
    for path in sorted(site.rglob("*.html")):
        found += runnable(lxml_html.fromstring(path.read_bytes()), str(path.relative_to(site)))
    assert found == []
    notice = lxml_html.fromstring((site / "gazette/2026/01/03/index.html").read_bytes())
    assert notice.xpath("string(//article//h1)").strip() == f"{payload} 公告調整本市路邊停車場收費費率及收費時段"
    assert notice.xpath("string(//title)").startswith(f"{payload} 公告調整本市路邊停車場收費費率及收費時段")
    ld = json.loads(notice.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["headline"].startswith(payload) and ld["identifier"].startswith(payload)
    agency = lxml_html.fromstring((site / "directory/transportation/index.html").read_bytes())
    assert f"{payload} 黃志明" in agency.text_content()
    issue = lxml_html.fromstring((site / "gazette/2026/01/index.html").read_bytes())
    assert issue.xpath("string(//article//h1)").strip() == f"嘉和市政府公報 {payload} 115年第1期"
    joint = lxml_html.fromstring((site / "gazette/2026/04/08/index.html").read_bytes())
    assert joint.xpath("//span[@class='doc-number']/text()")[1] == f"{payload} {JOINT_NUMBER}"
    assert joint.xpath("string(//dl[@class='notice-meta']/dd[1]/a[1])") == f"{payload} 交通局"
    assert f"{payload} {JOINT_NUMBER}「" in joint.xpath("string(//div[@class='citation']//code)")
    ld = json.loads(joint.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["identifier"][1] == f"{payload} {JOINT_NUMBER}" and ld["author"][0]["name"] == f"{payload} 交通局"
    # Open Graph and Twitter card tags: attributes holding the text as typed
    meta = {m.get("property") or m.get("name"): m.get("content") for m in notice.xpath("//head/meta")}
    assert meta["og:title"] == meta["twitter:title"] == f"{payload} 公告調整本市路邊停車場收費費率及收費時段"
    assert meta["og:description"].startswith(f"{payload} 交通局")
    # the correction's title, in the warning on the notice it corrects
    corrected = lxml_html.fromstring((site / "gazette/2026/02/04/index.html").read_bytes())
    status = corrected.xpath("//div[contains(@class, 'notice-status')]")[0]
    assert f"{payload} 更正本府公報115年第2期第4則公告之變更範圍筆數" in status.text_content()


def test_english_search_records_carry_the_text(hostile):
    """The English index's records of notices (generator/outputs/search_english.py) are HTML too."""
    from generator.checking.check import check
    from generator.outputs import search_english

    project, payload = hostile
    records = {url: html for _, html, url in search_english.records(check(project.root))}
    for url, html in records.items():
        assert runnable(lxml_html.fromstring(html), url) == []
    record = lxml_html.fromstring(records["/gazette/2026/01/03/#main-content"])
    title = f"{payload} Revised On-street Parking Fees and Charging Hours in Jiahe City"
    assert record.xpath("string(//h1)") == title
    assert record.xpath("//span[starts-with(@data-pagefind-meta, 'title:')]/@data-pagefind-meta") == [f"title:{title}"]


def test_feeds_parse_and_carry_the_text(hostile):
    import feedparser

    project, payload = hostile
    feeds = sorted((project.root / "site").rglob("*.atom"))
    assert feeds
    for path in feeds:
        etree.fromstring(path.read_bytes())  # well-formed XML
    parsed = feedparser.parse((project.root / "site/gazette/feed.atom").read_bytes())
    assert not parsed.bozo
    titles = [entry.title for entry in parsed.entries]
    assert f"{payload} 公告調整本市路邊停車場收費費率及收費時段" in titles
    joint = next(entry for entry in parsed.entries if entry.link.endswith("/gazette/2026/04/08/"))
    assert f"{payload} {JOINT_NUMBER}" in joint.summary
    assert [author.name for author in joint.authors] == [f"{payload} 交通局", "警察局"]
    related = [link.get("title", "") for entry in parsed.entries for link in entry.links if link.rel == "related"]
    assert f"本公告已於 {payload} 115年第3期 更正：{payload} 更正本府公報115年第2期第4則公告之變更範圍筆數" in related  # the label holds it too


def test_ebooks_are_well_formed_and_inert(hostile):
    project, payload = hostile
    books = sorted((project.root / "site/ebooks").glob("*.epub"))
    assert len(books) == 2
    for book in books:
        with zipfile.ZipFile(book) as epub:
            for name in epub.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    tree = etree.fromstring(epub.read(name))  # well-formed XML, or this raises
                    assert runnable(tree, f"{book.name}/{name}", xhtml=True) == []
            opf = etree.fromstring(epub.read("EPUB/content.opf"))
            titles = opf.xpath("//dc:title/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
            assert any(title.startswith(payload) for title in titles), titles


def test_print_edition_shows_the_text(hostile):
    """The issue's PDF (Typst) prints the payload as typed: title, signer, document number, attachment
    title, issue title and notes; and holds no JavaScript or action."""
    import subprocess

    project, payload = hostile
    pdf = project.root / "site/gazette/2026/01/gazette-2026-01.pdf"
    shown = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                               text=True, check=True).stdout)
    squeezed = re.sub(r"\s+", "", payload)
    for value in ("公告調整本市路邊停車場收費費率及收費時段", "局長陳建宏", "嘉市交停字第1140236418號", "115年新年號"):
        assert f"{squeezed}{value}" in shown, value
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root and "/JavaScript" not in root.get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            assert action is None or action["/S"] in ("/URI", "/GoTo"), action  # links only, never a script


def test_data_files_parse_and_keep_the_text(hostile):
    import vobject

    project, payload = hostile
    site = project.root / "site"
    for path in site.rglob("*.json"):
        json.loads(path.read_bytes())
    citizens = sorted(site.joinpath("yearbook").rglob("tables/*-*.csv"))  # Excel's CSVs (BOM), in each language
    assert citizens
    for path in [*site.joinpath("data").rglob("*.csv"), *site.joinpath("directory").rglob("*.csv"), *citizens]:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not _formula(cell), f"{path.name}: {cell[:40]!r}"
    table = list(csv.reader(io.StringIO((site / "yearbook/2025/tables/population-zh-Hant.csv").read_text(encoding="utf-8-sig"))))
    assert table[1][0].startswith(payload)  # the cell as typed, one cell
    notices = csv.DictReader(io.StringIO((site / "data/gazette/notices.csv").read_text(encoding="utf-8")))
    assert f"{payload} 公告調整本市路邊停車場收費費率及收費時段" in [row["title"] for row in notices]
    issues = csv.DictReader(io.StringIO((site / "data/gazette/issues.csv").read_text(encoding="utf-8")))
    assert f"{payload} 115年第1期" in [row["label"] for row in issues]
    numbers = csv.DictReader(io.StringIO((site / "data/gazette/notice-doc-numbers.csv").read_text(encoding="utf-8")))
    assert f"{payload} {JOINT_NUMBER}" in [row["doc_number"] for row in numbers]
    joint = json.loads((site / "data/gazette/notice-agencies.json").read_bytes())
    assert f"{payload} 交通局" in [row["agency_name"] for row in joint]
    cards = list(vobject.readComponents((site / "directory/directory.vcf").read_text(encoding="utf-8")))
    assert any(card.fn.value.startswith(f"{payload} 黃志明") for card in cards)
    assert ods_cells_are_text(site / "directory/directory.ods")


def _formula(cell: str) -> bool:
    return bool(cell) and cell[0] in "=+-@\t\r" and not re.fullmatch(r"[+-]?\d+(?:\.\d+)?", cell)


def ods_cells_are_text(path: Path) -> bool:
    """No cell of the spreadsheet is a formula, and every cell with a value is a text cell."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    with zipfile.ZipFile(path) as ods:
        tree = etree.fromstring(ods.read("content.xml"))
    cells = tree.iter(f"{{{table}}}table-cell")
    return all(cell.get(f"{{{table}}}formula") is None and cell.get(f"{{{office}}}value-type") in (None, "string")
               for cell in cells)


#: Pages that show the payload, opened in Chromium.
PAGES = ["", "gazette/", "gazette/2026/", "gazette/2026/01/", "gazette/2026/01/03/", "gazette/2026/04/08/", "gazette/category/notices/",
         "gazette/agency/transportation/", "directory/", "directory/transportation/", "yearbook/2025/",
         "yearbook/2025/overview/", "en/yearbook/2025/overview/", "data/", "data/gazette/",
         "gazette/2026/01/newsletter/", "gazette/2026/01/newsletter/email.html", "subscribe/",
         "search/?q=停車場收費費率"]


def test_no_dialog_in_chromium(hostile, browser):
    import functools
    import http.server
    import threading

    project, payload = hostile
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(project.root / "site"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    context = browser.new_context()

    def tab():
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        return page

    try:
        # Every page in a tab of its own, all loading at once: each is then left until the network has
        # been idle for half a second (anything it fetches late has come and run) and moved over and
        # clicked, as one tab visiting them in turn would, but the waits overlap instead of adding up.
        tabs = []
        for path in PAGES:
            page = tab()
            response = page.goto(f"http://127.0.0.1:{server.server_port}/{path}", wait_until="commit")
            assert response is not None and response.status == 200, path
            tabs.append(page)
        for page in tabs:
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 300)
            page.mouse.click(5, 5)
        search = tabs[PAGES.index("search/?q=停車場收費費率")]
        search.wait_for_selector("#search-results li", timeout=10_000)
        assert payload in search.inner_text("#search-results")
        page = tab()
        for book in sorted((project.root / "site/ebooks").glob("*.epub")):  # as a reading system opens them
            with zipfile.ZipFile(book) as epub:
                for name in [n for n in epub.namelist() if n.endswith(".xhtml")]:
                    file = project.root / "unpacked" / book.stem / name
                    file.parent.mkdir(parents=True, exist_ok=True)
                    file.write_bytes(epub.read(name))
                    page.goto(file.as_uri())
                    page.mouse.move(200, 300)
        for page in context.pages:  # a dialog raised meanwhile reaches its handler
            page.evaluate("1")
    finally:
        context.close()
        server.shutdown()
    assert dialogs == []


# -- Markdown bodies: refused at their place by check, and inert even if check let them through ----

#: Payloads that only a body can carry (Markdown links and attributes), beside the ones above.
BODY_PAYLOADS = {
    **PAYLOADS,
    "markdown-link": "[點此](javascript:alert('xss-11'))",
    "markdown-link-entity": "[點此](jav&#x61;script:alert('xss-12'))",
    "html-link-entity": "<a href=\"&#106;avascript:alert('xss-13')\">連結</a>",
    "heading-attributes": "## 說明 {: onclick=\"alert('xss-14')\" }",
    "image-onerror": "<img src=\"x.png\" alt=\"圖\" onerror=\"alert('xss-15')\">",
}
#: Body payloads that are only text there (no link or tag), shown as typed: check has nothing to refuse.
TEXT_IN_A_BODY = {"single-quote-breakout", "javascript-url", "entity-javascript-url"}
BODY_NOTICE = "content/gazette/2026/01/01-road-works.md"
BODY_CHAPTER = "content/yearbook/2025/zh-Hant/01-overview.md"


@pytest.mark.parametrize("name", sorted(set(BODY_PAYLOADS) - TEXT_IN_A_BODY))
def test_body_markup_that_could_run_is_refused_at_its_place(project, name):
    from generator.errors import Kind

    from conftest import CHAPTER_ZH, NOTICE as NOTICE_TEXT
    from helpers import position

    payload = BODY_PAYLOADS[name]
    notice, chapter = NOTICE_TEXT + f"\n說明如下。\n\n{payload}\n", CHAPTER_ZH + f"\n{payload}\n"
    project.write({BODY_NOTICE: notice, BODY_CHAPTER: chapter})
    refused = {str(p.source).rsplit(":", 1)[0] for p in project.problems() if p.kind is Kind.UNSAFE_MARKUP}
    assert f"{BODY_NOTICE}:{position(notice, payload)[0]}" in refused
    assert f"{BODY_CHAPTER}:{position(chapter, payload)[0]}" in refused


def test_bodies_are_inert_even_when_check_lets_markup_through(project, monkeypatch, tmp_path, browser):
    """The second layer alone: with check's markup rule switched off, nh3 (pages) and the e-books'
    Lua filter still publish nothing that runs."""
    import generator.checking.check
    from generator.build import build
    from generator.errors import Kind

    from conftest import CHAPTER_ZH, NOTICE as NOTICE_TEXT

    validate = generator.checking.check.validate
    monkeypatch.setattr(generator.checking.check, "validate", lambda *args: [
        p for p in validate(*args) if p.kind is not Kind.UNSAFE_MARKUP])
    bodies = "\n\n".join(f"段落 {name}：\n\n{payload}" for name, payload in BODY_PAYLOADS.items())
    project.write({BODY_NOTICE: NOTICE_TEXT + "\n" + bodies + "\n", BODY_CHAPTER: CHAPTER_ZH + "\n" + bodies + "\n"})
    site = build(project.root, tmp_path / "site")
    found = []
    for path in sorted(site.rglob("*.html")):
        found += runnable(lxml_html.fromstring(path.read_bytes()), str(path.relative_to(site)))
    chapters = []
    for book in sorted(site.joinpath("ebooks").glob("*.epub")):
        with zipfile.ZipFile(book) as epub:
            for name in epub.namelist():
                if name.endswith(".xhtml"):
                    found += runnable(etree.fromstring(epub.read(name)), f"{book.name}/{name}", xhtml=True)
                    if book.name.endswith("zh-Hant.epub") and "/text/ch" in name:
                        chapters.append(epub.read(name))
    assert found == []
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("gazette/2026/01/01/index.html", "yearbook/2025/overview/index.html"):
            page.goto((site / path).as_uri())
            page.mouse.move(200, 300)
        for number, xhtml in enumerate(chapters):  # the e-book's chapters, as a reading system opens them
            file = tmp_path / f"chapter-{number}.xhtml"
            file.write_bytes(xhtml)
            page.goto(file.as_uri())
            page.mouse.move(200, 300)
    finally:
        page.close()
    assert dialogs == []


# -- files a browser would run -----------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.mark.parametrize("name", ["map.html", "map.htm", "map.xhtml", "map.svg", "map.SVG", "map.js", "map"])
def test_an_attachment_a_browser_would_run_is_refused(project, name):
    from generator.errors import Kind

    from conftest import NOTICE as NOTICE_TEXT
    from helpers import position

    notice = NOTICE_TEXT.replace("keywords:", f"attachments:\n  - file: {name}\n    title: 圖\nkeywords:")
    project.write({BODY_NOTICE: notice, f"content/gazette/2026/01/{name}": SVG})
    problems = [p for p in project.errors() if p.kind is Kind.FILE_TYPE]
    line, column = position(notice, name)
    assert [str(p.source) for p in problems] == [f"{BODY_NOTICE}:{line}:{column}"]


def test_an_image_a_browser_would_run_is_refused_wherever_it_is(project):
    from generator.errors import Kind

    from conftest import BOOK, CHAPTER_ZH
    from helpers import position

    chapter = CHAPTER_ZH + "\n![地圖](../images/map.svg)\n"
    project.write({BODY_CHAPTER: chapter, "content/yearbook/2025/images/map.svg": SVG,
                   "content/yearbook/2025/images/notes.html": b"<script>alert(1)</script>"})
    places = sorted(str(p.source) for p in project.errors() if p.kind is Kind.FILE_TYPE)
    assert places == sorted([
        "content/yearbook/2025/images/map.svg:1:1", "content/yearbook/2025/images/notes.html:1:1",  # all are published
        "{}:{}:1".format(BODY_CHAPTER, position(chapter, "![地圖")[0]),  # the image in the text
    ])
    project.write({BODY_CHAPTER: CHAPTER_ZH, "content/yearbook/2025/book.yml": BOOK.replace("images/cover.png", "images/map.svg")})
    project.root.joinpath("content/yearbook/2025/images/notes.html").unlink()
    book = BOOK.replace("images/cover.png", "images/map.svg")
    line, column = position(book, "images/map.svg")
    assert sorted(str(p.source) for p in project.errors() if p.kind is Kind.FILE_TYPE) == [
        f"content/yearbook/2025/book.yml:{line}:{column}", "content/yearbook/2025/images/map.svg:1:1"]


def test_a_line_break_in_a_title_cannot_start_markup_of_its_own(tmp_path):
    """A title typed with YAML escapes for line breaks is one line of text wherever it goes: it
    cannot close the citation's code block, nor start a heading, a fence or raw HTML."""
    project = copy_project(tmp_path / "project")
    title = "公告\n```\n\n<b>粗體</b>\n# 標題\n\n```\n收費"
    project.edit(NOTICE, "title: 公告調整本市路邊停車場收費費率及收費時段", f"title: {json.dumps(title, ensure_ascii=False)}")
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    for page in ("gazette/2026/01/03/index.html", "gazette/2026/01/index.html", "gazette/category/notices/index.html"):
        article = lxml_html.fromstring((project.root / "site" / page).read_bytes()).xpath("//article")[0]
        assert article.xpath(".//b") == [], page
        assert [h.text_content() for h in article.xpath(".//h1")] != ["標題"], page
        assert "<b>粗體</b>" in article.text_content(), page
    notice = lxml_html.fromstring((project.root / "site/gazette/2026/01/03/index.html").read_bytes())
    citation = notice.xpath("string(//div[contains(@class, 'citation')]//code)")
    assert "公告 ``` <b>粗體</b> # 標題 ``` 收費" in citation


# -- the newsletter's e-mail -------------------------------------------------------------------------


def test_the_email_is_inert_and_carries_the_text(hostile):
    """The published message: its HTML part runs nothing (nor does the e-mail's HTML file, checked
    with every .html above); both parts show the title as typed."""
    import email
    import email.policy

    project, payload = hostile
    raw = (project.root / "site/gazette/2026/01/newsletter/message.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    plain, html = (part.get_content() for part in message.iter_parts())
    tree = lxml_html.fromstring(html)
    assert runnable(tree, "message.eml") == []
    assert tree.xpath("//script|//style[contains(., 'alert')]") == []
    title = f"{payload} 公告調整本市路邊停車場收費費率及收費時段"
    assert title in [a.text_content() for a in tree.xpath("//a")]
    assert title in plain.splitlines()[-1] or any(line.endswith(title) for line in plain.splitlines())


def test_line_breaks_in_values_cannot_add_headers_to_the_email(tmp_path):
    """Titles and names typed with line breaks (YAML escapes) are folded onto one line in every
    header: "\\nBcc: …" cannot add a recipient, nor a Reply-To."""
    import email
    import email.policy

    from generator.checking.check import check
    from generator.outputs.newsletter import edition, for_recipient

    project = copy_project(tmp_path / "project")
    project.edit("content/site.yml", "    zh-Hant: 嘉和市政府公報\n", '    zh-Hant: "嘉和市政府公報\\nBcc: attacker@evil.example\\nX-Injected: yes"\n')
    project.edit("content/site.yml", "    name: 嘉和市政府秘書處\n    email: gazette",
                 '    name: "嘉和市政府秘書處\\nReply-To: attacker@evil.example"\n    email: gazette')
    project.edit(ISSUE, "title: 115年新年號", 'title: "115年新年號\\n\\nContent-Type: text/html"')
    content = check(project.root)
    made = edition(content, content.gazette.issues[0])
    data = [made.message, for_recipient(made.letter, "reader@example.org", "https://lists.jiahe.gov.tw/u?t=1")]
    for raw in data:
        headers = raw.split(b"\r\n\r\n", 1)[0]
        names = [line.split(b":", 1)[0] for line in headers.split(b"\r\n") if line and not line[:1].isspace()]
        assert b"Bcc" not in names and b"X-Injected" not in names and b"Reply-To" not in names
        assert names.count(b"Content-Type") == 1
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["Subject"].startswith("嘉和市政府公報 Bcc: attacker@evil.example X-Injected: yes 115年第1期")
        # (Python's reader puts a space where the name's encoded words were folded: spaces aside)
        assert message["From"].addresses[0].display_name.replace(" ", "") == "嘉和市政府秘書處Reply-To:attacker@evil.example"
        assert message["From"].addresses[0].addr_spec == "gazette@mail.jiahe.gov.tw"
        assert message.get_all("To") in (None, ["reader@example.org"])
        assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
