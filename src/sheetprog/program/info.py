"""What ``sheetprog info`` shows: a summary of what was read."""

from __future__ import annotations

from typing import Any

from sheetprog.checks.base import Finding
from sheetprog.checks.view import problems_lines
from sheetprog.model import Program
from sheetprog.serialize import to_jsonable


def info_dict(program: Program, problems: list[Finding]) -> dict[str, Any]:
    """The model with cell references, plus counts, for ``info --json``; ``problems``: the
    reader's problems as findings (with the catalogue's severity)."""
    data: dict[str, Any] = {
        "file": program.source_path,
        "template_version": program.template_version,
        "years": program.years,
        "counts": {
            "indicators": len(program.indicators),
            "activities": len(program.activities),
            "funding_lines": len(program.funding),
            "problems": len(program.problems),
        },
    }
    data.update(to_jsonable(program))
    data.pop("source_path", None)
    data["problems"] = to_jsonable(problems)
    return data


def info_text(program: Program, problems: list[Finding]) -> str:
    """``problems``: the reader's problems as findings (``checks.run.read_findings``)."""
    p = program.passport
    period = p.reporting_period
    lines = [
        f"Файл: {program.source_path}",
        f"Муниципальное образование: {p.municipality or '—'}"
        + (f" (ОКТМО {p.oktmo})" if p.oktmo else ""),
        f"Программа: {p.program_name or '—'}" + (f" [{p.program_code}]" if p.program_code else ""),
        f"Ответственный исполнитель: {p.responsible_executor or '—'}",
        f"Годы реализации: {p.first_year or '?'}–{p.last_year or '?'}"
        + (
            f"; годы в таблицах: {', '.join(map(str, program.table_years))}"
            if program.table_years != p.years
            else ""
        ),
        f"Отчётный период: {period.label if period else '—'}",
        f"Подпрограмм: {len(p.subprograms)}, показателей: {len(program.indicators)}, "
        f"мероприятий: {len(program.activities)}, строк финансирования: {len(program.funding)}",
    ]
    return "\n".join(lines + problems_lines(problems))
