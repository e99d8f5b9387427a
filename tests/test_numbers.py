"""Right numbers in every case: the calculation defects fixed, the guardrails, and each
edge-case policy of docs/methodology.md («Особые случаи») with the figure it gives."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from sheetprog.assess.engine import assess
from sheetprog.assess.methodology import preset
from sheetprog.model import (
    Activity,
    Direction,
    FundingLine,
    Indicator,
    Passport,
    Program,
    Source,
    Status,
    Subprogram,
)
from sheetprog.periods import Period
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing
from tests.test_engine import federal_example

D = Decimal
Y = Period(2021)


def program_with(facts: dict[str, int], plan: int = 100, cash: int | None = 100) -> Program:
    """Indicators П1… (plan 100, the given facts), one done activity, one funding line."""
    indicators = [
        Indicator(
            name=code,
            code=code,
            unit="%",
            direction=Direction.UP,
            plan={2021: parse_target(100)},
            facts={Y: D(f)},
        )
        for code, f in facts.items()
    ]
    activity = Activity(
        number="1", name="М", responsible="О", planned_end=parse_timing(2021), status=Status.DONE
    )
    line = FundingLine(
        activity="1",
        source=Source.LOCAL,
        plan={2021: D(plan)},
        cash={Y: D(cash)} if cash is not None else {},
    )
    passport = Passport(first_year=2021, last_year=2021, reporting_year=2021)
    return Program(passport, indicators, [activity], [line])


# -- defect 1: a program that spent nothing is not rated on C alone ----------------------------


def test_spending_nothing_of_a_plan_gives_e_zero_not_c():
    program = program_with({"П1": 104}, plan=100, cash=0)  # before: E = C = 104 %, «высокая»
    a = assess(program, Y, preset("average"))
    assert a.score("U").value == 0
    assert a.score("E").value == 0 and a.rating.label == "неудовлетворительная"
    c_over_u = assess(program, Y, dataclasses.replace(preset("average"), combine="C/U"))
    assert c_over_u.score("E").value == 0 and "не израсходованы" in c_over_u.score("E").formula


def test_a_zero_plan_still_falls_back_to_e_equals_c():
    program = program_with({"П1": 104}, plan=0, cash=0)
    a = assess(program, Y, preset("average"))
    assert a.score("U").value is None
    assert a.score("E").value == a.score("C").value == D("1.04")


def test_federal_spending_nothing_makes_eis_zero():
    program = federal_example()
    program.funding[0].cash = {Y: D(0)}  # 1 000 planned, nothing spent
    a = assess(program, Y, preset("federal"))
    assert a.score("ССуз[1]").value == 0
    assert a.score("Эис[1]").value == 0 and a.score("ЭРп/п[1]").value == 0
    assert a.score("ЭРгп").value == D("0.475")  # 0,5·0,95 + 0,5·0


# -- defect 2: federal weights normalised within each subprogram -------------------------------


def test_federal_weights_are_normalised_within_each_subprogram():
    program = federal_example()
    for ind, weight in zip(program.indicators, ("0.4", "0.3", "0.2", "0.1"), strict=True):
        ind.weight = D(weight)
    twin = federal_example()  # a second subprogram, same figures
    for ind, weight in zip(twin.indicators, ("0.4", "0.3", "0.2", "0.1"), strict=True):
        ind.code, ind.name, ind.subprogram, ind.weight = f"{ind.code}б", ind.name, "2", D(weight)
    for act in twin.activities:
        act.number, act.subprogram = "2" + act.number[1:], "2"
    program.indicators += twin.indicators
    program.activities += twin.activities
    program.funding.append(
        FundingLine(activity="2.1", source=Source.LOCAL, plan={2021: D(1000)}, cash={Y: D(950)})
    )
    program.passport.subprograms.append(Subprogram("2", "Вторая"))
    method = dataclasses.replace(preset("federal"), weights="workbook")
    a = assess(program, Y, method)
    # within a subprogram: 0,4·1 + 0,3·0,95 + 0,2·1 + 0,1·0,85 (capped Ci); before: 0,2039…
    expected = D("0.4") + D("0.3") * D("0.95") + D("0.2") + D("0.1") * D("0.85")
    assert a.score("СРп/п[1]").value == expected == D("0.97")
    assert a.score("СРп/п[2]").value == expected


# -- guardrails ---------------------------------------------------------------------------------


def test_spending_over_plan_does_not_raise_the_rating():
    program = program_with({"П1": 117}, plan=100, cash=146)  # before: E = 1,17 × 1,46 = 170,8 %
    a = assess(program, Y, preset("average"))
    assert a.score("U").value == D("1.46")  # the coefficient itself shows what was spent
    assert a.score("E").value == D("1.17") and "выше плана" in a.score("E").formula
    uncapped = assess(program, Y, dataclasses.replace(preset("average"), execution_cap=None))
    assert uncapped.score("E").value == D("1.17") * D("1.46")


def test_period_outside_the_programs_years_is_a_usage_error(cli, tmp_path):
    from tests.conftest import EXAMPLES

    result = cli("calc", EXAMPLES / "kaluga-2016.xlsx", "--period", "2030")
    assert result.exit_code == 2
    assert "вне лет реализации" in result.stderr and "2014, 2015, 2016, 2017, 2018, 2019" in (
        result.stderr
    )
    report = cli("report", "annual", EXAMPLES / "kaluga-2016.xlsx", "--period", "2030")
    assert report.exit_code == 2 and "вне лет реализации" in report.stderr


def test_final_report_with_missing_years_refuses_or_says_which_years(tmp_path):
    from sheetprog.api import make_report
    from sheetprog.errors import UsageError
    from tests.conftest import EXAMPLES, docx_content

    book = EXAMPLES / "shakhty-2013.xlsx"  # 2012–2014, facts for 2012–2013
    with pytest.raises(UsageError, match=r"нет фактов за 2014 год.*--partial"):
        make_report("final", book, out=tmp_path / "f.docx")
    assert not (tmp_path / "f.docx").exists()
    made = make_report("final", book, out=tmp_path / "f.docx", partial=True)
    blocks = docx_content(made.docx)["blocks"]
    assert "за 2012–2013 годы (без данных за 2014)" in blocks
    assert any(str(b).startswith("Всего за 2012–2013 годы:") for b in blocks)
