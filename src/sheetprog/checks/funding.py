"""Funding rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from sheetprog.checks.base import GROUPS, Context, Emit, after_edition, falling, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import money
from sheetprog.fmt import number as num
from sheetprog.model import FundingLine, counted_funding, funding_parents

G = GROUPS[4]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


@rule(
    "F01",
    G,
    ERR,
    "Финансирование несуществующего мероприятия",
    "Строка финансирования ссылается на номер мероприятия, которого нет на листе "
    "«Мероприятия». Исправьте номер.",
)
def unknown_activity(ctx: Context, emit: Emit) -> None:
    numbers = {a.number for a in ctx.program.activities}
    for line in ctx.program.funding:
        if line.activity and line.activity not in numbers:
            emit(
                f"мероприятия {line.activity} нет на листе «Мероприятия»",
                ref=line.cells.get("activity"),
                value=line.activity,
            )
        elif not line.activity:
            emit(f"строка {line.row}: не указан номер мероприятия", ref=line.cells.get("activity"))


@rule(
    "F02",
    G,
    ERR,
    "Не указан источник финансирования",
    "Без источника сумму нельзя отнести к уровню бюджета. Выберите источник из списка.",
)
def missing_source(ctx: Context, emit: Emit) -> None:
    for line in ctx.program.funding:
        if line.source is None and not line.source_text:
            emit(f"мероприятие {line.activity}: не указан источник", ref=line.cells.get("source"))


def _plan_total(lines: list[FundingLine], year: int | None) -> tuple[Decimal, list[Decimal]]:
    values = [v for ln in lines for y, v in ln.plan.items() if year is None or y == year]
    return sum(values, ZERO), values


def _after_edition(ctx: Context, year: int | None) -> str:
    from sheetprog.program.history import funding_edition

    return after_edition(funding_edition(ctx.program, year), "в таблицу")


@rule(
    "F03",
    G,
    ERR,
    "Объём по паспорту не равен итогу таблицы",
    "Общий объём финансирования в паспорте должен совпадать с суммой плана по таблице "
    "«Финансирование» (например, 50 300 в паспорте против 800 в таблице). Исправьте паспорт "
    "или таблицу.",
)
def passport_total(ctx: Context, emit: Emit) -> None:
    declared = ctx.program.passport.funding_total
    if declared is None or not ctx.program.funding:
        return
    total, values = _plan_total(counted_funding(ctx.program.funding), None)
    if abs(declared - total) > ctx.tolerance(declared, *values):
        emit(
            f"в паспорте {money(declared)} тыс. руб., по таблице {money(total)} тыс. руб."
            + _after_edition(ctx, None),
            ref=ctx.program.passport.cells.get("funding_total"),
            value=declared,
        )


@rule(
    "F04",
    G,
    ERR,
    "Объём года по паспорту не равен итогу таблицы",
    "Объём финансирования года в паспорте должен совпадать с суммой плана этого года по "
    "таблице «Финансирование».",
)
def passport_years(ctx: Context, emit: Emit) -> None:
    if not ctx.program.funding:
        return
    p = ctx.program.passport
    counted = counted_funding(ctx.program.funding)
    for year, declared in sorted(p.funding_by_year.items()):
        total, values = _plan_total(counted, year)
        if abs(declared - total) > ctx.tolerance(declared, *values):
            emit(
                f"{year} г.: в паспорте {money(declared)} тыс. руб., по таблице "
                f"{money(total)} тыс. руб." + _after_edition(ctx, year),
                ref=p.cells.get(f"funding_by_year.{year}"),
                value=declared,
            )


@rule(
    "F05",
    G,
    WARN,
    "Кассовые расходы больше плана",
    "Фактические расходы за год превышают план (по программе и по росписи). Проверьте "
    "суммы или внесите изменения в программу.",
)
def cash_over_plan(ctx: Context, emit: Emit) -> None:
    for line in ctx.program.funding:
        for period, cash in line.cash.items():
            plan = max(
                line.plan.get(period.year) or ZERO, line.budget_list.get(period.year) or ZERO
            )
            if cash > plan + ctx.tolerance(cash, plan):
                emit(
                    f"мероприятие {line.activity}: расходы {money(cash)} при плане {money(plan)} "
                    f"({period.label})",
                    ref=line.cells.get(f"cash.{period.key}"),
                    value=cash,
                )


@rule(
    "F06",
    G,
    ERR,
    "Кассовое исполнение нарастающим итогом уменьшается",
    "Кассовые расходы вносятся нарастающим итогом с начала года: за полугодие не меньше, "
    "чем за I квартал, и т. д.",
)
def falling_cash(ctx: Context, emit: Emit) -> None:
    for line in ctx.program.funding:
        for period, value, before, earlier in falling(line.cash):
            emit(
                f"мероприятие {line.activity}: {period.label} — {num(value)}, меньше чем за "
                f"{before.label} ({num(earlier)})",
                ref=line.cells.get(f"cash.{period.key}"),
                value=value,
            )


@rule(
    "F07",
    G,
    WARN,
    "«Финансирование не требуется», а суммы указаны",
    "Мероприятие отмечено как не требующее финансирования, но на листе «Финансирование» "
    "для него есть суммы. Снимите отметку или удалите суммы.",
)
def no_funding_with_amounts(ctx: Context, emit: Emit) -> None:
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in ctx.program.funding:
        if line.activity:
            amounts[line.activity] += line.plan_total + sum(line.cash.values(), ZERO)
    for act in ctx.program.activities:
        if act.no_funding and act.number and amounts.get(act.number, ZERO) > 0:
            emit(
                f"мероприятие {act.number}: отмечено «финансирование не требуется», а суммы "
                "указаны",
                ref=act.cells.get("no_funding"),
            )


@rule(
    "F08",
    G,
    ERR,
    "Сумма вложенных мероприятий больше родительского",
    "Строка мероприятия, у вложенных мероприятий которого есть свои строки того же источника, "
    "— их подытог: она не может быть меньше их суммы (по году и источнику). В итогах она "
    "учитывается только сверх вложенных.",
)
def children_over_parent(ctx: Context, emit: Emit) -> None:
    for parent, year, own, nested in _nested_amounts(ctx):
        if nested - own > ctx.tolerance(own, nested):
            emit(
                f"мероприятие {parent.activity}, {year} г.: {money(own)}, а сумма вложенных "
                f"{money(nested)}",
                ref=parent.cells.get(f"plan.{year}"),
                value=own,
            )


@rule(
    "F12",
    G,
    INFO,
    "У родительского мероприятия есть средства сверх вложенных",
    "Строка родительского мероприятия больше суммы строк вложенных (того же источника): "
    "разница — его собственные средства, они учитываются в итогах один раз. Если это не так, "
    "добавьте строку вложенного мероприятия.",
)
def parent_own_amount(ctx: Context, emit: Emit) -> None:
    for parent, year, own, nested in _nested_amounts(ctx):
        if own - nested > ctx.tolerance(own, nested):
            emit(
                f"мероприятие {parent.activity}, {year} г.: {money(own)}, из них вложенные "
                f"{money(nested)}, собственные {money(own - nested)}",
                ref=parent.cells.get(f"plan.{year}"),
                value=own,
            )


def _nested_amounts(ctx: Context) -> Iterator[tuple[FundingLine, int, Decimal, Decimal]]:
    """(parent line, year, parent's plan, its children's plan sum) for every funding line
    that is a subtotal of nested activities' lines (``model.funding_parents``)."""
    lines = ctx.program.funding
    children: dict[int, list[FundingLine]] = defaultdict(list)
    for line, index in zip(lines, funding_parents(lines), strict=True):
        if index is not None:
            children[index].append(line)
    for index, nested in sorted(children.items()):
        subtotal = lines[index]
        for year, own in sorted(subtotal.plan.items()):
            total = sum((c.plan.get(year) or ZERO for c in nested), ZERO)
            yield subtotal, year, own, total


