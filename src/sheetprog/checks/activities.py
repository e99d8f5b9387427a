"""Activity rules."""

from __future__ import annotations

import datetime as dt
import re

from sheetprog.checks.base import GROUPS, Context, Emit, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import number as num
from sheetprog.fmt import shorten
from sheetprog.model import Activity, Status, clean_number, enclosing_numbers
from sheetprog.timing import Timing, TimingKind
from sheetprog.values import normalize_text

G = GROUPS[3]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_NUMBER = re.compile(r"^\d+(\.\d+)*$")


@rule(
    "A01",
    G,
    ERR,
    "Нарушена нумерация мероприятий",
    "Номер мероприятия иерархический (1, 1.1, 1.1.1): у 1.1.2 должен быть родитель 1.1. "
    "Пропущенный уровень мешает сводить мероприятия и финансирование по разделам.",
)
def numbering(ctx: Context, emit: Emit) -> None:
    numbers = {a.number for a in ctx.program.activities if a.number}
    for act in ctx.program.activities:
        ref = act.cells.get("number")
        if not act.number:
            if act.name:
                emit(f"у мероприятия «{shorten(act.name, 60)}» нет номера", ref=ref)
            continue
        if not _NUMBER.match(act.number):
            emit(f"номер «{act.number}» не вида 1, 1.1, 1.1.1", ref=ref, value=act.number)
            continue
        parent = act.parent_number
        if parent and parent not in numbers:
            emit(f"мероприятие {act.number}: нет мероприятия {parent}", ref=ref, value=act.number)


@rule(
    "A02",
    G,
    ERR,
    "Номер мероприятия повторяется",
    "Два мероприятия с одним номером: финансирование и показатели не смогут сослаться на "
    "нужное. Перенумеруйте.",
)
def duplicate_numbers(ctx: Context, emit: Emit) -> None:
    seen: dict[str, str] = {}
    for act in ctx.program.activities:
        if act.number:
            ref = act.cells.get("number") or act.number
            if act.number in seen:
                emit(
                    f"номер {act.number} уже использован в {seen[act.number]}",
                    ref=ref,
                    value=act.number,
                )
            else:
                seen[act.number] = ref


@rule(
    "A03",
    G,
    ERR,
    "Не указан ответственный исполнитель",
    "У каждого мероприятия должен быть ответственный исполнитель — кто отчитывается о его "
    "выполнении. Укажите орган или подразделение.",
)
def missing_executor(ctx: Context, emit: Emit) -> None:
    for act in ctx.program.activities:
        if act.name and not act.responsible:
            emit(
                f"мероприятие {act.number}: не указан ответственный исполнитель",
                ref=act.cells.get("responsible"),
            )


def _abbreviations(name: str) -> set[str]:
    found = {normalize_text(m) for m in re.findall(r"\(([^()]+)\)", name)}
    return found | {normalize_text(re.sub(r"\s*\([^()]*\)", "", name))}


def _declared(ctx: Context) -> set[str]:
    p = ctx.program.passport
    names: set[str] = set()
    for name in [p.responsible_executor or "", *p.co_executors, *p.participants]:
        if name:
            names |= _abbreviations(name)
    return names


def _is_declared(executor: str, declared: set[str]) -> bool:
    norm = normalize_text(re.sub(r"\s*\([^()]*\)", "", executor))
    if norm in declared:
        return True
    return any(d.startswith(norm + " ") or norm.startswith(d + " ") for d in declared if len(d) > 3)


@rule(
    "A04",
    G,
    WARN,
    "Исполнитель не объявлен в паспорте",
    "Исполнители мероприятий должны быть среди ответственного исполнителя, соисполнителей "
    "или участников программы (паспорт). Опечатка в сокращении («СМС» вместо «ОМС») или "
    "необъявленный исполнитель — повод исправить таблицу или паспорт.",
)
def undeclared_executors(ctx: Context, emit: Emit) -> None:
    declared = _declared(ctx)
    if not declared:
        return
    for act in ctx.program.activities:
        for key, names in (
            ("responsible", [act.responsible] if act.responsible else []),
            ("co_executors", act.co_executors),
        ):
            for name in names:
                if not _is_declared(name, declared):
                    emit(
                        f"мероприятие {act.number}: «{name}» нет среди исполнителей и "
                        "участников в паспорте",
                        ref=act.cells.get(key),
                        value=name,
                    )


@rule(
    "A05",
    G,
    WARN,
    "«Выполнено» без достигнутого результата",
    "Для выполненного мероприятия нужно указать, что достигнуто: это текст годового отчёта.",
)
def done_without_result(ctx: Context, emit: Emit) -> None:
    for act in ctx.program.activities:
        if act.status is Status.DONE and not act.achieved_result and act.result_fact is None:
            emit(
                f"мероприятие {act.number}: статус «выполнено», достигнутый результат не указан",
                ref=act.cells.get("achieved_result"),
            )


