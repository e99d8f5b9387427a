"""The CLI in one language with one meaning per flag: click's own messages in Russian,
colours on a terminal only (NO_COLOR respected), a quiet end on a closed pipe, --replace
everywhere, one period syntax and help text, an unknown --method as a usage error."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheetprog import cli_ru
from sheetprog.cli import PERIOD_HELP, main
from tests.conftest import EXAMPLES, sha256

# click's messages a user of sheetprog cannot meet: programming errors of a command's author
# (raised as TypeError while the commands are built), shell-completion set-up, Windows' own
# console errors, a dynamic argument (the command's help text) and a debugging repr.
NOT_SHOWN = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Windows error: {error}",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Choice({choices})",
}


def click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal message click passes to ``_`` and ``ngettext``, read from its sources."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and len(args) == 1:
                singles.add(args[0])
            elif node.func.id == "ngettext" and len(args) == 2:
                plurals.add((args[0], args[1]))
    return singles, plurals


def test_the_catalogue_covers_every_message_click_can_show():
    singles, plurals = click_messages()
    assert len(singles) > 40 and len(plurals) > 4  # the scan found click's messages
    singles.add("required")  # passed to _() through a variable: extra["required"]
    assert sorted(singles - NOT_SHOWN - set(cli_ru.MESSAGES)) == []
    assert sorted(plurals - set(cli_ru.PLURALS)) == []
    for english, russian in cli_ru.MESSAGES.items():
        # the same placeholders, except that the Russian text writes «{value}» for {value!r}
        # (a placeholder may be left out: click's English «integer» in «{number_type}»)
        wanted = {p.removesuffix("!r") for p in re.findall(r"\{(\w+(?:!r)?)\}", english)}
        assert set(re.findall(r"\{(\w+)\}", russian)) <= wanted, english
        if english not in ("d",):
            assert re.search("[а-яё]", russian, re.I), english


def test_russian_plural_forms():
    forms = [cli_ru.plural_form(n) for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)]
    assert forms == [0, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 2]
    assert cli_ru.ngettext("Option {name!r} requires an argument.",
                           "Option {name!r} requires {nargs} arguments.", 5) == (
        "После параметра «{name}» нужно указать {nargs} значений."
    )  # fmt: skip


def command_paths(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple]:
    """Every command and subcommand, as the words typed to reach it."""
    paths = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
    return paths


def english_words(text: str) -> set[str]:
    """Latin words that are not sheetprog's own names (commands, options, values, formats)
    nor what the user typed (quoted «…» or in parentheses)."""
    allowed = {name for path in command_paths() for name in path} | {"main"}
    allowed |= {
        "sheetprog", "python", "json", "yaml", "toml", "xlsx", "xlsm", "docx", "csv", "pdf",
        "word", "excel", "libreoffice", "dask", "sqlite", "postgresql", "psycopg", "tcp",
        "db", "oxt", "exe", "annex", "block", "average", "federal", "error", "warning", "info",
        "quarterly", "annual", "final", "reserve", "region", "summary", "program", "help",
    }  # fmt: skip
    allowed |= {"project", "subprograms"}  # --structure's values, the project report kinds
    allowed |= {"amendment"}  # issue 18's report kind («было / стало»)
    words = set()
    text = re.sub(r"«[^»]*»|\([^)]*\)", "", text)
    for line in text.splitlines():
        line = re.sub(r"--?[\w-]+", "", line)  # option names
        line = re.sub(r"sheetprog [a-z ]+", "sheetprog", line)  # command paths
        words |= {w for w in re.findall(r"[A-Za-z]{2,}", line) if w.lower() not in allowed}
    return words


def test_every_help_page_is_russian(cli):
    pages = [[], *(list(path) for path in command_paths())]
    for args in pages:
        result = cli(*args, "--help")
        assert result.exit_code == 0, args
        page = result.stdout
        assert page.startswith("Использование: ") and "\nПараметры:\n" in page, args
        assert "Показать эту справку и выйти." in page
        assert english_words(page) == set(), (args, english_words(page))
    assert "\nКоманды:\n" in cli("--help").stdout
    assert "[ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..." in cli("--help").stdout
    assert "Показать версию и выйти." in cli("--help").stdout


def test_version_line(cli):
    result = cli("--version")
    assert result.exit_code == 0 and re.fullmatch(r"sheetprog, версия \S+\n", result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chek"], "Ошибка: Нет команды «chek». Может быть, «check»?"),
        (["info"], "Ошибка: Не указан аргумент «КНИГА»."),
        (["info", "a.xlsx", "--jsn"], "Ошибка: Нет параметра «--jsn». Может быть, «--json»?"),
        (["info", "a.xlsx", "b.xlsx"], "Ошибка: Лишний аргумент (b.xlsx)"),
        (["check", "a.xlsx", "--config"], "Ошибка: После параметра «--config» нужно указать"),
        (["info", "a.xlsx", "--json=1"], "Ошибка: Параметр «--json» пишется без значения."),
        (
            ["check", "a.xlsx", "--min-severity", "всё"],
            "Ошибка: Недопустимое значение «--min-severity»: «всё» — допустимо: «error»",
        ),
        (["batch", "in", "-o", "out", "--jobs", "два"], "«два» — не число нужного вида."),
        (["batch", "in"], "Ошибка: Не указан параметр «-o» / «--output»."),
        (["report", "yearly", "a.xlsx"], "Недопустимое значение «ВИД»: «yearly» — допустимо:"),
        (["new", "a.xlsx", "--force"], "Ошибка: Нет параметра «--force»."),
        (["report", "annual", "a.xlsx", "--force"], "Ошибка: Нет параметра «--force»."),
        (["template"], "Использование: main template [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..."),
    ],
)
def test_usage_errors_are_russian(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert english_words(result.stderr) == set(), result.stderr


def test_a_usage_error_shows_the_usage_and_where_to_get_help(cli):
    result = cli("check")
    assert result.stderr == (
        "Использование: main check [ПАРАМЕТРЫ] КНИГА\n"
        "Справка: «main check --help».\n\n"
        "Ошибка: Не указан аргумент «КНИГА».\n"
    )


def test_path_and_abort_messages_are_russian(tmp_path):
    assert cli_ru.MESSAGES["Aborted!"] == "Прервано."
    folder = tmp_path / "папка"
    folder.mkdir()
    result = CliRunner().invoke(main, ["new", str(folder), "--years", "2021-2022"])
    assert result.exit_code == 2
    assert f"Файл «{folder}» — это папка, а нужен файл." in result.stderr


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``python -m sheetprog`` with stdout and stderr on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "sheetprog", *args], stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.returncode, out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colours_on_a_terminal_and_no_colour_with_no_color():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    book = str(EXAMPLES / "chechnya-2012.xlsx")
    code, out = run_on_a_terminal(["check", book, "--min-severity", "ошибка"], env)
    assert code == 1
    assert "\x1b[31m\x1b[1m[ошибка]\x1b[0m F03 B19".encode() in out
    code, out = run_on_a_terminal(["chek"], env)  # a usage error: the word in red
    assert code == 2 and "\x1b[31m\x1b[1mОшибка:\x1b[0m Нет команды «chek».".encode() in out
    code, out = run_on_a_terminal(["info", "нет-такой.xlsx"], env)  # sheetprog's own error
    assert code == 3 and "\x1b[31m\x1b[1mОшибка:\x1b[0m Файл «нет-такой.xlsx»".encode() in out
    for args in (["check", book, "--min-severity", "ошибка"], ["chek"], ["info", "x.xlsx"]):
        code, out = run_on_a_terminal(args, {**env, "NO_COLOR": "1"})
        assert (code in (1, 2, 3) and "Ошибка" in out.decode()) or "[ошибка]" in out.decode()
        assert b"\x1b[" not in out, args


def test_no_colour_when_piped():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    for args in (["check", str(EXAMPLES / "chechnya-2012.xlsx")], ["chek"]):
        proc = subprocess.run(
            [sys.executable, "-m", "sheetprog", *args], capture_output=True, env=env
        )
        assert proc.returncode in (1, 2)
        assert "ошибка" in (proc.stdout + proc.stderr).decode().lower()
        assert b"\x1b[" not in proc.stdout + proc.stderr


def test_warnings_are_coloured_in_yellow(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    runner = CliRunner()
    book = EXAMPLES / "chechnya-2012.xlsx"
    result = runner.invoke(  # color=True: click keeps the escape codes, as on a terminal
        main, ["report", "annual", str(book), "-o", str(tmp_path / "a.docx")], color=True
    )
    assert result.exit_code == 0
    assert "\x1b[33m\x1b[1mВнимание:\x1b[0m в книге 3 ошибки проверки" in result.stderr
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(
        main, ["report", "annual", str(book), "-o", str(tmp_path / "b.docx")], color=True
    )
    assert result.exit_code == 0 and "Внимание: в книге 3 ошибки" in result.stderr
    assert "\x1b[" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["info", str(EXAMPLES / "partizansk-2021.xlsx"), "--json"],
        ["info", str(EXAMPLES / "shakhty-2013.xlsx"), "--json"],
    ],
)
def test_a_closed_pipe_ends_quietly_with_the_shells_status(args):
    proc = subprocess.Popen(
        [sys.executable, "-m", "sheetprog", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() in (b"{", b"[")
    proc.stdout.close()  # as `| head -1` does; the output is larger than the pipe's buffer
    with proc.stderr:
        error = proc.stderr.read()
    assert error == b""  # no «Внутренняя ошибка», no traceback
    assert proc.wait(timeout=120) == 141  # 128 + SIGPIPE, what the shell shows


def test_a_closed_pipe_through_the_shell():
    book = EXAMPLES / "partizansk-2021.xlsx"
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m sheetprog info "{book}" --json | head -1; '
         'echo "status=${PIPESTATUS[0]}"'],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout == "{\nstatus=141\n" and done.stderr == ""


def test_replace_is_the_one_overwrite_flag(cli, tmp_path, example_copy):
    book = example_copy("kaluga-2016.xlsx")
    for command, out in (("check", "c.xlsx"), ("calc", "a.xlsx"), ("new", "n.xlsx")):
        target = tmp_path / out
        target.write_bytes(b"keep")
        args = ["new", target, "--years", "2021-2022"] if command == "new" else [command, book]
        if command != "new":
            args += ["-o", target]
        refused = cli(*args)
        assert refused.exit_code == 2, command
        assert "уже существует" in refused.stderr and "--replace" in refused.stderr
        assert target.read_bytes() == b"keep"
        assert cli(*args, "--replace").exit_code in (0, 1), command
        assert target.read_bytes() != b"keep"
        assert cli(*args, "--force").exit_code == 2  # the old flag is gone
    report = tmp_path / "r.docx"
    report.write_bytes(b"keep")
    refused = cli("report", "annual", book, "-o", report)
    assert refused.exit_code == 2 and "--replace" in refused.stderr
    assert cli("report", "annual", book, "-o", report, "--replace").exit_code == 0
    assert sha256(report) != sha256(book)
    for command in ("new", "check", "calc", "report"):
        assert "--replace" in cli(command, "--help").stdout
        assert "--force" not in cli(command, "--help").stdout
    assert "--despite-errors" in cli("report", "--help").stdout


def test_despite_errors_is_named_in_the_blocked_message(cli, tmp_path):
    out = tmp_path / "a.docx"
    blocked = cli("report", "annual", EXAMPLES / "chechnya-2012.xlsx", "-o", out,
                  "--on-errors", "block")  # fmt: skip
    assert blocked.exit_code == 1 and "--despite-errors" in blocked.stderr
    assert "--force" not in blocked.stderr


def test_one_period_syntax_and_help_in_every_command(cli):
    for command in ("calc", "report", "batch"):
        page = " ".join(cli(command, "--help").stdout.split())
        assert " ".join(PERIOD_HELP.split()) in page, command
        assert "2021-Q4" in page and "Q1 … 2021-Q3" not in page
    for args in (
        ["calc", EXAMPLES / "kaluga-2016.xlsx"],
        ["report", "annual", EXAMPLES / "kaluga-2016.xlsx"],
        ["batch", EXAMPLES, "-o", "out"],
    ):
        bad = cli(*args, "--period", "2016-Q5")
        assert bad.exit_code == 2
        assert "Недопустимое значение «--period»: период «2016-Q5» не распознан" in bad.stderr


def test_the_quarter_four_is_the_year_in_calc_and_report(cli, tmp_path):
    book = EXAMPLES / "kaluga-2016.xlsx"
    q4 = cli("calc", book, "--period", "2016-Q4", "--json").stdout
    year = cli("calc", book, "--period", "2016", "--json").stdout
    assert q4 == year
    made = cli("report", "quarterly", book, "--period", "2016-Q4", "-o", tmp_path / "q.docx")
    assert made.exit_code == 0


def test_an_unknown_method_is_a_usage_error_with_the_methods(cli, tmp_path):
    result = cli("calc", EXAMPLES / "kaluga-2016.xlsx", "--method", "avg")
    assert result.exit_code == 2
    assert "Использование:" in result.stderr
    assert "методика «avg» не найдена; допустимо: average («Средние значения" in result.stderr
    assert "federal («Федеральная" in result.stderr
    assert "[average|federal]" in cli("calc", "--help").stdout
    ok = cli("calc", EXAMPLES / "kaluga-2016.xlsx", "--method", "Федеральная (СДп/ппз, ЭРгп)")
    assert ok.exit_code == 0


def test_an_unknown_method_through_the_library_is_a_usage_error():
    from sheetprog.api import calculate
    from sheetprog.errors import EXIT_USAGE, UsageError

    with pytest.raises(UsageError) as raised:
        calculate(EXAMPLES / "kaluga-2016.xlsx", method="avg")
    assert raised.value.exit_code == EXIT_USAGE and "average" in raised.value.message


def test_numbers_in_cli_messages_use_the_one_formatter(cli, tmp_path, monkeypatch):
    from sheetprog.io import safety

    message = str(safety.too_many_rows("a.xlsx", "Лист", 50_000))
    assert "больше 50\u00a0000 строк" in message and "допустимо 50\u00a0000" in message
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"0" * (1536 * 1024))
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1024 * 1024)
    result = cli("info", big)
    assert result.exit_code == 3 and "слишком большой: 1,5 МБ при допустимых 1,0 МБ" in (
        result.stderr
    )
