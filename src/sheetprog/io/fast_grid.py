"""Fast grid loading: values with python-calamine, formulas from a scan of the sheet XML.

Produces the same ``WorkbookGrid`` as ``xlsx_grid.load_grid`` (openpyxl), about ten
times faster. Formula cells become ``Formula(text, cached)``: calamine supplies the
cached value (if a spreadsheet program saved one), the XML scan the formula text.
Parts declaring a DTD or entities are refused before any parser sees them
(calamine's XML parser does not expand entities; refusing is clearer).
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sheetprog.errors import UnreadableInputError
from sheetprog.grid import Formula, SheetGrid, WorkbookGrid
from sheetprog.io import cell_scan, limits, package, safety

# A formula is an <f> element (any namespace prefix) right inside a non-empty <c> start tag.
# The scan looks for the rare "f" tag name first and only then at the cell around it: several
# times faster than matching every <c> of the sheet.
_F_NAME = re.compile(rb"f[\s/>]")
_PREFIX = re.compile(rb"<[A-Za-z_][\w.-]*:")
_CELL_START = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*(?<!/)>\s*'
)
_F_REST = re.compile(rb"[^>]*?(?:/>|>([^<]*)<)")


def load_grid_fast(path: Path, wanted: Callable[[str], bool] | None = None) -> WorkbookGrid:
    """The grid of ``path``, its bytes read once (issue 21): the safety checks, the manifest,
    the scans of the sheet XML and calamine all work on the same bytes in memory."""
    data, zf = safety.open_checked(path)
    with zf:
        return grid_of_package(str(path), data, zf, wanted)


def grid_of_package(
    name: str, data: bytes, zf: zipfile.ZipFile, wanted: Callable[[str], bool] | None = None
) -> WorkbookGrid:
    """The grid of a package that passed ``safety.open_checked``: ``data`` its bytes,
    ``zf`` the archive over them; ``name`` the file's name for messages."""
    import python_calamine

    try:
        safety.refuse_dtd(zf, data, name)
        manifest = package.manifest_of(zf)
        parts, defined, hidden = manifest.parts, manifest.defined, manifest.hidden
        entries = zf.NameToInfo
        xml_of = {  # each wanted sheet inflated once, for every scan below
            sheet: zf.read(part)
            for sheet, part in parts.items()
            if (wanted is None or wanted(sheet)) and part in entries
        }
        spans = {sheet: limits.sheet_data_span(xml) for sheet, xml in xml_of.items()}
        read, plain = limits.check_read_sheets(zf, name, parts, xml_of, spans)  # before calamine
        formulas = {
            sheet: _scan_formulas(xml, spans[sheet], sheet in plain)
            for sheet, xml in xml_of.items()
        }
        scans = {sheet: cell_scan.scan(xml, spans[sheet]) for sheet, xml in xml_of.items()}
        for sheet, xml in xml_of.items():
            cell_scan.refuse_inherited_space(parts[sheet], xml, spans[sheet])
        strings = manifest.shared_strings
        if strings and strings in entries:
            xml = read[strings] if strings in read else zf.read(strings)
            cell_scan.refuse_inherited_space(strings, xml)
        del xml_of, read
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: dict[str, SheetGrid] = {}
        for sheet_name in book.sheet_names:
            if sheet_name not in parts:
                continue  # a chart, macro or dialog sheet: not a worksheet (as openpyxl)
            if wanted is not None and not wanted(sheet_name):
                sheets[sheet_name] = SheetGrid(sheet_name, [], hidden=sheet_name in hidden)
                continue
            raw_rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            if len(raw_rows) > safety.MAX_ROWS:
                raise safety.too_many_rows(name, sheet_name, safety.MAX_ROWS)
            rows = [_row(values) for values in raw_rows]
            del raw_rows
            cell_scan.apply(rows, scans.get(sheet_name, cell_scan.SheetScan()), manifest.date1904)
            for (row, col), text in formulas.get(sheet_name, {}).items():
                while len(rows) < row:
                    rows.append([])
                cells = rows[row - 1]
                while len(cells) < col:
                    cells.append(None)
                cells[col - 1] = Formula(text, cells[col - 1])
            while rows and not rows[-1]:
                rows.pop()
            sheets[sheet_name] = SheetGrid(sheet_name, rows, hidden=sheet_name in hidden)
    except UnreadableInputError:
        raise
    except Exception as exc:  # calamine and zip errors: a damaged file
        raise UnreadableInputError(
            f"Файл «{name}» повреждён и не может быть прочитан ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Откройте его в Excel или LibreOffice, сохраните заново и "
            "повторите.",
            path=name,
        ) from exc
    return WorkbookGrid(path=name, sheets=sheets, defined_names=defined)


