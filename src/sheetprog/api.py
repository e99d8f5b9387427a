"""The library's entry points: every CLI command, Excel button and batch job calls these."""

from __future__ import annotations

from pathlib import Path

from sheetprog import spec
from sheetprog.assessment import Assessment
from sheetprog.checks import CheckReport
from sheetprog.errors import OutputError, UsageError
from sheetprog.model import Program
from sheetprog.values import normalize_text

_READ_SHEETS = {normalize_text(n) for n in (*spec.REQUIRED_SHEETS, spec.SHEET_LISTS)}


ENGINES = ("calamine", "openpyxl")


def read_workbook(path: str | Path, *, engine: str = "calamine") -> Program:
    """Read a sheetprog workbook (.xlsx/.xlsm) into the program model.

    ``engine`` "calamine" (default, fast) or "openpyxl" (pure Python); both give the
    same model. Read problems are in ``program.problems``; an unreadable file raises
    ``UnreadableInputError`` (a ``SheetprogError``) with a Russian message.
    """
    from sheetprog.reader import parse_grid

    if engine == "calamine":
        from sheetprog.io.fast_grid import load_grid_fast as load
    elif engine == "openpyxl":
        from sheetprog.io.xlsx_grid import load_grid as load
    else:
        raise UsageError(f"Неизвестный способ чтения «{engine}»: допустимо {', '.join(ENGINES)}.")
    grid = load(Path(path), wanted=lambda name: normalize_text(name) in _READ_SHEETS)
    return parse_grid(grid)


def calculate(
    path: str | Path,
    *,
    period: str | None = None,
    method: str | None = None,
    config: str | Path | None = None,
) -> tuple[Program, Assessment]:
    """Read a workbook and assess it for a period (default: the passport's reporting period)."""
    from sheetprog.config import find_config, load_methodology
    from sheetprog.engine import assess
    from sheetprog.periods import parse_period

    path = Path(path)
    program = read_workbook(path)
    if period:
        try:
            chosen = parse_period(period)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    else:
        reporting = program.passport.reporting_period
        if reporting is None:
            raise UsageError(
                f"В паспорте книги «{path}» не указан отчётный год (Паспорт, «Отчётный год»); "
                "заполните его или укажите --period, например --period 2021."
            )
        chosen = reporting
    found = find_config(path, Path(config) if config else None)
    methodology = load_methodology(program, method=method, config=found)
    return program, assess(program, chosen, methodology)


def check_workbook(
    path: str | Path,
    *,
    config: str | Path | None = None,
    previous: str | Path | None = None,
) -> tuple[Program, CheckReport]:
    """Read a workbook and run the consistency checks (with the [checks] settings)."""
    from sheetprog.checks import run_checks
    from sheetprog.config import find_config, load_check_config

    path = Path(path)
    program = read_workbook(path)
    earlier = read_workbook(Path(previous)) if previous else None
    settings = load_check_config(find_config(path, Path(config) if config else None))
    return program, run_checks(program, settings, earlier)


def write_checks(
    source: str | Path,
    report: CheckReport,
    *,
    out: str | Path | None = None,
    in_place: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the "Проверки" sheet (and marks on the cells) into a copy or in place."""
    from sheetprog.checks_sheet import WIDTHS, checks_rows, marks_by_sheet
    from sheetprog.io.marks import Parts, apply_marks
    from sheetprog.io.sheet_writer import put_sheet, rewrite_workbook

    source = Path(source)
    target = _output_target(source, out, in_place, overwrite)

    def edit(parts: Parts, sheet_parts: dict[str, str]) -> None:
        put_sheet(parts, sheet_parts, source, spec.SHEET_CHECKS, checks_rows(report), WIDTHS)
        owned = {spec.SHEET_CHECKS, spec.SHEET_ASSESSMENT, spec.SHEET_LISTS}
        apply_marks(parts, sheet_parts, marks_by_sheet(report), skip=owned)

    rewrite_workbook(source, target, edit)
    return target


def write_assessment(
    source: str | Path,
    assessment: Assessment,
    *,
    out: str | Path | None = None,
    in_place: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the "Оценка" sheet into a copy (``out``) or into ``source`` itself (``in_place``)."""
    from sheetprog.assessment_sheet import WIDTHS, assessment_rows
    from sheetprog.io.sheet_writer import replace_sheet

    target = _output_target(Path(source), out, in_place, overwrite)
    replace_sheet(
        Path(source), target, spec.SHEET_ASSESSMENT, assessment_rows(assessment), widths=WIDTHS
    )
    return target


def _output_target(source: Path, out: str | Path | None, in_place: bool, overwrite: bool) -> Path:
    if in_place == (out is not None):
        raise UsageError("Укажите либо -o ФАЙЛ (записать копию), либо --in-place.")
    if in_place:
        return source
    target = Path(out)  # type: ignore[arg-type]
    if target.suffix.lower() != source.suffix.lower():
        raise UsageError(
            f"Копия «{target}» должна иметь то же расширение, что и книга ({source.suffix})."
        )
    if target.resolve() == source.resolve():
        raise UsageError("Чтобы записать в ту же книгу, используйте --in-place.")
    if target.exists() and not overwrite:
        raise OutputError(
            f"Файл «{target}» уже существует. Укажите другое имя или добавьте --force.",
            path=str(target),
        )
    return target


def new_workbook(
    out: str | Path,
    *,
    years: list[int] | None = None,
    definition: str | Path | None = None,
    overwrite: bool = False,
) -> Program:
    """Write a new standardized workbook; prefilled from a definition file when given."""
    from sheetprog.definition import load_definition
    from sheetprog.io.builder import build_workbook, save_workbook

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"Имя новой книги «{out}» должно оканчиваться на .xlsx.")
    if out.exists() and not overwrite:
        raise OutputError(
            f"Файл «{out}» уже существует. Укажите другое имя или добавьте --force, "
            "чтобы заменить его.",
            path=str(out),
        )
    if not out.parent.exists():
        raise OutputError(f"Папка «{out.parent}» не существует.", path=str(out))
    program = load_definition(Path(definition)) if definition else Program()
    passport = program.passport
    if years:
        if passport.years and passport.years != years:
            raise UsageError(
                f"Годы --years {years[0]}-{years[-1]} не совпадают с годами реализации в "
                f"описании ({passport.first_year}-{passport.last_year})."
            )
        passport.first_year, passport.last_year = years[0], years[-1]
    if not passport.years:
        raise UsageError(
            "Не заданы годы реализации: укажите --years 2019-2023 или first_year/last_year "
            "в паспорте описания программы."
        )
    if (
        passport.first_year is not None
        and passport.last_year is not None
        and (
            passport.last_year < passport.first_year
            or passport.last_year - passport.first_year > 30
        )
    ):
        raise UsageError("Годы реализации заданы неверно: ожидается, например, 2019-2023.")
    save_workbook(build_workbook(program), out)
    return program


def parse_years(text: str) -> list[int]:
    """ "2019-2023" → [2019, …, 2023]; raises UsageError in Russian."""
    parts = [p.strip() for p in text.replace("–", "-").split("-")]
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError as exc:
        raise UsageError(f"Годы «{text}» не распознаны: ожидается, например, 2019-2023.") from exc
    if len(parts) > 2 or not (1990 <= first <= last <= 2100) or last - first > 30:
        raise UsageError(f"Годы «{text}» заданы неверно: ожидается, например, 2019-2023.")
    return list(range(first, last + 1))
