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


# -- the fake fails like Excel (tests/fake_xlwings.py cites the source of each behaviour) ---

from tests.fake_xlwings import (  # noqa: E402
    ALLOW,
    DISP_E_EXCEPTION,
    XL_ERROR,
    ComError,
    ExcelError,
)


@pytest.fixture
def new_book(tmp_path, cli) -> Path:
    """A workbook as `sheetprog new` makes it: every sheet protected without a password."""
    path = tmp_path / "new.xlsx"
    assert cli("new", path, "--from", EXAMPLES / "kaluga-2016.yaml").exit_code == 0
    return path


def test_fake_refuses_writes_to_a_protected_sheet_where_excel_does(new_book):
    book = FakeBook.from_file(new_book)
    checks = book.sheets["Проверки"]
    assert checks.api.ProtectContents and checks.api.password is None
    refused = [
        lambda: checks.clear_contents(),
        lambda: setattr(checks.range("A5"), "value", "x"),
        lambda: setattr(checks.range("A5"), "color", (255, 0, 0)),
        lambda: setattr(checks.range("A5"), "number_format", "0.0%"),
        lambda: checks.range("D5").add_hyperlink("#'Показатели'!A1", "A1"),
        lambda: checks.range("A1:F3").api.Hyperlinks.Delete(),
    ]
    for write in refused:
        with pytest.raises(ComError) as caught:
            write()
        assert caught.value.hresult == DISP_E_EXCEPTION and caught.value.excepinfo[5] == XL_ERROR
    # an unlocked input cell takes a value on the protected sheet, but not a fill
    indicators = book.sheets["Показатели"]
    unlocked = min(indicators.unlocked)
    indicators.range(unlocked).value = 5
    assert indicators.range(unlocked).value == 5.0
    with pytest.raises(ComError):
        indicators.range(unlocked).color = (255, 0, 0)
    checks.api.Unprotect("")
    checks.clear_contents()
    checks.range("A5").color = (255, 0, 0)
    assert checks.range("A5").color == (255, 0, 0)


def test_fake_unprotect_of_a_password_protected_sheet_fails(new_book):
    book = FakeBook.from_file(new_book)
    sheet = book.sheets["Оценка"]
    sheet.api.Unprotect("")
    sheet.api.Protect("секрет", Contents=True)
    with pytest.raises(ComError):
        sheet.api.Unprotect("")
    with pytest.raises(ComError):
        sheet.api.Unprotect()  # Excel asks; the clerk cannot answer
    assert sheet.api.prompts == 1


def _workbook(tmp_path: Path, fill) -> Path:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 5
    ws["A2"] = dt.date(2024, 3, 1)
    ws["A3"] = "#DIV/0!"  # openpyxl writes it as an error cell (t="e")
    ws["A4"] = "#N/A"
    ws["A5"] = "текст"
    ws["B1"].fill = fill
    ws["B1"].hyperlink = "#Sheet!A1"
    ws["B1"].number_format = "0.0%"
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    return path


def test_fake_reads_values_as_xlwings_does(tmp_path):
    """Numbers are floats, dates datetimes, error cells None (or "#N/A" with err_to_str)."""
    import datetime as dt

    from openpyxl.styles import PatternFill

    book = FakeBook.from_file(_workbook(tmp_path, PatternFill()))
    sheet = next(iter(book.sheets))
    assert openpyxl.load_workbook(tmp_path / "plain.xlsx").active["A3"].data_type == "e"
    values = sheet.range("A1", "A5").options(ndim=2).value
    assert values == [[5.0], [dt.datetime(2024, 3, 1)], [None], [None], ["текст"]]
    assert type(values[0][0]) is float
    strings = sheet.range("A1", "A5").options(ndim=2, err_to_str=True).value
    assert [row[0] for row in strings[2:4]] == ["#DIV/0!", "#N/A"]
    sheet.values[(6, 1)] = ExcelError("#SPILL!")  # not among xlwings' cell_errors: the int
    assert sheet.range("A6").options(err_to_str=True).value == -2146826243


