"""The ``sheetprog`` command: thin click commands over ``sheetprog.api``.

Exit codes: 0 ok, 1 findings with errors (batch: also files not read), 2 usage, 3 unreadable
input, 4 internal error, 5 an output the file system refused (full disk, read-only, locked),
141 the reader closed the pipe (``… | head -1``). Heavy libraries are
imported inside commands so that ``sheetprog --help`` stays fast.

Everything a user reads is Russian: click's own words come from ``cli_ru`` (installed
here, before the commands are built). Errors and warnings are coloured on a terminal;
``NO_COLOR`` (set and not empty) or output into a file or pipe gives plain text.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from sheetprog import cli_ru
from sheetprog.checks.severity import Severity
from sheetprog.errors import EXIT_CLOSED_PIPE, EXIT_INTERNAL, SheetprogError, UsageError
from sheetprog.version import __version__

cli_ru.install()

F = TypeVar("F", bound=Callable[..., Any])

# issue 20: click's own readability check says «Path … is not readable» in English with
# exit 2; the commands' readers say it in Russian with exit 3 (io.safety.check_file)
PATH = click.Path(path_type=Path, readable=False)

PERIOD_HELP = (
    "Период: год (2021) или квартал нарастающим итогом — 2021-Q1 (I квартал), 2021-Q2 "
    "(полугодие), 2021-Q3 (9 месяцев), 2021-Q4 (весь год, как 2021); для кадрового резерва — "
    "только год. По умолчанию — отчётный период из паспорта."
)


# -- output: colours, errors, a closed pipe ---------------------------------------------------


def colour() -> bool | None:
    """click's ``color``: False when NO_COLOR is set (and not empty), else None — click then
    colours only a terminal."""
    return False if os.environ.get("NO_COLOR") else None


_SEVERITY_TAG = re.compile(r"\[(" + "|".join(s.label for s in Severity) + r")\]")


def say(text: str, *, err: bool = False) -> None:
    """Print a text view; its «[ошибка]», «[предупреждение]», «[сведения]» in their colours."""

    def paint(match: re.Match[str]) -> str:
        severity = Severity(match.group(1))
        return click.style(match.group(0), fg=severity.terminal, bold=severity is Severity.ERROR)

    from sheetprog.io.textguard import clean  # issue 20: no ESC/BEL from a workbook

    click.echo(_SEVERITY_TAG.sub(paint, clean(text)), err=err, color=colour())


def error(message: str) -> None:
    """«Ошибка: …» on stderr, the word in red."""
    label = click.style("Ошибка:", fg="red", bold=True)
    click.echo(f"{label} {message}", err=True, color=colour())


def warning(message: str) -> None:
    """«Внимание: …» on stderr, the word in yellow."""
    label = click.style("Внимание:", fg="yellow", bold=True)
    click.echo(f"{label} {message}", err=True, color=colour())


def closed_pipe() -> NoReturn:
    """The reader of the output has gone (``sheetprog info X --json | head -1``): end quietly
    with 141, the status the shell shows for a program ended by SIGPIPE. As the Python docs
    recommend (signal module, "Note on SIGPIPE"), stdout is pointed at devnull so that the
    interpreter's last flush does not fail again; SIGPIPE's handler is left as Python sets
    it (a broken socket must stay an exception)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass
    raise SystemExit(EXIT_CLOSED_PIPE)


def _requote(text: str) -> str:
    """click quotes names as 'check'; Russian text uses «check»."""
    return re.sub(r"'([^'\n]+)'", r"«\1»", text)


def show_click_error(exc: click.ClickException) -> None:
    """A usage error as click shows it (usage line, where to get help), in Russian and with
    the error word coloured."""
    if isinstance(exc, click.UsageError) and type(exc).show is not click.UsageError.show:
        exc.show()  # no arguments: the help page itself
        return
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        ctx = exc.ctx
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            names = ctx.command.get_help_option_names(ctx)
            hint = cli_ru.gettext("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=max(names, key=len)
            )
        click.echo(f"{ctx.get_usage()}\n{hint}\n", err=True, color=colour())
    error(_requote(exc.format_message()))


