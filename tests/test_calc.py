"""sheetprog calc: JSON equals the library result; write-back changes only the Оценка sheet."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetprog.api import calculate
from sheetprog.assess.view import assessment_dict
from sheetprog.io.sheet_writer import workbook_parts
from tests.conftest import EXAMPLES, sha256

PARTIZANSK = EXAMPLES / "partizansk-2021.xlsx"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def assessment_part(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return workbook_parts(zf)["Оценка"]


def test_calc_json_equals_the_library_result(cli):
    result = cli("calc", PARTIZANSK, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _program, assessment = calculate(PARTIZANSK)
    assert data == json.loads(json.dumps(assessment_dict(assessment), ensure_ascii=False))
    assert set(data) >= {
        "file",
        "period",
        "method",
        "indicators",
        "activities",
        "funding",
        "scores",
        "rating",
    }
    assert data["period"] == "2021" and data["method"] == "average"
    assert set(data["scores"]) == {"C", "U", "M", "E"}
    first = data["indicators"][1]
    assert set(first) >= {
        "code",
        "name",
        "plan",
        "fact",
        "ci",
        "achieved",
        "excluded",
        "reason",
        "cells",
    }
    assert (first["plan"], first["fact"]) == (68, 69)
    assert isinstance(data["rating"]["value"], float) and data["rating"]["label"] == "высокая"


def test_calc_terminal_table_and_config_next_to_workbook(cli, example_copy):
    book = example_copy("partizansk-2021.xlsx")
    (book.parent / "sheetprog.toml").write_text("[methodology]\nci_digits = 2\n", "utf-8")
    result = cli("calc", book)
    assert result.exit_code == 0
    out = result.stdout
    assert "П1.1" in out and "101,0\u00a0%" in out
    assert "C             100,3\u00a0%" in out and "Оценка: 100,3\u00a0% — высокая" in out


def test_calc_period_and_usage_errors(cli, example_copy):
    book = example_copy("kaluga-2016.xlsx")
    quarterly = cli("calc", book, "--period", "2016-Q2", "--json")
    assert quarterly.exit_code == 0
    data = json.loads(quarterly.stdout)
    assert data["period"] == "2016-Q2" and data["rating"]["value"] is None
    bad = cli("calc", book, "--period", "2016-Q7")
    assert bad.exit_code == 2 and "период" in bad.stderr
    both = cli("calc", book, "-o", book.parent / "x.xlsx", "--in-place")
    assert both.exit_code == 2
    unknown = cli("calc", book, "--method", "секретная")  # a usage error, with the methods
    assert unknown.exit_code == 2 and "не найдена" in unknown.stderr
    assert "average" in unknown.stderr and "federal" in unknown.stderr


def test_calc_never_writes_without_an_output_option(cli, example_copy):
    book = example_copy("partizansk-2021.xlsx")
    before = sha256(book)
    assert cli("calc", book).exit_code == 0
    assert sha256(book) == before
    assert list(book.parent.iterdir()) == [book]


def test_annotated_copy_changes_only_the_assessment_sheet(cli, example_copy):
    book = example_copy("partizansk-2021.xlsx")
    before = parts(book)
    out = book.parent / "annotated.xlsx"
    result = cli("calc", book, "-o", out)
    assert result.exit_code == 0 and "Оценка" in result.stdout
    assert parts(book) == before  # the input is untouched
    after = parts(out)
    owned = assessment_part(out)
    assert set(after) == set(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {owned}
    ws = openpyxl.load_workbook(out)["Оценка"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    c_row = rows["C — Степень достижения целей (C)"]
    assert ws.cell(c_row, 2).value == pytest.approx(1.0049, abs=1e-4)
    assert "Σ Ci / n" in ws.cell(c_row, 3).value
    link = ws.cell(c_row, 5)
    assert link.hyperlink.location == "'Показатели'!T5" and link.value == "Показатели!T5"
    # a second run rewrites the sheet, it does not append
    again = book.parent / "again.xlsx"
    assert cli("calc", out, "-o", again).exit_code == 0
    assert openpyxl.load_workbook(again)["Оценка"].max_row == ws.max_row


def make_xlsm(source: Path, target: Path) -> bytes:
    """An .xlsm with a VBA project part, as Excel stores one."""
    vba = b"\xd0\xcf\x11\xe0VBA project bytes \x00\x01\x02" * 50
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType='
                    b'"application/vnd.ms-office.vbaProject"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type='
                    b'"http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba)
    return vba


def test_in_place_on_xlsm_keeps_the_vba_project(cli, tmp_path: Path):
    book = tmp_path / "Программа развития 2025-2030.xlsm"
    vba = make_xlsm(PARTIZANSK, book)
    before = parts(book)
    result = cli("calc", book, "--in-place")
    assert result.exit_code == 0, result.output
    after = parts(book)
    assert after["xl/vbaProject.bin"] == vba
    assert {n for n in before if before[n] != after[n]} == {assessment_part(book)}
    assert openpyxl.load_workbook(book, keep_vba=True)["Оценка"]["A1"].value.startswith("Оценка")


def test_refuses_a_workbook_without_the_assessment_sheet(cli, example_copy):
    book = example_copy("kaluga-2016.xlsx")
    wb = openpyxl.load_workbook(book)
    del wb["Оценка"]
    wb.save(book)
    before = sha256(book)
    result = cli("calc", book, "--in-place")
    assert result.exit_code == 2 and "нет листа «Оценка»" in result.stderr
    assert sha256(book) == before


def test_existing_output_needs_replace(cli, example_copy):
    book = example_copy("kaluga-2016.xlsx")
    out = book.parent / "out.xlsx"
    out.write_bytes(b"keep")
    result = cli("calc", book, "-o", out)
    assert result.exit_code == 2 and "--replace" in result.stderr
    assert out.read_bytes() == b"keep"
    assert cli("calc", book, "-o", out, "--replace").exit_code == 0
