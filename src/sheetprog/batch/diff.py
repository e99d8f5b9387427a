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
    from sheetprog.program.history import program_identity

    return program_identity(program)


def read_pair(old: Path, new: Path) -> tuple[Any, Any]:
    """Both submissions, read; refused when they are workbooks of different programs."""
    from sheetprog.api import read_workbook

    a, b = read_workbook(old), read_workbook(new)
    if type(a) is not type(b) or (hasattr(a.passport, "program_name") and _ident(a) != _ident(b)):
        raise UsageError(f"«{old}» и «{new}» — книги разных программ: сравнивать нечего.")
    return a, b


def diff_workbooks(old: Path, new: Path) -> list[Change]:
    """What changed from ``old`` to ``new`` in the data sheets (by cell address)."""
    read_pair(old, new)
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


def program_changes(old: Path, new: Path) -> tuple[Any, Any, list[Any]]:
    """The changes of the program as adopted (plans, funding plans, the passport's program
    fields: ``program.history``) from ``old`` to ``new``: (old model, new model, changes)."""
    from sheetprog.model import Program
    from sheetprog.project.history import changes as plan_changes
    from sheetprog.project.model import ProjectProgram

    a, b = read_pair(old, new)
    if not isinstance(a, Program | ProjectProgram):  # both structures (issue 18, item 5)
        raise UsageError(
            f"«{new}» — не книга муниципальной программы: редакции ведутся только в ней."
        )
    return a, b, plan_changes(a, b)


def plan_changes_text(changes: list[Any]) -> str:
    if not changes:
        return "Изменений программы (планов, финансирования, паспорта) нет."
    lines = [f"Изменений программы: {len(changes)}"]
    for ch in changes:
        where = f" ({ch.cell})" if ch.cell else ""
        lines.append(f"  {ch.sheet}: {ch.item}, {ch.field}: «{ch.old}» → «{ch.new}»{where}")
    return "\n".join(lines)