class SheetprogGroup(cli_ru.RuGroup):
    """The root command: click's standalone handling with Russian, coloured errors, NO_COLOR
    and a quiet end on a closed pipe."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if colour() is False:
            extra.setdefault("color", False)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            show_click_error(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            if not standalone_mode:
                raise
            click.echo(cli_ru.gettext("Aborted!"), err=True)
            sys.exit(1)
        except BrokenPipeError:
            closed_pipe()
        if not standalone_mode:
            return result
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            closed_pipe()
        # an explicit ctx.exit(n) comes back as n; a command's own return value means 0
        sys.exit(result if isinstance(result, int) else 0)


def handle_errors(func: F) -> F:
    """Map SheetprogError to its exit code and a Russian message; --debug shows tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            try:
                return func(*args, **kwargs)
            except SheetprogError as exc:
                if debug:
                    raise
                error(exc.message)
                ctx.exit(exc.exit_code)
            except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
                raise
            except Exception as exc:
                if debug:
                    raise
                label = click.style("Внутренняя ошибка sheetprog", fg="red", bold=True)
                click.echo(
                    f"{label} ({type(exc).__name__}: {exc}). Повторите команду с ключом "
                    "--debug и передайте вывод разработчикам.",
                    err=True,
                    color=colour(),
                )
                ctx.exit(EXIT_INTERNAL)
        except BrokenPipeError:
            closed_pipe()

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


