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

A column may have a format (``FORMATS``): percent, money, whole numbers, dates,
yes/no written as «да»/«нет», or links (a ``Link`` value: its text, and a file and a cell
it opens). Every sheet prints landscape, fitted to the page width, with its header row
repeated on each page. A sheet may carry native bar charts (``BarChart``) of its own cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from sheetprog.grid import column_letter
from sheetprog.io import textguard

FORMULA_START = textguard.FORMULA_START
MAX_TEXT = 32767  # Excel's limit for one cell
ILLEGAL_XML = textguard.CONTROL  # not allowed in XML 1.0 (and DEL)
_EPOCH = dt.date(1899, 12, 30)
# cellXfs indices in _STYLES
_DATE, _QUOTED, _HEADER, _PERCENT, _MONEY, _INT, _LINK = 1, 2, 3, 4, 5, 6, 7
# column formats → the style of their numbers
FORMATS = {"text": 0, "percent": _PERCENT, "money": _MONEY, "int": _INT, "date": _DATE,
           "bool": 0, "link": _LINK}  # fmt: skip
YES, NO = "да", "нет"

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/>'
    '<numFmt numFmtId="165" formatCode="0.0%"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _attr(style: int) -> str:
    return f' s="{style}"' if style else ""


_STYLE_ATTR = {0: "", _QUOTED: _attr(_QUOTED), _HEADER: _attr(_HEADER)}


@dataclass(frozen=True, slots=True)
class Link:
    """A link cell: ``text`` shown; it opens ``target`` (a file, relative to the workbook's
    folder, or a URL) at ``location`` (a cell: "'Показатели'!X5") when given."""

    text: str
    target: str
    location: str | None = None


@dataclass(frozen=True)
class BarChart:
    """A native clustered bar chart of the sheet's own cells: categories in one column,
    one series a value column, over rows ``first``..``last`` (1-based, inclusive)."""

    title: str
    category_column: int
    value_columns: tuple[int, ...]
    first: int
    last: int
    anchor: tuple[int, int, int, int]  # from column, from row, to column, to row (0-based)
    horizontal: bool = False


@functools.lru_cache(maxsize=4096)  # names, units and statuses repeat down a table
def _text(value: str) -> tuple[str, bool, float]:
    """(the cell's XML text, whether it needs the quote prefix, the column width it wants)."""
    text = textguard.clean(value)[:MAX_TEXT]
    return escape(text), textguard.formula_like(text), min(60.0, len(text) * 1.1)


