"""Programs in the project structure (issue 17): the workbook, its checks C01–C19, the
evaluation presets on a hand-computed example, and the commands around them."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from sheetprog import read_workbook
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.checks.run import run_checks
from sheetprog.errors import ConfigError, UsageError
from sheetprog.model import Direction, Program, Source
from sheetprog.periods import Period, Span
from sheetprog.project.assess import PRESETS, assess_project, method_from_table, project_method
from sheetprog.project.model import ControlPoint, ProjectProgram
from tests.conftest import EXAMPLES

BOOK = EXAMPLES / "project-plodovskoe-2025.xlsx"
YEAR = Period(2025, Span.YEAR)


@pytest.fixture(scope="module")
def example() -> ProjectProgram:
    model = read_workbook(BOOK)
    assert isinstance(model, ProjectProgram)
    return model


@pytest.fixture
def book(example: ProjectProgram) -> ProjectProgram:
    return copy.deepcopy(example)


def findings(model: ProjectProgram, code: str) -> list:
    return [f for f in run_checks(model).findings if f.code == code]


# -- the workbook ---------------------------------------------------------------------------


def test_new_project_structure_workbook_and_the_default_stays(cli, tmp_path: Path):
    result = cli("new", tmp_path / "p.xlsx", "--structure", "project", "--years", "2025-2030")
    assert result.exit_code == 0, result.output
    assert "структура проектов" in result.output
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert (wb.sheetnames[2:6]) == [
        "Структурные элементы",
        "Показатели",
        "Результаты",
        "Контрольные точки",
    ]
    funding = wb["Финансовое обеспечение"]
    headers = [c.value for c in funding[3]]
    assert {"КЦСР", "Роспись на 1 января 2025", "Роспись на отчётную дату 2030"} <= set(headers)
    assert "Касса 2027 9 мес." in headers
    total = next(r for r in funding.iter_rows() if r[1].value == "Итого по программе")
    assert str(total[4].value).startswith("=SUM(E4:E")  # a live formula, locked
    assert funding.protection.sheet and total[4].protection.locked
    elements = wb["Структурные элементы"]
    lists = [dv.formula1 for dv in elements.data_validations.dataValidation]
    assert "=lst_element_type" in lists
    assert isinstance(read_workbook(tmp_path / "p.xlsx"), ProjectProgram)
    # without --structure: the old structure, as before
    assert cli("new", tmp_path / "old.xlsx", "--years", "2025-2030").exit_code == 0
    assert isinstance(read_workbook(tmp_path / "old.xlsx"), Program)
    clash = cli("new", tmp_path / "x.xlsx", "--structure", "project", "--kind", "reserve")
    assert clash.exit_code == 2 and "противоречат" in clash.output


def test_example_reads_every_part_with_its_cell(example: ProjectProgram):
    p = example.passport
    assert p.program_code == "01" and p.funding_total[2025] == Decimal("530.0")
    assert p.cells["funding_total.2025"].startswith("Паспорт!B")
    assert [e.code for e in example.elements] == ["1 01", "4 01", "4 02"]
    ind = example.indicators[1]
    assert ind.direction is Direction.UP and ind.plan[2025] == 4 and ind.forecast[2025] == 4
    assert ind.facts[Period(2025, Span.M9)] == 2
    assert example.results[0].indicators == ["П1", "П2"]
    assert example.points[1].actual == dt.date(2025, 12, 10)
    assert example.funding[0].source is Source.REGIONAL
    assert example.funding[2].cash[Period(2025, Span.H1)] == 50
    assert example.funding_totals and example.funding_totals[0].label == "Итого по программе"
    assert run_checks(example).findings == []  # the example is consistent


# -- checks: each rule triggered at its cell ------------------------------------------------


def test_catalogue_has_c01_to_c19_for_the_project_kind():
    codes = [f"C{i:02}" for i in range(1, 20)]
    assert all(CATALOGUE[c].kind == "project" for c in codes)
    assert all(CATALOGUE[c].group == "Структура проектов" for c in codes)


def test_c01_result_without_control_points(book):
    book.points = [p for p in book.points if p.result != "1.2"]
    (f,) = findings(book, "C01")
    assert f.sheet == "Результаты" and f.cell == "A5" and "1.2" in f.message


def test_c02_overdue_point_without_actual_date_or_reason(book):
    point = book.points[2]
    point.actual = None
    (f,) = findings(book, "C02")
    assert (f.sheet, f.cell) == ("Контрольные точки", "E6")
    point.explanation = "Комиссия не собрана"
    assert findings(book, "C02") == []
    point.explanation, point.planned = None, dt.date(2026, 1, 15)  # not due on 31.12.2025
    assert findings(book, "C02") == []


def test_c03_late_point_without_reason(book):
    book.points[1].explanation = None
    (f,) = findings(book, "C03")
    assert f.cell == "H5" and "10.12.2025" in f.message


def test_c04_result_not_linked_to_an_element(book):
    book.results[2].element = None
    book.results[3].element = "9 99"
    found = findings(book, "C04")
    assert [(f.sheet, f.cell) for f in found] == [("Результаты", "B6"), ("Результаты", "B7")]


def test_c05_indicator_not_linked_to_an_element(book):
    book.indicators[1].element = None  # a КПМ-level indicator without its element
    book.indicators[2].element = "7 77"
    found = findings(book, "C05")
    assert [f.cell for f in found] == ["C5", "C6"]
    book.indicators[0].element = None  # the program's own indicator: fine without one
    assert len(findings(book, "C05")) == 2


def test_c06_point_of_an_unknown_result(book):
    book.points[0].result = "5.5"
    (f,) = findings(book, "C06")
    assert f.cell == "B4" and f.value == "5.5"


def test_c07_funding_of_an_unknown_element(book):
    book.funding[3].element = "4 03"
    (f,) = findings(book, "C07")
    assert (f.sheet, f.cell) == ("Финансовое обеспечение", "A7")


def test_c08_element_totals_versus_the_passport(book):
    book.passport.funding_total[2026] = Decimal("200.0")  # rows: 125 + 60 = 185
    (f,) = findings(book, "C08")
    assert f.sheet == "Паспорт" and "185,00" in f.message and "200,00" in f.message


def test_c09_kcsr_format_and_program_prefix(book):
    book.funding[2].kcsr = "01401000"  # 8 characters
    book.funding[3].kcsr = "0240200020"  # another program's code
    book.funding[0].kcsr = None
    found = findings(book, "C09")
    assert [f.cell for f in found] == ["C4", "C6", "C7"]
    assert "не указан" in found[0].message and "кода программы 01" in found[2].message


def test_c10_kcsr_uniqueness(book):
    book.funding[3].kcsr = "0140100010"  # 4 01's article on 4 02's row
    book.funding[1].source = Source.REGIONAL  # 1 01: the same article and source twice
    found = findings(book, "C10")
    assert sorted(f.cell for f in found) == ["C5", "C7"]


def test_c11_kcsr_does_not_match_the_element(book):
    book.funding[3].kcsr = "0140300020"
    (f,) = findings(book, "C11")
    assert f.cell == "C7"


def test_c12_project_indicator_without_a_result(book):
    book.results[3].indicators = []
    (f,) = findings(book, "C12")
    assert f.sheet == "Показатели" and "П4" in f.message
    book.results[2].indicators = []  # П3 belongs to a КПМ: not a project's
    assert len(findings(book, "C12")) == 1


def test_c13_year_end_forecast_missing_in_quarterly_monitoring(book):
    del book.indicators[0].forecast[2025]
    assert findings(book, "C13") == []  # the annual report needs none
    book.passport.reporting_span = Span.M9
    (f,) = findings(book, "C13")
    assert f.sheet == "Показатели" and "2025" in f.message


def test_c14_result_serving_an_unknown_indicator(book):
    book.results[0].indicators = ["П1", "П9"]
    (f,) = findings(book, "C14")
    assert f.value == "П9"


def test_c15_element_code_twice(book):
    book.elements[2].code = "4 01"
    (f,) = findings(book, "C15")
    assert f.cell == "A6"


def test_c16_cash_above_the_budget_list(book):
    book.funding[2].cash[YEAR] = Decimal("111.0")
    (f,) = findings(book, "C16")
    assert "111,00" in f.message


def test_c17_total_row_that_is_not_the_sum(book):
    total = book.funding_totals[0]
    key = next(k for k in total.values if k == "plan.2025")
    total.values[key] = Decimal("999")
    (f,) = findings(book, "C17")
    assert f.cell == total.cells[key].split("!")[1]


def test_c18_no_plan_for_the_reporting_year(book):
    del book.results[1].plan[2025]
    (f,) = findings(book, "C18")
    assert "1.2" in f.message


def test_c19_shortfall_without_justification(book):
    book.results[0].justification = None
    (f,) = findings(book, "C19")
    assert "1.1" in f.message and f.sheet == "Результаты"


# -- evaluation: the worked example, by hand ------------------------------------------------


def F(x: Decimal | None) -> Fraction:
    assert x is not None
    return Fraction(x)


def close(x: Decimal | None, expected: Fraction) -> bool:
    """Equal to the exact fraction within Decimal's 28 significant digits."""
    return abs(F(x) - expected) < Fraction(1, 10**20)


