"""A stand-in for xlwings on Windows Excel that fails where Excel fails.

It implements the part of the xlwings API that ``sheetprog.xl`` uses and the few COM calls it
makes through ``.api``, loaded with a workbook file's real contents (values, cached formula
results, formulas, fills, notes, links, number formats, cell locks and sheet protection, via
openpyxl). Where Excel would refuse, raise, convert or keep something, so does this fake; each
behaviour cites its source:

* xlwings: the installed package (0.37.x), ``xlwings/main.py`` (``Range.value``,
  ``add_hyperlink``, ``add_note``, ``Sheet.clear_contents``), ``xlwings/_xlwindows.py``
  (``_clean_value_data_element``, ``cell_errors``, ``prepare_xl_data_element``, ``Range.color``,
  ``COMRetryObjectWrapper``), ``xlwings/conversion/standard.py`` (the read and write stages);
  also github.com/xlwings/xlwings.
* Microsoft: the Excel VBA reference (learn.microsoft.com/office/vba/api/excel.*):
  ``Worksheet.Protect`` / ``Unprotect``, the ``Protection`` object, ``Range.Value``,
  ``Range.ClearContents``, ``Range.Formula``, ``Interior.Color``, ``Hyperlinks.Add``,
  ``Range.AddComment``; and the support article «Protect a worksheet» (what each «Allow users
  to…» option permits).

What the fake does not model is said where it matters (it does not compute formulas).
"""

from __future__ import annotations

import colorsys
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import openpyxl
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import column_index_from_string, get_column_letter

# -- COM errors --------------------------------------------------------------------------------

DISP_E_EXCEPTION = -2147352567  # the HRESULT of every Excel exception seen through IDispatch
XL_ERROR = -2146827284  # 0x800A03EC, Excel's scode for a refused action (VBA error 1004)
PROTECTED_TEXT = (
    "The cell or chart you're trying to change is on a protected sheet. To make a change, "
    "unprotect the sheet. You might be requested to enter a password."
)
PASSWORD_TEXT = (
    "The password you supplied is not correct. Verify that the CAPS LOCK key is off and be sure "
    "to use the correct capitalization."
)


class ComError(Exception):
    """``pywintypes.com_error`` as Excel raises it through xlwings.

    Its args are ``(hresult, "Exception occurred.", excepinfo, None)`` with ``excepinfo =
    (0, "Microsoft Excel", description, help file, 0, scode)``: the shape xlwings' own
    ``COMRetryObjectWrapper.__setattr__`` unpacks (``hresult, msg, exc, arg = e.args``;
    ``wcode, source, text, help_file, help_id, scode = exc``) and the one reported in
    github.com/xlwings/xlwings/issues/909 (``(-2147352567, 'Exception occurred.', (0, None,
    None, None, 0, -2146827284), None)``). A write to a protected sheet raises it rather than
    hanging since xlwings PR #1736 («writing to a protected sheet … would cause xlwings to hang
    forever»): xlwings retries only scode None / -2146777998, so -2146827284 propagates.
    The description is localised by Excel; sheetprog never matches on it.
    """

    def __init__(self, text: str, scode: int = XL_ERROR) -> None:
        excepinfo = (0, "Microsoft Excel", text, "xlmain11.chm", 0, scode)
        super().__init__(DISP_E_EXCEPTION, "Exception occurred.", excepinfo, None)
        self.hresult, self.strerror, self.excepinfo, self.argerror = self.args


