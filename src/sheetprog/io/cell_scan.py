"""What python-calamine reads differently from the file: found by a scan of the sheet XML.

python-calamine 0.9 returns "" for an error cell (``t="e"``: #N/A, #DIV/0! …) and turns a
negative serial in a date-formatted cell into a time of day; openpyxl, the other engine,
reads the error text and the date before the epoch (``openpyxl.utils.datetime.from_excel``).
Both kinds of cell are rare, so they are found by a search for a literal (``t="e"``,
``v>-``) and only the cells around the hits are parsed; ``apply`` then puts the file's
value into calamine's rows. Namespace prefixes (``<x:c>``) are allowed throughout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
from dataclasses import dataclass, field

from sheetprog.io import safety

_P = rb"(?:[A-Za-z_][\w.-]*:)?"
_ERROR_ATTR = re.compile(rb't="e"')
_NEGATIVE_VALUE = re.compile(rb"v>-")
_CELL_TAG = re.compile(rb"<" + _P + rb'c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*?(/?)>')
_TYPE = re.compile(rb'\st="([^"]*)"')
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)<")
_CELL_END = re.compile(rb"</" + _P + rb"c>")
_TAGS_BACK = 4  # from a <v> back to its cell: </f>, <f …>, <c …> at most


@dataclass
class SheetScan:
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "#N/A"
    negatives: dict[tuple[int, int], float] = field(default_factory=dict)  # numeric cells < 0


Span = tuple[int, int]  # where the cells are in the part (limits.sheet_data_span)


def scan(xml: bytes, span: Span | None = None) -> SheetScan:
    return SheetScan(errors(xml, span), negatives(xml, span))


def errors(xml: bytes, span: Span | None = None) -> dict[tuple[int, int], str]:
    """(row, col) → the error text of each error cell (``t="e"``), formula or not."""
    found: dict[tuple[int, int], str] = {}
    for hit in _ERROR_ATTR.finditer(xml, *(span or (0, len(xml)))):
        start = xml.rfind(b"<", 0, hit.start())
        cell = _CELL_TAG.match(xml, start) if start >= 0 else None
        if cell is None or cell.end() < hit.end() or cell.group(3):
            continue
        end = _CELL_END.search(xml, cell.end())
        value = _VALUE.search(xml, cell.end(), end.start() if end else len(xml))
        if value is not None:
            found[_index(cell)] = html.unescape(value.group(1).decode("utf-8")).strip()
    return found


def negatives(xml: bytes, span: Span | None = None) -> dict[tuple[int, int], float]:
    """(row, col) → the value of each numeric cell holding a negative number."""
    found: dict[tuple[int, int], float] = {}
    for hit in _NEGATIVE_VALUE.finditer(xml, *(span or (0, len(xml)))):
        value = _VALUE.match(xml, xml.rfind(b"<", 0, hit.start()))
        if value is None:
            continue
        pos = value.start()
        for _ in range(_TAGS_BACK):
            pos = xml.rfind(b"<", 0, pos)
            cell = _CELL_TAG.match(xml, pos) if pos >= 0 else None
            if cell is None:
                continue
            kind = _TYPE.search(cell.group(0))
            if kind is None or kind.group(1) == b"n":
                with contextlib.suppress(ValueError):  # not a number: calamine's to read
                    found[_index(cell)] = float(value.group(1))
            break
    return found


def _index(cell: re.Match[bytes]) -> tuple[int, int]:
    col = 0
    for char in cell.group(1):
        col = col * 26 + char - 64
    return int(cell.group(2)), col


def apply(rows: list[list[object]], found: SheetScan, date1904: bool) -> None:
    """Put the error texts, and negative serials calamine took for times, into ``rows``."""
    for (row, col), text in found.errors.items():
        if col <= safety.MAX_COLUMNS:
            _put(rows, row, col, text)
    for (row, col), serial in found.negatives.items():
        current = rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) else None
        if isinstance(current, dt.date | dt.time | dt.timedelta):
            _put(rows, row, col, before_epoch(serial, date1904))


def before_epoch(serial: float, date1904: bool) -> object:
    """A negative serial in a date-formatted cell as openpyxl reads it (the same function)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    return from_excel(serial, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)


def _put(rows: list[list[object]], row: int, col: int, value: object) -> None:
    while len(rows) < row:
        rows.append([])
    cells = rows[row - 1]
    while len(cells) < col:
        cells.append(None)
    cells[col - 1] = value


class CalamineMisread(Exception):
    """This file is one calamine reads wrongly (the message says why, in Russian): the
    reader reads it with openpyxl instead (io.engines)."""


_PRESERVE = re.compile(rb'xml:space="preserve"')
_TAG_NAME = re.compile(rb"<" + _P + rb"([A-Za-z_][\w.-]*)")


def refuse_inherited_space(part: str, xml: bytes, span: Span | None = None) -> None:
    """Raise CalamineMisread where ``xml:space="preserve"`` stands on an element around the
    text (<si>, <sst>, <is>, <r>), which the text inherits (XML 1.0 §2.10): calamine looks
    for it on <t> only and trims the spaces (tafia/calamine#671). ``span``: the part of
    ``xml`` holding the text (a sheet's cell data), all of it when None."""
    first, last = span or (0, len(xml))
    preserved = xml.count(b'xml:space="preserve"', first, last)
    if not preserved:
        return  # the common case in a sheet: one pass
    on_t = xml.count(b'<t xml:space="preserve"', first, last) + xml.count(
        b':t xml:space="preserve"', first, last
    )
    if preserved == on_t:
        return  # every one of them on a <t> or <x:t>: the common case, no parsing
    for hit in _PRESERVE.finditer(xml, first, last):
        start = xml.rfind(b"<", 0, hit.start())
        tag = _TAG_NAME.match(xml, start) if start >= 0 else None
        if tag is not None and tag.group(1) != b"t":
            raise CalamineMisread(
                f"в части «{part}» пробелы в начале и конце текста сохраняются атрибутом "
                "xml:space на внешнем элементе, который быстрый способ чтения (calamine) не "
                "учитывает; книга прочитана через openpyxl"
            )
