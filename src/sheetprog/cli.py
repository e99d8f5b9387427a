"""The ``sheetprog`` command: thin click commands over ``sheetprog.api``.

Exit codes: 0 ok, 1 findings with errors, 2 usage, 3 unreadable input,
4 internal error. Heavy libraries are imported inside commands so that
``sheetprog --help`` stays fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sheetprog import __version__
from sheetprog.errors import EXIT_INTERNAL, SheetprogError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Map SheetprogError to its exit code and a Russian message; --debug shows tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except SheetprogError as exc:
            if debug:
                raise
            click.echo(f"Ошибка: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if debug:
                raise
            click.echo(
                f"Внутренняя ошибка sheetprog ({type(exc).__name__}: {exc}). Повторите команду с "
                "ключом --debug и передайте вывод разработчикам.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheetprog")
@click.option("--debug", is_flag=True, help="Показывать трассировку Python при ошибках.")
def main(debug: bool) -> None:
    """sheetprog — мониторинг муниципальных программ в стандартной книге Excel."""


@main.command("new")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--years", help="Годы реализации, например 2019-2023.")
@click.option(
    "--from",
    "definition",
    type=click.Path(path_type=Path),
    help="Файл описания программы (YAML или TOML) для предзаполнения.",
)
@click.option("--force", is_flag=True, help="Заменить существующий файл.")
@click.option(
    "--xlsm",
    is_flag=True,
    help="Книга с макросами и кнопками (как OUT.xlsm): Проверить, Пересчитать, отчёты.",
)
@click.option(
    "--kind",
    type=click.Choice(["program", "reserve"]),
    default="program",
    help="Вид книги: муниципальная программа или кадровый резерв.",
)
@handle_errors
def new_cmd(
    out: Path, years: str | None, definition: Path | None, force: bool, xlsm: bool, kind: str
) -> None:
    """Создать стандартную книгу мониторинга OUT.xlsx (или OUT.xlsm с кнопками)."""
    from sheetprog.api import new_workbook, parse_years

    if xlsm and out.suffix.lower() != ".xlsm":
        out = out.with_suffix(".xlsm")

    program = new_workbook(
        out,
        years=parse_years(years) if years else None,
        definition=definition,
        overwrite=force,
        kind=kind,
    )
    if kind == "reserve" or hasattr(program, "reservists"):
        click.echo(
            f"Создана книга кадрового резерва «{out}»: резервистов "
            f"{len(program.reservists)}, вакансий {len(program.vacancies)}."
        )
        return
    p = program.passport
    click.echo(
        f"Создана книга «{out}»: годы {p.first_year}–{p.last_year}, показателей "
        f"{len(program.indicators)}, мероприятий {len(program.activities)}, строк "
        f"финансирования {len(program.funding)}."
    )


def output_options(func: F) -> F:
    """-o OUT / --in-place / --force: shared by commands that write into a workbook."""
    func = click.option("--force", is_flag=True, help="Заменить существующий файл -o.")(func)
    func = click.option(
        "--in-place", is_flag=True, help="Записать результат в саму книгу (атомарно)."
    )(func)
    return click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        help="Записать копию книги с результатами.",
    )(func)


@main.command("calc")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--period", help="Год (2021) или квартал нарастающим итогом (2021-Q1 … 2021-Q4).")
@click.option("--method", help="Методика: average, federal или название из паспорта.")
@click.option("--config", type=click.Path(path_type=Path), help="Файл настроек sheetprog.toml.")
@click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")
@output_options
@handle_errors
def calc_cmd(
    workbook: Path,
    period: str | None,
    method: str | None,
    config: Path | None,
    as_json: bool,
    out: Path | None,
    in_place: bool,
    force: bool,
) -> None:
    """Рассчитать эффективность по методике муниципального образования.

    Для книги кадрового резерва — ЭфР1 и ЭфР2 за год и за два и три года.
    """
    from sheetprog.api import assess_program, read_workbook, write_assessment
    from sheetprog.assessment_view import assessment_dict, assessment_text
    from sheetprog.model import Program

    model = read_workbook(workbook)
    if not isinstance(model, Program):
        _reserve_calc(model, workbook, period, config, as_json, out, in_place, force)
        return
    assessment = assess_program(model, workbook, period=period, method=method, config=config)
    written = None
    if out is not None or in_place:
        written = write_assessment(
            workbook, assessment, out=out, in_place=in_place, overwrite=force
        )
    if as_json:
        json.dump(assessment_dict(assessment), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(assessment_text(assessment))
    if written is not None:
        click.echo(f"Лист «Оценка» записан в «{written}».", err=as_json)


def _reserve_calc(
    reserve: Any,
    workbook: Path,
    period: str | None,
    config: Path | None,
    as_json: bool,
    out: Path | None,
    in_place: bool,
    force: bool,
) -> None:
    from sheetprog.api import _output_target
    from sheetprog.io.sheet_writer import replace_sheet
    from sheetprog.reserve.api import assess_reserve_book
    from sheetprog.reserve.views import WIDTHS, reserve_dict, reserve_rows, reserve_text
    from sheetprog.spec import SHEET_ASSESSMENT

    assessment = assess_reserve_book(reserve, workbook, period=period, config=config)
    if out is not None or in_place:
        target = _output_target(workbook, out, in_place, force)
        replace_sheet(workbook, target, SHEET_ASSESSMENT, reserve_rows(assessment), WIDTHS)
        click.echo(f"Лист «Оценка» записан в «{target}».", err=as_json)
    if as_json:
        json.dump(reserve_dict(assessment), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(reserve_text(assessment))


SEVERITY_CHOICES = {
    "ошибка": "ошибка",
    "error": "ошибка",
    "предупреждение": "предупреждение",
    "warning": "предупреждение",
    "сведения": "сведения",
    "info": "сведения",
}


@main.command("check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--config", type=click.Path(path_type=Path), help="Файл настроек sheetprog.toml.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="Предыдущая отчётность по той же программе (для сверки периодов).",
)
@click.option(
    "--min-severity",
    type=click.Choice(sorted(SEVERITY_CHOICES)),
    default="сведения",
    help="Показывать замечания не ниже этой серьёзности.",
)
@click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")
@output_options
@handle_errors
def check_cmd(
    workbook: Path,
    config: Path | None,
    previous: Path | None,
    min_severity: str,
    as_json: bool,
    out: Path | None,
    in_place: bool,
    force: bool,
) -> None:
    """Проверить книгу: контрольные соотношения с адресами ячеек.

    Код завершения: 0 — ошибок нет (предупреждения допустимы), 1 — есть ошибки,
    3 — книгу нельзя прочитать.
    """
    from sheetprog.api import check_workbook, write_checks
    from sheetprog.checks_view import report_dict, report_text
    from sheetprog.model import Severity

    _program, report = check_workbook(workbook, config=config, previous=previous)
    written = None
    if out is not None or in_place:
        written = write_checks(workbook, report, out=out, in_place=in_place, overwrite=force)
    shown = report.at_least(Severity(SEVERITY_CHOICES[min_severity]))
    if as_json:
        json.dump(report_dict(report, shown), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(report_text(report, shown))
    if written is not None:
        click.echo(f"Лист «Проверки» и отметки в ячейках записаны в «{written}».", err=as_json)
    click.get_current_context().exit(0 if report.valid else 1)


@main.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Вывести каталог в JSON.")
def rules_cmd(as_json: bool) -> None:
    """Каталог проверок: код, серьёзность, назначение."""
    from sheetprog.checks import CATALOGUE
    from sheetprog.checks_view import rule_dict, rules_text

    if as_json:
        json.dump(
            [rule_dict(r) for r in CATALOGUE.values()], sys.stdout, ensure_ascii=False, indent=2
        )
        click.echo()
    else:
        click.echo(rules_text())


@main.command("report")
@click.argument("kind", type=click.Choice(["quarterly", "annual", "final", "reserve"]))
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--period", help="Год (2021) или квартал нарастающим итогом (2021-Q1 … 2021-Q3).")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), help="Файл отчёта .docx.")
@click.option("--template", type=click.Path(path_type=Path), help="Свой шаблон Word (.docx).")
@click.option("--config", type=click.Path(path_type=Path), help="Файл настроек sheetprog.toml.")
@click.option("--pdf", is_flag=True, help="Сохранить также PDF (нужен LibreOffice).")
@click.option(
    "--on-errors",
    type=click.Choice(["annex", "block"]),
    default="annex",
    help="Ошибки проверки: вынести в приложение (annex) или не формировать отчёт.",
)
@click.option("--force", is_flag=True, help="Сформировать отчёт, несмотря на ошибки (с block).")
@click.option("--replace", is_flag=True, help="Заменить существующий файл отчёта.")
@click.option(
    "--with-names",
    is_flag=True,
    help="Кадровый резерв: включить ФИО в отчёт (персональные данные).",
)
@handle_errors
def report_cmd(
    kind: str,
    workbook: Path,
    period: str | None,
    out: Path | None,
    template: Path | None,
    config: Path | None,
    pdf: bool,
    on_errors: str,
    force: bool,
    replace: bool,
    with_names: bool,
) -> None:
    """Сформировать отчёт Word: quarterly, annual, final или reserve (кадровый резерв)."""
    from sheetprog.api import make_report, read_workbook

    if kind == "reserve":
        from sheetprog.reserve.api import reserve_report
        from sheetprog.reserve.model import Reserve

        model = read_workbook(workbook)
        if not isinstance(model, Reserve):
            raise UsageError(
                f"«{workbook}» — книга муниципальной программы, а не кадрового "
                "резерва; для неё: quarterly, annual или final."
            )
        made = reserve_report(
            model,
            workbook,
            period=period,
            out=out,
            template=template,
            config=config,
            pdf=pdf,
            replace=replace,
            with_names=with_names,
        )
        click.echo(f"Отчёт сохранён: «{made.docx}».")
        if made.pdf:
            click.echo(f"PDF: «{made.pdf}».")
        return
    result = make_report(
        kind,
        workbook,
        period=period,
        out=out,
        template=template,
        config=config,
        pdf=pdf,
        force=force,
        on_errors=on_errors,
        replace=replace,
    )
    click.echo(f"Отчёт сохранён: «{result.docx}».")
    if result.pdf:
        click.echo(f"PDF: «{result.pdf}».")
    if result.errors:
        from sheetprog.reports.filters import plural

        found = plural(result.errors, "ошибка", "ошибки", "ошибок")
        click.echo(
            f"Внимание: в книге {found} проверки; они перечислены в приложении к отчёту.",
            err=True,
        )


@main.group("template")
def template_group() -> None:
    """Работа с шаблонами отчётов Word."""


@template_group.command("check")
@click.argument("template", type=click.Path(path_type=Path))
@handle_errors
def template_check_cmd(template: Path) -> None:
    """Проверить шаблон: неизвестные переменные, синтаксис тегов, теги, разбитые Word."""
    from sheetprog.reports.lint import lint_template
    from sheetprog.reports.schema import context_schema

    if not template.is_file():
        raise UsageError(f"Шаблон «{template}» не найден.")
    problems = lint_template(template, context_schema())
    for p in problems:
        click.echo(f"[{p.severity}] {p.where}: {p.message}")
    errors = sum(1 for p in problems if p.severity == "ошибка")
    click.echo(f"Ошибок: {errors}, предупреждений: {len(problems) - errors}.")
    click.get_current_context().exit(1 if errors else 0)


@main.command("batch")
@click.argument("inbox", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    required=True,
    help="Папка для сводных результатов.",
)
@click.option("--period", help="Период оценки (2026 или 2026-Q3); по умолчанию — из паспортов.")
@click.option(
    "--expected",
    type=click.Path(path_type=Path),
    help="Список ожидаемых отчётов (.csv или .xlsx): ОКТМО, МО, код программы, срок.",
)
@click.option("--config", type=click.Path(path_type=Path), help="Файл настроек sheetprog.toml.")
@click.option("--jobs", type=int, help="Число процессов (по умолчанию — все ядра).")
@click.option(
    "--db",
    help="Хранилище: sqlite:///путь.db или postgresql+psycopg://… "
    "(по умолчанию — SQLite в папке результатов).",
)
@click.option(
    "--scheduler",
    help="Адрес планировщика Dask (tcp://хост:порт): обработка на кластере (sheetprog[dask]).",
)
@handle_errors
def batch_cmd(
    inbox: Path,
    outdir: Path,
    period: str | None,
    expected: Path | None,
    config: Path | None,
    jobs: int | None,
    db: str | None,
    scheduler: str | None,
) -> None:
    """Обработать все книги из папки INBOX: проверка, оценка, сводка, рейтинг, полнота."""
    from sheetprog.batch.run import run_batch

    with click.progressbar(length=1, label="Обработка книг", file=sys.stderr, show_eta=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        result = run_batch(
            inbox,
            outdir,
            period=period,
            expected=expected,
            config=config,
            jobs=jobs,
            db=db,
            scheduler=scheduler,
            progress=progress,
        )
    statuses: dict[str, int] = {}
    for s in result.submissions:
        statuses[s["status"]] = statuses.get(s["status"], 0) + 1
    click.echo(
        f"Книг: {len(result.submissions)} (обработано сейчас {result.processed}, "
        f"из хранилища {result.reused}); "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        + "."
    )
    click.echo(
        f"Результаты: «{outdir}» (Сводная таблица.xlsx, Сводная аналитическая записка.docx, "
        f"CSV, summary.json); хранилище: «{result.db}»."
    )


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Вывести изменения в JSON.")
@handle_errors
def diff_cmd(old: Path, new: Path, as_json: bool) -> None:
    """Показать, что изменилось по ячейкам между двумя книгами одной программы."""
    from sheetprog.batch.diff import changes_text, diff_workbooks
    from sheetprog.serialize import to_jsonable

    changes = diff_workbooks(old, new)
    if as_json:
        json.dump(
            [
                {
                    "sheet": c.sheet,
                    "cell": c.cell,
                    "old": to_jsonable(c.old),
                    "new": to_jsonable(c.new),
                }
                for c in changes
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        click.echo()
    else:
        click.echo(changes_text(changes))


@main.command("info")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Вывести модель программы в JSON.")
@handle_errors
def info_cmd(workbook: Path, as_json: bool) -> None:
    """Показать, что прочитано из книги WORKBOOK."""
    from sheetprog.api import read_workbook
    from sheetprog.model import Program
    from sheetprog.report_info import info_dict, info_text

    program = read_workbook(workbook)
    if not isinstance(program, Program):  # a personnel reserve: no names in the output
        from sheetprog.reserve.views import reserve_info_text
        from sheetprog.serialize import to_jsonable

        if as_json:
            data = to_jsonable(program)
            for person in data["reservists"]:
                person.pop("name", None)
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            click.echo()
        else:
            click.echo(reserve_info_text(program))
        return
    if as_json:
        json.dump(info_dict(program), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(info_text(program))
