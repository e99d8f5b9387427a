"""Properties of the engine that hold for any program."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetprog.assess.engine import assess
from sheetprog.assess.methodology import preset
from sheetprog.model import Direction, Indicator, Passport, Program
from sheetprog.periods import Period
from sheetprog.targets import Target, TargetOp
from tests.strategies import programs

Y = Period(2021)
VALUES = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
OPS = st.sampled_from([TargetOp.EQ, TargetOp.GE, TargetOp.GT])


@st.composite
def growth_programs(draw):
    n = draw(st.integers(1, 6))
    indicators = [
        Indicator(
            name=f"П{i}",
            code=f"П{i}",
            unit="ед.",
            direction=Direction.UP,
            plan={2021: Target(draw(OPS), draw(VALUES))},
            facts={Y: draw(VALUES)},
        )
        for i in range(n)
    ]
    return Program(Passport(first_year=2021, last_year=2021, reporting_year=2021), indicators)


@settings(max_examples=150, deadline=None)
@given(
    program=growth_programs(),
    which=st.integers(0, 5),
    more=VALUES,
    method=st.sampled_from(["average", "federal"]),
)
def test_raising_a_growth_fact_never_lowers_ci_nor_c(program, which, more, method):
    i = which % len(program.indicators)
    before = assess(program, Y, preset(method))
    program.indicators[i].facts[Y] += more
    after = assess(program, Y, preset(method))
    assert after.indicators[i].ci >= before.indicators[i].ci
    key = "C" if method == "average" else "СРгп"
    assert after.score(key).value >= before.score(key).value


@settings(max_examples=150, deadline=None)
@given(program=growth_programs(), cap=st.decimals(min_value="0.5", max_value="1.5", places=2))
def test_capped_ci_never_exceeds_the_cap(program, cap):
    method = dataclasses.replace(preset("federal"), cap=cap)
    for result in assess(program, Y, method).indicators:
        assert result.ci is None or result.ci <= cap


@settings(max_examples=60, deadline=None)
@given(
    program=programs(), seed=st.integers(0, 10**6), method=st.sampled_from(["average", "federal"])
)
def test_results_do_not_depend_on_row_order(program, seed, method):
    period = Period(program.passport.reporting_year or 2021)
    first = assess(program, period, preset(method))
    rnd = random.Random(seed)
    for rows in (program.indicators, program.activities, program.funding):
        rnd.shuffle(rows)
    second = assess(program, period, preset(method))
    assert {s.key: s.value for s in first.scores} == {s.key: s.value for s in second.scores}
    assert first.rating == second.rating
