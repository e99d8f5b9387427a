"""Write the personnel-reserve workbook with the program builder's sheet helpers."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from sheetprog import spec
from sheetprog.io.builder import (
    lists_sheet,
    passport_sheet,
    protect_and_print,
    result_sheet,
    table_sheet,
    write_instructions,
)
from sheetprog.reserve.layout import LISTS, PASSPORT_FIELDS, TABLES
from sheetprog.reserve.model import Reserve

SHEET_ORDER = (
    spec.SHEET_INSTRUCTIONS,
    spec.SHEET_PASSPORT,
    *(t.name for t in TABLES),
    spec.SHEET_ASSESSMENT,
    spec.SHEET_CHECKS,
    spec.SHEET_LISTS,
)


def build_reserve_workbook(reserve: Reserve) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for name in SHEET_ORDER:
        wb.create_sheet(name)
    lists_sheet(wb, LISTS)
    lines: list[tuple[str, Any]] = [
        ("title", "Инструкция по заполнению книги муниципального резерва управленческих кадров"),
        ("text", f"{spec.VERSION_LABEL}: {spec.TEMPLATE_VERSION}."),
        ("text", ""),
        ("head", "Как заполнять"),
        (
            "text",
            "1. «Паспорт»: муниципальное образование, отчётный год, ответственное подразделение.",
        ),
        (
            "text",
            "2. «Резервисты»: одна строка на человека; даты — ДД.ММ.ГГГГ; основание "
            "исключения — из списка (пункт 6.2 Порядка).",
        ),
        ("text", "3. «Вакансии»: целевые должности, ставшие вакантными, и кем они замещены."),
        ("text", "4. «Планы развития»: индивидуальные планы и отчёты (не позднее 30 декабря)."),
        (
            "text",
            "Книга содержит персональные данные (ФИО): храните и передавайте её по правилам "
            "защиты персональных данных. В отчётах sheetprog ФИО не выводятся, если не "
            "указано иное.",
        ),
        ("text", ""),
        ("head", spec.RUN_CHECK_HEADING),
        *(("text", line) for line in spec.RUN_CHECK_LINES),
        ("text", ""),
        ("head", "Листы"),
    ]
    lines += [("text", f"«{t.name}» — {t.description}") for t in TABLES]
    ws = wb[spec.SHEET_INSTRUCTIONS]
    write_instructions(ws, lines)
    ws.column_dimensions["A"].width = 120
    protect_and_print(ws)
    passport_sheet(
        wb[spec.SHEET_PASSPORT],
        reserve.passport,
        [],
        PASSPORT_FIELDS,
        "Паспорт: муниципальный резерв управленческих кадров",
    )
    rows: dict[str, Any] = {
        TABLES[0].name: reserve.reservists,
        TABLES[1].name: reserve.vacancies,
        TABLES[2].name: reserve.plans,
    }
    for table in TABLES:
        table_sheet(wb[table.name], table, rows[table.name], [])
    result_sheet(
        wb[spec.SHEET_ASSESSMENT],
        "Оценка эффективности работы с резервом",
        spec.ASSESSMENT_HEADERS,
        "Лист заполняется программой sheetprog (calc).",
    )
    result_sheet(
        wb[spec.SHEET_CHECKS],
        "Результаты проверки",
        spec.CHECKS_HEADERS,
        "Лист заполняется программой sheetprog (check).",
    )
    wb.defined_names[spec.VERSION_NAME] = DefinedName(
        spec.VERSION_NAME, attr_text=f'"{spec.TEMPLATE_VERSION}"'
    )
    wb.active = 1
    return wb
