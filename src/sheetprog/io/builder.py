"""Write the standardized workbook (openpyxl) from the spec and, optionally, a program.

Everything about the layout comes from ``sheetprog.spec``; this module only
decides how it looks: colours, protection, dropdowns, formulas, print setup.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetprog import spec
from sheetprog.io import styles, textguard
from sheetprog.io.atomic import atomic_write
from sheetprog.io.cellvalues import to_cell
from sheetprog.model import Passport, Program, Source
from sheetprog.periods import Span
from sheetprog.read.bind import get_value
from sheetprog.spec import FIRST_DATA_ROW, HEADER_ROW, Column, Kind, TableSheet

BLANK_ROWS = {
    spec.SHEET_INDICATORS: 30,
    spec.SHEET_ACTIVITIES: 50,
    spec.SHEET_FUNDING: 60,
    spec.SHEET_EDITIONS: 20,
    spec.SHEET_EXPLANATIONS: 40,
}
SPARE_ROWS = 10  # empty input rows after prefilled data
TOTAL_LABEL = "Итого по программе"
SOURCE_TOTALS: tuple[tuple[Source, tuple[str, ...]], ...] = (
    (Source.FEDERAL, ("федеральный бюджет",)),
    (Source.REGIONAL, ("областной бюджет", "краевой бюджет", "республиканский бюджет")),
    (Source.LOCAL, ("местный бюджет",)),
    (Source.OFF_BUDGET, ("внебюджетные источники",)),
)


def build_workbook(program: Program, *, years: Sequence[int] | None = None) -> Workbook:
    """A new workbook in the standard layout, prefilled with ``program``'s data."""
    years = list(years if years is not None else program.years)
    if not years:
        raise ValueError("program years are unknown")
    wb = Workbook()
    wb.remove(wb.active)
    for name in spec.SHEET_ORDER:
        wb.create_sheet(name)
    lists_sheet(wb)
    _instructions_sheet(wb[spec.SHEET_INSTRUCTIONS], years)
    passport_sheet(wb[spec.SHEET_PASSPORT], program.passport, years)
    prefilled: dict[str, Sequence[Any]] = {
        spec.SHEET_INDICATORS: program.indicators,
        spec.SHEET_ACTIVITIES: program.activities,
        spec.SHEET_FUNDING: program.funding,
    }
    for table in spec.TABLES:
        table_sheet(wb[table.name], table, prefilled[table.name], years)
    edition_rows = [row for edition in program.editions for row in edition_sheet_rows(edition)]
    table_sheet(wb[spec.SHEET_EDITIONS], spec.EDITIONS, edition_rows, years)
    table_sheet(wb[spec.SHEET_EXPLANATIONS], spec.EXPLANATIONS, program.explanations, years)
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


def edition_sheet_rows(edition: Any) -> list[Any]:
    """An edition's rows as the sheet holds them: the act on the first row only."""
    from sheetprog.model import EditionRow

    act = EditionRow(
        edition.act_kind,
        edition.act_number,
        edition.act_date,
        edition.effective_date,
        edition.reason,
        edition.description,
    )
    if not edition.changes:
        return [act]
    rows = []
    for i, change in enumerate(edition.changes):
        row = EditionRow(**{k: getattr(change, k) for k in _CHANGE_FIELDS})
        if i == 0:
            for name in _ACT_FIELDS:
                setattr(row, name, getattr(act, name))
        rows.append(row)
    return rows


_ACT_FIELDS = ("act_kind", "act_number", "act_date", "effective_date", "reason", "description")
_CHANGE_FIELDS = ("sheet", "item", "field", "old", "new", "cell")


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save atomically (temp file in the same folder, then rename)."""
    with atomic_write(path) as tmp:
        wb.save(tmp)
        _order_font_children(tmp)


# A font's children in the order of CT_Font's elements, the order Excel writes them and the
# Open XML SDK's schema (the one the tests validate against, tests/test_ooxml_valid.py)
# requires; openpyxl writes «name» first, which the SDK reports as an unexpected element.
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
              "sz", "color", "name", "family", "charset", "scheme")  # fmt: skip
_FONT = re.compile(r"<font>((?:<\w+\b[^<>]*/>)*)</font>")
_EMPTY_ELEMENT = re.compile(r"<(\w+)\b[^<>]*/>")


def _font_in_order(match: re.Match[str]) -> str:
    children = [m.group(0) for m in _EMPTY_ELEMENT.finditer(match.group(1))]
    tags = [_EMPTY_ELEMENT.match(c).group(1) for c in children]  # type: ignore[union-attr]
    if not set(tags) <= set(FONT_ORDER):
        return match.group(0)
    ordered = sorted(zip(tags, children, strict=True), key=lambda tc: FONT_ORDER.index(tc[0]))
    return "<font>" + "".join(child for _tag, child in ordered) + "</font>"


def _order_font_children(path: Path) -> None:
    """Rewrite xl/styles.xml of a workbook openpyxl saved with each font's children in order."""
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            if info.filename == "xl/styles.xml":
                data = _FONT.sub(_font_in_order, data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)


