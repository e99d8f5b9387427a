"""The project-structure program for people, machines and the «Оценка» sheet. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sheetprog import spec
from sheetprog.checks.base import Finding
from sheetprog.checks.view import problems_lines
from sheetprog.fmt import number, percent
from sheetprog.grid import Cell, Row
from sheetprog.project.assess import ElementScore, ProjectAssessment
from sheetprog.project.model import ProjectProgram
from sheetprog.serialize import to_jsonable
from sheetprog.version import __version__

WIDTHS = {1: 52.0, 2: 14.0, 3: 46.0, 4: 40.0, 5: 14.0}
SHORT_TYPES = {
    "муниципальный проект": "МПр",
    "региональный проект": "РП",
    "ведомственный проект": "ВП",
    "комплекс процессных мероприятий": "КПМ",
}


def info_text(program: ProjectProgram, problems: list[Finding]) -> str:
    p = program.passport
    period = p.reporting_period
    kinds: dict[str, int] = {}
    for e in program.elements:
        short = SHORT_TYPES.get(e.type or "", e.type or "?")
        kinds[short] = kinds.get(short, 0) + 1
    lines = [
        f"Файл: {program.source_path}",
        "Структура: проектная (структурные элементы, результаты, контрольные точки)",
        f"Муниципальное образование: {p.municipality or '—'}"
        + (f" (ОКТМО {p.oktmo})" if p.oktmo else ""),
        f"Программа: {p.program_name or '—'}" + (f" [{p.program_code}]" if p.program_code else ""),
        f"Куратор: {p.curator or '—'}; ответственный исполнитель: {p.responsible or '—'}",
        f"Годы реализации: {p.first_year or '?'}–{p.last_year or '?'}",
        f"Отчётный период: {period.label if period else '—'}",
        f"Структурных элементов: {len(program.elements)}"
        + (" (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else "")
        + f", показателей: {len(program.indicators)}, результатов: {len(program.results)}, "
        f"контрольных точек: {len(program.points)}, строк финансирования: "
        f"{len(program.funding)}",
    ]
    return "\n".join(lines + problems_lines(problems))


def info_dict(program: ProjectProgram, problems: list[Finding]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": program.source_path,
        "kind": program.KIND,
        "template_version": program.template_version,
        "years": program.years,
        "counts": {
            "elements": len(program.elements),
            "indicators": len(program.indicators),
            "results": len(program.results),
            "points": len(program.points),
            "funding_lines": len(program.funding),
            "problems": len(program.problems),
        },
    }
    data.update(to_jsonable(program))
    data.pop("source_path", None)
    data["problems"] = to_jsonable(problems)
    return data


def _pct(value: Decimal | None) -> str:
    return percent(value) if value is not None else "—"


def element_line(s: ElementScore) -> str:
    return (
        f"{s.code:<6} {SHORT_TYPES.get(s.type, s.type)[:4]:<4} СДП {_pct(s.sdp):>8}  "
        f"СРМ {_pct(s.srm):>8} ({s.results_done}/{s.results_counted})  "
        f"СКТ {_pct(s.skt):>8} ({s.points_on_time}/{s.points_due})  "
        f"ССУЗ {_pct(s.ssuz):>8}  ЭИС {_pct(s.eis):>8}  ЭР {_pct(s.er):>8}"
    )


def assessment_text(a: ProjectAssessment) -> str:
    lines = [
        f"Оценка эффективности муниципальной программы (структура проектов): {a.period.label}",
        f"Методика: {a.method.name}; контрольные точки — на {a.as_of:%d.%m.%Y}",
        "",
        "Структурные элементы:",
    ]
    lines += ["  " + element_line(s) for s in a.elements]
    lines += [
        "",
        f"СДПмп (показатели программы): {_pct(a.sdp)}",
        f"ЭРмп (эффективность программы): {_pct(a.value)}" + (f" — {a.rating}" if a.rating else ""),
    ]
    if a.status_text:  # issue 18: provisional until the facts «ожидается» arrive
        lines.append(a.status_text)
    lines += [f"Примечание: {n}." for n in a.notes]
    lines += ["", a.conclusion]
    return "\n".join(lines)


def _d(value: Decimal | None) -> Any:
    return to_jsonable(value)


def assessment_dict(a: ProjectAssessment) -> dict[str, Any]:
    return {
        "file": a.file,
        "kind": "project",
        "period": a.period.key,
        "method": a.method.key,
        "as_of": a.as_of.isoformat(),
        "scores": {"СДПмп": _d(a.sdp), "ЭРмп": _d(a.value)},
        "rating": {"value": _d(a.value), "label": a.rating},
        "elements": [
            {
                "code": s.code,
                "name": s.name,
                "type": s.type,
                "СДП": _d(s.sdp),
                "СРМ": _d(s.srm),
                "СКТ": _d(s.skt),
                "СРЭ": _d(s.sre),
                "ССУЗ": _d(s.ssuz),
                "ЭИС": _d(s.eis),
                "ЭР": _d(s.er),
                "k": _d(s.share),
                "results": {"done": s.results_done, "counted": s.results_counted},
                "points": {"on_time": s.points_on_time, "due": s.points_due},
                "plan_base": _d(s.base),
                "cash": _d(s.cash),
            }
            for s in a.elements
        ],
        "notes": a.notes,
        "conclusion": a.conclusion,
        # issue 18: provisional until the facts marked «ожидается» arrive
        "status": a.status,
        "expected": {name: to_jsonable(d) for name, d in a.expected.items()},
        "refine_after": to_jsonable(a.refine_after),
        "refined_from": (
            {"value": _d(a.refined_from[0]), "label": a.refined_from[1]} if a.refined_from else None
        ),
    }


def assessment_rows(a: ProjectAssessment, today: dt.date | None = None) -> list[Row]:
    today = today or dt.date.today()

    def value(v: Decimal | None) -> Cell:
        return Cell(v, "percent") if v is not None else Cell("—", "text")

    rows: list[Row] = [
        [Cell("Оценка эффективности муниципальной программы", "title")],
        [
            Cell(
                f"Период: {a.period.label}. Методика: {a.method.name}. Контрольные точки — "
                f"на {a.as_of:%d.%m.%Y}. Рассчитано sheetprog {__version__} "
                f"{today:%d.%m.%Y}. Лист перезаписывается при каждом расчёте.",
                "hint",
            )
        ],
        [Cell(h, "header") for h in spec.ASSESSMENT_HEADERS],
        [Cell("Итог", "section")],
        [
            Cell("ЭРмп — эффективность реализации программы", "text"),
            value(a.value),
            Cell(
                "0,5·СДПмп + 0,5·Σ ЭРэ·kэ"
                if a.method.program == "weighted"
                else "0,5·СДПмп + 0,5·среднее ЭРэ",
                "text",
            ),
            Cell(a.rating or a.conclusion, "text"),
        ],
        [
            Cell("СДПмп — степень достижения показателей программы", "text"),
            value(a.sdp),
            Cell("среднее СДПi показателей программы", "text"),
        ],
        [  # issue 18: предварительная / уточнённая / окончательная
            Cell("Статус оценки", "text"),
            Cell(a.status, "text"),
            Cell(a.status_text, "text"),
        ],
        [Cell("Структурные элементы", "section")],
    ]
    for s in a.elements:
        rows.append([Cell(f"{s.code} {s.name} ({s.type})", "text")])
        for key, title, v, formula, inputs in (
            ("СДП", "степень достижения показателей", s.sdp, "среднее СДПi", ""),
            (
                "СРМ",
                "степень выполнения мероприятий (результатов)",
                s.srm,
                "выполненные / учитываемые",
                f"{s.results_done} из {s.results_counted}",
            ),
            (
                "СКТ",
                "степень достижения контрольных точек",
                s.skt,
                "в срок / наступившие",
                f"{s.points_on_time} из {s.points_due}",
            ),
            ("СРЭ", "степень реализации элемента", s.sre, "(1−w)·СРМ + w·СКТ", ""),
            (
                "ССУЗ",
                "соответствие запланированному уровню расходов",
                s.ssuz,
                "касса / план",
                f"{number(s.cash, 2)} / {number(s.base, 2)} тыс. руб.",
            ),
            ("ЭИС", "эффективность использования средств", s.eis, "СРЭ / ССУЗ", ""),
            ("ЭР", "эффективность реализации элемента", s.er, "СДП × ЭИС", ""),
        ):
            rows.append(
                [
                    Cell(f"   {key} — {title}", "text"),
                    value(v),
                    Cell(formula, "text"),
                    Cell(inputs, "text"),
                ]
            )
    rows.append([Cell("Показатели программы: степень достижения (СДПi)", "section")])
    for d in a.program_indicators:
        rows.append(
            [
                Cell(f"{d.key} {d.name}", "text"),
                value(d.value),
                Cell(f"план {number(d.plan)}, факт {number(d.fact)}", "text"),
                Cell(d.note or "", "text"),
            ]
        )
    for note in a.notes:
        rows.append([Cell(f"Примечание: {note}.", "text")])
    rows.append([Cell(a.conclusion, "text")])
    return rows
