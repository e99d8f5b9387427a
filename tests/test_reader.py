"""The reader finds data by header text and survives what clerks do to a workbook."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetprog import read_workbook
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.io.fast_grid import _scan_formulas, _xml_unescape
from sheetprog.periods import Period, Span
from sheetprog.targets import TargetOp
from sheetprog.timing import TimingKind
from tests.conftest import EXAMPLES


@pytest.fixture(params=["calamine", "openpyxl"])
def read(request):
    """Both reading engines must give the same results."""
    return lambda path: read_workbook(path, engine=request.param)


def edit(path: Path, func) -> Path:
    wb = openpyxl.load_workbook(path)
    func(wb)
    wb.save(path)
    return path


def find(ws, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(text)


def test_values_keep_their_cells(built: Path, read):
    program = read(built)
    indicator = program.indicators[0]
    assert indicator.cells["name"] == "Показатели!E4"
    assert indicator.cells["plan.2021"] == "Показатели!J4"
    assert indicator.cells["fact.2021-Q1"] == "Показатели!K4"
    assert indicator.fact(Period(2021)) == 69
    assert program.passport.cells["municipality"] == "Паспорт!B4"
    assert program.funding[0].cells["cash.2021"].startswith("Финансирование!")


def test_header_variants_reordered_and_inserted_columns(built: Path, read):
    def mangle(wb):
        ws = wb["Показатели"]
        r, c = find(ws, "Наименование показателя")
        ws.cell(r, c).value = "  НАИМЕНОВАНИЕ\u00a0показателя "
        r, c = find(ws, "План 2021")
        ws.cell(r, c).value = "план 2021 г."
        ws.insert_cols(1, 2)  # two foreign columns at the front
        ws.cell(r, 1).value = "Заметки"
        ws.cell(4, 1).value = "моя пометка"
        # swap "Ед. изм." and "Направление" (header and data)
        ru, cu = find(ws, "Ед. изм.")
        _, cd = find(ws, "Направление")
        for row in range(ru, ru + 3):
            a, b = ws.cell(row, cu), ws.cell(row, cd)
            a.value, b.value = b.value, a.value
        ws.title = "показатели "  # trailing space, lower case

    program = read(edit(built, mangle))
    indicator = program.indicators[0]
    assert indicator.name == "Доля служащих, прошедших обучение"
    assert indicator.unit == "%"
    assert indicator.plan[2021].value == 68
    assert indicator.cells["name"] == "показатели !G4"
    unknown = [p for p in program.problems if p.code == "R006"]
    assert [(p.sheet, p.cell, p.value) for p in unknown] == [("показатели ", "A3", "Заметки")]


def test_inserted_and_hidden_rows_merged_cells_and_typed_totals(built: Path, read):
    def mangle(wb):
        ws = wb["Мероприятия"]
        ws.insert_rows(4, 2)  # blank rows above the data
        ws.row_dimensions[6].hidden = True  # the first activity is hidden
        ws.merge_cells("A1:F1")
        _, c = find(ws, "Проблемы")
        ws.merge_cells(start_row=6, start_column=c, end_row=6, end_column=c + 1)
        ws.cell(6, c).value = "Объединённая ячейка"
        ws.cell(20, 3).value = "Итого мероприятий"
        ws.cell(20, 1).value = "Итого"

    program = read(edit(built, mangle))
    numbers = [a.number for a in program.activities]
    assert numbers == ["1", "1.1"]
    first = program.activities[0]
    assert first.row == 6 and first.cells["name"] == "Мероприятия!C6"
    assert first.problems == "Объединённая ячейка"
    totals = [t for t in program.totals if t.sheet == "Мероприятия"]
    assert [(t.row, t.label) for t in totals] == [(20, "Итого")]


def test_russian_number_text_percent_and_text_dates(built: Path, read):
    def mangle(wb):
        ws = wb["Показатели"]
        _, plan = find(ws, "План 2021")
        _, fact = find(ws, "Факт 2021")
        _, base = find(ws, "Базовое значение")
        ws.cell(4, plan).value = "36,6"
        ws.cell(4, fact).value = "100 %"
        ws.cell(4, base).value = "1\u00a0234,5"
        wa = wb["Мероприятия"]
        _, start = find(wa, "Фактический срок начала")
        wa.cell(4, start).value = "15.01.2021"
        wf = wb["Финансирование"]
        _, cash = find(wf, "Факт 2021")
        wf.cell(4, cash).value = "=50+49,5"  # simple arithmetic typed by a clerk

    program = read(edit(built, mangle))
    indicator = program.indicators[0]
    assert indicator.plan[2021].op is TargetOp.EQ and indicator.plan[2021].value == Decimal("36.6")
    assert indicator.fact(Period(2021)) == 100
    assert indicator.base == Decimal("1234.5")
    start = program.activities[0].actual_start
    assert start is not None and start.kind is TimingKind.DATE and start.start.day == 15
    assert program.funding[0].actual(2021) == Decimal("99.5")


def test_bad_cells_become_located_problems(built: Path, read):
    def mangle(wb):
        ws = wb["Показатели"]
        _, plan = find(ws, "План 2022")
        _, fact = find(ws, "Факт 2021 I кв.")
        _, direction = find(ws, "Направление")
        ws.cell(4, plan).value = "около 10"
        ws.cell(4, fact).value = "#ДЕЛ/0!"
        ws.cell(4, direction).value = "вверх"
        wf = wb["Финансирование"]
        _, cash = find(wf, "Факт 2021")
        wf.cell(4, cash).value = "=VLOOKUP(A1,B:C,2)"

    program = read(edit(built, mangle))
    found = {(p.code, p.sheet, p.cell) for p in program.problems}
    assert ("R002", "Показатели", "O4") in found  # plan 2022 not a target
    assert ("R008", "Показатели", "K4") in found  # error value
    assert ("R004", "Показатели", "G4") in found  # direction not in the list
    # a real formula in an input cell («Факт 2021»: column M since «В итогах» came before it)
    assert ("R007", "Финансирование", "M4") in found
    indicator = program.indicators[0]
    assert 2022 not in indicator.plan and Period(2021, Span.Q1) not in indicator.facts


def test_passport_fields_found_by_label_anywhere(built: Path, read):
    def mangle(wb):
        ws = wb["Паспорт"]
        ws.insert_rows(5)
        ws.move_range("A4:C4", rows=20)  # municipality moved to the end

    program = read(edit(built, mangle))
    assert program.passport.municipality == "Тестовый городской округ"
    assert program.passport.cells["municipality"] == "Паспорт!B24"


def test_xlsm_reads_like_xlsx(built: Path, tmp_path: Path, read):
    xlsm = tmp_path / "program.xlsm"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(item, data)
    assert read(xlsm).indicators == read(built).indicators


def test_missing_version_marker_is_reported_not_fatal(built: Path, read):
    def mangle(wb):
        del wb.defined_names["sheetprog_template_version"]
        wb["Справочники"]["B1"] = "0.9"

    program = read(edit(built, mangle))
    problems = [(p.code, p.cell, p.value) for p in program.problems]
    assert problems == [("R010", "B1", "0.9")]


def test_yes_no_facts(built: Path, read):
    def mangle(wb):
        ws = wb["Показатели"]
        _, plan = find(ws, "План 2021")
        _, fact = find(ws, "Факт 2021")
        ws.cell(4, plan).value = "да"
        ws.cell(4, fact).value = "Да"

    indicator = read(edit(built, mangle)).indicators[0]
    assert indicator.plan[2021].op is TargetOp.YES
    assert indicator.fact(Period(2021)) == 1


def test_text_starting_with_equals_is_text_not_a_formula(built: Path, read, tmp_path):
    from sheetprog.api import load_definition

    program = load_definition(EXAMPLES / "kaluga-2016.yaml")
    program.activities[0].name = "=это текст, а не формула"
    path = tmp_path / "eq.xlsx"
    save_workbook(build_workbook(program), path)
    cell = openpyxl.load_workbook(path)["Мероприятия"]["C4"]
    assert cell.data_type == "s"
    back = read(path)
    assert back.activities[0].name == "=это текст, а не формула" and back.problems == []


@given(st.lists(st.sampled_from([*"A1(\"'<>&;#x0 ", "&amp;", "&lt;", "&#10;"])).map("".join))
def test_fast_formula_unescape_inverts_xml_escaping(text):
    escaped = escape(text, {'"': "&quot;", "'": "&apos;"})
    assert _xml_unescape(escaped) == text
    assert _xml_unescape("A&#10;B&amp;&#x41;") == "A\nB&A"


def test_formula_scan_finds_formulas_with_and_without_namespace_prefix():
    xml = (
        b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="2">'
        b'<x:c r="B2" s="1"><x:f>SUM(A1:A3)&lt;&gt;0</x:f><x:v>1</x:v></x:c>'
        b'<x:c r="C2"><x:f t="shared" si="0"/></x:c><x:c r="D2" s="3"/>'
        b'<c r="AB7" t="str">\n <f ca="1">IF(A1="\xd0\x94",1,2)</f><v>1</v></c>'
        b'<c r="E2" t="s"><v>4</v></c></x:row></x:sheetData>'
        b'<x:autoFilter ref="A1:B2"><x:filterColumn colId="0"/></x:autoFilter></x:worksheet>'
    )
    assert _scan_formulas(xml) == {
        (2, 2): "=SUM(A1:A3)<>0",
        (2, 3): "=",
        (7, 28): '=IF(A1="Д",1,2)',
    }
