"""Effectiveness of a program in the project structure, as configurable presets. Pure.

For a period (year, or a quarter to date) and each structural element э:

- СДПi — degree of achievement of indicator i: Ф/П («рост») or П/Ф («снижение»), at most
  ``cap``; for a part of a year the year-end forecast stands for Ф (quarterly monitoring);
- СДПэ — the mean of СДПi over the element's indicators; СДПмп over the program's own
  indicators (no element), or over all of them when the program has none of its own;
- СРМэ — degree of execution of results: results whose Ф/П ≥ ``result_threshold`` over the
  results with a plan for the year;
- СКТэ — degree of execution of control points: points reached by their planned date over
  the points whose planned date has come (the reporting date, else the period's end);
- СРЭэ = (1 − ``points_weight``)·СРМэ + ``points_weight``·СКТэ;
- ССУЗэ — cash execution over the plan base (the budget list at the reporting date, at
  1 January, or the program's plan), all sources or the ones listed;
- ЭИСэ = СРЭэ / ССУЗэ (spending efficiency); ЭРэ = СДПэ × ЭИСэ (ЭИСэ alone when the
  element has no indicators with data);
- ЭРмп = 0.5·СДПмп + 0.5·Σ ЭРэ·kэ, kэ the element's share of the plan base («weighted»),
  or 0.5·СДПмп + 0.5·mean(ЭРэ) («mean»). The rounded ЭРмп is compared with the bands.

Coefficients are exact Decimals; only the rated figure is rounded (``final_digits``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sheetprog.assess.methodology import FEDERAL_BANDS, Band
from sheetprog.assess.result import AssessmentStatus
from sheetprog.errors import ConfigError, UsageError
from sheetprog.fmt import quantize
from sheetprog.model import Direction, Source
from sheetprog.periods import Period
from sheetprog.project.layout import METHODS
from sheetprog.project.model import Element, ProjectIndicator, ProjectProgram, Result
from sheetprog.spec import parse_source
from sheetprog.values import normalize_text

ONE = Decimal(1)
HALF = Decimal("0.5")


@dataclass(frozen=True)
class ProjectMethod:
    key: str
    name: str
    cap: Decimal | None = ONE  # upper limit of each СДПi; None: no cap
    result_threshold: Decimal = ONE  # a result is executed when Ф/П reaches this
    points_weight: Decimal = Decimal(0)  # share of СКТ in СРЭ (0: points reported, not rated)
    points_late: str = "miss"  # a point reached after its date: "miss" or "count"
    plan_base: str = "budget_list"  # budget_list (reporting date), budget_initial, program
    sources: tuple[Source, ...] | None = None  # None: all sources
    program: str = "weighted"  # weighted (by plan-base shares) or mean
    final_digits: int = 4
    bands: tuple[Band, ...] = FEDERAL_BANDS

    def band(self, value: Decimal) -> Band:
        for band in self.bands:
            if band.min is None or value > band.min or (band.inclusive and value == band.min):
                return band
        return self.bands[-1]


PRESETS: dict[str, ProjectMethod] = {
    "federal-2023": ProjectMethod("federal-2023", METHODS["federal-2023"]),
    "elements-mean": ProjectMethod(
        "elements-mean",
        METHODS["elements-mean"],
        result_threshold=Decimal("0.95"),
        points_weight=HALF,
        plan_base="budget_initial",
        program="mean",
    ),
}
DEFAULT = "federal-2023"
CHOICES = {
    "points_late": ("miss", "count"),
    "plan_base": ("budget_list", "budget_initial", "program"),
    "program": ("weighted", "mean"),
}


def preset(name: str) -> ProjectMethod:
    norm = normalize_text(name)
    for key, method in PRESETS.items():
        if norm in (key, normalize_text(method.name)):
            return method
    raise UsageError(
        f"Методика «{name}» для программы в структуре проектов не найдена. Встроенные: "
        + "; ".join(f"{k} («{m.name}»)" for k, m in PRESETS.items())
        + ". Свою задайте в разделе [project] файла sheetprog.toml."
    )


def method_from_table(table: dict[str, Any], source: str, base: ProjectMethod) -> ProjectMethod:
    """The [project] table of sheetprog.toml over ``base`` (its ``preset`` key chooses it)."""
    errors: list[str] = []
    changes: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(ProjectMethod)} - {"key", "name", "bands"}
    for key, value in table.items():
        where = f"project.{key}"
        if key == "preset":
            continue
        if key not in names:
            errors.append(
                f"{where}: неизвестный параметр (допустимы preset, {', '.join(sorted(names))})"
            )
        elif key in CHOICES:
            if value not in CHOICES[key]:
                errors.append(f"{where}: допустимо {', '.join(CHOICES[key])}")
            else:
                changes[key] = value
        elif key == "sources":
            parsed = [parse_source(str(v)) for v in value] if isinstance(value, list) else [None]
            if any(p is None for p in parsed):
                errors.append(f'{where}: ожидается список источников, например ["местный бюджет"]')
            else:
                changes[key] = tuple(p for p in parsed if p is not None)
        elif key == "final_digits":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 8:
                errors.append(f"{where}: целое число от 0 до 8")
            else:
                changes[key] = value
        elif key == "cap" and value is False:
            changes[key] = None
        else:
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                number = Decimal(-1)
            if isinstance(value, bool) or not Decimal(0) <= number <= Decimal(10):
                errors.append(f"{where}: число от 0 до 10")
            elif key == "points_weight" and number > ONE:
                errors.append(f"{where}: доля от 0 до 1")
            else:
                changes[key] = number
    if errors:
        raise ConfigError(
            f"Файл настроек «{source}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors)
        )
    return dataclasses.replace(base, **changes)


def project_method(
    name: str | None,
    table: dict[str, Any] | None = None,
    source: str = "sheetprog.toml",
    passport: str | None = None,
) -> ProjectMethod:
    """--method, else the [project] table's ``preset``, else the passport's «Методика
    оценки», else the default (as [methodology] does for the old structure); then the
    [project] table's options."""
    table = table or {}
    chosen = name or table.get("preset") or passport or DEFAULT
    return method_from_table(table, source, preset(str(chosen)))


