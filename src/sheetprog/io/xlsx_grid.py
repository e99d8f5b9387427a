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
from openpyxl.utils.exceptions import InvalidFileException

from sheetprog.errors import UnreadableInputError
from sheetprog.grid import SheetGrid, WorkbookGrid
from sheetprog.io import safety

try:  # defusedxml's errors for entity / DTD attacks
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover - defusedxml is a dependency
    DefusedXmlException = ValueError  # type: ignore[misc,assignment]



def load_grid(path: Path, wanted: Callable[[str], bool] | None = None) -> WorkbookGrid:
    """Read cell values of the sheets ``wanted`` accepts (all when None).

    Raises UnreadableInputError with a Russian message for anything unreadable.
    """
    safety.check_file(path)
    name = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
        try:
            return _grid(wb, name, wanted)
        finally:
            wb.close()
    except UnreadableInputError:
        raise
    except DefusedXmlException as exc:
        raise UnreadableInputError(
            f"Файл «{name}» содержит недопустимые XML-конструкции ({type(exc).__name__}: "
            "внешние сущности или DTD), поэтому не читается из соображений безопасности. "
            "Откройте книгу в Excel или LibreOffice, сохраните заново и повторите.",
            path=name,
        ) from exc
    except (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, ValueError,
            TypeError, AttributeError, IndexError, OSError) as exc:  # fmt: skip
        raise UnreadableInputError(
            f"Файл «{name}» повреждён и не может быть прочитан ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Откройте его в Excel или LibreOffice, сохраните заново и "
            "повторите.",
            path=name,
        ) from exc


def _grid(
    wb: openpyxl.Workbook, name: str, wanted: Callable[[str], bool] | None
) -> WorkbookGrid:
    grids: dict[str, SheetGrid] = {}
    for ws in wb.worksheets:
        if wanted is not None and not wanted(ws.title):
            grids[ws.title] = SheetGrid(ws.title, [], hidden=ws.sheet_state != "visible")
            continue
        rows: list[list[object]] = []
        for values in ws.iter_rows(values_only=True, max_col=safety.MAX_COLUMNS):
            rows.append(list(values))
            if len(rows) > safety.MAX_ROWS:
                raise safety.too_many_rows(name, ws.title, safety.MAX_ROWS)
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        grids[ws.title] = SheetGrid(ws.title, rows, hidden=ws.sheet_state != "visible")
    defined: dict[str, str] = {}
    for key, dn in wb.defined_names.items():
        defined[key] = str(dn.attr_text)
    return WorkbookGrid(path=name, sheets=grids, defined_names=defined)