def _end(act: Activity, key: str, first: int, last: int) -> dt.date | None:
    timing: Timing | None = getattr(act, key)
    if timing is None or timing.kind not in (TimingKind.DATE, TimingKind.INTERVAL):
        return None
    return timing.interval(first, last)[1 if key.endswith("end") else 0]


@rule(
    "A06",
    G,
    WARN,
    "Окончание позже плана без описания проблем",
    "Если мероприятие закончено позже планового срока, в столбце «Проблемы» нужно указать причину.",
)
def late_without_problem(ctx: Context, emit: Emit) -> None:
    first, last = _years(ctx)
    for act in ctx.program.activities:
        planned, actual = (
            _end(act, "planned_end", first, last),
            _end(act, "actual_end", first, last),
        )
        if planned and actual and actual > planned and not act.problems:
            emit(
                f"мероприятие {act.number}: окончено {actual:%d.%m.%Y} при плане "
                f"{planned:%d.%m.%Y}; причина не указана",
                ref=act.cells.get("problems"),
            )


def _years(ctx: Context) -> tuple[int, int]:
    years = ctx.program.years or [ctx.program.passport.reporting_year or 2000]
    return years[0], years[-1]


@rule(
    "A07",
    G,
    ERR,
    "Окончание раньше начала",
    "Срок окончания мероприятия не может быть раньше срока начала. Проверьте даты.",
)
def end_before_start(ctx: Context, emit: Emit) -> None:
    first, last = _years(ctx)
    for act in ctx.program.activities:
        for kind, word in (("planned", "плановый"), ("actual", "фактический")):
            start = _end(act, f"{kind}_start", first, last)
            end = _end(act, f"{kind}_end", first, last)
            if start and end and end < start:
                emit(
                    f"мероприятие {act.number}: {word} срок окончания раньше начала",
                    ref=act.cells.get(f"{kind}_end"),
                )


@rule(
    "A08",
    G,
    WARN,
    "Плановый срок вне периода реализации",
    "Плановые сроки мероприятий должны лежать в годах реализации программы.",
)
def outside_program(ctx: Context, emit: Emit) -> None:
    years = ctx.program.passport.years
    if not years:
        return
    first, last = years[0], years[-1]
    for act in ctx.program.activities:
        for key in ("planned_start", "planned_end"):
            timing = getattr(act, key)
            if timing is None or timing.kind not in (TimingKind.DATE, TimingKind.INTERVAL):
                continue
            start, end = timing.interval(first, last)
            if (start and start.year < first) or (end and end.year > last):
                emit(
                    f"мероприятие {act.number}: срок «{timing.text}» вне {first}–{last} гг.",
                    ref=act.cells.get(key),
                    value=timing.text,
                )


@rule(
    "A09",
    G,
    ERR,
    "Срок наступил, а статус «не наступил срок»",
    "Плановый срок окончания прошёл к концу отчётного периода, а статус не обновлён. "
    "Укажите фактический статус: выполнено, выполнено частично или не выполнено.",
)
def stale_status(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None:
        return
    first, last = _years(ctx)
    for act in ctx.program.activities:
        end = _end(act, "planned_end", first, last)
        if act.status is Status.NOT_DUE and end and end <= period.end_date:
            emit(
                f"мероприятие {act.number}: срок {end:%d.%m.%Y} прошёл, статус «не наступил срок»",
                ref=act.cells.get("status"),
                value=act.status.value,
            )


@rule(
    "A10",
    G,
    WARN,
    "Не указан статус мероприятия",
    "Статус нужен для расчёта доли выполненных мероприятий. Выберите статус из списка.",
)
def missing_status(ctx: Context, emit: Emit) -> None:
    enclosing = enclosing_numbers(ctx.program.activities)
    year = ctx.program.passport.reporting_year
    for act in ctx.program.activities:
        status = act.status_in(year) if year else act.status
        if act.name and status is None and clean_number(act.number) not in enclosing:
            emit(f"мероприятие {act.number}: не указан статус", ref=act.cells.get("status"))


@rule(
    "A11",
    G,
    ERR,
    "Нет наименования мероприятия",
    "Строка мероприятия без наименования не может попасть в отчёт. Заполните наименование "
    "или удалите строку.",
)
def missing_name(ctx: Context, emit: Emit) -> None:
    for act in ctx.program.activities:
        if not act.name:
            emit(f"строка {act.row}: нет наименования мероприятия", ref=act.cells.get("name"))


@rule(
    "A12",
    G,
    WARN,
    "«Выполнено», а результат ниже порога",
    "Числовой результат ниже 95 % планового, а статус «выполнено». Уточните статус или результат.",
)
def done_below_result(ctx: Context, emit: Emit) -> None:
    for act in ctx.program.activities:
        if (
            act.status is Status.DONE
            and act.result_plan
            and act.result_fact is not None
            and act.result_fact < act.result_plan * 95 / 100
        ):
            emit(
                f"мероприятие {act.number}: результат {num(act.result_fact)} из "
                f"{num(act.result_plan)}, статус «выполнено»",
                ref=act.cells.get("result_fact"),
                value=act.result_fact,
            )
