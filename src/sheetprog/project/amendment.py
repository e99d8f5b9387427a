"""Issue 18: the «было / стало» annex (report kind ``project-amendment``) of a program in
the project structure: the latest edition's changes by sheet, as the program's
``amendment`` kind shows them, with the results («Результаты») as a section of their own.

A change is placed by its «Лист»; a row whose sheet is none of the tracked ones (typed by
hand) goes with the passport's changes under its own sheet's name, so nothing recorded is
left out of the annex.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheetprog.project.model import ProjectProgram
from sheetprog.reports.kinds import ReportKind, ReportOptions, ReportResult


def project_amendment_context(
    program: ProjectProgram, today: dt.date | None = None
) -> dict[str, Any]:
    """The annex's context: the latest edition in force order (a draft counts last)."""
    from sheetprog.fmt import shorten
    from sheetprog.program.history import edition_order
    from sheetprog.project.history import funding_items, measured_items
    from sheetprog.project.layout import SHEET_FUNDING, SHEET_INDICATORS, SHEET_RESULTS
    from sheetprog.reports.context import edition_rows
    from sheetprog.spec import SHEET_PASSPORT
    from sheetprog.values import normalize_text as norm

    p = program.passport
    editions = sorted(program.editions, key=edition_order)
    latest = editions[-1] if editions else None
    indicators = {
        norm(item): i
        for item, i in zip(
            measured_items(program.indicators, SHEET_INDICATORS), program.indicators, strict=True
        )
    }
    results = {
        norm(item): r
        for item, r in zip(
            measured_items(program.results, SHEET_RESULTS), program.results, strict=True
        )
    }
    lines = {
        norm(item): line
        for item, line in zip(funding_items(program.funding), program.funding, strict=True)
    }
    out: dict[str, list[dict[str, Any]]] = {
        "passport_changes": [],
        "indicator_changes": [],
        "result_changes": [],
        "funding_changes": [],
    }
    for row in latest.changes if latest else []:
        sheet, item = norm(row.sheet or ""), norm(row.item or "")
        change = {"old": row.old or "—", "new": row.new or "—", "column": row.field or ""}
        measured = (
            indicators.get(item)
            if sheet == norm(SHEET_INDICATORS)
            else results.get(item)
            if sheet == norm(SHEET_RESULTS)
            else None
        )
        if sheet in (norm(SHEET_INDICATORS), norm(SHEET_RESULTS)):
            key = "indicator_changes" if sheet == norm(SHEET_INDICATORS) else "result_changes"
            out[key].append(
                {
                    "number": row.item or "",
                    "name": shorten(measured.name, 120) if measured and measured.name else "",
                    "unit": (measured.unit or "") if measured else "",
                    **change,
                }
            )
        elif sheet == norm(SHEET_FUNDING):
            line = lines.get(item)
            out["funding_changes"].append(
                {
                    "item": row.item or "",
                    "name": shorten(line.name, 120) if line and line.name else "",
                    **change,
                }
            )
        else:
            field = row.item or ""
            if sheet != norm(SHEET_PASSPORT):
                field = f"{row.sheet}: {field}"
            out["passport_changes"].append({"field": field, **change})
    name = p.program_name or ""
    return {
        "report": {"date": today or dt.date.today(), "title": "«было / стало»"},
        "program": {
            "municipality": p.municipality or "",
            "name": name,
            "title": f"«{name}»" if name else "",
            "responsible": p.responsible or "",
            "signatory_position": p.signatory_position or "",
            "signatory_name": p.signatory_name or "",
            "contact_person": p.executor or "",
            "contact_phone": "",  # the project passport has one «Исполнитель» field
        },
        "edition": {
            "title": latest.title if latest else "",
            "act_kind": (latest.act_kind or "") if latest else "",
            "number": (latest.act_number or "") if latest else "",
            "date": latest.act_date if latest else None,
            "reason": (latest.reason or "") if latest else "",
            "description": (latest.description or "") if latest else "",
        },
        **out,
        "editions": edition_rows(program),
    }


def make_project_amendment_report(
    kind: ReportKind, program: ProjectProgram, path: Path, options: ReportOptions, settings: Any
) -> ReportResult:
    """The annex of the workbook's latest edition (``reports.program.edition_annex``)."""
    from sheetprog.reports.program import edition_annex

    return edition_annex(kind, program, path, options, project_amendment_context)


def project_amendment_sample() -> dict[str, Any]:
    """A complete sample context (the lint's and the docs' variables)."""
    from decimal import Decimal

    from sheetprog.model import Edition, EditionRow
    from sheetprog.project.model import (
        ElementFunding,
        ProjectIndicator,
        ProjectPassport,
        Result,
    )

    program = ProjectProgram(
        passport=ProjectPassport(
            municipality="Город N", program_name="Развитие муниципальной службы",
            signatory_position="Глава", signatory_name="И. И. Иванов", executor="Петрова",
        ),
        indicators=[ProjectIndicator(number="1", name="Обучено", unit="человек", code="П1",
                                     plan={2025: Decimal(32)})],
        results=[Result(number="1.1", name="Обучены служащие", unit="человек",
                        plan={2025: Decimal(5)})],
        funding=[ElementFunding("4 01", "Обучение", "0140100010", None, "местный бюджет",
                                {2025: Decimal(210)})],
        editions=[
            Edition(
                "постановление", "45", dt.date(2025, 6, 20), dt.date(2025, 6, 20),
                "решение о бюджете", "объёмы 2025 года",
                changes=[
                    EditionRow(sheet="Паспорт", item="Объём финансирования 2025, тыс. руб.",
                               field="Значение", old="530", new="480"),
                    EditionRow(sheet="Показатели", item="П1", field="План 2025",
                               old="30", new="32"),
                    EditionRow(sheet="Результаты", item="1.1", field="План 2025",
                               old="4", new="5"),
                    EditionRow(sheet="Финансовое обеспечение", item="4 01 · местный бюджет",
                               field="План 2025", old="200", new="210"),
                ],
            )
        ],
    )  # fmt: skip
    return project_amendment_context(program, dt.date(2025, 6, 10))
