"""The effectiveness engine: source-document figures, every edge-case policy, periods."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from sheetprog import read_workbook
from sheetprog.assess.engine import assess, degree
from sheetprog.assess.methodology import Band, methodology_from_toml, preset
from sheetprog.fmt import percent, quantize
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
from sheetprog.periods import Period, Span
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing
from tests.conftest import EXAMPLES

D = Decimal
Y = Period(2021)


def partizansk():
    return read_workbook(EXAMPLES / "partizansk-2021.xlsx")


def test_partizansk_with_whole_percent_rounding_and_no_cap():
    method = methodology_from_toml("[methodology]\nci_digits = 2\ncap = false\n", "test.toml")
    a = assess(partizansk(), Y, method)
    assert percent(a.score("C").value) == "100,3\u00a0%"
    assert percent(a.score("U").value) == "100,0\u00a0%"
    assert percent(a.score("E").value) == "100,3\u00a0%"
    assert a.rating.label == "высокая"
    assert "о высокой эффективности" in a.conclusion
    ci = {r.code: r.ci for r in a.indicators}
    assert ci == {"П0.1": None, "П1.1": D("1.01"), "П2.1": D("1.00"), "П2.2": D("1.00")}
    excluded = next(r for r in a.indicators if r.code == "П0.1")
    assert excluded.excluded and "рассчитывается на краевом уровне" in excluded.reason
    assert excluded.cells == {"plan.2021": "Показатели!T4", "fact.2021": "Показатели!X4"}


def test_partizansk_without_rounding_gives_100_5():
    a = assess(partizansk(), Y, preset("average"))
    assert percent(a.score("C").value) == "100,5\u00a0%"


def federal_example() -> Program:
    """The worked example: Ci 1.10, 0.95, 1.00, 0.85; 9 of 10 activities; 950 of 1 000 spent."""
    indicators = [
        Indicator(
            name=f"П{i}",
            code=f"П{i}",
            subprogram="1",
            unit="%",
            direction=Direction.UP,
            plan={2021: parse_target(100)},
            facts={Y: D(f)},
        )
        for i, f in enumerate((110, 95, 100, 85), start=1)
    ]
    activities = [
        Activity(
            number=f"1.{i}",
            name=f"М{i}",
            subprogram="1",
            responsible="О",
            planned_end=parse_timing("IV квартал 2021 года"),
            status=Status.DONE if i <= 9 else Status.NOT_DONE,
        )
        for i in range(1, 11)
    ]
    funding = [
        FundingLine(activity="1.1", source=Source.LOCAL, plan={2021: D(1000)}, cash={Y: D(950)})
    ]
    passport = Passport(
        first_year=2021,
        last_year=2021,
        reporting_year=2021,
        subprograms=[Subprogram("1", "Подпрограмма")],
    )
    return Program(passport, indicators, activities, funding)


def test_federal_worked_example_rates_exactly_at_090():
    a = assess(federal_example(), Y, preset("federal"))
    assert a.score("СРп/п[1]").value == D("0.95")  # 1.10 capped at 1
    assert a.score("СРм[1]").value == D("0.9")
    assert a.score("ССуз[1]").value == D("0.95")
    sub = a.score("ЭРп/п[1]").value
    method = preset("federal")
    assert method.band(quantize(sub, 4)).label == "высокая"
    # An act that reports Эис to six digits: 0.95 × 0.947368 = 0.8999996, which compared with
    # the 0.90 band as it is would rate "средняя"; the final rounding step rates it "высокая".
    assert method.band(D("0.95") * D("0.947368")).label == "средняя"
    six = dataclasses.replace(method, score_digits=6)
    b = assess(federal_example(), Y, six)
    assert b.score("Эис[1]").value == D("0.947368")
    assert b.score("ЭРп/п[1]").value == D("0.900000")
    assert method.band(quantize(b.score("ЭРп/п[1]").value, 4)).label == "высокая"
    assert a.score("ЭРгп").value == D("0.925")
    assert a.rating.value == D("0.9250") and a.rating.label == "высокая"


def test_federal_rating_exactly_on_the_boundary():
    program = federal_example()
    program.indicators = program.indicators[1:2]  # only Ci 0.95
    a = assess(program, Y, preset("federal"))
    assert a.score("ЭРп/п[1]").value is not None
    assert quantize(a.score("ЭРп/п[1]").value, 4) == D("0.9000")
    assert a.rating.label == "высокая"  # 0.5·0.95 + 0.5·0.90 = 0.925


@pytest.mark.parametrize(
    ("plan", "fact", "direction", "ci", "achieved"),
    [
        ("не менее 10", 12, Direction.UP, D("1.2"), True),
        ("не менее 10", 8, Direction.UP, D("0.8"), False),
        ("свыше 90", 90, Direction.UP, D(1), False),  # achieved only above 90; Ci still 90/90
        ("свыше 90", 94, Direction.UP, D(94) / 90, True),
        ("не более 5", 4, Direction.DOWN, D(5) / 4, True),
        ("не более 5", 10, Direction.DOWN, D("0.5"), False),
        ("менее 5", 5, Direction.DOWN, D(1), False),
        ("90-99", 95, Direction.UP, D(1), True),
        ("90-99", 81, Direction.UP, D("0.9"), False),
        ("90-99", 110, Direction.UP, D(99) / 110, False),
        ("да", 1, Direction.UP, D(1), True),
        ("да", 0, Direction.UP, D(0), False),
        (0, 0, Direction.DOWN, D(1), True),  # Partizansk: 0 planned, 0 happened
        (0, 3, Direction.DOWN, D(0), False),
        (0, 5, Direction.UP, D(1), True),  # growth with plan 0
        (30, 0, Direction.DOWN, D(1), True),  # decrease, fact 0: better than any plan
        (68, 69, Direction.UP, D(69) / 68, True),
    ],
)
def test_degree_policies(plan, fact, direction, ci, achieved):
    value, ok, policy = degree(parse_target(plan), D(fact), direction, cap=None)
    assert (value, ok) == (ci, achieved)
    if plan == 0 or fact == 0 or plan in ("да", "90-99"):
        assert policy  # every special case says which policy applied


def test_decrease_fact_zero_takes_the_cap_when_one_is_set():
    value, ok, _policy = degree(parse_target(30), D(0), Direction.DOWN, cap=D("1.3"))
    assert (value, ok) == (D("1.3"), True)


def single(plan, facts, **kw) -> Program:
    ind = Indicator(
        name="П",
        code="П1",
        unit="ед.",
        direction=Direction.UP,
        plan={2021: parse_target(plan)},
        facts=facts,
        **kw,
    )
    return Program(Passport(first_year=2021, last_year=2021, reporting_year=2021), [ind])


def test_missing_fact_is_excluded_not_zero():
    program = single(10, {})
    program.indicators.append(
        Indicator(
            name="Б",
            code="П2",
            unit="ед.",
            direction=Direction.UP,
            plan={2021: parse_target(10)},
            facts={Y: D(10)},
        )
    )
    a = assess(program, Y, preset("average"))
    assert a.score("C").value == 1  # only П2 counted; not (0 + 1) / 2
    first = a.indicators[0]
    assert first.excluded and first.reason == "нет фактического значения за 2021 год"


def test_no_indicator_with_a_fact():
    a = assess(single(10, {}), Y, preset("average"))
    assert a.score("C").value is None and a.rating.value is None
    assert a.rating.label == "не определена" and "не может быть выполнена" in a.conclusion


def test_weights_not_summing_to_one_are_renormalised():
    program = single(10, {Y: D(10)}, weight=D(2))
    program.indicators.append(
        Indicator(
            name="Б",
            code="П2",
            unit="ед.",
            direction=Direction.UP,
            plan={2021: parse_target(10)},
            facts={Y: D(5)},
            weight=D(2),
        )
    )
    method = dataclasses.replace(preset("average"), weights="workbook")
    a = assess(program, Y, method)
    assert [r.weight for r in a.indicators] == [D("0.5"), D("0.5")]
    assert a.score("C").value == D("0.75")
    assert any("нормированы" in p for r in a.indicators for p in r.policy)


def test_funding_plan_zero_and_no_funding_activities():
    program = single(10, {Y: D(10)})
    program.activities = [
        Activity(
            number="1",
            name="Без денег",
            responsible="О",
            no_funding=True,
            status=Status.DONE,
            planned_end=parse_timing(2021),
        ),
        Activity(
            number="2",
            name="С деньгами",
            responsible="О",
            status=Status.NOT_DONE,
            planned_end=parse_timing(2021),
        ),
    ]
    program.funding = [FundingLine(activity="2", source=Source.LOCAL, plan={2021: D(0)})]
    a = assess(program, Y, preset("average"))
    assert a.score("U").value is None and a.score("U").note == "не рассчитывается"
    assert a.score("E").value == a.score("C").value  # E = C when Уи is undefined
    assert a.score("M").value == D("0.5")
    funded_only = dataclasses.replace(preset("average"), activities="funded")
    b = assess(program, Y, funded_only)
    assert [x.counted for x in b.activities] == [False, False]  # plan 0: nothing funded
    assert b.score("M").value is None


def test_bands_inclusive_and_exclusive_boundaries():
    method = dataclasses.replace(
        preset("federal"),
        bands=(
            Band(D("0.9"), "высокая", "высокой", inclusive=False),
            Band(None, "иная", "иной"),
        ),
    )
    assert method.band(D("0.9")).label == "иная"
    assert method.band(D("0.9001")).label == "высокая"
    assert preset("federal").band(D("0.9")).label == "высокая"


def test_quarterly_progress_uses_cash_to_date_against_the_years_plan():
    program = read_workbook(EXAMPLES / "kaluga-2016.xlsx")
    a = assess(program, Period(2016, Span.H1), preset("average"))
    assert a.funding_total.plan == 2690 and a.funding_total.actual == D("1228.0")
    assert a.rating.value is None and "части года" in a.conclusion
    assert all(r.excluded for r in a.indicators)  # no half-year facts entered
    annual = {x.number: x for x in a.activities}
    assert not annual["1"].counted  # "Ежегодно": the year's share is due at year end


def test_overdue_activity_in_a_quarter():
    program = federal_example()
    program.activities[9].planned_end = parse_timing("I квартал 2021 года")
    a = assess(program, Period(2021, Span.H1), preset("federal"))
    overdue = [x.number for x in a.activities if x.overdue]
    assert overdue == ["1.10"]  # due in Q1, not done
    # the others are due in Q4; they count because they are already done
    assert sum(x.counted for x in a.activities) == 10
    program.activities[0].status = Status.IN_PROGRESS
    b = assess(program, Period(2021, Span.H1), preset("federal"))
    assert (
        not b.activities[0].counted and b.activities[0].reason == "срок выполнения ещё не наступил"
    )


def test_federal_with_an_unreferenced_passport_subprogram_assesses_the_program_as_one():
    program = read_workbook(EXAMPLES / "chechnya-2012.xlsx")
    assert [s.number for s in program.passport.subprograms] == ["1"]
    assert all(i.subprogram is None for i in program.indicators)
    a = assess(program, Period(2012), preset("federal"))
    assert "ЭРп/п" in {s.key for s in a.scores}  # one group, not "ЭРп/п[1]"
    assert a.score("ССуз").value == D("290") / D("300")  # 150 + 140 of 150 + 150
    assert a.rating.value is not None and a.rating.score == "ЭРгп"
