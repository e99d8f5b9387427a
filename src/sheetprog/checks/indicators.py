"""Indicator rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from sheetprog.assess.engine import degree
from sheetprog.checks.base import GROUPS, Context, Emit, falling, rule
from sheetprog.checks.reading import unreadable_cells
from sheetprog.checks.severity import Severity
from sheetprog.fmt import number as num
from sheetprog.fmt import shorten
from sheetprog.model import Direction, Indicator, value_key
from sheetprog.periods import Period
from sheetprog.values import normalize_text

G = GROUPS[2]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@rule(
    "I01",
    G,
    WARN,
    "Показатель повторяется",
    "Один и тот же показатель указан дважды (например, под разными задачами). В расчёте "
    "эффективности он будет учтён дважды. Оставьте одну строку или уточните наименование.",
)
def duplicate_indicators(ctx: Context, emit: Emit) -> None:
    seen: dict[tuple[str, str], str] = {}
    for ind in ctx.program.indicators:
        if not ind.name:
            continue
        key = (normalize_text(ind.name).rstrip("."), normalize_text(ind.unit or ""))
        ref = ind.cells.get("name")
        if key in seen:
            emit(
                f"показатель «{shorten(ind.name)}» уже указан в {seen[key]}",
                ref=ref,
                value=ind.name,
            )
        else:
            seen[key] = ref or ind.label


@rule(
    "I02",
    G,
    ERR,
    "Не указано направление показателя",
    "Без направления (рост или снижение) нельзя посчитать степень достижения: для снижения "
    "Ci = план / факт. Выберите направление из списка.",
)
def missing_direction(ctx: Context, emit: Emit) -> None:
    for ind in ctx.program.indicators:
        if ind.name and ind.direction is None:
            emit(f"«{ind.label}»: не указано направление", ref=ind.cells.get("direction"))


@rule(
    "I03",
    G,
    WARN,
    "Нет плана на год реализации",
    "На каждый год реализации программы у показателя должно быть плановое значение; без него "
    "показатель не оценивается за этот год.",
)
def missing_plans(ctx: Context, emit: Emit) -> None:
    years = ctx.program.passport.years
    unreadable = unreadable_cells(ctx)  # an unreadable plan is R002/R008 there, not missing
    for ind in ctx.program.indicators:
        missing = [
            y for y in years if y not in ind.plan and ind.cells.get(f"plan.{y}") not in unreadable
        ]
        if ind.name and missing:
            emit(
                f"«{ind.label}»: нет плана на " + ", ".join(map(str, missing)) + " г.",
                ref=ind.cells.get(f"plan.{missing[0]}"),
            )


@rule(
    "I04",
    G,
    WARN,
    "Нет факта за отчётный период",
    "Показатель без факта исключается из оценки. Внесите факт или объясните в «Обоснование "
    "отклонений», почему его нет (например, «рассчитывается на краевом уровне»).",
)
def missing_facts(ctx: Context, emit: Emit) -> None:
    for ind, period, ref in _without_fact(ctx):
        if not ind.justification:
            emit(f"«{ind.label}»: нет факта за {period.label} и не указана причина", ref=ref)


@rule(
    "I12",
    G,
    INFO,
    "Нет факта за отчётный период, причина указана",
    "Факта нет, но в «Обоснование отклонений» объяснено почему; показатель исключается из "
    "оценки. Внесите факт, когда он станет известен.",
)
def missing_facts_explained(ctx: Context, emit: Emit) -> None:
    for ind, period, ref in _without_fact(ctx):
        if ind.justification:
            emit(f"«{ind.label}»: нет факта за {period.label}; причина указана", ref=ref)


def _without_fact(ctx: Context) -> Iterator[tuple[Indicator, Period, str | None]]:
    """Indicators with a plan for the reporting period and no fact for it."""
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    unreadable = unreadable_cells(ctx)  # an unreadable fact is R001/R008 there, not missing
    for ind in ctx.program.indicators:
        target = ind.plan.get(period.year)
        if not ind.name or target is None or not target.is_set or ind.fact(period) is not None:
            continue
        if period in ind.expected:  # «ожидается …»: H16/H17 (issue 18)
            continue
        ref = ind.cells.get(value_key("fact", period.year, period.span))
        if ref is None or ref not in unreadable:
            yield ind, period, ref


@rule(
    "I05",
    G,
    WARN,
    "План не выполнен, обоснование не указано",
    "Если плановое значение не достигнуто, в столбце «Обоснование отклонений» нужно указать "
    "причину — это требование к годовому отчёту.",
)
def unexplained_misses(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None or ctx.program.has_explanations_sheet:  # there: H08/H09 (issue 18)
        return
    for ind in ctx.program.indicators:
        target, fact = ind.plan.get(period.year), ind.fact(period)
        if target is None or not target.is_set or fact is None or ind.justification:
            continue
        _ci, achieved, _policy = degree(target, fact, ind.direction or Direction.UP, None)
        if not achieved:
            emit(
                f"«{ind.label}»: план {target.canonical()}, факт {num(fact)} — укажите обоснование",
                ref=ind.cells.get("justification"),
                value=fact,
            )


@rule(
    "I13",
    G,
    WARN,
    "Степень достижения показателя неправдоподобно высока",
    "Ci (факт к плану, для снижения — план к факту) выше границы ci_bound (по умолчанию "
    "1,3 = 130 %): такая оценка поднимет рейтинг, под которым никто не подпишется. Проверьте "
    "план и факт, единицы измерения и направление; при необходимости ограничьте Ci "
    "параметром cap методики.",
)
def implausible_degree(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    bound = ctx.config.ci_bound
    for ind in ctx.program.indicators:
        target, fact = ind.plan.get(period.year), ind.fact(period)
        if target is None or not target.is_set or fact is None:
            continue
        ci, _achieved, _policy = degree(target, fact, ind.direction or Direction.UP, None)
        if ci > bound:
            emit(
                f"«{ind.label}»: план {target.canonical()}, факт {num(fact)} — Ci "
                f"{num(ci * 100, 1)} % выше {num(bound * 100)} %",
                ref=ind.cells.get(value_key("fact", period.year, period.span)),
                value=fact,
            )


@rule(
    "I06",
    G,
    WARN,
    "Нарастающий итог уменьшается",
    "Квартальные факты вносятся нарастающим итогом: значение за полугодие не может быть "
    "меньше, чем за I квартал, и т. д. (для показателей-количеств).",
)
def falling_cumulative(ctx: Context, emit: Emit) -> None:
    for ind in ctx.program.indicators:
        if not _is_count(ind.name, ind.unit) or ind.direction is Direction.DOWN:
            continue
        for period, value, before, earlier in falling(ind.facts):
            emit(
                f"«{ind.label}»: {period.label} — {num(value)}, меньше чем за {before.label} "
                f"({num(earlier)})",
                ref=ind.cells.get(value_key("fact", period.year, period.span)),
                value=value,
            )


_COUNT_NAME = re.compile(r"^(количество|число)\b", re.I)


def _is_count(name: str | None, unit: str | None) -> bool:
    if name and _COUNT_NAME.match(name.strip()):
        return True
    return bool(unit) and normalize_text(unit or "").startswith(("чел", "ед", "шт", "количество"))


@rule(
    "I07",
    G,
    WARN,
    "Показатель-количество в процентах",
    "Наименование говорит о количестве («Количество…», «Число…»), а единица — «%». Укажите "
    "правильную единицу (человек, единиц, случаев).",
)
def count_in_percent(ctx: Context, emit: Emit) -> None:
    for ind in ctx.program.indicators:
        if ind.name and _COUNT_NAME.match(ind.name.strip()) and (ind.unit or "").strip() == "%":
            emit(
                f"«{ind.label}»: «{shorten(ind.name, 60)}» измеряется в «%»",
                ref=ind.cells.get("unit"),
                value=ind.unit,
            )


@rule(
    "I08",
    G,
    WARN,
    "Резкое изменение по сравнению с прошлым годом",
    "Факт отличается от прошлогоднего в несколько раз. Проверьте единицы измерения и "
    "опечатки; если так и есть — поясните в обосновании.",
)
def implausible_jump(ctx: Context, emit: Emit) -> None:
    ratio = ctx.config.jump_ratio
    for ind in ctx.program.indicators:
        for year in sorted({p.year for p in ind.facts}):
            now, before = ind.facts.get(Period(year)), ind.facts.get(Period(year - 1))
            if now is None or before is None or now <= 0 or before <= 0:
                continue
            if now / before >= ratio or before / now >= ratio:
                emit(
                    f"«{ind.label}»: {year} г. — {num(now)}, {year - 1} г. — {num(before)}",
                    ref=ind.cells.get(value_key("fact", year)),
                    value=now,
                )


@rule(
    "I09",
    G,
    ERR,
    "Не указано наименование или единица показателя",
    "Строка показателя без наименования или единицы измерения не может быть включена в "
    "отчёт. Заполните наименование и единицу.",
)
def incomplete_indicator(ctx: Context, emit: Emit) -> None:
    for ind in ctx.program.indicators:
        if not ind.name:
            emit(f"строка {ind.row}: нет наименования показателя", ref=ind.cells.get("name"))
        elif not ind.unit:
            emit(f"«{ind.label}»: не указана единица измерения", ref=ind.cells.get("unit"))


@rule(
    "I10",
    G,
    ERR,
    "Код показателя повторяется",
    "Код показателя должен быть уникальным: по нему сопоставляются отчёты разных периодов.",
)
def duplicate_codes(ctx: Context, emit: Emit) -> None:
    seen: dict[str, str] = {}
    for ind in ctx.program.indicators:
        if ind.code:
            ref = ind.cells.get("code")
            if ind.code in seen:
                emit(
                    f"код «{ind.code}» уже использован в {seen[ind.code]}", ref=ref, value=ind.code
                )
            else:
                seen[ind.code] = ref or ind.code


@rule(
    "I11",
    G,
    INFO,
    "Веса показателей не в сумме 1",
    "Если методика использует веса, их сумма по показателям должна быть 1 (или веса будут "
    "нормированы). Заданы веса не у всех показателей или сумма отличается от 1.",
)
def weights(ctx: Context, emit: Emit) -> None:
    named = [i for i in ctx.program.indicators if i.name]
    given = [i for i in named if i.weight is not None]
    if not given:
        return
    if len(given) != len(named):
        missing = next(i for i in named if i.weight is None)
        emit(
            f"вес указан у {len(given)} из {len(named)} показателей",
            ref=missing.cells.get("weight"),
        )
    total = sum((i.weight for i in given if i.weight is not None), Decimal(0))
    if len(given) == len(named) and total != 1:
        emit(f"сумма весов {num(total)}, а не 1", ref=given[0].cells.get("weight"), value=total)
