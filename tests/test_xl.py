"""The Excel buttons (sheetprog.xl), driven through an object with exactly the xlwings API used."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetprog import read_workbook, xl
from sheetprog.checks.severity import Severity
from tests.conftest import EXAMPLES, PROGRAM_EXAMPLES, ROOT, docx_content
from tests.fake_xlwings import FakeBook, FakeSheet

OURS = {s.rgb: s for s in Severity}


def norm(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 9)
    return value


def sheet_values(path: Path, name: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[name]
    return {
        c.coordinate: norm(c.value) for row in ws.iter_rows() for c in row if c.value is not None
    }


def file_marks(path: Path) -> tuple[dict, dict]:
    wb = openpyxl.load_workbook(path)
    fills, notes = {}, {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
                if isinstance(rgb, str) and rgb.upper() in {s.fill for s in Severity}:
                    fills[(ws.title, c.coordinate)] = rgb.upper()
                if c.comment is not None and c.comment.author == "sheetprog":
                    notes[(ws.title, c.coordinate)] = c.comment.text
    return fills, notes


def fake_marks(book: FakeBook) -> tuple[dict, dict]:
    from openpyxl.utils import get_column_letter

    fills, notes = {}, {}
    for sheet in book.sheets:
        for (r, c), colour in sheet.colors.items():
            if colour in OURS and sheet.name not in ("Проверки", "Оценка"):
                fills[(sheet.name, f"{get_column_letter(c)}{r}")] = OURS[colour].fill
        for (r, c), note in sheet.notes.items():
            if note.text.startswith(xl.NOTE_PREFIX):
                notes[(sheet.name, f"{get_column_letter(c)}{r}")] = note.text
    return fills, notes


@pytest.mark.parametrize("name", [p.name for p in PROGRAM_EXAMPLES])
def test_buttons_write_what_the_cli_writes(name, tmp_path, cli):
    book_path = tmp_path / name
    shutil.copy(EXAMPLES / name, book_path)
    book = FakeBook.from_file(book_path)
    xl.recalc(book)
    ((message, title),) = book.app.alerts
    assert title == "sheetprog" and "Оценка эффективности за" in message
    assert book.saves == 1
    checked, calculated = tmp_path / "checked.xlsx", tmp_path / "calculated.xlsx"
    cli("check", book_path, "-o", checked)
    assert cli("calc", book_path, "-o", calculated).exit_code == 0
    fake_checks = {
        k: norm(v)
        for k, v in book.sheets["Проверки"].cell_values().items()
        if not k.startswith("AA")
    }
    assert fake_checks == sheet_values(checked, "Проверки")
    fake_assessment = {k: norm(v) for k, v in book.sheets["Оценка"].cell_values().items()}
    assert fake_assessment == sheet_values(calculated, "Оценка")
    assert fake_marks(book) == file_marks(checked)
    links = book.sheets["Оценка"].links
    assert all(address.startswith("#'") for address in links.values())


def test_reports_from_the_buttons_equal_the_cli(tmp_path, cli):
    book_path = tmp_path / "kaluga-2016.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", book_path)
    book = FakeBook.from_file(book_path)
    xl.report_annual(book)
    ((message, title),) = book.app.alerts
    produced = tmp_path / "Отчёт 17 2016.docx"
    assert title == "sheetprog" and str(produced) in message and produced.exists()
    via_cli = tmp_path / "cli.docx"
    assert cli("report", "annual", book_path, "-o", via_cli).exit_code == 0
    assert docx_content(produced) == docx_content(via_cli)


def test_check_fix_check_through_excel_keeps_the_clerks_note(tmp_path):
    book_path = tmp_path / "shakhty-2013.xlsx"
    shutil.copy(EXAMPLES / "shakhty-2013.xlsx", book_path)
    book = FakeBook.from_file(book_path)
    activities = book.sheets["Мероприятия"]
    activities.range("B5").add_note("моя заметка")
    original = activities.range("E12").color
    xl.check(book)
    assert activities.range("E12").color == Severity.ERROR.rgb
    assert activities.range("E12").note.text.startswith("sheetprog, ошибка: A03")
    activities.range("E12").value = [["ОМС"]]  # the clerk fixes 2.1.1
    xl.check(book)
    assert activities.range("E12").color == original and activities.range("E12").note is None
    assert activities.range("F46").color == Severity.WARNING.rgb  # still a finding
    assert activities.range("B5").note.text == "моя заметка"
    assert "Ошибок нет" in book.app.alerts[-1][0]


def test_every_button_on_a_workbook_with_spaces_hyphen_and_cyrillic_name(tmp_path, cli):
    book_path = tmp_path / "Программа развития 2025-2030.xlsm"
    assert cli("new", book_path, "--from", EXAMPLES / "kaluga-2016.yaml").exit_code == 0
    book = FakeBook.from_file(book_path)
    for button in (xl.check, xl.recalc, xl.report_quarterly, xl.report_annual, xl.report_final):
        button(book)
    titles = [title for _message, title in book.app.alerts]
    assert titles == ["sheetprog"] * 5, book.app.alerts
    # xlwings gives a single cell as a scalar
    assert book.sheets["Оценка"].range("A1").value == "Оценка эффективности муниципальной программы"
    produced = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert produced == [
        "Информация 17 2016.docx",
        "Итоговый отчёт 17 2014-2016.docx",  # the years with facts; the title says so
        "Отчёт 17 2016.docx",
    ]


def alert_of(book: FakeBook) -> tuple[str, str]:
    ((message, title),) = book.app.alerts
    return message, title


def test_unsaved_workbook(tmp_path):
    book = FakeBook("Книга1", [FakeSheet("Лист1")])
    xl.check(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "Книга ещё не сохранена" in message


def test_read_only_workbook(tmp_path):
    book_path = tmp_path / "ro.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", book_path)
    os.chmod(book_path, 0o444)
    try:
        if os.access(book_path, os.W_OK):
            pytest.skip("running as a user who may write read-only files")
        book = FakeBook.from_file(book_path)
        xl.recalc(book)
        message, title = alert_of(book)
        assert title == "sheetprog: ошибка" and "только для чтения" in message
        assert book.saves == 0
    finally:
        os.chmod(book_path, 0o644)


def test_read_only_workbook_is_detected_by_access(tmp_path, monkeypatch):
    book_path = tmp_path / "ro.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", book_path)
    monkeypatch.setattr(xl.os, "access", lambda path, mode: False)
    book = FakeBook.from_file(book_path)
    xl.recalc(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "только для чтения" in message and book.saves == 0


def test_report_open_in_word(tmp_path, monkeypatch):
    book_path = tmp_path / "kaluga-2016.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", book_path)
    from sheetprog.reports import render

    def locked(template, context, out, schema=None):
        raise PermissionError(13, "Permission denied", str(out))

    monkeypatch.setattr(render, "render_docx", locked)
    book = FakeBook.from_file(book_path)
    xl.report_annual(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "открыт в другой программе" in message
    assert "Отчёт 17 2016.docx" in message


def test_not_a_sheetprog_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    book = FakeBook.from_file(path)
    xl.check(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "не является книгой мониторинга sheetprog" in message


def test_internal_errors_never_show_a_traceback(tmp_path, monkeypatch):
    book_path = tmp_path / "kaluga-2016.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", book_path)
    monkeypatch.setattr(xl, "read_program", lambda book: 1 / 0)
    book = FakeBook.from_file(book_path)
    xl.check(book)
    message, _title = alert_of(book)
    assert "Внутренняя ошибка sheetprog (ZeroDivisionError" in message
    assert "Traceback" not in message


# -- the macro-enabled workbook ------------------------------------------------------------

MACROS = {
    "SheetprogCheck": "check",
    "SheetprogRecalc": "recalc",
    "SheetprogQuarterlyReport": "report_quarterly",
    "SheetprogAnnualReport": "report_annual",
    "SheetprogFinalReport": "report_final",
}


def vba_modules(path: Path) -> dict[str, str]:
    """The VBA modules as oletools' olevba reads them (an independent reader)."""
    import warnings

    with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated names
        warnings.simplefilter("ignore")
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(path))
        try:
            return {Path(name).stem: code for _f, _s, name, code in parser.extract_macros()}
        finally:
            parser.close()


