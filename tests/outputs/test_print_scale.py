"""The print edition at archive scale (issue 12, goal 5): issues converted by one pandoc run, and
typeset by one Typst compiler used again, give the same Typst and the same PDFs, byte for byte, as
one pandoc run and one new compiler per issue; and the memory of typesetting many issues is bounded
(pandoc's runs cut at ``PANDOC_BYTES``, Typst's layouts let go after each document)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from conftest import REPO
from generator.checking.check import check
from generator.errors import BuildError
from generator.outputs.printed import issues as printed
from generator.outputs.printed import typeset


@pytest.fixture(scope="module")
def content():
    return check(REPO)


#: A body that writes, as typed, what the joined run puts between issues: a code block's lines are
#: written by pandoc as they are, and a Div in a body is inside its notice's wrapper.
TRICKY = """一、前言

```text
// document-break-0123456789abcdef0123456789abcdef

#part(0)[
```

<div id="document-break-0123456789abcdef0123456789abcdef" markdown>
第二段。
</div>

// document-break-0123456789abcdef0123456789abcdef
"""


def test_one_pandoc_run_gives_each_issue_the_typst_of_its_own_run(content):
    program = typeset.pandoc_program()
    htmls = [printed.source(content, issue)[0] for issue in content.gazette.issues]
    htmls.append(printed.html_of([TRICKY, "（一）第一項。\n\n1. 第一款", TRICKY]))
    alone = [typeset.to_typst(html, program, shift_headings=2) for html in htmls]
    together = typeset.to_typst_many(htmls, program, shift_headings=2)
    assert together == alone
    assert "document-break-0123456789abcdef0123456789abcdef" in alone[-1]  # the body's text is kept, as text


def test_pandoc_runs_hold_at_most_pandoc_bytes_of_html_each(content, monkeypatch):
    """pandoc holds about 270 times its input in memory: the documents go to it in runs of at most
    ``PANDOC_BYTES``, a larger document alone, each document's Typst still its own run's."""
    program = typeset.pandoc_program()
    htmls = [printed.source(content, issue)[0] for issue in content.gazette.issues]
    htmls.insert(1, printed.html_of(["長表。\n\n" + "| 甲 | 乙 |\n|---|---|\n" + "| 一 | 二 |\n" * 3000]))
    sizes = sorted(len(html.encode("utf-8")) for html in htmls)
    monkeypatch.setattr(typeset, "PANDOC_BYTES", sizes[-2] + sizes[-3])  # any two small ones fit, never three; the long one alone
    runs = []
    pandoc = typeset._pandoc

    def counted(html, *args):
        runs.append((len(html.encode("utf-8")), html.count('<div id="part-0">')))
        return pandoc(html, *args)

    monkeypatch.setattr(typeset, "_pandoc", counted)
    together = typeset.to_typst_many(htmls, program, shift_headings=2)
    assert sum(documents for _, documents in runs) == len(htmls)
    assert all(size <= typeset.PANDOC_BYTES or documents == 1 for size, documents in runs)
    assert 1 < len(runs) < len(htmls) and max(documents for _, documents in runs) >= 2
    runs.clear()
    assert together == [typeset.to_typst(html, program, shift_headings=2) for html in htmls]


def test_one_pandoc_run_refuses_html_without_a_body():
    with pytest.raises(BuildError, match="no <body>"):
        typeset.to_typst_many(["<p>a</p>", "<p>b</p>"], typeset.pandoc_program())


def test_a_compiler_used_again_makes_the_pdf_a_new_compiler_makes(content, monkeypatch):
    program = typeset.pandoc_program()
    first, second = content.gazette.issues[0], content.gazette.issues[2]
    jobs = {}
    for issue in (first, second):
        html, data = printed.source(content, issue)
        jobs[issue.id] = (typeset.to_typst(html, program, shift_headings=2), data)

    def compile_(issue):
        body, data = jobs[issue.id]
        return typeset.compile_pdf("issue.typ", body, data, timestamp=printed._epoch(issue.date))

    monkeypatch.setattr(typeset, "_compilers", threading.local())  # a new compiler, as every issue had before
    new = compile_(first)
    compile_(second)  # another issue typeset by the same compiler in between
    again = compile_(first)
    assert typeset._compilers.typst is not None
    assert again.pdf == new.pdf and again.pages == new.pages


def test_one_markdown_converter_for_an_issue_converts_each_body_as_a_new_one_would(content):
    import markdown

    from generator.markup.sanitize import clean

    bodies = [notice.body for issue in content.gazette.issues for notice in issue.notices]
    bodies += ["正文[^1]。\n\n[^1]: 註一。", "*[HTML]: 超文本\n\nHTML 一詞。", "又一註[^1]。\n\n[^1]: 另一註。"]
    expected = [clean(markdown.markdown(body, extensions=list(typeset.EXTENSIONS))) for body in bodies]
    html = printed.html_of(bodies)
    assert all(f'<div id="part-{index}">\n{part}\n</div>' in html for index, part in enumerate(expected))


def test_a_changed_issue_replaces_its_older_pdf_in_the_cache(shipped, tmp_path):
    first = printed.issue_pdfs(check(shipped.root), shipped.root, tmp_path / "first")
    cache = shipped.root / typeset.CACHE
    before = {p.name for p in cache.iterdir()}
    shipped.edit("content/gazette/2026/02/02-public-bicycle.md", "---\n\n", "---\n\n新增一段。\n\n")
    printed.issue_pdfs(check(shipped.root), shipped.root, tmp_path / "changed")
    after = {p.name for p in cache.iterdir()}
    assert len(after) == len(before) == 2 * len(first)  # a PDF and its pages for each issue, no older one
    assert {name.rsplit("-", 1)[0] for name in after ^ before} == {"gazette-2026-02"}


def test_an_issue_cache_keeps_one_version_of_each_name_and_only_of_that_name(tmp_path):
    from generator.outputs.issuecache import IssueCache

    cache = IssueCache(tmp_path, "probe", "1")
    cache.put("valid-yearbook", cache.key("a"), True)
    cache.put("valid-yearbook-statistics", cache.key("a"), True)
    cache.put("texts-2026-03", cache.key("a"), ["a"])
    again = IssueCache(tmp_path, "probe", "1")  # the next build
    again.put("valid-yearbook", again.key("b"), True)
    again.put("texts-2026-03", again.key("b"), ["b"])
    kept = sorted(p.name for p in cache.folder.iterdir())
    assert kept == sorted([f"valid-yearbook-{cache.key('b')}.json", f"valid-yearbook-statistics-{cache.key('a')}.json",
                           f"texts-2026-03-{cache.key('b')}.json"])
    assert again.get("texts-2026-03", again.key("b")) == ["b"]


def _pdf_with_languages(*element_tags: str) -> bytes:
    """A PDF whose catalogue says zh-TW, with a structure element for each of ``element_tags``."""
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.Root.Lang = pikepdf.String("zh-TW")
    elements = [document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span,
                                                          Lang=pikepdf.String(tag))) for tag in element_tags]
    document.Root.StructTreeRoot = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot,
                                                                             K=pikepdf.Array(elements)))
    out = io.BytesIO()
    document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _languages(pdf: bytes) -> tuple[str, list[str]]:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return str(document.Root.Lang), [str(e.Lang) for e in document.Root.StructTreeRoot.K]


@pytest.mark.parametrize("elements", [(), ("zh-TW", "en")])
def test_the_language_tag_is_replaced_wherever_typst_wrote_it(elements):
    """Typst's usual PDF says its language once, in the catalogue, and the walk over every object is
    skipped (issue 12); an element saying it too is still found and changed, one in English left."""
    catalogue, tags = _languages(typeset.language_tag(_pdf_with_languages(*elements), "zh-TW", "zh-Hant"))
    assert catalogue == "zh-Hant"
    assert tags == ["zh-Hant", "en"][:len(elements)]


#: Typesets 4 documents of the shipped first issue with a table of 800 rows (about 30 pages) in its
#: first notice, each document's rows its own, and prints the process's resident memory (MB) before
#: and after each. ``typeset.MEMORY_AGE`` is set from argv[1].
MEMORY_SCRIPT = """
import json, sys
from pathlib import Path
from generator.checking.check import check
from generator.outputs.printed import issues as printed, typeset
typeset.MEMORY_AGE = int(sys.argv[1])
content = check(Path(sys.argv[2]))
issue = content.gazette.issues[0]
html, data = printed.source(content, issue)
program = typeset.pandoc_program()
def resident():
    return next(int(line.split()[1]) // 1024 for line in open("/proc/self/status") if line.startswith("VmRSS"))
sizes = [resident()]
for n in range(4):
    rows = "".join(f"<tr><td>第{n}-{i}號</td><td>{n}{i}某某股份有限公司</td><td>西屯區{i * n}號</td></tr>" for i in range(800))
    body = typeset.to_typst(html.replace('<div id="part-0">', f'<div id="part-0">\\n<table><tbody>{rows}</tbody></table>', 1),
                            program, shift_headings=2)
    typeset.compile_pdf("issue.typ", body, data, timestamp=0)
    sizes.append(resident())
print(json.dumps(sizes))
"""


def test_typesetting_one_document_after_another_does_not_keep_their_layouts_in_memory():
    """A build typesets every new issue in one process per core: the memory a document took is
    taken again by the next, not added to (the real sample's daily issues took a process to 4.7 GB
    in 16 issues before, 1.2 GB now). The same script with typst-py's own eviction alone
    (``MEMORY_AGE`` 0) shows that the check can fail: should it ever hold there too, typst-py has
    learnt to let go by itself and :func:`.typeset._forget` can go."""
    def growth(age: int) -> tuple[int, int]:
        result = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(age), str(REPO)], capture_output=True,
                                text=True, timeout=600, cwd=REPO)
        assert result.returncode == 0, result.stderr[-3000:]
        sizes = json.loads(result.stdout.splitlines()[-1])
        return sizes[1] - sizes[0], sizes[-1] - sizes[1]  # the first document's, and the next three's

    first, more = growth(typeset.MEMORY_AGE)
    assert more < first / 4, f"the first document took {first} MB, the next three {more} MB more"
    first, more = growth(0)
    assert more > first / 2, f"without forgetting: the first document took {first} MB, the next three only {more} MB more"


def test_jobs_are_cut_by_size_for_the_processes_and_the_largest_go_first():
    """Issues of the real sample's size (hundreds of KB of tables each) go to the processes a few at a
    time, usual issues sixteen to a job; every issue once, the heaviest jobs first."""
    def job(name: str, kb: int) -> printed.Job:
        return name, "key", ["表" * (kb * 1000 // 3)], {}, 0, []

    jobs = [job(f"small-{n}", 20) for n in range(40)] + [job(f"big-{n}", 300) for n in range(5)] + [job("huge", 900)]
    batches = printed._batches(jobs, workers=2)
    assert sorted(j[0] for batch in batches for j in batch) == sorted(j[0] for j in jobs)
    weights = [sum(len(body.encode()) for j in batch for body in j[2]) for batch in batches]
    assert weights == sorted(weights, reverse=True)
    assert batches[0] == [jobs[-1]]  # larger than a job may hold: alone, and first
    assert all(len(batch) <= printed.BATCH for batch in batches)
    assert all(weight <= printed.BATCH_BYTES for batch, weight in zip(batches, weights, strict=True) if len(batch) > 1)
    small = [sum(j[0].startswith("small") for j in batch) for batch in batches]
    assert sorted(n for n in small if n) == [8, 16, 16]  # usual issues, sixteen to a job
    # few issues: each process gets its share rather than one job holding them all
    assert [len(batch) for batch in printed._batches(jobs[:6], workers=2)] == [3, 3]


def test_legal_items_hang_and_links_within_the_document_print_as_their_text():
    """legal.lua in its one walk: a link within the document is its text before its paragraph is
    looked at, so a paragraph beginning with a linked label hangs like any other item; a link out
    of the document stays a link."""
    html = printed.html_of(["一、總則。\n\n[（二）](#x)細目。\n\n見[第一條](#a)及[網站](https://example.gov.tw)。"])
    out = typeset.to_typst(html, typeset.pandoc_program(), shift_headings=2)
    assert "#item(1, [一、])[總則。]\n#item(2, [（二）])[細目。]\n" in out
    assert '見第一條及#link("https://example.gov.tw")[網站]。' in out
