"""Reading a workbook kind's sheets by header text: the helpers every kind's reader uses.

Pure: works on a ``WorkbookGrid``. Sheets and columns are found by their labels
(case, spaces, ё/е and non-breaking spaces do not matter), so inserted, reordered or
hidden rows and columns are fine. Every value keeps its cell address. What cannot be read
becomes a located ``ReadProblem`` (a catalogue code, never a severity: that comes
from the check catalogue); only a workbook that is not a sheetprog template at all
raises (``NotATemplateError``, listing everything missing), from the kind's reader.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from sheetprog import spec
from sheetprog.grid import Formula, SheetGrid, WorkbookGrid, address, column_letter
from sheetprog.model import (
    Expected,
    ReadProblem,
    TotalRow,
)
from sheetprog.read.bind import cell_key, set_value
from sheetprog.read.cells import (
    BAD_NUMBER,
    DUPLICATE_COLUMN,
    NO_TEMPLATE_VERSION,
    OVERWRITTEN_FORMULA,
    TEMPLATE_VERSION,
    TEXT_NUMBER,
    UNKNOWN_COLUMN,
    as_typed,
    empty_value,
    is_formula,
    parse_cell,
    parse_cell_remembered,
)
from sheetprog.spec import Column, Kind, TableSheet, compact
from sheetprog.values import clean_text, normalize_text, to_decimal

HEADER_SCAN_ROWS = 20
_LABEL_KEYS = ("number", "activity", "activity_name", "name", "code")


@dataclass
class Located:
    sheet: SheetGrid
    header_row: int
    columns: dict[int, tuple[Column, int | None]]  # sheet column → (column, year)
    missing: list[str] = field(default_factory=list)


# -- structure ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _header_index(
    table: TableSheet,
) -> tuple[dict[str, Column], tuple[tuple[re.Pattern[str], Column], ...]]:
    """Exact compact headers (and aliases) → column, and the per-year patterns, once a table."""
    exact: dict[str, Column] = {}
    patterns = []
    for col in table.columns:
        if col.per_year:
            patterns.append((col.pattern(), col))
        else:
            exact[compact(col.header)] = col
            for alias in col.aliases:
                exact.setdefault(compact(alias), col)
    return exact, tuple(patterns)


@functools.lru_cache(maxsize=4096)
def match_header(text: str, table: TableSheet) -> tuple[Column, int | None] | None:
    key = compact(text)
    exact, patterns = _header_index(table)
    if key in exact:
        return exact[key], None
    for pattern, col in patterns:
        match = pattern.match(key)
        if match:
            return col, int(match.group(1))
    return None


def locate_columns(sheet: SheetGrid, table: TableSheet, problems: list[ReadProblem]) -> Located:
    best_row, best_hits = 0, 0
    for row in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
        hits = sum(1 for v in sheet.rows[row - 1] if isinstance(v, str) and match_header(v, table))
        if hits > best_hits:
            best_row, best_hits = row, hits
    loc = Located(sheet, best_row, {})
    if best_hits == 0:
        loc.missing.append(f"на листе «{sheet.name}» — строка заголовков таблицы")
        return loc
    seen: dict[tuple[str, Any, int | None], int] = {}
    for col_idx, value in enumerate(sheet.rows[best_row - 1], start=1):
        text = clean_text(value)
        if text is None:
            continue
        matched = match_header(text, table)
        if matched is None:
            problems.append(
                ReadProblem(
                    UNKNOWN_COLUMN,
                    f"столбец «{text}» не относится к шаблону и не читается; если это данные "
                    "шаблона — верните заголовку исходный текст",
                    sheet.name,
                    address(best_row, col_idx),
                    text,
                )
            )
            continue
        col, year = matched
        ident = (col.key, col.span, year)
        if ident in seen:
            problems.append(
                ReadProblem(
                    DUPLICATE_COLUMN,
                    f"столбец «{text}» повторяется (первый раз — "
                    f"{address(best_row, seen[ident])}); читается только первый",
                    sheet.name,
                    address(best_row, col_idx),
                    text,
                )
            )
            continue
        seen[ident] = col_idx
        loc.columns[col_idx] = (col, year)
    present = {c.key for c, _ in loc.columns.values()}
    for col in table.iter_required():
        if col.key not in present:
            loc.missing.append(f"на листе «{sheet.name}» — столбец «{col.header_for(None)}»")
    return loc


def passport_columns(
    sheet: SheetGrid, fields: tuple[spec.PassportField, ...] = spec.PASSPORT_FIELDS
) -> tuple[int, int, int] | None:
    """(first data row, label column, value column) of the passport, or None."""
    labels = {compact(f.label) for f in fields if not f.per_year}
    for row in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
        cells = sheet.rows[row - 1]
        texts = [compact(v) if isinstance(v, str) else "" for v in cells]
        if (
            compact(spec.PASSPORT_LABEL_HEADER) in texts
            and compact(spec.PASSPORT_VALUE_HEADER) in texts
        ):
            label_col = texts.index(compact(spec.PASSPORT_LABEL_HEADER)) + 1
            value_col = texts.index(compact(spec.PASSPORT_VALUE_HEADER)) + 1
            return row + 1, label_col, value_col
    for row in range(1, sheet.max_row + 1):  # no header row: find labels in any column
        for col_idx, value in enumerate(sheet.rows[row - 1], start=1):
            if isinstance(value, str) and compact(value) in labels:
                return 1, col_idx, col_idx + 1
    return None


def template_version(grid: WorkbookGrid, problems: list[ReadProblem]) -> str | None:
    raw = grid.defined_names.get(spec.VERSION_NAME)
    version = raw.strip('"') if raw else None
    if version is None:
        lists = grid.sheets.get(spec.SHEET_LISTS)
        if lists is not None and normalize_text(str(lists.value(1, 1) or "")) == normalize_text(
            spec.VERSION_LABEL
        ):
            version = clean_text(lists.value(1, 2))
    if version != spec.TEMPLATE_VERSION:
        problems.append(
            ReadProblem(
                TEMPLATE_VERSION if version else NO_TEMPLATE_VERSION,
                f"версия шаблона «{version}» не совпадает с версией программы "
                f"«{spec.TEMPLATE_VERSION}»; проверьте, что используется актуальный шаблон"
                if version
                else "в книге нет отметки о версии шаблона sheetprog",
                spec.SHEET_LISTS if version else None,
                "B1" if version else None,
                version,
            )
        )
    return version


# -- data ---------------------------------------------------------------------------------


def read_passport(
    sheet: SheetGrid,
    cols: tuple[int, int, int],
    problems: list[ReadProblem],
    fields: tuple[spec.PassportField, ...],
    passport: Any,
) -> Any:
    """Fill ``passport`` (the kind's passport object) from its sheet's label/value rows."""
    first_row, label_col, value_col = cols
    fixed = {compact(f.label): f for f in fields if not f.per_year}
    per_year = [f for f in fields if f.per_year]
    for row in range(first_row, sheet.max_row + 1):
        label = sheet.value(row, label_col)
        if not isinstance(label, str):
            continue
        key = compact(label)
        fld, year = fixed.get(key), None
        if fld is None:
            for candidate in per_year:
                match = _per_year_pattern(candidate.label).match(key)
                if match:
                    fld, year = candidate, int(match.group(1))
                    break
        if fld is None:
            continue
        raw = sheet.value(row, value_col)
        value, problem = parse_cell(fld.kind, fld.key, raw)
        where = address(row, value_col)
        if problem is not None:
            problems.append(
                ReadProblem(
                    problem[0],
                    f"«{fld.label_for(year)}»: {problem[1]}",
                    sheet.name,
                    where,
                    as_typed(raw),
                )
            )
        if year is None:
            setattr(passport, fld.key, value)
            passport.cells[fld.key] = f"{sheet.name}!{where}"
        else:
            if value is not None:
                getattr(passport, fld.key)[year] = value
            passport.cells[f"{fld.key}.{year}"] = f"{sheet.name}!{where}"
    return passport


@functools.lru_cache(maxsize=64)
def _per_year_pattern(label: str) -> re.Pattern[str]:
    """A per-year passport label («Объём финансирования в {year} году») as a compiled pattern
    over compacted text, the year its group; compiled once, not per row of every file."""
    parts = compact(label).split("{year}")
    return re.compile("^" + r"(\d{4})".join(re.escape(p) for p in parts) + "$")


def read_rows(
    loc: Located, table: TableSheet, problems: list[ReadProblem], cls: type
) -> tuple[list[Any], list[TotalRow]]:
    """The table's data rows as ``cls`` objects, and its typed totals rows."""
    sheet = loc.sheet
    label_cols = [i for i, (c, _y) in loc.columns.items() if c.key in _LABEL_KEYS]
    columns = tuple(sorted(loc.columns.items()))
    plan, computed, skipped = _row_plan(sheet.name, columns)
    total_plan = _total_plan(sheet.name, columns)
    objects: list[Any] = []
    totals: list[TotalRow] = []
    for row in range(loc.header_row + 1, sheet.max_row + 1):
        cells = sheet.rows[row - 1]
        width = len(cells)
        if not _has_input(cells, skipped):
            continue  # empty, or only the template's formulas
        if _is_total_row(sheet, row, label_cols, table):
            totals.append(_total_row(loc, row, total_plan))
            continue
        obj = cls()
        obj.row = row
        where = obj.cells
        for j, col, year, key, prefix in plan:
            raw = cells[j] if j < width else None
            if raw is None:  # most cells of a table (quarters not yet reported): no parsing
                value = empty_value(col.kind)
                if year is None or value is not None:  # an empty per-year value is absent
                    set_value(obj, col, year, value)
                if col.key == "source":
                    obj.source_text = None
                where[key] = f"{prefix}{row}"
                continue
            value, problem = parse_cell_remembered(col.kind, col.key, raw)
            if isinstance(value, Expected) and not hasattr(obj, "expected"):
                # «ожидается …» is a policy of the program structure's facts (issue 18); a
                # table whose rows cannot hold it (the project structure) reads it as no number
                value, problem = (
                    None,
                    (
                        BAD_NUMBER,
                        f"«{raw}»: отметка «ожидается» в этой таблице не применяется — введите "
                        "фактическое значение числом или оставьте ячейку пустой",
                    ),
                )
            if problem is not None:
                problems.append(
                    ReadProblem(
                        problem[0],
                        f"«{col.header_for(year)}»: {problem[1]}",
                        sheet.name,
                        address(row, j + 1),
                        as_typed(raw),
                    )
                )
            elif col.kind is Kind.MONEY and isinstance(raw, str) and value is not None:
                # read as a number here, but the workbook's own SUM/SUMIF totals skip text
                problems.append(
                    ReadProblem(
                        TEXT_NUMBER,
                        f"«{col.header_for(year)}»: сумма «{raw.strip()}» записана текстом — "
                        "sheetprog учитывает её, а итоги книги (формулы) нет; введите её "
                        "числом",
                        sheet.name,
                        address(row, j + 1),
                        raw,
                    )
                )
            set_value(obj, col, year, value)
            if col.key == "source":
                obj.source_text = clean_text(raw)
            where[key] = f"{prefix}{row}"
        for j, col in computed:
            raw = cells[j] if j < width else None
            if raw is not None and not is_formula(raw):
                problems.append(
                    ReadProblem(
                        OVERWRITTEN_FORMULA,
                        f"«{col.header}»: вместо формулы шаблона введено значение; верните формулу",
                        sheet.name,
                        address(row, j + 1),
                        as_typed(raw),
                    )
                )
        objects.append(obj)
    return objects, totals


@functools.lru_cache(maxsize=256)
def _row_plan(
    sheet_name: str, columns: tuple[tuple[int, tuple[Column, int | None]], ...]
) -> tuple[
    tuple[tuple[int, Column, int | None, str, str], ...],
    tuple[tuple[int, Column], ...],
    frozenset[int],
]:
    """Per input column (0-based index, column, year, key in obj.cells, address prefix); the
    computed columns (0-based index, column) and their indices: the same for every file of a
    template (issue 21). Immutable: every caller gets the same objects."""
    plan = tuple(
        (i - 1, col, year, cell_key(col, year), f"{sheet_name}!{column_letter(i)}")
        for i, (col, year) in columns
        if not col.computed
    )
    computed = tuple((i - 1, col) for i, (col, _y) in columns if col.computed)
    return plan, computed, frozenset(j for j, _col in computed)


def _has_input(cells: list[Any], skipped: frozenset[int]) -> bool:
    """Whether a row holds anything outside the computed columns (blank text is nothing)."""
    for j, value in enumerate(cells):
        if value is None or j in skipped:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return True
    return False


def _is_total_row(sheet: SheetGrid, row: int, label_cols: list[int], table: TableSheet) -> bool:
    for col_idx in label_cols:
        value = sheet.value(row, col_idx)
        if isinstance(value, str):
            norm = normalize_text(value)
            if any(norm.startswith(label) for label in table.total_labels):
                return True
    return False


def _total_row(loc: Located, row: int, plan: tuple[tuple[int, str, str, str], ...]) -> TotalRow:
    sheet = loc.sheet
    cells_in_row = sheet.rows[row - 1]
    width = len(cells_in_row)
    label = ""
    source = None
    values: dict[str, Any] = {}
    formulas: dict[str, str] = {}
    cells: dict[str, str] = {}
    for j, role, key, prefix in plan:
        raw = cells_in_row[j] if j < width else None
        if role == "label":
            if isinstance(raw, str) and not label:
                label = clean_text(raw) or ""
        elif role == "source":
            if isinstance(raw, str):
                source = spec.parse_source(raw)
        else:
            cells[key] = f"{prefix}{row}"
            if isinstance(raw, Formula):
                formulas[key] = raw.text
                raw = raw.cached
            try:
                values[key] = to_decimal(raw)
            except ValueError:
                values[key] = None
    return TotalRow(sheet.name, row, label, source, values, formulas, cells)


@functools.lru_cache(maxsize=256)
def _total_plan(
    sheet_name: str, columns: tuple[tuple[int, tuple[Column, int | None]], ...]
) -> tuple[tuple[int, str, str, str], ...]:
    """Per column read in a totals row: (0-based index, role, key, address prefix); like
    ``_row_plan``, the same for every file of a template, so made once (issue 21)."""
    plan = []
    for col_idx, (col, year) in columns:
        if col.key in _LABEL_KEYS:
            role = "label"
        elif col.key == "source":
            role = "source"
        elif col.kind in (Kind.MONEY, Kind.FORMULA, Kind.NUMBER):
            role = "number"
        else:
            continue
        prefix = f"{sheet_name}!{column_letter(col_idx)}"
        plan.append((col_idx - 1, role, cell_key(col, year), prefix))
    return tuple(plan)
