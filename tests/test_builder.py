from __future__ import annotations

from pathlib import Path

import openpyxl

from sheetprog import spec
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.io.styles import INPUT_FILL
from sheetprog.model import Status
from tests.conftest import ROOT
from tests.workbook_compare import snapshot


def headers(ws, row=spec.HEADER_ROW):
    return {c.value: c.column_letter for c in ws[row] if c.value}


def test_sheets_lists_and_version(built: Path):
    wb = openpyxl.load_workbook(built)
    assert wb.sheetnames == list(spec.SHEET_ORDER)
    assert wb[spec.SHEET_LISTS].sheet_state == "hidden"
    assert wb.defined_names[spec.VERSION_NAME].attr_text == f'"{spec.TEMPLATE_VERSION}"'
    status = wb.defined_names["lst_status"].attr_text
    assert status == "'Справочники'!$B$4:$B$9"
    assert [c.value for c in wb["Справочники"]["B"][3:9]] == [s.value for s in Status]


def test_dropdowns_prompts_and_protection(built: Path):
    wb = openpyxl.load_workbook(built)
    ws = wb["Мероприятия"]
    col = headers(ws)["Статус"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    status = next(dv for dv in lists if dv.formula1 == "=lst_status")
    assert str(status.sqref).startswith(f"{col}4:")
    assert status.showInputMessage and status.prompt
    assert ws.protection.sheet and ws.protection.password is None
    assert ws["A3"].protection.locked  # header
    assert not ws["A4"].protection.locked  # input
    assert ws["A4"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
    assert ws["A4"].number_format == "@"  # "1.1" stays text
    assert ws.freeze_panes == "D4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    passport = wb["Паспорт"]
    span_row = next(r for r in range(4, 40) if passport.cell(r, 1).value == "Отчётный период")
    assert any(
        dv.formula1 == "=lst_span" and f"B{span_row}" in str(dv.sqref)
        for dv in passport.data_validations.dataValidation
    )


def test_funding_live_totals(built: Path):
    wb = openpyxl.load_workbook(built)
    ws = wb["Финансирование"]
    h = headers(ws)
    total_col = h["Всего по плану"]
    assert ws[f"{total_col}4"].value == f"=SUM({h['План 2021']}4:{h['План 2022']}4)"
    assert ws[f"{total_col}4"].protection.locked
    last = 4 + 2 + 10 - 1  # two lines + spare rows
    total_row = last + 1
    assert ws[f"{h['Наименование мероприятия']}{total_row}"].value == "Итого по программе"
    flags = f"${h['В итогах']}$4:${h['В итогах']}${last}"  # a subtotal row counts once
    assert (
        ws[f"{h['План 2021']}{total_row}"].value
        == f"=SUMIF({flags},1,{h['План 2021']}4:{h['План 2021']}{last})"
    )
    regional = ws[f"{h['План 2021']}{total_row + 2}"].value
    assert regional.count("SUMIFS(") == 3 and '"краевой бюджет"' in regional
    assert ws[f"{h['В итогах']}4"].value.startswith("=IF(SUMPRODUCT(")


def test_blank_template_has_no_data_rows_but_input_area(tmp_path: Path):
    path = tmp_path / "blank.xlsx"
    from sheetprog.model import Program

    save_workbook(build_workbook(Program(), years=[2025, 2026]), path)
    ws = openpyxl.load_workbook(path)["Показатели"]
    assert ws["E33"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb  # 30 input rows
    assert all(ws.cell(r, 5).value is None for r in range(4, 34))


def test_committed_workbooks_match_the_builder(tmp_path: Path):
    """examples/*.xlsx and workbooks/*.xlsx are what scripts/regenerate.py produces."""
    import importlib.util

    spec_ = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regenerate.py")
    regen = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(regen)
    from sheetprog.api import new_workbook

    for definition in sorted((ROOT / "examples").glob("*.yaml")):
        fresh = tmp_path / definition.with_suffix(".xlsx").name
        new_workbook(fresh, definition=definition)
        assert snapshot(fresh) == snapshot(definition.with_suffix(".xlsx")), definition.name
    for name, years in regen.BLANK_TEMPLATES.items():
        fresh = tmp_path / Path(name).name
        new_workbook(fresh, years=years)
        assert snapshot(fresh) == snapshot(ROOT / name), name


def test_docs_workbook_format_is_generated_from_spec():
    from sheetprog.spec_doc import render

    committed = (ROOT / "docs" / "workbook-format.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python scripts/regenerate.py"
    for table in spec.TABLES:
        for col in table.columns:
            assert f"«{col.header}»" in committed
    for fld in spec.PASSPORT_FIELDS:
        assert f"«{fld.label}»" in committed


def test_read_sheets_include_the_reserve_tables():
    from sheetprog.reserve.layout import TABLES

    assert {t.name for t in TABLES} <= set(spec.READ_SHEETS)