# -- sheets -------------------------------------------------------------------------------


def lists_sheet(wb: Workbook, lists: dict[str, spec.ChoiceList] | None = None) -> None:
    ws = wb[spec.SHEET_LISTS]
    ws.sheet_state = "hidden"
    ws["A1"] = spec.VERSION_LABEL
    ws["B1"] = spec.TEMPLATE_VERSION
    for col_idx, lst in enumerate((lists or spec.LISTS).values(), start=1):
        letter = get_column_letter(col_idx)
        ws.cell(row=3, column=col_idx, value=lst.title).font = styles.HEADER_FONT
        for row_idx, value in enumerate(lst.values, start=4):
            ws.cell(row=row_idx, column=col_idx, value=value)
        last = 3 + len(lst.values)
        ref = f"{quote_sheetname(spec.SHEET_LISTS)}!${letter}$4:${letter}${last}"
        wb.defined_names[lst.name] = DefinedName(lst.name, attr_text=ref)
        ws.column_dimensions[letter].width = 28
    ws.cell(row=spec.PALETTE_ROW, column=1, value=spec.PALETTE_LABEL)
    for col_idx, name in enumerate(spec.PALETTE, start=2):
        cell = ws.cell(row=spec.PALETTE_ROW, column=col_idx, value=name)
        styles.apply_palette(cell, name)
    ws.protection.sheet = True


def _title(ws: Worksheet, title: str, hint: str) -> None:
    ws["A1"] = title
    ws["A1"].font = styles.TITLE_FONT
    ws["A2"] = hint
    ws["A2"].font = styles.HINT_FONT


def _instructions_sheet(ws: Worksheet, years: list[int]) -> None:
    lines: list[tuple[str, Any]] = [
        ("title", "Инструкция по заполнению книги мониторинга муниципальной программы"),
        (
            "text",
            f"Годы реализации в этой книге: {years[0]}–{years[-1]}. "
            f"{spec.VERSION_LABEL}: {spec.TEMPLATE_VERSION}.",
        ),
        ("text", ""),
        ("head", "Как заполнять"),
        ("text", "1. Заполните лист «Паспорт»: поля, отмеченные тёмно-красным, обязательны."),
        (
            "text",
            "2. На листах «Показатели», «Мероприятия», «Финансирование» вводите данные "
            "только в жёлтые ячейки. Зелёные ячейки считаются формулами.",
        ),
        ("text", "3. Значения из списков выбирайте стрелкой в ячейке. Числа — с запятой: 36,6."),
        (
            "text",
            "4. Фактические значения и кассовое исполнение — нарастающим итогом "
            "с начала года (I кв., полугодие, 9 мес., год).",
        ),
        ("text", "5. Строки можно вставлять внутри таблиц; не переименовывайте заголовки."),
        ("text", "6. Листы «Оценка» и «Проверки» заполняет программа sheetprog."),
        ("text", "Защита листов — без пароля: она только бережёт заголовки и формулы."),
        ("text", ""),
        ("head", spec.RUN_CHECK_HEADING),
        *(("text", line) for line in spec.RUN_CHECK_LINES),
        ("text", ""),
        ("head", "Цвета"),
        ("input", "Жёлтый — ввод данных"),
        ("computed", "Зелёный — формула, не редактируется"),
        ("header", "Голубой — заголовки"),
        ("text", ""),
        ("head", "Листы"),
    ]
    for table in spec.TABLES:
        lines.append(("text", f"«{table.name}» — {table.description}"))
    write_instructions(ws, lines)


