"""The template context: program + assessment + findings → plain data for docxtpl. Pure.

``build_context`` is the single place that decides what a report can say;
docs/templates.md lists every variable (generated from ``describe``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sheetprog.assess.engine import assess
from sheetprog.assess.methodology import Methodology
from sheetprog.assess.result import Assessment, IndicatorResult
from sheetprog.checks.report import CheckReport
from sheetprog.checks.severity import Severity
from sheetprog.model import Activity, Program, Status, counted_funding
from sheetprog.periods import Period
from sheetprog.reports.filters import money, pct, years_label
from sheetprog.reports.kinds import PERIOD_WHOLE, REPORT_KINDS
from sheetprog.targets import TargetOp

SOURCES = ("федеральный бюджет", "региональный бюджет", "местный бюджет", "внебюджетные источники")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _quoted(name: str) -> str:
    """The program name in «» unless it already has them."""
    return name if "«" in name or not name else f"«{name}»"


def _status_of(r: IndicatorResult) -> str:
    if r.excluded:
        return "не может быть определено"
    if (
        r.achieved
        and r.ci is not None
        and r.ci > 1
        and r.target
        and r.target.op in (TargetOp.EQ, TargetOp.GE, TargetOp.GT)
    ):
        return "перевыполнено"
    return "достигнуто" if r.achieved else "не достигнуто"


def _indicator_rows(program: Program, a: Assessment) -> list[dict[str, Any]]:
    prev = Period(a.period.year - 1)
    before_start = program.years[0] - 1 if program.years else None
    initial = initial_plans(program)
    rows = []
    for index, (ind, r) in enumerate(zip(program.indicators, a.indicators, strict=True), 1):
        prev_fact = ind.fact(prev)
        if prev_fact is None and prev.year == before_start:
            prev_fact = ind.base  # the base value is the year before the program's first
        rows.append(
            {
                "index": index,  # rows numbered as listed (the workbook's numbers repeat)
                "number": _text(ind.number),
                "code": r.code,
                "name": r.name,
                "unit": _text(ind.unit),
                "subprogram": _text(ind.subprogram),
                "plan": r.target.canonical() if r.target and r.target.is_set else "—",
                "plan_initial": initial.get((_item_key(ind), a.period.year), ""),  # issue 18
                "fact": r.fact,
                "prev_fact": prev_fact,
                "achievement": r.ci,
                "achievement_raw": r.ci_raw,
                "status": _status_of(r),
                "justification": _year_text(program, ind, a.period.year)
                or _text(ind.justification)
                or _text(r.reason if r.excluded else ""),
            }
        )
    return rows


def _groups(program: Program, rows: list[dict[str, Any]], what: str) -> list[dict[str, Any]]:
    """Rows grouped as the reports show them: the program itself, then each subprogram."""
    names = {s.number: s.name for s in program.passport.subprograms}
    title = program.passport.program_name or "Муниципальная программа"
    groups: list[dict[str, Any]] = []
    keys: list[str] = []
    for row in rows:
        if row["subprogram"] not in keys:
            keys.append(row["subprogram"])
    for key in sorted(keys, key=lambda k: (k != "", k)):
        label = (
            (f"Подпрограмма {key} «{names[key]}»" if key in names else f"Подпрограмма {key}")
            if key
            else f"Муниципальная программа {title}"
        )
        groups.append({"title": label, what: [r for r in rows if r["subprogram"] == key]})
    return groups


def _activity_rows(program: Program, a: Assessment) -> list[dict[str, Any]]:
    results = {x.number: x for x in a.activities}
    rows = []
    for act in program.activities:
        result = results.get(act.number or "")
        rows.append(
            {
                "number": _text(act.number),
                "name": _text(act.name),
                "subprogram": (result.subprogram if result else None) or "",
                "is_main": act.is_main,
                "responsible": _text(act.responsible),
                "co_executors": ", ".join(act.co_executors),
                "executors": ", ".join([x for x in [act.responsible, *act.co_executors] if x]),
                "planned_start": act.planned_start.text if act.planned_start else "—",
                "planned_end": act.planned_end.text if act.planned_end else "—",
                "actual_start": act.actual_start.text if act.actual_start else "—",
                "actual_end": act.actual_end.text if act.actual_end else "—",
                "planned": _term(act.planned_start, act.planned_end),
                "described": _joined(
                    _text(act.name)
                    + (
                        f" ({', '.join(x for x in [act.responsible, *act.co_executors] if x)})"
                        if act.responsible or act.co_executors
                        else ""
                    ),
                    "Ожидаемый результат",
                    _text(act.expected_result),
                ),
                "outcome": _joined(_text(act.achieved_result), "Проблемы", _text(act.problems)),
                "actual": _term(act.actual_start, act.actual_end),
                "expected_result": _text(act.expected_result),
                "achieved_result": _text(act.achieved_result),
                "status": act.status.value if act.status else "не указан",
                "problems": _text(act.problems),
                "overdue": bool(result and result.overdue),
            }
        )
    return rows


def _joined(first: str, label: str, second: str) -> str:
    """ "Обучено 28 человек. Проблемы: …": the second text, when there is one, as a sentence
    of its own after the first."""
    if not second:
        return first
    if not first:
        return f"{label}: {second}"
    stop = "" if first.rstrip().endswith((".", "!", "?", "…")) else "."
    return f"{first.rstrip()}{stop} {label}: {second}"


def _term(start: Any, end: Any) -> str:
    """ "15.01.2021 – 31.12.2021", or one text when both are the same or one is missing."""
    texts: list[str] = [x.text for x in (start, end) if x is not None]
    if not texts:
        return "—"
    if len(texts) == 2 and texts[0] != texts[1]:
        return f"{texts[0]} – {texts[1]}"
    return texts[-1]


def _activity_summary(program: Program, a: Assessment) -> dict[str, int]:
    counted = [x for x in a.activities if x.counted]
    statuses = [x.status for x in counted]
    return {
        "total": len(program.activities),
        "counted": len(counted),
        "done": sum(1 for x in counted if x.done),
        "partial": statuses.count(Status.PARTIAL.value),
        "not_done": sum(1 for x in counted if not x.done and x.status != Status.PARTIAL.value),
        "in_progress": sum(1 for x in a.activities if x.status == Status.IN_PROGRESS.value),
        "overdue": sum(1 for x in counted if x.overdue),
    }


def _indicator_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    statuses = [r["status"] for r in rows]
    return {
        "total": len(rows),
        "achieved": statuses.count("достигнуто"),
        "over": statuses.count("перевыполнено"),
        "not_achieved": statuses.count("не достигнуто"),
        "undetermined": statuses.count("не может быть определено"),
    }


def _funding_rows(program: Program, period: Period, method: Methodology) -> list[dict[str, Any]]:
    """Program → subprogram → activity × source: plan, actual, execution."""
    by_number = {act.number: act for act in program.activities}
    names = {s.number: s.name for s in program.passport.subprograms}

    def sub_of(act: Activity | None) -> str:
        while act is not None:
            if act.subprogram:
                return act.subprogram
            act = by_number.get(act.parent_number or "")
        return ""

    entries = []
    for line in counted_funding(program.funding):  # a subtotal line counts its remainder
        if method.sources is not None and line.source not in method.sources:
            continue
        plans = line.budget_list if method.plan_base == "budget_list" else line.plan
        plan, actual = plans.get(period.year), line.cash.get(period)
        if plan is None and actual is None:
            continue
        act = by_number.get(line.activity)
        entries.append(
            (
                sub_of(act),
                line.activity or "",
                act.name if act else line.activity_name,
                line.source.value if line.source else _text(line.source_text),
                plan or Decimal(0),
                actual or Decimal(0),
            )
        )

    def row(
        level: str, number: str, name: Any, source: str, items: Iterable[tuple[Any, ...]]
    ) -> dict[str, Any]:
        items = list(items)
        plan = sum((i[4] for i in items), Decimal(0))
        actual = sum((i[5] for i in items), Decimal(0))
        return {
            "level": level,
            "number": number,
            "name": _text(name),
            "source": source,
            "plan": plan,
            "actual": actual,
            "execution": actual / plan if plan else None,
            "unspent": plan - actual,
        }

    rows = [row("program", "", program.passport.program_name, "Всего", entries)]
    rows += [
        row("program", "", "", s, [e for e in entries if e[3] == s])
        for s in SOURCES
        if any(e[3] == s for e in entries)
    ]
    # grouped in one pass each (issue 21: a scan of every entry per activity was quadratic),
    # in the order of first appearance
    for sub, items in sorted(_grouped(entries, 0).items()):
        if sub:
            rows.append(
                row("subprogram", sub, f"Подпрограмма {sub} «{names.get(sub, '')}»", "Всего", items)
            )
        for number, mine in _grouped(items, 1).items():
            for source, lines in _grouped(mine, 3).items():
                rows.append(row("activity", number, mine[0][2], source, lines))
    return rows


def _grouped(entries: list[tuple[Any, ...]], at: int) -> dict[Any, list[tuple[Any, ...]]]:
    """Entries by their value at position ``at``, in the order each value first appears."""
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for entry in entries:
        groups.setdefault(entry[at], []).append(entry)
    return groups


def _problems(program: Program) -> list[str]:
    return [f"{a.number}: {a.problems}" for a in program.activities if a.problems]


def _note(a: Assessment, summary: dict[str, int], problems: list[str]) -> str:
    total = a.funding_total
    parts = [
        f"По состоянию на конец отчётного периода ({a.period.label}) выполнено "
        f"{summary['done']} из {summary['counted']} мероприятий, срок которых наступил; "
        f"выполняются {summary['in_progress']}; не выполнено в срок {summary['overdue']}.",
        f"Кассовое исполнение составило {money(total.actual)} тыс. руб. из "
        f"{money(total.plan)} тыс. руб., предусмотренных на {a.period.year} год "
        f"({pct(total.execution)}).",
    ]
    if problems:
        parts.append("Проблемы, указанные исполнителями: " + "; ".join(problems) + ".")
    return " ".join(parts)


def _verdict(rows: list[dict[str, Any]]) -> str:
    determined = [r for r in rows if r["status"] != "не может быть определено"]
    if not determined:
        return "достижение целей не может быть оценено: нет фактических значений показателей"
    reached = sum(1 for r in determined if r["status"] in ("достигнуто", "перевыполнено"))
    if reached == len(determined):
        return "цели муниципальной программы достигнуты"
    if reached * 2 >= len(determined):
        return "цели муниципальной программы достигнуты частично"
    return "цели муниципальной программы не достигнуты"


def _years_table(program: Program, method: Methodology, years: list[int]) -> list[dict[str, Any]]:
    rows = []
    for year in years:
        yearly = assess(program, Period(year), method)
        total = yearly.funding_total
        rows.append(
            {
                "year": year,
                "plan": total.plan,
                "actual": total.actual,
                "execution": total.execution,
                "scores": {s.key: s.value for s in yearly.scores},
                "rating_value": yearly.rating.value,
                "rating": yearly.rating.label,
            }
        )
    return rows


def _final_indicators(program: Program, years: list[int]) -> list[dict[str, Any]]:
    rows = []
    for ind in program.indicators:
        cells = []
        for year in years:
            target = ind.plan.get(year)
            cells.append(
                {
                    "year": year,
                    "plan": target.canonical() if target else "—",
                    "fact": ind.fact(Period(year)),
                }
            )
        rows.append(
            {
                "number": _text(ind.number),
                "code": ind.label,
                "name": _text(ind.name),
                "unit": _text(ind.unit),
                "years": cells,
            }
        )
    return rows


def build_context(
    kind: str,
    program: Program,
    assessment: Assessment,
    method: Methodology,
    report: CheckReport | None = None,
    *,
    today: dt.date | None = None,
    chart: bytes | None = None,
    years: list[int] | None = None,
    funding_chart: bytes | None = None,
) -> dict[str, Any]:
    """Everything a template may use. See docs/templates.md for the list. ``years``: the
    years a report over the whole program covers (default: the program's years up to the
    period)."""
    report_kind = REPORT_KINDS[kind]
    whole = report_kind.period == PERIOD_WHOLE
    a, p = assessment, program.passport
    indicators = _indicator_rows(program, a)
    activities = _activity_rows(program, a)
    summary = _activity_summary(program, a)
    problems = _problems(program)
    errors = [f for f in (report.findings if report else []) if f.severity is Severity.ERROR]
    years = years or [y for y in program.years if y <= a.period.year] or [a.period.year]
    not_covered = [y for y in program.years if y not in years] if whole else []
    low = a.rating.value is not None and a.rating.value < Decimal("0.7")
    explained = _explained(program, a.period.year)
    context: dict[str, Any] = {
        "report": {
            "kind": kind,
            "title": report_kind.heading,
            "years": years_label(years),
            "not_covered": years_label(not_covered),
            "date": today or dt.date.today(),
            "method_name": a.method_name,
        },
        "program": {
            "municipality": _text(p.municipality),
            "name": _text(p.program_name),
            "title": _quoted(_text(p.program_name)),
            "code": _text(p.program_code),
            "responsible": _text(p.responsible_executor),
            "co_executors": ", ".join(p.co_executors),
            "participants": ", ".join(p.participants),
            "goal": _text(p.goal),
            "tasks": list(p.tasks),
            "subprograms": [{"number": s.number, "name": s.name} for s in p.subprograms],
            "first_year": p.first_year,
            "last_year": p.last_year,
            "years": f"{p.first_year}–{p.last_year}" if p.years else "",
            "signatory_position": _text(p.signatory_position),
            "signatory_name": _text(p.signatory_name),
            "contact_person": _text(p.contact_person),
            "contact_phone": _text(p.contact_phone),
            "note": _text(p.note),
        },
        "period": {
            "key": a.period.key,
            "label": a.period.label,
            "year": a.period.year,
            "span": a.period.span.label,
            "is_annual": a.period.is_annual,
            "end_date": a.period.end_date,
        },
        "indicators": indicators,
        "indicators_with_facts": [r for r in indicators if r["fact"] is not None],
        "indicator_groups": _groups(program, indicators, "rows"),
        "indicator_summary": _indicator_summary(indicators),
        "activities": activities,
        "activity_groups": _groups(program, activities, "rows"),
        "activity_summary": summary,
        "funding": _funding_rows(program, a.period, method),
        "funding_by_source": [
            {"label": g.label, "plan": g.plan, "actual": g.actual, "execution": g.execution}
            for g in a.funding_by_source
        ],
        "funding_total": {
            "plan": a.funding_total.plan,
            "actual": a.funding_total.actual,
            "execution": a.funding_total.execution,
            "unspent": a.funding_total.plan - a.funding_total.actual,
        },
        "scores": [
            {
                "key": s.key,
                "title": s.title,
                "value": s.value,
                "formula": s.formula,
                "inputs": "; ".join(f"{k}: {v}" for k, v in s.inputs.items()),
                "note": _text(s.note),
            }
            for s in a.scores
        ],
        "rating": {"value": a.rating.value, "label": a.rating.label, "phrase": a.rating.phrase},
        "conclusion": a.conclusion,
        "proposals": explained["proposals"]
        or (
            (
                "Предлагается проанализировать причины невыполнения мероприятий и "
                "недостижения показателей, скорректировать программу и сроки, усилить "
                "контроль за исполнением."
            )
            if low
            else ""
        ),
        "editions": edition_rows(program),  # issue 18: the table of amendments
        "measures": explained["measures"],
        "assessment_status": {  # issue 18: provisional until the expected facts arrive
            "status": a.status,
            "text": a.status_text,
            "refine_after": a.refine_after,
        },
        "deviation_reasons": explained["deviation_reasons"],
        "unspent_reasons": explained["unspent_reasons"],
        "problems": problems,
        "note": _note(a, summary, problems),
        "errors": [
            {"code": f.code, "sheet": _text(f.sheet), "cell": _text(f.cell), "message": f.message}
            for f in errors
        ],
        "has_errors": bool(errors),
        "chart": chart,
        "funding_chart": funding_chart,
        "years": years,
        "years_table": _years_table(program, method, years) if whole else [],
        "final_indicators": _final_indicators(program, years) if whole else [],
        "verdict": _verdict(indicators),
    }
    return context


# -- issue 18: the clerk's explanations («Пояснения») quoted ----------------------------------


def _year_text(program: Program, ind: Any, year: int) -> str:
    """The indicator's explanation of ``year`` from «Пояснения» ("" when there is none)."""
    from sheetprog.program.history import indicator_item
    from sheetprog.values import normalize_text

    item = normalize_text(indicator_item(ind))
    for row in program.explanations:
        if (
            normalize_text(row.section or "") == "показатель"
            and normalize_text(row.item or "") == item
            and row.year == year
            and row.text
        ):
            return row.text
    return ""


