"""The context schema: a complete sample context (every list non-empty), used by the template
lint and to generate docs/templates.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from sheetprog.assess.engine import assess
from sheetprog.assess.methodology import preset
from sheetprog.checks.base import Finding
from sheetprog.checks.report import CheckReport
from sheetprog.checks.severity import Severity
from sheetprog.model import (
    Activity,
    Direction,
    Explanation,
    FundingLine,
    Indicator,
    Passport,
    Program,
    Source,
    Status,
    Subprogram,
)
from sheetprog.periods import Period
from sheetprog.reports.context import build_context
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing


def sample_program() -> Program:
    y = Period(2021)
    passport = Passport(
        municipality="Город N",
        program_name="Развитие муниципальной службы",
        program_code="МП-1",
        responsible_executor="Отдел кадров",
        co_executors=["Дума"],
        participants=["Финансовое управление"],
        subprograms=[Subprogram("1", "Кадры")],
        goal="Повышение эффективности",
        tasks=["Обучение"],
        first_year=2020,
        last_year=2022,
        reporting_year=2021,
        signatory_position="Начальник отдела",
        signatory_name="И.И. Иванов",
        contact_person="П.П. Петров",
        contact_phone="8 (000) 000-00-00",
        note="Примечание",
    )
    indicators = [
        Indicator(
            name="Доля обученных",
            code="П1",
            number="1",
            unit="%",
            direction=Direction.UP,
            subprogram="1",
            justification="—",
            plan={2020: parse_target(60), 2021: parse_target(68)},
            facts={Period(2020): Decimal(60), y: Decimal(69)},
        ),
        Indicator(  # issue 18: a fact reported later makes the assessment provisional
            name="Удовлетворённость граждан",
            code="П2",
            number="2",
            unit="%",
            direction=Direction.UP,
            plan={2021: parse_target(70)},
            expected={y: dt.date(2022, 3, 15)},
        ),
    ]
    activities = [
        Activity(
            number="1",
            name="Обучение",
            subprogram="1",
            responsible="Отдел кадров",
            co_executors=["Дума"],
            planned_start=parse_timing(2021),
            planned_end=parse_timing(2021),
            actual_start=parse_timing(2021),
            actual_end=parse_timing(2021),
            expected_result="Обучить 40",
            achieved_result="Обучено 41",
            status=Status.DONE,
            problems="Перенос сроков",
        )
    ]
    funding = [
        FundingLine(
            activity="1",
            source=Source.LOCAL,
            source_text="местный бюджет",
            plan={2020: Decimal(100), 2021: Decimal(150)},
            cash={Period(2020): Decimal(100), y: Decimal(148)},
        )
    ]
    explanations = [  # issue 18: «Пояснения»
        Explanation("показатель", "П1", 2021, "иное", "Пример пояснения"),
        Explanation("финансирование", "1 · местный бюджет", 2021, "иное", "Экономия"),
        Explanation("программа", None, 2021, measures="Меры", proposals="Предложения"),
    ]
    return Program(passport, indicators, activities, funding, explanations=explanations)


@cache
def program_sample() -> dict[str, Any]:
    """The program reports' context, from a sample program with every list filled."""
    program = sample_program()
    method = preset("average")
    assessment = assess(program, Period(2021), method)
    report = CheckReport(None, [Finding("F03", Severity.ERROR, "пример ошибки", "Паспорт", "B19")])
    context = build_context(
        "final",
        program,
        assessment,
        method,
        report,
        today=dt.date(2022, 1, 20),
        chart=b"PNG",
        funding_chart=b"PNG",
    )
    return context


@cache
def amendment_sample() -> dict[str, Any]:
    """Issue 18: the «было / стало» annex's context, from the sample program amended."""
    from sheetprog.model import Edition, EditionRow
    from sheetprog.reports.context import amendment_context

    program = sample_program()
    rows = [
        EditionRow(sheet="Паспорт", item="Объём финансирования, всего, тыс. руб.",
                   field="Значение", old="250", new="270"),
        EditionRow(sheet="Показатели", item="П1", field="План 2021", old="68", new="70"),
        EditionRow(sheet="Финансирование", item="1 · местный бюджет", field="План 2021",
                   old="150", new="170"),
    ]  # fmt: skip
    program.editions = [
        Edition(
            "постановление",
            "123",
            dt.date(2021, 6, 1),
            reason="решение о бюджете",
            description="финансирование 2021 года",
            changes=rows,
        )
    ]
    return amendment_context(program, dt.date(2021, 6, 10))


@cache
def reserve_sample() -> dict[str, Any]:

    from sheetprog.reserve.assess import ReserveSettings, assess_reserve
    from sheetprog.reserve.model import Reserve, ReservePassport, Reservist
    from sheetprog.reserve.views import reserve_context

    person = Reservist(
        ident="R01",
        name="Иванов И.И.",
        position="Начальник отдела",
        included=dt.date(2023, 2, 1),
        appointed=dt.date(2024, 3, 1),
        appointed_position="Начальник отдела",
    )
    reserve = Reserve(ReservePassport(municipality="Город N", year=2024), [person])
    assessment = assess_reserve(reserve, 2024, ReserveSettings())
    return reserve_context(reserve, assessment, today=dt.date(2025, 1, 20))


def context_schema() -> dict[str, Any]:
    """Variable → example value (lists hold one example item), for every registered report
    kind: the union of their sample contexts (the shared «report» keeps every kind's keys)."""
    from sheetprog.reports.kinds import REPORT_KINDS, resolve

    samples: list[dict[str, Any]] = []
    for reference in dict.fromkeys(k.sample for k in REPORT_KINDS.values()):
        samples.append(resolve(reference)())
    schema: dict[str, Any] = {}
    report: dict[str, Any] = {}
    for sample in reversed(samples):  # the first registered kind wins a shared name
        schema.update(sample)
        report.update(sample.get("report", {}))
    schema["report"] = report
    return schema


def kind_schema(name: str) -> dict[str, Any]:
    """Variable → example value of one report kind: its sample context (what its template
    may use)."""
    from sheetprog.errors import UsageError
    from sheetprog.reports.kinds import REPORT_KINDS, resolve

    kind = REPORT_KINDS.get(name)
    if kind is None:
        raise UsageError(f"Вид отчёта «{name}» неизвестен: допустимо {', '.join(REPORT_KINDS)}.")
    return dict(resolve(kind.sample)())
