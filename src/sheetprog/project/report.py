"""Reports of a program in the project structure: quarterly monitoring (with the year-end
forecast), the annual report and the final report — contexts (pure) and the maker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetprog import fmt
from sheetprog.periods import Period, Span
from sheetprog.project.assess import ProjectAssessment
from sheetprog.project.model import ProjectProgram
from sheetprog.project.views import SHORT_TYPES
from sheetprog.reports.kinds import (
    PERIOD_WHOLE,
    PERIOD_YEAR,
    ReportKind,
    ReportOptions,
    ReportResult,
)

QUARTER_SPANS = (Span.Q1, Span.H1, Span.M9)


def _period_phrase(period: Period) -> str:
    return f"за {period.label}"


def _explained(program: ProjectProgram, row: Any, year: int) -> str:
    """The «Пояснения» text of the year (issue 18), else the row's «Обоснование отклонений»."""
    from sheetprog import spec
    from sheetprog.program.deviations import find_explanation
    from sheetprog.project.deviations import explanation_item

    found = find_explanation(program, spec.SECTION_INDICATOR, explanation_item(row), year)
    return (found.text if found and found.text else None) or row.justification or ""


def _explanations(program: ProjectProgram, year: int) -> dict[str, Any]:
    """Issue 18: the reasons of unspent funds, the measures and proposals of ``year``."""
    from sheetprog import spec
    from sheetprog.program.deviations import program_notes
    from sheetprog.values import normalize_text

    notes = program_notes(program, year)
    unspent = [
        {"item": e.item or "", "category": e.category or "", "text": e.text or ""}
        for e in program.explanations
        if normalize_text(e.section or "") == spec.SECTION_FUNDING and e.year == year and e.text
    ]
    return {
        "unspent": unspent,
        "measures": (notes.measures or "") if notes else "",
        "proposals": (notes.proposals or "") if notes else "",
    }


def initial_plans(program: ProjectProgram) -> dict[tuple[str, str, int], str]:
    """Issue 18: (sheet, row, year) → the plan as first adopted, for every plan an edition
    changed: «Было» of the earliest edition that changed it (in force order); "—" when it
    was empty. Sheet and row are normalized as «Редакции» names them (project.history)."""
    from sheetprog.program.history import edition_order
    from sheetprog.project.layout import INDICATORS
    from sheetprog.values import normalize_text as norm

    header = INDICATORS.column("plan").header  # «План {year}» on every tracked sheet
    years = {norm(header.format(year=y)): y for y in program.years}
    out: dict[tuple[str, str, int], str] = {}
    for edition in sorted(program.editions, key=edition_order):
        for row in edition.changes:
            year = years.get(norm(row.field or ""))
            if year is not None:
                key = (norm(row.sheet or ""), norm(row.item or ""), year)
                out.setdefault(key, row.old or "—")
    return out


