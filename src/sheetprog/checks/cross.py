"""Cross-sheet and cross-period rules."""

from __future__ import annotations

import re

from sheetprog.checks.base import GROUPS, Context, Emit, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import number as num
from sheetprog.model import Indicator, value_key

G, P = GROUPS[5], GROUPS[6]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:-|–|—)\s*((?:19|20)\d\d)(?!\d)")


@rule(
    "X01",
    G,
    WARN,
    "Годы в наименовании не совпадают с периодом программы",
    "Наименование программы указывает другие годы, чем период реализации в паспорте "
    "(например, «на 2014 – 2018 годы» в программе 2019–2023). Исправьте наименование или "
    "годы.",
)
def name_years(ctx: Context, emit: Emit) -> None:
    p = ctx.program.passport
    if not p.program_name or not p.first_year or not p.last_year:
        return
    for match in _YEARS.finditer(p.program_name):
        first, last = int(match.group(1)), int(match.group(2))
        if (first, last) != (p.first_year, p.last_year):
            emit(
                f"в наименовании «{match.group(0)}», а период реализации "
                f"{p.first_year}–{p.last_year}",
                ref=p.cells.get("program_name"),
                value=match.group(0),
            )


@rule(
    "X02",
    G,
    ERR,
    "Отчётный год вне периода реализации",
    "Отчётный год должен входить в годы реализации программы.",
)
def reporting_year(ctx: Context, emit: Emit) -> None:
    p = ctx.program.passport
    if p.reporting_year and p.years and p.reporting_year not in p.years:
        emit(
            f"отчётный год {p.reporting_year} вне {p.first_year}–{p.last_year}",
            ref=p.cells.get("reporting_year"),
            value=p.reporting_year,
        )


@rule(
    "X03",
    G,
    ERR,
    "Показатель связан с несуществующим мероприятием",
    "В столбце «Связанные мероприятия» указан номер, которого нет на листе «Мероприятия».",
)
def linked_activities(ctx: Context, emit: Emit) -> None:
    numbers = {a.number for a in ctx.program.activities}
    for ind in ctx.program.indicators:
        for number in ind.activities:
            if number.rstrip(".") not in numbers:
                emit(
                    f"«{ind.label}»: мероприятия {number} нет",
                    ref=ind.cells.get("activities"),
                    value=number,
                )


@rule(
    "X04",
    G,
    WARN,
    "Подпрограмма не объявлена в паспорте",
    "Номер подпрограммы в таблице должен быть среди подпрограмм паспорта.",
)
def subprograms(ctx: Context, emit: Emit) -> None:
    declared = {s.number for s in ctx.program.passport.subprograms}
    for rows in (ctx.program.indicators, ctx.program.activities):
        for obj in rows:
            if obj.subprogram and obj.subprogram not in declared:
                emit(
                    f"подпрограммы {obj.subprogram} нет в паспорте",
                    ref=obj.cells.get("subprogram"),
                    value=obj.subprogram,
                )


def _key(ind: Indicator) -> str:
    return ind.code or ind.number or (ind.name or "")


@rule(
    "P01",
    P,
    WARN,
    "Значение изменилось по сравнению с прошлой отчётностью",
    "Факт или кассовые расходы за уже отчитанный период отличаются от предыдущей "
    "отчётности. Если это исправление — поясните его; если нет — верните прежнее значение.",
)
def changed_since_previous(ctx: Context, emit: Emit) -> None:
    previous = ctx.previous
    if previous is None or previous.passport.reporting_period is None:
        return
    reported = previous.passport.reporting_period
    old = {_key(i): i for i in previous.indicators}
    for ind in ctx.program.indicators:
        before = old.get(_key(ind))
        if before is None:
            continue
        for period, value in before.facts.items():
            now = ind.facts.get(period)
            if period <= reported and now is not None and now != value:
                emit(
                    f"«{ind.label}»: за {period.label} было {num(value)}, стало {num(now)}",
                    ref=ind.cells.get(value_key("fact", period.year, period.span)),
                    value=now,
                )
    lines = {(ln.activity, ln.source, ln.grbs): ln for ln in previous.funding}
    for line in ctx.program.funding:
        prior = lines.get((line.activity, line.source, line.grbs))
        if prior is None:
            continue
        for period, value in prior.cash.items():
            now = line.cash.get(period)
            if period <= reported and now is not None and now != value:
                emit(
                    f"мероприятие {line.activity}: расходы за {period.label} были {num(value)}, "
                    f"стали {num(now)}",
                    ref=line.cells.get(f"cash.{period.key}"),
                    value=now,
                )


@rule(
    "P02",
    P,
    ERR,
    "Нарастающий итог меньше, чем в прошлой отчётности",
    "Значение нарастающим итогом за текущий период меньше значения за прошлый отчётный "
    "период того же года: так быть не может.",
)
def below_previous_period(ctx: Context, emit: Emit) -> None:
    previous = ctx.previous
    current = ctx.program.passport.reporting_period
    if previous is None or current is None or previous.passport.reporting_period is None:
        return
    before = previous.passport.reporting_period
    if before.year != current.year or before >= current:
        return
    lines = {(ln.activity, ln.source, ln.grbs): ln for ln in previous.funding}
    for line in ctx.program.funding:
        prior = lines.get((line.activity, line.source, line.grbs))
        old, now = (prior.cash.get(before) if prior else None), line.cash.get(current)
        if old is not None and now is not None and now < old:
            emit(
                f"мероприятие {line.activity}: за {current.label} {num(now)}, а за "
                f"{before.label} было {num(old)}",
                ref=line.cells.get(f"cash.{current.key}"),
                value=now,
            )
