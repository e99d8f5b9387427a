"""The reserve model: plain data; every value keeps its cell (see sheetprog.model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from sheetprog.model import ReadProblem


@dataclass
class ReservePassport:
    municipality: str | None = None
    year: int | None = None  # the reporting year (assessment by 1 February of the next)
    responsible_unit: str | None = None
    signatory_position: str | None = None
    signatory_name: str | None = None
    note: str | None = None
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Reservist:
    ident: str | None = None  # табельный номер or another ID used instead of the name
    name: str | None = None  # personal data: never printed by the CLI
    position: str | None = None  # target position
    group: str | None = None  # высшая / главная / ведущая группа, руководитель МП/МУ
    decision: str | None = None  # commission decision number
    included: dt.date | None = None
    term_until: dt.date | None = None  # the 3-year term, or its extension
    extended: bool = False
    appointed: dt.date | None = None
    appointed_position: str | None = None
    appointed_target: bool = False  # appointed to a target position of the reserve
    excluded: dt.date | None = None
    exclusion_reason: str | None = None
    trained: bool = False  # took part in training while in the reserve (7.3)
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.ident or f"строка {self.row}"


@dataclass
class Vacancy:
    position: str | None = None
    group: str | None = None
    opened: dt.date | None = None
    filled_by: str | None = None  # резервистом / другим лицом / остаётся вакантной
    reservist: str | None = None  # the reservist's ID when filled from the reserve
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class DevelopmentPlan:
    reservist: str | None = None
    year: int | None = None
    approved: dt.date | None = None
    reported: dt.date | None = None
    done: bool = False
    row: int | None = field(default=None, compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Reserve:
    KIND: ClassVar[str] = "reserve"  # the workbook kind (sheetprog.kinds)

    passport: ReservePassport = field(default_factory=ReservePassport)
    reservists: list[Reservist] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    plans: list[DevelopmentPlan] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list, compare=False)
    source_path: str | None = field(default=None, compare=False)
    template_version: str | None = field(default=None, compare=False)