class ExcelError:
    """A cell error value. COM hands it over as a VT_ERROR variant, which pywin32 turns into
    its int scode; xlwings' ``_clean_value_data_element`` maps the seven classic codes
    (``_xlwindows.cell_errors``) to ``None``, or to the English name with ``err_to_str=True``
    (xlwings ≥ 0.28.0, docs/whatsnew.md), and passes any other code (#SPILL!, #CALC! …)
    through as the bare int."""

    # Excel's CVErr numbers (xlErrDiv0 = 2007 …); the COM scode is 0x800A0000 + the number
    NUMBERS: ClassVar[dict[str, int]] = {
        "#NULL!": 2000,
        "#DIV/0!": 2007,
        "#VALUE!": 2015,
        "#REF!": 2023,
        "#NAME?": 2029,
        "#NUM!": 2036,
        "#N/A": 2042,
        "#GETTING_DATA": 2043,
        "#SPILL!": 2045,
        "#CALC!": 2050,
    }
    CLASSIC: ClassVar[set[str]] = {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
    }
    # what a clerk types in a Russian Excel becomes the same error value
    RUSSIAN: ClassVar[dict[str, str]] = {
        "#ПУСТО!": "#NULL!",
        "#ДЕЛ/0!": "#DIV/0!",
        "#ЗНАЧ!": "#VALUE!",
        "#ССЫЛКА!": "#REF!",
        "#ИМЯ?": "#NAME?",
        "#ЧИСЛО!": "#NUM!",
        "#Н/Д": "#N/A",
    }

    def __init__(self, name: str) -> None:
        self.name = self.RUSSIAN.get(name, name)
        self.scode = -2146828288 + self.NUMBERS[self.name]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExcelError) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"ExcelError({self.name!r})"


# -- how Excel takes typed input -----------------------------------------------------------

_NUMBER = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?|[+-]?\d+(?:,\d+)?(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{1,4}))?")
_BOOLEANS = {"ИСТИНА": True, "ЛОЖЬ": False}


def _number(text: str) -> float:
    return float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))


def excel_input(text: str) -> tuple[str, Any, str | None]:
    """What Excel (Russian regional settings: decimal comma, dd.mm.yyyy dates) makes of a string
    assigned to ``Range.Value``: it is parsed as if typed (Microsoft: «Stop automatically
    changing numbers to dates» — «1-2» or «1.2» becomes a date unless the cell is formatted as
    Text first or the entry starts with an apostrophe). Returns (kind, value, number format):
    kind is "text", "formula", "number", "date", "bool", "error" or "empty".

    Modelled: a leading apostrophe (text; the apostrophe becomes ``PrefixCharacter``), a
    leading "=" (a formula; "+" or "-" before a non-number too), numbers with a decimal comma
    and space thousands, percentages, dd.mm[.yy[yy]] dates (two-digit years 00–29 → 20xx),
    ИСТИНА/ЛОЖЬ and typed error values. Not modelled: times, currencies, fractions, month
    names — a string of those kinds stays text here (a test passing here may still see Excel
    convert such a string; sheetprog writes every string with the apostrophe)."""
    if text == "":
        return "empty", None, None
    if text.startswith("'"):
        return "text", text[1:], None
    if text.startswith("=") and len(text) > 1:
        return "formula", text, None
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        return "number", _number(stripped), None
    if stripped.endswith("%") and _NUMBER.fullmatch(stripped[:-1].strip()):
        return "number", _number(stripped[:-1].strip()) / 100, "0%"
    if text[0] in "+-" and len(text) > 1:
        return "formula", "=" + text, None
    match = _DATE.fullmatch(stripped)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        year = dt.date.today().year if year_text is None else int(year_text)
        if year_text is not None and len(year_text) <= 2:
            year += 2000 if year < 30 else 1900
        try:
            return "date", dt.datetime(year, month, day), "dd.mm.yyyy"
        except ValueError:
            pass
    if stripped.upper() in _BOOLEANS:
        return "bool", _BOOLEANS[stripped.upper()], None
    if stripped in ExcelError.NUMBERS or stripped in ExcelError.RUSSIAN:
        return "error", ExcelError(stripped), None
    return "text", text, None


# -- protection --------------------------------------------------------------------------------

