"""``python -m generator import ey-xml`` on the real national gazette sample (../shared/realdata/), into a
temporary copy of the minimal project, as an editor runs it: check passes on what it wrote, the site
builds, and known notices (chosen from the data by what they hold, their values read from the XML)
show the right agencies, numbers and date."""

from __future__ import annotations

import difflib
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from eyxml_files import record, unpack_sample, write_day
from lxml import etree
from lxml import html as lxml_html

from generator.importing.eyxml import roc_date, substitute_number

FIRST_DAYS = ("095-01-02.xml", "095-01-03.xml")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return unpack_sample(tmp_path_factory.mktemp("ey-sample"))


def records(path: Path) -> list[dict[str, str]]:
    return [{child.tag: child.text or "" for child in record} for record in etree.parse(str(path)).getroot()]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under content/ and its hash."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def imported_file(root: Path, meta_id: str) -> Path:
    (path,) = (root / "content" / "gazette").glob(f"*/*/*-ey-{meta_id}.md")
    return path


def notice_page(root: Path, meta_id: str):
    """The built page of an imported notice (its URL numbers have at least two digits, whatever the file's)."""
    path = imported_file(root, meta_id)
    year, issue, seq = path.parent.parent.name, int(path.parent.name), int(path.name.split("-", 1)[0])
    return lxml_html.parse(str(root / "site" / "gazette" / year / f"{issue:02d}" / f"{seq:02d}" / "index.html"))


def check_known_notice(root: Path, fields: dict[str, str]) -> None:
    """The page of a record shows its title, every agency, every number and the date it was issued."""
    page = notice_page(root, fields["MetaId"])
    article = page.xpath("//article")[0]
    text = " ".join(article.text_content().split())
    assert " ".join(fields["Title"].split()) in text
    for agency in filter(None, (name.strip() for name in fields["PubGovName"].split(";"))):
        assert article.xpath(f"//a[normalize-space()='{agency}']"), agency
    numbers = [n.strip() for n in fields["GazetteId"].split(";") if n.strip()] or [substitute_number(fields["MetaId"])]
    for number in numbers:
        assert number in text, number
    issued = roc_date(fields["Date_Created"])
    assert issued is not None and article.xpath(f"//time[@datetime='{issued.isoformat()}']")


def known(days: list[Path]) -> list[dict[str, str]]:
    """Records chosen by what they hold: the first joint notice with several numbers, the first without a
    number, the first with a table of its own, the first with a private-use character."""
    found = [r for day in days for r in records(day)]
    picks = [
        next(r for r in found if ";" in r["PubGovName"] and ";" in r["GazetteId"]),
        next(r for r in found if not r["GazetteId"].strip()),
        next(r for r in found if r["HTMLContent"].lower().count("<table") >= 2),
    ]
    return picks + [r for r in found if re.search("[\ue000-\uf8ff]", r["HTMLContent"])][:1]


def run_long(project, *args: str) -> subprocess.CompletedProcess:
    """The command line with more time than Project.run gives: 1,444 real notices on a shared machine."""
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(project.root)],
                          capture_output=True, text=True, cwd=project.root, timeout=2400)


def test_two_days_import_check_and_build(project, sample):
    days = [sample / name for name in FIRST_DAYS]
    result = project.run("import", "ey-xml", *map(str, days))
    assert result.returncode == 0, result.stderr
    count = sum(len(records(day)) for day in days)
    assert f"imported {count} notices" in result.stdout and "check after the import: 0 errors" in result.stdout
    assert "Traceback" not in result.stderr
    assert project.errors() == []
    build = project.run("build", "-q")
    assert build.returncode == 0, build.stderr
    picks = known(days)
    assert len(picks) >= 3
    for fields in picks:
        check_known_notice(project.root, fields)
    table = picks[2]
    page = notice_page(project.root, table["MetaId"])
    assert page.xpath("//article//table//td"), "the record's own table is a table on the page"


def test_importing_again_changes_nothing_and_a_later_day_adds(project, sample):
    first, later = sample / FIRST_DAYS[0], sample / FIRST_DAYS[1]
    assert project.run("import", "ey-xml", str(first)).returncode == 0
    before = snapshot(project.root)
    again = project.run("import", "ey-xml", str(first))
    assert again.returncode == 0, again.stderr
    assert "imported 0 notices" in again.stdout and f"{len(records(first))} already imported" in again.stdout
    assert snapshot(project.root) == before
    site_before = (project.root / "content" / "site.yml").read_text(encoding="utf-8").splitlines()
    assert project.run("import", "ey-xml", str(later), str(first)).returncode == 0
    after = snapshot(project.root)
    unchanged = {name: digest for name, digest in after.items() if name in before and name != "content/site.yml"}
    assert unchanged == {name: digest for name, digest in before.items() if name != "content/site.yml"}  # nothing rewritten
    site_after = (project.root / "content" / "site.yml").read_text(encoding="utf-8").splitlines()
    edits = difflib.SequenceMatcher(a=site_before, b=site_after).get_opcodes()
    assert {op for op, *_ in edits} <= {"equal", "insert"}  # site.yml only gains the categories of new chapters
    added = {Path(name).name for name in set(after) - set(before)}
    assert {f"ey-{r['MetaId']}.md" for r in records(later)} == {name.split("-", 1)[1] for name in added if name.endswith(".md")
                                                               and "-ey-" in name}
    assert project.errors() == []


