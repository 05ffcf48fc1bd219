"""Text that a spreadsheet would run: the one definition, for ``check`` and the CSV writers alike.

Excel, LibreOffice and Google Sheets read a CSV cell that begins with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, so a cell such as ``=HYPERLINK(…)`` or
``-2+3+cmd|' /C calc'!A0`` runs when a citizen opens the file (CSV injection, OWASP). A plain
number (``-1234``, ``+886``) is read as a number, not a formula, and is harmless.

Decision: the open data stays exactly what the editor wrote. Text that starts like a formula is
never plausible in a title, name, role or statistics cell, so ``check`` refuses it at its line and
column, and the CSV writers refuse to write such a cell at all (:func:`guard`), in case a value
reached them another way. No cell is ever altered (no ``'`` prefix), so programs read the data as
published. ODS cells are written as typed text cells (``office:value-type="string"``), which a
spreadsheet never evaluates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generator.errors import BuildError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def runs_as_formula(text: str) -> bool:
    """True when a spreadsheet opening a CSV cell holding ``text`` would evaluate it."""
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


class FormulaCell(BuildError):
    """A CSV cell that a spreadsheet would run: (file, row, column, value)."""

    def __init__(self, file: str, row: int, column: str, value: str) -> None:
        super().__init__(f"{file}: row {row}, column {column}: {value[:60]!r} begins like a spreadsheet formula; "
                         "check refuses such text, so it reached the data another way")


def guard(file: str, header: Sequence[str], rows: Iterable[list[str]]) -> Iterable[list[str]]:
    """The rows, unchanged; raises :class:`FormulaCell` at the first cell a spreadsheet would run."""
    for number, row in enumerate(rows, start=2):
        for column, cell in zip(header, row, strict=True):
            if isinstance(cell, str) and runs_as_formula(cell):
                raise FormulaCell(file, number, column, cell)
        yield row


#: The byte-order mark that tells Excel a CSV is UTF-8 (without it, a Traditional Chinese Excel reads
#: Big5 and shows garbled text).
BOM = "\ufeff"


def excel_csv(file: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV for people who double-click it: UTF-8 with a byte-order mark, CRLF line ends, a header
    in the reader's language (``header``: what each column is called on the page). The open-data
    packages stay standard (no BOM, field names); these are the downloads offered beside a table.
    Cells go through :func:`guard` like every CSV's."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(guard(file, list(header), (list(row) for row in rows)))
    return (BOM + out.getvalue()).encode("utf-8")
