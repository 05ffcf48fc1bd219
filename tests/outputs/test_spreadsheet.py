"""CSV injection: no published CSV cell begins like a spreadsheet formula, and none is altered."""

from __future__ import annotations

import pytest

from generator.errors import BuildError
from generator.outputs.opendata.tables import Field, Table
from generator.outputs.opendata.packages import to_csv
from generator.spreadsheet import FormulaCell, runs_as_formula


@pytest.mark.parametrize("text", ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                                  "@SUM(A1)", "\t=1", "\r=1", "-", "+886 5 225 4321"])
def test_text_a_spreadsheet_would_run(text):
    assert runs_as_formula(text)


@pytest.mark.parametrize("text", ["-1234", "+886", "12.5", "-0.5", "公告", "A=B", "電話 +886", "1,415", ""])
def test_text_a_spreadsheet_reads_as_text_or_number(text):
    assert not runs_as_formula(text)


def test_the_csv_writer_refuses_a_formula_cell_and_names_it():
    table = Table("notices", (Field("id"), Field("title")), rows=(("2026/01/01", "公告"), ("2026/01/02", "=1+1")))
    with pytest.raises(FormulaCell) as raised:
        to_csv(table)
    assert isinstance(raised.value, BuildError)
    assert "notices.csv: row 3, column title: '=1+1'" in str(raised.value)


def test_the_csv_writer_keeps_every_other_value_as_written():
    table = Table("t", (Field("id"), Field("value", "integer")), rows=(("a", -12), ("b", None)))
    assert to_csv(table) == "id,value\na,-12\nb,\n".encode()


def test_a_vcard_value_cannot_start_a_property_of_its_own():
    from generator.outputs.directory_files import _text

    assert _text("王小明\r\nEMAIL:evil@example.com") == "王小明\\nEMAIL:evil@example.com"
    assert _text("a\rb\nc; d, e\\") == "a\\nb\\nc\\; d\\, e\\\\"