ALLOW = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)
# openpyxl's <sheetProtection> attributes: true means the action is *locked* (ECMA-376 §18.3.1.85)
OOXML_ALLOW = {
    "AllowFormattingCells": "formatCells",
    "AllowFormattingColumns": "formatColumns",
    "AllowFormattingRows": "formatRows",
    "AllowInsertingColumns": "insertColumns",
    "AllowInsertingRows": "insertRows",
    "AllowInsertingHyperlinks": "insertHyperlinks",
    "AllowDeletingColumns": "deleteColumns",
    "AllowDeletingRows": "deleteRows",
    "AllowSorting": "sort",
    "AllowFiltering": "autoFilter",
    "AllowUsingPivotTables": "pivotTables",
}


class FakeProtection:
    """Excel's ``Worksheet.Protection``: read-only Allow* flags (set only through Protect)."""

    def __init__(self) -> None:
        for name in ALLOW:
            setattr(self, name, False)


class FakeSheetApi:
    """The COM ``Worksheet`` calls sheetprog makes: the protection state and Protect/Unprotect.

    ``Protect(Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly,
    AllowFormattingCells, …, AllowUsingPivotTables)`` as in the VBA reference; omitted
    arguments take the documented defaults (DrawingObjects, Contents, Scenarios True; the Allow*
    False). ``Unprotect(Password)``: «If you omit this argument for a sheet that's protected
    with a password, you'll be prompted for the password» — the fake models the clerk
    cancelling that prompt or typing a wrong password: Excel's error 1004 below.
    """

    def __init__(self) -> None:
        self.ProtectContents = False
        self.ProtectDrawingObjects = False
        self.ProtectScenarios = False
        self.ProtectionMode = False  # UserInterfaceOnly
        self.Protection = FakeProtection()
        self.password: str | None = None
        self.calls: list[str] = []
        self.prompts = 0

    def Protect(
        self,
        Password: str | None = None,
        DrawingObjects: bool = True,
        Contents: bool = True,
        Scenarios: bool = True,
        UserInterfaceOnly: bool = False,
        **allow: bool,
    ) -> None:
        unknown = set(allow) - set(ALLOW)
        if unknown:
            raise TypeError(f"Protect() got unexpected arguments {sorted(unknown)}")
        if self.protected and self.password is not None and Password != self.password:
            raise ComError(PASSWORD_TEXT)
        self.calls.append("Protect")
        self.password = Password or None
        self.ProtectDrawingObjects = bool(DrawingObjects)
        self.ProtectContents = bool(Contents)
        self.ProtectScenarios = bool(Scenarios)
        self.ProtectionMode = bool(UserInterfaceOnly)
        for name in ALLOW:
            setattr(self.Protection, name, bool(allow.get(name, False)))

    def Unprotect(self, Password: str | None = None) -> None:
        if self.password is not None and Password != self.password:
            if Password is None:
                self.prompts += 1  # Excel's password dialog, in front of the clerk
            raise ComError(PASSWORD_TEXT)
        self.calls.append("Unprotect")
        self.password = None
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False
        self.ProtectionMode = False
        # the Allow* flags keep their values; they apply again only with the next Protect
        # (Excel's Protect dialog remembers them the same way)

    @property
    def protected(self) -> bool:
        return self.ProtectContents or self.ProtectDrawingObjects or self.ProtectScenarios

    def state(self) -> dict[str, Any]:
        """Everything Protect sets, for the tests to compare before and after."""
        out: dict[str, Any] = {
            "Contents": self.ProtectContents,
            "DrawingObjects": self.ProtectDrawingObjects,
            "Scenarios": self.ProtectScenarios,
            "UserInterfaceOnly": self.ProtectionMode,
            "password": self.password,
        }
        out.update({name: getattr(self.Protection, name) for name in ALLOW})
        return out


# -- cells -------------------------------------------------------------------------------------

Key = tuple[int, int]