def write_instructions(ws: Worksheet, lines: list[tuple[str, Any]]) -> None:
    """Styled lines of an instructions sheet: ("title"|"head"|"text"|"input"|…, text)."""
    row = 1
    for style, text in lines:
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.alignment = styles.WRAP
        if style == "title":
            cell.font = styles.TITLE_FONT
        elif style == "head":
            cell.font = styles.HEADER_FONT
        else:
            cell.font = styles.BODY_FONT
        fill = {
            "input": styles.INPUT_FILL,
            "computed": styles.COMPUTED_FILL,
            "header": styles.HEADER_FILL,
        }.get(style)
        if fill is not None:
            cell.fill = fill
        row += 1
    ws.column_dimensions["A"].width = 120
    protect_and_print(ws)


def _passport_rows(
    years: list[int], fields: Sequence[spec.PassportField]
) -> list[tuple[spec.PassportField, Any]]:
    rows: list[tuple[spec.PassportField, Any]] = []
    for fld in fields:
        if fld.per_year:
            rows.extend((fld, year) for year in years)
        else:
            rows.append((fld, None))
    return rows


def passport_sheet(
    ws: Worksheet,
    passport: Any,
    years: list[int],
    fields: Sequence[spec.PassportField] = spec.PASSPORT_FIELDS,
    title: str = "Паспорт муниципальной программы",
) -> None:
    _title(
        ws,
        title,
        "Заполните жёлтые ячейки столбца «Значение». Обязательные поля выделены.",
    )
    headers = (spec.PASSPORT_LABEL_HEADER, spec.PASSPORT_VALUE_HEADER, spec.PASSPORT_HELP_HEADER)
    for col_idx, header in enumerate(headers, start=1):
        _header_cell(ws.cell(row=HEADER_ROW, column=col_idx, value=header))
    passport_years = (
        {"first_year": years[0], "last_year": years[-1]}
        if isinstance(passport, Passport) and not passport.years
        else {}
    )
    for offset, (fld, year) in enumerate(_passport_rows(years, fields)):
        row = FIRST_DATA_ROW + offset
        label = ws.cell(row=row, column=1, value=fld.label_for(year))
        label.font = styles.REQUIRED_FONT if fld.required else styles.BODY_FONT
        label.alignment = styles.WRAP
        label.border = styles.BORDER
        value: Any = getattr(passport, fld.key)
        if fld.per_year:
            value = value.get(year)
        value = passport_years.get(fld.key, value)
        cell = ws.cell(row=row, column=2)
        _set_text_safe(cell, to_cell(fld.kind, value))
        _input_cell(cell, fld.kind)
        if fld.choices:
            _add_validation(ws, f"B{row}", fld.choices, fld.label_for(year), fld.help)
        else:
            _add_prompt(ws, f"B{row}", fld.label_for(year), fld.help, fld.kind)
        hint = ws.cell(row=row, column=3, value=fld.help)
        hint.font = styles.HINT_FONT
        hint.alignment = styles.WRAP
        _fit_row_height(ws, row, [(cell.value, 70), (label.value, 42)])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 50
    ws.freeze_panes = f"B{FIRST_DATA_ROW}"
    protect_and_print(ws)


def table_sheet(ws: Worksheet, table: TableSheet, objects: Sequence[Any], years: list[int]) -> None:
    _title(ws, table.title, table.description)
    layout = table.layout(years)
    n_rows = len(objects) + SPARE_ROWS if objects else BLANK_ROWS.get(table.name, 30)
    last_row = FIRST_DATA_ROW + n_rows - 1
    letters: dict[tuple[str, Any, Any], str] = {}
    for col_idx, (col, year) in enumerate(layout, start=1):
        letter = get_column_letter(col_idx)
        letters[(col.key, col.span, year)] = letter
        header = ws.cell(row=HEADER_ROW, column=col_idx, value=col.header_for(year))
        _header_cell(header, required=col.required)
        ws.column_dimensions[letter].width = col.width
        data_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        if col.choices:
            _add_validation(ws, data_range, col.choices, col.header_for(year), col.help)
        elif not col.computed:
            _add_prompt(ws, data_range, col.header_for(year), col.help, col.kind)
    for offset in range(n_rows):
        row = FIRST_DATA_ROW + offset
        obj = objects[offset] if offset < len(objects) else None
        for col_idx, (col, year) in enumerate(layout, start=1):
            cell = ws.cell(row=row, column=col_idx)
            if col.computed:
                cell.value = _row_formula(table, col, row, letters, years, last_row)
                _computed_cell(cell, col.kind)
                continue
            if obj is not None:
                _set_text_safe(cell, to_cell(col.kind, get_value(obj, col, year)))
            _input_cell(cell, col.kind)
        if obj is not None:
            _fit_row_height(
                ws,
                row,
                [
                    (ws.cell(row=row, column=i).value, c.width)
                    for i, (c, _y) in enumerate(layout, start=1)
                ],
            )
    if table.name == spec.SHEET_FUNDING:
        _funding_totals(ws, layout, last_row)
    name_idx = next(
        (i for i, (c, _) in enumerate(layout, start=1) if c.key in ("name", "source")), 1
    )
    ws.freeze_panes = f"{get_column_letter(name_idx + 1)}{FIRST_DATA_ROW}"
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(layout))}{last_row}"
    protect_and_print(ws)


