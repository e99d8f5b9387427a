"""Deviations of a project-structure program that need an explanation (issue 18, item 5).

Pure. The same «Пояснения» sheet, rows and rules (H08–H13, H15) as the program structure
(``sheetprog.program.deviations``), with the project structure's values:

- an *indicator or result deviation* of a year: the degree Ф/П (П/Ф for an indicator of
  direction «снижение»; a result: Ф/П) below 1 by at least ``deviation_under``, or above 1
  by more than ``deviation_over``. A zero denominator gives no degree and no deviation (the
  plan of a growing value of 0, a decreasing value brought to 0). Indicators and results
  are explained in the section «показатель», «Строка» = the indicator's code (else number,
  else name) or the result's number. Years: the earlier program years with their annual
  fact (only with the «Пояснения» sheet) and the reporting year — within a year with the
  year-end forecast, as the assessment rates it (no forecast: no deviation, C13 asks for it);
- a *funding shortfall* of a year: the annual cash below the year's budget list at the
  reporting date («Роспись на отчётную дату»), or the program's plan where that is empty,
  by more than ``funding_under`` of it and more than the money tolerance. «Строка» as
  ``project.history.funding_items`` names the line.

For a workbook without the sheet, the row's «Обоснование отклонений» counts as the
explanation of the reporting year (as in the program structure).
"""

from __future__ import annotations

from decimal import Decimal

from sheetprog import spec
from sheetprog.model import Direction
from sheetprog.periods import Period
from sheetprog.program.deviations import (
    Deviation,
    Shortfall,
    find_explanation,
    shortfall,
    years_due,
)
from sheetprog.project.history import funding_items
from sheetprog.project.model import Measured, ProjectIndicator, ProjectProgram
from sheetprog.targets import Target, TargetOp

ONE = Decimal(1)


def _degree(row: Measured, plan: Decimal, fact: Decimal) -> Decimal | None:
    if isinstance(row, ProjectIndicator) and row.direction is Direction.DOWN:
        return plan / fact if fact else None
    return fact / plan if plan else None


def explanation_item(row: Measured) -> str:
    """How «Строка» of «Пояснения» names an indicator or a result."""
    if isinstance(row, ProjectIndicator):
        return str(row.code or row.number or row.name or "")
    return str(row.number or "")


def project_deviations(
    program: ProjectProgram, under: Decimal = Decimal(0), over: Decimal = Decimal("0.1")
) -> list[Deviation]:
    out: list[Deviation] = []
    reporting = program.passport.reporting_period
    rows: list[Measured] = [*program.indicators, *program.results]
    for row in rows:
        item = explanation_item(row)
        for period in years_due(program):
            plan = row.plan.get(period.year)
            if period.is_annual:
                fact, key = row.facts.get(period), f"fact.{period.key}"
            else:  # within a year: the year-end forecast, as the assessment
                fact, key = row.forecast.get(period.year), f"forecast.{period.year}"
            if not row.name or not item or plan is None or fact is None:
                continue
            ci = _degree(row, plan, fact)
            if ci is None:
                continue
            if ci < ONE and ONE - ci >= under:
                sign = -1
            elif ci >= ONE and ci - ONE > over:
                sign = 1
            else:
                continue
            out.append(
                Deviation(
                    row,
                    item,
                    period,
                    Target(TargetOp.EQ, plan),
                    fact,
                    ci,
                    sign,
                    find_explanation(program, spec.SECTION_INDICATOR, item, period.year),
                    row.justification if period == reporting else None,
                    row.cells.get(key),
                )
            )
    return out


def project_shortfalls(
    program: ProjectProgram, under: Decimal = Decimal(0), tolerance: Decimal = Decimal("0.005")
) -> list[Shortfall]:
    out: list[Shortfall] = []
    periods = [p for p in years_due(program) if p.is_annual]
    for line, item in zip(program.funding, funding_items(program.funding), strict=True):
        for period in periods:
            base = line.budget_list.get(period.year)
            if base is None:
                base = line.plan.get(period.year)
            cash = line.cash.get(Period(period.year))
            found = shortfall(program, line, item, period.year, base, cash, under, tolerance)
            if found is not None:
                out.append(found)
    return out


def project_items(program: ProjectProgram) -> dict[str, list[str]]:
    """What «Строка» may name, by section (H15)."""
    return {
        spec.SECTION_INDICATOR: [
            explanation_item(r) for r in [*program.indicators, *program.results]
        ],
        spec.SECTION_FUNDING: funding_items(program.funding),
    }