def test_fake_parses_assigned_strings_as_excel_does(tmp_path):
    import datetime as dt

    sheet = FakeSheet("Лист1")
    sheet.range("A1").value = [["1,5", "05", "1.2", "2.1.1", "=A1", "'1.2", "#Н/Д", "-x", "текст"]]
    assert sheet.range((1, 1), (1, 4)).value == [
        1.5,
        5.0,
        dt.datetime(dt.date.today().year, 2, 1),
        dt.datetime(2001, 1, 2),
    ]
    assert sheet.range("E1").formula == "=A1" and sheet.range("E1").value is None
    assert sheet.range("F1").value == "1.2" and sheet.range("F1").formula == "1.2"
    assert sheet.range("G1").value is None  # an error value now
    assert sheet.range("G1").options(err_to_str=True).value == "#N/A"
    assert sheet.range("H1").formula == "=-x"
    assert sheet.range("I1").value == "текст"


def test_fake_clear_contents_keeps_fills_links_notes_and_formats(tmp_path):
    from openpyxl.styles import PatternFill

    book = FakeBook.from_file(_workbook(tmp_path, PatternFill("solid", fgColor="FFFF0000")))
    sheet = next(iter(book.sheets))
    sheet.range("B1").add_note("заметка")
    sheet.clear_contents()
    assert sheet.range("A1").value is None and sheet.range("B1").value is None
    assert sheet.range("B1").color == (255, 0, 0)
    assert sheet.links[(1, 2)] == "#Sheet!A1"
    assert sheet.range("B1").note.text == "заметка"
    assert sheet.range("B1").number_format == "0.0%"


def test_fake_reads_a_theme_fill_as_a_colour(tmp_path):
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.0))  # accent1
    book = FakeBook.from_file(_workbook(tmp_path, fill))
    # openpyxl writes the Office 2007 theme: accent1 is #4F81BD
    assert next(iter(book.sheets)).range("B1").color == (0x4F, 0x81, 0xBD)
    tinted = FakeBook.from_file(
        _workbook(tmp_path, PatternFill("solid", fgColor=Color(theme=4, tint=0.7999)))
    )
    colour = next(iter(tinted.sheets)).range("B1").color
    assert colour is not None and min(colour) > 0xC0  # lighter than the accent


# -- the buttons in that Excel ------------------------------------------------------------


def test_buttons_on_protected_sheets_restore_the_exact_protection(new_book):
    """Every sheet is protected: without unprotecting, «Проверить» and «Пересчитать» ended in
    «Внутренняя ошибка» in real Excel. The protection comes back exactly as it was."""
    book = FakeBook.from_file(new_book)
    custom = book.sheets["Проверки"].api  # a combination no default produces
    custom.Unprotect("")
    custom.Protect(
        DrawingObjects=True,
        Contents=True,
        Scenarios=False,
        AllowFormattingCells=False,
        AllowFormattingColumns=True,
        AllowInsertingRows=True,
        AllowSorting=True,
        AllowUsingPivotTables=True,
    )
    custom.calls.clear()
    before = book.protection()
    assert all(state["Contents"] for state in before.values())
    xl.check(book)
    xl.recalc(book)
    assert [title for _m, title in book.app.alerts] == ["sheetprog", "sheetprog"], book.app.alerts
    assert book.protection() == before
    assert book.protection_at_save == [before, before]  # saved protected
    assert book.sheets["Проверки"].api.calls.count("Unprotect") == 2
    assert set(before["Проверки"]) >= set(ALLOW)


