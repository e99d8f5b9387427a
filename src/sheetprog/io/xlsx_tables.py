"""Plain tables to an .xlsx file, streamed: the batch's consolidated workbook.

One sheet per table: a bold, frozen header row with an autofilter, then rows of text,
numbers, yes/no and dates. Rows go to a temporary file per sheet as they arrive, so
memory does not grow with the number of rows; ``close`` assembles the package.

Written by hand rather than through openpyxl because the consolidated workbook of a
large region has hundreds of thousands of cells and openpyxl spends ~10 µs on each
(XlsxWriter is hardly faster); this writer needs well under one. Text is always text:
it is stored as an inline string, never as a formula, and text that a spreadsheet would
take for a formula when edited ("=", "+", "-", "@") gets the quote-prefix style.
Characters XML cannot carry are dropped; text longer than a cell holds is cut.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from sheetprog.grid import column_letter

FORMULA_START = ("=", "+", "-", "@")
MAX_TEXT = 32767  # Excel's limit for one cell
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_EPOCH = dt.date(1899, 12, 30)
# cellXfs indices in _STYLES
_DATE, _QUOTED, _HEADER = 1, 2, 3

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f'<styleSheet xmlns="{_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1">'
    '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


_STYLE_ATTR = {0: "", _DATE: f' s="{_DATE}"', _QUOTED: f' s="{_QUOTED}"',
               _HEADER: f' s="{_HEADER}"'}  # fmt: skip


@functools.lru_cache(maxsize=65536)  # names, units, statuses and files repeat down a table
def _text(value: str) -> tuple[str, bool, float]:
    """(the cell's XML text, whether it needs the quote prefix, the column width it wants)."""
    text = ILLEGAL_XML.sub("", value)[:MAX_TEXT]
    return escape(text), text.startswith(FORMULA_START), min(60.0, len(text) * 1.1)


class TableSheet:
    """One sheet: rows are appended as they come and kept in a temporary file."""

    def __init__(self, name: str, headers: list[str]) -> None:
        self.name = name
        self.width = len(headers)
        self.rows = 0
        self.widths = [min(60.0, max(8.0, len(h) * 1.1)) for h in headers]
        self._letters = [column_letter(i) for i in range(1, self.width + 1)]
        # closed by write_part, or by TableWorkbook.discard on an error
        self._body: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._append(headers, _HEADER)

    def append(self, values: list[Any]) -> None:
        self._append(values, 0)

    def _append(self, values: list[Any], style: int) -> None:
        self.rows += 1
        row = self.rows
        cells = []
        for i, value in enumerate(values[: self.width]):
            kind = type(value)
            if kind is not str and kind is not bool and isinstance(value, int | float | Decimal):
                if math.isfinite(value):
                    cells.append(f'<c r="{self._letters[i]}{row}"><v>{value}</v></c>')
                    continue
            elif kind is bool:
                cells.append(f'<c r="{self._letters[i]}{row}" t="b"><v>{int(value)}</v></c>')
                continue
            elif value is None or value == "":
                continue
            elif kind is dt.date:
                days = (value - _EPOCH).days
                cells.append(f'<c r="{self._letters[i]}{row}" s="{_DATE}"><v>{days}</v></c>')
                continue
            body, quoted, width = _text(value if kind is str else str(value))
            s = style or (_QUOTED if quoted else 0)
            cells.append(
                f'<c r="{self._letters[i]}{row}"{_STYLE_ATTR[s]} t="inlineStr">'
                f'<is><t xml:space="preserve">{body}</t></is></c>'
            )
            if style != _HEADER and width > self.widths[i]:
                self.widths[i] = width
        self._body.write(f'<row r="{row}">{"".join(cells)}</row>')

    def write_part(self, out: IO[bytes]) -> None:
        last = f"{self._letters[-1] if self._letters else 'A'}{max(self.rows, 1)}"
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
            for i, w in enumerate(self.widths, start=1)
        )
        head = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}"><dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
            "<sheetData>"
        )
        out.write(head.encode())
        self._body.seek(0)
        while chunk := self._body.read(1 << 20):
            out.write(chunk.encode())
        out.write(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode())
        self._body.close()

    @property
    def filter_range(self) -> str:
        last = self._letters[-1] if self._letters else "A"
        return f"{_sheet_ref(self.name)}!$A$1:${last}${max(self.rows, 1)}"


class TableWorkbook:
    """Sheets of plain tables; ``save`` writes the package (give it an atomic temporary file)."""

    def __init__(self) -> None:
        self.sheets: list[TableSheet] = []

    def add_sheet(self, name: str, headers: list[str]) -> TableSheet:
        sheet = TableSheet(name, headers)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("[Content_Types].xml", self._content_types())
            zf.writestr("_rels/.rels", _RELS)
            zf.writestr("xl/workbook.xml", self._workbook())
            zf.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            zf.writestr("xl/styles.xml", _XML_DECL + _STYLES)
            for index, sheet in enumerate(self.sheets, start=1):
                with zf.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as out:
                    sheet.write_part(out)

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        return (
            _XML_DECL
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(s.filter_range)}</definedName>"
            for i, s in enumerate(self.sheets)
        )
        return (
            f'{_XML_DECL}<workbook xmlns="{_NS}" xmlns:r="{_NS_R}"><bookViews><workbookView/>'
            f"</bookViews><sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )

    def _workbook_rels(self) -> str:
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_NS_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        styles = len(self.sheets) + 1
        return (
            f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_R}">{rels}'
            f'<Relationship Id="rId{styles}" Type="{_NS_R}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )

    def discard(self) -> None:
        """Drop the buffered rows without writing (on an error)."""
        for sheet in self.sheets:
            sheet._body.close()


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_R}"><Relationship Id="rId1" '
    f'Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
