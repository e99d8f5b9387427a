"""The Excel buttons: xlwings entry points called by the workbook's macros.

    RunPython "import sheetprog.xl; sheetprog.xl.check()"

Thin by design: read the calling workbook's sheets into the same plain grids the
file readers produce, call the library, write the results back through Excel
(so Excel itself saves and nothing of the clerk's file is lost), and tell the
clerk in a message box — in Russian, never with a Python traceback.

Used from xlwings (>= 0.37.5: ``Range.add_note``): ``Book.caller()``, ``book.fullname``,
``book.sheets`` (iterate, ``[name]``), ``book.app.alert``, ``book.save()``, ``sheet.name``,
``sheet.used_range.last_cell``, ``sheet.range(...)`` with ``.options(ndim=2,
err_to_str=True).value``, ``.value`` (set), ``.formula``, ``.color``, ``.note`` /
``.add_note`` / ``note.text`` / ``note.delete()``, ``.add_hyperlink``, ``.number_format``,
``.column_width``, ``sheet.clear_contents()``; and through COM (``.api``) the sheet
protection (``ProtectContents``, ``ProtectDrawingObjects``, ``ProtectScenarios``,
``ProtectionMode``, ``Protection.Allow*``, ``Protect``, ``Unprotect``) and
``Range.Hyperlinks.Delete``. The tests drive this module with tests/fake_xlwings.py, which
implements exactly that and fails where Excel fails.

Policies:

* Every sheet of a sheetprog workbook is protected (without a password). Before writing to a
  sheet the buttons unprotect it and afterwards protect it again with exactly the options it
  had, also when a write fails. A sheet protected with a password is not touched: the clerk
  is told to remove the protection.
* Every text is written with a leading apostrophe, Excel's documented way of entering text
  that it would otherwise take for a number, a date or a formula («1.2», «05», «=…»).
* «Проверки» and «Оценка» belong to sheetprog: before they are rewritten, their fills,
  number formats and hyperlinks go with their contents. On the clerk's sheets only the marks
  of the previous run are undone (a fill still of a mark colour, a note starting with
  «sheetprog, »); the clerk's own fills, notes and links stay.
* Error cells (#Н/Д, #ДЕЛ/0! …) are read as errors (``err_to_str``; other error codes, which
  xlwings passes through as COM's integer, by the table below), so R008 reports them as the
  file readers do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetprog import spec
from sheetprog.checks.severity import Severity
from sheetprog.errors import OutputError, SheetprogError
from sheetprog.grid import Formula, Mark, Row, SheetGrid, WorkbookGrid
from sheetprog.values import normalize_text

TITLE = "sheetprog"
NOTE_PREFIX = "sheetprog, "
SERVICE_COLUMN = 27  # AA on «Проверки»: the cells sheetprog marked and their earlier fill
_READ = {normalize_text(n) for n in spec.READ_SHEETS}
_PALETTE_FILLS = {s.style: s.rgb for s in Severity} | {"header": (217, 225, 242)}


# -- entry points (one per button) ---------------------------------------------------------


def check(book: Any = None) -> None:
    """«Проверить»: the «Проверки» sheet, highlights and notes."""
    _run(book, _check)


def recalc(book: Any = None) -> None:
    """«Пересчитать»: checks, then the «Оценка» sheet."""
    _run(book, _recalc)


def report(kind: str, book: Any = None) -> None:
    """A report button: the report of ``kind`` (``sheetprog.reports.kinds``) next to the book."""
    _run(book, lambda b, p, s: _report(b, p, s, kind))


def __getattr__(name: str) -> Any:
    """``report_annual()`` and the like: the entry points the workbooks' macros call, one per
    report kind with a button in the registry."""
    from sheetprog.reports.kinds import buttons

    for kind in buttons():
        if kind.entry_point == name:
            return lambda book=None: report(kind.name, book)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _run(book: Any, action: Any) -> None:
    from sheetprog.settings import load_settings

    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    try:
        path = _saved_path(book)
        message = action(book, path, load_settings(path))
        book.app.alert(message, title=TITLE)
    except SheetprogError as exc:
        book.app.alert(exc.message, title=f"{TITLE}: ошибка")
    except Exception as exc:  # never a traceback in a dialog
        book.app.alert(
            f"Внутренняя ошибка sheetprog ({type(exc).__name__}: {exc}). Сообщите специалисту "
            "ИТ: в командной строке то же действие с ключом --debug покажет подробности.",
            title=f"{TITLE}: ошибка",
        )


def _saved_path(book: Any) -> Path:
    path = Path(book.fullname)
    if not path.is_absolute() or not path.exists():
        raise OutputError(
            "Книга ещё не сохранена. Сохраните её (Файл → Сохранить как, тип «Книга Excel с "
            "поддержкой макросов») и нажмите кнопку ещё раз."
        )
    if not os.access(path, os.W_OK):
        raise OutputError(
            f"Книга «{path.name}» открыта только для чтения, результаты нельзя сохранить. "
            "Сохраните её под другим именем в папке, где у вас есть права на запись, или снимите "
            "атрибут «только чтение», и нажмите кнопку ещё раз."
        )
    return path


# -- reading -------------------------------------------------------------------------------


def read_grid(book: Any) -> WorkbookGrid:
    """The sheets sheetprog reads, as plain grids (formulas as ``Formula`` with Excel's value)."""
    sheets: dict[str, SheetGrid] = {}
    for sheet in book.sheets:
        if normalize_text(sheet.name) not in _READ:
            sheets[sheet.name] = SheetGrid(sheet.name, [])
            continue
        last = sheet.used_range.last_cell
        rng = sheet.range((1, 1), (last.row, last.column))
        values = rng.options(ndim=2, err_to_str=True).value
        formulas = rng.formula
        if isinstance(formulas, str):  # a one-cell sheet
            formulas = [[formulas]]
        rows: list[list[object]] = []
        for value_row, formula_row in zip(values, formulas, strict=True):
            row: list[object] = []
            for raw, formula in zip(value_row, formula_row, strict=True):
                value = _cell_value(raw)
                text = formula if isinstance(formula, str) else ""
                # a text typed with an apostrophe («'=…») has that text as its formula too
                is_formula = text.startswith("=") and value != text
                row.append(Formula(text, value) if is_formula else value)
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        sheets[sheet.name] = SheetGrid(sheet.name, rows)
    return WorkbookGrid(path=str(book.fullname), sheets=sheets)


# Excel's error values as COM hands them over (0x800A0000 + the XlCVError number): xlwings
# names the seven classic ones with err_to_str=True and passes the others on as this integer
COM_ERRORS = {
    -2146826288: "#NULL!",
    -2146826281: "#DIV/0!",
    -2146826273: "#VALUE!",
    -2146826265: "#REF!",
    -2146826259: "#NAME?",
    -2146826252: "#NUM!",
    -2146826246: "#N/A",
    -2146826245: "#GETTING_DATA",
    -2146826243: "#SPILL!",
    -2146826238: "#CALC!",
}


def _cell_value(raw: object) -> object:
    """A value as xlwings reads it, with error codes as their names. Excel gives numbers as
    doubles, so an integer can only be an error code (one not in the table reads as #VALUE!,
    still an error)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return COM_ERRORS.get(raw, "#VALUE!")
    return raw


def read_program(book: Any) -> Any:
    """The model of the calling workbook, whatever its kind."""
    from sheetprog.api import parse_grid

    return parse_grid(read_grid(book))


# -- actions -------------------------------------------------------------------------------


def _check(book: Any, path: Path, settings: Any) -> str:
    from sheetprog.api import check_message

    report = _write_checks(book, path, settings)
    book.save()
    return check_message(report.errors, len(report.findings))


def _write_checks(book: Any, path: Path, settings: Any) -> Any:
    from sheetprog.api import check_findings
    from sheetprog.checks.sheet import WIDTHS, checks_rows, marks_by_sheet

    model = read_program(book)
    report = check_findings(model, path, settings=settings)
    sheet = book.sheets[spec.SHEET_CHECKS]
    previous = _read_service(sheet)
    marks = marks_by_sheet(report)
    touched = [spec.SHEET_CHECKS, *(name for name, _c, _f in previous), *marks]
    with writable(book, touched):
        _unmark(book, previous)
        write_rows(sheet, checks_rows(report), WIDTHS)
        marked = _mark(book, marks)
        _write_service(sheet, marked)
    return report


def _recalc(book: Any, path: Path, settings: Any) -> str:
    from sheetprog.api import assess_workbook, assessment_sheet, recalc_message

    report = _write_checks(book, path, settings)
    model = read_program(book)
    result = assess_workbook(model, path, settings=settings)
    rows, widths = assessment_sheet(model, result)
    with writable(book, [spec.SHEET_ASSESSMENT]):
        write_rows(book.sheets[spec.SHEET_ASSESSMENT], rows, widths)
    book.save()
    return recalc_message(model, result, report.errors)


def _report(book: Any, path: Path, settings: Any, kind: str) -> str:
    from sheetprog.api import report_for_workbook, report_message
    from sheetprog.reports.kinds import ReportOptions

    try:
        result = report_for_workbook(
            kind,
            read_program(book),
            path,
            # a button is pressed mid-programme too: a final report then covers the years
            # with facts, and its title says which years are missing
            ReportOptions(replace=True, partial=True),
            settings=settings,
        )
    except PermissionError as exc:
        raise OutputError(
            f"Файл отчёта «{exc.filename}» открыт в другой программе (например, в Word). "
            "Закройте его и нажмите кнопку ещё раз."
        ) from exc
    return report_message(result)


# -- sheet protection ----------------------------------------------------------------------

# Worksheet.Protect's options besides the password, and where Excel reports each of them
PROTECT_FLAGS = {
    "DrawingObjects": "ProtectDrawingObjects",
    "Contents": "ProtectContents",
    "Scenarios": "ProtectScenarios",
    "UserInterfaceOnly": "ProtectionMode",
}
ALLOW_FLAGS = (
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


def protection_of(sheet: Any) -> dict[str, bool]:
    """The sheet's protection as ``Worksheet.Protect`` arguments (all False: not protected)."""
    api = sheet.api
    options = {arg: bool(getattr(api, prop)) for arg, prop in PROTECT_FLAGS.items()}
    protection = api.Protection
    options.update({name: bool(getattr(protection, name)) for name in ALLOW_FLAGS})
    return options


@contextmanager
def unprotected(sheet: Any) -> Iterator[None]:
    """Write to ``sheet`` with its protection lifted, then protect it again with exactly the
    options it had — also when a write fails."""
    options = protection_of(sheet)
    if not (options["Contents"] or options["DrawingObjects"] or options["Scenarios"]):
        yield
        return
    try:
        # an explicit empty password: without one, Excel would ask the clerk for the password
        # of a password-protected sheet, and the protection put back could not carry it
        sheet.api.Unprotect("")
    except Exception as exc:
        raise OutputError(
            f"Лист «{sheet.name}» защищён паролем, и sheetprog не может записать на него "
            "результаты. Снимите защиту (Рецензирование → Снять защиту листа; пароль знает тот, "
            "кто её поставил) и нажмите кнопку ещё раз: sheetprog сам защищает свои листы без "
            "пароля."
        ) from exc
    try:
        yield
    finally:
        sheet.api.Protect(**options)


@contextmanager
def writable(book: Any, names: Iterable[str]) -> Iterator[None]:
    """The named sheets of ``book`` (those it has, each once) unprotected for the block."""
    present = {s.name for s in book.sheets}
    with ExitStack() as stack:
        for name in dict.fromkeys(names):
            if name in present:
                stack.enter_context(unprotected(book.sheets[name]))
        yield


# -- writing through Excel -----------------------------------------------------------------


def _plain(value: object) -> object:
    """A value Excel takes as it is: Decimals as numbers, "" as an empty cell, text with a
    leading apostrophe (else Excel parses «1.2» as a date, «05» as 5, «=…» as a formula)."""
    if value == "":
        return None
    if isinstance(value, str):
        return "'" + value
    return float(value) if isinstance(value, Decimal) else value


def _clear_owned(sheet: Any) -> None:
    """Empty an owned sheet of what sheetprog wrote: values, fills, number formats, links
    (ClearContents alone keeps the last three)."""
    last = sheet.used_range.last_cell
    old = sheet.range((1, 1), (last.row, last.column))
    old.api.Hyperlinks.Delete()
    old.color = None
    old.number_format = "General"
    sheet.clear_contents()


def write_rows(sheet: Any, rows: list[Row], widths: dict[int, float]) -> None:
    """Replace the contents of an owned sheet with ``rows`` (values, formats, links, fills).
    The sheet must be writable (``unprotected``)."""
    _clear_owned(sheet)
    width = max((len(r) for r in rows), default=1)
    values = [
        [_plain(c.value) if c is not None else None for c in r] + [None] * (width - len(r))
        for r in rows
    ]
    sheet.range((1, 1), (len(rows), width)).value = values
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            target = sheet.range((r, c))
            if cell.style == "percent":
                target.number_format = "0.0%"
            if cell.style in _PALETTE_FILLS:
                target.color = _PALETTE_FILLS[cell.style]
            if cell.link:
                sheet_name, _, address = cell.link.rpartition("!")
                target.add_hyperlink(
                    f"#'{sheet_name}'!{address}",
                    str(cell.value),
                    f"Перейти к ячейке {sheet_name}!{address}",
                )
    for column, column_width in widths.items():
        sheet.range((1, column)).column_width = column_width


def _read_service(sheet: Any) -> list[tuple[str, str, tuple[int, int, int] | None]]:
    """What the previous run marked: (sheet, cell, the fill the cell had before)."""
    column = sheet.range((1, SERVICE_COLUMN), (2000, SERVICE_COLUMN)).options(ndim=2).value
    out = []
    for (text,) in column:
        if not isinstance(text, str) or not text.startswith("sheetprog|"):
            continue
        _tag, name, cell, fill = [*text.split("|"), "", "", ""][:4]
        colour = tuple(int(x) for x in fill.split(",")) if fill else None
        out.append((name, cell, colour if colour and len(colour) == 3 else None))
    return out


def _write_service(sheet: Any, marked: list[tuple[str, str, tuple[int, int, int] | None]]) -> None:
    lines = [
        [_plain(f"sheetprog|{name}|{cell}|{','.join(map(str, fill)) if fill else ''}")]
        for name, cell, fill in marked
    ]
    if lines:
        sheet.range((1, SERVICE_COLUMN), (len(lines), SERVICE_COLUMN)).value = lines
    sheet.range((1, SERVICE_COLUMN)).column_width = 0  # hidden: sheetprog's own bookkeeping


def _unmark(book: Any, previous: list[tuple[str, str, tuple[int, int, int] | None]]) -> None:
    """Undo the previous run's marks, and only those."""
    ours = {tuple(int(f[i : i + 2], 16) for i in (2, 4, 6)) for f in Severity.mark_fills()}
    names = {s.name for s in book.sheets}
    for name, cell, fill in previous:
        if name not in names:
            continue
        target = book.sheets[name].range(cell)
        if target.color in ours:
            target.color = fill
        note = target.note
        if note is not None and note.text.startswith(NOTE_PREFIX):
            note.delete()


def _mark(book: Any, marks: dict[str, list[Mark]]) -> list[tuple[str, str, Any]]:
    done: list[tuple[str, str, Any]] = []
    names = {s.name for s in book.sheets}
    for name, sheet_marks in marks.items():
        if name not in names or name in (spec.SHEET_CHECKS, spec.SHEET_ASSESSMENT):
            continue
        per_cell: dict[str, list[Mark]] = {}
        for mark in sorted(sheet_marks, key=lambda m: m.severity.rank):
            per_cell.setdefault(mark.cell, []).append(mark)
        sheet = book.sheets[name]
        for cell, cell_marks in per_cell.items():
            target = sheet.range(cell)
            done.append((name, cell, target.color))
            target.color = cell_marks[0].severity.rgb
            text = (
                NOTE_PREFIX
                + cell_marks[0].severity.label
                + ": "
                + "\n".join(m.message for m in cell_marks)
            )
            if target.note is None:  # the clerk's own note stays as it is
                target.add_note(text)
    return done