def test_protection_is_restored_when_a_write_fails(tmp_path, monkeypatch):
    from tests import fake_xlwings

    book_path = tmp_path / "shakhty-2013.xlsx"  # with findings: links on «Проверки»
    shutil.copy(EXAMPLES / "shakhty-2013.xlsx", book_path)
    book = FakeBook.from_file(book_path)
    before = book.protection()

    def broken(self, address, text_to_display=None, screen_tip=None):
        raise ComError("Exception from a broken Excel")

    monkeypatch.setattr(fake_xlwings.FakeRange, "add_hyperlink", broken)
    xl.check(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "Внутренняя ошибка" in message
    assert book.protection() == before and book.saves == 0


def test_a_password_protected_sheet_is_left_alone_with_a_message(new_book):
    book = FakeBook.from_file(new_book)
    sheet = book.sheets["Проверки"]
    sheet.api.Unprotect("")
    sheet.api.Protect("секрет")
    before = book.protection()
    xl.check(book)
    message, title = alert_of(book)
    assert title == "sheetprog: ошибка" and "Лист «Проверки» защищён паролем" in message
    assert book.protection() == before and book.saves == 0
    assert sheet.api.prompts == 0  # Excel was never made to ask the clerk for the password


def test_texts_are_written_so_excel_keeps_them_as_text():
    """Excel parses a string assigned to .value like typed input: «1.2» became a date, «05» the
    number 5, «=…» a formula on «Проверки» and «Оценка»."""
    from sheetprog.grid import Cell

    sheet = FakeSheet("Проверки")
    texts = ["1.2", "05", "=СУММ(A1)", "1,5", "#Н/Д", "-", "+7", "ИСТИНА", "'цитата"]
    xl.write_rows(sheet, [[Cell(t) for t in texts], [Cell(3), Cell(0.5, "percent")]], {})
    assert sheet.range((1, 1), (1, len(texts))).value == texts
    assert not sheet.formulas
    assert sheet.range("A2").value == 3.0 and sheet.range("B2").number_format == "0.0%"


def test_rewriting_an_owned_sheet_clears_its_old_fills_formats_and_links():
    from sheetprog.grid import Cell

    sheet = FakeSheet("Оценка")
    first = [
        [Cell("Заголовок", "header"), Cell(0.25, "percent"), Cell("E5", "link", "Показатели!E5")]
    ]
    xl.write_rows(sheet, first, {})
    assert sheet.range("A1").color is not None and sheet.links and sheet.formats
    xl.write_rows(sheet, [[Cell("текст"), Cell(2), Cell("другое")]], {})
    assert sheet.range("A1").color is None
    assert sheet.range("B1").number_format == "General"  # 2 shown as 2, not «200,0%»
    assert not sheet.links and sheet.range("C1").value == "другое"


def test_recheck_keeps_the_clerks_fills_notes_links_and_formats(tmp_path):
    book_path = tmp_path / "shakhty-2013.xlsx"
    shutil.copy(EXAMPLES / "shakhty-2013.xlsx", book_path)
    book = FakeBook.from_file(book_path)
    activities = book.sheets["Мероприятия"]
    api = activities.api
    api.Unprotect("")  # the clerk decorates a cell sheetprog marks, and another one
    activities.range("E12").color = (1, 2, 3)
    activities.range("B5").add_note("моя заметка")
    activities.range("B6").add_hyperlink("https://example.org", "сайт")
    activities.range("B7").number_format = "0.000"
    api.Protect(DrawingObjects=False, Contents=True, Scenarios=False, AllowFormattingRows=True)
    xl.check(book)
    assert activities.range("E12").color == Severity.ERROR.rgb
    activities.range("E12").value = "ОМС"  # fixed
    xl.check(book)
    xl.check(book)
    assert activities.range("E12").color == (1, 2, 3) and activities.range("E12").note is None
    assert activities.range("B5").note.text == "моя заметка"
    assert activities.links[(6, 2)] == "https://example.org"
    assert activities.range("B7").number_format == "0.000"


def test_links_on_the_sheets_have_a_russian_screen_tip(new_book):
    book = FakeBook.from_file(new_book)
    xl.recalc(book)
    tips = {**book.sheets["Проверки"].screen_tips, **book.sheets["Оценка"].screen_tips}
    assert tips and all(tip.startswith("Перейти к ячейке ") for tip in tips.values())


def test_error_cells_fire_r008_from_the_button(tmp_path):
    """Real xlwings reads #Н/Д and #ДЕЛ/0! as None (empty) unless err_to_str is asked for:
    the button never reported R008."""
    book_path = tmp_path / "kaluga-2016.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "kaluga-2016.xlsx")
    ws = wb["Показатели"]
    headers = {c.value: c.column_letter for c in ws[3] if c.value}
    fact = f"{headers['Факт 2016']}4"
    ws[fact] = "#DIV/0!"  # an error cell (t="e"), as Excel saves #ДЕЛ/0!
    wb.save(book_path)
    book = FakeBook.from_file(book_path)
    spill = (5, openpyxl.utils.column_index_from_string(headers["Факт 2016"]))
    book.sheets["Показатели"].values[spill] = ExcelError("#SPILL!")  # COM's bare int
    xl.check(book)
    rows = book.sheets["Проверки"].range((4, 1), (60, 4)).options(ndim=2).value
    r008 = {row[3] for row in rows if row[1] == "R008" and row[2] == "Показатели"}
    assert r008 == {fact, f"{headers['Факт 2016']}5"}, rows
    assert book.sheets["Показатели"].range(fact).color == Severity.ERROR.rgb