def test_xlsm_carries_the_macros_and_buttons(tmp_path, cli):
    import re

    book = tmp_path / "Программа развития 2025-2030.xlsm"
    assert cli("new", book, "--years", "2025-2030").exit_code == 0
    modules = vba_modules(book)
    assert {"xlwings", "Dictionary", "sheetprog"} <= set(modules)
    code = modules["sheetprog"]
    for macro, action in MACROS.items():
        body = re.search(rf"Sub {macro}\(\)(.*?)End Sub", code, re.S)
        assert body, macro
        assert f'RunPython "import sheetprog.xl; sheetprog.xl.{action}()"' in body.group(1)
        assert callable(getattr(xl, action))
    with zipfile.ZipFile(book) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheets = {n: d.decode() for n, d in parts.items() if n.startswith("xl/worksheets/sheet")}
    targets = [m for xml in sheets.values() for m in re.findall(r'macro="\[0\]!(\w+)"', xml)]
    assert sorted(targets) == sorted(list(MACROS) * 2)  # on «Инструкция» and on «Оценка»
    vml = [d.decode() for n, d in parts.items() if n.endswith(".vml")]
    assert sorted(m for v in vml for m in re.findall(r"<x:FmlaMacro>\[0\]!(\w+)<", v)) == sorted(
        list(MACROS) * 2
    )
    from defusedxml import ElementTree

    for name, data in parts.items():  # every XML part is well formed
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(data)
    from sheetprog.io.xlsm import vba_module

    assert (ROOT / "macros" / "sheetprog.bas").read_text("ascii") == vba_module()


