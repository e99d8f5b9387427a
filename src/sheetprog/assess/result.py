"""What an assessment keeps: every step, with the cells it came from. Plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sheetprog.periods import Period
from sheetprog.targets import Target


@dataclass
class IndicatorResult:
    code: str
    name: str
    subprogram: str | None
    unit: str | None
    direction: str | None
    target: Target | None
    plan: Decimal | None  # the number the ratio uses (bound of a qualified target)
    fact: Decimal | None
    ci: Decimal | None  # after policy, cap and rounding
    ci_raw: Decimal | None  # before cap and rounding
    achieved: bool | None
    excluded: bool
    reason: str | None
    policy: list[str] = field(default_factory=list)
    weight: Decimal | None = None  # normalised weight used in the average
    weight_input: Decimal | None = None  # the "Вес" column
    justification: str | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class ActivityResult:
    number: str
    name: str
    subprogram: str | None
    status: str | None
    counted: bool
    done: bool | None
    overdue: bool
    reason: str | None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class FundingGroup:
    """Plan, actual and execution of a group of funding lines (a source, a subprogram, all)."""

    key: str
    label: str
    plan: Decimal
    actual: Decimal
    execution: Decimal | None
    cells: list[str] = field(default_factory=list)


@dataclass
class Score:
    key: str  # as the methodology names it: "C", "U", "M", "E", "СРгп", "ЭРп/п[1]" …
    title: str
    value: Decimal | None
    formula: str  # in words, with the numbers
    inputs: dict[str, str] = field(default_factory=dict)  # name → value as shown
    cells: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class Rating:
    value: Decimal | None
    label: str
    phrase: str
    score: str | None  # which score was rated


class AssessmentStatus:
    """Whether an assessment is provisional (facts marked «ожидается», issue 18), refined or
    final — shared by both program structures' assessments, which carry ``expected`` (item →
    the date its fact is expected, if given) and ``refined_from`` (None unless it refines a
    provisional one)."""

    expected: dict[str, dt.date | None]
    refined_from: object

    @property
    def provisional(self) -> bool:
        return bool(self.expected)

    @property
    def refine_after(self) -> dt.date | None:
        """The latest date a fact is expected by (None when none is dated)."""
        dates = [d for d in self.expected.values() if d is not None]
        return max(dates) if dates else None

    @property
    def status(self) -> str:
        """«предварительная», «уточнённая» or «окончательная»."""
        if self.provisional:
            return "предварительная"
        return "уточнённая" if self.refined_from is not None else "окончательная"


@dataclass
class Assessment(AssessmentStatus):
    file: str | None
    period: Period
    method_key: str
    method_name: str
    family: str
    indicators: list[IndicatorResult]
    activities: list[ActivityResult]
    funding_by_source: list[FundingGroup]
    funding_by_subprogram: list[FundingGroup]
    funding_total: FundingGroup
    scores: list[Score]
    rating: Rating
    conclusion: str
    notes: list[str] = field(default_factory=list)
    # issue 18: facts marked «ожидается» (indicator code → the date expected, if given)
    expected: dict[str, dt.date | None] = field(default_factory=dict)
    refined_from: Rating | None = None  # the provisional rating this one refines

    @property
    def status_text(self) -> str:
        """What the reports, the sheet and calc say about it ("" for a plain final one)."""
        from sheetprog.fmt import percent

        if self.provisional:
            when = (
                f"после {self.refine_after:%d.%m.%Y}"
                if self.refine_after
                else ("после поступления фактов")
            )
            codes = ", ".join(self.expected)
            return (
                f"Оценка предварительная: будет уточнена {when} (ожидаются факты "
                f"показателей: {codes})."
            )
        if self.refined_from is not None:
            before = self.refined_from
            was = percent(before.value) if before.value is not None else "—"
            return f"Оценка уточнённая: предварительная оценка была {was} — {before.label}."
        return ""

    def score(self, key: str) -> Score:
        for score in self.scores:
            if score.key == key:
                return score
        raise KeyError(key)
