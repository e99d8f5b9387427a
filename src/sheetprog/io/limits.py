"""The pre-read limits scan: sheet sizes and shared-string counts checked on the raw XML
before any parser allocates (issue 20).

python-calamine sizes its cell range from the cells' addresses and its shared-string table
from ``uniqueCount``, and aborts the whole process natively when the allocation fails (one
cell at XFD1048576 asks for 512 GiB); openpyxl pads every row to the sheet's width. So both
readers scan first (openpyxl's ``check_limits``, calamine's ``check_read_sheets``), and both
refuse the same files with the same Russian message naming the file, the sheet and the cell
(docs/limits.md):

- a cell holding something (a start tag that is not self-closing: calamine skips empty
  styled cells ``<c r="XFD9" s="1"/>``, so they are allowed anywhere) beyond row
  ``safety.MAX_ROWS`` or column ``safety.MAX_COLUMNS`` (the limits both readers had);
- a sheet whose occupied rectangle (A1 to the farthest row × the farthest column) holds more
  than ``MAX_AREA`` cells, or with more than ``MAX_CELLS`` cell elements;
- a shared-strings table claiming more than ``MAX_SHARED_STRINGS`` strings.

The scan uses C-speed byte searches. For calamine it looks inside the sheet's cell data only
(from the first ``<sheetData`` to the last ``</sheetData>``): calamine reads cells there and
nowhere else (``test_calamine_reads_cells_inside_sheet_data_only`` keeps that true), and the
data validations and formatting after it are often most of the part. openpyxl's reader
takes ``<row>`` elements wherever they stand, so for it the whole part is scanned.

Cells without an address (allowed by the standard, written by no spreadsheet program we
know) are counted as if each started a new column, an upper bound.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable

from sheetprog.errors import UnreadableInputError
from sheetprog.fmt import number
from sheetprog.io import safety

MAX_AREA = 5_000_000  # cells in the rectangle calamine allocates for one sheet
MAX_CELLS = 2_000_000  # <c> elements in one sheet
MAX_SHARED_STRINGS = 2_000_000

_CHUNK = 4 << 20
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData\b")
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b([^>]*)>")
_COUNT_ATTR = re.compile(rb'\b(count|uniqueCount)\s*=\s*["\']\s*(\d+)')
_REL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'\b(Type|Target)\s*=\s*["\']([^"\']*)')


def column_number(letters: str) -> int:
    col = 0
    for char in letters:
        col = col * 26 + ord(char) - 64
    return col


def check_limits(
    zf: zipfile.ZipFile,
    name: str,
    parts: dict[str, str],
    wanted: Callable[[str], bool] | None = None,
) -> None:
    """Raise ``UnreadableInputError`` when a sheet ``wanted`` accepts (all when None) or the
    shared strings exceed the limits. ``parts``: sheet name → XML part (the manifest).
    The whole of each part is scanned (openpyxl's reader)."""
    _twin_sheets(name, list(parts))
    present = set(zf.namelist())
    for part in _shared_string_parts(zf, present):
        _check_shared_strings(zf.read(part), name, part)
    for sheet, part in parts.items():
        if part in present and (wanted is None or wanted(sheet)):
            check_sheet(zf.read(part), name, sheet)


def check_read_sheets(
    zf: zipfile.ZipFile,
    name: str,
    parts: dict[str, str],
    xml_of: dict[str, bytes],
    spans: dict[str, tuple[int, int]],
) -> tuple[dict[str, bytes], set[str]]:
    """``check_limits`` for calamine, on sheet XML the caller has already inflated
    (``xml_of``: sheet → its part's bytes; issue 21, each part inflated once), within each
    sheet's cell data (``spans``: ``sheet_data_span`` of each). Returns the shared-strings
    parts it read (part → bytes), for the caller to scan further without inflating them
    again, and the sheets whose cells are plain (``check_sheet``)."""
    _twin_sheets(name, list(parts))
    strings = {part: zf.read(part) for part in _shared_string_parts(zf, set(zf.NameToInfo))}
    for part, xml in strings.items():
        _check_shared_strings(xml, name, part)
    plain = {sheet for sheet, xml in xml_of.items() if check_sheet(xml, name, sheet, spans[sheet])}
    return strings, plain


def sheet_data_span(xml: bytes) -> tuple[int, int]:
    """Where calamine finds a sheet's cells: from the first ``<sheetData`` (any prefix) to
    the end of the last ``</sheetData>``; the whole part when there is no such element."""
    found = _PREFIX.search(xml)
    if found is None:
        return 0, len(xml)
    close = b"</" + (found.group(1) or b"") + b"sheetData>"
    end = xml.rfind(close)
    return found.start(), (len(xml) if end < found.start() else end + len(close))


def _twin_sheets(name: str, sheets: list[str]) -> None:
    """Refuse two sheets whose names differ only in case and spaces («Паспорт» and
    « паспорт »): the reader finds sheets by such folded names and would take one silently."""
    from sheetprog.values import normalize_text

    seen: dict[str, str] = {}
    for sheet in sheets:
        key = normalize_text(sheet)
        if key in seen:
            raise UnreadableInputError(
                f"Файл «{name}»: листы «{seen[key]}» и «{sheet}» различаются только "
                "регистром букв или пробелами, и неясно, какой из них читать. Удалите или "
                "переименуйте лишний лист и сохраните книгу.",
                path=name,
            )
        seen[key] = sheet


def _shared_string_parts(zf: zipfile.ZipFile, present: set[str]) -> list[str]:
    found = {"xl/sharedStrings.xml"} & present
    if "xl/_rels/workbook.xml.rels" in present:
        for match in _REL.finditer(zf.read("xl/_rels/workbook.xml.rels")):
            attrs = dict(_ATTR.findall(match.group(1)))
            if attrs.get(b"Type", b"").endswith(b"/sharedStrings"):
                target = attrs.get(b"Target", b"").decode("utf-8", "replace")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                found |= {part} & present
    return sorted(found)


def _check_shared_strings(xml: bytes, name: str, part: str) -> None:
    head = _SST.search(xml, 0, 4096)
    claimed = [int(v) for _k, v in _COUNT_ATTR.findall(head.group(1))] if head else []
    held = xml.count(b"<si>") + xml.count(b"<si ")
    largest = max([*claimed, held])
    if largest > MAX_SHARED_STRINGS:
        raise UnreadableInputError(
            f"Файл «{name}» отклонён: таблица строк книги («{part}») объявляет "
            f"{number(largest)} строк при допустимых {number(MAX_SHARED_STRINGS)}. Книга "
            "мониторинга не может быть такой; вероятно, файл повреждён или составлен "
            "злонамеренно. Откройте его в Excel или LibreOffice, сохраните заново и повторите.",
            path=name,
        )


def check_sheet(xml: bytes, name: str, sheet: str, span: tuple[int, int] | None = None) -> bool:
    """The limits for one sheet's XML (see the module's docstring); ``span``: the part of
    it to look at (``sheet_data_span``), all of it when None. Returns whether the cells are
    plain: no namespace prefix on <sheetData>, and each cell element starts ``<c r="``
    (what every spreadsheet program writes; the formula scan then takes its fast path)."""
    found = _PREFIX.search(xml)
    prefix = found.group(1) or b"" if found else b""
    tag = b"<" + prefix + b"c"
    first, last = span if span is not None else (0, len(xml))
    anything = xml.count(tag, first, last)  # cells, and <color>, <charset> of rich text
    addressed = xml.count(tag + b' r="', first, last)
    if anything == addressed:  # nothing but cells addressed first: two passes, not three
        elements = anything
    else:
        elements = xml.count(tag + b" ", first, last) + xml.count(tag + b">", first, last)
    if elements > MAX_CELLS:
        raise _too_big(
            name, sheet, f"на листе {number(elements)} ячеек (допустимо {number(MAX_CELLS)})"
        )
    plain = not prefix and addressed == elements
    if addressed == elements:  # every cell addressed first
        if _usual(tag).search(xml, first, last) is None:
            return plain  # rows below 1 000, columns before AAA: within every limit (fast)
        cells = re.compile(re.escape(tag) + rb' r="([A-Z]{1,3})([0-9]+)"[^>]*(?<!/)>')
        unaddressed = 0
    else:
        cells = re.compile(re.escape(tag) + rb'(?:\s[^>]*?)?\br="([A-Z]{1,3})([0-9]+)"[^>]*(?<!/)>')
        bare = re.compile(re.escape(tag) + rb"(?:\s(?![^>]*\br=)[^>]*)?(?<!/)>")
        unaddressed = len(bare.findall(xml, first, last))
    letters: set[bytes] = set()
    rows: set[bytes] = set()
    start = first
    while start < last:  # a few MB at a time: the matches of one chunk stay small
        end = xml.find(tag, start + _CHUNK, last)
        end = last if end < 0 else end
        pairs: list[tuple[bytes, bytes]] = cells.findall(xml, start, end)
        if pairs:
            cols, numbers = zip(*pairs, strict=True)
            letters.update(cols)
            rows.update(numbers)
        start = end
    max_col = max((column_number(c.decode()) for c in letters), default=0) + unaddressed
    max_row = max((int(r) for r in rows), default=0)
    far_col = min(
        (c for c in letters if column_number(c.decode()) > safety.MAX_COLUMNS),
        key=lambda c: column_number(c.decode()),
        default=None,
    )
    if max_row > safety.MAX_ROWS or far_col is not None:
        cell = _farthest(xml, cells, far_col, first, last)
        what = (
            f"больше {number(safety.MAX_ROWS)} строк"
            if max_row > safety.MAX_ROWS
            else f"больше {number(safety.MAX_COLUMNS)} столбцов"
        )
        raise UnreadableInputError(
            f"Файл «{name}», лист «{sheet}»: {what} (заполнена ячейка {cell}; допустимо "
            f"{number(safety.MAX_ROWS)} строк и {number(safety.MAX_COLUMNS)} столбцов). "
            "Вероятно, на листе есть данные далеко за пределами таблицы: удалите содержимое "
            "этой ячейки и всё лишнее за таблицей и сохраните книгу.",
            path=name,
        )
    if max_row * max_col > MAX_AREA:
        raise _too_big(
            name,
            sheet,
            f"заполненная область — {number(max_row)} строк × {number(max_col)} столбцов "
            f"(допустимо не более {number(MAX_AREA)} ячеек)",
        )
    return plain


@functools.lru_cache(maxsize=8)
def _usual(tag: bytes) -> re.Pattern[bytes]:
    """A cell address at row 1 000 or beyond or at column AAA (703) or beyond. A sheet with
    none, every cell addressed, is within every limit whatever its cells hold: fewer than
    1 000 rows × 702 columns (701 298 cells, under ``MAX_AREA``; rows and columns under
    ``safety.MAX_ROWS`` and ``MAX_COLUMNS``). Such addresses are rare in a monitoring
    workbook, so one search that finds none replaces collecting every cell's address; a
    sheet with one is measured exactly (an empty styled cell far out is allowed there)."""
    assert MAX_AREA > 999 * 702 and safety.MAX_ROWS > 999 and safety.MAX_COLUMNS >= 702
    return re.compile(re.escape(tag) + rb' r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{4})')


def _farthest(
    xml: bytes, cells: re.Pattern[bytes], far_col: bytes | None, first: int, last: int
) -> str:
    """The address of the first cell beyond the limits (for the message)."""
    for match in cells.finditer(xml, first, last):
        letters, row = match.group(1), match.group(2)
        if (far_col is None and int(row) > safety.MAX_ROWS) or letters == far_col:
            return (letters + row).decode()
    return "?"  # pragma: no cover - the caller found one


def _too_big(name: str, sheet: str, what: str) -> UnreadableInputError:
    return UnreadableInputError(
        f"Файл «{name}», лист «{sheet}» отклонён: {what}. Книга мониторинга не может быть "
        "такой большой; вероятно, на листе есть данные далеко за пределами таблицы или файл "
        "составлен злонамеренно. Удалите лишние строки и столбцы и сохраните книгу.",
        path=name,
    )
