"""Provisional assessments (issue 18): a fact «ожидается ДД.ММ.ГГГГ», refined later."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from sheetprog import spec
from sheetprog.api import check_workbook, read_workbook
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import Indicator, Program
from sheetprog.periods import Period
from sheetprog.targets import parse_target
from tests.conftest import small_program

Y = Period(2021)
WHEN = dt.date(2022, 3, 15)


def _expecting() -> Program:
    """The small program with a second indicator whose 2021 fact the krai reports later."""
    program = small_program()
    program.indicators.append(
        Indicator(
            name="Удовлетворённость населения деятельностью органов местного самоуправления",
            number="2",
            unit="%",
            direction=program.indicators[0].direction,
            plan={2021: parse_target(50), 2022: parse_target(50)},
            expected={Y: WHEN},
        )
    )
    return program


def _save(program: Program, path: Path) -> Path:
    save_workbook(build_workbook(program), path)
    return path


def _fact_cell(path: Path, number: str = "2") -> str:
    program = read_workbook(path)
    ind = next(i for i in program.indicators if i.number == number)
    return ind.cells["fact.2021"].split("!")[1]


def test_the_expected_fact_is_written_and_read_back(tmp_path: Path):
    path = _save(_expecting(), tmp_path / "book.xlsx")
    cell = _fact_cell(path)
    assert openpyxl.load_workbook(path)[spec.SHEET_INDICATORS][cell].value == (
        "ожидается 15.03.2022"
    )
    program = read_workbook(path)
    assert program == _expecting() and program.problems == []
    assert program.indicators[1].expected == {Y: WHEN}


def test_how_a_clerk_may_type_it(tmp_path: Path):
    path = _save(_expecting(), tmp_path / "book.xlsx")
    cell = _fact_cell(path)
    for typed, expected in (
        ("Ожидается до 15.03.2022 г.", WHEN),
        ("ожидается  после 1.04.2022", dt.date(2022, 4, 1)),
        ("ожидается", None),
    ):
        wb = openpyxl.load_workbook(path)
        wb[spec.SHEET_INDICATORS][cell] = typed
        wb.save(path)
        assert read_workbook(path).indicators[1].expected == {Y: expected}, typed
    found = [(f.code, f.cell) for f in check_workbook(path)[1].findings if f.code == "H17"]
    assert found == [("H17", cell)]
    wb = openpyxl.load_workbook(path)
    wb[spec.SHEET_INDICATORS][cell] = "ожидается весной"
    wb.save(path)
    (problem,) = read_workbook(path).problems
    assert problem.code == "R001" and "ожидается 15.03.2022" in problem.message


def test_the_assessment_is_provisional(cli, tmp_path: Path):
    path = _save(_expecting(), tmp_path / "book.xlsx")
    findings = check_workbook(path)[1].findings
    h16 = [(f.code, f.severity.name, f.cell) for f in findings if f.code in ("H16", "I04")]
    assert h16 == [("H16", "INFO", _fact_cell(path))]  # not «нет факта» (I04)
    text = cli("calc", path)
    assert text.exit_code == 0, text.output
    assert "Оценка предварительная: будет уточнена после 15.03.2022" in text.stdout
    assert "факт за 2021 год ожидается 15.03.2022" in text.stdout
    data = json.loads(cli("calc", path, "--json").stdout)
    assert data["status"] == "предварительная" and data["refine_after"] == "2022-03-15"
    assert data["expected"] == {"2": "2022-03-15"}
    out = tmp_path / "calc.xlsx"
    assert cli("calc", path, "-o", out).exit_code == 0
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)[spec.SHEET_ASSESSMENT].rows]
    status = next(r for r in rows if r[0] == "Статус оценки")
    assert status[1] == "предварительная" and "уточнена после 15.03.2022" in status[2]


def test_a_later_run_with_the_fact_is_refined(cli, tmp_path: Path):
    early = _save(_expecting(), tmp_path / "early.xlsx")
    later_program = _expecting()
    later_program.indicators[1].expected = {}
    later_program.indicators[1].facts[Y] = Decimal(20)  # far below the plan
    later = _save(later_program, tmp_path / "later.xlsx")
    plain = json.loads(cli("calc", later, "--json").stdout)
    assert plain["status"] == "окончательная" and plain["refined_from"] is None
    refined = json.loads(cli("calc", later, "--json", "--previous", early).stdout)
    assert refined["status"] == "уточнённая"
    before = json.loads(cli("calc", early, "--json").stdout)["rating"]
    assert refined["refined_from"] == before
    assert refined["rating"]["value"] < before["value"]
    text = cli("calc", later, "--previous", early).stdout
    assert "Оценка уточнённая: предварительная оценка была" in text
    # a previous assessment that was final refines nothing
    again = json.loads(cli("calc", later, "--json", "--previous", later).stdout)
    assert again["status"] == "окончательная"


def test_reports_say_when_it_will_be_refined():
    from sheetprog.assess.engine import assess
    from sheetprog.assess.methodology import preset
    from sheetprog.reports.context import build_context

    program, method = _expecting(), preset("average")
    context = build_context("annual", program, assess(program, Y, method), method)
    assert context["assessment_status"]["status"] == "предварительная"
    assert "будет уточнена после 15.03.2022" in context["assessment_status"]["text"]
    program.indicators[1].expected = {}
    program.indicators[1].facts[Y] = Decimal(50)
    final = build_context("annual", program, assess(program, Y, method), method)
    assert final["assessment_status"]["text"] == ""


# -- the batch ---------------------------------------------------------------------------------


def test_the_batch_note_lists_programs_whose_rating_changed_when_refined(tmp_path: Path):
    import copy

    from sheetprog.api import load_definition
    from sheetprog.batch.run import run_batch
    from tests.conftest import EXAMPLES, docx_content

    base = load_definition(EXAMPLES / "kaluga-2016.yaml")
    inbox, out = tmp_path / "входящие", tmp_path / "результаты"
    inbox.mkdir()
    early = copy.deepcopy(base)
    early.indicators[0].facts.pop(Period(2016))
    early.indicators[0].expected = {Period(2016): dt.date(2017, 3, 15)}
    save_workbook(build_workbook(early), inbox / "kaluga.xlsx")
    first = run_batch(inbox, out, jobs=1)
    (s,) = first.submissions
    assert s.provisional == "2017-03-15" and s.state == "принят"
    assert first.refined == []
    later = copy.deepcopy(base)
    later.indicators[0].facts[Period(2016)] = Decimal(5)  # far below the plan
    save_workbook(build_workbook(later), inbox / "kaluga-v2.xlsx")
    second = run_batch(inbox, out, jobs=1)
    (refined,) = second.refined
    assert refined["accepted"] == "kaluga.xlsx" and refined["file"] == "kaluga-v2.xlsx"
    assert refined["changed"] and refined["value"] < refined["before_value"]
    note = docx_content(out / "Сводная аналитическая записка.docx")
    blocks = [b for b in note["blocks"] if isinstance(b, str)]
    assert "Уточнённые оценки" in blocks
    table = next(t for t in note["blocks"] if isinstance(t, list) and t[0][2:4] == [
        "Предварительная оценка", "Уточнённая оценка"])  # fmt: skip
    assert "Город Калуга" in table[1][0] and table[1][4] == "kaluga-v2.xlsx"
    # a third run with the same inbox: the provisional edition is still the accepted one
    third = run_batch(inbox, out, jobs=1)
    assert len(third.refined) == 1
