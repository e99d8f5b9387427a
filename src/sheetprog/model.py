"""The program model: plain data, no I/O.

Every object read from a workbook keeps the address of the cell each value came
from in ``cells`` (field key → "Показатели!H12"). Keys for per-year values are
"plan.2021", "fact.2021", "fact.2021-Q1", "cash.2021-Q2", … (see ``value_key``).
``cells`` and ``row`` do not take part in equality, so a model built from a
definition equals the same model read back from its workbook.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from dataclasses import field as dataclasses_field
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, TypeVar

from sheetprog.periods import Period, Span
from sheetprog.targets import Target
from sheetprog.timing import Timing


class Direction(StrEnum):
    UP = "рост"
    DOWN = "снижение"


class Status(StrEnum):
    DONE = "выполнено"
    PARTIAL = "выполнено частично"
    IN_PROGRESS = "выполняется"
    NOT_DONE = "не выполнено"
    NOT_DUE = "не наступил срок"
    CANCELLED = "отменено"


class Source(StrEnum):
    FEDERAL = "федеральный бюджет"
    REGIONAL = "региональный бюджет"
    LOCAL = "местный бюджет"
    OFF_BUDGET = "внебюджетные источники"


def value_key(kind: str, year: int, span: Span = Span.YEAR) -> str:
    """Key of a per-period value in ``cells``: ("fact", 2021, Span.Q1) → "fact.2021-Q1"."""
    return f"{kind}.{Period(year, span).key}"


@dataclass(frozen=True)
class ReadProblem:
    """Something the reader could not take as it is; becomes a finding in the checks.

    It carries a catalogue code only: how serious it is comes from the check catalogue
    (and the ``[checks.severity]`` setting), as for every other finding. ``value`` is the
    cell as the clerk typed it (a formula as its text)."""

    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    value: object = None

    @property
    def ref(self) -> str | None:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet


@dataclass(frozen=True)
class Expected:
    """A fact not known yet, typed into its cell as «ожидается 15.03.2022» (issue 18): the
    assessment without it is provisional until that date."""

    date: dt.date | None

    def __str__(self) -> str:
        return f"ожидается {self.date:%d.%m.%Y}" if self.date else "ожидается"


@dataclass
class Subprogram:
    number: str
    name: str


@dataclass
class Passport:
    municipality: str | None = None
    oktmo: str | None = None
    program_name: str | None = None
    program_code: str | None = None
    responsible_executor: str | None = None
    co_executors: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    subprograms: list[Subprogram] = field(default_factory=list)
    goal: str | None = None
    tasks: list[str] = field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    reporting_year: int | None = None
    reporting_span: Span | None = None
    methodology: str | None = None
    funding_total: Decimal | None = None
    funding_by_year: dict[int, Decimal] = field(default_factory=dict)
    signatory_position: str | None = None
    signatory_name: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    note: str | None = None
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def years(self) -> list[int]:
        if self.first_year is None or self.last_year is None:
            return []
        return list(range(self.first_year, self.last_year + 1))

    @property
    def reporting_period(self) -> Period | None:
        if self.reporting_year is None:
            return None
        return Period(self.reporting_year, self.reporting_span or Span.YEAR)


@dataclass
class Indicator:
    name: str | None = None
    number: str | None = None
    code: str | None = None
    subprogram: str | None = None
    task: str | None = None
    unit: str | None = None
    direction: Direction | None = None
    weight: Decimal | None = None
    base: Decimal | None = None
    plan: dict[int, Target] = field(default_factory=dict)
    facts: dict[Period, Decimal] = field(default_factory=dict)
    justification: str | None = None
    activities: list[str] = field(default_factory=list)
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    expected: dict[Period, dt.date | None] = field(default_factory=dict)  # issue 18

    def fact(self, period: Period) -> Decimal | None:
        return self.facts.get(period)

    @property
    def label(self) -> str:
        """The code, else the number, else the name shortened at a word with «…»."""
        if self.code or self.number:
            return self.code or self.number or ""
        return textwrap.shorten(self.name or "", 60, placeholder="…")  # as fmt.shorten


@dataclass
class Activity:
    number: str | None = None
    name: str | None = None
    subprogram: str | None = None
    is_main: bool = False
    responsible: str | None = None
    co_executors: list[str] = field(default_factory=list)
    planned_start: Timing | None = None
    planned_end: Timing | None = None
    actual_start: Timing | None = None
    actual_end: Timing | None = None
    expected_result: str | None = None
    result_plan: Decimal | None = None
    achieved_result: str | None = None
    result_fact: Decimal | None = None
    status: Status | None = None
    problems: str | None = None
    no_funding: bool = False
    year_status: dict[int, Status] = field(default_factory=dict)  # multi-year: per year
    year_result: dict[int, Decimal] = field(default_factory=dict)
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def status_in(self, year: int) -> Status | None:
        """The status the assessment of ``year`` uses: that year's, else the overall one."""
        return self.year_status.get(year, self.status)

    def result_in(self, year: int) -> Decimal | None:
        return self.year_result.get(year, self.result_fact)

    @property
    def level(self) -> int:
        return len([p for p in (self.number or "").split(".") if p])

    @property
    def parent_number(self) -> str | None:
        parts = [p for p in (self.number or "").split(".") if p]
        return ".".join(parts[:-1]) if len(parts) > 1 else None