class FakeNote:
    """xlwings ``Note`` (``Range.note``: a legacy comment, ``xl.Comment``)."""

    def __init__(self, sheet: FakeSheet, key: Key, text: str) -> None:
        self.sheet, self.key, self.text = sheet, key, text

    def delete(self) -> None:
        # Comment.Delete: a drawing object, refused while DrawingObjects are protected
        self.sheet.refuse_if(self.sheet.api.ProtectDrawingObjects)
        del self.sheet.notes[self.key]


class FakeHyperlinks:
    """``Range.api.Hyperlinks``: only ``Delete()``, which removes the links and leaves the
    text (Hyperlinks.Delete; refused on locked cells of a protected sheet)."""

    def __init__(self, rng: FakeRange) -> None:
        self.rng = rng

    def Delete(self) -> None:
        self.rng.refuse_locked()
        for key in self.rng.stored(self.rng.sheet.links):
            self.rng.sheet.links.pop(key, None)
            self.rng.sheet.screen_tips.pop(key, None)

    @property
    def Count(self) -> int:
        return len(self.rng.stored(self.rng.sheet.links))


class FakeRangeApi:
    def __init__(self, rng: FakeRange) -> None:
        self.Hyperlinks = FakeHyperlinks(rng)


class FakeRange:
    def __init__(
        self,
        sheet: FakeSheet,
        top: int,
        left: int,
        bottom: int,
        right: int,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.sheet, self.top, self.left, self.bottom, self.right = sheet, top, left, bottom, right
        self._options = options or {}

    def options(self, ndim: int | None = None, err_to_str: bool = False, **other: Any) -> FakeRange:
        """``Range.options``: only the two options sheetprog uses are modelled."""
        if other:
            raise NotImplementedError(f"options {sorted(other)} are not modelled")
        return FakeRange(
            self.sheet,
            self.top,
            self.left,
            self.bottom,
            self.right,
            {"ndim": ndim, "err_to_str": err_to_str},
        )

    @property
    def api(self) -> FakeRangeApi:
        return FakeRangeApi(self)

    def keys(self) -> Iterator[Key]:
        for r in range(self.top, self.bottom + 1):
            for c in range(self.left, self.right + 1):
                yield (r, c)

    def _grid(self) -> list[list[Key]]:
        return [
            [(r, c) for c in range(self.left, self.right + 1)]
            for r in range(self.top, self.bottom + 1)
        ]

    def refuse_locked(self) -> None:
        """Writing contents into a locked cell of a protected sheet raises (Range.Value,
        ClearContents; «Protect a worksheet»: locked cells cannot be changed)."""
        sheet = self.sheet
        if sheet.api.ProtectContents and not sheet.api.ProtectionMode:
            area = (self.bottom - self.top + 1) * (self.right - self.left + 1)
            if sum(1 for key in sheet.unlocked if self.contains(key)) < area:
                raise ComError(PROTECTED_TEXT)

    def contains(self, key: Key) -> bool:
        return self.top <= key[0] <= self.bottom and self.left <= key[1] <= self.right

    def stored(self, *stores: dict[Key, Any] | set[Key]) -> list[Key]:
        """The keys of ``stores`` inside this range (a whole sheet has 17 billion cells)."""
        return [key for store in stores for key in list(store) if self.contains(key)]

    # values

    @property
    def value(self) -> Any:
        """xlwings' read: ``Range.Value`` cleaned by ``_clean_value_data_element`` — empty → None,
        numbers are floats (Excel stores every number as a double), dates are ``datetime``,
        errors None unless ``err_to_str`` (then "#N/A" …; other codes stay the bare int); then
        squeezed to a scalar or a list unless ``ndim=2`` (``AdjustDimensionsStage``)."""
        err_to_str = self._options.get("err_to_str", False)

        def read(key: Key) -> Any:
            item = self.sheet.values.get(key)
            if isinstance(item, ExcelError):
                if item.name in ExcelError.CLASSIC:
                    return item.name if err_to_str else None
                return item.scode
            return item

        rows = [[read(k) for k in row] for row in self._grid()]
        ndim = self._options.get("ndim")
        if ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if len(rows[0]) == 1:
            return [row[0] for row in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        """xlwings' write: a scalar, a row (list) or rows (list of lists) from the top-left cell
        (the range is resized to the data); ``prepare_xl_data_element`` sends None as "" (an
        empty cell). Excel then takes each item as typed input: strings through
        ``excel_input``, Python ints and floats as doubles, a ``Decimal`` as a currency
        (pywin32 makes it VT_CY; Excel stores a number and applies a currency format)."""
        if not isinstance(data, list | tuple):
            rows = [[data]]
        elif data and isinstance(data[0], list | tuple):
            rows = [list(r) for r in data]
        else:
            rows = [list(data)]
        width = max((len(r) for r in rows), default=0)
        target = FakeRange(
            self.sheet, self.top, self.left, self.top + len(rows) - 1, self.left + width - 1
        )
        target.refuse_locked()
        for r, row in enumerate(rows):
            for c, item in enumerate(row):
                self.sheet.put((self.top + r, self.left + c), item)

    @property
    def formula(self) -> Any:
        """``Range.Formula``: the formula, else the constant as text (a text cell's text without
        its apostrophe), "" for an empty cell; a tuple of tuples for several cells."""
        rows = tuple(tuple(self.sheet.formula_of(k) for k in row) for row in self._grid())
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows

    def clear_contents(self) -> None:
        """``Range.ClearContents``: values and formulas go; fills, number formats, notes and
        hyperlinks stay (ClearContents clears «formulas and values»; Hyperlinks.Delete and
        ClearComments are separate calls). Refused on locked cells of a protected sheet."""
        self.refuse_locked()
        sheet = self.sheet
        for key in self.stored(sheet.values, sheet.formulas, sheet.prefixed):
            sheet.values.pop(key, None)
            sheet.formulas.pop(key, None)
            sheet.prefixed.discard(key)

    # formats

    def _refuse_format(self) -> None:
        """«Format cells» not allowed: Interior/NumberFormat changes raise on every cell of a
        protected sheet, locked or not (Microsoft Q&A 4820878: «certain formatting functions
        (like setting color) can not be performed on a protected sheet regardless of the
        cell's protection»)."""
        api = self.sheet.api
        self.sheet.refuse_if(api.ProtectContents and not api.Protection.AllowFormattingCells)

    @property
    def color(self) -> tuple[int, int, int] | None:
        """xlwings' ``Range.color``: None when ``Interior.ColorIndex`` is xlColorIndexNone, else
        ``int_to_rgb(Interior.Color)`` — a theme or indexed fill reads back as its RGB."""
        return self.sheet.colors.get((self.top, self.left))

    @color.setter
    def color(self, value: tuple[int, int, int] | None) -> None:
        self._refuse_format()
        for key in self.keys():
            if value is None:
                self.sheet.colors.pop(key, None)
            else:
                self.sheet.colors[key] = (int(value[0]), int(value[1]), int(value[2]))

    @property
    def number_format(self) -> str:
        return self.sheet.formats.get((self.top, self.left), "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._refuse_format()
        for key in self.keys():
            if value == "General":
                self.sheet.formats.pop(key, None)
            else:
                self.sheet.formats[key] = value

    @property
    def column_width(self) -> float | None:
        return self.sheet.widths.get(self.left)

    @column_width.setter
    def column_width(self, value: float) -> None:
        api = self.sheet.api
        self.sheet.refuse_if(api.ProtectContents and not api.Protection.AllowFormattingColumns)
        self.sheet.widths[self.left] = value

    # notes and links

    @property
    def note(self) -> FakeNote | None:
        return self.sheet.notes.get((self.top, self.left))

    def add_note(self, text: str) -> FakeNote:
        """xlwings ``Range.add_note`` (0.37.5+): its own checks, then ``AddComment`` — refused
        while drawing objects are protected."""
        if not isinstance(text, str):
            raise TypeError("Note text must be a string")
        if not text:
            raise ValueError("Note text must not be empty")
        if (self.top, self.left) != (self.bottom, self.right):
            raise ValueError("A note can only be added to a single cell")
        if self.note is not None:
            raise ValueError("This cell already has a note")
        self.sheet.refuse_if(self.sheet.api.ProtectDrawingObjects)
        key = (self.top, self.left)
        self.sheet.notes[key] = FakeNote(self.sheet, key, text)
        return self.sheet.notes[key]

    def add_hyperlink(
        self, address: str, text_to_display: str | None = None, screen_tip: str | None = None
    ) -> None:
        """xlwings ``add_hyperlink``: ``Hyperlinks.Add(Anchor, Address)`` then ``TextToDisplay``
        (the cell's text becomes that string, not parsed) and ``ScreenTip`` (default: an English
        «<address> - Click once to follow…»). «Insert hyperlinks» must be allowed on a
        protected sheet, and then only in unlocked cells."""
        api = self.sheet.api
        if api.ProtectContents and not api.ProtectionMode:
            self.sheet.refuse_if(not api.Protection.AllowInsertingHyperlinks)
            self.refuse_locked()
        text = address if text_to_display is None else text_to_display
        key = (self.top, self.left)
        self.sheet.links[key] = address
        self.sheet.screen_tips[key] = (
            screen_tip
            if screen_tip is not None
            else address + " - Click once to follow. Click and hold to select this cell."
        )
        self.sheet.values[key] = text
        self.sheet.formulas.pop(key, None)

    # geometry

    @property
    def row(self) -> int:
        return self.top

    @property
    def column(self) -> int:
        return self.left

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.bottom, self.right, self.bottom, self.right)


class FakeSheet:
    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[Key, Any] = {}  # constants and formulas' cached results
        self.formulas: dict[Key, str] = {}
        self.prefixed: set[Key] = set()  # text entered with a leading apostrophe
        self.colors: dict[Key, tuple[int, int, int]] = {}
        self.notes: dict[Key, FakeNote] = {}
        self.links: dict[Key, str] = {}
        self.screen_tips: dict[Key, str] = {}
        self.formats: dict[Key, str] = {}
        self.widths: dict[int, float] = {}
        self.unlocked: set[Key] = set()  # every cell is locked unless unlocked (Excel's default)
        self.api = FakeSheetApi()

    def refuse_if(self, refused: bool) -> None:
        if refused and not self.api.ProtectionMode:
            raise ComError(PROTECTED_TEXT)

    def put(self, key: Key, item: Any) -> None:
        """One item of a ``Range.Value`` assignment, as Excel stores it."""
        self.formulas.pop(key, None)
        self.prefixed.discard(key)
        self.values.pop(key, None)
        if item is None or item == "":
            return
        if isinstance(item, bool):
            self.values[key] = item
        elif isinstance(item, Decimal):
            self.values[key] = float(item)
            self.formats[key] = '#,##0.00 "₽"'
        elif isinstance(item, int | float):
            self.values[key] = float(item)
        elif isinstance(item, dt.datetime):
            self.values[key] = item
        elif isinstance(item, dt.date):
            self.values[key] = dt.datetime(item.year, item.month, item.day)
        elif isinstance(item, str):
            kind, value, number_format = excel_input(item)
            if kind == "formula":
                self.formulas[key] = value  # Excel computes it; the fake does not: no value
            elif kind != "empty":
                self.values[key] = value
                if item.startswith("'"):
                    self.prefixed.add(key)
                if number_format and key not in self.formats:
                    self.formats[key] = number_format
        else:
            raise TypeError(f"Excel cannot take {type(item).__name__} ({item!r})")

    def formula_of(self, key: Key) -> str:
        if key in self.formulas:
            return self.formulas[key]
        item = self.values.get(key)
        if item is None:
            return ""
        if isinstance(item, ExcelError):
            return item.name
        if isinstance(item, bool):
            return "TRUE" if item else "FALSE"
        if isinstance(item, float):
            return str(int(item)) if item.is_integer() else repr(item)
        if isinstance(item, dt.datetime):
            return f"{item.month}/{item.day}/{item.year}"
        return str(item)

    def range(self, first: Any, last: Any = None) -> FakeRange:
        """``sheet.range("A1")``, ``("A1:B2")``, ``("A1", "B2")`` or ``((1, 1), (2, 2))``."""
        if isinstance(first, str) and ":" in first:
            first, last = first.split(":")
        start, end = _cell_key(first), _cell_key(last or first)
        return FakeRange(self, start[0], start[1], end[0], end[1])

    @property
    def used_range(self) -> FakeRange:
        """``UsedRange`` counts formatted cells too, not only values."""
        keys = [
            *self.values,
            *self.formulas,
            *self.colors,
            *self.notes,
            *self.links,
            *self.formats,
        ]
        rows = max((k[0] for k in keys), default=1)
        cols = max((k[1] for k in keys), default=1)
        return FakeRange(self, 1, 1, rows, cols)

    def clear_contents(self) -> None:
        """xlwings ``Sheet.clear_contents``: ``Cells.ClearContents`` (see FakeRange)."""
        self.range((1, 1), (1_048_576, 16_384)).clear_contents()

    def cell_values(self) -> dict[str, Any]:
        return {f"{get_column_letter(c)}{r}": v for (r, c), v in self.values.items()}

    def protect_like(self, ws: Any) -> None:
        """The sheet protection of an openpyxl worksheet, as Excel shows it after opening."""
        prot = ws.protection
        if not prot.sheet:
            return
        self.api.ProtectContents = True
        self.api.ProtectDrawingObjects = bool(prot.objects)
        self.api.ProtectScenarios = bool(prot.scenarios)
        for name, attribute in OOXML_ALLOW.items():
            setattr(self.api.Protection, name, not getattr(prot, attribute))
        if prot.password:
            self.api.password = f"<hash {prot.password}>"  # the clerk cannot know it


def _cell_key(ref: Any) -> Key:
    if isinstance(ref, str):
        match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
        assert match, ref
        return (int(match.group(2)), column_index_from_string(match.group(1)))
    return (int(ref[0]), int(ref[1]))


class FakeSheets:
    def __init__(self, sheets: list[FakeSheet]) -> None:
        self._sheets = sheets

    def __iter__(self) -> Iterator[FakeSheet]:
        return iter(self._sheets)

    def __getitem__(self, name: str) -> FakeSheet:
        return next(s for s in self._sheets if s.name == name)


class FakeApp:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str | None]] = []

    def alert(self, prompt: str, title: str | None = None) -> None:
        self.alerts.append((prompt, title))


