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


# -- edge-case policies (docs/methodology.md, «Особые случаи») ---------------------------------


def two_subprograms() -> Program:
    """The federal example twice: subprogram 1 (local budget) and 2 (regional budget)."""
    program = federal_example()
    twin = federal_example()
    for ind in twin.indicators:
        ind.code, ind.subprogram = f"{ind.code}б", "2"
    for act in twin.activities:
        act.number, act.subprogram = "2" + act.number[1:], "2"
    program.indicators += twin.indicators
    program.activities += twin.activities
    program.funding.append(
        FundingLine(activity="2.1", source=Source.REGIONAL, plan={2021: D(3000)}, cash={Y: D(3000)})
    )
    program.passport.subprograms.append(Subprogram("2", "Вторая"))
    return program


def test_kj_follows_the_sources_filter():
    """kj are the subprograms' shares of the spending that is assessed: with sources =
    [local] only subprogram 1 spends, so it weighs 1 and subprogram 2 weighs 0."""
    program = two_subprograms()
    both = assess(program, Y, preset("federal"))
    assert "·0,24" in both.score("ЭРгп").formula  # 950 / (950 + 3 000) = 0,2405…
    local = dataclasses.replace(preset("federal"), sources=(Source.LOCAL,))
    a = assess(program, Y, local)
    assert a.score("ССуз[2]").value is None  # no local money planned for subprogram 2
    erpp1 = a.score("ЭРп/п[1]").value
    assert a.score("ЭРгп").value == D("0.5") * a.score("СРгп").value + D("0.5") * erpp1


def test_a_subprogram_without_indicators_drops_out_and_kj_are_rescaled():
    program = two_subprograms()
    program.indicators = [i for i in program.indicators if i.subprogram == "1"]
    a = assess(program, Y, preset("federal"))
    assert a.score("СРп/п[2]").value is None and a.score("ЭРп/п[2]").value is None
    erpp1 = a.score("ЭРп/п[1]").value  # kj = 1 for the one subprogram left
    assert a.score("ЭРгп").value == D("0.5") * a.score("СРгп").value + D("0.5") * erpp1


def test_activities_outside_subprograms_are_named_in_the_federal_family():
    program = federal_example()
    program.activities.append(
        Activity(
            number="9",
            name="Вне",
            responsible="О",
            planned_end=parse_timing(2021),
            status=Status.NOT_DONE,
        )
    )
    a = assess(program, Y, preset("federal"))
    assert a.score("СРм[1]").value == D("0.9")  # 9 of 10: activity 9 is not in it
    assert any("вне подпрограмм (9)" in n for n in a.notes)


def test_an_activity_done_in_an_earlier_year_is_not_counted_again():
    program = program_with({"П1": 100})
    program.passport.first_year = 2020
    earlier = Activity(
        number="2",
        name="Раньше",
        responsible="О",
        planned_end=parse_timing("15.06.2020"),
        status=Status.DONE,
    )
    late = Activity(
        number="3",
        name="Долг",
        responsible="О",
        planned_end=parse_timing("15.06.2020"),
        status=Status.NOT_DONE,
    )
    program.activities += [earlier, late]
    a = assess(program, Y, preset("average"))
    by_number = {r.number: r for r in a.activities}
    assert not by_number["2"].counted and "предыдущие годы" in by_number["2"].reason
    assert by_number["3"].counted and by_number["3"].overdue  # still owed: counted, not done
    assert a.score("M").value == D("0.5")


def test_an_activity_without_a_planned_end_is_counted():
    program = program_with({"П1": 100})
    program.activities[0].planned_end = None
    a = assess(program, Y, preset("average"))
    assert a.activities[0].counted and a.score("M").value == 1