class PeriodType(click.ParamType):  # type: ignore[type-arg]
    """``--period``: a year or a quarter to date, checked as every command reads it."""

    name = "период"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from sheetprog.periods import parse_period

        try:
            parse_period(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return str(value).strip()


class MethodType(click.ParamType):  # type: ignore[type-arg]
    """``--method``: a built-in methodology, by key or by the passport's wording."""

    name = "методика"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        from sheetprog.assess.methodology import PRESETS

        return "[" + "|".join(PRESETS) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from sheetprog.assess.methodology import PRESETS, preset
        from sheetprog.errors import ConfigError

        try:
            preset(str(value))
        except ConfigError:
            if _project_preset(str(value)):  # a program in the project structure (issue 17)
                return str(value)
            known = "; ".join(f"{key} («{m.name}»)" for key, m in PRESETS.items())
            known += "; для структуры проектов: " + ", ".join(_project_presets())
            self.fail(f"методика «{value}» не найдена; допустимо: {known}.", param, ctx)
        return str(value)


def _project_presets() -> list[str]:
    from sheetprog.project.assess import PRESETS

    return list(PRESETS)


def _project_preset(value: str) -> bool:
    from sheetprog.project.assess import preset

    try:
        preset(value)
    except UsageError:
        return False
    return True


def _report_names() -> list[str]:
    from sheetprog.reports.kinds import workbook_report_names

    return workbook_report_names()


def _template_kinds() -> list[str]:
    from sheetprog.reports.kinds import REPORT_KINDS

    return list(REPORT_KINDS)


def _workbook_kind_names() -> list[str]:
    from sheetprog.kinds import all_kinds

    return sorted(k.name for k in all_kinds())


@click.group(cls=SheetprogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheetprog")
@click.option("--debug", is_flag=True, help="Показывать трассировку Python при ошибках.")
def main(debug: bool) -> None:
    """sheetprog — мониторинг муниципальных программ в стандартной книге Excel."""


def replace_option(what: str) -> Callable[[F], F]:
    """--replace: the one flag that lets a command overwrite an existing output file."""
    return click.option("--replace", is_flag=True, help=f"Заменить существующий {what}.")


@main.command("new")
@click.argument("out", metavar="КНИГА", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--years", metavar="ГОДЫ", help="Годы реализации, например 2019-2023.")
@click.option(
    "--from",
    "definition",
    metavar="ФАЙЛ",
    type=PATH,
    help="Файл описания программы (YAML или TOML) для предзаполнения.",
)
@replace_option("файл книги")
@click.option(
    "--xlsm",
    is_flag=True,
    help="Книга с макросами и кнопками (КНИГА.xlsm): Проверить, Пересчитать, отчёты.",
)
@click.option(
    "--kind",
    type=RegistryChoice("вид книги", _workbook_kind_names),
    help="Вид книги: муниципальная программа или кадровый резерв.",
)
@click.option(  # issue 17: the program structure, chosen once when the workbook is made
    "--structure",
    type=click.Choice(["subprograms", "project"]),  # sheetprog.kinds.STRUCTURES
    help="Структура программы: subprograms — подпрограммы и мероприятия (по умолчанию), "
    "project — структурные элементы, результаты и контрольные точки.",
)
@handle_errors
def new_cmd(
    out: Path,
    years: str | None,
    definition: Path | None,
    replace: bool,
    xlsm: bool,
    kind: str | None,
    structure: str | None = None,
) -> None:
    """Создать стандартную книгу мониторинга КНИГА.xlsx (или КНИГА.xlsm с кнопками)."""
    from sheetprog.api import created_message, new_workbook, parse_years

    if xlsm and out.suffix.lower() != ".xlsm":
        out = out.with_suffix(".xlsm")
    if structure is not None:
        from sheetprog.kinds import STRUCTURES

        if kind is not None and kind != STRUCTURES[structure]:
            raise UsageError(
                f"--structure {structure} и --kind {kind} противоречат друг другу: "
                "укажите что-то одно."
            )
        kind = STRUCTURES[structure]

    model = new_workbook(
        out,
        years=parse_years(years) if years else None,
        definition=definition,
        overwrite=replace,
        kind=kind,
    )
    click.echo(created_message(model, out))


def output_options(func: F) -> F:
    """-o КОПИЯ / --in-place / --replace: shared by commands that write into a workbook."""
    func = replace_option("файл -o")(func)
    func = click.option(
        "--in-place", is_flag=True, help="Записать результат в саму книгу (атомарно)."
    )(func)
    return click.option(
        "-o",
        "--output",
        "out",
        metavar="КОПИЯ",
        type=PATH,
        help="Записать копию книги с результатами.",
    )(func)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        metavar="ФАЙЛ",
        type=PATH,
        help="Файл настроек sheetprog.toml.",
    )(func)


def workbook_argument(func: F) -> F:
    return click.argument("workbook", metavar="КНИГА", type=PATH)(func)


@main.command("calc")
@workbook_argument
@click.option("--period", metavar="ПЕРИОД", type=PeriodType(), help=PERIOD_HELP)
@click.option(
    "--method",
    type=MethodType(),
    help="Методика: average, federal или её название из паспорта; по умолчанию — из паспорта.",
)
@config_option
@click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")
@click.option(
    "--previous",
    metavar="КНИГА",
    type=click.Path(path_type=Path),
    help="Прошлая книга за тот же период: если её оценка была предварительной, эта — "
    "уточнённая (с прежней оценкой для сравнения).",
)
@output_options
@handle_errors
def calc_cmd(
    workbook: Path,
    period: str | None,
    method: str | None,
    config: Path | None,
    as_json: bool,
    previous: Path | None,
    out: Path | None,
    in_place: bool,
    replace: bool,
) -> None:
    """Рассчитать эффективность по методике муниципального образования.

    Для книги кадрового резерва — ЭфР1 и ЭфР2 за год и за два и три года.
    """
    from sheetprog.api import (
        assess_workbook,
        assessment_dict,
        assessment_text,
        read_workbook,
        refine_assessment,
        write_assessment,
    )

    model = read_workbook(workbook)
    result = assess_workbook(model, workbook, period=period, method=method, config=config)
    if previous is not None:  # issue 18: a provisional assessment refined
        refine_assessment(result, previous, method=method, config=config)
    written = None
    if out is not None or in_place:
        written = write_assessment(
            workbook, result, model=model, out=out, in_place=in_place, overwrite=replace
        )
    if as_json:
        json.dump(assessment_dict(model, result), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        say(assessment_text(model, result))
    if written is not None:
        click.echo(f"Лист «Оценка» записан в «{written}».", err=as_json)


@main.command("check")
@workbook_argument
@config_option
@click.option(
    "--previous",
    metavar="КНИГА",
    type=PATH,
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
    replace: bool,
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
        written = write_checks(workbook, report, out=out, in_place=in_place, overwrite=replace)
    shown = report.at_least(Severity.parse(min_severity) or Severity.INFO)
    if as_json:
        json.dump(report_dict(report, shown), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        say(report_text(report, shown))
    if written is not None:
        click.echo(f"Лист «Проверки» и отметки в ячейках записаны в «{written}».", err=as_json)
    click.get_current_context().exit(0 if report.valid else 1)


@main.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Вывести каталог в JSON.")
@handle_errors
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
        say(rules_text())


class ReportCommand(cli_ru.RuCommand):
    """``report``: its help lists the report kinds of the registry."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        from sheetprog.reports.kinds import REPORT_KINDS

        kinds = "; ".join(f"{name} — {REPORT_KINDS[name].title}" for name in _report_names())
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(f"ВИД: {kinds}.")


@main.command("report", cls=ReportCommand)
@click.argument("kind", metavar="ВИД", type=RegistryChoice("вид отчёта", _report_names))
@workbook_argument
@click.option(
    "--period",
    metavar="ПЕРИОД",
    type=PeriodType(),
    help=PERIOD_HELP + " Годовой отчёт — за год периода, итоговый — за годы программы по год "
    "периода.",
)
@click.option(
    "-o",
    "--output",
    "out",
    metavar="ОТЧЁТ",
    type=PATH,
    help="Файл отчёта .docx (по умолчанию — рядом с книгой).",
)
@click.option(
    "--template",
    metavar="ШАБЛОН",
    type=PATH,
    help="Свой шаблон Word (.docx).",
)
@config_option
@click.option("--pdf", is_flag=True, help="Сохранить также PDF (нужен LibreOffice).")
@click.option(
    "--on-errors",
    type=click.Choice(["annex", "block"]),
    default="annex",
    help="Ошибки проверки: вынести в приложение (annex) или не формировать отчёт (block).",
)
@click.option(
    "--despite-errors",
    is_flag=True,
    help="С --on-errors block: всё же сформировать отчёт, вынеся ошибки в приложение.",
)
@replace_option("файл отчёта")
@click.option(
    "--partial",
    is_flag=True,
    help="Итоговый отчёт, когда фактов есть не за все годы программы: только за годы с "
    "фактами (это будет сказано в заголовке).",
)
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
    despite_errors: bool,
    replace: bool,
    partial: bool,
    with_names: bool,
) -> None:
    """Сформировать отчёт Word вида ВИД по книге КНИГА."""
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
        despite_errors=despite_errors,
        on_errors=on_errors,
        replace=replace,
        partial=partial,
        with_names=with_names,
    )
    click.echo(f"Отчёт сохранён: «{result.docx}».")
    if result.pdf:
        click.echo(f"PDF: «{result.pdf}».")
    if result.errors:
        found = plural(result.errors, "ошибка", "ошибки", "ошибок")
        warning(f"в книге {found} проверки — см. приложение к отчёту.")


@main.group("template")
def template_group() -> None:
    """Работа с шаблонами отчётов Word."""


@template_group.command("check")
@click.argument("template", metavar="ШАБЛОН", type=PATH)
@click.option(
    "--kind",
    type=RegistryChoice("вид отчёта", _template_kinds),
    help="Проверить по переменным одного вида отчёта; по умолчанию — по переменным всех видов.",
)
@handle_errors
def template_check_cmd(template: Path, kind: str | None) -> None:
    """Проверить шаблон: неизвестные переменные и фильтры, синтаксис тегов, теги, разбитые
    Word на части с разным оформлением — с местом в документе."""
    from sheetprog.reports.lint import lint_template
    from sheetprog.reports.schema import context_schema, kind_schema

    if not template.is_file():
        raise UsageError(f"Шаблон «{template}» не найден.")
    problems = lint_template(template, kind_schema(kind) if kind else context_schema())
    for p in problems:
        say(f"[{p.severity.label}] {p.where}: {p.message}")
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    click.echo(f"Ошибок: {errors}, предупреждений: {len(problems) - errors}.")
    click.get_current_context().exit(1 if errors else 0)


@main.command("batch")
@click.argument("inbox", metavar="ПАПКА", type=PATH)
@click.option(
    "-o",
    "--output",
    "outdir",
    metavar="ПАПКА",
    type=PATH,
    required=True,
    help="Папка для сводных результатов.",
)
@click.option(
    "--period",
    metavar="ПЕРИОД",
    type=PeriodType(),
    help=PERIOD_HELP + " Сводка — за один период: по умолчанию за последний из "
    "представленных; отчёты за другой период перечисляются отдельно и в рейтинг не входят.",
)
@click.option(
    "--expected",
    metavar="ФАЙЛ",
    type=PATH,
    help="Список ожидаемых отчётов (.csv или .xlsx): ОКТМО, МО, код программы, срок.",
)
@config_option
@click.option(
    "--jobs", metavar="ЧИСЛО", type=int, help="Число процессов (по умолчанию — все ядра)."
)
@click.option(
    "--db",
    metavar="АДРЕС",
    help="Хранилище: sqlite:///путь.db или postgresql+psycopg://… "
    "(по умолчанию — SQLite в папке результатов).",
)
@click.option(
    "--scheduler",
    metavar="АДРЕС",
    help="Адрес планировщика Dask (tcp://хост:порт): обработка на кластере (sheetprog[dask]).",
)
@click.option(
    "--received",
    metavar="ФАЙЛ",
    type=PATH,
    help="Список поступлений (.csv или .xlsx: файл, дата — например, из системы "
    "документооборота): даты поступления вместо первого появления в хранилище.",
)
@click.option(
    "--exclude-errors",
    is_flag=True,
    default=None,
    help="Не включать книги с ошибками в рейтинг (по умолчанию — включить с отметкой; "
    "или exclude_errors в [region]).",
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Принять новые редакции ранее принятых отчётов (без ключа они только показаны "
    "как «изменение принятого отчёта»).",
)
@click.option(  # issue 20
    "--retry-unread",
    is_flag=True,
    help="Обработать заново файлы, которые в прошлый раз не удалось прочитать (по умолчанию "
    "то же содержимое повторно не обрабатывается).",
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
    received: Path | None,
    exclude_errors: bool | None,
    accept_changes: bool,
    retry_unread: bool,
) -> None:
    """Обработать все книги из папки ПАПКА за один отчётный период (--period или последний
    из представленных): проверка, оценка, рейтинг, полнота, статусы, возврат на доработку."""
    from sheetprog.batch.progress import ProgressLines
    from sheetprog.batch.run import run_batch
    from sheetprog.fmt import number

    def run(progress: Callable[[int, int], None]) -> Any:
        return run_batch(
            inbox,
            outdir,
            period=period,
            expected=expected,
            config=config,
            jobs=jobs,
            db=db,
            scheduler=scheduler,
            progress=progress,
            received=received,
            exclude_errors=exclude_errors,
            accept_changes=accept_changes,
            retry_unread=retry_unread,
        )

    if sys.stderr.isatty():
        with click.progressbar(
            length=1, label="Обработка книг", file=sys.stderr, show_eta=True
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            result = run(progress)
    else:  # a log: a line every 10 s and at the end
        result = run(ProgressLines(sys.stderr))
    statuses: dict[str, int] = {}
    for s in result.submissions:
        statuses[s["status"]] = statuses.get(s["status"], 0) + 1
    click.echo(
        f"Книг: {number(len(result.submissions))} (обработано сейчас "
        f"{number(result.processed)}, из хранилища {number(result.reused)}); "
        + ", ".join(f"{k}: {number(v)}" for k, v in sorted(statuses.items()))
        + "."
    )
    click.echo(
        f"Результаты: «{outdir}» (Сводная таблица.xlsx, Сводная аналитическая записка.docx, "
        f"CSV, summary.json); хранилище: «{result.db}»."
    )
    click.echo(batch_review_text(result))
    for notice in result.notices:
        warning(notice)
    # issue 20: files that could not be read do not stop the batch, but its exit code says so
    from sheetprog.batch.records import STATUS_UNREADABLE

    unread = sum(1 for s in result.submissions if s.status == STATUS_UNREADABLE)
    if unread:
        warning(f"не прочитано файлов: {number(unread)} — причины в сводной таблице.")
        click.get_current_context().exit(1)


def batch_review_text(result: Any) -> str:
    """The run's review in one line: period, accepted, returned, held changes."""
    from sheetprog.batch.records import STATE_ACCEPTED, STATE_CHANGE, STATE_OTHER_PERIOD
    from sheetprog.fmt import number
    from sheetprog.reports.region import period_label

    states = [s.state for s in result.submissions]
    letters = sum(1 for s in result.submissions if s.letter)
    text = (
        f"Период: {period_label(result.period) or 'не определён'}; принято: "
        f"{number(states.count(STATE_ACCEPTED))}, на доработку: {number(letters)}"
    )
    if letters:
        text += f" (папка «{result.outdir / 'на доработку'}»)"
    if states.count(STATE_CHANGE):
        text += f"; изменений принятых отчётов: {number(states.count(STATE_CHANGE))}"
    if states.count(STATE_OTHER_PERIOD):
        text += f"; за другой период: {number(states.count(STATE_OTHER_PERIOD))}"
    return text + "."


@main.command("status")
@click.argument("outdir", metavar="ПАПКА", required=False, type=PATH)
@click.option(
    "--db",
    metavar="АДРЕС",
    help="Хранилище: sqlite:///путь.db или postgresql+psycopg://… "
    "(по умолчанию — sheetprog-batch.db в папке результатов ПАПКА).",
)
@click.option(
    "--period",
    metavar="ПЕРИОД",
    type=PeriodType(),
    help="Отчётный период (по умолчанию — последний в хранилище).",
)
@click.option("--json", "as_json", is_flag=True, help="Вывести статусы в JSON.")
@handle_errors
def status_cmd(outdir: Path | None, db: str | None, period: str | None, as_json: bool) -> None:
    """Статусы отчётов за период по муниципальным образованиям: принят, возвращён на
    доработку, не прочитан, заменён новой редакцией, изменение принятого отчёта — с датами."""
    from sheetprog.batch.status import period_statuses, status_text, store_url

    data = period_statuses(store_url(outdir, db), period)
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        click.echo(status_text(data))


@main.command("diff")
@click.argument("old", metavar="СТАРАЯ", type=PATH)
@click.argument("new", metavar="НОВАЯ", type=PATH)
@click.option("--json", "as_json", is_flag=True, help="Вывести изменения в JSON.")
@click.option(
    "--program",
    "program_only",
    is_flag=True,
    help="Только изменения программы (планы, финансирование, паспорт) — то, что запишет "
    "«sheetprog amend».",
)
@handle_errors
def diff_cmd(old: Path, new: Path, as_json: bool, program_only: bool) -> None:
    """Показать изменения по ячейкам между книгами СТАРАЯ и НОВАЯ одной программы."""
    from sheetprog.batch.diff import changes_text, diff_workbooks
    from sheetprog.serialize import to_jsonable

    if program_only:  # issue 18
        _program_diff(old, new, as_json)
        return
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
        say(changes_text(changes))


@main.command("info")
@workbook_argument
@click.option("--json", "as_json", is_flag=True, help="Вывести модель программы в JSON.")
@handle_errors
def info_cmd(workbook: Path, as_json: bool) -> None:
    """Показать, что прочитано из книги КНИГА."""
    from sheetprog.api import describe, read_workbook

    model = read_workbook(workbook)
    if as_json:
        json.dump(describe(model, workbook, as_json=True), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        say(describe(model, workbook))


# -- editions (issue 18) ---------------------------------------------------------------------


def _program_diff(old: Path, new: Path, as_json: bool) -> None:
    from sheetprog.batch.diff import plan_changes_text, program_changes

    _a, _b, changes = program_changes(old, new)
    if as_json:
        json.dump([c.__dict__ for c in changes], sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    else:
        say(plan_changes_text(changes))


@main.command("amend")
@click.argument("old", metavar="СТАРАЯ", type=click.Path(path_type=Path))
@click.argument("new", metavar="НОВАЯ", type=click.Path(path_type=Path))
@click.option(
    "--act",
    required=True,
    metavar="АКТ",
    help="Реквизиты акта: «постановление № 123 от 01.02.2026»; для проекта — «проект "
    "постановления».",
)
@click.option(
    "--reason",
    required=True,
    metavar="ПРИЧИНА",
    help="Причина изменения: решение о бюджете, изменение законодательства, "
    "недостижение показателей или иное.",
)
@click.option("--effective", metavar="ДАТА", help="Дата вступления в силу (если не дата акта).")
@click.option("--what", "description", metavar="ТЕКСТ", help="Что изменено, своими словами.")
@click.option(
    "-o",
    "out",
    type=click.Path(path_type=Path),
    metavar="КОПИЯ",
    help="Записать редакцию в копию книги НОВАЯ, не меняя её.",
)
@replace_option("файл -o")
@handle_errors
def amend_cmd(
    old: Path,
    new: Path,
    act: str,
    reason: str,
    effective: str | None,
    description: str | None,
    out: Path | None,
    replace: bool,
) -> None:
    """Записать в книгу НОВАЯ редакцию программы: акт, причину и изменения планов,
    финансирования и паспорта по сравнению с книгой СТАРАЯ (лист «Редакции»)."""
    from sheetprog.api import amend_workbook

    target, edition, rows = amend_workbook(
        old,
        new,
        act=act,
        reason=reason,
        effective=effective,
        description=description,
        out=out,
        overwrite=replace,
    )
    say(
        f"Редакция «{edition.title}» ({edition.reason}) записана в «{target}»: "
        f"изменений {len(rows)}."
    )
    for row in rows:
        say(f"  {row.sheet}: {row.item}, {row.field}: «{row.old or ''}» → «{row.new or ''}»")


# -- LibreOffice Calc: the «sheetprog» menu (an extension) ----------------------------------


def _office_actions() -> list[str]:
    from sheetprog.office.actions import action_names

    return action_names()


SHEETPROG_COMMAND_HELP = (
    "Как расширение будет запускать sheetprog: путь к программе sheetprog или список JSON, "
    'например ["C:/Python312/python.exe", "-m", "sheetprog"].'
)
PROFILE_HELP = (
    "Папка профиля пользователя LibreOffice (по умолчанию — обычный профиль текущего пользователя)."
)


@main.group("libreoffice")
def libreoffice_group() -> None:
    """Меню и панель «sheetprog» в LibreOffice Calc: Проверить, Пересчитать, отчёты."""


@libreoffice_group.command("build")
@click.argument("out", metavar="ФАЙЛ", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheetprog", "command", metavar="КОМАНДА", help=SHEETPROG_COMMAND_HELP)
@click.option(
    "--shared",
    is_flag=True,
    help="Для установки всем пользователям компьютера (unopkg add --shared).",
)
@replace_option("файл расширения")
@handle_errors
def libreoffice_build_cmd(out: Path, command: str | None, shared: bool, replace: bool) -> None:
    """Собрать расширение LibreOffice ФАЙЛ.oxt (имя файла после сборки не менять)."""
    from sheetprog.office.oxt import build_extension, parse_command_option

    made = build_extension(
        out, command=parse_command_option(command), shared=shared, overwrite=replace
    )
    click.echo(f"Расширение записано в «{made}». Установка: unopkg add «{made}».")


@libreoffice_group.command("install")
@click.option("--sheetprog", "command", metavar="КОМАНДА", help=SHEETPROG_COMMAND_HELP)
@click.option("--profile", metavar="ПАПКА", type=click.Path(path_type=Path), help=PROFILE_HELP)
@handle_errors
def libreoffice_install_cmd(command: str | None, profile: Path | None) -> None:
    """Установить расширение для текущего пользователя (через unopkg); LibreOffice должен
    быть закрыт."""
    from sheetprog.office.oxt import install_extension, parse_command_option

    used = install_extension(command=parse_command_option(command), profile=profile)
    click.echo(
        "Расширение sheetprog установлено: в LibreOffice Calc появятся меню и панель "
        f"«sheetprog». Программа запускается командой: {' '.join(used)}"
    )


@libreoffice_group.command("uninstall")
@click.option("--profile", metavar="ПАПКА", type=click.Path(path_type=Path), help=PROFILE_HELP)
@handle_errors
def libreoffice_uninstall_cmd(profile: Path | None) -> None:
    """Удалить расширение sheetprog у текущего пользователя."""
    from sheetprog.office.oxt import uninstall_extension

    uninstall_extension(profile=profile)
    click.echo("Расширение sheetprog удалено.")


@libreoffice_group.command("run")
@click.argument("action", metavar="ДЕЙСТВИЕ", type=RegistryChoice("действие", _office_actions))
@workbook_argument
def libreoffice_run_cmd(action: str, workbook: Path) -> None:
    """Выполнить пункт меню над сохранённой книгой КНИГА и вывести ответ одной строкой JSON
    (так расширение вызывает sheetprog)."""
    from sheetprog.office.actions import run_action

    outcome = run_action(action, workbook)
    click.echo(outcome.as_json())
    click.get_current_context().exit(outcome.exit_code)
