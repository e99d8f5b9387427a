"""Rules of a program in the project structure (issue 17; docs/structure-project.md):
structural elements, results, control points, funding by element with the КЦСР."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sheetprog.checks.base import GROUPS, Context, Emit, after_edition, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import money, shorten
from sheetprog.model import Direction
from sheetprog.periods import Period, Span
from sheetprog.project.layout import LEVELS, PROCESS_TYPE
from sheetprog.values import normalize_text

G = GROUPS[8]
ERR, WARN = Severity.ERROR, Severity.WARNING
KCSR = re.compile(r"^[0-9A-ZА-Я]{10}$")
# levels whose indicators belong to a structural element (МПр, ВП, КПМ)
ELEMENT_LEVELS = tuple(normalize_text(x.split(" ")[0]) for x in LEVELS[3:])


def _p(ctx: Context) -> Any:
    return ctx.program


def _as_of(program: Any) -> dt.date | None:
    """The reporting date, else the end of the reporting period; None: not known."""
    passport = program.passport
    if passport.reporting_date is not None:
        return passport.reporting_date  # type: ignore[no-any-return]
    period = passport.reporting_period
    return period.end_date if period is not None else None


def _explained(program: Any, item: Any, year: int) -> bool:
    """A «Пояснения» row explains the year's deviation (issue 18 item 5; H08/H09 ask for it)."""
    from sheetprog import spec
    from sheetprog.program.deviations import find_explanation
    from sheetprog.project.deviations import explanation_item

    row = find_explanation(program, spec.SECTION_INDICATOR, explanation_item(item), year)
    return bool(row and row.text)


def _kcsr(text: str | None) -> str:
    return (text or "").replace(" ", "").replace("\u00a0", "").replace(".", "").upper()


