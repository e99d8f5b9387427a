"""What an assessment keeps: every step, with the cells it came from. Plain data."""

from __future__ import annotations

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


@dataclass
class Assessment:
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

    def score(self, key: str) -> Score:
        for score in self.scores:
            if score.key == key:
                return score
        raise KeyError(key)