def _row_formula(
    table: TableSheet,
    col: Column,
    row: int,
    letters: dict[tuple[str, Any, Any], str],
    years: list[int],
    last_row: int,
) -> str:
    if table.name == spec.SHEET_FUNDING and col.key == "plan_total":
        plan = table.column("plan")
        first = letters[(plan.key, plan.span, years[0])]
        last = letters[(plan.key, plan.span, years[-1])]
        return f"=SUM({first}{row}:{last}{row})"
    if table.name == spec.SHEET_FUNDING and col.key == "in_totals":
        # 0 when another row of the same source belongs to an enclosing activity (its number
        # + "." starts this row's number + "."): that row is the subtotal (model.funding_parents)
        act, src = letters[("activity", Span.YEAR, None)], letters[("source", Span.YEAR, None)]
        acts = f"${act}${FIRST_DATA_ROW}:${act}${last_row}"
        srcs = f"${src}${FIRST_DATA_ROW}:${src}${last_row}"
        return (
            f'=IF(SUMPRODUCT(({srcs}={src}{row})*({acts}<>"")*({acts}<>{act}{row})'
            f'*(LEFT({act}{row}&".",LEN({acts})+1)={acts}&"."))>0,0,1)'
        )
    raise ValueError(f"no formula for {table.name}.{col.key}")  # pragma: no cover


def _funding_totals(ws: Worksheet, layout: list[tuple[Column, int | None]], last_row: int) -> None:
    """ "Итого" and "в том числе" rows with live SUM/SUMIF formulas under the data area."""
    source_idx = next(i for i, (c, _) in enumerate(layout, start=1) if c.key == "source")
    flag_idx = next(i for i, (c, _) in enumerate(layout, start=1) if c.key == "in_totals")
    flag = get_column_letter(flag_idx)
    flags = f"${flag}${FIRST_DATA_ROW}:${flag}${last_row}"
    label_idx = next(i for i, (c, _) in enumerate(layout, start=1) if c.key == "activity_name")
    src = get_column_letter(source_idx)
    src_range = f"${src}${FIRST_DATA_ROW}:${src}${last_row}"
    total_row = last_row + 1
    rows: list[tuple[int, str, str | None, tuple[str, ...] | None]] = [
        (total_row, TOTAL_LABEL, None, None)
    ]
    for offset, (source, source_names) in enumerate(SOURCE_TOTALS, start=1):
        rows.append((total_row + offset, "в том числе", source.value, source_names))
    for row, label, source_text, names in rows:
        for col_idx, (col, _year) in enumerate(layout, start=1):
            cell = ws.cell(row=row, column=col_idx)
            cell.font = styles.TOTAL_FONT
            cell.border = styles.BORDER
            cell.fill = styles.COMPUTED_FILL
            cell.protection = styles.LOCKED
            letter = get_column_letter(col_idx)
            if col_idx == label_idx:
                cell.value = label
            elif col_idx == source_idx:
                cell.value = source_text
            elif col.kind in (Kind.MONEY, Kind.FORMULA) and col_idx != flag_idx:
                # only the rows "В итогах" = 1: a subtotal row of nested activities counts once
                rng = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
                if names is None:
                    cell.value = f"=SUMIF({flags},1,{rng})"
                else:
                    cell.value = "=" + "+".join(
                        f'SUMIFS({rng},{flags},1,{src_range},"{n}")' for n in names
                    )
                cell.number_format = styles.NUMBER_FORMATS[Kind.MONEY]
                cell.alignment = styles.NUMBER_ALIGN