class FakeBook:
    def __init__(self, fullname: str, sheets: list[FakeSheet]) -> None:
        self.fullname = fullname
        self.sheets = FakeSheets(sheets)
        self.app = FakeApp()
        self.saves = 0
        self.protection_at_save: list[dict[str, dict[str, Any]]] = []

    def save(self) -> None:
        self.saves += 1
        self.protection_at_save.append({s.name: s.api.state() for s in self.sheets})

    def protection(self) -> dict[str, dict[str, Any]]:
        return {s.name: s.api.state() for s in self.sheets}

    @classmethod
    def from_file(cls, path: Path) -> FakeBook:
        """Excel's view of a file: constants (numbers as doubles, dates as datetimes, error cells
        as error values), formulas with their cached results (an openpyxl-written file has
        none, so they read as empty, as in a file Excel has not recalculated), fills (theme
        and indexed colours resolved to RGB, as ``Interior.Color`` reports them), notes, links,
        number formats, cell locks and sheet protection."""
        keep_vba = path.suffix.lower() == ".xlsm"
        wb = openpyxl.load_workbook(path, keep_vba=keep_vba)
        cached = openpyxl.load_workbook(path, data_only=True, keep_vba=keep_vba)
        theme = _theme_colours(wb.loaded_theme)
        sheets = []
        for ws in wb.worksheets:
            sheet = FakeSheet(ws.title)
            sheet.protect_like(ws)
            computed = cached[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    key = (cell.row, cell.column)
                    _load_value(sheet, key, cell, computed.cell(cell.row, cell.column))
                    if cell.has_style:
                        if not cell.protection.locked:
                            sheet.unlocked.add(key)
                        if cell.number_format != "General":
                            sheet.formats[key] = cell.number_format
                        colour = _fill_rgb(cell.fill, theme)
                        if colour is not None:
                            sheet.colors[key] = colour
                    if cell.comment is not None:
                        sheet.notes[key] = FakeNote(sheet, key, cell.comment.text)
                    if cell.hyperlink is not None:
                        link = cell.hyperlink
                        sheet.links[key] = link.target or f"#{link.location}"
            sheets.append(sheet)
        return cls(str(path), sheets)


def _load_value(sheet: FakeSheet, key: Key, cell: Any, computed: Any) -> None:
    value = cell.value
    if value is None:
        return
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        sheet.formulas[key] = value if isinstance(value, str) else "="
        value = computed.value
        if value is None:
            return
        if computed.data_type == "e":
            sheet.values[key] = ExcelError(value)
            return
    elif cell.data_type == "e":
        sheet.values[key] = ExcelError(value)
        return
    if isinstance(value, bool):
        sheet.values[key] = value
    elif isinstance(value, int | float | Decimal):
        sheet.values[key] = float(value)
    elif isinstance(value, dt.datetime):
        sheet.values[key] = value
    elif isinstance(value, dt.date):
        sheet.values[key] = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, dt.time):
        sheet.values[key] = dt.datetime(1899, 12, 30, value.hour, value.minute, value.second)
    else:
        sheet.values[key] = str(value)
        if getattr(cell, "quotePrefix", False):
            sheet.prefixed.add(key)