def _row(values: list[Any]) -> list[object]:
    """calamine's row ("" for an empty cell, padded to the sheet's width) as a grid row."""
    end = min(len(values), safety.MAX_COLUMNS)
    while end and values[end - 1] == "":
        end -= 1
    return [None if v == "" else v for v in values[:end]]


def workbook_manifest(zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Worksheet name → XML part, workbook-scope defined names, hidden sheets
    (``package.manifest``: Transitional or Strict, the workbook wherever _rels/.rels puts it)."""
    found = package.manifest(zf)
    return found.parts, found.defined, found.hidden


def _xml_unescape(text: str) -> str:
    """XML character data to text: the five named entities by plain replacement (fast),
    numeric references (Cyrillic in SUMIF criteria) through html.unescape."""
    if "&" not in text:
        return text
    if "&#" in text:
        return html.unescape(text)
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))  # fmt: skip


# The common layout, one regex over the cells: no namespace prefixes, every cell addressed
# first (openpyxl, Excel, LibreOffice), the formula right after the cell's start tag.
_PLAIN_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*(?<!/)>\s*<f(?:\s[^>]*?)?(?:/>|>([^<]*)</f>)'
)
_MANY = 16  # formulas above which the one regex is faster than looking around each <f


def _scan_formulas(
    xml: bytes, span: tuple[int, int] | None = None, plain: bool = False
) -> dict[tuple[int, int], str]:
    """(row, col) → the formula's text ("=…") of each formula cell within ``span``.
    ``plain``: every cell element is ``<c r="…`` (``limits.check_sheet`` found it)."""
    first, last = span or (0, len(xml))
    if (
        plain
        and xml.count(b"<f", first, last) > _MANY
        and xml.find(b":c ", first, last) < 0
        and xml.find(b":f", first, last) < 0
    ):
        return {
            _cell_index(letters, row): _formula(text)
            for letters, row, text in _PLAIN_FORMULA.findall(xml, first, last)
        }
    found: dict[tuple[int, int], str] = {}
    for match in _F_NAME.finditer(xml, first, last):
        name = match.start()
        before = xml[name - 1 : name]
        if before == b"<":
            tag = name - 1
        elif before == b":":
            tag = xml.rfind(b"<", 0, name)
            if tag < 0 or _PREFIX.fullmatch(xml, tag, name) is None:
                continue
        else:
            continue
        start = xml.rfind(b"<", 0, tag)
        cell = _CELL_START.fullmatch(xml, start, tag) if start >= 0 else None
        rest = _F_REST.match(xml, match.end() - 1) if cell is not None else None
        if cell is None or rest is None:
            continue
        found[_cell_index(cell.group(1), cell.group(2))] = _formula(rest.group(1))
    return found


@functools.lru_cache(maxsize=65536)  # the template's cells and formulas repeat in every file
def _cell_index(letters: bytes, row: bytes) -> tuple[int, int]:
    col = 0
    for char in letters:
        col = col * 26 + char - 64
    return int(row), col


@functools.lru_cache(maxsize=65536)
def _formula(text: bytes | None) -> str:
    return "=" + (_xml_unescape(text.decode("utf-8")) if text else "")