class TableSheet:
    """One sheet: rows are appended as they come and kept in a temporary file."""

    def __init__(self, name: str, headers: list[str], formats: list[str] | None = None) -> None:
        self.name = name
        self.width = len(headers)
        self.rows = 0
        self.widths = [min(60.0, max(8.0, len(h) * 1.1)) for h in headers]
        self._letters = [column_letter(i) for i in range(1, self.width + 1)]
        kinds = list(formats or [])
        kinds += ["text"] * (self.width - len(kinds))
        self._number_style = [_attr(FORMATS[k] if k != "link" else 0) for k in kinds]
        self._bool_text = [k == "bool" for k in kinds]
        self.link_count = 0  # the links' relationships are rId1…rId{link_count}
        self.charts: list[BarChart] = []
        # the rows, the <hyperlink> elements and their relationships, kept in temporary files
        # as they come, so a large table's links do not stay in memory either (issue 21);
        # closed by save, or by TableWorkbook.discard on an error
        self._body: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._links: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._rels: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._append(headers, _HEADER)

    def append(self, values: list[Any]) -> None:
        self._append(values, 0)

    def _append(self, values: list[Any], style: int) -> None:
        self.rows += 1
        row = self.rows
        letters = self._letters
        cells = []
        for i, value in enumerate(values[: self.width]):
            kind = type(value)
            if kind is str:  # the most frequent: first
                if not value:
                    continue
            elif kind is int or kind is float or kind is Decimal:
                if math.isfinite(value):
                    s = self._number_style[i]
                    cells.append(f'<c r="{letters[i]}{row}"{s}><v>{value}</v></c>')
                    continue
                value = str(value)
            elif value is None:
                continue
            elif kind is bool:
                if not self._bool_text[i]:
                    cells.append(f'<c r="{letters[i]}{row}" t="b"><v>{int(value)}</v></c>')
                    continue
                value = YES if value else NO
            elif kind is dt.date or kind is dt.datetime:
                days = (value - _EPOCH).days if kind is dt.date else (value.date() - _EPOCH).days
                cells.append(f'<c r="{letters[i]}{row}" s="{_DATE}"><v>{days}</v></c>')
                continue
            elif kind is Link:
                if not value.text:
                    continue
                self._link(f"{letters[i]}{row}", value.target, value.location)
                body, _quoted, width = _text(value.text)
                cells.append(
                    f'<c r="{letters[i]}{row}" s="{_LINK}" t="inlineStr">'
                    f'<is><t xml:space="preserve">{body}</t></is></c>'
                )
                if width > self.widths[i]:
                    self.widths[i] = width
                continue
            elif isinstance(value, int | float | Decimal) and math.isfinite(value):
                cells.append(f'<c r="{letters[i]}{row}"{self._number_style[i]}><v>{value}</v></c>')
                continue
            else:
                value = str(value)
            body, quoted, width = _text(value)
            shown = style or (_QUOTED if quoted else 0)
            cells.append(
                f'<c r="{letters[i]}{row}"{_STYLE_ATTR[shown]} t="inlineStr">'
                f'<is><t xml:space="preserve">{body}</t></is></c>'
            )
            if style != _HEADER and width > self.widths[i]:
                self.widths[i] = width
        self._body.write(f'<row r="{row}">{"".join(cells)}</row>')

    def _link(self, ref: str, target: str, location: str | None) -> None:
        self.link_count += 1
        n = self.link_count
        self._links.write(
            f'<hyperlink ref="{ref}" r:id="rId{n}"'
            + (f" location={quoteattr(location)}" if location else "")
            + "/>"
        )
        self._rels.write(
            f'<Relationship Id="rId{n}" Type="{_NS_R}/hyperlink" '
            f'Target={quoteattr(_url(target))} TargetMode="External"/>'
        )

    def close(self) -> None:
        for fh in (self._body, self._links, self._rels):
            fh.close()

    def add_chart(self, chart: BarChart) -> None:
        self.charts.append(chart)

    @property
    def last_cell(self) -> str:
        return f"{self._letters[-1] if self._letters else 'A'}{max(self.rows, 1)}"

    def write_part(self, out: IO[bytes], drawing: str | None) -> None:
        """The worksheet part; ``drawing``: the relationship id of its charts' drawing."""
        last = self.last_cell
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
            for i, w in enumerate(self.widths, start=1)
        )
        head = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
            "<sheetData>"
        )
        out.write(head.encode())
        _copy(self._body, out)
        out.write(f'</sheetData><autoFilter ref="A1:{last}"/>'.encode())
        if self.link_count:
            out.write(b"<hyperlinks>")
            _copy(self._links, out)
            out.write(b"</hyperlinks>")
        tail = (
            '<printOptions gridLines="1"/>'
            '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
            'fitToHeight="0"/><headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter>'
            "</headerFooter>" + (f'<drawing r:id="{drawing}"/>' if drawing else "") + "</worksheet>"
        )
        out.write(tail.encode())

    def has_rels(self, drawing: str | None) -> bool:
        return bool(self.link_count) or drawing is not None

    def write_rels(self, out: IO[bytes], drawing: str | None, drawing_file: str = "") -> None:
        """The sheet's relationships: its links (rId1…) and its drawing (``drawing``: its
        relationship id, ``drawing_file``: its part's name)."""
        out.write(f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_R}">'.encode())
        _copy(self._rels, out)
        if drawing is not None:
            out.write(
                f'<Relationship Id="{drawing}" Type="{_NS_R}/drawing" '
                f'Target="../drawings/{drawing_file}"/>'.encode()
            )
        out.write(b"</Relationships>")

    @property
    def filter_range(self) -> str:
        last = self._letters[-1] if self._letters else "A"
        return f"{_sheet_ref(self.name)}!$A$1:${last}${max(self.rows, 1)}"