@rule(
    "C01",
    G,
    WARN,
    "Результат без контрольных точек",
    "У каждого мероприятия (результата) должны быть контрольные точки, по которым "
    "отслеживается его выполнение: добавьте их на лист «Контрольные точки».",
    kind="project",
)
def result_without_points(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    with_points = {p.result for p in program.points if p.result}
    for r in program.results:
        if r.number and r.number not in with_points:
            emit(
                f"результат {r.number} «{shorten(r.name, 60)}»: нет контрольных точек",
                ref=r.cells.get("number"),
                value=r.number,
            )


@rule(
    "C02",
    G,
    ERR,
    "Контрольная точка просрочена: нет фактической даты и причин",
    "Плановая дата контрольной точки прошла (на отчётную дату), а фактической даты нет: "
    "укажите дату достижения или причины отклонения.",
    kind="project",
)
def overdue_point(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    as_of = _as_of(program)
    if as_of is None:
        return
    for p in program.points:
        if p.planned and p.planned < as_of and p.actual is None and not p.explanation:
            emit(
                f"контрольная точка {p.key} «{shorten(p.name, 60)}»: срок {p.planned:%d.%m.%Y} "
                f"прошёл на {as_of:%d.%m.%Y}, фактической даты и причин нет",
                ref=p.cells.get("actual"),
            )


@rule(
    "C03",
    G,
    WARN,
    "Контрольная точка достигнута позже срока без объяснения",
    "Фактическая дата позже плановой: укажите причины отклонения.",
    kind="project",
)
def late_point(ctx: Context, emit: Emit) -> None:
    for p in _p(ctx).points:
        if p.planned and p.actual and p.actual > p.planned and not p.explanation:
            emit(
                f"контрольная точка {p.key}: достигнута {p.actual:%d.%m.%Y}, срок "
                f"{p.planned:%d.%m.%Y}; причины не указаны",
                ref=p.cells.get("explanation"),
            )


@rule(
    "C04",
    G,
    ERR,
    "Результат не привязан к структурному элементу",
    "Каждое мероприятие (результат) входит в структурный элемент: укажите код элемента "
    "с листа «Структурные элементы».",
    kind="project",
)
def result_element(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    codes = {e.code for e in program.elements if e.code}
    for r in program.results:
        if r.element not in codes:
            what = f"элемент «{r.element}» не найден" if r.element else "элемент не указан"
            emit(f"результат {r.key}: {what}", ref=r.cells.get("element"), value=r.element)


@rule(
    "C05",
    G,
    ERR,
    "Показатель не привязан к структурному элементу",
    "Показатель проекта или комплекса процессных мероприятий должен быть привязан к "
    "своему элементу; код элемента должен быть с листа «Структурные элементы». Пустой "
    "элемент допустим только для показателей программы (уровни НЦ, ГП, МП).",
    kind="project",
)
def indicator_element(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    codes = {e.code for e in program.elements if e.code}
    for i in program.indicators:
        if i.element and i.element not in codes:
            emit(
                f"показатель {i.key}: элемент «{i.element}» не найден",
                ref=i.cells.get("element"),
                value=i.element,
            )
        elif not i.element and normalize_text((i.level or "").split(" ")[0]) in ELEMENT_LEVELS:
            emit(
                f"показатель {i.key} уровня «{i.level}»: элемент не указан",
                ref=i.cells.get("element"),
            )


@rule(
    "C06",
    G,
    ERR,
    "Контрольная точка ссылается на неизвестный результат",
    "Номер результата контрольной точки должен быть с листа «Результаты».",
    kind="project",
)
def point_result(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    numbers = {r.number for r in program.results if r.number}
    for p in program.points:
        if p.result not in numbers:
            emit(
                f"контрольная точка {p.key}: результат «{p.result or ''}» не найден",
                ref=p.cells.get("result"),
                value=p.result,
            )


@rule(
    "C07",
    G,
    ERR,
    "Финансирование неизвестного структурного элемента",
    "Код элемента в строке финансирования должен быть с листа «Структурные элементы».",
    kind="project",
)
def funding_element(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    codes = {e.code for e in program.elements if e.code}
    for f in program.funding:
        if f.element not in codes:
            emit(
                f"строка {f.row}: элемент «{f.element or ''}» не найден",
                ref=f.cells.get("element"),
                value=f.element,
            )


@rule(
    "C08",
    G,
    ERR,
    "Сумма по структурным элементам не равна объёму в паспорте",
    "Объём финансирования года в паспорте должен равняться сумме плана по всем "
    "структурным элементам и источникам на листе «Финансовое обеспечение».",
    kind="project",
)
def totals_vs_passport(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    for year, total in sorted(program.passport.funding_total.items()):
        rows = [f.plan[year] for f in program.funding if year in f.plan]
        if not rows:
            continue
        counted = sum(rows, Decimal(0))
        if abs(counted - total) > ctx.tolerance(total, *rows):
            emit(
                f"{year} год: в паспорте {money(total)}, по элементам {money(counted)} тыс. руб."
                + _after_edition(program, year),
                ref=program.passport.cells.get(f"funding_total.{year}"),
                value=total,
            )


def _after_edition(program: Any, year: int) -> str:
    from sheetprog.project.history import project_funding_edition

    edition = project_funding_edition(program, year)
    return after_edition(edition, "на лист «Финансовое обеспечение»")


@rule(
    "C09",
    G,
    ERR,
    "КЦСР неверного формата",
    "Целевая статья расходов — 10 знаков (цифры и заглавные буквы), первые два — код "
    "программы из паспорта: например 0140100010.",
    kind="project",
)
def kcsr_format(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    prefix = _kcsr(program.passport.program_code)
    for f in program.funding:
        if not f.kcsr:
            emit(f"строка {f.row}: КЦСР не указан", ref=f.cells.get("kcsr"))
            continue
        code = _kcsr(f.kcsr)
        if not KCSR.match(code):
            emit(
                f"строка {f.row}: КЦСР «{f.kcsr}» — не 10 цифр и заглавных букв",
                ref=f.cells.get("kcsr"),
                value=f.kcsr,
            )
        elif len(prefix) == 2 and not code.startswith(prefix):
            emit(
                f"строка {f.row}: КЦСР «{f.kcsr}» не начинается с кода программы {prefix}",
                ref=f.cells.get("kcsr"),
                value=f.kcsr,
            )


@rule(
    "C10",
    G,
    ERR,
    "КЦСР повторяется",
    "Одна целевая статья — у одного структурного элемента, и в одной строке для каждого "
    "источника: объедините повторы.",
    kind="project",
)
def kcsr_unique(ctx: Context, emit: Emit) -> None:
    owner: dict[str, tuple[str | None, str]] = {}
    seen: dict[tuple[str, Any], str] = {}
    for f in _p(ctx).funding:
        code = _kcsr(f.kcsr)
        if not code:
            continue
        here = f.cells.get("kcsr", "")
        first = owner.setdefault(code, (f.element, here))
        if first[0] != f.element:
            emit(
                f"КЦСР {f.kcsr} указан и у элемента «{first[0]}» ({first[1]}), и у «{f.element}»",
                ref=here,
                value=f.kcsr,
            )
            continue
        key = (code, f.source)
        if key in seen:
            emit(
                f"КЦСР {f.kcsr} с источником «{f.source_text or ''}» уже есть в {seen[key]}",
                ref=here,
                value=f.kcsr,
            )
        seen.setdefault(key, here)


@rule(
    "C11",
    G,
    WARN,
    "КЦСР не соответствует коду структурного элемента",
    "Знаки 3–5 целевой статьи — тип и номер структурного элемента: они должны совпадать "
    "с кодом элемента (например, элемент 4 01 — КЦСР 01401…).",
    kind="project",
)
def kcsr_element(ctx: Context, emit: Emit) -> None:
    for f in _p(ctx).funding:
        code, element = _kcsr(f.kcsr), _kcsr(f.element)
        if KCSR.match(code) and len(element) == 3 and code[2:5] != element:
            emit(
                f"строка {f.row}: КЦСР {f.kcsr}, а элемент {f.element}",
                ref=f.cells.get("kcsr"),
                value=f.kcsr,
            )


@rule(
    "C12",
    G,
    WARN,
    "Показатель проекта без результата",
    "Показатель муниципального (регионального, ведомственного) проекта достигается его "
    "результатами: укажите номер показателя в столбце «Связь с показателями» результата.",
    kind="project",
)
def project_indicator_result(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    served = {normalize_text(k) for r in program.results for k in r.indicators}
    projects = {
        e.code for e in program.elements if e.code and normalize_text(e.type or "") != PROCESS_TYPE
    }
    for i in program.indicators:
        if i.element in projects and not (
            normalize_text(i.key) in served or normalize_text(i.number or "") in served
        ):
            emit(
                f"показатель {i.key} проекта {i.element}: ни один результат его не обслуживает",
                ref=i.cells.get("name"),
            )


def _quarterly(program: Any) -> int | None:
    period = program.passport.reporting_period
    return period.year if period is not None and period.span is not Span.YEAR else None


@rule(
    "C13",
    G,
    ERR,
    "Нет прогноза на конец года в квартальном мониторинге",
    "В мониторинге за I квартал, полугодие и 9 месяцев для каждого показателя и результата "
    "с планом на год указывается прогноз его значения на конец года.",
    kind="project",
)
def missing_forecast(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    year = _quarterly(program)
    if year is None:
        return
    for what, items in (("показатель", program.indicators), ("результат", program.results)):
        for item in items:
            if year in item.plan and year not in item.forecast:
                emit(
                    f"{what} {item.key}: нет прогноза на конец {year} года",
                    ref=item.cells.get(f"forecast.{year}"),
                )


@rule(
    "C14",
    G,
    ERR,
    "Результат ссылается на неизвестный показатель",
    "В «Связи с показателями» указывайте коды (номера) показателей с листа «Показатели».",
    kind="project",
)
def result_indicators(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    known = {normalize_text(i.key) for i in program.indicators} | {
        normalize_text(i.number) for i in program.indicators if i.number
    }
    for r in program.results:
        for key in r.indicators:
            if normalize_text(key) not in known:
                emit(
                    f"результат {r.key}: показатель «{key}» не найден",
                    ref=r.cells.get("indicators"),
                    value=key,
                )


@rule(
    "C15",
    G,
    ERR,
    "Код структурного элемента повторяется",
    "Код элемента однозначно связывает показатели, результаты и финансирование: у каждого "
    "элемента — свой.",
    kind="project",
)
def element_codes(ctx: Context, emit: Emit) -> None:
    seen: dict[str, str] = {}
    for e in _p(ctx).elements:
        if e.code in seen:
            emit(f"код {e.code} уже есть в {seen[e.code]}", ref=e.cells.get("code"), value=e.code)
        elif e.code:
            seen[e.code] = e.cells.get("code", "")


@rule(
    "C16",
    G,
    WARN,
    "Кассовое исполнение больше росписи",
    "Кассовые расходы не могут превышать сводную бюджетную роспись на отчётную дату: "
    "проверьте суммы.",
    kind="project",
)
def cash_over_list(ctx: Context, emit: Emit) -> None:
    for f in _p(ctx).funding:
        for period, cash in sorted(f.cash.items()):
            listed = f.budget_list.get(period.year)
            if listed is not None and cash - listed > ctx.tolerance(cash, listed):
                emit(
                    f"строка {f.row}: касса за {period.label} {money(cash)} больше росписи "
                    f"{money(listed)} тыс. руб.",
                    ref=f.cells.get(f"cash.{period.key}"),
                    value=cash,
                )


@rule(
    "C17",
    G,
    ERR,
    "Итог финансового обеспечения не равен сумме строк",
    "Строка «Итого по программе» считается формулами; если её значение расходится с "
    "суммой строк, формулу заменили числом или строки вне диапазона: верните формулу.",
    kind="project",
)
def funding_total_row(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    for total in program.funding_totals:
        for key, value in total.values.items():
            if value is None or key not in total.cells:
                continue
            kind, _, period_key = key.partition(".")
            column_sum = Decimal(0)
            for f in program.funding:
                if kind == "cash":
                    column_sum += next(
                        (v for p, v in f.cash.items() if p.key == period_key), Decimal(0)
                    )
                else:
                    column_sum += getattr(f, kind, {}).get(int(period_key), Decimal(0))
            if abs(value - column_sum) > ctx.tolerance(value, column_sum):
                emit(
                    f"«{total.label}»: {money(value)}, сумма строк {money(column_sum)}",
                    ref=total.cells[key],
                    value=value,
                )


@rule(
    "C18",
    G,
    WARN,
    "Нет плана на отчётный год",
    "У показателя или результата нет планового значения на отчётный год: его степень "
    "достижения не считается.",
    kind="project",
)
def missing_plan(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    period = program.passport.reporting_period
    if period is None or period.year not in program.years:
        return
    for what, items in (("показатель", program.indicators), ("результат", program.results)):
        for item in items:
            if period.year not in item.plan:
                emit(
                    f"{what} {item.key}: нет плана на {period.year} год",
                    ref=item.cells.get(f"plan.{period.year}"),
                )


@rule(
    "C19",
    G,
    WARN,
    "План года не достигнут, обоснования нет",
    "Если плановое значение года не достигнуто, укажите обоснование отклонения.",
    kind="project",
)
def unexplained_shortfall(ctx: Context, emit: Emit) -> None:
    program = _p(ctx)
    for what, items in (("показатель", program.indicators), ("результат", program.results)):
        for item in items:
            for year, plan in sorted(item.plan.items()):
                fact = item.facts.get(Period(year, Span.YEAR))
                if fact is None or item.justification or _explained(program, item, year):
                    continue
                down = getattr(item, "direction", None) is Direction.DOWN
                if (fact > plan) if down else (fact < plan):
                    emit(
                        f"{what} {item.key}: {year} год — план {plan}, факт {fact}, "
                        "обоснования нет",
                        ref=item.cells.get("justification"),
                    )
