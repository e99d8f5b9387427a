"""Which engine reads a workbook: calamine (fast) unless it cannot read this file right.

``load`` reads with the engine asked for. With "calamine" (the default) it falls back to
openpyxl, file by file, in two cases, and returns the reason in Russian (``api`` records
it as finding R020, so ``sheetprog info`` and ``check`` say how the file was read):

* the file uses ``xml:space="preserve"`` on an element around the text (``<si>``,
  ``<sst>``, ``<is>``, ``<r>``), which XML 1.0 §2.10 says the text inherits. calamine
  looks for the attribute on ``<t>`` only and trims the spaces (tafia/calamine#671); the
  fast reader finds this while it scans the sheet XML (``cell_scan.CalamineMisread``);
* calamine fails on a file (a damaged or unusual part) that openpyxl reads.

openpyxl keeps no cached formula results (xlsx_grid); the one exception made here is an
error result (``t="e"``), taken from the sheet XML as calamine gives it, so that error
cells are finding R008 with both engines (issue 13).

openpyxl reads no Strict OOXML (it looks for Transitional namespaces only: a Strict file
comes out with no sheets), so for openpyxl a Strict file is read through a Transitional
copy made in memory (``package.convert_namespaces``); calamine reads Strict itself.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from sheetprog.errors import UnreadableInputError
from sheetprog.grid import Formula, WorkbookGrid
from sheetprog.io import cell_scan, package

ENGINES = ("calamine", "openpyxl")

Wanted = Callable[[str], bool] | None


def load(path: Path, wanted: Wanted = None, engine: str = "calamine") -> tuple[WorkbookGrid, str]:
    """The grid, and why openpyxl read it in place of calamine ("" when it did not)."""
    if engine == "openpyxl":
        return load_openpyxl(path, wanted), ""
    from sheetprog.io.fast_grid import load_grid_fast

    try:
        return load_grid_fast(path, wanted), ""
    except UnreadableInputError as exc:
        if not _calamine_failed(exc):
            raise  # refused by the safety checks: openpyxl is refused the same way
        cause = exc.__cause__
        try:
            grid = load_openpyxl(path, wanted)
        except UnreadableInputError:
            if isinstance(cause, cell_scan.CalamineMisread):
                raise  # calamine was not refused, it was passed over: openpyxl's reason
            raise exc from None
        if isinstance(cause, cell_scan.CalamineMisread):
            return grid, str(cause)
        return grid, (
            "быстрый способ чтения (calamine) не смог прочитать файл "
            f"({type(cause).__name__}: {str(cause)[:160]}); книга прочитана через openpyxl"
        )


def _calamine_failed(exc: UnreadableInputError) -> bool:
    """calamine's own failure (wrapped by load_grid_fast), not a refusal of the file."""
    cause = exc.__cause__
    return cause is not None and not isinstance(cause, zipfile.BadZipFile | OSError)


def load_openpyxl(path: Path, wanted: Wanted = None) -> WorkbookGrid:
    """openpyxl's grid; a Strict OOXML file through its Transitional copy."""
    from sheetprog.io import safety
    from sheetprog.io.xlsx_grid import load_grid

    safety.check_file(path)
    if not _is_strict(path):
        return _cached_errors(path, load_grid(path, wanted))
    copy = package.convert_namespaces(path.read_bytes(), strict=False)
    handle, temp = tempfile.mkstemp(suffix=path.suffix, prefix="sheetprog-strict-")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(copy)
        try:
            grid = load_grid(Path(temp), wanted)
        except UnreadableInputError as exc:
            raise UnreadableInputError(str(exc).replace(temp, str(path)), path=str(path)) from exc
    finally:
        os.unlink(temp)
    grid.path = str(path)
    return _cached_errors(path, grid)


def _cached_errors(path: Path, grid: WorkbookGrid) -> WorkbookGrid:
    """Formula cells whose saved result is an error get that error as their cached value,
    as calamine gives it: then a formula typed into an input cell that shows #ДЕЛ/0! is
    finding R008 with either engine (openpyxl's grid keeps no other cached value)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for sheet, part in package.manifest(zf).parts.items():
            found = grid.sheets.get(sheet)
            if found is None or not found.rows or part not in names:
                continue
            for (row, col), text in cell_scan.errors(zf.read(part)).items():
                value = found.value(row, col)
                if isinstance(value, Formula) and value.cached is None:
                    found.rows[row - 1][col - 1] = Formula(value.text, text)
    return grid


def _is_strict(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return package.manifest(zf).strict
    except Exception:  # unreadable here: load_grid says what is wrong
        return False
