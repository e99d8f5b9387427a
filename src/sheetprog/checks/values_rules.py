"""Value rules: signs, ranges, texts that could not be interpreted."""

from __future__ import annotations

from decimal import Decimal

from sheetprog.checks.base import GROUPS, Context, Emit, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import number as num
from sheetprog.model import value_key
from sheetprog.timing import TimingKind

G = GROUPS[1]
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@rule(
    "V01",
    G,
    Severity.ERROR,
    "Отрицательная сумма",
    "Объёмы финансирования и кассовые расходы не бывают отрицательными. Проверьте знак и "
    "единицы (тыс. руб.).",
)
def negative_money(ctx: Context, emit: Emit) -> None:
    for line in ctx.program.funding:
        for kind, values in (("plan", line.plan), ("budget_list", line.budget_list)):
            for year, value in values.items():
                if value < 0:
                    emit(
                        f"отрицательная сумма {num(value)}",
                        ref=line.cells.get(f"{kind}.{year}"),
                        value=value,
                    )
        for period, value in line.cash.items():
            if value < 0:
                emit(
                    f"отрицательная сумма {num(value)}",
                    ref=line.cells.get(f"cash.{period.key}"),
                    value=value,
                )


def _is_percent(unit: str | None) -> bool:
    return bool(unit) and unit.strip().startswith("%")  # type: ignore[union-attr]


@rule(
    "V02",
    G,
    Severity.WARNING,
    "Процент вне 0–100",
    "У показателя в процентах значение меньше 0 или больше 100. Возможно, перепутаны "
    "единицы (доля вместо процента) или это количество, а не доля.",
)
def percent_range(ctx: Context, emit: Emit) -> None:
    for ind in ctx.program.indicators:
        if not _is_percent(ind.unit):
            continue
        for period, value in ind.facts.items():
            if not ZERO <= value <= HUNDRED:
                emit(
                    f"«{ind.label}»: значение {num(value)} % вне диапазона 0–100",
                    ref=ind.cells.get(value_key("fact", period.year, period.span)),
                    value=value,
                )
        for year, target in ind.plan.items():
            for bound in (target.value, target.upper):
                if bound is not None and not ZERO <= bound <= HUNDRED:
                    emit(
                        f"«{ind.label}»: план {target.canonical()} % вне диапазона 0–100",
                        ref=ind.cells.get(f"plan.{year}"),
                        value=target.canonical(),
                    )
                    break


@rule(
    "V03",
    G,
    Severity.WARNING,
    "Срок мероприятия не распознан",
    "Срок должен быть датой или периодом из программы («I квартал 2021 года», «Ежегодно», "
    "«Весь период»). Нераспознанный срок не позволяет проверить выполнение в срок.",
)
def unknown_timing(ctx: Context, emit: Emit) -> None:
    for act in ctx.program.activities:
        for key in ("planned_start", "planned_end", "actual_start", "actual_end"):
            timing = getattr(act, key)
            if timing is not None and timing.kind is TimingKind.UNKNOWN:
                emit(
                    f"мероприятие {act.number}: срок «{timing.text}» не распознан",
                    ref=act.cells.get(key),
                    value=timing.text,
                )


@rule(
    "V04",
    G,
    Severity.WARNING,
    "Факт за будущий период",
    "Внесён факт за период после отчётного. Проверьте, не перепутан ли столбец года или квартала.",
)
def future_facts(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    for ind in ctx.program.indicators:
        for fact_period in ind.facts:
            if fact_period > period:
                emit(
                    f"«{ind.label}»: факт за {fact_period.label} при отчётном периоде "
                    f"«{period.label}»",
                    ref=ind.cells.get(value_key("fact", fact_period.year, fact_period.span)),
                )
    for line in ctx.program.funding:
        for cash_period in line.cash:
            if cash_period > period:
                emit(
                    f"мероприятие {line.activity}: кассовые расходы за {cash_period.label} при "
                    f"отчётном периоде «{period.label}»",
                    ref=line.cells.get(f"cash.{cash_period.key}"),
                )
