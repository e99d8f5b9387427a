"""Russian for click's own words: a small explicit catalogue, installed at CLI start-up.

click routes every message it shows ("Usage:", "Options", "Show this message and exit.",
"No such command …", "Missing argument", "Invalid value …", the --version line) through
``gettext``/``ngettext`` names bound in its modules (``click.core._``,
``click.exceptions.ngettext``, …). ``install()`` rebinds those names to the lookups below;
click's files are not touched. A message missing from the catalogue is shown as click
wrote it, and ``tests/test_cli_ru.py`` fails when a click release adds one a user can see.

The catalogue writes values in «ёлочках» instead of click's ``{value!r}``; names click
quotes itself (suggestions, parameter hints) are re-quoted by the CLI when it shows an
error. Usage lines get Russian metavars from ``RuCommand``/``RuGroup``.
"""

from __future__ import annotations

from typing import Any

import click

# msgid (click's English text) → Russian; the placeholders are click's.
MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Positional arguments": "Аргументы",  # click 8.5
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию и выйти.",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "default: {default}": "по умолчанию: {default}",
    "required": "обязательный",
    "env var: {var}": "переменная окружения: {var}",
    "(dynamic)": "(вычисляется)",
    "deprecated": "устарело",
    # usage errors
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: «{command} {option}».",
    "No such command {name!r}.": "Нет команды «{name}».",
    "No such option {name!r}.": "Нет параметра «{name}».",
    "Missing command.": "Не указана команда.",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указано значение",
    "Missing {param_type}": "Не указано: {param_type}",
    "Missing parameter: {param_name}": "Не указано значение: {param_name}",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Параметр «{name}» пишется без значения.",
    "Argument {name!r} takes {nargs} values.": "Аргумент «{name}» требует значений: {nargs}.",
    "Invalid start character for option ({option})": (
        "Параметр должен начинаться с «-» ({option})"
    ),
    "Value must be an iterable.": "Ожидается список значений.",
    "Aborted!": "Прервано.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Внимание: команда «{name}» устарела.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Внимание: параметр «{name}» устарел.{extra_message}"
    ),
    # values
    "Choose from:\n\t{choices}": "Выберите одно из:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число нужного вида.",
    "{value} is not in the range {range}.": "{value} вне допустимых пределов {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "«{value}» — не «да» или «нет». Допустимо: {states}"
    ),
    "{value!r} is not a valid UUID.": "«{value}» — не UUID.",
    "file": "файл",
    "directory": "папка",
    "path": "путь",
    "{name} {filename!r} does not exist.": "{name} «{filename}» не существует.",
    "{name} {filename!r} is a file.": "{name} «{filename}» — это файл, а нужна папка.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» — это папка, а нужен файл.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» нельзя прочитать.",
    "{name} {filename!r} is not writable.": "{name} «{filename}»: нет прав на запись.",
    "{name} {filename!r} is not executable.": "{name} «{filename}» нельзя запустить.",
    "Could not open file {filename!r}: {message}": "Не удалось открыть «{filename}»: {message}",
    "unknown error": "неизвестная ошибка",
    # prompts and the progress bar
    "Do you want to continue?": "Продолжить?",
    "Confirm the action without prompting.": "Подтвердить действие без вопроса.",
    "Repeat for confirmation": "Повторите для подтверждения",
    "Error: The two entered values do not match.": "Ошибка: введённые значения не совпадают.",
    "Error: invalid input": "Ошибка: неверный ввод",
    "Press any key to continue...": "Нажмите любую клавишу…",
    "d": " д.",
}

# (singular msgid, plural msgid) → Russian forms for 1, 2–4 and 5+ (21, 22…, 25… alike).
PLURALS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Может быть, {possibility}?",
        "(Может быть, одно из: {possibilities}?)",
        "(Может быть, одно из: {possibilities}?)",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Лишний аргумент ({args})",
        "Лишние аргументы ({args})",
        "Лишние аргументы ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "После параметра «{name}» нужно указать значение.",
        "После параметра «{name}» нужно указать {nargs} значения.",
        "После параметра «{name}» нужно указать {nargs} значений.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "«{value}» — допустимо только {choice}.",
        "«{value}» — допустимо: {choices}.",
        "«{value}» — допустимо: {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "«{value}» не соответствует виду {format}.",
        "«{value}» не соответствует ни одному из видов {formats}.",
        "«{value}» не соответствует ни одному из видов {formats}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Нужно значений: {nargs}, указано одно.",
        "Нужно значений: {nargs}, указано {len}.",
        "Нужно значений: {nargs}, указано {len}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "Нужно значений: {len_type}, указано {len_value}.",
        "Нужно значений: {len_type}, указано {len_value}.",
        "Нужно значений: {len_type}, указано {len_value}.",
    ),
}

# the usage line's placeholders (not routed through gettext by click)
OPTIONS_METAVAR = "[ПАРАМЕТРЫ]"
SUBCOMMAND_METAVAR = "КОМАНДА [АРГУМЕНТЫ]..."

# click's modules that bind ``_`` or ``ngettext`` from gettext
_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)


def gettext(message: str) -> str:
    """click's ``_``: the Russian text, or the message itself when it is not catalogued."""
    return MESSAGES.get(message, message)


def plural_form(n: int) -> int:
    """0 for 1, 21, 31…; 1 for 2–4, 22–24…; 2 for the rest (5–20, 25…)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's ``ngettext``: the Russian form for ``n``."""
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return singular if n == 1 else plural
    return forms[plural_form(n)]


def install() -> None:
    """Rebind click's gettext names to the catalogue (idempotent). Call before building
    commands: some texts (``click.Path``'s «файл», --version's help) are taken then."""
    import importlib

    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click release without that module
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class RuCommand(click.Command):
    """A command whose usage line reads «[ПАРАМЕТРЫ]»."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class RuGroup(click.Group):
    """A group whose usage line reads «[ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...»; its commands
    and subgroups are Russian too."""

    command_class = RuCommand
    group_class = type  # subgroups of the same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)
