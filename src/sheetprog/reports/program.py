"""The program report kinds (quarterly, annual, final): check, assess, render."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sheetprog.errors import ReportBlockedError, UsageError
from sheetprog.model import Program
from sheetprog.periods import Period
from sheetprog.reports.kinds import (
    PERIOD_WHOLE,
    PERIOD_YEAR,
    ReportKind,
    ReportOptions,
    ReportResult,
)


def make_program_report(
    kind: ReportKind, program: Program, path: Path, options: ReportOptions, settings: Any
) -> ReportResult:
    """The report of a program already read (from a file, or from Excel by the buttons);
    ``path`` is the workbook's file: the default output folder."""
    from sheetprog.assess.engine import assess
    from sheetprog.checks.run import run_checks
    from sheetprog.periods import parse_period
    from sheetprog.reports.chart import plan_fact_chart
    from sheetprog.reports.context import build_context
    from sheetprog.reports.filters import plural
    from sheetprog.reports.render import write_report
    from sheetprog.reports.templates_build import default_template

    method = settings.methodology(program.passport.methodology)
    report = run_checks(program, settings.checks)
    if report.errors and options.on_errors == "block" and not options.force:
        raise ReportBlockedError(
            f"В книге «{path}» {plural(report.errors, 'ошибка', 'ошибки', 'ошибок')} проверки "
            "(sheetprog check): отчёт не сформирован. Исправьте ошибки или добавьте --force, "
            "чтобы вынести их в приложение."
        )
    try:
        chosen = (
            parse_period(options.period) if options.period else program.passport.reporting_period
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if chosen is None:
        raise UsageError(f"В паспорте книги «{path}» не указан отчётный год; укажите --period.")
    if kind.period == PERIOD_YEAR and not chosen.is_annual:
        chosen = Period(chosen.year)
    if kind.period == PERIOD_WHOLE:
        chosen = Period(min(program.passport.last_year or chosen.year, chosen.year))
    assessment = assess(program, chosen, method)
    context = build_context(kind.name, program, assessment, method, report, today=options.today)
    if kind.chart:
        context["chart"] = plan_fact_chart(
            context["indicators"], [r["achievement"] for r in context["indicators"]]
        )
    template_path = options.template or default_template(kind.name)
    target = options.out or path.parent / _report_name(kind, program, chosen)
    pdf_path = write_report(
        template_path, context, target, replace=options.replace, pdf=options.pdf
    )
    return ReportResult(target, pdf_path, report.errors)


def _report_name(kind: ReportKind, program: Program, period: Period) -> str:
    name = program.passport.program_code or program.passport.program_name or "программа"
    name = re.sub(r"[^\w\- ]+", "", name).strip()[:40] or "программа"
    when = (
        f"{program.passport.first_year}-{program.passport.last_year}"
        if kind.period == PERIOD_WHOLE
        else period.key
    )
    return f"{kind.file_word} {name} {when}.docx"
