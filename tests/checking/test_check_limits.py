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
#: How much longer `check` may take on a notice 8 times larger. Linear rules take 5.5 to 10.4 times
#: as long (measured 2026-12-02 on every unit below: the growth of lists and the parser's fixed costs
#: add a little); the quadratic rules before took about 64 times as long (30 s for 128 KiB of '<a ').
#: A ratio of two times measured in the same test, not a bound on one: an absolute bound of 2 s of CPU
#: time failed once in CI on a loaded host (2.1 s for '<a onx=', 1.4 to 1.7 s on a quiet one).
GROWTH = 24
#: The smaller notice is this fraction of the larger.
PART = 8


def cpu_time(project, text: str, runs: int) -> float:
    """The least CPU time of ``runs`` checks of the minimal project with ``text`` as its notice; no memo,
    so each run reads and checks the notice again. The least, as what noise cannot make shorter."""
    project.write({NOTICE_PATH: text})
    times = []
    for _ in range(runs):
        start = time.process_time()
        problems_of(project.root, memo=False)
        times.append(time.process_time() - start)
    return min(times)


def filled(unit: str, lines: bool = False) -> str:
    """A body of ``unit`` repeated to fill the notice up to the 1 MiB file limit."""
    room = TEXT_LIMIT - len(NOTICE.encode("utf-8")) - 16
    return unit * (room // len(unit.encode("utf-8")))


@pytest.mark.parametrize("unit", [
    "<a ", "<a onx", "<a onx=", "](", "![", "<a onx <a onx <a onx\n", "=&#", "{ on", "<", "`a``", "[a](java",
    "<a href=" + " " * 100_000, "<" + " " * 100_000, "<a on" + "x" * 100_000, "![" + "[" * 100_000,
], ids=lambda unit: repr(unit))
def test_pathological_markdown_is_checked_in_linear_time(project, unit):
    large = NOTICE + filled(unit)
    assert len(large.encode("utf-8")) <= TEXT_LIMIT
    small = NOTICE + unit * (len(filled(unit)) // len(unit) // PART)
    ratio = cpu_time(project, large, 2) / cpu_time(project, small, 3)
    assert ratio < GROWTH, f"{PART} times the text took {ratio:.1f} times as long"


def test_many_refusals_are_each_reported_quickly(project):
    refusal = "<img src=x onerror=alert(1)>\n"
    small = cpu_time(project, NOTICE + refusal * (30_000 // PART), 3)
    ratio = cpu_time(project, NOTICE + refusal * 30_000, 2) / small
    assert ratio < GROWTH, f"{PART} times the refusals took {ratio:.1f} times as long"
    problems = [p for p in problems_of(project.root, memo=False)[1] if p.kind is Kind.UNSAFE_MARKUP]
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
