"""The "Оценка" sheet: an assessment laid out as rows, each figure with its formula in words,
its inputs and links to the cells they came from. Pure: produces cell specs only."""

from __future__ import annotations

import datetime as dt

from sheetprog import spec
from sheetprog.assess.result import Assessment
from sheetprog.fmt import money, number
from sheetprog.grid import Cell, Row
from sheetprog.version import __version__

MAX_LINKS = 4  # cell links per row (columns E…)
WIDTHS = {1: 48.0, 2: 12.0, 3: 60.0, 4: 36.0} | {5 + i: 20.0 for i in range(MAX_LINKS + 1)}


def _links(cells: list[str]) -> list[Cell | None]:
    out: list[Cell | None] = [Cell(c, "link", c) for c in cells[:MAX_LINKS]]
    if len(cells) > MAX_LINKS:
        out.append(Cell(f"… и ещё {len(cells) - MAX_LINKS}", "hint"))
    return out


def assessment_rows(a: Assessment, today: dt.date | None = None) -> list[Row]:
    today = today or dt.date.today()
    rows: list[Row] = [
        [Cell("Оценка эффективности муниципальной программы", "title")],
        [
            Cell(
                f"Период: {a.period.label}. Методика: {a.method_name}. Рассчитано sheetprog "
                f"{__version__} {today:%d.%m.%Y}. Лист перезаписывается при каждом расчёте.",
                "hint",
            )
        ],
        [Cell(h, "header") for h in spec.ASSESSMENT_HEADERS],
        [Cell("Итог", "section")],
        [
            Cell("Оценка эффективности (рейтинг)", "text"),
            Cell(a.rating.value, "percent") if a.rating.value is not None else Cell("—", "text"),
            Cell(a.rating.label, "text"),
            Cell(a.conclusion, "text"),
        ],
        [  # issue 18: предварительная / уточнённая / окончательная
            Cell("Статус оценки", "text"),
            Cell(a.status, "text"),
            Cell(a.status_text, "text"),
        ],
        [Cell("Коэффициенты методики", "section")],
    ]
    for s in a.scores:
        value = Cell(s.value, "percent") if s.value is not None else Cell(s.note or "—", "text")
        inputs = "; ".join(f"{k}: {v}" for k, v in s.inputs.items())
        if s.note and s.value is not None:
            inputs = f"{inputs}; {s.note}" if inputs else s.note
        rows.append(
            [
                Cell(f"{s.key} — {s.title}", "text"),
                value,
                Cell(s.formula, "text"),
                Cell(inputs, "text"),
                *_links(s.cells),
            ]
        )
    rows.append([Cell("Показатели: степень достижения (Ci)", "section")])
    for r in a.indicators:
        plan = r.target.canonical() if r.target else "—"
        note = (
            r.reason
            if r.excluded
            else "; ".join(r.policy) or ("достигнуто" if r.achieved else "не достигнуто")
        )
        formula = "исключён из расчёта: " + (r.reason or "") if r.excluded else note
        value = Cell(r.ci, "percent") if r.ci is not None else Cell("—", "text")
        inputs = f"план {plan}; факт {number(r.fact)}"
        if r.weight is not None:
            inputs += f"; вес {number(r.weight)}"
        rows.append(
            [
                Cell(f"{r.code} — {r.name}", "text"),
                value,
                Cell(formula, "text"),
                Cell(inputs, "text"),
                *_links(list(r.cells.values())),
            ]
        )
    counted = [x for x in a.activities if x.counted]
    done = [x for x in counted if x.done]
    overdue = [x for x in counted if x.overdue]
    rows.append([Cell("Мероприятия", "section")])
    rows.append(
        [
            Cell("Учитывается / выполнено / не выполнено в срок", "text"),
            Cell(len(counted), "text"),
            Cell(f"выполнено {len(done)}, не выполнено в срок {len(overdue)}", "text"),
        ]
    )
    for x in overdue:
        rows.append(
            [
                Cell(f"{x.number} — {x.name}", "text"),
                Cell(x.status or "без статуса", "text"),
                Cell("срок наступил, мероприятие не выполнено", "text"),
                None,
                *_links(list(x.cells.values())),
            ]
        )
    rows.append([Cell("Финансирование, тыс. руб.", "section")])
    for group in [a.funding_total, *a.funding_by_source, *a.funding_by_subprogram]:
        value = (
            Cell(group.execution, "percent") if group.execution is not None else Cell("—", "text")
        )
        rows.append(
            [
                Cell(group.label, "text"),
                value,
                Cell(
                    f"исполнение = факт / план = {money(group.actual)} / {money(group.plan)}",
                    "text",
                ),
                Cell(f"план {money(group.plan)}; факт {money(group.actual)}", "text"),
                *_links(group.cells),
            ]
        )
    return rows
