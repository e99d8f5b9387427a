"""Macro-enabled workbook (.xlsm): the standard workbook plus the xlwings VBA module
(standalone: no add-in needed), the sheetprog button macros and Forms buttons.

Built on Linux with pyopenvba (pure Python): it gives the file a VBA project the way
Excel does, adds the modules and the buttons, and leaves every other part as is.
The xlwings module is taken from the installed xlwings package, so its version matches
the Python side that RunPython talks to.
"""

from __future__ import annotations

import re
from pathlib import Path

from sheetprog import spec
from sheetprog.errors import OutputError
from sheetprog.io.marks import Parts
from sheetprog.io.sheet_writer import rewrite_workbook

# (button name, caption, macro, sheetprog.xl entry point): the two fixed actions; the
# report buttons come from the report-kind registry
ACTIONS = (
    ("btnCheck", "Проверить", "SheetprogCheck", "check"),
    ("btnRecalc", "Пересчитать", "SheetprogRecalc", "recalc"),
)
MODULE_HEADER = """Attribute VB_Name = "sheetprog"
Option Explicit
' sheetprog buttons. Each button calls a fixed Python module through xlwings RunPython,
' so workbook names with spaces, hyphens or Cyrillic letters work.
' The Python side is sheetprog.xl; install Python, sheetprog and xlwings on the PC
' (see docs/excel-install.md).
"""


def buttons(workbook: str | None = None) -> list[tuple[str, str, str, str]]:
    """Every button of a macro-enabled workbook: (name, caption, macro, entry point);
    ``workbook``: only the report buttons of that workbook kind (None: all, the VBA module's)."""
    from sheetprog.reports.kinds import buttons as report_buttons

    reports = [
        ("btn" + k.name.title().replace("-", ""), k.title, k.macro or "", k.entry_point)
        for k in report_buttons(workbook)
    ]
    return [*ACTIONS, *reports]


def vba_module() -> str:
    """The sheetprog VBA module (ASCII): one macro per button, each a fixed RunPython call."""
    lines = [MODULE_HEADER]
    for _name, _caption, macro, entry in buttons():
        lines.append(
            f'Sub {macro}()\n    RunPython "import sheetprog.xl; sheetprog.xl.{entry}()"\nEnd Sub\n'
        )
    return "\n".join(lines)


# where the buttons stand, in points: right of the instructions text, top of «Оценка»
PLACES = {
    spec.SHEET_INSTRUCTIONS: (650.0, 24.0, 0.0, 34.0),
    spec.SHEET_ASSESSMENT: (830.0, 2.0, 120.0, 0.0),
}


def xlwings_modules() -> tuple[str, str]:
    """The standalone xlwings VBA module and its Dictionary class, from the installed xlwings."""
    import xlwings
    from pyopenvba import ExcelFile

    standalone = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    with ExcelFile(standalone) as book:
        return book.get_module("xlwings"), book.get_module("Dictionary")


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _declare_relationship_prefix(parts: Parts, sheet_parts: dict[str, str]) -> None:
    """Declare xmlns:r on every sheet, as Excel does: the buttons' drawing elements use it."""
    for part in sheet_parts.values():
        xml = parts.text(part)
        root = re.search(r"<worksheet\b[^>]*>", xml)
        if root and "xmlns:r=" not in root.group(0):
            opening = root.group(0)[:-1] + f' xmlns:r="{NS_R}">'
            parts.put(part, xml[: root.start()] + opening + xml[root.end() :])


def make_xlsm(xlsx: Path, out: Path, workbook: str | None = None) -> None:
    """Turn a standard workbook (.xlsx) into the macro-enabled one with buttons (the report
    buttons of its ``workbook`` kind; None: every report button)."""
    from pyopenvba import ExcelFile, VBAModuleKind
    from pyopenvba.apps.excel import ExcelApplication

    if out.suffix.lower() != ".xlsm":
        raise OutputError(f"Книга с макросами «{out}» должна иметь расширение .xlsm.")
    xlwings_source, dictionary_source = xlwings_modules()
    staging = out.with_name(f".{out.stem}.staging.xlsm")
    rewrite_workbook(xlsx, staging, _declare_relationship_prefix)
    try:
        with ExcelFile(staging) as book:
            project = book.add_vba_project()
            project.add_module("xlwings", xlwings_source)
            project.add_module("Dictionary", dictionary_source, kind=VBAModuleKind.other)
            project.add_module("sheetprog", vba_module())
            book.save()
        app = ExcelApplication.open(staging)
        for sheet_name, (left, top, step_x, step_y) in PLACES.items():
            sheet = app.sheet(sheet_name)
            for i, (name, text, macro, _entry) in enumerate(buttons(workbook)):
                sheet.add_button(
                    name=name,
                    left=left + i * step_x,
                    top=top + i * step_y,
                    width=115 if step_x else 170,
                    height=26,
                    text=text,
                    macro=macro,
                )
        app.save(staging)
        rewrite_workbook(staging, out, _declare_macro_enabled)
    finally:
        staging.unlink(missing_ok=True)


CT_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _declare_macro_enabled(parts: Parts, sheet_parts: dict[str, str]) -> None:
    """The workbook part of an .xlsm must declare the macro-enabled content type (ECMA-376
    Part 2 / [MS-OFFMACRO2]); with the .xlsx one Excel refuses the file as «the file format or
    file extension is not valid»."""
    types = parts.text("[Content_Types].xml")
    fixed = re.sub(
        r'(<Override PartName="/xl/workbook\.xml" ContentType=")[^"]+(")',
        rf"\g<1>{CT_XLSM_MAIN}\g<2>",
        types,
    )
    if fixed != types:
        parts.put("[Content_Types].xml", fixed)
