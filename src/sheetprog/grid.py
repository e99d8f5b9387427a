"""Plain grids of cell values: what every workbook source is turned into before parsing.

The openpyxl reader, the fast calamine reader and the xlwings (Excel) layer all
produce a ``WorkbookGrid``; ``sheetprog.read.tables`` turns it into the model. A
formula cell holds a ``Formula``: its text and, where the source has one, the
value last computed by a spreadsheet program (a file written by openpyxl and
never opened has none).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from sheetprog.checks.severity import Severity


@dataclass(frozen=True)
class Formula:
    text: str  # with the leading "=", e.g. "=SUM(E4:E20)"; "=" alone when not known
    cached: object = None  # the computed value, or None when the file has none


@dataclass(frozen=True)
class Cell:
    """A cell sheetprog writes into a sheet it owns («Проверки», «Оценка»)."""

    value: str | Decimal | int | float | None
    style: str = "text"  # a name from spec.PALETTE
    link: str | None = None  # an internal location: "Показатели!X5"


Row = list[Cell | None]


@dataclass(frozen=True)
class Mark:
    """A highlight and a note on a clerk's cell: how a finding shows where it is."""

    cell: str  # "E12"
    severity: Severity
    message: str


@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]  # rows[0] is sheet row 1, rows[r][0] is column A
    hidden: bool = False

    def value(self, row: int, col: int) -> object:
        """1-based row and column; None outside the grid."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= col <= len(cells):
                return cells[col - 1]
        return None

    @property
    def max_row(self) -> int:
        return len(self.rows)

    @property
    def max_col(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class WorkbookGrid:
    path: str
    sheets: dict[str, SheetGrid]
    defined_names: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def address(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{address(row, col)}"