def test_a_broken_file_is_reported_and_nothing_is_written(project, sample, tmp_path):
    days = tmp_path / "days"
    days.mkdir()
    good = shutil.copy(sample / FIRST_DAYS[0], days / FIRST_DAYS[0])
    text = (sample / FIRST_DAYS[1]).read_text(encoding="utf-8")
    cut = text.index("</Record>", len(text) // 2)
    (days / FIRST_DAYS[1]).write_text(text[:cut] + "</Recrod>\n</Gazette>\n", encoding="utf-8")  # a typo, as a hand edit leaves
    line = text[:cut].count("\n") + 1
    before = snapshot(project.root)
    result = project.run("import", "ey-xml", str(good), str(days / FIRST_DAYS[1]))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(FIRST_DAYS[1])}:{line}:\d+: error: not well-formed XML.*\[import-file\]", result.stderr), result.stderr
    assert snapshot(project.root) == before
    assert not list(project.root.glob(".import-*"))


def test_a_record_that_cannot_be_converted_is_named_by_its_meta_id(project, sample, tmp_path):
    text = (sample / FIRST_DAYS[0]).read_text(encoding="utf-8")
    meta_id = records(sample / FIRST_DAYS[0])[1]["MetaId"]
    start = text.index(f"<MetaId><![CDATA[{meta_id}]]>")
    date = re.compile(r"<Date_Created><!\[CDATA\[[^]]*\]\]></Date_Created>")
    broken = text[:start] + date.sub("<Date_Created><![CDATA[民國九十五年]]></Date_Created>", text[start:], count=1)
    path = tmp_path / FIRST_DAYS[0]
    path.write_text(broken, encoding="utf-8")
    before = snapshot(project.root)
    result = project.run("import", "ey-xml", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = broken[:start].count("\n")  # the <Record> line, just above the MetaId
    assert re.search(rf"{FIRST_DAYS[0]}:{line}:1: error: record MetaId {meta_id}: Date_Created '民國九十五年' is not a date",
                     result.stderr), result.stderr
    assert snapshot(project.root) == before


@pytest.mark.slow
def test_the_whole_sample_checks_and_builds_as_a_daily_gazette(project, sample):
    set_schedule(project, "{daily: working-days}")
    days = sorted(sample.glob("*.xml"))
    result = run_long(project, "import", "ey-xml", str(sample))
    assert result.returncode == 0, result.stderr
    count = sum(len(records(day)) for day in days)
    assert f"imported {count} notices" in result.stdout and "check after the import: 0 errors" in result.stdout
    assert len(list((project.root / "content" / "gazette").glob("*/*/*-ey-*.md"))) == count
    issues = sorted((project.root / "content" / "gazette" / "2006").iterdir())
    assert [p.name for p in issues] == [f"{n:03d}" for n in range(1, len(days) + 1)]  # one issue a publication day
    build = run_long(project, "build", "-q")
    assert build.returncode == 0, build.stderr
    for fields in known(days):
        check_known_notice(project.root, fields)


def set_schedule(project, schedule: str) -> None:
    site = project.root / "content" / "site.yml"
    text = re.sub(r"^  schedule: .*$", f"  schedule: {schedule}", site.read_text(encoding="utf-8"), count=1, flags=re.M)
    site.write_text(text, encoding="utf-8")


def test_issues_follow_the_schedule(project, tmp_path):
    set_schedule(project, "{weekly: friday}")
    days = tmp_path / "days"
    for n, name in enumerate(("095-01-02.xml", "095-01-05.xml", "095-01-06.xml", "095-01-09.xml"), start=1):
        write_day(days, name, [record(MetaId=str(100 + n), GazetteId=f"台內字第{n:010d}號", Date_Created="中華民國95年1月2日")])
    result = project.run("import", "ey-xml", str(days))
    assert result.returncode == 0, result.stdout + result.stderr
    issues = sorted(p.relative_to(project.root / "content" / "gazette").as_posix()
                    for p in (project.root / "content" / "gazette" / "2006").glob("*/*.*"))
    # Monday to Friday in the issue of Friday 6 January, the next Monday in that of the 13th
    assert issues == ["2006/01/01-ey-101.md", "2006/01/02-ey-102.md", "2006/01/03-ey-103.md", "2006/01/issue.yml",
                      "2006/02/01-ey-104.md", "2006/02/issue.yml"]
    assert "date: 2006-01-06" in (project.root / "content/gazette/2006/01/issue.yml").read_text(encoding="utf-8")
    assert project.errors() == []
    # a day whose issue would come before one already published is refused, with nothing written
    write_day(tmp_path / "later", "095-01-23.xml", [record(MetaId="105", GazetteId="台內字第0000000105號")])
    assert project.run("import", "ey-xml", str(tmp_path / "later")).returncode == 0  # issue 3, Friday 27 January
    before = snapshot(project.root)
    write_day(tmp_path / "gap", "095-01-16.xml", [record(MetaId="106", GazetteId="台內字第0000000106號")])
    write_day(tmp_path / "gap", "095-01-09.xml", [record(MetaId="107", GazetteId="台內字第0000000107號")])
    refused = project.run("import", "ey-xml", str(tmp_path / "gap"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert re.search(r"095-01-16.xml:3:1: error: record MetaId 106: its day 2006-01-16 belongs in an issue dated 2006-01-20, "
                     r"before issue 3 of 2006 \(2006-01-27\)", refused.stderr), refused.stderr
    assert snapshot(project.root) == before  # not even the record of the 9th, which had its issue


def test_a_daily_gazette_numbers_its_issues_with_three_digits(project, tmp_path):
    set_schedule(project, "{daily: working-days}")
    days = tmp_path / "days"
    for n, name in enumerate(("095-01-02.xml", "095-01-03.xml"), start=1):
        write_day(days, name, [record(MetaId=str(200 + n), GazetteId=f"台內字第{n:010d}號")])
    assert project.run("import", "ey-xml", str(days)).returncode == 0
    folders = sorted(p.name for p in (project.root / "content" / "gazette" / "2006").iterdir())
    assert folders == ["001", "002"] and project.errors() == []
