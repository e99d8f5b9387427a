"""Editions of the program (issue 18): amendments recorded on «Редакции», and checked.

What is tracked and how values compare: ``sheetprog.program.history``.
"""

from __future__ import annotations

from sheetprog import spec
from sheetprog.checks.base import GROUPS, Context, Emit, reader_rule, rule
from sheetprog.checks.severity import Severity
from sheetprog.model import Edition
from sheetprog.program.history import (
    covering,
    edition_order,
    key_of,
    latest_changes,
    same,
    same_program,
)
from sheetprog.program.reader import EDITIONS_UNREADABLE
from sheetprog.project.history import changes as plan_changes
from sheetprog.project.history import tracked as tracked_values

ERR, WARN = Severity.ERROR, Severity.WARNING
P = GROUPS[6]  # «Между периодами»: an edition is the program between two submissions
BOTH = ("project",)  # H02–H07 run for the project structure too (issue 18, item 5)

reader_rule(
    EDITIONS_UNREADABLE,
    WARN,
    "Лист «Редакции» не прочитан",
    "На листе «Редакции» не найдена строка заголовков (Вид акта, Номер акта, Дата акта …): "
    "редакции программы не прочитаны и не проверяются. Верните заголовки шаблона.",
)


def _shown(text: str) -> str:
    return f"«{text}»" if text else "пусто"


@rule(
    "H02",
    P,
    ERR,
    "Изменение программы без редакции",
    "План показателя, план финансирования или поле паспорта (программы, а не отчёта) "
    "отличается от прошлой отчётности (check --previous), а на листе «Редакции» нет акта, "
    "который это изменение записал. Запишите редакцию (sheetprog amend СТАРАЯ НОВАЯ --act "
    "… --reason …) или верните прежнее значение.",
    also=BOTH,
)
def change_without_edition(ctx: Context, emit: Emit) -> None:
    if ctx.previous is None or not _comparable(ctx):
        return
    for change in plan_changes(ctx.previous, ctx.program):
        if covering(ctx.program.editions, change) is not None:
            continue
        emit(
            f"{change.item}, {change.field}: было {_shown(change.old)}, стало "
            f"{_shown(change.new)} — изменение не записано ни в одной редакции",
            ref=change.cell,
            sheet=change.sheet,
            value=change.new or None,
        )


@rule(
    "H03",
    P,
    ERR,
    "Акт редакции принят после отчётной даты",
    "Дата акта редакции позже окончания отчётного периода книги: изменение, принятое после "
    "отчётной даты, не может действовать в отчёте за этот период. Проверьте дату акта или "
    "отчётный период.",
    also=BOTH,
)
def act_after_reporting_date(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    for edition in ctx.program.editions:
        if edition.act_date is not None and edition.act_date > period.end_date:
            emit(
                f"«{edition.title}»: акт от {edition.act_date:%d.%m.%Y} позже окончания "
                f"отчётного периода ({period.label}, {period.end_date:%d.%m.%Y})",
                ref=edition.cells.get("act_date"),
                value=edition.act_date,
            )


@rule(
    "H04",
    P,
    ERR,
    "Редакция не совпадает с книгой",
    "Значение «Стало» последней редакции, изменившей план, финансирование или поле "
    "паспорта, отличается от значения в книге (или такой строки и графы в книге нет). "
    "Исправьте значение в книге или запись редакции.",
    also=BOTH,
)
def edition_mismatch(ctx: Context, emit: Emit) -> None:
    if not ctx.program.editions:
        return
    values = tracked_values(ctx.program)
    for key, (edition, row) in latest_changes(ctx.program.editions).items():
        current = values.get(key)
        now = current.value if current else ""
        if same(row.new, now):
            continue
        where = f"{row.sheet}: {row.item}, {row.field}"
        if current is None:
            detail = "такой строки и графы в книге нет"
        else:
            detail = f"в книге {_shown(now)} ({current.cell or current.sheet})"
        emit(
            f"«{edition.title}» записала {where} = {_shown(row.new or '')}, а {detail}",
            ref=row.cells.get("new") or row.cells.get("item"),
            value=row.new,
        )


@rule(
    "H05",
    P,
    ERR,
    "Редакция без реквизитов акта",
    "У редакции не указан вид, номер или дата акта: без них изменение нельзя проверить и "
    "сослаться на него в отчёте. Заполните реквизиты в первой строке редакции.",
    also=BOTH,
)
def edition_without_act(ctx: Context, emit: Emit) -> None:
    for edition in ctx.program.editions:
        missing = [
            (key, spec.EDITIONS.column(key).header)
            for key in ("act_kind", "act_number", "act_date")
            if getattr(edition, key) in (None, "")
        ]
        if missing:
            key = missing[0][0]
            ref = edition.cells.get(key) or edition.cells.get("sheet")
            emit(
                f"строка {edition.row}: не указано — " + ", ".join(h for _k, h in missing),
                ref=ref,
                sheet=spec.SHEET_EDITIONS,
            )


@rule(
    "H06",
    P,
    WARN,
    "Причина изменения не указана или не из списка",
    "Причина редакции выбирается из списка: решение о бюджете, изменение законодательства, "
    "недостижение показателей, иное. По ней отчёт группирует изменения.",
    also=BOTH,
)
def edition_reason(ctx: Context, emit: Emit) -> None:
    allowed = {r.casefold() for r in spec.EDITION_REASONS}
    for edition in ctx.program.editions:
        if not edition.reason:
            emit(
                f"«{edition.title}»: причина изменения не указана",
                ref=edition.cells.get("reason") or edition.cells.get("act_kind"),
                sheet=spec.SHEET_EDITIONS,
            )
        elif edition.reason.strip().casefold() not in allowed:
            emit(
                f"«{edition.title}»: причина «{edition.reason}» не из списка",
                ref=edition.cells.get("reason"),
                value=edition.reason,
            )


@rule(
    "H07",
    P,
    WARN,
    "«Было» в редакции не совпадает с прошлой отчётностью",
    "Редакция, которой не было в прошлой отчётности (check --previous), записывает "
    "«Было» иначе, чем значение в прошлой отчётности: вероятно, опечатка в записи "
    "редакции или в прошлой книге.",
    also=BOTH,
)
def edition_old_value(ctx: Context, emit: Emit) -> None:
    if ctx.previous is None or not _comparable(ctx):
        return
    known = {_ident(e) for e in getattr(ctx.previous, "editions", [])}
    before = tracked_values(ctx.previous)
    for edition in sorted(ctx.program.editions, key=edition_order):
        if _ident(edition) in known:
            continue
        for row in edition.changes:
            prior = before.get(key_of(row.sheet or "", row.item or "", row.field or ""))
            if prior is not None and not same(row.old, prior.value):
                emit(
                    f"«{edition.title}»: {row.item}, {row.field} — «Было» {_shown(row.old or '')}"
                    f", а в прошлой отчётности {_shown(prior.value)}",
                    ref=row.cells.get("old") or row.cells.get("item"),
                    value=row.old,
                )


def _comparable(ctx: Context) -> bool:
    """A previous submission of the same program (a book of another one is not compared:
    every value would differ)."""
    previous = ctx.previous
    return (
        previous is not None
        and previous.KIND == ctx.program.KIND
        and same_program(previous, ctx.program)
    )


def _ident(edition: Edition) -> tuple[object, ...]:
    return (edition.act_kind, edition.act_number, edition.act_date)
