"""The streamed table writer behind the batch's consolidated workbook."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree as SafeET

from sheetprog.io.libreoffice import convert, find_soffice
from sheetprog.io.xlsx_tables import MAX_TEXT, TableWorkbook

ROWS = [
    ["Район «Южный»", 60601000, 1.061, True, dt.date(2026, 10, 15), None, Decimal("12.50")],
    ['=HYPERLINK("http://evil.example","нажми")', -3, 0.0, False, None, "+7 Город", "@x"],
    ["-", "a < b & c > d \"q\" 'a'", "строка 1\nстрока 2", "bad\x01\x0bchars", "", 2.5e-7, 0],
]


def build(path: Path) -> Path:
    wb = TableWorkbook()
    first = wb.add_sheet("Сводка", ["Муниципальное образование", "ОКТМО", "Оценка", "Да/нет",
                                    "Срок", "Пусто", "Сумма"])  # fmt: skip
    for row in ROWS:
        first.append(row)
    wb.add_sheet("Кавычка 'в' имени", ["Только заголовок"])
    long = wb.add_sheet("Длинный", ["Текст"])
    long.append(["я" * (MAX_TEXT + 10)])
    wb.save(path)
    return path


def test_values_types_and_text_that_looks_like_a_formula(tmp_path):
    path = build(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Сводка", "Кавычка 'в' имени", "Длинный"]
    ws = wb["Сводка"]
    assert [c.value for c in ws[1]][:2] == ["Муниципальное образование", "ОКТМО"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G4"
    assert [c.value for c in ws[2]] == [
        "Район «Южный»", 60601000, 1.061, True, dt.datetime(2026, 10, 15), None, 12.5,
    ]  # fmt: skip
    assert ws["E2"].is_date
    formula = ws["A3"]
    assert formula.value == '=HYPERLINK("http://evil.example","нажми")'
    assert formula.data_type == "s" and formula.quotePrefix
    assert ws["F3"].value == "+7 Город" and ws["F3"].quotePrefix and ws["G3"].quotePrefix
    assert not ws["A2"].quotePrefix
    assert [c.value for c in ws[4]] == [
        "-", "a < b & c > d \"q\" 'a'", "строка 1\nстрока 2", "badchars", None, 2.5e-7, 0,
    ]  # fmt: skip
    assert wb["Кавычка 'в' имени"].max_row == 1
    assert len(wb["Длинный"]["A2"].value) == MAX_TEXT
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width


def test_every_part_is_well_formed_and_calamine_reads_it(tmp_path):
    import python_calamine

    path = build(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            SafeET.fromstring(zf.read(name))
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Сводка").to_python()
    assert rows[2][0] == '=HYPERLINK("http://evil.example","нажми")'
    assert rows[1][1] == 60601000


@pytest.mark.libreoffice
def test_libreoffice_opens_it(tmp_path):
    if find_soffice() is None:
        if os.environ.get("CI"):
            raise RuntimeError("LibreOffice must be installed in CI (.ci/run installs it)")
        pytest.skip("LibreOffice is not installed")
    converted = convert(build(tmp_path / "t.xlsx"), "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(converted)["Сводка"]
    assert ws["A2"].value == "Район «Южный»" and ws["C2"].value == pytest.approx(1.061)
    assert ws["A3"].value == '=HYPERLINK("http://evil.example","нажми")'
    assert ws["A3"].data_type == "s"  # still text after LibreOffice saved it


def test_nothing_is_left_behind_when_discarded(tmp_path):
    wb = TableWorkbook()
    sheet = wb.add_sheet("A", ["x"])
    sheet.append([1])
    wb.discard()
    assert sheet._body.closed
