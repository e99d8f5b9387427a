"""The annual report of a big program grows linearly (issue 21), checked without timing:
by counting the work done on a program and on one twice its size, and by the chart's
bounded number of bars. (Timings are benchmarks/program_size.py's.)"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sheetprog.assess.engine import assess
from sheetprog.assess.methodology import preset
from sheetprog.model import Activity, FundingLine, Indicator, Passport, Program, Source, Status
from sheetprog.periods import Period
from sheetprog.reports import chart
from sheetprog.reports.context import build_context
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing

Y = Period(2021)


class CountedNumber(str):
    """An activity number that counts how often it is compared for equality: the funding
    table's rows are grouped by activity, and a scan of every entry per activity (what
    made the report quadratic) compares numbers N² times, a dict of groups about N."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountedNumber.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _program(n: int) -> Program:
    """n activities in two subprograms, each with two funding lines (two sources)."""
    activities = [
        Activity(
            number=CountedNumber(f"{i + 1}"),
            name=f"Мероприятие {i + 1}",
            subprogram="1" if i % 2 else "2",
            responsible="Отдел",
            planned_end=parse_timing(2021),
            status=Status.DONE,
        )
        for i in range(n)
    ]
    funding = [
        FundingLine(
            activity=CountedNumber(f"{i + 1}"),  # equal to the activity's, not the same object
            source=source,
            plan={2021: Decimal(100)},
            cash={Y: Decimal(90)},
        )
        for i in range(n)
        for source in (Source.LOCAL, Source.REGIONAL)
    ]
    indicator = Indicator(
        name="П1", code="П1", unit="%", plan={2021: parse_target(100)}, facts={Y: Decimal(95)}
    )
    passport = Passport(first_year=2021, last_year=2021, reporting_year=2021)
    return Program(passport, [indicator], activities, funding)


def _comparisons(n: int) -> tuple[int, list[dict[str, Any]]]:
    program, method = _program(n), preset("average")
    assessment = assess(program, Y, method)
    CountedNumber.comparisons = 0
    context = build_context("annual", program, assessment, method)
    return CountedNumber.comparisons, context["funding"]


def test_the_funding_table_groups_its_rows_in_one_pass():
    small, rows = _comparisons(200)
    large, _ = _comparisons(400)
    # every activity appears once per source, under its subprogram, in the workbook's order
    activity_rows = [(r["number"], r["source"]) for r in rows if r["level"] == "activity"]
    assert len(activity_rows) == 2 * 200
    assert activity_rows[:2] == [("2", "местный бюджет"), ("2", "региональный бюджет")]
    assert [r["plan"] for r in rows if r["level"] == "subprogram"] == [Decimal(20000)] * 2
    # linear: twice the activities, about twice the comparisons (quadratic: four times)
    assert 0 < large <= 2.5 * small, (small, large)


def _indicators(achievements: list[Any]) -> list[dict[str, Any]]:
    return [{"code": f"П{i + 1}", "name": f"Показатель {i + 1}"} for i in range(len(achievements))]


def test_the_plan_fact_chart_draws_every_indicator_that_fits():
    achievements = [Decimal("0.5"), None, Decimal("1.2")]
    rows, title = chart.chart_rows(_indicators(achievements), achievements)
    assert [r["code"] for r, _a in rows] == ["П1", "П3"] and title == chart.TITLE


def test_the_plan_fact_chart_of_a_big_program_shows_the_lowest_achievements_and_says_so():
    n = 10 * chart.MAX_ROWS
    achievements: list[Any] = [Decimal(1 + i % 7) / 4 for i in range(n)]
    achievements[5] = None  # no fact: not charted, not counted
    lowest = sorted(a for a in achievements if a is not None)[: chart.MAX_ROWS]
    rows, title = chart.chart_rows(_indicators(achievements), achievements)
    assert len(rows) == chart.MAX_ROWS
    assert sorted(a for _r, a in rows) == lowest  # the lowest ones …
    numbers = [int(r["code"][1:]) for r, _a in rows]
    assert numbers == sorted(numbers)  # … in the order the table lists them
    assert title.startswith(chart.TITLE)
    assert f"{chart.MAX_ROWS} показателей с наименьшим достижением из {n - 1};" in title


def test_the_chart_labels_no_more_rows_than_fit_whatever_the_size(monkeypatch):
    labelled: list[str] = []
    real = chart._label

    def counting(text: str, width: int = 60) -> str:
        labelled.append(text)
        return real(text, width)

    monkeypatch.setattr(chart, "_label", counting)
    n = 5 * chart.MAX_ROWS
    png = chart.plan_fact_chart(_indicators([Decimal(1)] * n), [Decimal(1)] * n)
    assert png is not None and png.startswith(b"\x89PNG")
    assert len(labelled) == chart.MAX_ROWS


@pytest.mark.parametrize("height", [chart.MAX_ROWS, chart.MAX_ROWS + 1])
def test_the_rows_drawn_fit_the_page_at_their_full_height(height):
    rows, _title = chart.chart_rows(_indicators([Decimal(1)] * height), [Decimal(1)] * height)
    assert chart.ROW_IN * len(rows) + chart.FRAME_IN <= chart.MAX_HEIGHT_IN
