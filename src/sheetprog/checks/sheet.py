"""The "Проверки" sheet: findings with hyperlinks to their cells. Pure: cell specs only."""

from __future__ import annotations

import datetime as dt

from sheetprog import spec
from sheetprog.checks.report import CheckReport
from sheetprog.checks.severity import Severity
from sheetprog.fmt import display
from sheetprog.grid import Cell, Mark, Row
from sheetprog.version import __version__

WIDTHS = {1: 16.0, 2: 8.0, 3: 16.0, 4: 12.0, 5: 24.0, 6: 90.0}


def counts_text(report: CheckReport) -> str:
    """«ошибок 1, предупреждений 2, сведений 0»: the counts every view shows."""
    return (
        f"ошибок {report.count(Severity.ERROR)}, предупреждений "
        f"{report.count(Severity.WARNING)}, сведений {report.count(Severity.INFO)}"
    )


def checks_rows(report: CheckReport, today: dt.date | None = None) -> list[Row]:
    today = today or dt.date.today()
    counts = counts_text(report)
    verdict = "ошибок нет — книгу можно принять" if report.valid else "есть ошибки — исправьте их"
    rows: list[Row] = [
        [Cell("Результаты проверки", "title")],
        [
            Cell(
                f"Проверено sheetprog {__version__} {today:%d.%m.%Y}: {counts}; {verdict}. "
                "Ссылка в столбце «Ячейка» ведёт к ячейке. Лист перезаписывается при каждой "
                "проверке.",
                "hint",
            )
        ],
        [Cell(h, "header") for h in spec.CHECKS_HEADERS],
    ]
    for f in sorted(report.findings, key=lambda f: f.severity.rank):  # errors first
        link = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else None
        value = display(f.value)[:200]
        rows.append(
            [
                Cell(f.severity.label, f.severity.style),
                Cell(f.code, "text"),
                Cell(f.sheet or "", "text"),
                Cell(f.cell or "", "link" if link else "text", link),
                Cell(value, "text"),
                Cell(f.message, "text"),
            ]
        )
    if not report.findings:
        rows.append([Cell("Замечаний нет.", "text")])
    return rows


def marks_by_sheet(report: CheckReport) -> dict[str, list[Mark]]:
    """Findings with a cell, as highlight-and-note marks per sheet."""
    marks: dict[str, list[Mark]] = {}
    for f in report.findings:
        if f.sheet and f.cell:
            marks.setdefault(f.sheet, []).append(Mark(f.cell, f.severity, f"{f.code}: {f.message}"))
    return marks
