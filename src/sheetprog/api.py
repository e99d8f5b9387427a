"""The library's entry points: every CLI command, Excel button and batch job calls these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetprog import spec
from sheetprog.assessment import Assessment
from sheetprog.checks import CheckReport
from sheetprog.errors import OutputError, SheetprogError, UsageError
from sheetprog.model import Program
from sheetprog.periods import Period
from sheetprog.values import normalize_text

_READ_SHEETS = {normalize_text(n) for n in spec.READ_SHEETS}


ENGINES = ("calamine", "openpyxl")


def read_workbook(path: str | Path, *, engine: str = "calamine") -> Any:
    """Read a sheetprog workbook (.xlsx/.xlsm) into its model: a ``Program``, or a
    ``Reserve`` for a personnel-reserve workbook.

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
    path = Path(path)
    program = read_workbook(path)
    return program, assess_program(program, path, period=period, method=method, config=config)


def check_workbook(
    path: str | Path,
    *,
    config: str | Path | None = None,
    previous: str | Path | None = None,
) -> tuple[Program, CheckReport]:
    """Read a workbook and run the consistency checks (with the [checks] settings)."""
    path = Path(path)
    program = read_workbook(path)
    earlier = read_workbook(Path(previous)) if previous else None
    return program, check_findings(program, path, config=config, previous=earlier)


def check_findings(
    program: Any,
    path: Path,
    *,
    config: str | Path | None = None,
    previous: Program | None = None,
) -> CheckReport:
    """Checks of a program already read; ``path`` locates sheetprog.toml next to it."""
    from sheetprog.checks import run_checks
    from sheetprog.config import find_config, load_check_config

    settings = load_check_config(find_config(path, Path(config) if config else None))
    return run_checks(program, settings, previous)


def assess_program(
    program: Program,
    path: Path,
    *,
    period: str | None = None,
    method: str | None = None,
    config: str | Path | None = None,
) -> Assessment:
    """The assessment of a program already read (default: the passport's reporting period)."""
    from sheetprog.config import find_config, load_methodology
    from sheetprog.engine import assess
    from sheetprog.periods import parse_period

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
    return assess(program, chosen, load_methodology(program, method=method, config=found))


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


REPORT_KINDS = ("quarterly", "annual", "final")


def make_report(kind: str, path: str | Path, **options: Any) -> ReportResult:
    """Check, assess and render a Word report of a workbook file (and a PDF when asked);
    ``options`` are those of ``report_for_program``."""
    path = Path(path)
    return report_for_program(kind, read_workbook(path), path, **options)


def report_for_program(
    kind: str,
    program: Program,
    path: Path,
    *,
    period: str | None = None,
    out: str | Path | None = None,
    template: str | Path | None = None,
    config: str | Path | None = None,
    pdf: bool = False,
    force: bool = False,
    on_errors: str = "annex",
    replace: bool = False,
    today: dt.date | None = None,
) -> ReportResult:
    """The report of a program already read (from a file, or from Excel by the buttons);
    ``path`` is the workbook's file: config lookup and the default output folder."""
    from sheetprog.config import find_config, load_methodology
    from sheetprog.engine import assess
    from sheetprog.periods import Period, parse_period
    from sheetprog.reports.chart import plan_fact_chart
    from sheetprog.reports.context import build_context
    from sheetprog.reports.filters import plural
    from sheetprog.reports.render import write_report
    from sheetprog.reports.templates_build import default_template

    if kind not in REPORT_KINDS:
        raise UsageError(f"Вид отчёта «{kind}»: допустимо {', '.join(REPORT_KINDS)}.")
    if not isinstance(program, Program):
        raise UsageError(f"«{path}» — книга кадрового резерва: для неё отчёт «report reserve».")
    found = find_config(path, Path(config) if config else None)
    method = load_methodology(program, config=found)
    report = check_findings(program, path, config=config)
    errors = [f for f in report.findings if f.severity.value == "ошибка"]
    if errors and on_errors == "block" and not force:
        raise ReportBlockedError(
            f"В книге «{path}» {plural(len(errors), 'ошибка', 'ошибки', 'ошибок')} проверки "
            "(sheetprog check): отчёт не сформирован. Исправьте ошибки или добавьте --force, "
            "чтобы вынести их в приложение."
        )
    try:
        chosen = parse_period(period) if period else program.passport.reporting_period
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if chosen is None:
        raise UsageError(f"В паспорте книги «{path}» не указан отчётный год; укажите --period.")
    if kind == "annual" and not chosen.is_annual:
        chosen = Period(chosen.year)
    if kind == "final":
        chosen = Period(min(program.passport.last_year or chosen.year, chosen.year))
    assessment = assess(program, chosen, method)
    context = build_context(kind, program, assessment, method, report, today=today)
    if kind != "quarterly":
        context["chart"] = plan_fact_chart(
            context["indicators"], [r["achievement"] for r in context["indicators"]]
        )
    template_path = Path(template) if template else default_template(kind)
    target = Path(out) if out else path.parent / _report_name(kind, program, chosen)
    pdf_path = write_report(template_path, context, target, replace=replace, pdf=pdf)
    return ReportResult(target, pdf_path, len(errors))


