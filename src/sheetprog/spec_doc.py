"""docs/workbook-format.md, generated from the spec (a test keeps the file in sync)."""

from __future__ import annotations

from sheetprog import spec
from sheetprog.spec import TableSheet, YearBlock

EXAMPLE_YEARS = [2021, 2022]


def _table(table: TableSheet) -> list[str]:
    lines = [
        f"## Лист «{table.name}»",
        "",
        table.description,
        "",
        f"Заголовок таблицы — строка {spec.HEADER_ROW}, данные — со строки {spec.FIRST_DATA_ROW}. "
        "Столбцы находятся по тексту заголовка (регистр, пробелы и «ё» не важны), "
        "порядок столбцов можно менять.",
        "",
        "| Заголовок | Ключ | Тип | Обязательный | Список | Пояснение |",
        "|---|---|---|---|---|---|",
    ]
    for item in table.items:
        cols = item.columns if isinstance(item, YearBlock) else (item,)
        for col in cols:
            choices = f"`{col.choices}`" if col.choices else ""
            aliases = (
                " (также: " + ", ".join(f"«{a}»" for a in col.aliases) + ")" if col.aliases else ""
            )
            lines.append(
                f"| «{col.header}»{aliases} | `{col.key}` | {col.kind.value} | "
                f"{'да' if col.required else ''} | {choices} | {col.help} |"
            )
        if isinstance(item, YearBlock):
            lines.append("| *(столбцы выше повторяются для каждого года реализации)* | | | | | |")
    example = ", ".join(f"«{c.header_for(y)}»" for c, y in table.layout(EXAMPLE_YEARS))
    lines += [
        "",
        f"Пример порядка столбцов для {EXAMPLE_YEARS[0]}–{EXAMPLE_YEARS[-1]} годов: {example}.",
        "",
    ]
    return lines


def render() -> str:
    lines = [
        "# Формат книги мониторинга sheetprog",
        "",
        "<!-- Generated from src/sheetprog/spec.py by scripts/regenerate.py; do not edit. -->",
        "",
        f"Версия шаблона: **{spec.TEMPLATE_VERSION}** (имя `{spec.VERSION_NAME}` в книге и "
        f"ячейка B1 скрытого листа «{spec.SHEET_LISTS}»).",
        "",
        "Листы по порядку: " + ", ".join(f"«{n}»" for n in spec.SHEET_ORDER) + ". "
        "Обязательные для чтения: " + ", ".join(f"«{n}»" for n in spec.REQUIRED_SHEETS) + ".",
        "",
        "Цвета: жёлтый — ячейки ввода (не защищены), зелёный — формулы, голубой — "
        "заголовки. Листы защищены без пароля.",
        "",
        f"## Лист «{spec.SHEET_PASSPORT}»",
        "",
        f"Таблица «{spec.PASSPORT_LABEL_HEADER} | {spec.PASSPORT_VALUE_HEADER} | "
        f"{spec.PASSPORT_HELP_HEADER}»; поле находится по тексту в столбце "
        f"«{spec.PASSPORT_LABEL_HEADER}».",
        "",
        "| Поле | Ключ | Тип | Обязательное | Список | Пояснение |",
        "|---|---|---|---|---|---|",
    ]
    for fld in spec.PASSPORT_FIELDS:
        note = " (строка на каждый год)" if fld.per_year else ""
        choices = f"`{fld.choices}`" if fld.choices else ""
        lines.append(
            f"| «{fld.label}»{note} | `{fld.key}` | {fld.kind.value} | "
            f"{'да' if fld.required else ''} | {choices} | {fld.help} |"
        )
    lines.append("")
    for table in spec.TABLES:
        lines += _table(table)
    lines += [
        f"Под таблицей «{spec.SHEET_FUNDING}» — строки «Итого по программе» (SUM) и «в том "
        "числе» по уровням бюджета (SUMIF). Строки, которые начинаются с «Итого», «Всего» "
        "или «в том числе», не считаются данными: они сохраняются для проверок.",
        "",
        f"## Листы «{spec.SHEET_ASSESSMENT}» и «{spec.SHEET_CHECKS}»",
        "",
        "Заполняются программой. Заголовки: "
        + ", ".join(f"«{h}»" for h in spec.ASSESSMENT_HEADERS)
        + " и "
        + ", ".join(f"«{h}»" for h in spec.CHECKS_HEADERS)
        + ".",
        "",
        "## Раскрывающиеся списки",
        "",
        "| Имя | Назначение | Значения |",
        "|---|---|---|",
    ]
    for lst in spec.LISTS.values():
        lines.append(f"| `{lst.name}` | {lst.title} | " + "; ".join(lst.values) + " |")
    lines += [
        "",
        "## Плановые значения",
        "",
        "Число (`36,6`, `100 %`), «не менее 10» / «не ниже 10» / «≥ 10», «свыше 90» / "
        "«более 90», «не более 5», «менее 5», диапазон «90-99» / «от 90 до 99», «да» / «нет»; "
        "«х», «-» или пусто — плана на год нет.",
        "",
        "## Сроки мероприятий",
        "",
        "Дата (`15.01.2021` или дата Excel), год (`2021`), «I квартал 2012 года», "
        "«II - III кварталы 2012 года», «Ежегодно, IV квартал», «Ежеквартально», "
        "«Весь период», «По мере необходимости».",
        "",
    ]
    lines += _project_structure()
    return "\n".join(lines)


def _project_structure() -> list[str]:
    """The second structure (issue 17): its passport and sheets (sheetprog.project.layout)."""
    from sheetprog.project import layout

    lines = [
        "# Структура проектов (`sheetprog new КНИГА.xlsx --structure project`)",
        "",
        "Программа из структурных элементов (проекты, комплексы процессных мероприятий) с "
        "показателями, мероприятиями (результатами), контрольными точками и финансовым "
        "обеспечением по элементам (docs/structure-project.md). Книга узнаётся по листу "
        f"«{layout.SHEET_ELEMENTS}». Листы: "
        + ", ".join(f"«{n}»" for n in (spec.SHEET_PASSPORT, *layout.SHEETS))
        + f", «{spec.SHEET_ASSESSMENT}», «{spec.SHEET_CHECKS}», «{spec.SHEET_LISTS}».",
        "",
        f"## Лист «{spec.SHEET_PASSPORT}» (структура проектов)",
        "",
        "| Поле | Ключ | Тип | Обязательное | Список | Пояснение |",
        "|---|---|---|---|---|---|",
    ]
    for fld in layout.PASSPORT_FIELDS:
        note = " (строка на каждый год)" if fld.per_year else ""
        choices = f"`{fld.choices}`" if fld.choices else ""
        lines.append(
            f"| «{fld.label}»{note} | `{fld.key}` | {fld.kind.value} | "
            f"{'да' if fld.required else ''} | {choices} | {fld.help} |"
        )
    lines.append("")
    for table in layout.TABLES:
        lines += _table(table)
    lines += [
        f"Под таблицей «{layout.SHEET_FUNDING}» — строка «{layout.TOTAL_LABEL}» (SUM).",
        "",
        "| Список | Назначение | Значения |",
        "|---|---|---|",
    ]
    for lst in layout.LISTS.values():
        lines.append(f"| `{lst.name}` | {lst.title} | " + "; ".join(lst.values) + " |")
    lines.append("")
    return lines
