"""Hypothesis strategies for valid programs, derived from the model and the spec lists."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from sheetprog.model import (
    Activity,
    Direction,
    FundingLine,
    Indicator,
    Passport,
    Program,
    Status,
    Subprogram,
)
from sheetprog.periods import Period, Span
from sheetprog.spec import LISTS, METHODOLOGY_PRESETS, parse_source
from sheetprog.targets import NO_TARGET, Target, TargetOp
from sheetprog.timing import parse_timing

WORDS = st.sampled_from(
    ["отдел", "программа", "Калуга", "служба", "«Город»", "2021", "кадры", "ДПО", "№5", "ё-моё"]
)
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
CODE = st.from_regex(r"\A[1-9][0-9]?(\.[1-9][0-9]?){0,2}\Z")
MONEY = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
NUMBER = st.decimals(min_value=-1000, max_value=10**6, places=3, allow_nan=False)


def targets() -> st.SearchStrategy[Target]:
    value = st.decimals(min_value=0, max_value=10**5, places=1, allow_nan=False)
    simple = st.builds(
        lambda op, v: Target(op, v),
        st.sampled_from([TargetOp.EQ, TargetOp.GE, TargetOp.GT, TargetOp.LE, TargetOp.LT]),
        value,
    )
    rng = st.tuples(value, value).map(lambda p: Target(TargetOp.RANGE, min(p), max(p)))
    return st.one_of(simple, rng, st.just(Target(TargetOp.YES)), st.just(NO_TARGET))


TIMINGS = st.one_of(
    st.sampled_from(
        [
            "I квартал 2021 года",
            "II - III кварталы 2022 года",
            "Весь период",
            "Ежегодно, IV квартал",
            "По мере необходимости",
            "2021",
        ]
    ),
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
).map(parse_timing)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    first = draw(st.integers(2015, 2025))
    years = list(range(first, first + draw(st.integers(1, 5))))
    spans = st.sampled_from(list(Span))
    passport = Passport(
        municipality=draw(TEXT),
        oktmo=draw(st.from_regex(r"\A0[0-9]{7}\Z")),
        program_name=draw(TEXT),
        responsible_executor=draw(TEXT),
        co_executors=draw(st.lists(TEXT, max_size=3)),
        subprograms=[Subprogram(str(i), draw(TEXT)) for i in range(1, draw(st.integers(0, 3)) + 1)],
        tasks=draw(st.lists(TEXT, max_size=3)),
        first_year=years[0],
        last_year=years[-1],
        reporting_year=draw(st.sampled_from(years)),
        reporting_span=draw(spans),
        methodology=draw(st.sampled_from(list(METHODOLOGY_PRESETS.values()))),
        funding_total=draw(st.none() | MONEY),
        funding_by_year={y: draw(MONEY) for y in years if draw(st.booleans())},
    )
    periods = [Period(y, s) for y in years for s in Span]
    indicators = [
        Indicator(
            name=draw(TEXT),
            number=draw(st.none() | CODE),
            code=draw(st.none() | TEXT),
            unit=draw(st.sampled_from(["%", "человек", "единиц"])),
            direction=draw(st.sampled_from(list(Direction))),
            weight=draw(st.none() | st.decimals(0, 1, places=2)),
            base=draw(st.none() | NUMBER),
            plan={y: t for y in years if (t := draw(targets())).is_set},
            facts={p: draw(NUMBER) for p in periods if draw(st.booleans())},
            justification=draw(st.none() | TEXT),
            activities=draw(st.lists(CODE, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    activities = [
        Activity(
            number=draw(CODE),
            name=draw(TEXT),
            subprogram=draw(st.none() | CODE),
            is_main=draw(st.booleans()),
            responsible=draw(TEXT),
            co_executors=draw(st.lists(TEXT, max_size=2)),
            planned_start=draw(st.none() | TIMINGS),
            planned_end=draw(st.none() | TIMINGS),
            actual_start=draw(st.none() | TIMINGS),
            actual_end=draw(st.none() | TIMINGS),
            expected_result=draw(st.none() | TEXT),
            result_plan=draw(st.none() | NUMBER),
            achieved_result=draw(st.none() | TEXT),
            result_fact=draw(st.none() | NUMBER),
            status=draw(st.none() | st.sampled_from(list(Status))),
            problems=draw(st.none() | TEXT),
            no_funding=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    funding = []
    for _ in range(draw(st.integers(0, 4))):
        source_text = draw(st.sampled_from(LISTS["lst_source"].values))
        funding.append(
            FundingLine(
                activity=draw(CODE),
                activity_name=draw(st.none() | TEXT),
                source=parse_source(source_text),
                source_text=source_text,
                grbs=draw(st.none() | TEXT),
                plan={y: draw(MONEY) for y in years if draw(st.booleans())},
                budget_list={y: draw(MONEY) for y in years if draw(st.booleans())},
                cash={p: draw(MONEY) for p in periods if draw(st.booleans())},
            )
        )
    return Program(passport=passport, indicators=indicators, activities=activities, funding=funding)