def test_worked_example_federal_2023_by_hand(example):
    a = assess_project(example, YEAR, PRESETS["federal-2023"])
    by = {s.code: s for s in a.elements}
    # 4 01: П2 3 of 4; results 1 of 2 executed (1.1: 3 of 4 people); points 2 of 3 on time
    # (1.1.2 late); cash 99 of the budget list 110
    assert F(by["4 01"].sdp) == Fraction(3, 4)
    assert F(by["4 01"].srm) == Fraction(1, 2)
    assert close(by["4 01"].skt, Fraction(2, 3))
    assert close(by["4 01"].ssuz, Fraction(99, 110))
    er401 = Fraction(3, 4) * (Fraction(1, 2) / Fraction(99, 110))
    assert close(by["4 01"].er, er401)
    er402 = Fraction(95, 100)  # П3 95 of 100; everything else done, cash = list
    assert close(by["4 02"].er, er402)
    er101 = 1 / Fraction(359, 370)  # 150 + 209 spent of 150 + 220
    assert close(by["1 01"].er, er101)
    k = {"4 01": Fraction(110, 540), "4 02": Fraction(60, 540), "1 01": Fraction(370, 540)}
    part = er401 * k["4 01"] + er402 * k["4 02"] + er101 * k["1 01"]
    expected = Fraction(1, 2) * 1 + Fraction(1, 2) * part  # СДПмп: П1 33/30, capped at 1
    assert (
        a.value == Decimal("0.9483") == round(Decimal(expected.numerator) / expected.denominator, 4)
    )
    assert a.rating == "высокая"


