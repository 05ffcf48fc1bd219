"""The national gazette's ``HTMLContent`` as clean Markdown: paragraphs, data tables as Markdown tables.

The source HTML was exported from word processors into a page layout: the whole notice sits in an
outer layout table whose first cells repeat the agency, the kind of document, the date and the
document numbers (all in the front matter already), and whose big cell holds the text as ``<p>``s
full of ``<span style=…>`` and ``<font>``. Tables nested in it are the notice's own tables.

So the conversion is ours, on lxml's HTML parser, rather than pandoc's: pandoc turns every layout
table into a Markdown table and keeps the spans' text wrapping (measured on the sample: the notice
text came out as one table cell per notice). The rules:

- A **data table** has at least two rows and two columns and no table inside it, and is not the
  outer table whose text is mostly in one cell; it becomes a Markdown pipe table (the first row as the
  header, merged cells repeated as empty cells, the paragraphs of a cell joined by ``<br>``). Every
  other table is layout: its cells are read as blocks, in order.
- In the outer layout table, the short cells before the body (agency, 令, date, numbers) are dropped.
- Block elements (``p``, ``div``, ``li``, headings, ``br``) end a paragraph; each paragraph is one
  line of Markdown followed by a blank line, so numbered legal items (一、 （一） 1.) stay each on
  its own paragraph, as published.
- White space from the HTML source is folded: none between two CJK characters (it is line wrapping),
  one space elsewhere; indentation (spaces, U+3000) at the start and end of a paragraph is dropped,
  full-width spaces inside (部　　長) are kept.
- Everything is text: characters that Markdown or its extensions would read as markup are escaped
  (``\\*``, ``&lt;``, a leading ``#`` as ``&#35;``), so the page shows exactly the published words.
- Images cannot be brought along (they are files on the source system): the gazette's spacer GIFs
  are dropped, any other image leaves a visible mark, 〔圖片未匯入：name〕, counted in ``images``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

#: Elements whose content is never text.
_SKIP = frozenset({"script", "style", "head", "title", "meta", "link", "object", "embed", "iframe", "noscript", "xml"})
#: Elements that end a paragraph before and after them.
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "center",
          "pre", "address", "section", "article", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "hr", "form",
          "body", "html", "table"})
#: The gazette's layout spacers (``http://gazette.nat.gov.tw/Gazette/images/1_1.gif``).
_SPACER = re.compile(r"(?:^|/)(?:\d+_\d+|spacer|dot|blank|space)\.gif$", re.IGNORECASE)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_FOLD_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\f\v]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
#: Markdown (with the site's extensions: attr_list, footnotes, abbr, tables) inside a line.
_INLINE = re.compile(r"[\\`*_\[\]{}|<>&~^]")
#: Written as character references: check reads "{: on…=" and "[…](javascript:…)" as markup even when
#: backslash-escaped, so brackets never reach it as such; the page shows the same characters.
_INLINE_AS = MappingProxyType({"<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;", "^": "&#94;", "[": "&#91;", "]": "&#93;",
                               "{": "&#123;", "}": "&#125;"})
#: What Markdown reads at the start of a line: headings, quotes, list items, definitions, admonitions,
#: details, setext underlines, abbreviations, footnotes, code indentation, a formula start.
#: A number only when a space follows ("1. text" is a list; "1.申請" is a legal item, which
#: generator.markup.legal hangs, and must stay as typed).
_LINE_START = re.compile(r"(?:[#>:!?=+@-]|\*|\d+\.(?=[ \t]|$))")

#: What makes more than one paragraph in a cell, or more than text.
_CELL_BREAKS = _BLOCK | {"br", "img"} | _SKIP
PLACEHOLDER_IMAGE = "〔圖片未匯入：{name}〕"


@dataclass
class Converted:
    """The Markdown of one ``HTMLContent``, and what could not come along."""

    markdown: str
    images: list[str] = field(default_factory=list)  # the names of images left as a mark
    tables: int = 0  # data tables written as Markdown tables


def to_markdown(source: str) -> Converted:
    """Convert one record's HTML (any fragment, however broken) to Markdown."""
    out = Converted("")
    if not source.strip():
        return out
    # lxml's plain elements, not lxml.html's (whose class lookup per element doubled the time on big tables)
    document = etree.fromstring(f"<html><body>{source}</body></html>", etree.HTMLParser(remove_comments=True))
    root = document.find("body") if document is not None else None
    if root is None:
        return out
    writer = _Writer(out)
    writer.walk(root)
    writer.flush()
    out.markdown = "\n\n".join(writer.blocks) + ("\n" if writer.blocks else "")
    return out


def fold(text: str) -> str:
    """White space of the HTML source folded: nothing between two CJK characters, else one space."""
    return _SPACES.sub(" ", _FOLD_CJK.sub("", text))


def one_line(text: str) -> str:
    """A value of one line (a title, a name): every run of white space one space, none at the ends."""
    return _SPACES.sub(" ", text).strip(" \u3000")


def escape_inline(text: str) -> str:
    """Text inside a line of Markdown, shown as typed."""
    return _INLINE.sub(lambda m: _INLINE_AS.get(m[0], "\\" + m[0]), text)


def escape_line(text: str) -> str:
    """A whole paragraph: inline escapes, and a start that Markdown or a spreadsheet would read as markup
    or a formula made a character reference (``&#35;`` for ``#``, ``1&#46;`` for ``1.``)."""
    text = escape_inline(text)
    match = _LINE_START.match(text)
    if match:
        token = match[0]
        if token[0].isdigit():
            return token[:-1] + f"&#{ord(token[-1])};" + text[len(token):]
        return f"&#{ord(token)};" + text[1:]
    return text


