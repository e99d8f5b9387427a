"""The library's entry points: every CLI command, Excel button and batch job calls these.

Kind-agnostic: a workbook's kind (``sheetprog.kinds``) and a report's kind
(``sheetprog.reports.kinds``) are looked up in their registries, so the front ends
never branch on either. Settings (sheetprog.toml) are loaded once per call of an entry
point, or passed in as ``settings`` by a caller that has them already.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheetprog import spec
from sheetprog.checks.report import CheckReport
from sheetprog.errors import OutputError, UsageError
from sheetprog.kinds import (
    DEFAULT_KIND,
    Workbook,
    get_kind,
    kind_for_definition,
    kind_for_grid,
    kind_of,
)
from sheetprog.model import ReadProblem
from sheetprog.reports.kinds import ReportOptions, ReportResult
from sheetprog.settings import Settings, load_settings
from sheetprog.values import normalize_text

__all__ = [
    "ENGINES",
    "ReportResult",
    "Settings",
    "Workbook",
    "amend_workbook",
    "assess_workbook",
    "calculate",
    "check_findings",
    "check_workbook",
    "describe",
    "load_definition",
    "load_settings",
    "make_report",
    "new_workbook",
    "parse_grid",
    "parse_years",
    "read_workbook",
    "report_for_workbook",
    "write_assessment",
    "write_checks",
]

_READ_SHEETS = {normalize_text(n) for n in spec.READ_SHEETS}
ENGINES = ("calamine", "openpyxl")


# -- reading ---------------------------------------------------------------------------------


def read_workbook(path: str | Path, *, engine: str = "calamine") -> Workbook:
    """Read a sheetprog workbook (.xlsx/.xlsm) into the model of its kind: a ``Program``,
    or a ``Reserve`` for a personnel-reserve workbook.

    ``engine`` "calamine" (default, fast; openpyxl for a file calamine cannot read right)
    or "openpyxl" (pure Python); both give the same model. Read problems are in
    ``model.problems``; an unreadable file raises ``UnreadableInputError`` (a
    ``SheetprogError``) with a Russian message.
    """
    if engine not in ENGINES:
        raise UsageError(f"Неизвестный способ чтения «{engine}»: допустимо {', '.join(ENGINES)}.")
    # -- issue 19: calamine falls back to openpyxl file by file (io.engines); the reason is
    # finding R020, so that ``info`` and ``check`` say how the file was read
    from sheetprog.io.engines import load
    from sheetprog.read.cells import ENGINE_FALLBACK

    wanted = lambda name: normalize_text(name) in _READ_SHEETS  # noqa: E731
    grid, fallback = load(Path(path), wanted=wanted, engine=engine)
    model = parse_grid(grid)
    if fallback:
        model.problems.append(ReadProblem(ENGINE_FALLBACK, fallback))
    return model


def parse_grid(grid: Any) -> Workbook:
    """The model of a grid (from a file or from Excel): the kind that recognises it reads it."""
    return kind_for_grid(grid).parse(grid)


def describe(
    model: Workbook,
    path: Path,
    *,
    as_json: bool = False,
    config: str | Path | None = None,
    settings: Settings | None = None,
) -> Any:
    """What ``info`` shows: text, or JSON-compatible data; never personal data. The reader's
    problems are listed with their catalogue severity (and ``[checks]`` settings)."""
    from sheetprog.checks.run import read_findings

    settings = settings or load_settings(path, config)
    problems = read_findings(model.problems, settings.checks)
    kind = kind_of(model)
    return kind.info_dict(model, problems) if as_json else kind.info_text(model, problems)


def load_definition(path: str | Path) -> Workbook:
    """Read a .yaml/.yml/.toml definition into its kind's model. Raises DefinitionError
    with every problem found, each with its place in the file."""
    from sheetprog.read.definition import load_definition_data, raise_errors

    path = Path(path)
    data = load_definition_data(path)
    errors: list[str] = []
    model = kind_for_definition(data).from_definition(data, errors)
    raise_errors(path, errors)
    return model


# -- checking and assessing ------------------------------------------------------------------


def check_workbook(
    path: str | Path,
    *,
    config: str | Path | None = None,
    previous: str | Path | None = None,
) -> tuple[Workbook, CheckReport]:
    """Read a workbook and run the consistency checks (with the [checks] settings)."""
    path = Path(path)
    model = read_workbook(path)
    earlier = read_workbook(Path(previous)) if previous else None
    return model, check_findings(model, path, config=config, previous=earlier)


def check_findings(
    model: Workbook,
    path: Path,
    *,
    config: str | Path | None = None,
    previous: Workbook | None = None,
    settings: Settings | None = None,
) -> CheckReport:
    """Checks of a model already read; ``path`` locates sheetprog.toml next to it."""
    from sheetprog.checks.run import run_checks

    settings = settings or load_settings(path, config)
    return run_checks(model, settings.checks, previous)


def calculate(
    path: str | Path,
    *,
    period: str | None = None,
    method: str | None = None,
    config: str | Path | None = None,
) -> tuple[Workbook, Any]:
    """Read a workbook and assess it for a period (default: the passport's reporting period)."""
    path = Path(path)
    model = read_workbook(path)
    return model, assess_workbook(model, path, period=period, method=method, config=config)


def assess_workbook(
    model: Workbook,
    path: Path,
    *,
    period: str | None = None,
    method: str | None = None,
    config: str | Path | None = None,
    settings: Settings | None = None,
) -> Any:
    """The assessment of a model already read, by its kind's methodology (default period:
    the passport's). Its views: ``assessment_text``, ``assessment_dict``."""
    settings = settings or load_settings(path, config)
    return kind_of(model).assess(model, path, period=period, method=method, settings=settings)


def refine_assessment(
    result: Any,
    previous: str | Path,
    *,
    method: str | None = None,
    config: str | Path | None = None,
    settings: Settings | None = None,
) -> bool:
    """Issue 18: assess the previous submission ``previous`` for the same period; when it
    was provisional (facts «ожидается») and ``result`` is not, ``result`` becomes
    «уточнённая» and keeps the earlier rating. True when it does."""
    from sheetprog.assess.engine import refine
    from sheetprog.assess.result import Assessment
    from sheetprog.project.assess import ProjectAssessment, refine_project

    previous = Path(previous)
    earlier_model = read_workbook(previous)
    if not isinstance(result, Assessment | ProjectAssessment):
        raise UsageError("--previous для расчёта применяется только к книге программы.")
    earlier = assess_workbook(
        earlier_model,
        previous,
        period=result.period.key,
        method=method,
        config=config,
        settings=settings,
    )
    if isinstance(result, ProjectAssessment):  # issue 18 item 5: the project structure
        return isinstance(earlier, ProjectAssessment) and refine_project(result, earlier)
    return refine(result, earlier)


def assessment_text(model: Workbook, result: Any) -> str:
    return kind_of(model).assessment_text(result)


def assessment_dict(model: Workbook, result: Any) -> dict[str, Any]:
    return kind_of(model).assessment_dict(result)


def assessment_message(model: Workbook, result: Any) -> str:
    return kind_of(model).assessment_message(result)


# -- what a button (Excel) or a menu item (LibreOffice Calc) says: one wording for both ------


def check_message(errors: int, findings: int) -> str:
    """What «Проверить» says."""
    if errors:
        return (
            f"Найдено ошибок: {errors}, всего замечаний: {findings}. Они на листе «Проверки» "
            "и отмечены цветом и примечаниями в ячейках."
        )
    return f"Ошибок нет. Замечаний: {findings} (лист «Проверки»)."


def recalc_message(model: Workbook, result: Any, errors: int) -> str:
    """What «Пересчитать» says: the assessment, and the errors the check found beside it."""
    tail = f" Ошибок проверки: {errors} (лист «Проверки»)." if errors else ""
    return assessment_message(model, result) + tail


def report_message(result: Any) -> str:
    """What a report button says: where the report is, and the errors in its annex."""
    note = (
        f" В книге ошибок проверки: {result.errors}; они перечислены в приложении к отчёту."
        if result.errors
        else ""
    )
    return f"Отчёт сохранён рядом с книгой: «{result.docx}».{note}"


def assessment_sheet(model: Workbook, result: Any) -> tuple[list[Any], dict[int, float]]:
    """The «Оценка» sheet's rows and column widths."""
    return kind_of(model).assessment_rows(result)


# -- writing into workbooks ------------------------------------------------------------------


def write_checks(
    source: str | Path,
    report: CheckReport,
    *,
    out: str | Path | None = None,
    in_place: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the "Проверки" sheet (and marks on the cells) into a copy or in place."""
    from sheetprog.checks.sheet import WIDTHS, checks_rows, marks_by_sheet
    from sheetprog.io.marks import Parts, apply_marks
    from sheetprog.io.sheet_writer import put_sheet, rewrite_workbook

    source = Path(source)
    target = output_target(source, out, in_place, overwrite)

    def edit(parts: Parts, sheet_parts: dict[str, str]) -> None:
        put_sheet(parts, sheet_parts, source, spec.SHEET_CHECKS, checks_rows(report), WIDTHS)
        owned = {spec.SHEET_CHECKS, spec.SHEET_ASSESSMENT, spec.SHEET_LISTS}
        apply_marks(parts, sheet_parts, marks_by_sheet(report), skip=owned)

    rewrite_workbook(source, target, edit)
    return target


def write_assessment(
    source: str | Path,
    assessment: Any,
    *,
    model: Workbook | None = None,
    out: str | Path | None = None,
    in_place: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the "Оценка" sheet into a copy (``out``) or into ``source`` itself
    (``in_place``). ``model``: the workbook assessed (default: a program's assessment)."""
    from sheetprog.io.sheet_writer import replace_sheet

    kind = kind_of(model) if model is not None else get_kind("program")
    rows, widths = kind.assessment_rows(assessment)
    target = output_target(Path(source), out, in_place, overwrite)
    replace_sheet(Path(source), target, spec.SHEET_ASSESSMENT, rows, widths=widths)
    return target


def output_target(source: Path, out: str | Path | None, in_place: bool, overwrite: bool) -> Path:
    """Where a command writes the workbook it changes: a copy (``out``) or ``source``."""
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
            f"Файл «{target}» уже существует. Укажите другое имя или добавьте --replace.",
            path=str(target),
        )
    return target


# -- editions (issue 18) ---------------------------------------------------------------------


def amend_workbook(
    old: str | Path,
    new: str | Path,
    *,
    act: str,
    reason: str,
    effective: str | None = None,
    description: str | None = None,
    out: str | Path | None = None,
    overwrite: bool = False,
) -> tuple[Path, Any, list[Any]]:
    """Record in ``new`` (or in the copy ``out``) the edition ``act`` that changed the
    program from ``old`` to ``new``: its act, reason and the «было → стало» of every
    changed plan, funding plan and passport field not yet recorded by an edition of
    ``new``. Returns (the workbook written, the edition, its changes)."""
    from sheetprog.io.editions_writer import write_edition_rows
    from sheetprog.io.fast_grid import load_grid_fast
    from sheetprog.model import Program
    from sheetprog.program.history import amendment, same_program
    from sheetprog.project.history import changes as plan_changes
    from sheetprog.project.model import ProjectProgram

    old, new = Path(old), Path(new)
    before, after = read_workbook(old), read_workbook(new)
    programs = (Program, ProjectProgram)  # both structures keep editions (issue 18, item 5)
    if not isinstance(before, programs) or not isinstance(after, programs):
        raise UsageError(f"«{new}» — не книга муниципальной программы: редакции ведутся в ней.")
    if type(before) is not type(after):
        raise UsageError(
            f"«{old}» и «{new}» — книги программы в разной структуре (прежней и структуре "
            "проектов): изменения между ними не сравниваются построчно; запишите редакцию "
            "вручную на листе «Редакции»."
        )
    if not same_program(before, after):
        raise UsageError(f"«{old}» и «{new}» — книги разных программ: сравнивать нечего.")
    changes = plan_changes(before, after)
    edition, rows = amendment(after, changes, act, reason, effective, description)
    target = new if out is None else output_target(new, out, False, overwrite)
    wanted = normalize_text(spec.SHEET_EDITIONS)
    grid = load_grid_fast(new, wanted=lambda name: normalize_text(name) == wanted)
    sheet = next((g for n, g in grid.sheets.items() if normalize_text(n) == wanted), None)
    write_edition_rows(new, target, rows, sheet)
    return target, edition, rows


# -- reports ---------------------------------------------------------------------------------


def make_report(
    kind: str,
    path: str | Path,
    *,
    config: str | Path | None = None,
    period: str | None = None,
    out: str | Path | None = None,
    template: str | Path | None = None,
    pdf: bool = False,
    on_errors: str = "annex",
    despite_errors: bool = False,
    replace: bool = False,
    with_names: bool = False,
    partial: bool = False,
    today: dt.date | None = None,
) -> ReportResult:
    """Render a Word report of a workbook file (and a PDF when asked): check, assess,
    fill the kind's template."""
    path = Path(path)
    options = ReportOptions(
        period=period,
        out=Path(out) if out else None,
        template=Path(template) if template else None,
        pdf=pdf,
        on_errors=on_errors,
        despite_errors=despite_errors,
        replace=replace,
        with_names=with_names,
        partial=partial,
        today=today,
    )
    return report_for_workbook(kind, read_workbook(path), path, options, config=config)


def report_for_workbook(
    kind: str,
    model: Workbook,
    path: Path,
    options: ReportOptions,
    *,
    config: str | Path | None = None,
    settings: Settings | None = None,
) -> ReportResult:
    """The report of a model already read (from a file, or from Excel by the buttons);
    ``path`` is the workbook's file: config lookup and the default output folder."""
    from sheetprog.reports.kinds import get_report_kind, resolve, workbook_report_names

    report_kind = get_report_kind(kind)
    if report_kind.workbook != model.KIND:
        mine, needed = kind_of(model), get_kind(report_kind.workbook)
        names = ", ".join(f"«report {n}»" for n in workbook_report_names(model.KIND))
        raise UsageError(
            f"«{path}» — книга {mine.genitive}, а не {needed.genitive}: для неё {names}."
        )
    settings = settings or load_settings(path, config)
    assert report_kind.maker is not None
    result: ReportResult = resolve(report_kind.maker)(report_kind, model, path, options, settings)
    return result


# -- new workbooks ---------------------------------------------------------------------------


def new_workbook(
    out: str | Path,
    *,
    years: list[int] | None = None,
    definition: str | Path | None = None,
    overwrite: bool = False,
    kind: str | None = None,
) -> Workbook:
    """Write a new standardized workbook of ``kind`` (default: ``DEFAULT_KIND``), or
    prefilled from a definition file (whose content says its kind)."""
    out = Path(out)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(
            f"Имя новой книги «{out}» должно оканчиваться на .xlsx (или .xlsm — с кнопками)."
        )
    if out.exists() and not overwrite:
        raise OutputError(
            f"Файл «{out}» уже существует. Укажите другое имя или добавьте --replace, "
            "чтобы заменить его.",
            path=str(out),
        )
    if not out.parent.exists():
        raise OutputError(f"Папка «{out.parent}» не существует.", path=str(out))
    model = (
        load_definition(definition) if definition else get_kind(kind or DEFAULT_KIND).blank(years)
    )
    workbook_kind = kind_of(model)
    workbook_kind.prepare_new(model, years)
    _save_book(workbook_kind.build(model), out, workbook_kind.name)
    return model


def created_message(model: Workbook, path: Path) -> str:
    """The line ``sheetprog new`` prints about the workbook it made."""
    return kind_of(model).created_message(model, path)


def _save_book(book: Any, out: Path, workbook: str | None = None) -> None:
    """Save a built workbook as .xlsx, or as .xlsm with the macros and the buttons of its
    ``workbook`` kind."""
    from sheetprog.io.builder import save_workbook

    if out.suffix.lower() == ".xlsm":
        import tempfile

        from sheetprog.io.xlsm import make_xlsm

        with tempfile.TemporaryDirectory(prefix="sheetprog-") as tmp:
            plain = Path(tmp) / "book.xlsx"
            save_workbook(book, plain)
            make_xlsm(plain, out, workbook)
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
