"""docs/cli.md: every command's ``--help``, generated from the click commands themselves
(``scripts/regenerate.py`` writes it; a test keeps the file in sync)."""

from __future__ import annotations

import click

WIDTH = 100


def _commands(group: click.Group, ctx: click.Context) -> list[tuple[str, click.Context]]:
    """(full name, context) of every command, depth first, in the group's listed order."""
    out: list[tuple[str, click.Context]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(
            command, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH
        )
        out.append((f"{ctx.command_path} {name}", sub))
        if isinstance(command, click.Group):
            out.extend(_commands(command, sub))
    return out


def render() -> str:
    from sheetprog.cli import main

    root = click.Context(
        main,
        info_name="sheetprog",
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **main.context_settings,
    )
    lines = [
        "# Справочник команд sheetprog",
        "",
        "<!-- Generated from the click commands by scripts/regenerate.py; do not edit. -->",
        "",
        "Коды завершения: 0 — успешно, 1 — найдены ошибки в данных (для batch — также есть "
        "непрочитанные файлы), 2 — неверный вызов, 3 — файл нельзя прочитать, 4 — внутренняя "
        "ошибка, 5 — результат нельзя записать (нет места на диске, папка только для чтения, "
        "файл открыт в другой программе, нет прав), 141 — получатель вывода закрыл "
        "канал раньше времени (например, `sheetprog info КНИГА --json | head -1`; команда "
        "завершается молча, как прерванная сигналом SIGPIPE).",
        "",
        "В терминале ошибки и предупреждения выделяются цветом; при выводе в файл или канал, "
        "а также с переменной окружения `NO_COLOR` (любое непустое значение) — без цвета.",
        "",
        "## sheetprog",
        "",
        "```text",
        main.get_help(root),
        "```",
        "",
    ]
    for path, ctx in _commands(main, root):
        lines += [f"## {path}", "", "```text", ctx.command.get_help(ctx), "```", ""]
    return "\n".join(lines)
