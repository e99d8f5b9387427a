"""The program report kinds (quarterly, annual, final): check, assess, render."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sheetprog.errors import ReportBlockedError, UsageError
from sheetprog.model import Program
from sheetprog.periods import Period
from sheetprog.program.kind import choose_period
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
    from sheetprog.reports.chart import funding_chart, plan_fact_chart
    from sheetprog.reports.context import build_context
    from sheetprog.reports.filters import plural
    from sheetprog.reports.render import chart_names, write_report
    from sheetprog.reports.template_files import default_template

    method = settings.methodology(program.passport.methodology)
    report = run_checks(program, settings.checks)
    if report.errors and options.on_errors == "block" and not options.despite_errors:
        raise ReportBlockedError(
            f"В книге «{path}» {plural(report.errors, 'ошибка', 'ошибки', 'ошибок')} проверки "
            "(sheetprog check): отчёт не сформирован. Исправьте ошибки или добавьте "
            "--despite-errors, чтобы вынести их в приложение."
        )
    chosen = choose_period(program, options.period, path)
    covered: list[int] | None = None
    if kind.period == PERIOD_YEAR and not chosen.is_annual:
        chosen = Period(chosen.year)
    if kind.period == PERIOD_WHOLE:
        chosen = Period(chosen.year)
        covered = _covered_years(program, chosen, path, options.partial)
        chosen = Period(covered[-1])
    assessment = assess(program, chosen, method)
    context = build_context(
        kind.name, program, assessment, method, report, today=options.today, years=covered
    )
    template_path = options.template or default_template(kind.name)
    charts = chart_names(template_path) if kind.chart else frozenset()
    if "chart" in charts:  # drawn only for a template that shows it (the final one does not)
        context["chart"] = plan_fact_chart(
            context["indicators"], [r["achievement"] for r in context["indicators"]]
        )
    if "funding_chart" in charts:
        context["funding_chart"] = funding_chart(context["funding_by_source"])
    target = options.out or path.parent / _report_name(kind, program, chosen)
    pdf_path = write_report(
        template_path, context, target, replace=options.replace, pdf=options.pdf
    )
    return ReportResult(target, pdf_path, report.errors)


def make_amendment_report(
    kind: ReportKind, program: Program, path: Path, options: ReportOptions, settings: Any
) -> ReportResult:
    """Issue 18: the «было / стало» annex of the workbook's latest edition."""
    from sheetprog.reports.context import amendment_context

    return edition_annex(kind, program, path, options, amendment_context)


def edition_annex(
    kind: ReportKind,
    program: Any,
    path: Path,
    options: ReportOptions,
    context_of: Callable[[Any, Any], dict[str, Any]],
) -> ReportResult:
    """The annex of the workbook's latest edition, in either structure (``context_of``:
    its context from the program and the report date); no checks: a draft is amended
    first. A workbook without editions is refused."""
    from sheetprog.reports.render import write_report
    from sheetprog.reports.template_files import default_template

    if not program.editions:
        raise UsageError(
            f"В книге «{path}» нет редакций (лист «Редакции» пуст или его нет): запишите "
            "изменения командой «sheetprog amend СТАРАЯ НОВАЯ --act … --reason …»."
        )
    context = context_of(program, options.today)
    name = program.passport.program_code or program.passport.program_name or "программа"
    name = re.sub(r"[^\w\- ]+", "", name).strip()[:40] or "программа"
    target = options.out or path.parent / f"{kind.file_word} {name}.docx"
    template_path = options.template or default_template(kind.name)
    pdf_path = write_report(
        template_path, context, target, replace=options.replace, pdf=options.pdf
    )
    return ReportResult(target, pdf_path, 0)


def years_with_facts(program: Program) -> list[int]:
    """The program's years for which any indicator fact or any cash execution is entered."""
    return [
        y
        for y in program.years
        if any(i.fact(Period(y)) is not None for i in program.indicators)
        or any(line.actual(y) is not None for line in program.funding)
    ]


def _covered_years(program: Program, period: Period, path: Path, partial: bool) -> list[int]:
    """The years a final report covers: every year of the program, each with facts; with
    ``partial``, the years up to the period that have facts (the report says which)."""
    from sheetprog.reports.filters import years_label

    with_facts = set(years_with_facts(program))
    uncovered = [y for y in program.years if y > period.year or y not in with_facts]
    covered = [y for y in program.years if y <= period.year and y in with_facts]
    if uncovered and not partial:
        raise UsageError(
            f"Итоговый отчёт охватывает все годы программы ({years_label(program.years)}), "
            f"а в книге «{path}» нет фактов за {years_label(uncovered)} "
            f"{'год' if len(uncovered) == 1 else 'годы'}. Внесите факты или добавьте "
            "--partial: отчёт за годы с фактами"
            + (f" ({years_label(covered)})" if covered else "")
            + ", и это будет сказано в его заголовке."
        )
    if not covered:
        raise UsageError(f"В книге «{path}» нет фактов ни за один год программы.")
    return covered


def _report_name(kind: ReportKind, program: Program, period: Period) -> str:
    name = program.passport.program_code or program.passport.program_name or "программа"
    name = re.sub(r"[^\w\- ]+", "", name).strip()[:40] or "программа"
    when = (
        f"{program.passport.first_year}-{period.year}"
        if kind.period == PERIOD_WHOLE
        else period.key
    )
    return f"{kind.file_word} {name} {when}.docx"