@dataclass
class FundingLine:
    activity: str | None = None
    activity_name: str | None = None
    source: Source | None = None
    source_text: str | None = None
    grbs: str | None = None
    plan: dict[int, Decimal] = field(default_factory=dict)
    budget_list: dict[int, Decimal] = field(default_factory=dict)
    cash: dict[Period, Decimal] = field(default_factory=dict)
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def actual(self, year: int) -> Decimal | None:
        """Cash executed in the whole year (the "Факт" column); None when not entered."""
        return self.cash.get(Period(year, Span.YEAR))

    @property
    def plan_total(self) -> Decimal:
        return sum(self.plan.values(), Decimal(0))


@dataclass
class TotalRow:
    """A typed "Итого"/"в том числе" row: not data, kept for the checks."""

    sheet: str
    row: int
    label: str
    source: Source | None
    values: dict[str, Decimal | None] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict, repr=False)


# -- editions of the program (issue 18) ---------------------------------------------------


@dataclass
class EditionRow:
    """One row of the «Редакции» sheet: the act (on the edition's first row; blank on the
    rows that continue it) and one recorded change «было → стало» of a tracked value."""

    act_kind: str | None = None
    act_number: str | None = None
    act_date: dt.date | None = None
    effective_date: dt.date | None = None
    reason: str | None = None
    description: str | None = None
    sheet: str | None = None
    item: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    cell: str | None = None
    row: int | None = dataclasses_field(default=None, compare=False)
    cells: dict[str, str] = dataclasses_field(default_factory=dict, compare=False, repr=False)

    @property
    def has_act(self) -> bool:
        return bool(self.act_kind or self.act_number or self.act_date)

    @property
    def has_change(self) -> bool:
        return bool(self.sheet or self.item or self.field)


@dataclass
class Edition:
    """An amending act and the changes it made (rows of «Редакции» grouped by act)."""

    act_kind: str | None = None
    act_number: str | None = None
    act_date: dt.date | None = None
    effective_date: dt.date | None = None
    reason: str | None = None
    description: str | None = None
    changes: list[EditionRow] = dataclasses_field(default_factory=list)
    row: int | None = dataclasses_field(default=None, compare=False)
    cells: dict[str, str] = dataclasses_field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        """ "постановление № 123 от 01.02.2026" (what is known of it)."""
        parts = [self.act_kind or "акт"]
        if self.act_number:
            parts.append(f"№ {self.act_number}")
        if self.act_date:
            parts.append(f"от {self.act_date:%d.%m.%Y}")
        return " ".join(parts)

    @property
    def in_force(self) -> dt.date | None:
        """The date the edition applies from: its effective date, else the act's date."""
        return self.effective_date or self.act_date


@dataclass
class Explanation:
    """A row of «Пояснения»: why an indicator or a funding line deviated in a year, or the
    program's measures and proposals (section «программа»)."""

    section: str | None = None
    item: str | None = None
    year: int | None = None
    category: str | None = None
    text: str | None = None
    measures: str | None = None
    proposals: str | None = None
    row: int | None = dataclasses_field(default=None, compare=False)
    cells: dict[str, str] = dataclasses_field(default_factory=dict, compare=False, repr=False)


