"""Grid → project-structure model, with the shared reading helpers (header text, cells)."""

from __future__ import annotations

from sheetprog import spec
from sheetprog.errors import NotATemplateError
from sheetprog.grid import WorkbookGrid
from sheetprog.model import ReadProblem
from sheetprog.program.reader import read_editions, read_explanations
from sheetprog.project.layout import (
    ELEMENTS,
    FUNDING,
    INDICATORS,
    PASSPORT_FIELDS,
    POINTS,
    RESULTS,
    TABLES,
)
from sheetprog.project.model import (
    ControlPoint,
    Element,
    ElementFunding,
    ProjectIndicator,
    ProjectPassport,
    ProjectProgram,
    Result,
)
from sheetprog.read.tables import (
    locate_columns,
    passport_columns,
    read_passport,
    read_rows,
    template_version,
)
from sheetprog.values import normalize_text


def parse_project_grid(grid: WorkbookGrid) -> ProjectProgram:
    problems: list[ReadProblem] = []
    sheets = {normalize_text(name): sheet for name, sheet in grid.sheets.items()}
    missing: list[str] = []
    passport_sheet = sheets.get(normalize_text(spec.SHEET_PASSPORT))
    cols = passport_columns(passport_sheet, PASSPORT_FIELDS) if passport_sheet else None
    if passport_sheet is None or cols is None:
        missing.append(f"лист «{spec.SHEET_PASSPORT}» с полями паспорта программы")
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
            f"Файл «{grid.path}» не является книгой муниципальной программы в структуре "
            "проектов sheetprog: не найдены "
            + "; ".join(missing)
            + ". Создайте книгу командой «sheetprog new КНИГА.xlsx --structure project».",
            path=grid.path,
            missing=missing,
        )
    assert passport_sheet is not None and cols is not None
    program = ProjectProgram(source_path=grid.path)
    program.template_version = template_version(grid, problems)
    program.passport = read_passport(
        passport_sheet, cols, problems, PASSPORT_FIELDS, ProjectPassport()
    )
    program.elements = read_rows(located[ELEMENTS.name], ELEMENTS, problems, Element)[0]
    program.indicators = read_rows(
        located[INDICATORS.name], INDICATORS, problems, ProjectIndicator
    )[0]
    program.results = read_rows(located[RESULTS.name], RESULTS, problems, Result)[0]
    program.points = read_rows(located[POINTS.name], POINTS, problems, ControlPoint)[0]
    program.funding, program.funding_totals = read_rows(
        located[FUNDING.name], FUNDING, problems, ElementFunding
    )
    program.editions = read_editions(sheets.get(normalize_text(spec.SHEET_EDITIONS)), problems)
    explained = sheets.get(normalize_text(spec.SHEET_EXPLANATIONS))
    program.has_explanations_sheet = explained is not None
    program.explanations = read_explanations(explained, problems)
    program.problems = problems
    return program