# -- the assessment -------------------------------------------------------------------------


@dataclass
class Degree:
    key: str
    name: str
    plan: Decimal | None
    fact: Decimal | None
    value: Decimal | None  # None: not counted (see note)
    note: str | None = None
    element: str | None = None


@dataclass
class PointState:
    key: str
    name: str
    result: str | None
    planned: dt.date | None
    actual: dt.date | None
    due: bool
    on_time: bool
    element: str | None = None


@dataclass
class ElementScore:
    code: str
    name: str
    type: str
    indicators: list[Degree] = field(default_factory=list)
    results: list[Degree] = field(default_factory=list)
    points: list[PointState] = field(default_factory=list)
    sdp: Decimal | None = None
    srm: Decimal | None = None
    skt: Decimal | None = None
    sre: Decimal | None = None
    base: Decimal = Decimal(0)
    cash: Decimal = Decimal(0)
    ssuz: Decimal | None = None
    eis: Decimal | None = None
    er: Decimal | None = None
    share: Decimal | None = None

    @property
    def results_done(self) -> int:
        return sum(1 for r in self.results if r.value is not None and r.note == "выполнен")

    @property
    def results_counted(self) -> int:
        return sum(1 for r in self.results if r.value is not None)

    @property
    def points_due(self) -> int:
        return sum(1 for p in self.points if p.due)

    @property
    def points_on_time(self) -> int:
        return sum(1 for p in self.points if p.due and p.on_time)


@dataclass
class ProjectAssessment(AssessmentStatus):
    file: str | None
    period: Period
    method: ProjectMethod
    as_of: dt.date
    elements: list[ElementScore]
    program_indicators: list[Degree]
    sdp: Decimal | None  # СДПмп
    value: Decimal | None  # ЭРмп, rounded
    rating: str | None  # None: part of a year, or nothing to rate
    phrase: str | None
    conclusion: str
    notes: list[str] = field(default_factory=list)
    # issue 18: facts marked «ожидается» («показатель П1», «результат 1.1» → the date)
    expected: dict[str, dt.date | None] = field(default_factory=dict)
    refined_from: tuple[Decimal | None, str | None] | None = None  # (ЭРмп, rating) before

    @property
    def annual(self) -> bool:
        return self.period.is_annual

    @property
    def status_text(self) -> str:
        """What calc, the «Оценка» sheet and the reports say ("" for a plain final one)."""
        from sheetprog.fmt import percent

        if self.provisional:
            when = f"после {self.refine_after:%d.%m.%Y}" if self.refine_after else None
            return (
                f"Оценка предварительная: будет уточнена {when or 'после поступления фактов'}"
                f" (ожидаются факты: {', '.join(self.expected)})."
            )
        if self.refined_from is not None:
            value, rating = self.refined_from
            was = percent(value) if value is not None else "—"
            return f"Оценка уточнённая: предварительная оценка была {was} — {rating or '—'}."
        return ""


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _ratio(fact: Decimal, plan: Decimal, direction: Direction | None) -> Decimal | None:
    """Ф/П or П/Ф; a zero plan for «рост», or a zero fact for «снижение», is policy below."""
    if direction is Direction.DOWN:
        if fact == 0:
            return ONE if plan >= 0 else None  # brought to zero: the best a decrease can do
        return plan / fact
    if plan == 0:
        return None  # a zero plan of a growing value gives no degree (noted, not counted)
    return fact / plan


