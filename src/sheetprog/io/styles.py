"""Colours, fonts and number formats of the standardized workbook."""

from __future__ import annotations

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from sheetprog.checks.severity import Severity
from sheetprog.spec import Kind

FONT = "Times New Roman"
TITLE_FONT = Font(name=FONT, size=14, bold=True)
HINT_FONT = Font(name=FONT, size=10, italic=True, color="555555")
HEADER_FONT = Font(name=FONT, size=10, bold=True)
BODY_FONT = Font(name=FONT, size=10)
TOTAL_FONT = Font(name=FONT, size=10, bold=True)

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")  # blue-grey: headings, locked
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the clerk types here
COMPUTED_FILL = PatternFill("solid", fgColor="E2EFDA")  # light green: formulas, locked
REQUIRED_FONT = Font(name=FONT, size=10, bold=True, color="9C0006")

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
NUMBER_ALIGN = Alignment(vertical="top", horizontal="right")

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

NUMBER_FORMATS: dict[Kind, str] = {
    Kind.MONEY: "#,##0.00",
    Kind.FORMULA: "#,##0.00",
    Kind.NUMBER: "General",
    Kind.INTEGER: "0",
    Kind.CODE: "@",
    Kind.TARGET: "General",
    Kind.TIMING: "DD.MM.YYYY",
    Kind.DATE: "DD.MM.YYYY",
}
NUMERIC_KINDS = {Kind.MONEY, Kind.NUMBER, Kind.INTEGER, Kind.FORMULA}

LINK_FONT = Font(name=FONT, size=10, color="0563C1", underline="single")
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
SEVERITY_FILLS = {s.style: PatternFill("solid", fgColor=s.colour) for s in Severity}


def apply_palette(cell: Cell, name: str) -> None:
    """Style a palette sample cell (see spec.PALETTE)."""
    cell.font = BODY_FONT
    cell.alignment = WRAP
    if name == "title":
        cell.font = TITLE_FONT
    elif name == "hint":
        cell.font = HINT_FONT
    elif name == "header":
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        cell.border = BORDER
    elif name == "section":
        cell.font, cell.fill = HEADER_FONT, SECTION_FILL
    elif name in ("number", "percent", "money"):
        cell.alignment = NUMBER_ALIGN
        cell.number_format = {"number": "0.0000", "percent": "0.0%", "money": "#,##0.00"}[name]
        cell.border = BORDER
    elif name == "link":
        cell.font = LINK_FONT
    elif name in SEVERITY_FILLS:
        cell.fill = SEVERITY_FILLS[name]
        cell.border = BORDER
    if name == "text":
        cell.border = BORDER
