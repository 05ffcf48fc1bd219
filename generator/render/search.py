"""Full-text search with Pagefind, over the built HTML.

Chinese is indexed one character per word, and queries are searched as exact phrases of those
characters. Why: Pagefind segments Chinese at index time with jieba (a Simplified-Chinese
dictionary, which cuts Traditional text such as 路邊停車場收費 mostly into single characters) but at
query time with the browser's Intl.Segmenter (which keeps 停車場 and 收費 whole), so everyday words
found nothing on a 10,000-notice archive (Pagefind issue #1237). Segmenting both sides ourselves,
the same way, makes them agree; phrase search over word positions keeps results as precise as a
bigram index would. Pagefind reads a segmented copy of the indexable pages; the published pages
are untouched.

Pages opt in through their front matter (``search: {filters: …, meta: …}``, made by :func:`entry`):
themes/material/main.html then marks their article as ``data-pagefind-body`` with those filters
and metadata, so listings, the nav, header and footer are never indexed. Pagefind splits its index
by ``<html lang>``: the English yearbook has its own index and its own results page.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import BuildError
from ..model import Content
from .cjk import IDEOGRAPHS
from .markdown import Page, page

log = logging.getLogger(__name__)

#: The filters offered on the results page, in this order, with their labels.
FILTERS = {
    "zh-Hant": {"publication": "出版品", "category": "類別", "agency": "機關", "year": "年份"},
    "en": {"publication": "Publication", "year": "Year"},
}
PUBLICATIONS = {
    "zh-Hant": {"gazette": "市府公報", "yearbook": "年鑑", "directory": "電話號碼表"},
    "en": {"gazette": "Gazette", "yearbook": "Yearbook", "directory": "Directory"},
}
#: Parts of an indexed article that are not its text.
EXCLUDE = ".headerlink, nav.breadcrumbs, nav.neighbours, .citation, .md-source-file, .language-switch"


def entry(language: str, publication: str, filters: dict[str, str] | None = None, meta: dict[str, str] | None = None) -> dict:
    """The ``search`` front matter of an indexed page."""
    return {"filters": {"publication": PUBLICATIONS[language][publication], **(filters or {})}, "meta": meta or {}}


def filter_values(content: Content, language: str) -> list[list]:
    """[filter, label, values] for the results page's menus, from the model (the same names the
    pages give Pagefind), so the page need not download Pagefind's filter index to draw them."""
    years = {str(n.year) for n in content.gazette.notices} | {str(b.year) for b in content.yearbooks}
    values = {
        "publication": list(PUBLICATIONS[language].values()) if language == "zh-Hant" else [PUBLICATIONS[language]["yearbook"]],
        "category": [c.name.zh_hant for c in content.site.categories],
        "agency": [a.name.zh_hant for a in content.directory.agencies if any(n.agency == a.id for n in content.gazette.notices)],
        "year": sorted(years if language == "zh-Hant" else {str(b.year) for b in content.yearbooks}, reverse=True),
    }
    return [[name, label, values[name]] for name, label in FILTERS[language].items()]


def results_uri(language: str) -> str:
    return "search/index.md" if language == "zh-Hant" else f"{language}/search/index.md"


def pages(content: Content) -> Iterator[Page]:
    yield results_page(content, "zh-Hant", "搜尋", "請輸入關鍵字、文號或機關名稱",
                       "本站搜尋需要 JavaScript。您仍可瀏覽[市府公報](../gazette/index.md)之歷期目錄、"
                       "[分類](../gazette/category/index.md)與[發文機關](../gazette/agency/index.md)，"
                       "以及[年鑑](../yearbook/index.md)與[電話號碼表](../directory/index.md)。")
    yield results_page(content, "en", "Search", "Words or phrases from the yearbook",
                       "Search needs JavaScript. You can still browse the [yearbook](../yearbook/index.md).")


def results_page(content: Content, language: str, title: str, placeholder: str, without_js: str) -> Page:
    """The results page: themes/material/search.html draws the form; the content is for no-JS readers."""
    meta = {"template": "search.html", "filters": filter_values(content, language), "placeholder": placeholder,
            "ideographs": IDEOGRAPHS,  # search.js segments queries by the same rule as segment()
            "prompt": "搜尋公報、年鑑與電話號碼表" if language == "zh-Hant" else "Search the yearbook"}
    if language != "zh-Hant":
        meta["lang"] = language
    return Page(results_uri(language), page(title, without_js, **meta))


_WORD_EDGE = re.compile(rf"(?<=[{IDEOGRAPHS}])(?=\S)|(?<=\S)(?=[{IDEOGRAPHS}])")
_IDEOGRAPH_AT_EDGE = re.compile(rf"^[{IDEOGRAPHS}]|[{IDEOGRAPHS}]$")
_TAGS = re.compile(r"(<[^>]*>)")


def segment(text: str) -> str:
    """Every Han character (or kana) a word of its own: 嘉市交停字第1140236418號 -> 嘉 市 交 停 字 第 1140236418 號."""
    spaced = _WORD_EDGE.sub(" ", text)
    # a character at the edge of a text node may touch a word in the next one (局</a>（本): keep them apart
    return f" {spaced} " if _IDEOGRAPH_AT_EDGE.search(text) else spaced


def segmented_copy(site: Path, copy: Path) -> int:
    """Copy the indexable pages of ``site`` into ``copy`` with their text segmented; returns how many."""
    count = 0
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        parts = _TAGS.split(html)
        text = "".join(part if part.startswith("<") else segment(part) for part in parts)
        target = copy / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1
    return count


def index_site(content: Content, root: Path, out: Path) -> None:
    """Run Pagefind over a segmented copy of the built pages; its bundle goes to ``out/pagefind/``."""
    copy = Path(tempfile.mkdtemp(prefix="pagefind-", dir=out.parent))
    try:
        pages = segmented_copy(out, copy)
        command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--output-path", str(out / "pagefind"),
                   "--exclude-selectors", EXCLUDE, "--quiet"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildError(f"Pagefind could not run ({exc}); install the project with `make site`") from exc
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    if result.returncode != 0 or not (out / "pagefind" / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BuildError(f"Pagefind failed to index the site: {detail or 'no output'}")
    log.info("indexed %d pages for search", pages)