def _explained(program: Program, year: int) -> dict[str, Any]:
    """The «Пояснения» of ``year`` as the annual report quotes them: the indicators'
    reasons, the funding lines' reasons of under-spending, the measures and proposals."""
    from sheetprog import spec
    from sheetprog.fmt import shorten
    from sheetprog.program.deviations import program_notes
    from sheetprog.program.history import indicator_item
    from sheetprog.values import normalize_text

    names = {normalize_text(indicator_item(i)): i for i in program.indicators}
    deviations, unspent = [], []
    for row in program.explanations:
        if row.year != year or not row.text:
            continue
        section = normalize_text(row.section or "")
        entry = {"item": _text(row.item), "category": _text(row.category), "text": row.text}
        if section == spec.SECTION_INDICATOR:
            ind = names.get(normalize_text(row.item or ""))
            title = f" «{shorten(ind.name, 90)}»" if ind is not None and ind.name else ""
            entry["name"] = f"показатель {entry['item']}{title}"
            deviations.append(entry)
        elif section == spec.SECTION_FUNDING:
            number, *rest = entry["item"].split(" · ")
            entry["name"] = ", ".join([f"мероприятие {number}", *rest])
            unspent.append(entry)
    notes = program_notes(program, year)
    return {
        "deviation_reasons": deviations,
        "unspent_reasons": unspent,
        "measures": _text(notes.measures) if notes else "",
        "proposals": _text(notes.proposals) if notes else "",
    }