@dataclass
class Program:
    KIND: ClassVar[str] = "program"  # the workbook kind (sheetprog.kinds)

    passport: Passport = field(default_factory=Passport)
    indicators: list[Indicator] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    funding: list[FundingLine] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list, compare=False)
    problems: list[ReadProblem] = field(default_factory=list, compare=False)
    source_path: str | None = field(default=None, compare=False)
    template_version: str | None = field(default=None, compare=False)
    table_years: list[int] = field(default_factory=list, compare=False)
    editions: list[Edition] = field(default_factory=list)  # «Редакции» (issue 18)
    explanations: list[Explanation] = field(default_factory=list)  # «Пояснения» (issue 18)
    has_explanations_sheet: bool = field(default=False, compare=False)

    @property
    def years(self) -> list[int]:
        """Program years: from the passport, else from the tables' column headers."""
        return self.passport.years or list(self.table_years)

    def activity(self, number: str) -> Activity | None:
        for activity in self.activities:
            if activity.number == number:
                return activity
        return None


def enclosing_numbers(activities: list[Activity]) -> set[str]:
    """Numbers of the activities that have nested ones ("1" and "1.2" when "1.2.3" exists):
    one pass, so a leaf test is a set look-up."""
    out: set[str] = set()
    for act in activities:
        parts = [p for p in (act.number or "").split(".") if p]
        for depth in range(1, len(parts)):
            out.add(".".join(parts[:depth]))
    return out


_K = TypeVar("_K")


def funding_parents(lines: list[FundingLine]) -> list[int | None]:
    """For each funding line, the index of the line its amounts are part of: the first line
    of the same source of the nearest enclosing activity (1.2 for 1.2.3, else 1) that has
    one; None for a top line. One decision, used by the assessment, the checks and the
    workbook's own totals (a parent's line is the subtotal of its nested activities)."""
    first: dict[tuple[str, object], int] = {}
    for i, line in enumerate(lines):
        key = (clean_number(line.activity), line.source or line.source_text)
        first.setdefault(key, i)
    parents: list[int | None] = []
    for line in lines:
        parts = clean_number(line.activity).split(".")
        found = None
        for depth in range(len(parts) - 1, 0, -1):
            found = first.get((".".join(parts[:depth]), line.source or line.source_text))
            if found is not None:
                break
        parents.append(found)
    return parents


def counted_funding(lines: list[FundingLine]) -> list[FundingLine]:
    """The lines as totals count them: a parent's line counts only what it has beyond the
    lines of its nested activities (its own remainder); a pure subtotal counts nothing (its
    amounts become empty). Copies with the cells kept; a line without children as it is."""
    parents = funding_parents(lines)
    children: dict[int, list[FundingLine]] = {}
    for line, parent in zip(lines, parents, strict=True):
        if parent is not None:
            children.setdefault(parent, []).append(line)
    out = []
    for i, line in enumerate(lines):
        nested = children.get(i)
        if not nested:
            out.append(line)
            continue
        out.append(
            FundingLine(
                activity=line.activity,
                activity_name=line.activity_name,
                source=line.source,
                source_text=line.source_text,
                grbs=line.grbs,
                plan=_remainder(line.plan, [c.plan for c in nested]),
                budget_list=_remainder(line.budget_list, [c.budget_list for c in nested]),
                cash=_remainder(line.cash, [c.cash for c in nested]),
                row=line.row,
                cells=line.cells,
            )
        )
    return out


def _remainder(own: dict[_K, Decimal], nested: list[dict[_K, Decimal]]) -> dict[_K, Decimal]:
    out: dict[_K, Decimal] = {}
    for key, value in own.items():
        rest = value - sum((n.get(key) or Decimal(0) for n in nested), Decimal(0))
        if rest != 0:
            out[key] = rest
    return out


def clean_number(number: str | None) -> str:
    """ "1.2." → "1.2": an activity number without empty parts."""
    return ".".join(p for p in (number or "").split(".") if p)