def project_context(
    kind: str,
    program: ProjectProgram,
    a: ProjectAssessment,
    errors: list[Any],
    *,
    today: dt.date | None = None,
    years: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    from sheetprog.project.history import funding_items, measured_items
    from sheetprog.project.layout import SHEET_FUNDING, SHEET_INDICATORS, SHEET_RESULTS
    from sheetprog.reports.context import edition_rows
    from sheetprog.reports.kinds import REPORT_KINDS
    from sheetprog.values import normalize_text as norm

    p = program.passport
    period, year = a.period, a.period.year
    initial = initial_plans(program)

    def first(sheet: str, item: str, digits: int | None = None) -> str:
        """The initial plan as the cell beside it is shown: «1 234,5»; text as recorded."""
        text = initial.get((norm(sheet), norm(item), year), "")
        try:
            value = Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ArithmeticError:
            return text
        return fmt.number(value, digits) if value.is_finite() else text

    indicator = {d.key: d for s in a.elements for d in s.indicators}
    indicator.update({d.key: d for d in a.program_indicators})
    result = {d.key: d for s in a.elements for d in s.results}
    elements = {e.code: e for e in program.elements}
    indicators = []
    names = dict(
        zip(
            map(id, program.indicators),
            measured_items(program.indicators, SHEET_INDICATORS),
            strict=True,
        )
    )
    for i in sorted(program.indicators, key=lambda i: (i.level or "", i.element or "")):
        d = indicator.get(i.key)
        indicators.append(
            {
                "key": i.key,
                "name": i.name or "",
                "level": (i.level or "—").split(" ")[0],
                "element": i.element or "программа",
                "unit": i.unit or "",
                "base": i.base,
                "plan": i.plan.get(year),
                "plan_initial": first(SHEET_INDICATORS, names[id(i)]),  # issue 18
                "fact": i.facts.get(period),
                "forecast": i.forecast.get(year),
                "degree": d.value if d else None,
                "note": (d.note or "") if d else "",
                "justification": _explained(program, i, year),
            }
        )
    results = []
    for r, item in zip(
        program.results, measured_items(program.results, SHEET_RESULTS), strict=True
    ):
        d = result.get(r.key)
        results.append(
            {
                "number": r.key,
                "element": r.element or "",
                "name": r.name or "",
                "unit": r.unit or "",
                "plan": r.plan.get(year),
                "plan_initial": first(SHEET_RESULTS, item),  # issue 18
                "fact": r.facts.get(period),
                "forecast": r.forecast.get(year),
                "degree": d.value if d else None,
                "state": (d.note or "") if d else "",
                "justification": _explained(program, r, year),
            }
        )
    points = []
    for s in a.elements:
        for pt in s.points:
            state = (
                "достигнута в срок"
                if pt.on_time and pt.due
                else "достигнута с нарушением срока"
                if pt.actual and pt.due
                else "не достигнута"
                if pt.due
                else "срок не наступил"
            )
            source = next((x for x in program.points if x.key == pt.key), None)
            points.append(
                {
                    "number": pt.key,
                    "result": pt.result or "",
                    "name": pt.name,
                    "planned": pt.planned,
                    "actual": pt.actual,
                    "document": (source.document or "") if source else "",
                    "state": state,
                    "explanation": (source.explanation or "") if source else "",
                }
            )
    funding = []
    quarters = [f"cash_{s.name.lower()}" for s in QUARTER_SPANS]
    money_keys = ("plan", "budget_initial", "budget_list", "cash", "cash_year", *quarters)
    totals: dict[str, Decimal | None] = dict.fromkeys(money_keys)  # None: no row has it
    for f, item in zip(program.funding, funding_items(program.funding), strict=True):
        row = {
            "element": f.element or "",
            "plan_initial": first(SHEET_FUNDING, item, 2),  # issue 18
            "kcsr": f.kcsr or "",
            "source": f.source_text or (f.source.value if f.source else ""),
            "plan": f.plan.get(year),
            "budget_initial": f.budget_initial.get(year),
            "budget_list": f.budget_list.get(year),
            "cash": f.cash.get(period),
            **{f"cash_{s.name.lower()}": f.cash.get(Period(year, s)) for s in QUARTER_SPANS},
            "cash_year": f.cash.get(Period(year)),
        }
        funding.append(row)
        for key in money_keys:
            value = row[key]
            if isinstance(value, Decimal):
                totals[key] = (totals[key] or Decimal(0)) + value
    return {
        "report": {
            "title": REPORT_KINDS[kind].heading,
            "date": today or dt.date.today(),
            "period": _period_phrase(period),
            "as_of": a.as_of,
        },
        "project": {
            "program": {
                "title": p.program_name or "",
                "municipality": p.municipality or "",
                "approval": p.approval or "",
                "curator": p.curator or "",
                "responsible": p.responsible or "",
                "co_executors": ", ".join(p.co_executors),
                "years": f"{p.first_year}–{p.last_year}",
                "national_goals": p.national_goals or "",
                "regional_program": p.regional_program or "",
                "signatory_position": p.signatory_position or "",
                "signatory_name": p.signatory_name or "",
                "contact": p.executor or "",
                "note": p.note or "",
            },
            "assessment": {
                "method": a.method.name,
                "value": a.value,
                "rating": a.rating or "",
                "sdp": a.sdp,
                "conclusion": a.conclusion,
                "notes": a.notes,
                "annual": a.period.is_annual,
                "status": a.status,  # issue 18: предварительная / уточнённая / окончательная
                "status_text": a.status_text,
            },
            "elements": [
                {
                    "code": s.code,
                    "name": s.name,
                    "type": SHORT_TYPES.get(s.type, s.type),
                    "responsible": (elements[s.code].responsible or "")
                    if s.code in elements
                    else "",
                    "sdp": s.sdp,
                    "srm": s.srm,
                    "skt": s.skt,
                    "ssuz": s.ssuz,
                    "eis": s.eis,
                    "er": s.er,
                    "results": f"{s.results_done} из {s.results_counted}",
                    "points": f"{s.points_on_time} из {s.points_due}",
                }
                for s in a.elements
            ],
            "indicators": indicators,
            "results": results,
            "points": points,
            "funding": funding,
            "funding_total": totals,
            "years": years or [],
            **_explanations(program, year),
        },
        "errors": [
            {"code": e.code, "sheet": e.sheet or "", "cell": e.cell or "", "message": e.message}
            for e in errors
        ],
        "has_errors": bool(errors),
        "editions": edition_rows(program),  # issue 18: the table of amendments
    }


def make_project_report(
    kind: ReportKind, program: ProjectProgram, path: Path, options: ReportOptions, settings: Any
) -> ReportResult:
    """Check, assess and render one of the project structure's reports."""
    from sheetprog.checks.run import run_checks
    from sheetprog.checks.severity import Severity
    from sheetprog.errors import ReportBlockedError
    from sheetprog.program.kind import choose_period
    from sheetprog.project.assess import assess_project, project_method
    from sheetprog.reports.filters import plural
    from sheetprog.reports.render import write_report
    from sheetprog.reports.template_files import default_template

    report = run_checks(program, settings.checks)
    if report.errors and options.on_errors == "block" and not options.despite_errors:
        raise ReportBlockedError(
            f"В книге «{path}» {plural(report.errors, 'ошибка', 'ошибки', 'ошибок')} проверки "
            "(sheetprog check): отчёт не сформирован. Исправьте ошибки или добавьте "
            "--despite-errors, чтобы вынести их в приложение."
        )
    method = project_method(
        None, settings.project_table, str(settings.path), program.passport.methodology
    )
    chosen = choose_period(program, options.period, path)  # type: ignore[arg-type]
    if kind.period in (PERIOD_YEAR, PERIOD_WHOLE):
        chosen = Period(chosen.year)
    years = None
    if kind.period == PERIOD_WHOLE:
        years = []
        for y in program.years:
            if y > chosen.year:
                break
            ya = assess_project(program, Period(y), method)
            if ya.value is not None:
                years.append({"year": y, "value": ya.value, "rating": ya.rating or ""})
    assessment = assess_project(program, chosen, method)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    context = project_context(
        kind.name, program, assessment, errors, today=options.today, years=years
    )
    word = kind.file_word
    target = options.out or path.parent / f"{word} {chosen.label}.docx"
    template = options.template or default_template(kind.name)
    pdf_path = write_report(template, context, target, replace=options.replace, pdf=options.pdf)
    return ReportResult(target, pdf_path, report.errors)


def project_sample() -> dict[str, Any]:
    """A complete sample context (the lint's and the docs' variables)."""
    from sheetprog.model import Direction, Edition, EditionRow, Explanation, Source
    from sheetprog.project.assess import PRESETS, assess_project
    from sheetprog.project.model import (
        ControlPoint,
        Element,
        ElementFunding,
        ProjectIndicator,
        ProjectPassport,
        Result,
    )

    y = Period(2025)
    program = ProjectProgram(
        passport=ProjectPassport(
            municipality="Город N",
            program_name="Развитие муниципальной службы",
            first_year=2025,
            last_year=2027,
            reporting_year=2025,
            co_executors=["Отдел кадров"],
        ),
        elements=[Element("4 01", "комплекс процессных мероприятий", "Обучение", "Отдел")],
        indicators=[
            ProjectIndicator(
                number="1", element="4 01", name="Обучено", unit="человек",
                plan={2025: Decimal(4)}, facts={y: Decimal(3)}, forecast={2025: Decimal(4)},
                code="П1", level="КПМ", direction=Direction.UP,
            )
        ],
        results=[
            Result(
                number="1.1", element="4 01", name="Обучены служащие", unit="человек",
                plan={2025: Decimal(4)}, facts={y: Decimal(3)}, forecast={2025: Decimal(4)},
                indicators=["П1"],
            )
        ],
        points=[ControlPoint("1.1.1", "1.1", "Договор", dt.date(2025, 6, 1), dt.date(2025, 6, 1))],
        explanations=[
            Explanation("финансирование", "4 01 · местный бюджет", 2025,
                        "экономия по итогам закупок", "Экономия по итогам закупки"),
            Explanation("программа", None, 2025, None, None, "Курсы перенесены",
                        "Продолжить реализацию"),
        ],
        funding=[
            ElementFunding(
                "4 01", "Обучение", "0140100010", Source.LOCAL, "местный бюджет",
                {2025: Decimal(100)}, {2025: Decimal(100)}, {2025: Decimal(90)},
                {y: Decimal(90), Period(2025, Span.Q1): Decimal(10)},
            )
        ],
        editions=[
            Edition(
                "постановление", "45", dt.date(2025, 6, 20), dt.date(2025, 6, 20),
                "решение о бюджете", "план показателя П1",
                changes=[EditionRow(sheet="Показатели", item="П1", field="План 2025",
                                    old="3", new="4")],
            )
        ],
    )  # fmt: skip
    a = assess_project(program, y, PRESETS["federal-2023"])
    context = project_context(
        "project-annual",
        program,
        a,
        [],
        today=dt.date(2026, 2, 1),
        years=[{"year": 2025, "value": a.value, "rating": a.rating or ""}],
    )
    context["errors"] = [{"code": "C01", "sheet": "Результаты", "cell": "A4", "message": "…"}]
    return context
