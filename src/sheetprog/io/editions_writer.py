"""Write an edition's rows into the «Редакции» sheet, losing nothing else (issue 18).

The workbook is edited as a zip of XML parts (``sheet_writer.rewrite_workbook``): every
part but the «Редакции» sheet's is copied byte for byte.

- The sheet exists (a workbook made by the current template, or one amended before): the
  new rows go into the first rows below the last filled one, cell by cell, keeping each
  cell's style (the template's input cells) and every other cell, row, validation and
  setting of that sheet as they are. Columns are found by their header text, so a clerk's
  reordered or extra columns are fine; a missing «Лист», «Строка», «Графа» or «Стало»
  column is refused (the edition could not be checked later).
- The sheet is missing (a workbook made before issue 18): it is added as the last sheet
  (appending keeps every sheet-local defined name pointing at its sheet), with the title,
  hint, header row and the rows, styled from the palette on «Справочники».

Dates are written as text «ДД.ММ.ГГГГ» (read back as dates by the reader): a number
would show as 46054 in a cell without a date format.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sheetprog import spec
from sheetprog.errors import OutputError
from sheetprog.grid import Cell, Row, SheetGrid, column_letter
from sheetprog.io.marks import Parts
from sheetprog.io.sheet_writer import put_sheet, rewrite_workbook
from sheetprog.io.xlsx_tables import ILLEGAL_XML, MAX_TEXT
from sheetprog.model import EditionRow
from sheetprog.read.tables import locate_columns
from sheetprog.values import normalize_text

_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_CTYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_EMPTY_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheetData/></worksheet>"
)
REQUIRED_KEYS = ("sheet", "item", "field", "new")


def cell_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def write_edition_rows(
    source: Path, target: Path, rows: list[EditionRow], sheet: SheetGrid | None
) -> None:
    """Add ``rows`` to the «Редакции» sheet of ``source`` (``sheet``: its grid as read, None
    when the workbook has no such sheet) and save to ``target`` atomically."""

    def edit(parts: Parts, sheet_parts: dict[str, str]) -> None:
        name = next(
            (n for n in sheet_parts if normalize_text(n) == normalize_text(spec.SHEET_EDITIONS)),
            None,
        )
        if name is None or sheet is None:
            _add_sheet(parts, sheet_parts, source, rows)
        else:
            _append_rows(parts, sheet_parts[name], source, sheet, rows)

    rewrite_workbook(source, target, edit)


# -- an existing sheet: cell by cell ---------------------------------------------------------


def _append_rows(
    parts: Parts, part: str, source: Path, sheet: SheetGrid, rows: list[EditionRow]
) -> None:
    loc = locate_columns(sheet, spec.EDITIONS, [])
    if loc.missing:
        raise OutputError(
            f"На листе «{sheet.name}» книги «{source}» не найдена строка заголовков редакций; "
            "верните заголовки шаблона (Вид акта, Номер акта, Дата акта, …, Стало) и повторите.",
            path=str(source),
        )
    by_key = {col.key: idx for idx, (col, _year) in loc.columns.items()}
    absent = [spec.EDITIONS.column(k).header for k in REQUIRED_KEYS if k not in by_key]
    if absent:
        raise OutputError(
            f"На листе «{sheet.name}» книги «{source}» нет столбцов "
            + ", ".join(f"«{h}»" for h in absent)
            + ": без них редакцию нельзя будет проверить. Верните столбцы и повторите.",
            path=str(source),
        )
    last = loc.header_row
    for r in range(loc.header_row + 1, sheet.max_row + 1):
        if any(v is not None and str(v).strip() for v in sheet.rows[r - 1]):
            last = r
    xml = parts.text(part)
    for offset, row in enumerate(rows, start=1):
        for key, idx in by_key.items():
            text = cell_text(getattr(row, key))
            if text is not None:
                xml = put_text(xml, f"{column_letter(idx)}{last + offset}", text)
    parts.put(part, xml)


def put_text(xml: str, ref: str, text: str) -> str:
    """Set cell ``ref`` of a worksheet's XML to inline text, keeping its style; the cell
    (and its row) is created in order when missing."""
    body = escape(ILLEGAL_XML.sub("", text)[:MAX_TEXT])
    inline = f'<is><t xml:space="preserve">{body}</t></is>'
    found = re.search(rf'<c r="{ref}"(?=[\s/>])([^>]*?)(/>|>.*?</c>)', xml, re.S)
    if found:
        style = re.search(r'\ss="(\d+)"', found.group(1))
        s_attr = f' s="{style.group(1)}"' if style else ""
        new = f'<c r="{ref}"{s_attr} t="inlineStr">{inline}</c>'
        return xml[: found.start()] + new + xml[found.end() :]
    match = re.match(r"^([A-Z]+)(\d+)$", ref)
    assert match is not None
    row_no, col_no = int(match.group(2)), _col_number(match.group(1))
    cell = f'<c r="{ref}" t="inlineStr">{inline}</c>'
    row = re.search(rf'<row r="{row_no}"(?=[\s/>])[^>]*?(/?)>', xml)
    if row is None:
        if "<sheetData/>" in xml:
            xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
        rows = list(re.finditer(r'<row r="(\d+)"', xml))
        after = next((m for m in rows if int(m.group(1)) > row_no), None)
        at = after.start() if after else xml.index("</sheetData>")
        return xml[:at] + f'<row r="{row_no}">{cell}</row>' + xml[at:]
    if row.group(1) == "/":
        opening = row.group(0)[:-2] + ">"
        return xml[: row.start()] + opening + cell + "</row>" + xml[row.end() :]
    end = xml.index("</row>", row.end())
    for cell_match in re.finditer(r'<c r="([A-Z]+)\d+"', xml[row.end() : end]):
        if _col_number(cell_match.group(1)) > col_no:
            at = row.end() + cell_match.start()
            return xml[:at] + cell + xml[at:]
    return xml[:end] + cell + xml[end:]


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# -- a missing sheet: added at the end -------------------------------------------------------


def sheet_rows(rows: list[EditionRow]) -> list[Row]:
    """The whole «Редакции» sheet: title, hint, header row (row ``spec.HEADER_ROW``), rows."""
    columns = spec.EDITIONS.columns
    out: list[Row] = [
        [Cell(spec.EDITIONS.title, "title")],
        [Cell(spec.EDITIONS.description, "hint")],
        [Cell(c.header, "header") for c in columns],
    ]
    for row in rows:
        out.append([Cell(cell_text(getattr(row, c.key)), "text") for c in columns])
    return out


def _add_sheet(
    parts: Parts, sheet_parts: dict[str, str], source: Path, rows: list[EditionRow]
) -> None:
    workbook = parts.text("xl/workbook.xml")
    n = 1
    while parts.has(f"xl/worksheets/sheet{n}.xml"):
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    rels_part = "xl/_rels/workbook.xml.rels"
    rels = parts.text(rels_part)
    used = set(re.findall(r'\bId="([^"]+)"', rels))
    rid = next(f"rId{i}" for i in range(1, len(used) + 2) if f"rId{i}" not in used)
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" '
        f'Target="{posixpath.relpath(part, "xl")}"/></Relationships>',
    )
    sheet_ids = [int(i) for i in re.findall(r'<sheet\b[^>]*?\bsheetId="(\d+)"', workbook)]
    element = (  # the relationships namespace declared on the element: valid whatever
        # prefix (or none) the workbook part declared at its root
        f'<sheet xmlns:r="{_REL_NS}" name={quoteattr(spec.SHEET_EDITIONS)} '
        f'sheetId="{max(sheet_ids, default=0) + 1}" r:id="{rid}"/>'
    )
    if "</sheets>" not in workbook:
        raise OutputError(
            f"Книга «{source}» устроена необычно (нет списка листов): лист «"
            f"{spec.SHEET_EDITIONS}» добавить нельзя. Откройте и сохраните её в Excel.",
            path=str(source),
        )
    parts.put("xl/workbook.xml", workbook.replace("</sheets>", element + "</sheets>", 1))
    parts.put(rels_part, rels)
    types = parts.text("[Content_Types].xml")
    parts.put(
        "[Content_Types].xml",
        types.replace(
            "</Types>", f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CTYPE}"/></Types>'
        ),
    )
    parts.put(part, _EMPTY_SHEET)
    widths = {i: c.width for i, c in enumerate(spec.EDITIONS.columns, start=1)}
    put_sheet(
        parts, {**sheet_parts, spec.SHEET_EDITIONS: part}, source, spec.SHEET_EDITIONS,
        sheet_rows(rows), widths,
    )  # fmt: skip
