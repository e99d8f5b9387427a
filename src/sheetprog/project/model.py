"""The project-structure program model: plain data; every value keeps its cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from sheetprog.model import Direction, Edition, Explanation, ReadProblem, Source, TotalRow
from sheetprog.periods import Period, Span


@dataclass
class ProjectPassport:
    municipality: str | None = None
    oktmo: str | None = None
    program_name: str | None = None
    program_code: str | None = None  # the first two characters of the КЦСР
    approval: str | None = None
    curator: str | None = None
    responsible: str | None = None
    co_executors: list[str] = field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    stages: str | None = None
    goals: list[str] = field(default_factory=list)
    national_goals: str | None = None
    regional_program: str | None = None
    funding_total: dict[int, Decimal] = field(default_factory=dict)
    reporting_year: int | None = None
    reporting_span: Span | None = None
    reporting_date: dt.date | None = None
    methodology: str | None = None
    signatory_position: str | None = None
    signatory_name: str | None = None
    executor: str | None = None
    note: str | None = None
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def years(self) -> list[int]:
        if self.first_year is None or self.last_year is None:
            return []
        if self.last_year < self.first_year or self.last_year - self.first_year > 30:
            return []
        return list(range(self.first_year, self.last_year + 1))

    @property
    def reporting_period(self) -> Period | None:
        if self.reporting_year is None:
            return None
        return Period(self.reporting_year, self.reporting_span or Span.YEAR)


@dataclass
class Element:
    code: str | None = None
    type: str | None = None
    name: str | None = None
    responsible: str | None = None
    period: str | None = None
    tasks: str | None = None
    link: str | None = None
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.code} «{self.name}»" if self.name else f"{self.code or ''}"


@dataclass
class Measured:
    """What indicators and results share: plan by year, cumulative facts, forecasts."""

    number: str | None = None
    element: str | None = None
    name: str | None = None
    unit: str | None = None
    okei: str | None = None
    base: Decimal | None = None
    base_year: int | None = None
    plan: dict[int, Decimal] = field(default_factory=dict)
    facts: dict[Period, Decimal] = field(default_factory=dict)
    forecast: dict[int, Decimal] = field(default_factory=dict)
    # issue 18: facts typed «ожидается ДД.ММ.ГГГГ» (reported later), by period → the date
    expected: dict[Period, dt.date | None] = field(default_factory=dict)
    responsible: str | None = None
    justification: str | None = None
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class ProjectIndicator(Measured):
    code: str | None = None
    level: str | None = None
    direction: Direction | None = None

    @property
    def key(self) -> str:
        return self.code or self.number or f"строка {self.row}"

    @property
    def label(self) -> str:
        """How findings and the provisional note name it: «показатель П1»."""
        return f"показатель {self.key}"


@dataclass
class Result(Measured):
    type: str | None = None
    indicators: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.number or f"строка {self.row}"

    @property
    def label(self) -> str:
        """How findings and the provisional note name it: «результат 1.1»."""
        return f"результат {self.key}"


@dataclass
class ControlPoint:
    number: str | None = None
    result: str | None = None
    name: str | None = None
    planned: dt.date | None = None
    actual: dt.date | None = None
    document: str | None = None
    responsible: str | None = None
    explanation: str | None = None
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return self.number or f"строка {self.row}"


@dataclass
class ElementFunding:
    element: str | None = None
    name: str | None = None
    kcsr: str | None = None
    source: Source | None = None
    source_text: str | None = None
    plan: dict[int, Decimal] = field(default_factory=dict)
    budget_initial: dict[int, Decimal] = field(default_factory=dict)
    budget_list: dict[int, Decimal] = field(default_factory=dict)
    cash: dict[Period, Decimal] = field(default_factory=dict)
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class ProjectProgram:
    KIND: ClassVar[str] = "project"  # the workbook kind (sheetprog.kinds)

    passport: ProjectPassport = field(default_factory=ProjectPassport)
    elements: list[Element] = field(default_factory=list)
    indicators: list[ProjectIndicator] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    points: list[ControlPoint] = field(default_factory=list)
    funding: list[ElementFunding] = field(default_factory=list)
    funding_totals: list[TotalRow] = field(default_factory=list, compare=False)
    editions: list[Edition] = field(default_factory=list)  # «Редакции» (issue 18)
    explanations: list[Explanation] = field(default_factory=list)  # «Пояснения» (issue 18)
    has_explanations_sheet: bool = field(default=False, compare=False)
    problems: list[ReadProblem] = field(default_factory=list, compare=False)
    source_path: str | None = field(default=None, compare=False)
    template_version: str | None = field(default=None, compare=False)

    @property
    def years(self) -> list[int]:
        return self.passport.years

    def element(self, code: str | None) -> Element | None:
        return next((e for e in self.elements if code and e.code == code), None)
