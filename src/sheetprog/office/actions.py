"""The «sheetprog» menu's actions in LibreOffice Calc, run on the saved workbook file.

The same operations as the Excel buttons (``sheetprog.xl``), through the same library
functions, but on the file the office suite has just saved: «Проверить» is ``check
--in-place``, «Пересчитать» is ``check --in-place`` then ``calc --in-place``, a report item is
``report KIND --replace --partial`` (a report is asked for mid-programme too). The macro
(``calc_macro``) starts ``sheetprog libreoffice run ACTION FILE``, which prints one line of
JSON: ``{"ok", "title", "message", "errors", "report", "sheet"}``; the macro shows the
message and opens the sheet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetprog import spec
from sheetprog.api import check_message  # the Excel button's words (also for the tests)
from sheetprog.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, OutputError, SheetprogError

TITLE = "sheetprog"
REPORT_PREFIX = "report:"


@dataclass(frozen=True)
class Action:
    name: str  # what ``sheetprog libreoffice run`` takes: "check", "recalc", "report:annual"
    caption: str  # the menu item and toolbar button: «Проверить»
    function: str  # the macro function the menu item calls: "check", "report_annual"
    sheet: str | None  # the sheet shown after the workbook is reopened


def actions() -> list[Action]:
    """Every menu item: the two fixed actions of the Excel buttons, then one per report kind
    made from a workbook (the program's reports and the reserve's assessment report)."""
    from sheetprog.io.xlsm import ACTIONS
    from sheetprog.reports.kinds import REPORT_KINDS, workbook_report_names

    sheets = {"check": spec.SHEET_CHECKS, "recalc": spec.SHEET_ASSESSMENT}
    fixed = [Action(entry, caption, entry, sheets[entry]) for _b, caption, _m, entry in ACTIONS]
    reports = [
        Action(REPORT_PREFIX + name, REPORT_KINDS[name].title, REPORT_KINDS[name].entry_point, None)
        for name in workbook_report_names()
    ]
    return [*fixed, *reports]


def action_names() -> list[str]:
    return [a.name for a in actions()]


@dataclass
class Outcome:
    ok: bool
    message: str
    errors: int = 0
    report: Path | None = None
    sheet: str | None = None
    exit_code: int = EXIT_OK

    def as_json(self) -> str:
        data: dict[str, Any] = {
            "ok": self.ok,
            "title": TITLE if self.ok else f"{TITLE}: ошибка",
            "message": self.message,
            "errors": self.errors,
            "report": str(self.report) if self.report else None,
            "sheet": self.sheet,
        }
        return json.dumps(data, ensure_ascii=False)


def run_action(name: str, path: Path) -> Outcome:
    """Run one menu action on the saved workbook ``path``; never raises: a SheetprogError
    becomes its Russian message, anything else the «Внутренняя ошибка» text."""
    try:
        if name == "check":
            return _check(path)
        if name == "recalc":
            return _recalc(path)
        if name.startswith(REPORT_PREFIX):
            return _report(path, name.removeprefix(REPORT_PREFIX))
        raise OutputError(f"Неизвестное действие «{name}»: допустимо {', '.join(action_names())}.")
    except SheetprogError as exc:
        return Outcome(False, exc.message, exit_code=exc.exit_code)
    except Exception as exc:  # never a traceback in a dialog
        return Outcome(
            False,
            f"Внутренняя ошибка sheetprog ({type(exc).__name__}: {exc}). Сообщите специалисту "
            f"ИТ: в командной строке «sheetprog --debug libreoffice run {name} ФАЙЛ» покажет "
            "подробности.",
            exit_code=EXIT_INTERNAL,
        )


def _check(path: Path) -> Outcome:
    from sheetprog.api import check_workbook, write_checks

    _model, report = check_workbook(path)
    write_checks(path, report, in_place=True)
    return Outcome(
        True,
        check_message(report.errors, len(report.findings)),
        errors=report.errors,
        sheet=spec.SHEET_CHECKS,
        exit_code=EXIT_FINDINGS if report.errors else EXIT_OK,
    )


def _recalc(path: Path) -> Outcome:
    from sheetprog.api import (
        assess_workbook,
        check_workbook,
        recalc_message,
        write_assessment,
        write_checks,
    )

    model, report = check_workbook(path)
    write_checks(path, report, in_place=True)
    result = assess_workbook(model, path)
    write_assessment(path, result, model=model, in_place=True)
    return Outcome(
        True,
        recalc_message(model, result, report.errors),
        errors=report.errors,
        sheet=spec.SHEET_ASSESSMENT,
    )


def _report(path: Path, kind: str) -> Outcome:
    from sheetprog.api import make_report, report_message

    try:
        result = make_report(kind, path, replace=True, partial=True)
    except PermissionError as exc:
        raise OutputError(
            f"Файл отчёта «{exc.filename}» открыт в другой программе (например, в Writer или "
            "Word). Закройте его и выберите пункт меню ещё раз."
        ) from exc
    return Outcome(
        True,
        report_message(result),
        errors=result.errors,
        report=result.docx,
    )
