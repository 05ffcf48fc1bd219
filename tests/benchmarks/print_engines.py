"""Typst against WeasyPrint for the print edition, on the shipped sample and on an issue of real
notices (the national gazette's XML in ../shared/realdata/, converted here to this project's notices).

    .venv/bin/python tests/benchmarks/print_engines.py [--notices 300] [--runs 3] [--weasyprint PYTHON]

Typst runs through the project's own code (``generator.outputs.printed``: pandoc to Typst, one
compile, the language tag), without its cache. WeasyPrint is not a dependency of the project: give
a Python that has it (``python -m venv /tmp/wp && /tmp/wp/bin/pip install weasyprint``) and it prints
the same issue from the same HTML with a CSS paged-media stylesheet (A4, running header, page
numbers, Noto Serif CJK TC). Reports the median time of ``--runs`` runs, pages, bytes, and whether
two runs gave the same bytes; the PDFs are left in the output folder to be looked at (pdftoppm).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
REALDATA = REPO.parent / "shared" / "realdata" / "ey-gazette-2006-01-04.tar.xz"
CATEGORIES = {"法規": "regulations", "行政規則": "administrative-rules", "公告": "notices", "人事": "personnel"}

WEASYPRINT = r'''
import sys, time, hashlib
from weasyprint import HTML, CSS
source, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times, cpu, digests = [], [], []
for run in range(runs):
    started, started_cpu = time.perf_counter(), time.process_time()
    document = HTML(filename=source).render()
    pdf = document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True, uncompressed_pdf=False)
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
    digests.append(hashlib.sha256(pdf).hexdigest())
open(out, "wb").write(pdf)
print(sorted(times)[len(times) // 2], sorted(cpu)[len(cpu) // 2], len(document.pages), len(pdf), len(set(digests)) == 1)
'''

CSS_PAGED = """
@page { size: A4; margin: 25mm 22mm 22mm;
  @top-left { content: "嘉和市政府公報"; font: 8.5pt "Noto Sans CJK TC"; }
  @top-right { content: string(issue); font: 8.5pt "Noto Sans CJK TC"; }
  @bottom-center { content: counter(page); font: 9pt "Noto Serif CJK TC"; } }
