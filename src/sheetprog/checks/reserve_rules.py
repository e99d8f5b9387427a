"""Personnel-reserve rules (Novoshakhtinsk procedure, sections 3–6). Messages name reservists
by their identifier, never by name: the register holds personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheetprog.checks.base import GROUPS, Context, Emit, rule
from sheetprog.checks.severity import Severity
from sheetprog.reserve.layout import EXCLUSION_REASONS, FILLED_BY_RESERVIST
from sheetprog.values import normalize_text

G = GROUPS[7]
ERR, WARN = Severity.ERROR, Severity.WARNING
PLAN_DAYS = 14
TERM_YEARS = 3


def _reserve(ctx: Context) -> Any:
    return ctx.program


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@rule(
    "K01",
    G,
    ERR,
    "Даты резервиста идут не по порядку",
    "Дата назначения или исключения не может быть раньше даты включения в резерв, а срок "
    "нахождения — заканчиваться раньше включения. Проверьте даты.",
    kind="reserve",
)
def dates_in_order(ctx: Context, emit: Emit) -> None:
    for r in _reserve(ctx).reservists:
        if r.included is None:
            continue
        for key, word in (
            ("appointed", "назначения"),
            ("excluded", "исключения"),
            ("term_until", "окончания срока"),
        ):
            value = getattr(r, key)
            if value is not None and value < r.included:
                emit(
                    f"резервист {r.label}: дата {word} {value:%d.%m.%Y} раньше включения "
                    f"{r.included:%d.%m.%Y}",
                    ref=r.cells.get(key),
                )


@rule(
    "K02",
    G,
    ERR,
    "Назначен человек, которого не было в резерве",
    "Назначение из резерва возможно только для лица, состоящего в резерве на дату "
    "назначения: до включения или после исключения это назначение не из резерва.",
    kind="reserve",
)
def appointed_outside_reserve(ctx: Context, emit: Emit) -> None:
    for r in _reserve(ctx).reservists:
        if r.appointed is None or r.included is None:
            continue
        if r.appointed < r.included or (r.excluded is not None and r.appointed > r.excluded):
            emit(
                f"резервист {r.label}: назначен {r.appointed:%d.%m.%Y}, когда не состоял в резерве",
                ref=r.cells.get("appointed"),
            )


@rule(
    "K03",
    G,
    WARN,
    "Более трёх лет в резерве без продления",
    "Резервист находится в резерве три года со дня включения; дольше — только по решению "
    "комиссии о продлении (п. 3.16). Отметьте продление или исключите из резерва.",
    kind="reserve",
)
def over_term(ctx: Context, emit: Emit) -> None:
    reserve = _reserve(ctx)
    year_end = dt.date(reserve.passport.year or dt.date.today().year, 12, 31)
    for r in reserve.reservists:
        if r.included is None or r.extended:
            continue
        limit = _plus_years(r.included, TERM_YEARS)
        still_in = r.excluded is None or r.excluded > limit
        if still_in and limit < year_end:
            emit(
                f"резервист {r.label}: три года истекли {limit:%d.%m.%Y}, продление не отмечено",
                ref=r.cells.get("extended"),
            )


@rule(
    "K04",
    G,
    ERR,
    "Исключение без основания",
    "Исключение из резерва допускается только по основаниям пункта 6.2 Порядка: укажите "
    "основание (и дату исключения, если основание указано).",
    kind="reserve",
)
def exclusion_reason(ctx: Context, emit: Emit) -> None:
    reasons = {normalize_text(x) for x in EXCLUSION_REASONS}
    for r in _reserve(ctx).reservists:
        if r.excluded is not None and not r.exclusion_reason:
            emit(
                f"резервист {r.label}: исключён {r.excluded:%d.%m.%Y} без основания",
                ref=r.cells.get("exclusion_reason"),
            )
        elif r.exclusion_reason and r.excluded is None:
            emit(
                f"резервист {r.label}: указано основание исключения, но нет даты",
                ref=r.cells.get("excluded"),
            )
        elif r.exclusion_reason and normalize_text(r.exclusion_reason) not in reasons:
            emit(
                f"резервист {r.label}: основание «{r.exclusion_reason}» не из перечня п. 6.2",
                ref=r.cells.get("exclusion_reason"),
                value=r.exclusion_reason,
            )


@rule(
    "K05",
    G,
    ERR,
    "Резервист указан дважды",
    "Один человек (идентификатор или ФИО) записан в реестре дважды: доли ЭфР будут "
    "искажены. Оставьте одну запись.",
    kind="reserve",
)
def duplicates(ctx: Context, emit: Emit) -> None:
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for r in _reserve(ctx).reservists:
        if r.ident:
            if r.ident in seen_ids:
                emit(
                    f"идентификатор {r.ident} уже есть в {seen_ids[r.ident]}",
                    ref=r.cells.get("ident"),
                    value=r.ident,
                )
            seen_ids.setdefault(r.ident, r.cells.get("ident", ""))
        if r.name:
            key = normalize_text(r.name)
            if key in seen_names:
                emit(
                    f"резервист {r.label}: ФИО совпадает с записью в {seen_names[key]}",
                    ref=r.cells.get("name"),
                )
            seen_names.setdefault(key, r.cells.get("name", ""))


@rule(
    "K06",
    G,
    WARN,
    "Нет индивидуального плана в течение двух недель после включения",
    "Индивидуальный план профессионального развития составляется не позднее двух недель "
    "после включения в резерв (п. 4.4).",
    kind="reserve",
)
def plan_after_inclusion(ctx: Context, emit: Emit) -> None:
    reserve = _reserve(ctx)
    plans: dict[str, list[Any]] = {}
    for plan in reserve.plans:
        plans.setdefault(plan.reservist or "", []).append(plan)
    # the book covers the plans of these years; earlier inclusions are not checked
    first_year = min((p.year for p in reserve.plans if p.year), default=None)
    for r in reserve.reservists:
        if r.included is None or not r.ident or first_year is None:
            continue
        if r.included.year < first_year:
            continue
        deadline = r.included + dt.timedelta(days=PLAN_DAYS)
        approved = [p for p in plans.get(r.ident, []) if p.year == r.included.year and p.approved]
        if not approved:
            emit(
                f"резервист {r.label}: нет плана на {r.included.year} год",
                ref=r.cells.get("included"),
            )
            continue
        plan = min(approved, key=lambda p: p.approved)
        if plan.approved > deadline:
            emit(
                f"резервист {r.label}: план утверждён {plan.approved:%d.%m.%Y}, позже "
                f"{deadline:%d.%m.%Y}",
                ref=plan.cells.get("approved"),
            )


@rule(
    "K07",
    G,
    WARN,
    "Нет отчёта о выполнении плана к 30 декабря",
    "Резервисты представляют отчёт о выполнении индивидуального плана не позднее "
    "30 декабря (п. 4.4).",
    kind="reserve",
)
def plan_reports(ctx: Context, emit: Emit) -> None:
    reserve = _reserve(ctx)
    members = {r.ident: r for r in reserve.reservists if r.ident}
    for plan in reserve.plans:
        if not plan.year:
            continue
        owner = members.get(plan.reservist or "")
        left = owner is not None and owner.excluded is not None and owner.excluded.year == plan.year
        deadline = dt.date(plan.year, 12, 30)
        if left or (reserve.passport.year and plan.year > reserve.passport.year):
            continue
        if plan.reported is None:
            emit(
                f"резервист {plan.reservist}: нет отчёта о плане на {plan.year} год",
                ref=plan.cells.get("reported"),
            )
        elif plan.reported > deadline:
            emit(
                f"резервист {plan.reservist}: отчёт {plan.reported:%d.%m.%Y}, позже 30 декабря",
                ref=plan.cells.get("reported"),
            )


@rule(
    "K08",
    G,
    ERR,
    "Вакансия «замещена резервистом», но резервист не найден",
    "Для вакансии, замещённой резервистом, укажите идентификатор человека из реестра.",
    kind="reserve",
)
def vacancy_reservist(ctx: Context, emit: Emit) -> None:
    reserve = _reserve(ctx)
    known = {r.ident for r in reserve.reservists if r.ident}
    for v in reserve.vacancies:
        if normalize_text(v.filled_by or "") != normalize_text(FILLED_BY_RESERVIST):
            continue
        if not v.reservist or v.reservist not in known:
            emit(
                f"вакансия «{v.position}»: резервист «{v.reservist or ''}» не найден в реестре",
                ref=v.cells.get("reservist"),
                value=v.reservist,
            )


@rule(
    "K09",
    G,
    WARN,
    "Основание «назначение», а даты назначения нет",
    "Если резервист исключён в связи с назначением, укажите дату и должность назначения: "
    "иначе назначение не попадёт в ЭфР1.",
    kind="reserve",
)
def appointment_reason(ctx: Context, emit: Emit) -> None:
    for r in _reserve(ctx).reservists:
        if (
            r.exclusion_reason
            and normalize_text(r.exclusion_reason).startswith("назначение")
            and r.appointed is None
        ):
            emit(
                f"резервист {r.label}: основание исключения — назначение, дата назначения не "
                "указана",
                ref=r.cells.get("appointed"),
            )