def _value(m: Any, period: Period) -> tuple[Decimal | None, str | None]:
    """The fact a degree uses: the period's; for a part of a year, the year-end forecast."""
    if period.is_annual:
        return m.facts.get(period), None
    forecast = m.forecast.get(period.year)
    return forecast, "по прогнозу на конец года"


def _expected(m: Any, period: Period) -> str | None:
    """«факт ожидается 15.03.2026» when the degree needs the period's fact (a year: within a
    year the forecast stands for it) and the cell says «ожидается …» (issue 18)."""
    if not period.is_annual or period not in m.expected or m.facts.get(period) is not None:
        return None
    when = m.expected[period]
    return "факт ожидается" + (f" {when:%d.%m.%Y}" if when else "")


def _indicator(ind: ProjectIndicator, period: Period, method: ProjectMethod) -> Degree:
    plan = ind.plan.get(period.year)
    fact, how = _value(ind, period)
    degree = Degree(ind.key, ind.name or "", plan, fact, None, how, ind.element)
    if plan is None:
        degree.note = "нет плана на год"
    elif (expected := _expected(ind, period)) is not None:
        degree.note = expected  # not counted until the fact arrives: the rating is provisional
    elif fact is None:
        degree.note = "нет прогноза на конец года" if how else "нет факта"
    else:
        value = _ratio(fact, plan, ind.direction)
        if value is None:
            degree.note = "план равен нулю"
        else:
            degree.value = min(value, method.cap) if method.cap is not None else value
    return degree


def _result(res: Result, period: Period, method: ProjectMethod) -> Degree:
    plan = res.plan.get(period.year)
    fact, how = _value(res, period)
    degree = Degree(res.key, res.name or "", plan, fact, None, how, res.element)
    if plan is None:
        degree.note = "нет плана на год"
    elif (expected := _expected(res, period)) is not None:
        degree.note = expected  # not counted until the fact arrives: the rating is provisional
    elif fact is None:
        degree.note = "нет прогноза на конец года" if how else "нет факта"
    elif plan == 0:
        degree.value = ONE if fact >= 0 else Decimal(0)
        degree.note = "выполнен" if fact >= 0 else "не выполнен"
    else:
        degree.value = min(fact / plan, ONE)
        degree.note = "выполнен" if fact / plan >= method.result_threshold else "не выполнен"
    return degree


def _spending(rows: list[Any], period: Period, method: ProjectMethod) -> tuple[Decimal, Decimal]:
    """The plan base and the cash of an element's funding ``rows``."""
    base = cash = Decimal(0)
    for row in rows:
        if method.sources and row.source not in method.sources:
            continue
        source = {
            "budget_list": row.budget_list,
            "budget_initial": row.budget_initial,
            "program": row.plan,
        }[method.plan_base]
        base += source.get(period.year) or Decimal(0)
        cash += row.cash.get(period) or Decimal(0)
    return base, cash


def assess_project(
    program: ProjectProgram, period: Period, method: ProjectMethod
) -> ProjectAssessment:
    as_of = period.end_date  # the reporting date when it lies in the period's year before its end
    reporting_date = program.passport.reporting_date
    if reporting_date is not None and reporting_date.year == period.year <= as_of.year:
        as_of = min(reporting_date, as_of)
    by_result = {r.key: r for r in program.results}
    parts = _by_element(program, by_result)  # one pass, not one per element (issue 21)
    scores: list[ElementScore] = []
    for element in program.elements:
        items = parts.get(element.code or "", _Parts())
        scores.append(_element(element, items, period, method, as_of))
    own = [i for i in program.indicators if not i.element]
    program_degrees = [_indicator(i, period, method) for i in (own or program.indicators)]
    sdp = _mean([d.value for d in program_degrees if d.value is not None])
    notes: list[str] = []
    if not own and program.indicators:
        notes.append("у программы нет собственных показателей: СДПмп — по всем показателям")
    total_base = sum((s.base for s in scores if s.er is not None), Decimal(0))
    rated = [s for s in scores if s.er is not None]
    for s in rated:
        s.share = s.base / total_base if total_base else None
    part: Decimal | None
    if not rated:
        part = None
    elif method.program == "mean" or not total_base:
        part = _mean([s.er for s in rated if s.er is not None])
        if method.program != "mean":
            notes.append("план расходов элементов равен нулю: ЭРэ усреднены без весов")
    else:
        part = sum((s.er * (s.share or 0) for s in rated if s.er is not None), Decimal(0))
    value: Decimal | None
    if not period.is_annual or (part is None and sdp is None):
        value = None
    elif part is None or sdp is None:
        value = quantize(part if part is not None else sdp, method.final_digits)  # type: ignore[arg-type]
        notes.append(
            "ЭРмп — по одной составляющей: "
            + ("нет показателей с данными" if sdp is None else "нет оцениваемых элементов")
        )
    else:
        value = quantize(HALF * sdp + HALF * part, method.final_digits)
    band = method.band(value) if value is not None and period.is_annual else None
    if not period.is_annual:
        notes.append(
            "за часть года ЭИС, ЭР и рейтинг не рассчитываются; СДП и СРМ — по прогнозу на "
            "конец года, ССУЗ — кассовое исполнение к плану года"
        )
    return ProjectAssessment(
        program.source_path,
        period,
        method,
        as_of,
        scores,
        program_degrees,
        sdp,
        value,
        band.label if band else None,
        band.phrase if band else None,
        _conclusion(band, period),
        notes,
        expected={
            label: m.expected[period]
            for label, m in [
                *((i.label, i) for i in program.indicators),
                *((r.label, r) for r in program.results),
            ]
            if m.plan.get(period.year) is not None and _expected(m, period) is not None
        },
    )