@functools.lru_cache(maxsize=4096)  # a file's cells link to the same file
def _url(target: str) -> str:
    """A file path as a relationship target: forward slashes, spaces and the rest
    percent-encoded (Cyrillic kept as UTF-8 escapes, as Excel writes them)."""
    if re.match(r"^[a-z]+://", target):
        return target
    return quote(target.replace("\\", "/"), safe="/:._-()")


class TableWorkbook:
    """Sheets of plain tables; ``save`` writes the package (give it an atomic temporary file)."""

    def __init__(self) -> None:
        self.sheets: list[TableSheet] = []

    def add_sheet(
        self, name: str, headers: list[str], formats: list[str] | None = None
    ) -> TableSheet:
        sheet = TableSheet(name, headers, formats)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        charted = [s for s in self.sheets if s.charts]
        drawings = {id(s): n for n, s in enumerate(charted, start=1)}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("[Content_Types].xml", self._content_types())
            zf.writestr("_rels/.rels", _RELS)
            zf.writestr("xl/workbook.xml", self._workbook())
            zf.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            zf.writestr("xl/styles.xml", _XML_DECL + _STYLES)
            zf.writestr("xl/theme/theme1.xml", _theme())
            chart_no = 0
            for index, sheet in enumerate(self.sheets, start=1):
                drawing = f"rId{sheet.link_count + 1}" if id(sheet) in drawings else None
                with zf.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as out:
                    sheet.write_part(out, drawing)
                if sheet.has_rels(drawing):
                    name = f"xl/worksheets/_rels/sheet{index}.xml.rels"
                    with zf.open(name, "w", force_zip64=True) as out:
                        sheet.write_rels(out, drawing, f"drawing{drawings.get(id(sheet), 0)}.xml")
                sheet.close()
                if drawing is None:
                    continue
                n = drawings[id(sheet)]
                numbers = list(range(chart_no + 1, chart_no + len(sheet.charts) + 1))
                chart_no += len(sheet.charts)
                zf.writestr(f"xl/drawings/drawing{n}.xml", _drawing(sheet.charts))
                zf.writestr(
                    f"xl/drawings/_rels/drawing{n}.xml.rels",
                    f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_R}">'
                    + "".join(
                        f'<Relationship Id="rId{k}" Type="{_NS_R}/chart" '
                        f'Target="../charts/chart{c}.xml"/>'
                        for k, c in enumerate(numbers, start=1)
                    )
                    + "</Relationships>",
                )
                for chart, c in zip(sheet.charts, numbers, strict=True):
                    zf.writestr(f"xl/charts/chart{c}.xml", _chart(chart, sheet.name))

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        charted = [s for s in self.sheets if s.charts]
        drawings = "".join(
            f'<Override PartName="/xl/drawings/drawing{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.drawing+xml"/>'
            for n in range(1, len(charted) + 1)
        )
        charts = "".join(
            f'<Override PartName="/xl/charts/chart{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.drawingml.chart+xml"/>'
            for n in range(1, sum(len(s.charts) for s in charted) + 1)
        )
        return (
            _XML_DECL
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.'
            f'openxmlformats-officedocument.theme+xml"/>{sheets}{drawings}{charts}</Types>'
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(s.filter_range)}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(_sheet_ref(s.name))}!$1:$1</definedName>"
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
            f'<Relationship Id="rId{styles + 1}" Type="{_NS_R}/theme" Target="theme/theme1.xml"/>'
            "</Relationships>"
        )

    def discard(self) -> None:
        """Drop the buffered rows without writing (on an error)."""
        for sheet in self.sheets:
            sheet.close()


