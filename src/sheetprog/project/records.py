"""A project-structure program as a batch record: the same summary fields and detail rows
as a program in the old structure, so a region consolidates both in one run. Pure.

What maps to what: the rated figure is ЭРмп; «activities» are the results (executed /
counted); indicators carry their СДПi; funding by source compares cash with the plan base
of the program's methodology. The region's ranking methodology ([region] methodology) is
one of the old structure's: a project-structure program is ranked by its own ЭРмп (its
record carries the run's ``region_method``, so the store reuses it in the next run as it
reuses any record assessed for that ranking)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sheetprog.batch.records import (
    STATUS_ERRORS,
    STATUS_OK,
    ActivityRow,
    FindingRow,
    FundingRow,
    IndicatorRow,
    Record,
)
from sheetprog.checks.severity import Severity
from sheetprog.project.assess import ProjectAssessment
from sheetprog.project.model import ProjectProgram
from sheetprog.serialize import to_jsonable


def _number(value: Decimal | None) -> Any:
    return to_jsonable(value)


def project_record(
    *,
    file: str,
    digest: str,
    mtime: float,
    program: ProjectProgram,
    report: Any,
    assessment: ProjectAssessment,
    region_method: str | None = None,
) -> Record:
    p = program.passport
    a = assessment
    indicators = {d.key: d for s in a.elements for d in s.indicators}
    indicators.update({d.key: d for d in a.program_indicators})
    fact_key = f"fact.{a.period.key}"
    indicator_rows = []
    for ind in program.indicators:
        d = indicators.get(ind.key)
        plan = ind.plan.get(a.period.year)
        indicator_rows.append(
            IndicatorRow(
                ind.key,
                ind.name or "",
                ind.unit,
                None if plan is None else str(_number(plan)),
                _number(d.fact) if d else None,
                _number(d.value) if d else None,
                None if d is None or d.value is None else d.value >= 1,
                ind.cells.get(fact_key),
            )
        )
    results = [r for s in a.elements for r in s.results]
    by_source: dict[str, list[Decimal]] = {}
    for row in program.funding:
        if a.method.sources and row.source not in a.method.sources:
            continue
        base = {
            "budget_list": row.budget_list,
            "budget_initial": row.budget_initial,
            "program": row.plan,
        }[a.method.plan_base].get(a.period.year) or Decimal(0)
        cash = row.cash.get(a.period) or Decimal(0)
        label = row.source.value if row.source else (row.source_text or "")
        pair = by_source.setdefault(label, [Decimal(0), Decimal(0)])
        pair[0] += base
        pair[1] += cash
    funding = [
        FundingRow(label, _number(plan), _number(cash), _number(cash / plan) if plan else None)
        for label, (plan, cash) in by_source.items()
    ]
    total_plan = sum((v[0] for v in by_source.values()), Decimal(0))
    total_cash = sum((v[1] for v in by_source.values()), Decimal(0))
    errors = report.errors
    value = _number(a.value)
    return Record(
        file=file,
        hash=digest,
        mtime=mtime,
        status=STATUS_OK if errors == 0 else STATUS_ERRORS,
        municipality=p.municipality,
        oktmo=p.oktmo,
        program=p.program_name,
        program_code=p.program_code,
        period=a.period.key,
        errors=errors,
        warnings=report.count(Severity.WARNING),
        scores={"СДПмп": _number(a.sdp), "ЭРмп": value},
        rating_value=value,
        rating=a.rating,
        funding_plan=_number(total_plan),
        funding_actual=_number(total_cash),
        activities_done=sum(1 for r in results if r.value is not None and r.note == "выполнен"),
        activities_counted=sum(1 for r in results if r.value is not None),
        method=a.method.name,
        region_method=region_method,
        region_value=value,
        region_rating=a.rating,
        provisional=(  # issue 18: the batch note lists ratings that changed when refined
            (a.refine_after.isoformat() if a.refine_after else "да") if a.provisional else None
        ),
        indicators=indicator_rows,
        activities=[
            ActivityRow(r.key, r.name, r.note, r.note == "выполнен", False) for r in results
        ],
        funding=funding,
        findings=[FindingRow.of(f) for f in report.findings],
    )