def result_sheet(ws: Worksheet, title: str, headers: Sequence[str], hint: str) -> None:
    _title(ws, title, hint)
    for col_idx, header in enumerate(headers, start=1):
        _header_cell(ws.cell(row=HEADER_ROW, column=col_idx, value=header))
        ws.column_dimensions[get_column_letter(col_idx)].width = 18 if col_idx > 1 else 40
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    protect_and_print(ws)


# -- cells --------------------------------------------------------------------------------


def _set_text_safe(cell: Cell, value: Any) -> None:
    """Set a value. Text loses its control characters (not allowed in the sheet's XML) and,
    when a spreadsheet could take it for a formula (io.textguard: = + - @ first), stays text
    with Excel's quote prefix, so neither openpyxl nor a clerk re-entering the cell makes it
    one (issue 20)."""
    if isinstance(value, str):
        value = textguard.clean(value)
    cell.value = value
    if isinstance(value, str) and textguard.formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _header_cell(cell: Cell, *, required: bool = False) -> None:
    cell.font = styles.REQUIRED_FONT if required else styles.HEADER_FONT
    cell.fill = styles.HEADER_FILL
    cell.alignment = styles.HEADER_ALIGN
    cell.border = styles.BORDER
    cell.protection = styles.LOCKED


def _input_cell(cell: Cell, kind: Kind) -> None:
    cell.fill = styles.INPUT_FILL
    cell.border = styles.BORDER
    cell.protection = styles.UNLOCKED
    cell.font = styles.BODY_FONT
    cell.alignment = styles.NUMBER_ALIGN if kind in styles.NUMERIC_KINDS else styles.WRAP
    if kind is Kind.TIMING:  # a date format only on real dates: a year 2021 would become 1905
        is_date = isinstance(cell.value, dt.date)
        cell.number_format = styles.NUMBER_FORMATS[kind] if is_date else "General"
    elif kind is Kind.DATE or kind in styles.NUMBER_FORMATS:
        cell.number_format = styles.NUMBER_FORMATS[kind]


def _computed_cell(cell: Cell, kind: Kind) -> None:
    cell.fill = styles.COMPUTED_FILL
    cell.border = styles.BORDER
    cell.protection = styles.LOCKED
    cell.font = styles.BODY_FONT
    cell.alignment = styles.NUMBER_ALIGN
    cell.number_format = styles.NUMBER_FORMATS.get(kind, "General")


def _add_validation(ws: Worksheet, ref: str, list_name: str, title: str, help_text: str) -> None:
    dv = DataValidation(type="list", formula1=f"={list_name}", allow_blank=True)
    dv.promptTitle = title[:32]
    dv.prompt = help_text[:255]
    dv.showInputMessage = True
    dv.errorTitle = "Значение не из списка"
    dv.error = "Выберите значение из раскрывающегося списка."
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def _add_prompt(ws: Worksheet, ref: str, title: str, help_text: str, kind: Kind) -> None:
    if kind is Kind.MONEY:
        dv = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        dv.errorStyle = "warning"
        dv.errorTitle = "Проверьте сумму"
        dv.error = "Сумма должна быть неотрицательным числом в тыс. руб."
        dv.showErrorMessage = True
    else:
        dv = DataValidation(allow_blank=True)
    dv.promptTitle = title[:32]
    dv.prompt = help_text[:255]
    dv.showInputMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def _fit_row_height(ws: Worksheet, row: int, cells: list[tuple[object, float]]) -> None:
    """Estimate a row height for wrapped text (spreadsheet programs do not do it on load)."""
    lines = 1
    for value, width in cells:
        if isinstance(value, str):
            per_line = max(int(width * 1.15), 1)
            count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
            lines = max(lines, count)
    if lines > 1:
        ws.row_dimensions[row].height = min(13.0 * lines, MAX_ROW_HEIGHT)


MAX_ROW_HEIGHT = 120.0  # a longer text is read in the cell: no page-high printed rows


def protect_and_print(ws: Worksheet) -> None:
    prot = ws.protection
    prot.sheet = True  # no password: protects headers and formulas, input cells are unlocked
    prot.formatColumns = False
    prot.formatRows = False
    prot.insertRows = False
    prot.deleteRows = False
    prot.autoFilter = False
    prot.sort = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    # every sheet one page wide (as many pages down as it needs), its header row on each page
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
