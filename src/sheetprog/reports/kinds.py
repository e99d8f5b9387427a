"""Report kinds: the one registry every part of sheetprog that knows a report reads.

The CLI's ``report`` command and its help, the Excel buttons and the macro module
written into .xlsm workbooks, the default templates and their builder, the template
lint's variables and docs/templates.md all come from ``REPORT_KINDS``. A new kind is
one ``register(ReportKind(...))`` with its template builder, sample context and maker.

Functions are named as "module:function" and imported when used, so the registry is
cheap to import (``sheetprog --help`` stays fast) and has no import cycles.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetprog.errors import UsageError

# How a report's period follows from the one asked for (or the passport's):
PERIOD_AS_GIVEN = "as_given"  # a year or a quarter to date, as given
PERIOD_YEAR = "year"  # the whole year of the period
PERIOD_WHOLE = "whole"  # the program's years up to the period (at most its last year)


@dataclass(frozen=True)
class ReportKind:
    name: str  # the CLI word and the template's file name: "annual"
    title: str  # what a clerk calls it: «Годовой отчёт» (button caption, help, docs)
    heading: str  # the document's own title
    file_word: str  # the default file name starts with it: «Отчёт»
    workbook: str  # the workbook kind it is made from ("program", "reserve"); "region": batch
    period: str  # PERIOD_AS_GIVEN, PERIOD_YEAR or PERIOD_WHOLE
    builder: str  # "module:function" → python-docx Document: the default template
    sample: str  # "module:function" → a complete sample context (lint, docs)
    maker: str | None = None  # "module:function" (kind, model, path, options) → ReportResult
    macro: str | None = None  # VBA macro of its button in .xlsm workbooks; None: no button
    chart: bool = False  # the plan/fact chart of indicators goes into the context

    @property
    def template(self) -> str:
        return f"{self.name}.docx"

    @property
    def entry_point(self) -> str:
        """The ``sheetprog.xl`` function its button calls: ``report_annual``."""
        return "report_" + self.name.replace("-", "_")


@dataclass(frozen=True)
class ReportOptions:
    """What a report command or button asks for; a maker uses what applies to its kind."""

    period: str | None = None
    out: Path | None = None
    template: Path | None = None
    pdf: bool = False
    on_errors: str = "annex"  # "annex": check errors listed in an annex; "block": no report
    despite_errors: bool = False  # with "block": make the report all the same
    replace: bool = False  # overwrite an existing report file
    with_names: bool = False  # personal data (the reserve's names) in the report
    partial: bool = False  # a report over the whole program may cover only years with facts
    today: dt.date | None = None


@dataclass
class ReportResult:
    docx: Path
    pdf: Path | None
    errors: int  # check errors listed in the report's annex


REPORT_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.name in REPORT_KINDS:
        raise ValueError(f"report kind {kind.name} is registered already")
    REPORT_KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    REPORT_KINDS.pop(name, None)


def resolve(reference: str) -> Any:
    """ "module:function" → the function."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


def get_report_kind(name: str) -> ReportKind:
    kind = REPORT_KINDS.get(name)
    if kind is None or kind.maker is None:
        raise UsageError(
            f"Вид отчёта «{name}» неизвестен: допустимо {', '.join(workbook_report_names())}."
        )
    return kind


def workbook_report_names(workbook: str | None = None) -> list[str]:
    """The kinds made from a workbook (of the given workbook kind): what ``report`` takes."""
    return [
        k.name
        for k in REPORT_KINDS.values()
        if k.maker and (workbook is None or k.workbook == workbook)
    ]


def buttons(workbook: str | None = None) -> list[ReportKind]:
    """The kinds with a button in macro-enabled workbooks, in registry order (``workbook``:
    only those made from that workbook kind — the buttons a workbook of it shows)."""
    return [k for k in REPORT_KINDS.values() if k.macro and workbook in (None, k.workbook)]


_B = "sheetprog.reports.templates_build:"
_S = "sheetprog.reports.schema:"
_PROGRAM = "sheetprog.reports.program:make_program_report"