@page :first { @top-left { content: none } @top-right { content: none } @bottom-center { content: none } }
html { font: 10.5pt/1.6 "Noto Serif CJK TC"; text-align: justify; }
h1, h2 { font-family: "Noto Sans CJK TC"; } h1 { string-set: issue content(); page-break-after: always; }
h2 { font-size: 12.5pt; break-after: avoid; } table { border-collapse: collapse; } td, th { border: .5pt solid #777; }
thead { display: table-header-group; } dl.meta { font-size: 9.5pt; }
"""


def real_notices(count: int) -> list[dict[str, str]]:
    """``count`` records of the national gazette, in publication order, as title, document number and body text."""
    folder = Path(tempfile.mkdtemp(prefix="realdata-"))
    with tarfile.open(REALDATA) as archive:
        archive.extractall(folder, filter="data")
    records = []
    for path in sorted(folder.rglob("*.xml")):
        for record in etree.parse(str(path)).getroot().iter("Record"):
            field = {child.tag: (child.text or "").strip() for child in record}
            text = lxml_html.fromstring(field.get("HTMLContent") or "<p></p>").text_content()
            paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            if not field.get("Title") or not paragraphs:
                continue
            records.append({"title": " ".join(field["Title"].split()), "doc": (field.get("GazetteId") or "").split(";")[0],
                            "kind": field.get("Doc_Style_LName", ""), "signer": field.get("Officer_name", ""),
                            "body": "\n\n".join(paragraphs)})
            if len(records) == count:
                shutil.rmtree(folder)
                return records
    shutil.rmtree(folder)
    return records


def project_with(records: list[dict[str, str]], root: Path) -> Path:
    """A copy of the shipped project with one more issue holding ``records``."""
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # notices are numbered with two digits: 75 to an issue here, joined into one issue in memory (joined)
    for seq, record in enumerate(records):
        issue = root / f"content/gazette/2026/{5 + seq // 75:02d}"
        if not issue.exists():
            issue.mkdir(parents=True)
            (issue / "issue.yml").write_text(f"date: 2026-{3 + seq // 75:02d}-01\n", encoding="utf-8")
        body = re.sub(r"^([=+\-@])", r"＝", record["body"], flags=re.M)  # check refuses what a spreadsheet runs
        front = {"title": record["title"], "category": CATEGORIES.get(record["kind"], "other"), "agency": "city-government",
                 "doc_number": f"{record['doc'] or '無字號'}（{seq}）", "issued": "2026-02-20"}
        if record["signer"]:
            front["signer"] = record["signer"]
        lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()] + ["---", "", body, ""]
        (issue / f"{seq % 75 + 1:02d}-n.md").write_text("\n".join(lines), encoding="utf-8")
    return root


def joined(content, issue_id: str):
    """The content with one issue: ``issue_id`` (2026/03), or, for 2026/05, the real notices of issues
    05 and after as one issue (renumbered 1, 2, …)."""
    import dataclasses

    if issue_id != "2026/05":
        return dataclasses.replace(content, gazette=dataclasses.replace(
            content.gazette, issues=tuple(i for i in content.gazette.issues if i.id == issue_id)))
    parts = [i for i in content.gazette.issues if i.year == 2026 and i.number >= 5]
    notices = tuple(dataclasses.replace(n, issue=5, seq=k) for k, n in enumerate((n for i in parts for n in i.notices), start=1))
    issue = dataclasses.replace(parts[0], notices=notices)
    return dataclasses.replace(content, gazette=dataclasses.replace(content.gazette, issues=(issue,)))


def cpu_seconds() -> float:
    """CPU time of this process (Typst's threads) and its finished children (pandoc): on a shared
    machine, steadier than the wall clock."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def typst_run(root: Path, issue_id: str, runs: int) -> tuple[float, float, int, int, bool, bytes]:
    from pypdf import PdfReader

    from generator.checking.check import check
    from generator.outputs.printed import issues as printed

    one = joined(check(root), issue_id)
    from generator.outputs.printed import typeset

    times, cpu, made = [], [], []
    for _ in range(runs):
        shutil.rmtree(root / typeset.CACHE, ignore_errors=True)
        started, started_cpu = time.perf_counter(), cpu_seconds()
        made.append(printed.issue_pdfs(one, root, root / "site-bench")[0].data)
        times.append(time.perf_counter() - started)
        cpu.append(cpu_seconds() - started_cpu)
    import io

    pages = len(PdfReader(io.BytesIO(made[-1])).pages)
    return statistics.median(times), statistics.median(cpu), pages, len(made[-1]), len(set(made)) == 1, made[-1]


def weasy_html(root: Path, issue_id: str) -> str:
    """The same issue for WeasyPrint: cover heading, then each notice's title, metadata and body
    (the site's Markdown, rendered and cleaned the same way)."""
    import markdown

    from generator.checking.check import check
    from generator.markup.sanitize import clean
    from generator.outputs.printed import issues as printed
    from generator.outputs.printed import typeset

    content = joined(check(root), issue_id)
    issue = content.gazette.issues[0]
    out = [f"<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'><title>嘉和市政府公報</title>"
           f"<style>{CSS_PAGED}</style></head><body><h1>嘉和市政府公報 {issue_id}</h1>"]
    for name, notices in printed.sections(content, issue):
        out.append(f"<h1 style='page-break-after:auto;string-set:none'>{html.escape(name)}</h1>")
        for notice in notices:
            out.append(f"<h2>{html.escape(notice.title)}</h2><dl class='meta'><dt>發文字號</dt><dd>{html.escape(notice.doc_number)}</dd></dl>")
            out.append(clean(markdown.markdown(notice.body, extensions=list(typeset.EXTENSIONS))))
    return "".join(out) + "</body></html>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--weasyprint", help="a Python interpreter that has WeasyPrint")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "print-engines")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = project_with(real_notices(args.notices), Path(folder) / "project")
        print(f"{'issue':<24} {'engine':<11} {'median s':>9} {'CPU s':>7} {'pages':>6} {'bytes':>10} identical", flush=True)
        for issue_id, name in (("2026/03", "shipped 2026/03"), ("2026/05", f"{args.notices} real notices")):
            seconds, cpu, pages, size, same, pdf = typst_run(root, issue_id, args.runs)
            (args.out / f"typst-{issue_id.replace('/', '-')}.pdf").write_bytes(pdf)
            print(f"{name:<24} {'Typst':<11} {seconds:>9.2f} {cpu:>7.2f} {pages:>6} {size:>10} {same}", flush=True)
            if args.weasyprint:
                source = args.out / f"weasyprint-{issue_id.replace('/', '-')}.html"
                source.write_text(weasy_html(root, issue_id), encoding="utf-8")
                result = subprocess.run([args.weasyprint, "-c", WEASYPRINT, str(source), str(source.with_suffix(".pdf")),
                                         str(args.runs)], capture_output=True, text=True, check=True)
                seconds_w, cpu_w, pages_w, size_w, same_w = result.stdout.split()
                print(f"{name:<24} {'WeasyPrint':<11} {float(seconds_w):>9.2f} {float(cpu_w):>7.2f} {pages_w:>6} {size_w:>10} {same_w}",
                      flush=True)
    print(f"PDFs in {args.out}")


if __name__ == "__main__":
    main()