@rule(
    "F09",
    G,
    INFO,
    "План по росписи отличается от программы",
    "Объём по сводной бюджетной росписи отличается от объёма по программе: программу "
    "нужно привести в соответствие с бюджетом (ст. 179 БК РФ).",
)
def budget_list_differs(ctx: Context, emit: Emit) -> None:
    year = ctx.program.passport.reporting_year
    if year is None:
        return
    for line in ctx.program.funding:
        plan, listed = line.plan.get(year), line.budget_list.get(year)
        if (
            plan is not None
            and listed is not None
            and abs(plan - listed) > ctx.tolerance(plan, listed)
        ):
            emit(
                f"мероприятие {line.activity}: по программе {money(plan)}, по росписи "
                f"{money(listed)}",
                ref=line.cells.get(f"budget_list.{year}"),
                value=listed,
            )


@rule(
    "F10",
    G,
    WARN,
    "Нет кассовых расходов за отчётный период",
    "Для строки с планом на год не внесены кассовые расходы за отчётный период. Внесите "
    "значение (0, если расходов не было).",
)
def missing_cash(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    for line in ctx.program.funding:
        plan = line.plan.get(period.year) or line.budget_list.get(period.year)
        if plan and plan > 0 and period not in line.cash:
            emit(
                f"мероприятие {line.activity}: нет расходов за {period.label}",
                ref=line.cells.get(f"cash.{period.key}"),
            )


@rule(
    "F11",
    G,
    WARN,
    "Строка финансирования повторяется",
    "Две строки с одним мероприятием, источником и ГРБС: суммы будут учтены дважды. "
    "Объедините строки.",
)
def duplicate_lines(ctx: Context, emit: Emit) -> None:
    seen: dict[tuple[object, ...], str] = {}
    for line in ctx.program.funding:
        key = (line.activity, line.source, (line.grbs or "").strip().lower())
        ref = line.cells.get("activity") or str(line.row)
        if key in seen:
            emit(
                f"мероприятие {line.activity}, {line.source_text or ''}: повтор строки {seen[key]}",
                ref=line.cells.get("activity"),
            )
        else:
            seen[key] = ref
