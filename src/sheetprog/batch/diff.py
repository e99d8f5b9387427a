"""Cell-by-cell differences between two submissions of the same program."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetprog.errors import UsageError
from sheetprog.fmt import display
from sheetprog.grid import Formula, address
from sheetprog.values import normalize_text


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    old: Any
    new: Any


def _cells(path: Path) -> dict[tuple[str, str], Any]:
    from sheetprog import spec
    from sheetprog.io.engines import load  # calamine, or openpyxl where it misreads the file

    wanted = {normalize_text(n) for n in spec.READ_SHEETS} - {normalize_text(spec.SHEET_LISTS)}
    grid = load(path, wanted=lambda name: normalize_text(name) in wanted)[0]
    out: dict[tuple[str, str], Any] = {}
    for name, sheet in grid.sheets.items():
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, Formula):
                    value = value.text
                if value is not None:
                    out[(name, address(r, c))] = value
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


def _ident(program: Any) -> tuple[str, str]:
    p = program.passport
    return (
        normalize_text(p.oktmo or p.municipality or ""),
        normalize_text(p.program_code or p.program_name or ""),
    )


def diff_workbooks(old: Path, new: Path) -> list[Change]:
    """What changed from ``old`` to ``new`` in the data sheets (by cell address)."""
    from sheetprog.api import read_workbook

    a, b = read_workbook(old), read_workbook(new)
    if type(a) is not type(b) or (hasattr(a.passport, "program_name") and _ident(a) != _ident(b)):
        raise UsageError(f"«{old}» и «{new}» — книги разных программ: сравнивать нечего.")
    left, right = _cells(old), _cells(new)
    changes = []
    for key in sorted(set(left) | set(right), key=lambda k: (k[0], len(k[1]), k[1])):
        if not _same(left.get(key), right.get(key)):
            changes.append(Change(key[0], key[1], left.get(key), right.get(key)))
    return changes


def changes_text(changes: list[Change]) -> str:
    if not changes:
        return "Изменений нет."
    lines = [f"Изменено ячеек: {len(changes)}"]
    for ch in changes:
        lines.append(f"  {ch.sheet}!{ch.cell}: «{display(ch.old)}» → «{display(ch.new)}»")
    return "\n".join(lines)
