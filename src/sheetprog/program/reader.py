"""Grid → program model, by header text, with the shared table helpers. Pure."""

from __future__ import annotations

from sheetprog import spec
from sheetprog.errors import NotATemplateError
from sheetprog.grid import SheetGrid, WorkbookGrid
from sheetprog.model import Activity, FundingLine, Indicator, Passport, Program, ReadProblem
from sheetprog.read.tables import (
    Located,
    locate_columns,
    passport_columns,
    read_passport,
    read_rows,
    template_version,
)
from sheetprog.values import normalize_text

ROW_TYPES: dict[str, type] = {
    spec.SHEET_INDICATORS: Indicator,
    spec.SHEET_ACTIVITIES: Activity,
    spec.SHEET_FUNDING: FundingLine,
}


def parse_program_grid(grid: WorkbookGrid) -> Program:
    """Build the program model from a grid; raises NotATemplateError when it is not ours."""
    problems: list[ReadProblem] = []
    sheets = {normalize_text(name): sheet for name, sheet in grid.sheets.items()}
    missing: list[str] = []
    found: dict[str, SheetGrid] = {}
    for name in spec.REQUIRED_SHEETS:
        sheet = sheets.get(normalize_text(name))
        if sheet is None:
            missing.append(f"лист «{name}»")
        else:
            found[name] = sheet
    located: dict[str, Located] = {}
    for table in spec.TABLES:
        if table.name in found:
            loc = locate_columns(found[table.name], table, problems)
            located[table.name] = loc
            missing.extend(loc.missing)
    passport_sheet = found.get(spec.SHEET_PASSPORT)
    passport_cols = passport_columns(passport_sheet) if passport_sheet else None
    if passport_sheet is not None and passport_cols is None:
        missing.append(f"на листе «{spec.SHEET_PASSPORT}» — поля паспорта")
    if missing:
        raise NotATemplateError(
            f"Файл «{grid.path}» не является книгой мониторинга sheetprog: не найдены "
            + "; ".join(missing)
            + ". Создайте книгу командой «sheetprog new» или перенесите данные в шаблон из "
            "папки workbooks/, не переименовывая листы и заголовки столбцов.",
            path=grid.path,
            missing=missing,
        )
    assert passport_sheet is not None and passport_cols is not None
    program = Program(source_path=grid.path)
    program.template_version = template_version(grid, problems)
    program.passport = read_passport(
        passport_sheet, passport_cols, problems, spec.PASSPORT_FIELDS, Passport()
    )
    years: set[int] = set()
    for table in spec.TABLES:
        loc = located[table.name]
        years.update(y for _c, y in loc.columns.values() if y is not None)
        objects, totals = read_rows(loc, table, problems, ROW_TYPES[table.name])
        program.totals.extend(totals)
        if table.name == spec.SHEET_INDICATORS:
            program.indicators = objects
        elif table.name == spec.SHEET_ACTIVITIES:
            program.activities = objects
        else:
            program.funding = objects
    program.table_years = sorted(years)
    program.problems = problems
    return program
