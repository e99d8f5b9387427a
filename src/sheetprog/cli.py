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

from sheetprog.checks.severity import Severity
from sheetprog.errors import EXIT_INTERNAL, SheetprogError, UsageError
from sheetprog.version import __version__

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


class RegistryChoice(click.ParamType):  # type: ignore[type-arg]
    """One of the names a registry holds when the command runs (so a kind registered by a
    package or a test appears without editing this module)."""

    def __init__(self, name: str, names: Callable[[], list[str]]) -> None:
        self.name = name
        self.names = names

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.names()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        names = self.names()
        if value not in names:
            self.fail(f"«{value}» — допустимо: {', '.join(names)}.", param, ctx)
        return str(value)


def _report_names() -> list[str]:
    from sheetprog.reports.kinds import workbook_report_names

    return workbook_report_names()


def _workbook_kind_names() -> list[str]:
    from sheetprog.kinds import all_kinds

    return sorted(k.name for k in all_kinds())


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
    type=RegistryChoice("вид книги", _workbook_kind_names),
    help="Вид книги: муниципальная программа или кадровый резерв.",
)
@handle_errors
def new_cmd(
    out: Path,
    years: str | None,
    definition: Path | None,
    force: bool,
    xlsm: bool,
    kind: str | None,
) -> None:
    """Создать стандартную книгу мониторинга OUT.xlsx (или OUT.xlsm с кнопками)."""
    from sheetprog.api import created_message, new_workbook, parse_years

    if xlsm and out.suffix.lower() != ".xlsm":
        out = out.with_suffix(".xlsm")

    model = new_workbook(
        out,
        years=parse_years(years) if years else None,
        definition=definition,
        overwrite=force,
        kind=kind,
    )
    click.echo(created_message(model, out))


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
    from sheetprog.api import (
        assess_workbook,
        assessment_dict,
        assessment_text,
        read_workbook,
        write_assessment,
    )

    model = read_workbook(workbook)
    result = assess_workbook(model, workbook, period=period, method=method, config=config)
    written = None
    if out is not None or in_place:
        written = write_assessment(
            workbook, result, model=model, out=out, in_place=in_place, overwrite=force
        )
    if as_json:
        json.dump(assessment_dict(model, result), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(assessment_text(model, result))
    if written is not None:
        click.echo(f"Лист «Оценка» записан в «{written}».", err=as_json)


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
    type=click.Choice(sorted(Severity.names())),
    default=Severity.INFO.label,
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
    from sheetprog.checks.view import report_dict, report_text

    _program, report = check_workbook(workbook, config=config, previous=previous)
    written = None
    if out is not None or in_place:
        written = write_checks(workbook, report, out=out, in_place=in_place, overwrite=force)
    shown = report.at_least(Severity.parse(min_severity) or Severity.INFO)
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
    from sheetprog.checks.catalogue import CATALOGUE
    from sheetprog.checks.view import rule_dict, rules_text

    if as_json:
        json.dump(
            [rule_dict(r) for r in CATALOGUE.values()], sys.stdout, ensure_ascii=False, indent=2
        )
        click.echo()
    else:
        click.echo(rules_text())


@main.command("report")
@click.argument("kind", type=RegistryChoice("вид отчёта", _report_names))
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
    """Сформировать отчёт Word вида KIND по книге WORKBOOK."""
    from sheetprog.api import make_report
    from sheetprog.reports.filters import plural

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
        with_names=with_names,
    )
    click.echo(f"Отчёт сохранён: «{result.docx}».")
    if result.pdf:
        click.echo(f"PDF: «{result.pdf}».")
    if result.errors:
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
        click.echo(f"[{p.severity.label}] {p.where}: {p.message}")
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
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
    from sheetprog.api import describe, read_workbook

    model = read_workbook(workbook)
    if as_json:
        json.dump(describe(model, workbook, as_json=True), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(describe(model, workbook))