# -- issue 18: editions: plans «первоначальные / действующие», the table of amendments -------


def _item_key(ind: Any) -> str:
    from sheetprog.program.history import indicator_item
    from sheetprog.values import normalize_text

    return normalize_text(indicator_item(ind))


def initial_plans(program: Program) -> dict[tuple[str, int], str]:
    """(indicator, year) → the plan as first adopted: «Было» of the earliest edition that
    changed it (in force order), for the plans an edition changed; "" when it was empty."""
    from sheetprog import spec
    from sheetprog.program.history import edition_order
    from sheetprog.values import normalize_text

    out: dict[tuple[str, int], str] = {}
    header = spec.INDICATORS.column("plan").header
    for edition in sorted(program.editions, key=edition_order):
        for row in edition.changes:
            if normalize_text(row.sheet or "") != normalize_text(spec.SHEET_INDICATORS):
                continue
            for year in program.years:
                if normalize_text(row.field or "") == normalize_text(header.format(year=year)):
                    out.setdefault((normalize_text(row.item or ""), year), row.old or "—")
    return out


def edition_rows(program: Any) -> list[dict[str, Any]]:
    """The editions as the table of amendments lists them, in force order (a model of
    either structure: both have ``editions``)."""
    from sheetprog.program.history import edition_order

    return [
        {
            "title": e.title,
            "act_kind": _text(e.act_kind),
            "number": _text(e.act_number),
            "date": e.act_date,
            "in_force": e.in_force,
            "reason": _text(e.reason),
            "description": _text(e.description),
            "changes": len(e.changes),
        }
        for e in sorted(program.editions, key=edition_order)
    ]


