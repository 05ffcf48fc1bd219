"""Imported records are content like any editor's: every payload of tests/test_hostile_content.py, put
into every field of a record of the national gazette's XML (and into its HTML, as text and as markup),
passes check as text, and the built pages show it as text with nothing that could run."""

from __future__ import annotations

import html

from eyxml_files import record, write_day
from lxml import html as lxml_html
from test_hostile_content import PAYLOADS, runnable


def test_imported_payloads_are_shown_as_text_and_nothing_runs(project, tmp_path):
    records = []
    for n, payload in enumerate(PAYLOADS.values(), start=1):
        records.append(record(
            MetaId=str(5000 + n), Title=f"公告{payload}", TitleEnglish=f"Notice {payload}", Officer_name=f"部長 {payload}",
            Keyword=f"{payload};測試", GazetteId=f"台內字第{n:010d}號{payload}", PubGovName=f"內政部;{payload}",
            HTMLContent=f"<p>主旨：{html.escape(payload)}</p><p>說明：{payload}</p><table><tr><td>{html.escape(payload)}</td>"
                        f"<td>甲</td></tr><tr><td>乙</td><td>丙</td></tr></table>"))
    day = write_day(tmp_path / "days", "095-01-02.xml", records)
    result = project.run("import", "ey-xml", str(day))
    assert result.returncode == 0, result.stdout + result.stderr
    assert project.errors() == []
    build = project.run("build", "-q")
    assert build.returncode == 0, build.stderr
    pages = sorted((project.root / "site" / "gazette" / "2006").glob("[0-9]*/[0-9]*/index.html"))
    assert len(pages) == len(PAYLOADS)
    for page, payload in zip(pages, PAYLOADS.values(), strict=True):
        tree = lxml_html.parse(str(page))
        assert runnable(tree, str(page)) == []
        text = tree.getroot().text_content()
        assert f"公告{payload}" in text and f"主旨：{payload}" in text  # shown exactly as published
    for agency in (project.root / "site" / "directory").glob("*/index.html"):
        assert runnable(lxml_html.parse(str(agency)), str(agency)) == []