class ReportBlockedError(SheetprogError):
    """The workbook has check errors and the user asked to block reports on errors."""

    exit_code = 1


@dataclass
class ReportResult:
    docx: Path
    pdf: Path | None
    errors: int


def _report_name(kind: str, program: Program, period: Period) -> str:
    import re

    words = {"quarterly": "Информация", "annual": "Отчёт", "final": "Итоговый отчёт"}
    name = program.passport.program_code or program.passport.program_name or "программа"
    name = re.sub(r"[^\w\- ]+", "", name).strip()[:40] or "программа"
    when = (
        f"{program.passport.first_year}-{program.passport.last_year}"
        if kind == "final"
        else period.key
    )
    return f"{words[kind]} {name} {when}.docx"


def new_workbook(
    out: str | Path,
    *,
    years: list[int] | None = None,
    definition: str | Path | None = None,
    overwrite: bool = False,
    kind: str = "program",
) -> Any:
    """Write a new standardized workbook; prefilled from a definition file when given."""
    from sheetprog.definition import load_definition
    from sheetprog.io.builder import build_workbook

    out = Path(out)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(
            f"Имя новой книги «{out}» должно оканчиваться на .xlsx (или .xlsm — с кнопками)."
        )
    if out.exists() and not overwrite:
        raise OutputError(
            f"Файл «{out}» уже существует. Укажите другое имя или добавьте --force, "
            "чтобы заменить его.",
            path=str(out),
        )
    if not out.parent.exists():
        raise OutputError(f"Папка «{out.parent}» не существует.", path=str(out))
    program = (
        load_definition(Path(definition))
        if definition
        else (_blank_reserve() if kind == "reserve" else Program())
    )
    if not isinstance(program, Program):  # a personnel-reserve workbook
        from sheetprog.reserve.builder import build_reserve_workbook

        _save_book(build_reserve_workbook(program), out)
        return program
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
    _save_book(build_workbook(program), out)
    return program


def _blank_reserve() -> Any:
    from sheetprog.reserve.model import Reserve

    return Reserve()


def _save_book(book: Any, out: Path) -> None:
    """Save a built workbook as .xlsx, or as .xlsm with the macros and buttons."""
    from sheetprog.io.builder import save_workbook

    if out.suffix.lower() == ".xlsm":
        import tempfile

        from sheetprog.io.xlsm import make_xlsm

        with tempfile.TemporaryDirectory(prefix="sheetprog-") as tmp:
            plain = Path(tmp) / "book.xlsx"
            save_workbook(book, plain)
            make_xlsm(plain, out)
    else:
        save_workbook(book, out)


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
