"""Grid → program model, by header text, with the shared table helpers. Pure."""

from __future__ import annotations

from sheetprog import spec
from sheetprog.errors import NotATemplateError
from sheetprog.grid import SheetGrid, WorkbookGrid
from sheetprog.model import (
    Activity,
    Edition,
    EditionRow,
    Explanation,
    FundingLine,
    Indicator,
    Passport,
    Program,
    ReadProblem,
)
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
    program.editions = read_editions(sheets.get(normalize_text(spec.SHEET_EDITIONS)), problems)
    explained = sheets.get(normalize_text(spec.SHEET_EXPLANATIONS))
    program.has_explanations_sheet = explained is not None
    program.explanations = read_explanations(explained, problems)
    program.problems = problems
    return program


EDITIONS_UNREADABLE = "H01"  # the reader's code for an unreadable «Редакции» sheet


def read_editions(sheet: SheetGrid | None, problems: list[ReadProblem]) -> list[Edition]:
    """The «Редакции» sheet's editions; none for a workbook without the sheet (made before
    issue 18), and a located problem (not a refusal) when its header row is not found."""
    from sheetprog.program.history import group_editions

    if sheet is None:
        return []
    own: list[ReadProblem] = []
    loc = locate_columns(sheet, spec.EDITIONS, own)
    if loc.missing:
        problems.append(
            ReadProblem(
                EDITIONS_UNREADABLE,
                f"на листе «{spec.SHEET_EDITIONS}» не найдена строка заголовков (Вид акта, "
                "Номер акта, Дата акта …): редакции не прочитаны; верните заголовки шаблона",
                sheet.name,
                "A1",
            )
        )
        return []
    problems.extend(own)
    rows, _totals = read_rows(loc, spec.EDITIONS, problems, EditionRow)
    return group_editions(rows)


EXPLANATIONS_UNREADABLE = "H14"  # the reader's code for an unreadable «Пояснения» sheet


def read_explanations(sheet: SheetGrid | None, problems: list[ReadProblem]) -> list[Explanation]:
    """The «Пояснения» sheet's rows; none without the sheet, a located problem when its
    header row or its «Раздел» / «Год» column is not found."""
    if sheet is None:
        return []
    own: list[ReadProblem] = []
    loc = locate_columns(sheet, spec.EXPLANATIONS, own)
    if loc.missing:
        problems.append(
            ReadProblem(
                EXPLANATIONS_UNREADABLE,
                f"на листе «{spec.SHEET_EXPLANATIONS}» не найдены заголовки (Раздел, Строка, "
                "Год, Причина, Пояснение …): пояснения не прочитаны; верните заголовки шаблона",
                sheet.name,
                "A1",
            )
        )
        return []
    problems.extend(own)
    rows, _totals = read_rows(loc, spec.EXPLANATIONS, problems, Explanation)
    return rows