def refine_project(current: ProjectAssessment, earlier: ProjectAssessment) -> bool:
    """Issue 18: ``current`` refines ``earlier`` (the same period, assessed before) when that
    one was provisional and this one is not; it keeps the earlier ЭРмп and rating."""
    if earlier.period != current.period or not earlier.provisional or current.provisional:
        return False
    current.refined_from = (earlier.value, earlier.rating)
    return True


@dataclass
class _Parts:
    """An element's indicators, results, control points (of its results) and funding rows,
    in the program's order."""

    indicators: list[Any] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    points: list[Any] = field(default_factory=list)
    funding: list[Any] = field(default_factory=list)


def _by_element(program: ProjectProgram, by_result: dict[str, Result]) -> dict[str | None, _Parts]:
    """Each element code's parts (looked up by ``element.code or ""``: an item without an
    element belongs to none)."""
    parts: dict[str | None, _Parts] = {}
    for indicator in program.indicators:
        parts.setdefault(indicator.element, _Parts()).indicators.append(indicator)
    for result in program.results:
        parts.setdefault(result.element, _Parts()).results.append(result)
    for point in program.points:
        served = by_result.get(point.result or "")
        if served is not None:
            parts.setdefault(served.element, _Parts()).points.append(point)
    for row in program.funding:
        parts.setdefault(row.element, _Parts()).funding.append(row)
    return parts


def _element(
    element: Element,
    items: _Parts,
    period: Period,
    method: ProjectMethod,
    as_of: dt.date,
) -> ElementScore:
    code = element.code or ""
    score = ElementScore(code, element.name or "", element.type or "")
    score.indicators = [_indicator(i, period, method) for i in items.indicators]
    score.results = [_result(r, period, method) for r in items.results]
    for point in items.points:
        due = point.planned is not None and point.planned <= as_of
        reached = point.actual is not None and point.actual <= as_of
        on_time = reached and (
            method.points_late == "count"
            or (
                point.planned is not None
                and point.actual is not None
                and point.actual <= point.planned
            )
        )
        score.points.append(
            PointState(
                point.key, point.name or "", point.result, point.planned, point.actual, due,
                on_time, code,
            )
        )  # fmt: skip
    score.sdp = _mean([d.value for d in score.indicators if d.value is not None])
    counted = score.results_counted
    score.srm = Decimal(score.results_done) / counted if counted else None
    points_due = score.points_due
    score.skt = Decimal(score.points_on_time) / points_due if points_due else None
    parts = [(ONE - method.points_weight, score.srm), (method.points_weight, score.skt)]
    present = [(w, v) for w, v in parts if v is not None and w > 0]
    weight = sum((w for w, _ in present), Decimal(0))
    score.sre = sum((w * v for w, v in present), Decimal(0)) / weight if weight else None
    score.base, score.cash = _spending(items.funding, period, method)
    score.ssuz = score.cash / score.base if score.base else None
    if score.sre is not None and period.is_annual:  # monitoring within a year: no ЭИС, ЭР
        score.eis = score.sre / score.ssuz if score.ssuz else score.sre
        score.er = score.sdp * score.eis if score.sdp is not None else score.eis
    return score


def _conclusion(band: Band | None, period: Period) -> str:
    if band is None:
        return (
            f"Сведения о ходе реализации за {period.label}: итоговая оценка эффективности "
            "даётся по итогам года."
        )
    return (
        "На основе оценки степени достижения показателей, выполнения мероприятий "
        "(результатов), контрольных точек и эффективности использования средств "
        f"эффективность реализации муниципальной программы признаётся {band.phrase}."
    )