def amendment_context(program: Program, today: dt.date | None = None) -> dict[str, Any]:
    """The «было / стало» annex of a draft amending resolution: the latest edition's
    changes by sheet (a draft's act may have no number or date yet)."""
    from sheetprog import spec
    from sheetprog.fmt import shorten
    from sheetprog.program.history import edition_order, funding_items, indicator_item
    from sheetprog.values import normalize_text

    p = program.passport
    editions = sorted(program.editions, key=edition_order)
    latest = editions[-1] if editions else None
    names = {normalize_text(indicator_item(i)): i for i in program.indicators}
    lines = {
        normalize_text(item): line
        for item, line in zip(funding_items(program.funding), program.funding, strict=True)
    }
    passport, indicators, funding = [], [], []
    for row in latest.changes if latest else []:
        sheet = normalize_text(row.sheet or "")
        change = {"old": _text(row.old) or "—", "new": _text(row.new) or "—"}
        if sheet == normalize_text(spec.SHEET_PASSPORT):
            passport.append({"field": _text(row.item), **change})
        elif sheet == normalize_text(spec.SHEET_INDICATORS):
            ind = names.get(normalize_text(row.item or ""))
            indicators.append(
                {
                    "number": _text(row.item),
                    "name": shorten(ind.name, 120) if ind and ind.name else "",
                    "unit": _text(ind.unit) if ind else "",
                    "column": _text(row.field),
                    **change,
                }
            )
        else:
            line = lines.get(normalize_text(row.item or ""))
            funding.append(
                {
                    "item": _text(row.item),
                    "name": shorten(line.activity_name, 120) if line and line.activity_name else "",
                    "column": _text(row.field),
                    **change,
                }
            )
    return {
        "report": {"date": today or dt.date.today(), "title": "«было / стало»"},
        "program": {
            "municipality": _text(p.municipality),
            "name": _text(p.program_name),
            "title": _quoted(_text(p.program_name)),
            "responsible": _text(p.responsible_executor),
            "signatory_position": _text(p.signatory_position),
            "signatory_name": _text(p.signatory_name),
            "contact_person": _text(p.contact_person),
            "contact_phone": _text(p.contact_phone),
        },
        "edition": {
            "title": latest.title if latest else "",
            "act_kind": _text(latest.act_kind) if latest else "",
            "number": _text(latest.act_number) if latest else "",
            "date": latest.act_date if latest else None,
            "reason": _text(latest.reason) if latest else "",
            "description": _text(latest.description) if latest else "",
        },
        "passport_changes": passport,
        "indicator_changes": indicators,
        "funding_changes": funding,
        "editions": edition_rows(program),
    }