def test_worked_example_elements_mean_by_hand(example):
    a = assess_project(example, YEAR, PRESETS["elements-mean"])
    sre401 = Fraction(1, 2) * Fraction(1, 2) + Fraction(1, 2) * Fraction(2, 3)
    er401 = Fraction(3, 4) * sre401 / Fraction(99, 120)  # budget at 1 January: 120
    er402 = Fraction(95, 100)
    er101 = 1 / Fraction(359, 350)
    expected = Fraction(1, 2) + Fraction(1, 2) * (er401 + er402 + er101) / 3
    assert a.value == round(Decimal(expected.numerator) / expected.denominator, 4)
    assert a.value == Decimal("0.9092") and a.rating == "высокая"


def test_quarter_uses_forecasts_and_rates_nothing(example):
    a = assess_project(example, Period(2025, Span.M9), PRESETS["federal-2023"])
    assert a.value is None and a.rating is None and a.as_of == dt.date(2025, 9, 30)
    by = {s.code: s for s in a.elements}
    assert by["4 01"].sdp == 1  # П2's forecast 4 of plan 4
    assert by["4 01"].points_due == 1 and by["4 01"].eis is None
    assert by["4 01"].ssuz == Decimal(80) / Decimal(110)


def test_edge_policies():
    from sheetprog.project.assess import _ratio

    assert _ratio(Decimal(0), Decimal(5), Direction.DOWN) == 1  # brought to zero
    assert _ratio(Decimal(3), Decimal(0), Direction.UP) is None  # zero plan: not counted
    assert _ratio(Decimal(4), Decimal(2), Direction.DOWN) == Decimal("0.5")


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_bands_include_their_bound_as_published(key):
    """«…признается высокой в случае, если значение ЭРп/п составляет не менее 0,9 …
    средней … не менее 0,8 … удовлетворительной … не менее 0,7» (the federal methodology,
    consultant.ru cons_doc_LAW_284387, разд. VI п. 15; docs/structure-project.md §2a)."""
    method = PRESETS[key]
    cases = {
        "0.9": "высокая",
        "0.8999": "средняя",
        "0.8": "средняя",
        "0.7999": "удовлетворительная",
        "0.7": "удовлетворительная",
        "0.6999": "неудовлетворительная",
        "0": "неудовлетворительная",
    }
    assert {v: method.band(Decimal(v)).label for v in cases} == cases


