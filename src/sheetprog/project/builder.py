"""Write the project-structure workbook with the program builder's sheet helpers."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from sheetprog import spec
from sheetprog.io import styles
from sheetprog.io.builder import (
    BLANK_ROWS,
    SPARE_ROWS,
    edition_sheet_rows,
    lists_sheet,
    passport_sheet,
    protect_and_print,
    result_sheet,
    table_sheet,
    write_instructions,
)
from sheetprog.project.layout import FUNDING, LISTS, PASSPORT_FIELDS, TABLES, TOTAL_LABEL
from sheetprog.project.model import ProjectProgram
from sheetprog.spec import FIRST_DATA_ROW, Kind

SHEET_ORDER = (
    spec.SHEET_INSTRUCTIONS,
    spec.SHEET_PASSPORT,
    *(t.name for t in TABLES),
    spec.SHEET_ASSESSMENT,
    spec.SHEET_CHECKS,
    spec.SHEET_LISTS,
    spec.SHEET_EDITIONS,  # issue 18: the program's amending acts (docs/history.md)
    spec.SHEET_EXPLANATIONS,  # issue 18: deviations explained year by year
)


def _instructions(years: list[int]) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [
        ("title", "Инструкция по заполнению книги муниципальной программы (структура проектов)"),
        (
            "text",
            f"Годы реализации в этой книге: {years[0]}–{years[-1]}. "
            f"{spec.VERSION_LABEL}: {spec.TEMPLATE_VERSION}.",
        ),
        ("text", ""),
        ("head", "Как заполнять"),
        (
            "text",
            "1. «Паспорт»: куратор, ответственный исполнитель, соисполнители, сроки и этапы, "
            "цели и их связь с национальными целями и государственной программой субъекта, "
            "объём финансирования по годам. Обязательные поля выделены тёмно-красным.",
        ),
        (
            "text",
            "2. «Структурные элементы»: проекты и комплексы процессных мероприятий с кодом "
            "(знаки 3–5 целевой статьи), типом и ответственным.",
        ),
        (
            "text",
            "3. «Показатели» и «Результаты»: плановые значения по годам, факт нарастающим "
            "итогом, прогноз на конец года (в квартальном мониторинге обязателен); у каждого — "
            "код структурного элемента; у результата — показатели, которым он служит.",
        ),
        (
            "text",
            "4. «Контрольные точки»: по каждому результату — плановая дата, фактическая дата "
            "и подтверждающий документ; не достигнута в срок — причины отклонения.",
        ),
        (
            "text",
            "5. «Финансовое обеспечение»: элемент × источник, КЦСР, план по программе, "
            "сводная бюджетная роспись на 1 января и на отчётную дату, кассовое исполнение "
            "нарастающим итогом. Строка «Итого» считается формулами.",
        ),
        ("text", "6. Листы «Оценка» и «Проверки» заполняет программа sheetprog."),
        ("text", "Защита листов — без пароля: она только бережёт заголовки и формулы."),
        ("text", ""),
        ("head", "Цвета"),
        ("input", "Жёлтый — ввод данных"),
        ("computed", "Зелёный — формула, не редактируется"),
        ("header", "Голубой — заголовки"),
        ("text", ""),
        ("head", "Листы"),
    ]
    lines += [("text", f"«{t.name}» — {t.description}") for t in TABLES]
    lines.append(("text", f"«{spec.SHEET_EDITIONS}» — {spec.EDITIONS.description}"))
    lines.append(("text", f"«{spec.SHEET_EXPLANATIONS}» — {spec.EXPLANATIONS.description}"))
    return lines


def _funding_totals(ws: Worksheet, years: list[int], n_objects: int) -> None:
    """The «Итого по программе» row under the data area: live SUM formulas."""
    n_rows = n_objects + SPARE_ROWS if n_objects else BLANK_ROWS.get(FUNDING.name, 30)
    last_row = FIRST_DATA_ROW + n_rows - 1
    total_row = last_row + 1
    for col_idx, (col, _year) in enumerate(FUNDING.layout(years), start=1):
        cell = ws.cell(row=total_row, column=col_idx)
        cell.font = styles.TOTAL_FONT
        cell.border = styles.BORDER
        cell.fill = styles.COMPUTED_FILL
        cell.protection = styles.LOCKED
        if col.key == "name":
            cell.value = TOTAL_LABEL
        elif col.kind is Kind.MONEY:
            letter = get_column_letter(col_idx)
            cell.value = f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{last_row})"
            cell.number_format = styles.NUMBER_FORMATS[Kind.MONEY]
            cell.alignment = styles.NUMBER_ALIGN


def build_project_workbook(program: ProjectProgram) -> Workbook:
    years = program.years
    if not years:
        raise ValueError("program years are unknown")
    wb = Workbook()
    wb.remove(wb.active)
    for name in SHEET_ORDER:
        wb.create_sheet(name)
    lists_sheet(wb, LISTS)
    write_instructions(wb[spec.SHEET_INSTRUCTIONS], _instructions(years))
    passport_sheet(
        wb[spec.SHEET_PASSPORT],
        program.passport,
        years,
        PASSPORT_FIELDS,
        "Паспорт муниципальной программы",
    )
    rows: dict[str, Any] = {
        TABLES[0].name: program.elements,
        TABLES[1].name: program.indicators,
        TABLES[2].name: program.results,
        TABLES[3].name: program.points,
        TABLES[4].name: program.funding,
    }
    for table in TABLES:
        table_sheet(wb[table.name], table, rows[table.name], years)
    _funding_totals(wb[FUNDING.name], years, len(program.funding))
    editions = [row for edition in program.editions for row in edition_sheet_rows(edition)]
    table_sheet(wb[spec.SHEET_EDITIONS], spec.EDITIONS, editions, years)
    table_sheet(wb[spec.SHEET_EXPLANATIONS], spec.EXPLANATIONS, program.explanations, years)
    protect_and_print(wb[FUNDING.name])
    result_sheet(
        wb[spec.SHEET_ASSESSMENT],
        "Оценка эффективности",
        spec.ASSESSMENT_HEADERS,
        "Лист заполняется программой sheetprog (команда calc). Не редактируйте.",
    )
    result_sheet(
        wb[spec.SHEET_CHECKS],
        "Результаты проверки",
        spec.CHECKS_HEADERS,
        "Лист заполняется программой sheetprog (команда check). Не редактируйте.",
    )
    wb.defined_names[spec.VERSION_NAME] = DefinedName(
        spec.VERSION_NAME, attr_text=f'"{spec.TEMPLATE_VERSION}"'
    )
    wb.active = 1
    return wb
