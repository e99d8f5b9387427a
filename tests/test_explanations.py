"""Deviations explained year by year (issue 18): «Пояснения», H08–H15, thresholds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog import spec
from sheetprog.api import check_workbook, read_workbook
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.errors import ConfigError
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import Explanation, Program
from sheetprog.periods import Period, Span
from sheetprog.program.deviations import boilerplate, indicator_deviations
from sheetprog.targets import parse_target
from tests.conftest import small_program


def _missed() -> Program:
    """The small program, 2022 annual report: indicator 1 missed in 2021 and in 2022, the
    local funding line under-spent in 2022."""
    program = small_program()
    program.passport.reporting_year = 2022
    program.indicators[0].facts[Period(2021)] = Decimal(60)  # plan 68
    program.indicators[0].facts[Period(2022)] = Decimal(65)  # plan «не менее 70»
    program.funding[0].cash[Period(2021)] = Decimal(100)  # in full
    program.funding[0].cash[Period(2022)] = Decimal(90)  # plan 100
    program.funding[1].cash[Period(2022)] = Decimal("50.25")  # in full
    return program


def _save(program: Program, path: Path, *, without_sheet: bool = False) -> Path:
    wb = build_workbook(program)
    if without_sheet:
        wb.remove(wb[spec.SHEET_EXPLANATIONS])
    save_workbook(wb, path)
    return path


def _found(path: Path, *codes: str):
    return [f for f in check_workbook(path)[1].findings if f.code in codes]


def test_missing_explanations_are_errors_in_the_annual_report(tmp_path: Path):
    path = _save(_missed(), tmp_path / "book.xlsx")
    program = read_workbook(path)
    found = _found(path, "H08", "H09", "H10", "H11", "H12", "I05")
    assert sorted((f.code, f.ref) for f in found) == sorted(
        [
            ("H09", program.indicators[0].cells["fact.2021"]),
            ("H09", program.indicators[0].cells["fact.2022"]),
            ("H11", program.funding[0].cells["cash.2022"]),
            ("H12", "Пояснения"),
        ]
    )  # I05 stands down: the workbook has «Пояснения»
    assert {f.severity for f in found} == {CATALOGUE["H09"].severity}
    h09 = next(f for f in found if f.code == "H09" and "2022" in f.message)
    assert "план не менее 70, факт 65 (план не достигнут" in h09.message


def test_in_a_quarter_the_same_are_warnings_and_quarter_cash_is_not_compared(tmp_path: Path):
    program = _missed()
    program.passport.reporting_span = Span.H1
    program.indicators[0].facts[Period(2022, Span.H1)] = Decimal(30)
    program.funding[0].cash[Period(2022, Span.H1)] = Decimal(40)
    path = _save(program, tmp_path / "book.xlsx")
    found = _found(path, "H08", "H09", "H10", "H11", "H12")
    assert sorted((f.code, f.severity.name) for f in found) == [
        ("H08", "WARNING"),  # 2021, its annual fact
        ("H08", "WARNING"),  # the first half of 2022 against the year's plan, as I05 did
    ]
    # an earlier year's under-spending is asked for in a quarter too, as a warning
    program.funding[0].cash[Period(2021)] = Decimal(95)
    path = _save(program, tmp_path / "book.xlsx")
    (h10,) = _found(path, "H10", "H11")
    assert h10.severity.name == "WARNING" and "«1 · местный бюджет»: 2021 год" in h10.message


def test_explanations_per_year_satisfy_the_rules(tmp_path: Path):
    program = _missed()
    program.explanations = [
        Explanation("показатель", "1", 2021, "внешние факторы", "Вакансии не заполнены."),
        Explanation("показатель", "1", 2022, "иное", "Обучение перенесено на 2023 год."),
        Explanation(
            "финансирование", "1 · местный бюджет", 2022, "экономия по итогам закупок", "Торги"
        ),
        Explanation("программа", None, 2022, measures="Объявлен набор.", proposals="Продлить."),
    ]
    path = _save(program, tmp_path / "book.xlsx")
    assert _found(path, "H08", "H09", "H10", "H11", "H12", "H13", "H15") == []
    back = read_workbook(path)
    assert back.explanations == program.explanations


def test_the_old_justification_column_counts_for_the_reporting_year_only(tmp_path: Path):
    program = _missed()
    program.indicators[0].justification = "Кадровые перестановки."
    path = _save(program, tmp_path / "book.xlsx")
    assert [f.message[:16] for f in _found(path, "H09")] == ["«1»: 2021 год — "]


def test_a_workbook_without_the_sheet_is_checked_as_before(tmp_path: Path):
    path = _save(_missed(), tmp_path / "old.xlsx", without_sheet=True)
    assert read_workbook(path).problems == []
    found = _found(path, "H08", "H09", "H10", "H11", "H12", "I05")
    assert [f.code for f in found] == ["I05"]  # the reporting year, as before issue 18


def test_over_achievement_beyond_the_threshold_and_the_setting(tmp_path: Path):
    program = small_program()
    program.passport.reporting_year = 2022
    program.indicators[0].facts[Period(2021)] = Decimal(68)  # exactly the plan
    program.indicators[0].facts[Period(2022)] = Decimal(84)  # «не менее 70»: 120 %
    path = _save(program, tmp_path / "book.xlsx")
    (found,) = _found(path, "H09")
    assert "план перевыполнен, 120,0\u00a0% плана" in found.message
    (tmp_path / "sheetprog.toml").write_text(
        "[checks.tolerance]\ndeviation_over = 0.25\n", encoding="utf-8"
    )
    assert _found(path, "H09") == []
    (tmp_path / "sheetprog.toml").write_text(
        "[checks.tolerance]\ndeviation_over = 2\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="deviation_over: ожидается доля плана от 0 до 1"):
        check_workbook(path)


def test_small_misses_below_the_under_threshold_need_no_explanation():
    program = _missed()
    program.has_explanations_sheet = True
    both = indicator_deviations(program)
    assert [(d.period.year, d.sign) for d in both] == [(2021, -1), (2022, -1)]
    # 60 of 68 is 11.8 % short, 65 of 70 is 7.1 % short
    assert [d.period.year for d in indicator_deviations(program, under=Decimal("0.1"))] == [2021]


def test_the_same_text_for_a_miss_and_an_overshoot_is_boilerplate(tmp_path: Path):
    program = _missed()
    second = program.indicators[0].__class__(
        name="Доля служащих с высшим образованием",
        number="2",
        unit="%",
        direction=program.indicators[0].direction,
        plan={2021: parse_target(50), 2022: parse_target(50)},
        facts={Period(2021): Decimal(50), Period(2022): Decimal(70)},
    )
    program.indicators.append(second)
    text = "В связи с объективными обстоятельствами."
    program.explanations = [
        Explanation("показатель", "1", 2022, "иное", text),
        Explanation("показатель", "2", 2022, "иное", text.upper()),
        Explanation("показатель", "1", 2021, "иное", text),
    ]
    path = _save(program, tmp_path / "book.xlsx")
    found = _found(path, "H13")
    assert len(found) == 3 and {f.severity.name for f in found} == {"WARNING"}
    assert all(f.sheet == spec.SHEET_EXPLANATIONS for f in found)
    assert "«1» (2022, −)" in found[0].message and "«2» (2022, +)" in found[0].message
    # the same text for two misses is not flagged
    program.explanations[1].text = "Другая причина."
    assert boilerplate(indicator_deviations(read_workbook(_save(program, path)))) == []


def test_explanations_that_name_nothing(tmp_path: Path):
    program = _missed()
    program.explanations = [
        Explanation("показатель", "П9", 2022, "иное", "?"),
        Explanation("раздел", "1", 2022, "иное", "?"),
        Explanation("финансирование", "1 · местный бюджет", 2022, "по погоде", "?"),
    ]
    path = _save(program, tmp_path / "book.xlsx")
    messages = sorted(f.message for f in _found(path, "H15"))
    assert messages == [
        "показатель «П9» в книге не найден",
        "причина «по погоде» не из списка",
        "раздел «раздел» не из списка: показатель, финансирование, программа",
    ]


def test_an_unreadable_explanations_sheet_is_a_located_problem(tmp_path: Path):
    wb = build_workbook(_missed())
    for cell in wb[spec.SHEET_EXPLANATIONS][spec.HEADER_ROW]:
        cell.value = None
    save_workbook(wb, tmp_path / "x.xlsx")
    program = read_workbook(tmp_path / "x.xlsx")
    assert [(p.code, p.sheet) for p in program.problems] == [("H14", "Пояснения")]
    assert program.explanations == []


def test_the_new_sheet_offers_the_lists(built: Path):
    ws = openpyxl.load_workbook(built)[spec.SHEET_EXPLANATIONS]
    headers = [c.value for c in ws[spec.HEADER_ROW]]
    assert headers == [c.header for c in spec.EXPLANATIONS.columns]
    lists = sorted(dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert lists == ["=lst_deviation", "=lst_section"]


# -- reports ---------------------------------------------------------------------------------


def _context(program: Program) -> dict:
    from sheetprog.assess.engine import assess
    from sheetprog.assess.methodology import preset
    from sheetprog.reports.context import build_context

    method = preset("average")
    assessment = assess(program, Period(2022), method)
    return build_context("annual", program, assessment, method)


def test_the_annual_report_quotes_the_explanations_not_a_fixed_sentence():
    program = _missed()
    program.indicators[0].facts[Period(2022)] = Decimal(20)  # a low rating
    program.funding[0].cash[Period(2022)] = Decimal(10)
    fixed = _context(program)
    assert fixed["proposals"].startswith("Предлагается проанализировать")  # as before
    assert fixed["deviation_reasons"] == [] and fixed["measures"] == ""
    program.explanations = [
        Explanation("показатель", "1", 2022, "иное", "Курсы отменены подрядчиком."),
        Explanation("показатель", "1", 2021, "иное", "Прошлый год: не цитируется."),
        Explanation("финансирование", "1 · местный бюджет", 2022, "перенос сроков", "Торги"),
        Explanation(
            "программа", None, 2022, measures="Контракт расторгнут.", proposals="Снизить план."
        ),
    ]
    quoted = _context(program)
    assert quoted["proposals"] == "Снизить план."
    assert quoted["measures"] == "Контракт расторгнут."
    assert [(x["name"], x["category"], x["text"]) for x in quoted["deviation_reasons"]] == [
        ("показатель 1 «Доля служащих, прошедших обучение»", "иное", "Курсы отменены подрядчиком.")
    ]
    assert [x["name"] for x in quoted["unspent_reasons"]] == ["мероприятие 1, местный бюджет"]
    assert quoted["indicators"][0]["justification"] == "Курсы отменены подрядчиком."