def test_zero_plan_result_and_element_without_money(example):
    book = copy.deepcopy(example)
    book.results[1].plan[2025] = Decimal(0)  # 1.2: nothing planned, fact 1 → executed
    book.funding = [f for f in book.funding if f.element != "4 02"]  # 4 02 has no money
    a = assess_project(book, YEAR, PRESETS["federal-2023"])
    by = {s.code: s for s in a.elements}
    assert by["4 01"].results_done == 1 and by["4 01"].results_counted == 2
    assert next(r for r in by["4 01"].results if r.key == "1.2").note == "выполнен"
    assert by["4 02"].ssuz is None and by["4 02"].eis == by["4 02"].sre == 1
    assert by["4 02"].share == 0  # no plan base: no weight in ЭРмп


def test_late_points_may_count_and_options_are_validated(example):
    late = method_from_table(
        {"points_late": "count", "points_weight": 1}, "t", PRESETS["federal-2023"]
    )
    a = assess_project(example, YEAR, late)
    assert {s.code: s.skt for s in a.elements}["4 01"] == 1
    with pytest.raises(ConfigError, match=r"project\.points_weight"):
        method_from_table({"points_weight": 2}, "t", PRESETS["federal-2023"])
    with pytest.raises(ConfigError, match=r"project\.nope"):
        method_from_table({"nope": 1}, "t", PRESETS["federal-2023"])
    with pytest.raises(UsageError, match="federal-2023"):
        project_method("average")
    assert project_method(None, {"preset": "elements-mean"}).key == "elements-mean"


# -- commands -------------------------------------------------------------------------------


