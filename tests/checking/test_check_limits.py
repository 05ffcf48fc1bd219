"""check stays fast and composed on hostile input: pathological Markdown is read in linear time, and
no file makes it print a traceback (each is a problem at a place, or nothing)."""

from __future__ import annotations

import time

import pytest

from generator.checking.check import problems_of
from generator.errors import Kind
from generator.reading.yamlio import TEXT_LIMIT

from conftest import AGENCY, NOTICE
from helpers import at, only

NOTICE_PATH = "content/gazette/2026/01/01-road-works.md"
AGENCY_PATH = "content/directory/city-government.yml"
TABLE_PATH = "content/yearbook/2025/tables/population.csv"
#: A generous bound for a whole `check` of the minimal project with one 1 MiB notice (about 0.3 s
#: measured on a normal text; the rules before were quadratic: 30 s for 128 KiB of '<a '). It bounds
#: the CPU time of this process (check runs in it), not the wall time, which a busy machine stretches
#: (3 s of wall time for 0.4 s of CPU at a load average of 12 on 2 cores).
BOUND = 2.0


def filled(unit: str, lines: bool = False) -> str:
    """A body of ``unit`` repeated to fill the notice up to the 1 MiB file limit."""
    room = TEXT_LIMIT - len(NOTICE.encode("utf-8")) - 16
    return unit * (room // len(unit.encode("utf-8")))


@pytest.mark.parametrize("unit", [
    "<a ", "<a onx", "<a onx=", "](", "![", "<a onx <a onx <a onx\n", "=&#", "{ on", "<", "`a``", "[a](java",
    "<a href=" + " " * 100_000, "<" + " " * 100_000, "<a on" + "x" * 100_000, "![" + "[" * 100_000,
], ids=lambda unit: repr(unit))
def test_pathological_markdown_is_checked_in_linear_time(project, unit):
    text = NOTICE + filled(unit)
    assert len(text.encode("utf-8")) <= TEXT_LIMIT
    project.write({NOTICE_PATH: text})
    start = time.process_time()
    problems_of(project.root)
    assert time.process_time() - start < BOUND


def test_many_refusals_are_each_reported_quickly(project):
    text = NOTICE + "<img src=x onerror=alert(1)>\n" * 30_000
    project.write({NOTICE_PATH: text})
    start = time.process_time()
    problems = [p for p in problems_of(project.root)[1] if p.kind is Kind.UNSAFE_MARKUP]
    assert time.process_time() - start < BOUND
    assert len(problems) == 30_000


@pytest.mark.parametrize("files, kind", [
    ({AGENCY_PATH: "name: " + "[" * 1000 + "\n"}, Kind.TOO_DEEP),                   # deep flow, never closed
    ({AGENCY_PATH: "- " * 5000 + "x\n"}, Kind.TOO_DEEP),                            # deep block lists
    ({AGENCY_PATH: "{a: " * 400 + "1" + "}" * 400 + "\n"}, Kind.TOO_DEEP),          # deep flow mappings
    ({AGENCY_PATH: AGENCY + "hours: " + "時" * 300_000 + "\n"}, None),              # a 900 KB line of YAML
    ({NOTICE_PATH: NOTICE + "道" * 340_000 + "\n"}, None),                           # a 1 MiB line of Markdown
    ({NOTICE_PATH: NOTICE.replace("keywords: [道路, 挖掘]", "keywords: [" + "道路, " * 20_000 + "挖掘]")}, None),
    ({TABLE_PATH: "district,people\n東區," + "1" * 200_000 + "\n"}, Kind.BAD_TABLE),  # over the csv module's limit
    ({TABLE_PATH: b"district,people\r\xe6\x9d\xb1\xe5\x8d\x80,1\r"}, None),           # old Mac line ends
    ({AGENCY_PATH: b"name: \xef\xbf\xbe\n"}, Kind.CONTROL_CHARACTER),               # U+FFFE, which PyYAML refuses
])
def test_hostile_files_give_problems_not_tracebacks(project, files, kind):
    project.write(files)
    problems = project.problems()
    if kind is None:
        assert project.errors() == []
    else:
        only(problems, kind)
    result = project.run("check")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == (0 if kind is None else 1), result.stderr


def test_big_csv_cell_is_reported_at_its_row(project):
    project.write({TABLE_PATH: "district,people\n東區,1\n西區," + "1" * 200_000 + "\n"})
    assert at(only(project.problems(), Kind.BAD_TABLE)) == f"{TABLE_PATH}:3:1"
