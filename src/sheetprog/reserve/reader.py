"""Grid → reserve model, with the program reader's helpers (header text, cells, problems)."""

from __future__ import annotations

from sheetprog import spec
from sheetprog.errors import NotATemplateError
from sheetprog.grid import WorkbookGrid
from sheetprog.model import ReadProblem
from sheetprog.read.tables import (
    locate_columns,
    passport_columns,
    read_passport,
    read_rows,
    template_version,
)
from sheetprog.reserve.layout import PASSPORT_FIELDS, PLANS, REGISTER, TABLES, VACANCIES
from sheetprog.reserve.model import DevelopmentPlan, Reserve, ReservePassport, Reservist, Vacancy
from sheetprog.values import normalize_text

ROW_TYPES = {REGISTER.name: Reservist, VACANCIES.name: Vacancy, PLANS.name: DevelopmentPlan}


def parse_reserve_grid(grid: WorkbookGrid) -> Reserve:
    problems: list[ReadProblem] = []
    sheets = {normalize_text(name): sheet for name, sheet in grid.sheets.items()}
    missing: list[str] = []
    passport_sheet = sheets.get(normalize_text(spec.SHEET_PASSPORT))
    cols = passport_columns(passport_sheet, PASSPORT_FIELDS) if passport_sheet else None
    if passport_sheet is None or cols is None:
        missing.append(f"лист «{spec.SHEET_PASSPORT}» с полями паспорта резерва")
    located = {}
    for table in TABLES:
        sheet = sheets.get(normalize_text(table.name))
        if sheet is None:
            missing.append(f"лист «{table.name}»")
            continue
        located[table.name] = locate_columns(sheet, table, problems)
        missing.extend(located[table.name].missing)
    if missing:
        raise NotATemplateError(
            f"Файл «{grid.path}» не является книгой кадрового резерва sheetprog: не найдены "
            + "; ".join(missing)
            + ". Создайте книгу командой «sheetprog new --kind reserve».",
            path=grid.path,
            missing=missing,
        )
    assert passport_sheet is not None and cols is not None
    reserve = Reserve(source_path=grid.path)
    reserve.template_version = template_version(grid, problems)
    reserve.passport = read_passport(
        passport_sheet, cols, problems, PASSPORT_FIELDS, ReservePassport()
    )
    reserve.reservists = read_rows(located[REGISTER.name], REGISTER, problems, Reservist)[0]
    reserve.vacancies = read_rows(located[VACANCIES.name], VACANCIES, problems, Vacancy)[0]
    reserve.plans = read_rows(located[PLANS.name], PLANS, problems, DevelopmentPlan)[0]
    reserve.problems = problems
    return reserve