def _rows(table: etree._Element) -> list[etree._Element]:
    return [row for row in table.iter("tr") if _nearest_table(row) is table]


def _nearest_table(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors("table"):
        return ancestor
    return None


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]


def _text(element: etree._Element) -> str:
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _text_length(element: etree._Element) -> int:
    return len(fold(_text(element)).strip())


def _span(cell: etree._Element, name: str) -> int:
    value = cell.get(name, "1").strip()
    return max(1, min(int(value), 100)) if value.isdigit() else 1


class _Writer:
    def __init__(self, out: Converted):
        self.out = out
        self.blocks: list[str] = []
        self.line: list[str] = []

    # -- paragraphs ------------------------------------------------------------------------------

    def add(self, text: str | None) -> None:
        if text:
            self.line.append(text)

    def flush(self) -> None:
        text = self.paragraph(self.line)
        self.line = []
        if text:
            self.blocks.append(escape_line(text))

    @staticmethod
    def paragraph(parts: list[str]) -> str:
        return fold("".join(parts)).strip(" \u3000")

    # -- the tree --------------------------------------------------------------------------------

    def walk(self, element: etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        local = tag.rsplit(":", 1)[-1]
        if not tag or tag in _SKIP:
            return  # a comment, or no text; its tail is added by the parent
        if ":" in tag:  # Word's <o:p>, <st1:…>: inline wrappers
            self.inline(element)
            return
        if local == "table":
            self.flush()
            self.table(element)
            return
        if local == "br":
            self.flush()
            return
        if local == "img":
            self.image(element)
            return
        block = local in _BLOCK
        if block:
            self.flush()
        self.inline(element)
        if block:
            self.flush()

    def inline(self, element: etree._Element) -> None:
        self.add(element.text)
        for child in element:
            self.walk(child)
            self.add(child.tail)

    def image(self, element: etree._Element) -> None:
        src = (element.get("src") or "").strip()
        if _SPACER.search(src):
            return
        name = src.rsplit("/", 1)[-1] or (element.get("alt") or "").strip() or "?"
        self.out.images.append(name)
        self.add(PLACEHOLDER_IMAGE.format(name=name))

    # -- tables ----------------------------------------------------------------------------------

    def table(self, table: etree._Element) -> None:
        outer = _nearest_table(table) is None
        rows = _rows(table)
        cells = [cell for row in rows for cell in _cells(row)]
        nested = any(True for _ in table.iterdescendants("table"))
        widest = max((len(_cells(row)) for row in rows), default=0)
        lengths = {cell: _text_length(cell) for cell in cells} if outer else {}
        total = sum(lengths.values()) or 1
        biggest = max(cells, key=lengths.__getitem__, default=None) if outer else None
        mostly_one = biggest is not None and lengths[biggest] > 0.5 * total
        if not nested and len(rows) >= 2 and widest >= 2 and not (outer and mostly_one):
            if self.data_table(rows):
                return
        body_seen = False
        for cell in cells:  # layout: the cells as blocks, in reading order
            if outer and not body_seen and cell is not biggest and self.header_cell(cell):
                continue
            body_seen |= cell is biggest
            self.walk(cell)
            self.flush()
        if not cells:
            self.inline(table)
            self.flush()

    @staticmethod
    def header_cell(cell: etree._Element) -> bool:
        """A cell of the outer table's heading: short, without paragraphs or tables of its own."""
        blocks = any(True for _ in cell.iterdescendants("p", "table", "div", "br", "li"))
        return not blocks and _text_length(cell) <= 60

    def cell_text(self, cell: etree._Element) -> str:
        """A data cell's paragraphs, escaped, joined by ``<br>``."""
        if not any(isinstance(e.tag, str) and e.tag.lower() in _CELL_BREAKS for e in cell.iterdescendants()):
            return escape_line(self.paragraph([_text(cell)]))  # one paragraph: most cells of big tables
        inner = _Writer(self.out)
        inner.walk(cell)
        inner.flush()
        return "<br>".join(inner.blocks)  # "|" is escaped with the rest

    def data_table(self, rows: list[etree._Element]) -> bool:
        """Write a Markdown table; False (nothing written) if it holds no text in two columns."""
        grid: list[list[str]] = []
        pending: dict[tuple[int, int], str] = {}  # (row, column) taken by a rowspan above
        for r, row in enumerate(rows):
            line: list[str] = []
            column = 0
            for cell in _cells(row):
                while (r, column) in pending:
                    line.append(pending.pop((r, column)))
                    column += 1
                text = self.cell_text(cell)
                colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
                for c in range(colspan):
                    line.append(text if c == 0 else "")
                    for below in range(1, rowspan):
                        pending[(r + below, column + c)] = ""
                column += colspan
            while (r, column) in pending:
                line.append(pending.pop((r, column)))
                column += 1
            grid.append(line)
        grid = [line for line in grid if any(line)]
        width = max((len(line) for line in grid), default=0)
        columns_with_text = sum(any(c < len(line) and line[c] for line in grid) for c in range(width))
        if len(grid) < 2 or columns_with_text < 2:
            return False
        grid = [line + [""] * (width - len(line)) for line in grid]
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(line) + " |" for line in grid[1:]]
        self.blocks.append("\n".join(lines))
        self.out.tables += 1
        return True
