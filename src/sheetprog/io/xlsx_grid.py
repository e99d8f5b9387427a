"""Load an .xlsx/.xlsm file into a ``WorkbookGrid`` with openpyxl (read-only, formulas as text).

Cached formula values are not used: a file written by openpyxl and never opened
in a spreadsheet program has none, so the reader works from input cells only.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException  # openpyxl parses through defusedxml when installed
from openpyxl.utils.exceptions import InvalidFileException

from sheetprog.errors import UnreadableInputError
from sheetprog.grid import Formula, SheetGrid, WorkbookGrid
from sheetprog.io import limits, safety
from sheetprog.io.fast_grid import workbook_manifest


def load_grid(path: Path, wanted: Callable[[str], bool] | None = None) -> WorkbookGrid:
    """Read cell values of the sheets ``wanted`` accepts (all when None).

    Raises UnreadableInputError with a Russian message for anything unreadable.
    """
    safety.check_file(path)
    name = str(path)
    try:
        with zipfile.ZipFile(path) as zf:  # the same pre-read limits as the fast reader
            limits.check_limits(zf, name, workbook_manifest(zf)[0], wanted)
        # our own handle, so that it is closed even when openpyxl fails half-way
        with path.open("rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=False, keep_links=False)
            try:
                return _grid(wb, name, wanted)
            finally:
                wb.close()
    except UnreadableInputError:
        raise
    except Exception as exc:
        raise _classify(exc, name) from exc


def _classify(exc: BaseException, name: str) -> UnreadableInputError:
    """A Russian error for whatever openpyxl raised (it wraps parser errors in ValueError)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for err in chain:
        if isinstance(err, DefusedXmlException):
            return UnreadableInputError(
                f"Файл «{name}» содержит недопустимые XML-конструкции ({type(err).__name__}: "
                "внешние сущности или DTD), поэтому не читается из соображений безопасности. "
                "Откройте книгу в Excel или LibreOffice, сохраните заново и повторите.",
                path=name,
            )
    if not isinstance(exc, _CORRUPT_ERRORS):
        raise exc  # a bug, not a bad file: let the CLI report it as an internal error
    return UnreadableInputError(
        f"Файл «{name}» повреждён и не может быть прочитан ({type(exc).__name__}: "
        f"{str(exc)[:200]}). Откройте его в Excel или LibreOffice, сохраните заново и "
        "повторите.",
        path=name,
    )


_CORRUPT_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    EOFError,
)


def _grid(wb: openpyxl.Workbook, name: str, wanted: Callable[[str], bool] | None) -> WorkbookGrid:
    grids: dict[str, SheetGrid] = {}
    for ws in wb.worksheets:
        hidden = ws.sheet_state != "visible"
        if wanted is not None and not wanted(ws.title):
            grids[ws.title] = SheetGrid(ws.title, [], hidden=hidden)
            continue
        rows: list[list[object]] = []
        for cells in ws.iter_rows():
            row = [
                # an array formula's value is openpyxl's ArrayFormula: its text is the formula
                Formula(getattr(c.value, "text", c.value))
                if getattr(c, "data_type", None) == "f"
                else c.value
                for c in cells[: safety.MAX_COLUMNS]
            ]
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
            if len(rows) > safety.MAX_ROWS:
                raise safety.too_many_rows(name, ws.title, safety.MAX_ROWS)
        while rows and not rows[-1]:
            rows.pop()
        grids[ws.title] = SheetGrid(ws.title, rows, hidden=hidden)
    defined = {key: str(dn.attr_text) for key, dn in wb.defined_names.items()}
    return WorkbookGrid(path=name, sheets=grids, defined_names=defined)
