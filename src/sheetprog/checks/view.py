"""A check report for people (grouped by sheet) and machines (JSON-compatible dict)."""

from __future__ import annotations

from typing import Any

from sheetprog.checks.base import Finding
from sheetprog.checks.catalogue import CATALOGUE, Rule
from sheetprog.checks.report import CheckReport
from sheetprog.checks.severity import Severity
from sheetprog.checks.sheet import counts_text
from sheetprog.fmt import display
from sheetprog.serialize import to_jsonable


def report_dict(report: CheckReport, shown: CheckReport | None = None) -> dict[str, Any]:
    """``valid`` and ``counts`` describe the whole report; ``findings`` those ``shown``."""
    listed = shown if shown is not None else report
    return {
        "file": report.file,
        "valid": report.valid,
        "counts": {s.english: report.count(s) for s in Severity},
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "sheet": f.sheet,
                "cell": f.cell,
                "value": to_jsonable(f.value),
                "message": f.message,
                "title": CATALOGUE[f.code].title if f.code in CATALOGUE else None,
            }
            for f in listed.findings
        ],
    }


def _value(value: object) -> str:
    shown = display(value)
    return f" (значение: {shown})" if shown else ""


def report_text(report: CheckReport, shown: CheckReport | None = None) -> str:
    """Findings grouped by sheet; the totals are those of the whole report."""
    listed = shown if shown is not None else report
    lines = [f"Проверка книги «{report.file}»"]
    sheets: dict[str, list[str]] = {}
    for f in listed.findings:
        value = _value(f.value)
        where = f.cell or "—"
        sheets.setdefault(f.sheet or "Книга", []).append(
            f"  [{f.severity.value}] {f.code} {where}: {f.message}{value}"
        )
    for sheet, items in sheets.items():
        lines += ["", f"Лист «{sheet}»:", *items]
    if len(listed.findings) < len(report.findings):
        lines += ["", f"Показано замечаний: {len(listed.findings)} из {len(report.findings)}."]
    lines += [
        "",
        f"Итого: {counts_text(report)}.",
        "Книга принята: ошибок нет."
        if report.valid
        else "Книга не может быть принята: исправьте ошибки.",
    ]
    return "\n".join(lines)


def rule_dict(r: Rule) -> dict[str, Any]:
    return {
        "code": r.code,
        "group": r.group,
        "severity": r.severity.value,
        "title": r.title,
        "description": r.description,
        "source": "чтение" if r.func is None else "проверка",
    }


def rules_text() -> str:
    lines = []
    for r in CATALOGUE.values():
        lines.append(f"{r.code}  [{r.severity.value}]  {r.group}: {r.title}")
    return "\n".join(lines)


def problems_lines(problems: list[Finding], *, say_none: bool = True) -> list[str]:
    """The reader's problems, as ``info`` lists them for every kind."""
    if not problems:
        return ["Замечаний при чтении нет."] if say_none else []
    return [f"Замечания при чтении ({len(problems)}):"] + [
        f"  [{f.severity.label}] {f.code} {f.ref or ''}: {f.message}" for f in problems
    ]