def _copy(source: IO[str], out: IO[bytes]) -> None:
    """A temporary text file's contents, from the start, to ``out`` as UTF-8, a chunk at a
    time."""
    source.seek(0)
    while chunk := source.read(1 << 16):  # small: no copy of a long sheet held at once
        out.write(chunk.encode())


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_COLOURS = ("4472C4", "ED7D31", "A5A5A5", "70AD47")


def _drawing(charts: list[BarChart]) -> str:
    anchors = []
    for k, chart in enumerate(charts, start=1):
        c1, r1, c2, r2 = chart.anchor
        anchors.append(
            f"<xdr:twoCellAnchor><xdr:from><xdr:col>{c1}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{r1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to>"
            f"<xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r2}</xdr:row>"
            '<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro="">'
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{k + 1}" name={quoteattr(chart.title)}/>'
            '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            '<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            f'<a:graphicData uri="{_NS_C}"><c:chart xmlns:c="{_NS_C}" r:id="rId{k}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
            "</xdr:twoCellAnchor>"
        )
    return (
        f'{_XML_DECL}<xdr:wsDr xmlns:xdr="{_NS_XDR}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
        + "".join(anchors)
        + "</xdr:wsDr>"
    )


def _chart(chart: BarChart, sheet: str) -> str:
    ref = _sheet_ref(sheet)

    def cells(column: int) -> str:
        letter = column_letter(column)
        return escape(f"{ref}!${letter}${chart.first}:${letter}${chart.last}")

    series = "".join(
        f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/><c:tx><c:strRef><c:f>'
        f"{escape(f'{ref}!${column_letter(col)}$1')}</c:f></c:strRef></c:tx>"
        f'<c:spPr><a:solidFill><a:srgbClr val="{_COLOURS[k % len(_COLOURS)]}"/></a:solidFill>'
        f'</c:spPr><c:invertIfNegative val="0"/>'
        f"<c:cat><c:strRef><c:f>{cells(chart.category_column)}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{cells(col)}</c:f></c:numRef></c:val></c:ser>"
        for k, col in enumerate(chart.value_columns)
    )
    direction = "bar" if chart.horizontal else "col"
    title = escape(chart.title)
    return (
        f'{_XML_DECL}<c:chartSpace xmlns:c="{_NS_C}" xmlns:a="{_NS_A}" xmlns:r="{_NS_R}">'
        '<c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr>'
        '<a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="ru-RU" sz="1200" b="1"/>'
        f'<a:t>{title}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart>'
        f'<c:barDir val="{direction}"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        f'{series}<c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
        '<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="'
        + ("maxMin" if chart.horizontal else "minMax")
        + '"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{"l" if chart.horizontal else "b"}"/><c:numFmt formatCode="General" '
        'sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx><c:valAx><c:axId val="1002"/><c:scaling>'
        '<c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{"b" if chart.horizontal else "l"}"/><c:majorGridlines/>'
        '<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        "</c:valAx></c:plotArea>"
        + ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
           if len(chart.value_columns) > 1 else "")
        + '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )  # fmt: skip


_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_R}"><Relationship Id="rId1" '
    f'Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _theme() -> str:
    """The workbook's theme part: Excel writes one, and the Open XML SDK requires it of a
    workbook. Office's default theme, as openpyxl carries it (``openpyxl.writer.theme``),
    kept as a file beside this module: importing openpyxl for it took numpy and Pillow with
    it, ≈ 30 MB in the batch's main process (issue 21)."""
    return (Path(__file__).parent / "theme1.xml").read_text(encoding="utf-8")