def test_xlsm_reads_back_like_the_xlsx(tmp_path, cli):
    xlsx, xlsm = tmp_path / "k.xlsx", tmp_path / "k.xlsm"
    assert cli("new", xlsx, "--from", EXAMPLES / "kaluga-2016.yaml").exit_code == 0
    assert cli("new", xlsm, "--from", EXAMPLES / "kaluga-2016.yaml").exit_code == 0
    a, b = read_workbook(xlsx), read_workbook(xlsm)
    assert (a.passport, a.indicators, a.activities, a.funding) == (
        b.passport,
        b.indicators,
        b.activities,
        b.funding,
    )
    info = cli("info", xlsm, "--json")
    assert info.exit_code == 0 and '"indicators": 8' in info.stdout


def test_recalc_button_on_a_reserve_workbook(tmp_path):
    book_path = tmp_path / "reserve.xlsx"
    shutil.copy(EXAMPLES / "reserve-novoshakhtinsk.xlsx", book_path)
    book = FakeBook.from_file(book_path)
    xl.recalc(book)
    message, title = alert_of(book)
    assert title == "sheetprog" and "очень высокая" in message
    values = book.sheets["Оценка"].cell_values()
    assert values["A4"].startswith("ЭфР1") and values["C4"] == 0.4


def test_macro_workbooks_declare_the_macro_enabled_content_type(tmp_path, cli):
    """An .xlsm whose workbook part is declared as an .xlsx's («…sheet.main+xml») is refused by
    Excel as «the file format or file extension is not valid» (it was, before this test)."""
    made = tmp_path / "new.xlsm"
    assert cli("new", made, "--years", "2025-2026").exit_code == 0
    for path in (made, ROOT / "workbooks" / "programma-2025-2030.xlsm"):
        types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
        assert (
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
        ) in types, path.name
        assert "sheet.main+xml" not in types
