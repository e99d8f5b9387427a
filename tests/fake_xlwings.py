"""An object implementing exactly the part of the xlwings API that sheetprog.xl uses,
loaded with the real contents of a workbook file (values and formulas, via openpyxl)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter


class FakeNote:
    def __init__(self, sheet: FakeSheet, key: tuple[int, int], text: str) -> None:
        self.sheet, self.key, self.text = sheet, key, text

    def delete(self) -> None:
        del self.sheet.notes[self.key]


class FakeRange:
    def __init__(self, sheet: FakeSheet, top: int, left: int, bottom: int, right: int) -> None:
        self.sheet, self.top, self.left, self.bottom, self.right = sheet, top, left, bottom, right

    def options(self, ndim: int) -> FakeRange:
        assert ndim == 2
        return self

    def _cells(self) -> list[list[tuple[int, int]]]:
        return [
            [(r, c) for c in range(self.left, self.right + 1)]
            for r in range(self.top, self.bottom + 1)
        ]

    @property
    def value(self) -> list[list[Any]]:
        return [[self.sheet.values.get(k) for k in row] for row in self._cells()]

    @value.setter
    def value(self, rows: list[list[Any]]) -> None:
        for r, row in enumerate(rows):
            for c, item in enumerate(row):
                key = (self.top + r, self.left + c)
                self.sheet.values[key] = item
                self.sheet.formulas.pop(key, None)

    @property
    def formula(self) -> Any:
        rows = [
            [self.sheet.formulas.get(k, _as_text(self.sheet.values.get(k))) for k in row]
            for row in self._cells()
        ]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows

    @property
    def color(self) -> tuple[int, int, int] | None:
        return self.sheet.colors.get((self.top, self.left))

    @color.setter
    def color(self, value: tuple[int, int, int] | None) -> None:
        if value is None:
            self.sheet.colors.pop((self.top, self.left), None)
        else:
            self.sheet.colors[(self.top, self.left)] = tuple(value)

    @property
    def note(self) -> FakeNote | None:
        return self.sheet.notes.get((self.top, self.left))

    def add_note(self, text: str) -> FakeNote:
        key = (self.top, self.left)
        if key in self.sheet.notes:
            raise ValueError("the cell already has a note")
        self.sheet.notes[key] = FakeNote(self.sheet, key, text)
        return self.sheet.notes[key]

    def add_hyperlink(self, address: str, text_to_display: str | None = None) -> None:
        self.sheet.links[(self.top, self.left)] = address

    @property
    def number_format(self) -> str:
        return self.sheet.formats.get((self.top, self.left), "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self.sheet.formats[(self.top, self.left)] = value

    @property
    def column_width(self) -> float | None:
        return self.sheet.widths.get(self.left)

    @column_width.setter
    def column_width(self, value: float) -> None:
        self.sheet.widths[self.left] = value

    @property
    def row(self) -> int:
        return self.top

    @property
    def column(self) -> int:
        return self.left

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.bottom, self.right, self.bottom, self.right)


def _as_text(value: Any) -> Any:
    return "" if value is None else value


class FakeSheet:
    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.colors: dict[tuple[int, int], tuple[int, ...]] = {}
        self.notes: dict[tuple[int, int], FakeNote] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.widths: dict[int, float] = {}

    def range(self, first: Any, last: Any = None) -> FakeRange:
        if isinstance(first, str):
            match = re.fullmatch(r"([A-Z]+)(\d+)", first)
            assert match, first
            first = (int(match.group(2)), column_index_from_string(match.group(1)))
        last = last or first
        return FakeRange(self, first[0], first[1], last[0], last[1])

    @property
    def used_range(self) -> FakeRange:
        keys = [k for k, v in self.values.items() if v is not None] + list(self.formulas)
        rows = max((k[0] for k in keys), default=1)
        cols = max((k[1] for k in keys), default=1)
        return FakeRange(self, 1, 1, rows, cols)

    def clear_contents(self) -> None:
        self.values.clear()
        self.formulas.clear()
        self.links.clear()

    def cell_values(self) -> dict[str, Any]:
        return {
            f"{get_column_letter(c)}{r}": v for (r, c), v in self.values.items() if v is not None
        }


class FakeSheets:
    def __init__(self, sheets: list[FakeSheet]) -> None:
        self._sheets = sheets

    def __iter__(self):
        return iter(self._sheets)

    def __getitem__(self, name: str) -> FakeSheet:
        return next(s for s in self._sheets if s.name == name)


class FakeApp:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str | None]] = []

    def alert(self, prompt: str, title: str | None = None) -> None:
        self.alerts.append((prompt, title))


class FakeBook:
    def __init__(self, fullname: str, sheets: list[FakeSheet]) -> None:
        self.fullname = fullname
        self.sheets = FakeSheets(sheets)
        self.app = FakeApp()
        self.saves = 0

    def save(self) -> None:
        self.saves += 1

    @classmethod
    def from_file(cls, path: Path) -> FakeBook:
        """Excel's view of a file: values (Excel's computed ones are not in an openpyxl-written
        file, so formula cells hold no value) and formulas; fills and notes as written."""
        wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
        sheets = []
        for ws in wb.worksheets:
            sheet = FakeSheet(ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    key = (cell.row, cell.column)
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        sheet.formulas[key] = cell.value
                    elif cell.value is not None:
                        sheet.values[key] = cell.value
                    rgb = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
                    if isinstance(rgb, str) and len(rgb) == 8:
                        sheet.colors[key] = (
                            int(rgb[2:4], 16),
                            int(rgb[4:6], 16),
                            int(rgb[6:8], 16),
                        )
                    if cell.comment is not None:
                        sheet.notes[key] = FakeNote(sheet, key, cell.comment.text)
            sheets.append(sheet)
        return cls(str(path), sheets)
