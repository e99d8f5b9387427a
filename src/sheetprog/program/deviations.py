"""Deviations that need an explanation, year by year, and their explanations (issue 18).

Pure. An *indicator deviation* of a year: the plan missed (not achieved, by the
methodology's own rule, ``assess.engine.degree``) by at least ``deviation_under`` of the
plan (1 − Ci), or exceeded by more than ``deviation_over`` (Ci − 1). The years are the
program years up to the reporting year: the reporting year with the reporting period's
fact (as the I05 rule does), earlier years with their annual fact.

A *funding shortfall* of a year: the annual cash («Факт {year}») below the year's plan by
more than ``funding_under`` of the plan and more than the money tolerance; a quarter's
cumulative cash is not compared with the annual plan (it is naturally incomplete), so in a
quarterly period only the earlier years count.

An explanation is a «Пояснения» row of the section, item and year. For a workbook without
that sheet (made before issue 18), the indicator's own «Обоснование отклонений» counts as
the explanation of the reporting year, and earlier years are not asked for (their
explanations were due in earlier reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sheetprog import spec
from sheetprog.model import (
    Direction,
    Explanation,
    FundingLine,
    Indicator,
    Program,
    counted_funding,
    value_key,
)
from sheetprog.periods import Period
from sheetprog.program.history import funding_items, indicator_item
from sheetprog.project.model import ElementFunding, Measured, ProjectProgram
from sheetprog.targets import Target
from sheetprog.values import normalize_text

ONE = Decimal(1)


@dataclass(frozen=True)
class Deviation:
    indicator: Indicator | Measured  # Measured: an indicator or result of the project structure
    item: str
    period: Period
    target: Target
    fact: Decimal
    ci: Decimal
    sign: int  # -1: the plan missed; +1: exceeded
    explanation: Explanation | None
    legacy: str | None  # the indicator's «Обоснование отклонений», where it counts
    cell: str | None  # the fact's cell

    @property
    def text(self) -> str | None:
        if self.explanation is not None and self.explanation.text:
            return self.explanation.text
        return self.legacy

    @property
    def explained(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Shortfall:
    line: FundingLine | ElementFunding  # ElementFunding: the project structure's
    item: str
    year: int
    plan: Decimal
    cash: Decimal
    explanation: Explanation | None
    cell: str | None

    @property
    def share(self) -> Decimal:
        return self.cash / self.plan if self.plan else Decimal(0)

    @property
    def explained(self) -> bool:
        return bool(self.explanation and self.explanation.text)


def find_explanation(
    program: Program | ProjectProgram, section: str, item: str, year: int
) -> Explanation | None:
    """The «Пояснения» row of ``section``, ``item`` and ``year`` (either structure)."""
    wanted = (section, normalize_text(item), year)
    for row in program.explanations:
        if (normalize_text(row.section or ""), normalize_text(row.item or ""), row.year) == wanted:
            return row
    return None


def years_due(program: Program | ProjectProgram) -> list[Period]:
    """The periods whose deviations are explained: earlier program years (only with the
    «Пояснения» sheet) and the reporting period."""
    period = program.passport.reporting_period
    if period is None:
        return []
    earlier = (
        [Period(y) for y in program.years if y < period.year]
        if program.has_explanations_sheet
        else []
    )
    return [*earlier, period]


def indicator_deviations(
    program: Program, under: Decimal = Decimal(0), over: Decimal = Decimal("0.1")
) -> list[Deviation]:
    """Deviations beyond the thresholds (shares of the plan; ``[checks.tolerance]``
    deviation_under / deviation_over)."""
    from sheetprog.assess.engine import degree

    out: list[Deviation] = []
    reporting = program.passport.reporting_period
    for ind in program.indicators:
        item = indicator_item(ind)
        for period in years_due(program):
            target, fact = ind.plan.get(period.year), ind.fact(period)
            if not ind.name or target is None or not target.is_set or fact is None:
                continue
            ci, achieved, _policy = degree(target, fact, ind.direction or Direction.UP, None)
            if not achieved and ONE - ci >= under:
                sign = -1
            elif achieved and ci - ONE > over:
                sign = 1
            else:
                continue
            legacy = ind.justification if period == reporting else None
            out.append(
                Deviation(
                    ind,
                    item,
                    period,
                    target,
                    fact,
                    ci,
                    sign,
                    find_explanation(program, spec.SECTION_INDICATOR, item, period.year),
                    legacy,
                    ind.cells.get(value_key("fact", period.year, period.span)),
                )
            )
    return out


def funding_shortfalls(
    program: Program, under: Decimal = Decimal(0), tolerance: Decimal = Decimal("0.005")
) -> list[Shortfall]:
    """Lines whose annual cash is below the plan by more than ``under`` of it and more
    than ``tolerance`` (thousands of rubles)."""
    out: list[Shortfall] = []
    periods = [p for p in years_due(program) if p.is_annual]
    counted = counted_funding(program.funding)
    for line, item in zip(counted, funding_items(program.funding), strict=True):
        for period in periods:
            plan, cash = line.plan.get(period.year), line.actual(period.year)
            found = shortfall(program, line, item, period.year, plan, cash, under, tolerance)
            if found is not None:
                out.append(found)
    return out


def shortfall(
    program: Program | ProjectProgram,
    line: FundingLine | ElementFunding,
    item: str,
    year: int,
    base: Decimal | None,
    cash: Decimal | None,
    under: Decimal,
    tolerance: Decimal,
) -> Shortfall | None:
    """The line's shortfall in ``year`` (either structure): cash below ``base`` by more than
    ``under`` of it and more than ``tolerance``; None without one, or without a positive
    base or a cash figure (no fact: the funding rules ask for it)."""
    if base is None or base <= 0 or cash is None:
        return None
    gap = base - cash
    if gap <= tolerance or gap <= base * under:
        return None
    explanation = find_explanation(program, spec.SECTION_FUNDING, item, year)
    return Shortfall(line, item, year, base, cash, explanation, line.cells.get(f"cash.{year}"))


def program_notes(program: Program | ProjectProgram, year: int) -> Explanation | None:
    """The «программа» row of ``year``: the measures and proposals."""
    for row in program.explanations:
        if normalize_text(row.section or "") == spec.SECTION_PROGRAM and row.year == year:
            return row
    return None


def boilerplate(deviations: list[Deviation]) -> list[tuple[str, list[Deviation]]]:
    """The same explanation (folded) given for deviations of both signs: a text that
    explains a miss and an overshoot alike explains neither."""
    by_text: dict[str, list[Deviation]] = {}
    for dev in deviations:
        if dev.text:
            by_text.setdefault(normalize_text(dev.text), []).append(dev)
    return [
        (devs[0].text or "", devs) for devs in by_text.values() if {d.sign for d in devs} == {-1, 1}
    ]
