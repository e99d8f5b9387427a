"""The reserve report kind: the Word report of a reserve workbook (names only when asked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheetprog.reports.kinds import ReportKind, ReportOptions, ReportResult
from sheetprog.reserve.model import Reserve


def make_reserve_report(
    kind: ReportKind, reserve: Reserve, path: Path, options: ReportOptions, settings: Any
) -> ReportResult:
    """The reserve report (.docx, and its PDF when asked); names only ``with_names``."""
    from sheetprog.reports.render import write_report
    from sheetprog.reports.template_files import default_template
    from sheetprog.reserve.kind import KIND
    from sheetprog.reserve.views import reserve_context

    assessment = KIND.assess(reserve, path, period=options.period, method=None, settings=settings)
    context = reserve_context(
        reserve, assessment, with_names=options.with_names, today=options.today
    )
    target = options.out or path.parent / f"{kind.file_word} {assessment.year}.docx"
    template_path = options.template or default_template(kind.name)
    pdf_path = write_report(
        template_path, context, target, replace=options.replace, pdf=options.pdf
    )
    return ReportResult(target, pdf_path, 0)
