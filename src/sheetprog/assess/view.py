"""An assessment for people (terminal text) and machines (JSON-compatible dict)."""

from __future__ import annotations

from typing import Any

from sheetprog.assess.result import (
    ActivityResult,
    Assessment,
    FundingGroup,
    IndicatorResult,
    Rating,
)
from sheetprog.fmt import money, number, percent
from sheetprog.serialize import to_jsonable


def funding_dict(g: FundingGroup) -> dict[str, Any]:
    """A funding group as JSON values: the JSON view's and the batch record's funding rows."""
    return {
        "key": g.key,
        "label": g.label,
        "plan": to_jsonable(g.plan),
        "actual": to_jsonable(g.actual),
        "execution": to_jsonable(g.execution),
        "cells": g.cells,
    }


def indicator_dict(r: IndicatorResult) -> dict[str, Any]:
    """An indicator's result as JSON values: the JSON view's and the batch record's rows."""
    return {
        "code": r.code,
        "name": r.name,
        "subprogram": r.subprogram,
        "unit": r.unit,
        "target": r.target.canonical() if r.target else None,
        "plan": to_jsonable(r.plan),
        "fact": to_jsonable(r.fact),
        "ci": to_jsonable(r.ci),
        "ci_raw": to_jsonable(r.ci_raw),
        "achieved": r.achieved,
        "excluded": r.excluded,
        "reason": r.reason,
        "policy": r.policy,
        "weight": to_jsonable(r.weight),
        "cells": r.cells,
    }


def activity_dict(x: ActivityResult) -> dict[str, Any]:
    """An activity's result as JSON values: the JSON view's and the batch record's rows."""
    return {
        "number": x.number,
        "name": x.name,
        "subprogram": x.subprogram,
        "status": x.status,
        "counted": x.counted,
        "done": x.done,
        "overdue": x.overdue,
        "reason": x.reason,
        "cells": x.cells,
    }


def score_values(a: Assessment) -> dict[str, Any]:
    """{score key: value}: the JSON view's ``scores`` and the batch record's."""
    return {s.key: to_jsonable(s.value) for s in a.scores}


def rating_dict(r: Rating) -> dict[str, Any]:
    """The rating as JSON values: the JSON view's ``rating``; the batch record keeps its
    value and label."""
    return {"value": to_jsonable(r.value), "label": r.label, "score": r.score}


def assessment_dict(a: Assessment) -> dict[str, Any]:
    """The whole assessment as JSON values (``sheetprog calc --json``). Its indicators,
    activities, funding, scores and rating come from the functions above, which the batch
    record (``sheetprog.batch.records``) uses too."""
    return {
        "file": a.file,
        "period": a.period.key,
        "period_label": a.period.label,
        "method": a.method_key,
        "method_name": a.method_name,
        "family": a.family,
        "indicators": [indicator_dict(r) for r in a.indicators],
        "activities": [activity_dict(x) for x in a.activities],
        "funding": {
            "total": funding_dict(a.funding_total),
            "by_source": [funding_dict(g) for g in a.funding_by_source],
            "by_subprogram": [funding_dict(g) for g in a.funding_by_subprogram],
        },
        "scores": score_values(a),
        "score_details": [
            {
                "key": s.key,
                "title": s.title,
                "value": to_jsonable(s.value),
                "formula": s.formula,
                "inputs": s.inputs,
                "cells": s.cells,
                "note": s.note,
            }
            for s in a.scores
        ],
        "rating": rating_dict(a.rating),
        "conclusion": a.conclusion,
        "notes": a.notes,
        # issue 18: provisional until the facts marked «ожидается» arrive
        "status": a.status,
        "expected": {code: to_jsonable(d) for code, d in a.expected.items()},
        "refine_after": to_jsonable(a.refine_after),
        "refined_from": rating_dict(a.refined_from) if a.refined_from else None,
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def assessment_text(a: Assessment) -> str:
    lines = [f"Оценка эффективности: {a.period.label}; методика: {a.method_name}", ""]
    header = f"{'Код':<8} {'Показатель':<44} {'План':>12} {'Факт':>10} {'Ci':>9}  Примечание"
    lines += [header, "-" * len(header)]
    for r in a.indicators:
        plan = r.target.canonical() if r.target else "—"
        ci = percent(r.ci) if r.ci is not None else "—"
        note = (
            r.reason
            if r.excluded
            else ("; ".join(r.policy) or ("достигнуто" if r.achieved else "не достигнуто"))
        )
        lines.append(
            f"{_cut(r.code, 8):<8} {_cut(r.name, 44):<44} {_cut(plan, 12):>12} "
            f"{number(r.fact):>10} {ci:>9}  {note or ''}"
        )
    counted = [x for x in a.activities if x.counted]
    lines += [
        "",
        f"Мероприятия: учитывается {len(counted)}, выполнено "
        f"{sum(1 for x in counted if x.done)}, не выполнено в срок "
        f"{sum(1 for x in counted if x.overdue)}",
        f"Финансирование: план {money(a.funding_total.plan)}, факт "
        f"{money(a.funding_total.actual)} тыс. руб., исполнение "
        f"{percent(a.funding_total.execution)}",
        "",
        "Коэффициенты:",
    ]
    for s in a.scores:
        value = percent(s.value) if s.value is not None else (s.note or "—")
        lines.append(f"  {s.key:<10} {value:>10}  {s.formula}")
    rating = percent(a.rating.value) if a.rating.value is not None else "—"
    lines += ["", f"Оценка: {rating} — {a.rating.label}", a.conclusion]
    if a.status_text:  # issue 18
        lines.append(a.status_text)
    return "\n".join(lines)
