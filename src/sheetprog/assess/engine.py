"""The effectiveness engine: program + period + methodology → assessment with every step.

Indicators (Ci with the documented policies), activities (counted, done, overdue)
and funding (plan, actual, execution) are computed here; the coefficients of each
methodology family are formed in ``scores``. Decimal arithmetic throughout;
rounding only where the methodology says. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sheetprog.assess.methodology import Methodology
from sheetprog.assess.result import ActivityResult, Assessment, FundingGroup, IndicatorResult
from sheetprog.assess.scores import average_scores, federal_scores, rate
from sheetprog.fmt import number, quantize
from sheetprog.model import (
    Activity,
    Direction,
    FundingLine,
    Indicator,
    Program,
    Status,
    clean_number,
    counted_funding,
    enclosing_numbers,
)
from sheetprog.periods import Period
from sheetprog.targets import Target, TargetOp
from sheetprog.timing import TimingKind

ZERO = Decimal(0)
ONE = Decimal(1)


def assess(program: Program, period: Period, method: Methodology) -> Assessment:
    indicators = [indicator_result(i, period, method) for i in program.indicators]
    _apply_weights(indicators, method)
    activities = activity_results(program, period, method)
    by_source, by_subprogram, total = funding_groups(program, period, method)
    if method.family == "federal":
        scores, rated = federal_scores(
            program, indicators, activities, by_subprogram, total, method
        )
    else:
        scores, rated = average_scores(indicators, activities, total, method)
    rating, conclusion = rate(scores, rated, period, method)
    notes = [f"{r.code}: {r.reason}" for r in indicators if r.excluded and r.reason]
    outside = [a for a in activities if a.counted and not a.subprogram]
    if method.family == "federal" and outside and any(a.subprogram for a in activities):
        notes.append(
            f"мероприятия вне подпрограмм ({', '.join(a.number for a in outside)}) в СРм не "
            "входят: федеральная методика считает СРм по подпрограммам"
        )
    return Assessment(
        file=program.source_path,
        period=period,
        method_key=method.key,
        method_name=method.name,
        family=method.family,
        indicators=indicators,
        activities=activities,
        funding_by_source=by_source,
        funding_by_subprogram=by_subprogram,
        funding_total=total,
        scores=scores,
        rating=rating,
        conclusion=conclusion,
        notes=notes,
        expected={
            ind.label: ind.expected[period]
            for ind in program.indicators
            if period in ind.expected and ind.fact(period) is None
        },
    )


def refine(current: Assessment, earlier: Assessment) -> bool:
    """Issue 18: ``current`` refines ``earlier`` (the same period, assessed before) when
    that one was provisional and this one is not; then it keeps the earlier rating in
    ``refined_from`` (its status becomes «уточнённая»). True when it does."""
    if earlier.period != current.period or not earlier.provisional or current.provisional:
        return False
    current.refined_from = earlier.rating
    return True


# -- indicators ---------------------------------------------------------------------------


def indicator_result(ind: Indicator, period: Period, method: Methodology) -> IndicatorResult:
    target = ind.plan.get(period.year)
    fact = ind.fact(period)
    plan_key, fact_key = f"plan.{period.year}", f"fact.{period.key}"
    result = IndicatorResult(
        code=ind.label,
        name=ind.name or "",
        subprogram=ind.subprogram,
        unit=ind.unit,
        direction=ind.direction.value if ind.direction else None,
        target=target,
        plan=target.value if target else None,
        fact=fact,
        ci=None,
        ci_raw=None,
        achieved=None,
        excluded=True,
        reason=None,
        justification=ind.justification,
        weight_input=ind.weight,
        cells={k: ind.cells[k] for k in (plan_key, fact_key) if k in ind.cells},
    )
    if target is None or not target.is_set:
        result.reason = f"нет планового значения на {period.year} год"
        return result
    if fact is None and period in ind.expected:  # issue 18: a fact reported later
        when = ind.expected[period]
        result.reason = f"факт за {period.label} ожидается" + (f" {when:%d.%m.%Y}" if when else "")
        return result
    if fact is None:
        result.reason = f"нет фактического значения за {period.label}"
        if ind.justification:
            result.reason += f" ({ind.justification})"
        return result
    ci, achieved, policy = degree(target, fact, ind.direction or Direction.UP, method.cap)
    result.ci_raw, result.achieved, result.policy = ci, achieved, policy
    if method.cap is not None and ci > method.cap:
        ci = method.cap
        policy.append(f"Ci ограничен значением {number(method.cap)}")
    if method.ci_digits is not None:
        ci = quantize(ci, method.ci_digits)
    result.ci, result.excluded = ci, False
    return result


def degree(
    target: Target, fact: Decimal, direction: Direction, cap: Decimal | None
) -> tuple[Decimal, bool, list[str]]:
    """Ci and "achieved" for one indicator, with the policy notes that applied."""
    policy: list[str] = []
    op, plan = target.op, target.value
    if op in (TargetOp.YES, TargetOp.NO):
        wanted = ONE if op is TargetOp.YES else ZERO
        achieved = fact == wanted
        policy.append("показатель «да/нет»: Ci = 1, если достигнуто, иначе 0")
        return (ONE if achieved else ZERO), achieved, policy
    if op is TargetOp.RANGE:
        assert plan is not None and target.upper is not None
        if plan <= fact <= target.upper:
            return ONE, True, ["факт в пределах диапазона: Ci = 1"]
        if fact < plan:
            if plan == 0:  # a negative fact below «0-B»: the ratio is not a degree at all
                policy.append("факт ниже диапазона «0-…» (отрицательный): Ci = 0")
                return ZERO, False, policy
            policy.append("факт ниже диапазона: Ci = факт / нижняя граница")
            return _ratio(fact, plan, policy), False, policy
        policy.append("факт выше диапазона: Ci = верхняя граница / факт")
        return _ratio(target.upper, fact, policy, best=cap), False, policy
    assert plan is not None
    down = op in (TargetOp.LE, TargetOp.LT) or (op is TargetOp.EQ and direction is Direction.DOWN)
    if op in (TargetOp.GE, TargetOp.GT, TargetOp.LE, TargetOp.LT) and direction is not (
        Direction.DOWN if down else Direction.UP
    ):
        policy.append("направление определено формулировкой плана, а не столбцом «Направление»")
    if down:
        achieved = fact < plan if op is TargetOp.LT else fact <= plan
        if plan == 0:
            if fact == 0:
                policy.append("снижение: план 0 и факт 0 — достигнуто, Ci = 1")
                return ONE, True, policy
            policy.append("снижение: план 0, факт больше 0 — не достигнуто, Ci = 0")
            return ZERO, False, policy
        return _ratio(plan, fact, policy, best=cap), achieved, policy
    achieved = fact > plan if op is TargetOp.GT else fact >= plan
    if plan == 0:
        policy.append("рост: план 0 — достигнуто при факте не меньше 0, Ci = 1")
        return (ONE if fact >= 0 else ZERO), fact >= 0, policy
    return _ratio(fact, plan, policy), achieved, policy


def _ratio(num: Decimal, den: Decimal, policy: list[str], best: Decimal | None = None) -> Decimal:
    if den == 0:  # decrease with fact 0: better than any plan
        value = best if best is not None else ONE
        policy.append(f"снижение: факт 0 при плане больше 0 — лучше плана, Ci = {number(value)}")
        return value
    value = num / den
    if value < 0:
        policy.append("отрицательное отношение: Ci = 0")
        return ZERO
    return value


def _apply_weights(results: list[IndicatorResult], method: Methodology) -> None:
    """Normalised weights over the counted indicators (equal, or the "Вес" column)."""
    counted = [r for r in results if not r.excluded]
    if not counted:
        return
    given = [r.weight_input for r in counted]
    if method.weights == "workbook" and all(w is not None and w >= 0 for w in given):
        total = sum((w for w in given if w is not None), ZERO)
        if total > 0:
            for r in counted:
                assert r.weight_input is not None
                r.weight = r.weight_input / total
            if total != ONE:
                counted[0].policy.append(
                    f"сумма весов учитываемых показателей {number(total)} ≠ 1: веса нормированы"
                )
            return
    if method.weights == "workbook":
        counted[0].policy.append("веса заданы не для всех показателей: применены равные веса")
    for r in counted:
        r.weight = ONE / len(counted)


# -- activities ---------------------------------------------------------------------------


def _subprogram_of(activity: Activity, by_number: dict[str, Activity]) -> str | None:
    current: Activity | None = activity
    while current is not None:
        if current.subprogram:
            return current.subprogram
        parent = current.parent_number
        current = by_number.get(parent) if parent else None
    return None


def activity_results(program: Program, period: Period, method: Methodology) -> list[ActivityResult]:
    by_number = {a.number: a for a in program.activities if a.number}
    enclosing = enclosing_numbers(program.activities)
    funded = {
        f.activity
        for f in program.funding
        if f.activity
        and ((f.plan.get(period.year) or ZERO) > 0 or (f.budget_list.get(period.year) or ZERO) > 0)
    }
    first, last = (
        program.years[0] if program.years else period.year,
        (program.years[-1] if program.years else period.year),
    )
    out: list[ActivityResult] = []
    year = period.year
    for act in program.activities:
        status = act.status_in(year)  # a multi-year activity: that year's status
        result = ActivityResult(
            number=act.number or "",
            name=act.name or "",
            subprogram=_subprogram_of(act, by_number),
            status=status.value if status else None,
            counted=False,
            done=None,
            overdue=False,
            reason=None,
            cells={
                k: act.cells[k] for k in ("status", "planned_end", "result_fact") if k in act.cells
            },
        )
        result.reason = _exclusion(act, status, enclosing, funded, method)
        yearly = year in act.year_status  # assessed on this year's own status
        due = yearly or _is_due(act, period, first, last)
        # «выполнено» as the methodology defines it (the status, or the result with done =
        # "result") decides the deadline rules too
        result.done = _is_done(act, status, act.result_in(year), method)
        if result.reason is None and not due and not result.done:
            result.reason = "срок выполнения ещё не наступил"
        ended = None if yearly else _ended_before(act, period, first, last)
        if result.reason is None and ended is not None and result.done:
            result.reason = f"выполнено в предыдущие годы (срок — {ended:%d.%m.%Y})"
        result.counted = result.reason is None
        result.overdue = result.counted and due and not result.done
        out.append(result)
    return out


def _exclusion(
    act: Activity,
    status: Status | None,
    enclosing: set[str],
    funded: set[str],
    method: Methodology,
) -> str | None:
    if status is Status.CANCELLED:
        return "мероприятие отменено"
    if status is Status.NOT_DUE:
        return "статус «не наступил срок»"
    if method.activities == "main":
        return None if act.is_main else "учитываются только основные мероприятия"
    if act.number and clean_number(act.number) in enclosing:
        return "объединяет вложенные мероприятия (учитываются вложенные)"
    if method.activities == "funded" and (act.no_funding or act.number not in funded):
        return "учитываются только мероприятия с финансированием"
    return None


def _is_due(act: Activity, period: Period, first: int, last: int) -> bool:
    """Whether the activity (or this year's share of a recurring one) is due by the period end."""
    timing = act.planned_end or act.planned_start
    if timing is None or timing.kind is TimingKind.UNKNOWN:
        return True  # cannot tell: counted, and the checks report the missing or odd date
    if timing.kind in (TimingKind.WHOLE, TimingKind.REGULAR, TimingKind.AS_NEEDED):
        return period.is_annual  # the year's share is due at the end of the year
    if timing.kind is TimingKind.ANNUAL:
        return period.is_annual or (timing.quarters or (1, 4))[1] <= int(period.span)
    _start, end = timing.interval(first, last, period.year)
    return end is None or end <= period.end_date


def _ended_before(act: Activity, period: Period, first: int, last: int) -> dt.date | None:
    """The planned end of a one-off activity when it fell in a year before the period's."""
    timing = act.planned_end
    if timing is None or timing.kind not in (TimingKind.DATE, TimingKind.INTERVAL):
        return None
    _start, end = timing.interval(first, last, period.year)
    return end if end is not None and end.year < period.year else None


def _is_done(
    act: Activity, status: Status | None, result: Decimal | None, method: Methodology
) -> bool:
    if method.done == "result" and act.result_plan and result is not None:
        return result / act.result_plan >= method.result_threshold
    return status is Status.DONE


# -- funding ------------------------------------------------------------------------------


def _line_values(
    line: FundingLine, period: Period, method: Methodology
) -> tuple[Decimal | None, Decimal | None, list[str]]:
    year = period.year
    source = line.budget_list if method.plan_base == "budget_list" else line.plan
    key = "budget_list" if method.plan_base == "budget_list" else "plan"
    cells = [line.cells[k] for k in (f"{key}.{year}", f"cash.{period.key}") if k in line.cells]
    return source.get(year), line.cash.get(period), cells


def _group(
    key: str, label: str, items: Iterable[tuple[Decimal | None, Decimal | None, list[str]]]
) -> FundingGroup:
    plan = actual = ZERO
    cells: list[str] = []
    for p, a, c in items:
        plan += p or ZERO
        actual += a or ZERO
        cells.extend(c)
    return FundingGroup(key, label, plan, actual, actual / plan if plan > 0 else None, cells)


def funding_groups(
    program: Program, period: Period, method: Methodology
) -> tuple[list[FundingGroup], list[FundingGroup], FundingGroup]:
    by_number = {a.number: a for a in program.activities if a.number}
    lines = [  # a parent's line counts only beyond its nested activities' lines
        line
        for line in counted_funding(program.funding)
        if method.sources is None or line.source in method.sources
    ]
    values = [(line, _line_values(line, period, method)) for line in lines]
    values = [(ln, v) for ln, v in values if v[0] is not None or v[1] is not None]
    sources = sorted({ln.source for ln, _ in values if ln.source}, key=lambda s: s.value)
    by_source = [
        _group(s.name, s.value, (v for ln, v in values if ln.source is s)) for s in sources
    ]
    names = {s.number: s.name for s in program.passport.subprograms}

    def sub_of(line: FundingLine) -> str:
        act = by_number.get(line.activity or "")
        return (_subprogram_of(act, by_number) if act else None) or ""

    keys = sorted({sub_of(ln) for ln, _ in values})
    by_subprogram = [
        _group(
            k,
            names.get(k, f"Подпрограмма {k}") if k else "Вне подпрограмм",
            (v for ln, v in values if sub_of(ln) == k),
        )
        for k in keys
    ]
    total = _group("total", "Всего", (v for _ln, v in values))
    return by_source, by_subprogram, total