def test_rounded_scores_are_what_the_next_formula_uses():
    """score_digits rounds each coefficient, and the next formula takes the rounded value:
    СРм = 9/10 → 0,9; ССуз = 0,95; Эис = 0,9 / 0,95 = 0,947… → 0,95 with 2 digits, and
    ЭРп/п = 0,95 × 0,95 (the rounded Эис), not 0,95 × 0,947…"""
    two = dataclasses.replace(preset("federal"), score_digits=2)
    a = assess(federal_example(), Y, two)
    assert a.score("Эис[1]").value == D("0.95")
    assert a.score("ЭРп/п[1]").value == D("0.90")  # 0,9025 → 0,90


def test_per_year_status_of_a_multi_year_activity():
    """An activity over the whole program is assessed each year on that year's status; a
    workbook without the per-year columns keeps the single «Статус» for every year."""
    program = program_with({"П1": 100})
    program.passport.first_year, program.passport.last_year = 2020, 2022
    act = program.activities[0]
    act.planned_end = parse_timing("Весь период")
    act.status = Status.IN_PROGRESS
    single = assess(program, Y, preset("average"))
    assert single.activities[0].status == "выполняется" and single.score("M").value == 0
    act.year_status = {2020: Status.DONE, 2021: Status.NOT_DONE}
    assert assess(program, Period(2020), preset("average")).score("M").value == 1
    a = assess(program, Y, preset("average"))
    assert a.activities[0].status == "не выполнено" and a.score("M").value == 0


def test_per_year_status_round_trips_through_the_workbook(tmp_path):
    from sheetprog import read_workbook
    from sheetprog.io.builder import build_workbook, save_workbook

    program = program_with({"П1": 100})
    program.activities[0].year_status = {2021: Status.PARTIAL}
    program.activities[0].year_result = {2021: D("7.5")}
    path = tmp_path / "years.xlsx"
    save_workbook(build_workbook(program), path)
    back = read_workbook(path).activities[0]
    assert back.year_status == {2021: Status.PARTIAL} and back.year_result == {2021: D("7.5")}
    assert back.cells["year_status.2021"].startswith("Мероприятия!")


def test_a_reserve_window_reaching_back_before_the_data_says_so():
    from sheetprog import read_workbook
    from sheetprog.reserve.assess import ReserveSettings, assess_reserve
    from sheetprog.reserve.views import reserve_dict, reserve_text
    from tests.conftest import EXAMPLES

    reserve = read_workbook(EXAMPLES / "reserve-novoshakhtinsk.xlsx")  # first dates in 2021
    a = assess_reserve(reserve, 2022, ReserveSettings())
    notes = {s["key"]: s["note"] for s in reserve_dict(a)["shares"]}
    assert notes["ЭфР1[3]"] == "данные в книге — с 2021 года: окно 2020–2022 охвачено не полностью"
    assert notes["ЭфР2[3]"] == notes["ЭфР1[3]"]
    assert notes["ЭфР1"] is None and notes["ЭфР1[2]"] is None
    assert "Примечание: данные в книге — с 2021 года" in reserve_text(a)
    assert all(s.note is None for s in assess_reserve(reserve, 2024, ReserveSettings()).shares)
    assert all(s.value is None or s.value == s.value.quantize(D("0.0001")) for s in a.shares)


def test_the_fact_before_the_first_year_is_the_base_value():
    """The annual report's «факт 2020» column for a programme starting in 2021 shows the base
    value (it showed «—» although «Базовое значение» was filled in)."""
    from sheetprog.reports.context import build_context

    program = program_with({"П1": 100})
    program.indicators[0].base = D("42.5")
    method = preset("average")
    context = build_context("annual", program, assess(program, Y, method), method)
    row = context["indicators"][0]
    assert row["prev_fact"] == D("42.5") and row["index"] == 1
    later = program_with({"П1": 100})
    later.passport.first_year = 2020  # the year before 2021 is a programme year: its fact
    later.indicators[0].base = D("42.5")
    context = build_context("annual", later, assess(later, Y, method), method)
    assert context["indicators"][0]["prev_fact"] is None
