"""Deviations explained year by year (issue 18): «Пояснения» checked.

Which deviations need an explanation: ``sheetprog.program.deviations``. A missing
explanation has two rules, one for a quarterly period (H08, H10: a warning) and one for
the annual report (H09, H11: an error), so the severity per report kind comes from the
catalogue and ``[checks.severity]`` like every other. A workbook without the «Пояснения»
sheet (made before issue 18) is checked as before by I05; these rules then only look at
boilerplate (H13) in its «Обоснование отклонений».
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sheetprog import spec
from sheetprog.checks.base import GROUPS, Context, Emit, reader_rule, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import money, percent
from sheetprog.fmt import number as num
from sheetprog.program.deviations import (
    Deviation,
    Shortfall,
    boilerplate,
    funding_shortfalls,
    indicator_deviations,
    program_notes,
)
from sheetprog.program.history import funding_items, indicator_item
from sheetprog.program.reader import EXPLANATIONS_UNREADABLE
from sheetprog.project.deviations import project_deviations, project_items, project_shortfalls
from sheetprog.project.model import ProjectProgram
from sheetprog.values import normalize_text

ERR, WARN = Severity.ERROR, Severity.WARNING
G = GROUPS[2]  # «Показатели»

reader_rule(
    EXPLANATIONS_UNREADABLE,
    WARN,
    "Лист «Пояснения» не прочитан",
    "На листе «Пояснения» не найдены заголовки (Раздел, Строка, Год, Причина, Пояснение …): "
    "пояснения к отклонениям не прочитаны. Верните заголовки шаблона.",
)


def _annual(ctx: Context) -> bool | None:
    period = ctx.program.passport.reporting_period
    return None if period is None else period.is_annual


def _deviations(ctx: Context) -> list[Deviation]:
    if not ctx.program.has_explanations_sheet:
        return []
    return _all_deviations(ctx)


def _all_deviations(ctx: Context) -> list[Deviation]:
    """Either structure's (the project's: ``sheetprog.project.deviations``, issue 18 item 5);
    found once per run of the checks (three rules use them)."""

    def find() -> list[Deviation]:
        c = ctx.config
        if isinstance(ctx.program, ProjectProgram):
            return project_deviations(ctx.program, c.deviation_under, c.deviation_over)
        return indicator_deviations(ctx.program, c.deviation_under, c.deviation_over)

    return ctx.once("deviations", find)


def _shortfalls(ctx: Context) -> list[Shortfall]:
    if not ctx.program.has_explanations_sheet:
        return []

    def find() -> list[Shortfall]:
        tolerance = ctx.config.money_tolerance or ctx.tolerance()
        if isinstance(ctx.program, ProjectProgram):
            return project_shortfalls(ctx.program, ctx.config.funding_under, tolerance)
        return funding_shortfalls(ctx.program, ctx.config.funding_under, tolerance)

    return ctx.once("shortfalls", find)


PROJECT = ("project",)  # H08–H13, H15, H16, H17 run for the project structure too


def _what(dev: Deviation) -> str:
    word = "план не достигнут" if dev.sign < 0 else "план перевыполнен"
    return (
        f"«{dev.item}»: {dev.period.label} — план {dev.target.canonical()}, факт "
        f"{num(dev.fact)} ({word}, {percent(dev.ci)} плана)"
    )


def _where(section: str, item: str, year: int) -> str:
    shown = f", строка «{item}»" if item else ""
    return (
        f"нет пояснения на листе «{spec.SHEET_EXPLANATIONS}» (раздел «{section}»{shown}, "
        f"год {year})"
    )


def _unexplained(ctx: Context, emit: Emit, annual: bool) -> None:
    if _annual(ctx) is not annual:
        return
    for dev in _deviations(ctx):
        if not dev.explained:
            emit(
                f"{_what(dev)}: {_where(spec.SECTION_INDICATOR, dev.item, dev.period.year)}",
                ref=dev.cell,
                value=dev.fact,
            )


_INDICATOR_HELP = (
    "Показатель не достиг плана (или перевыполнил его больше порога deviation_over, по "
    "умолчанию на 10 %), а на листе «Пояснения» нет строки «показатель» с его кодом и "
    "годом, где объяснена причина (в отчётном году годится и «Обоснование отклонений»). "
    "Пороги — [checks.tolerance] deviation_under и deviation_over. В структуре проектов так "
    "же объясняются и результаты (в «Строке» — номер результата)."
)


@rule(
    "H08",
    G,
    WARN,
    "Отклонение показателя за год не объяснено (квартал)",
    _INDICATOR_HELP,
    also=PROJECT,
)
def unexplained_quarter(ctx: Context, emit: Emit) -> None:
    _unexplained(ctx, emit, annual=False)


@rule(
    "H09",
    G,
    ERR,
    "Отклонение показателя за год не объяснено (годовой отчёт)",
    _INDICATOR_HELP,
    also=PROJECT,
)
def unexplained_annual(ctx: Context, emit: Emit) -> None:
    _unexplained(ctx, emit, annual=True)


def _unspent(ctx: Context, emit: Emit, annual: bool) -> None:
    if _annual(ctx) is not annual:
        return
    for short in _shortfalls(ctx):
        if not short.explained:
            emit(
                f"«{short.item}»: {short.year} год — план {money(short.plan)}, кассовое "
                f"исполнение {money(short.cash)} тыс. руб. ({percent(short.share)}): не "
                f"указаны причины неосвоения (лист «{spec.SHEET_EXPLANATIONS}», раздел "
                f"«{spec.SECTION_FUNDING}», год {short.year})",
                ref=short.cell,
                value=short.cash,
            )


_FUNDING_HELP = (
    "Кассовое исполнение строки финансирования за год ниже плана (больше порога "
    "funding_under, по умолчанию — любое недоисполнение сверх допуска на округление), а на "
    "листе «Пояснения» нет строки «финансирование» с причинами неосвоения за этот год. "
    "Квартальное исполнение с годовым планом не сравнивается."
)


@rule(
    "H10",
    GROUPS[4],
    WARN,
    "Причины неосвоения средств не указаны (квартал)",
    _FUNDING_HELP,
    also=PROJECT,
)
def unspent_quarter(ctx: Context, emit: Emit) -> None:
    _unspent(ctx, emit, annual=False)


@rule(
    "H11",
    GROUPS[4],
    ERR,
    "Причины неосвоения средств не указаны (годовой отчёт)",
    _FUNDING_HELP,
    also=PROJECT,
)
def unspent_annual(ctx: Context, emit: Emit) -> None:
    _unspent(ctx, emit, annual=True)


@rule(
    "H12",
    G,
    ERR,
    "Нет мер и предложений по программе (годовой отчёт)",
    "В годовом отчёте при отклонениях показателей или неосвоении средств нужны принятые "
    "меры и предложения по дальнейшей реализации программы: строка «программа» отчётного "
    "года на листе «Пояснения» с заполненными «Меры» и «Предложения». Отчёт приводит их "
    "в разделе предложений.",
    also=PROJECT,
)
def measures_and_proposals(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None or not period.is_annual or not ctx.program.has_explanations_sheet:
        return
    deviations = [d for d in _deviations(ctx) if d.period == period]
    shortfalls = [s for s in _shortfalls(ctx) if s.year == period.year]
    if not deviations and not shortfalls:
        return
    notes = program_notes(ctx.program, period.year)
    missing = [
        header
        for key, header in (("measures", "Меры"), ("proposals", "Предложения"))
        if notes is None or not getattr(notes, key)
    ]
    if missing:
        emit(
            f"{period.label}: отклонений показателей {len(deviations)}, строк с неосвоением "
            f"{len(shortfalls)} — не заполнено: "
            + ", ".join(f"«{m}»" for m in missing)
            + f" (раздел «{spec.SECTION_PROGRAM}», год {period.year})",
            ref=(notes.cells.get("measures") if notes else None),
            sheet=spec.SHEET_EXPLANATIONS,
        )


@rule(
    "H13",
    G,
    WARN,
    "Одно и то же пояснение к отклонениям разного знака",
    "Один и тот же текст объясняет и недостижение плана одним показателем, и перевыполнение "
    "другим: такой шаблонный текст не объясняет ни того, ни другого. Напишите причину для "
    "каждого показателя.",
    also=PROJECT,
)
def repeated_boilerplate(ctx: Context, emit: Emit) -> None:
    deviations = _all_deviations(ctx)
    for text, devs in boilerplate(deviations):
        names = ", ".join(
            f"«{d.item}» ({d.period.year}, {'−' if d.sign < 0 else '+'})" for d in devs
        )
        for dev in devs:
            where = dev.explanation.cells.get("text") if dev.explanation else None
            emit(
                f"«{text[:60]}» — одно пояснение для {names}",
                ref=where or dev.indicator.cells.get("justification"),
                value=text,
            )


@rule(
    "H15",
    G,
    WARN,
    "Пояснение ни к чему не относится",
    "Строка листа «Пояснения» называет раздел, показатель или строку финансирования, "
    "которых нет в книге, или причину не из списка. Исправьте «Раздел», «Строку» или "
    "«Причину» (как в сообщении проверки).",
    also=PROJECT,
)
def stray_explanations(ctx: Context, emit: Emit) -> None:
    program = ctx.program
    if isinstance(program, ProjectProgram):
        names = project_items(program)
        items = {section: {normalize_text(n) for n in found} for section, found in names.items()}
    else:
        items = {
            spec.SECTION_INDICATOR: {normalize_text(indicator_item(i)) for i in program.indicators},
            spec.SECTION_FUNDING: {normalize_text(f) for f in funding_items(program.funding)},
        }
    reasons = {normalize_text(r) for r in spec.DEVIATION_REASONS}
    for row in program.explanations:
        section = normalize_text(row.section or "")
        for problem, key in _stray(row.item, section, row.category, items, reasons):
            emit(problem, ref=row.cells.get(key), value=getattr(row, key))


def _stray(
    item: str | None,
    section: str,
    category: str | None,
    items: dict[str, set[str]],
    reasons: set[str],
) -> Iterator[tuple[str, str]]:
    if section not in spec.EXPLANATION_SECTIONS:
        yield f"раздел «{section}» не из списка: показатель, финансирование, программа", "section"
    elif section in items and normalize_text(item or "") not in items[section]:
        yield f"{section} «{item or ''}» в книге не найден", "item"
    if category and normalize_text(category) not in reasons:
        yield f"причина «{category}» не из списка", "category"


# -- facts reported later: the assessment is provisional --------------------------------------


@rule(
    "H16",
    G,
    Severity.INFO,
    "Факт ожидается: оценка предварительная",
    "Вместо факта за отчётный период записано «ожидается ДД.ММ.ГГГГ» (факт сообщат позже, "
    "например краевые органы): показатель исключается из оценки, оценка — предварительная "
    "и будет уточнена после этой даты (calc --previous с этой книгой покажет уточнённую).",
    also=("project",),  # issue 18 item 5: indicators and results
)
def expected_fact(ctx: Context, emit: Emit) -> None:
    period = ctx.program.passport.reporting_period
    if period is None or (ctx.program.KIND == "project" and not period.is_annual):
        return  # within a year the project structure rates by the year-end forecast
    for name, row in _measured(ctx.program):
        if period in row.expected and row.facts.get(period) is None:
            when = row.expected[period]
            emit(
                f"{name}: факт за {period.label} ожидается"
                + (f" {when:%d.%m.%Y}" if when else "")
                + " — оценка предварительная",
                ref=row.cells.get(f"fact.{period.key}"),
            )


def _measured(program: Any) -> Iterator[tuple[str, Any]]:
    """What holds facts «ожидается …»: the indicators (and, in the project structure, the
    results: issue 18 item 5), each with how a finding names it."""
    if program.KIND == "project":
        for row in [*program.indicators, *program.results]:
            yield row.label, row  # «показатель П1», «результат 1.1»
    else:
        for ind in program.indicators:
            yield f"«{ind.label}»", ind


@rule(
    "H17",
    G,
    WARN,
    "Ожидаемый факт без даты",
    "«ожидается» без даты: неизвестно, когда оценку уточнят. Напишите «ожидается 15.03.2026».",
    also=("project",),  # issue 18 item 5: indicators and results
)
def expected_without_date(ctx: Context, emit: Emit) -> None:
    for name, row in _measured(ctx.program):
        for period, when in sorted(row.expected.items()):
            if when is None:
                emit(
                    f"{name}: факт за {period.label} ожидается, дата не указана",
                    ref=row.cells.get(f"fact.{period.key}"),
                )