def test_calc_check_info_json(cli, tmp_path: Path):
    out = cli("calc", BOOK, "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["kind"] == "project" and data["rating"] == {"value": 0.9483, "label": "высокая"}
    mean = json.loads(cli("calc", BOOK, "--method", "elements-mean", "--json").stdout)
    assert mean["rating"]["value"] == 0.9092
    info = json.loads(cli("info", BOOK, "--json").stdout)
    assert info["counts"] == {
        "elements": 3,
        "indicators": 4,
        "results": 4,
        "points": 6,
        "funding_lines": 4,
        "problems": 0,
    }
    written = cli("calc", BOOK, "-o", tmp_path / "c.xlsx")
    assert written.exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["Оценка"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("ЭРмп") for t in texts)
    assert cli("check", BOOK).exit_code == 0


def test_config_project_section(cli, tmp_path: Path):
    (tmp_path / "sheetprog.toml").write_text('[project]\npreset = "elements-mean"\n', "utf-8")
    out = cli("calc", BOOK, "--config", tmp_path / "sheetprog.toml", "--json")
    assert json.loads(out.stdout)["method"] == "elements-mean"
    (tmp_path / "bad.toml").write_text('[project]\nprogram = "median"\n', "utf-8")
    bad = cli("calc", BOOK, "--config", tmp_path / "bad.toml")
    assert bad.exit_code == 3 and "project.program" in bad.output


def test_diff_of_two_submissions(cli, tmp_path: Path):
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["Контрольные точки"]
    ws["E6"] = None
    wb.save(tmp_path / "new.xlsx")
    out = cli("diff", BOOK, tmp_path / "new.xlsx")
    assert "Контрольные точки!E6" in out.output


def test_control_point_model_key():
    assert ControlPoint(row=9).key == "строка 9"


def test_batch_record_of_a_project_program_and_both_structures_in_one_run(tmp_path: Path):
    import shutil
    import subprocess
    import sys

    from sheetprog.batch.process import process_file

    record = process_file(str(BOOK), None, None)
    assert record.status == "принят" and record.period == "2025"
    assert record.rating_value == 0.9483 and record.rating == "высокая"
    assert (record.activities_done, record.activities_counted) == (3, 4)
    assert record.funding_plan == 540 and record.funding_actual == 518
    assert {r.code for r in record.indicators} == {"П1", "П2", "П3", "П4"}
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(BOOK, inbox / "project.xlsx")
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", inbox / "kaluga.xlsx")
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sheetprog",
            "batch",
            str(inbox),
            "-o",
            str(out),
            "--period",
            "2025",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    rows = {Path(s["file"]).name: s for s in summary["submissions"]}
    assert rows["project.xlsx"]["rating_value"] == 0.9483  # consolidated with the other kind
    assert rows["kaluga.xlsx"]["status"] in ("принят", "с ошибками")


def test_macro_workbooks_show_the_buttons_of_their_structure(cli, tmp_path: Path):
    import zipfile

    from sheetprog.io.xlsm import buttons, vba_module

    names = [b[0] for b in buttons("project")]
    assert names[-3:] == ["btnProjectQuarterly", "btnProjectAnnual", "btnProjectFinal"]
    assert not any("Project" in b[0] for b in buttons("program"))
    assert "sheetprog.xl.report_project_annual()" in vba_module()  # every macro in the module

    def captions(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            return "".join(
                z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".vml")
            )

    assert cli("new", tmp_path / "p.xlsm", "--structure", "project", "--years", "2025-2027")
    assert cli("new", tmp_path / "o.xlsm", "--years", "2025-2027").exit_code == 0
    project, old = captions(tmp_path / "p.xlsm"), captions(tmp_path / "o.xlsm")
    assert "Годовой отчёт (структура проектов)" in project and "Квартальный отчёт" not in project
    assert "Квартальный отчёт" in old and "структура проектов" not in old


def test_reports_in_the_forms_of_the_structure(tmp_path: Path):
    from sheetprog.api import make_report
    from tests.conftest import docx_content

    def tables(kind: str, **kw) -> tuple[list, list]:
        out = tmp_path / f"{kind}.docx"
        make_report(kind, BOOK, out=out, today=dt.date(2026, 2, 1), **kw)
        content = docx_content(out)
        return [b for b in content["blocks"] if isinstance(b, list)], content["blocks"]

    quarterly, text = tables("project-quarterly", period="2025-Q3")
    assert any("за 9 месяцев 2025 года" in b for b in text if isinstance(b, str))
    indicators = next(t for t in quarterly if "Прогноз на конец года" in t[0])
    assert (indicators[1][:2]) == [
        "КПМ",
        "П2. Количество муниципальных служащих, прошедших обучение",
    ]
    assert indicators[1][3:6] == ["4", "2", "4"]  # plan, fact to date, year-end forecast
    funding = next(t for t in quarterly if t[0][:2] == ["Элемент", "КЦСР"])
    assert "Касса 9 мес." in funding[0] and "Роспись на 1 января" in funding[0]
    assert funding[-1][0] == "Итого" and funding[-1][3] == "530,00"
    annual, text = tables("project-annual")
    elements = next(t for t in annual if t[0][:2] == ["Код", "Элемент"])
    assert elements[2][0] == "4 01" and elements[2][-1] == "41,7\u00a0%"  # ЭР 4 01
    points = next(t for t in annual if "Контрольная точка" in t[0])
    late = next(r for r in points if r[0] == "1.1.2")
    assert late[-1] == "достигнута с нарушением срока"
    assert any("94,8\u00a0%" in b and "высокая" in b for b in text if isinstance(b, str))
    final, _ = tables("project-final")
    assert final[0][1] == ["2025", "94,8\u00a0%", "высокая"]


def test_expected_fact_is_read_in_the_project_structure(tmp_path: Path):
    """«ожидается …» (issue 18) is read in the project structure too (item 5): the fact is
    expected, not an unreadable number (R001, before); the provisional assessment is tested
    in tests/test_project_history.py."""
    wb = openpyxl.load_workbook(BOOK)
    wb["Показатели"]["O5"] = "ожидается 15.03.2026"
    wb.save(tmp_path / "expected.xlsx")
    model = read_workbook(tmp_path / "expected.xlsx")
    assert isinstance(model, ProjectProgram)
    assert [p for p in model.problems if p.cell == "O5"] == []
    assert model.indicators[1].expected == {Period(2025): dt.date(2026, 3, 15)}