# -- colours -------------------------------------------------------------------------------

_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4",
                "accent5", "accent6", "hlink", "folHlink")  # fmt: skip
# Excel's theme index swaps the first two pairs of <a:clrScheme> (dk1 lt1 dk2 lt2 …)


def _theme_colours(xml: bytes | str | None) -> list[tuple[int, int, int]]:
    if not xml:
        return []
    text = xml.decode() if isinstance(xml, bytes) else xml
    scheme = re.search(r"<a:clrScheme\b.*?</a:clrScheme>", text, re.S)
    if not scheme:
        return []
    found: dict[str, tuple[int, int, int]] = {}
    for name, body in re.findall(r"<a:(\w+)>(.*?)</a:\1>", scheme.group(0), re.S):
        hex_value = re.search(r'(?:srgbClr val|lastClr)="([0-9A-Fa-f]{6})"', body)
        if hex_value:
            h = hex_value.group(1)
            found[name] = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
    return [found[n] for n in _THEME_ORDER if n in found]


def _tinted(rgb: tuple[int, int, int], tint: float) -> tuple[int, int, int]:
    """ECMA-376 §18.8.19 tint: luminance moved towards white (tint > 0) or black (tint < 0)."""
    if not tint:
        return rgb
    h, lum, s = colorsys.rgb_to_hls(*(x / 255 for x in rgb))
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return (round(r * 255), round(g * 255), round(b * 255))


def _fill_rgb(fill: Any, theme: list[tuple[int, int, int]]) -> tuple[int, int, int] | None:
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) == 8:
        h = colour.rgb
        return (int(h[2:4], 16), int(h[4:6], 16), int(h[6:8], 16))
    if colour.type == "theme" and theme and colour.theme < len(theme):
        return _tinted(theme[colour.theme], colour.tint or 0.0)
    if colour.type == "indexed" and colour.indexed < len(COLOR_INDEX):
        h = COLOR_INDEX[colour.indexed]
        return (int(h[2:4], 16), int(h[4:6], 16), int(h[6:8], 16))
    return None