register(
    ReportKind(
        "quarterly",
        "Квартальный отчёт",
        "Информация о ходе реализации муниципальной программы",
        "Информация",
        "program",
        PERIOD_AS_GIVEN,
        _B + "quarterly",
        _S + "program_sample",
        _PROGRAM,
        "SheetprogQuarterlyReport",
    )
)
register(
    ReportKind(
        "annual",
        "Годовой отчёт",
        "Отчёт о ходе реализации и оценке эффективности муниципальной программы",
        "Отчёт",
        "program",
        PERIOD_YEAR,
        _B + "annual",
        _S + "program_sample",
        _PROGRAM,
        "SheetprogAnnualReport",
        chart=True,
    )
)
register(
    ReportKind(
        "final",
        "Итоговый отчёт",
        "Итоговый отчёт о реализации муниципальной программы",
        "Итоговый отчёт",
        "program",
        PERIOD_WHOLE,
        _B + "final",
        _S + "program_sample",
        _PROGRAM,
        "SheetprogFinalReport",
        chart=True,
    )
)
register(
    ReportKind(
        "reserve",
        "Отчёт о кадровом резерве",
        "Оценка эффективности работы с муниципальным резервом управленческих кадров",
        "Оценка резерва",
        "reserve",
        PERIOD_YEAR,
        _B + "reserve",
        _S + "reserve_sample",
        "sheetprog.reserve.report:make_reserve_report",
    )
)
register(
    ReportKind(
        "region-summary",
        "Сводная аналитическая записка",
        "Сводная аналитическая записка о ходе реализации и эффективности муниципальных программ",
        "Сводная аналитическая записка",
        "region",
        PERIOD_AS_GIVEN,
        _B + "region_summary",
        "sheetprog.reports.region:region_sample",
    )
)
register(
    ReportKind(
        "region-letter",
        "Письмо о возврате отчёта на доработку",
        "О возврате отчёта на доработку",
        "Письмо",
        "region",
        PERIOD_AS_GIVEN,
        _B + "region_letter",
        "sheetprog.reports.region:letter_sample",
    )
)

# -- a program in the project structure (issue 17; sheetprog.project) -----------------------
_PROJECT = "sheetprog.project.report:make_project_report"
_PROJECT_SAMPLE = "sheetprog.project.report:project_sample"
register(
    ReportKind(
        "project-quarterly",
        "Мониторинг (структура проектов)",
        "Информация о ходе реализации муниципальной программы (мониторинг)",
        "Мониторинг",
        "project",
        PERIOD_AS_GIVEN,
        _B + "project_quarterly",
        _PROJECT_SAMPLE,
        _PROJECT,
        "SheetprogProjectQuarterly",
    )
)
register(
    ReportKind(
        "project-annual",
        "Годовой отчёт (структура проектов)",
        "Годовой отчёт о ходе реализации и оценке эффективности муниципальной программы",
        "Годовой отчёт",
        "project",
        PERIOD_YEAR,
        _B + "project_annual",
        _PROJECT_SAMPLE,
        _PROJECT,
        "SheetprogProjectAnnual",
    )
)
register(
    ReportKind(
        "project-final",
        "Итоговый отчёт (структура проектов)",
        "Итоговый отчёт о реализации муниципальной программы",
        "Итоговый отчёт",
        "project",
        PERIOD_WHOLE,
        _B + "project_final",
        _PROJECT_SAMPLE,
        _PROJECT,
        "SheetprogProjectFinal",
    )
)
# issue 18: the «было / стало» annex of a draft amending resolution (the latest edition)
register(
    ReportKind(
        "amendment",
        "Изменения программы (было / стало)",
        "Изменения, которые вносятся в муниципальную программу",
        "Изменения",
        "program",
        PERIOD_AS_GIVEN,
        _B + "amendment",
        _S + "amendment_sample",
        "sheetprog.reports.program:make_amendment_report",
    )
)
# issue 18: the same annex for a program in the project structure (no button, as above)
register(
    ReportKind(
        "project-amendment",
        "Изменения программы (было / стало, структура проектов)",
        "Изменения, которые вносятся в муниципальную программу",
        "Изменения",
        "project",
        PERIOD_AS_GIVEN,
        _B + "project_amendment",
        "sheetprog.project.amendment:project_amendment_sample",
        "sheetprog.project.amendment:make_project_amendment_report",
    )
)
