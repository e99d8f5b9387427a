"""The coefficients of each methodology family, each with its formula in words. Pure."""

from __future__ import annotations

from decimal import Decimal

from sheetprog.assess.methodology import Methodology
from sheetprog.assess.result import ActivityResult, FundingGroup, IndicatorResult, Rating, Score
from sheetprog.fmt import money, number, percent, quantize
from sheetprog.model import Program
from sheetprog.periods import Period

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")


def _round(value: Decimal | None, method: Methodology) -> Decimal | None:
    if value is None or method.score_digits is None:
        return value
    return quantize(value, method.score_digits)


def indicators_average(
    results: list[IndicatorResult], key: str, title: str, method: Methodology, label: str = "C"
) -> Score:
    counted = [r for r in results if not r.excluded and r.ci is not None]
    cells = [c for r in counted for c in r.cells.values()]
    if not counted:
        return Score(
            key,
            title,
            None,
            f"{label}: нет показателей с плановым и фактическим значением",
            cells=cells,
            note="не рассчитывается",
        )
    equal = all(r.weight == counted[0].weight for r in counted)
    weight_sum = sum((r.weight or ZERO for r in counted), ZERO)
    if equal or weight_sum <= 0:
        total = sum((r.ci or ZERO for r in counted), ZERO) / len(counted)
        terms = " + ".join(number(r.ci) for r in counted)
        formula = f"{label} = Σ Ci / n = ({terms}) / {len(counted)}"
    else:
        # the weights of the indicators averaged here, normalised to 1 among themselves
        # (a subprogram's indicators in the federal family, all of them for C); divided
        # last, so an exact half is still a half when the methodology rounds
        shares = [(r.weight or ZERO) / weight_sum for r in counted]
        given = [r.weight_input for r in counted]  # the «Вес» column as typed, when used
        raw = (
            [w or ZERO for w in given]
            if method.weights == "workbook" and all(w is not None for w in given)
            else [r.weight or ZERO for r in counted]
        )
        weighted = sum((w * (r.ci or ZERO) for w, r in zip(raw, counted, strict=True)), ZERO)
        total = weighted / sum(raw, ZERO) if sum(raw, ZERO) > 0 else weighted / weight_sum
        terms = " + ".join(
            f"{number(k)}·{number(r.ci)}" for k, r in zip(shares, counted, strict=True)
        )
        formula = f"{label} = Σ ki·Ci = {terms}"
    value = _round(total, method)
    inputs = {r.code: number(r.ci) for r in counted}
    return Score(key, title, value, f"{formula} = {number(value)}", inputs, cells)


def activities_share(
    results: list[ActivityResult], key: str, title: str, method: Methodology, label: str = "M"
) -> Score:
    counted = [r for r in results if r.counted]
    done = [r for r in counted if r.done]
    cells = [c for r in counted for c in r.cells.values()]
    if not counted:
        return Score(
            key,
            title,
            None,
            f"{label}: нет мероприятий, подлежащих учёту",
            cells=cells,
            note="не рассчитывается",
        )
    value = _round(Decimal(len(done)) / len(counted), method)
    formula = (
        f"{label} = выполненные / учитываемые мероприятия = {len(done)} / {len(counted)} "
        f"= {number(value)}"
    )
    return Score(
        key,
        title,
        value,
        formula,
        {"выполнено": str(len(done)), "учитывается": str(len(counted))},
        cells,
    )


def budget_execution(
    group: FundingGroup, key: str, title: str, method: Methodology, label: str = "Уи"
) -> Score:
    inputs = {"план": money(group.plan), "факт": money(group.actual)}
    if group.execution is None:
        return Score(
            key,
            title,
            None,
            f"{label}: финансирование на период не предусмотрено "
            f"(план {money(group.plan)} тыс. руб.)",
            inputs,
            group.cells,
            note="не рассчитывается",
        )
    value = _round(group.execution, method)
    formula = (
        f"{label} = фактические расходы / плановые = {money(group.actual)} / "
        f"{money(group.plan)} = {number(value)}"
    )
    return Score(key, title, value, formula, inputs, group.cells)


# -- the average family (C, Уи, M, E) --------------------------------------------------------


def average_scores(
    indicators: list[IndicatorResult],
    activities: list[ActivityResult],
    total: FundingGroup,
    method: Methodology,
) -> tuple[list[Score], str | None]:
    c = indicators_average(indicators, "C", "Степень достижения целей (C)", method)
    u = budget_execution(total, "U", "Уровень исполнения по расходам (Уи)", method)
    m = activities_share(activities, "M", "Степень реализации мероприятий (M)", method)
    scores = [c, u, m]
    if method.combine == "none":
        return scores, "C" if c.value is not None else None
    e = _combined(c, u, m, method)
    scores.append(e)
    return scores, "E" if e.value is not None else None


def _combined(c: Score, u: Score, m: Score, method: Methodology) -> Score:
    title = "Эффективность реализации программы (E)"
    if c.value is None:
        return Score(
            "E", title, None, "E не рассчитывается: нет значения C", note="не рассчитывается"
        )
    how = method.combine
    u_used, capped = _capped_execution(u.value, method)
    if how in ("C*U", "C/U") and u.value is None:
        value = c.value
        formula = f"E = C = {number(value)} (план расходов 0, Уи не определён: принят E = C)"
    elif how == "C*U":
        assert u_used is not None
        value = c.value * u_used
        formula = f"E = C × Уи = {number(c.value)} × {number(u_used)}{capped}"
    elif how == "C/U" and u.value == ZERO:
        value = ZERO
        formula = "E = 0 (при плане расходов больше 0 средства не израсходованы: Уи = 0)"
    elif how == "C/U":
        assert u.value is not None
        value = c.value / u.value
        formula = f"E = C / Уи = {number(c.value)} / {number(u.value)}"
    elif how == "weighted":
        parts = [
            (k, method.combine_weights.get(k, ZERO), v)
            for k, v in (("C", c.value), ("U", u_used), ("M", m.value))
            if v is not None
        ]
        weight = sum((w for _k, w, _v in parts), ZERO)
        value = sum((w * v for _k, w, v in parts), ZERO) / weight if weight else c.value
        formula = "E = " + " + ".join(f"{number(w)}·{k}" for k, w, _v in parts)
        if weight != ONE:
            formula += f" (веса нормированы на {number(weight)})"
        formula += capped
    else:  # "C"
        value = c.value
        formula = "E = C"
    rounded = _round(value, method)
    return Score(
        "E",
        title,
        rounded,
        f"{formula} = {number(rounded)}",
        {"C": number(c.value), "Уи": number(u.value), "M": number(m.value)},
    )


def _capped_execution(value: Decimal | None, method: Methodology) -> tuple[Decimal | None, str]:
    """Уи as it enters E: spending over plan does not raise the rating (``execution_cap``);
    the Уи coefficient itself keeps the actual figure."""
    cap = method.execution_cap
    if value is None or cap is None or value <= cap:
        return value, ""
    return cap, f" (Уи {number(value)} выше плана: в E учитывается {number(cap)})"


# -- the federal family -------------------------------------------------------------------


def federal_scores(
    program: Program,
    indicators: list[IndicatorResult],
    activities: list[ActivityResult],
    by_subprogram: list[FundingGroup],
    total: FundingGroup,
    method: Methodology,
) -> tuple[list[Score], str | None]:
    # subprograms that some indicator or activity refers to, in passport order
    referenced = {r.subprogram for r in indicators} | {a.subprogram for a in activities}
    subs = [s.number for s in program.passport.subprograms if s.number in referenced]
    subs += sorted(k for k in referenced if k and k not in subs)
    if not subs:
        subs = [""]  # a program without (used) subprograms is assessed as one
    funding = {g.key: g for g in by_subprogram}
    scores: list[Score] = []
    effects: list[tuple[str, Decimal, FundingGroup | None]] = []
    for j in subs:
        tag = f"[{j}]" if j else ""
        sub_ind = [r for r in indicators if (r.subprogram or "") == j] if j else indicators
        sub_act = [a for a in activities if (a.subprogram or "") == j] if j else activities
        group = funding.get(j) or (total if not j else None)
        srpp = indicators_average(
            sub_ind, f"СРп/п{tag}", f"Степень реализации подпрограммы {j}", method, "СРп/п"
        )
        srm = activities_share(
            sub_act, f"СРм{tag}", f"Степень реализации мероприятий {j}", method, "СРм"
        )
        ssuz = (
            budget_execution(
                group,
                f"ССуз{tag}",
                f"Соответствие запланированному уровню затрат {j}",
                method,
                "ССуз",
            )
            if group
            else Score(
                f"ССуз{tag}",
                f"Соответствие запланированному уровню затрат {j}",
                None,
                "ССуз: финансирование подпрограммы не предусмотрено",
                note="не рассчитывается",
            )
        )
        eis = _fund_use(srm, ssuz, tag, j, method)
        erpp = _sub_effect(srpp, eis, tag, j, method)
        scores += [srpp, srm, ssuz, eis, erpp]
        if erpp.value is not None:
            effects.append((j, erpp.value, group))
    srgp = _program_goal(indicators, method)
    scores.append(srgp)
    scores.append(_program_effect(srgp, effects, method))
    return scores, "ЭРгп" if scores[-1].value is not None else None


def _fund_use(srm: Score, ssuz: Score, tag: str, j: str, method: Methodology) -> Score:
    title = f"Эффективность использования средств {j}".strip()
    if srm.value is None:
        return Score(
            f"Эис{tag}", title, None, "Эис не рассчитывается: нет СРм", note="не рассчитывается"
        )
    if ssuz.value is None:
        return Score(
            f"Эис{tag}",
            title,
            srm.value,
            f"Эис = СРм = {number(srm.value)} (план расходов 0: ССуз не определён)",
            {"СРм": number(srm.value)},
        )
    if ssuz.value == ZERO:
        return Score(
            f"Эис{tag}",
            title,
            ZERO,
            "Эис = 0 (при плане расходов больше 0 средства не израсходованы: ССуз = 0)",
            {"СРм": number(srm.value), "ССуз": number(ssuz.value)},
        )
    value = _round(srm.value / ssuz.value, method)
    return Score(
        f"Эис{tag}",
        title,
        value,
        f"Эис = СРм / ССуз = {number(srm.value)} / {number(ssuz.value)} = {number(value)}",
        {"СРм": number(srm.value), "ССуз": number(ssuz.value)},
    )


def _sub_effect(srpp: Score, eis: Score, tag: str, j: str, method: Methodology) -> Score:
    title = f"Эффективность реализации подпрограммы {j}".strip()
    if srpp.value is None or eis.value is None:
        return Score(
            f"ЭРп/п{tag}",
            title,
            None,
            "ЭРп/п не рассчитывается: нет СРп/п или Эис",
            note="не рассчитывается",
        )
    value = _round(srpp.value * eis.value, method)
    return Score(
        f"ЭРп/п{tag}",
        title,
        value,
        f"ЭРп/п = СРп/п × Эис = {number(srpp.value)} × {number(eis.value)} = {number(value)}",
        {"СРп/п": number(srpp.value), "Эис": number(eis.value)},
    )


def _program_goal(indicators: list[IndicatorResult], method: Methodology) -> Score:
    own = [r for r in indicators if not r.subprogram]
    counted_own = [r for r in own if not r.excluded]
    score = indicators_average(
        counted_own or indicators,
        "СРгп",
        "Степень реализации государственной (муниципальной) программы",
        method,
        "СРгп",
    )
    if not counted_own:
        score.note = "у программы нет собственных показателей с фактом: взяты все показатели"
    return score


def _program_effect(
    srgp: Score, effects: list[tuple[str, Decimal, FundingGroup | None]], method: Methodology
) -> Score:
    title = "Эффективность реализации программы (ЭРгп)"
    if srgp.value is None or not effects:
        return Score(
            "ЭРгп",
            title,
            None,
            "ЭРгп не рассчитывается: нет СРгп или ЭРп/п",
            note="не рассчитывается",
        )
    weights = _sub_weights(effects, method)
    raw, divisor = _sub_weight_parts(effects, method)
    # Σ ЭРп/п·kj computed as Σ ЭРп/п·sj / Σ sj: divided last, so an exact half stays a half
    weighted = sum((s * e for (_j, e, _g), s in zip(effects, raw, strict=True)), ZERO) / divisor
    terms = " + ".join(
        f"{number(e)}·{number(w)}" for (_j, e, _g), w in zip(effects, weights, strict=True)
    )
    if method.subprogram_weights == "literal":
        weighted = weighted / len(effects)
        terms = f"({terms}) / {len(effects)}"
    value = _round(HALF * srgp.value + HALF * weighted, method)
    formula = (
        f"ЭРгп = 0,5·СРгп + 0,5·Σ ЭРп/п·kj = 0,5·{number(srgp.value)} + 0,5·({terms}) "
        f"= {number(value)}"
    )
    return Score("ЭРгп", title, value, formula, {"СРгп": number(srgp.value)})


def _sub_weight_parts(
    effects: list[tuple[str, Decimal, FundingGroup | None]], method: Methodology
) -> tuple[list[Decimal], Decimal]:
    """kj as (numerators, common denominator): spending (else plan) shares, or equal."""
    n = len(effects)
    if method.subprogram_weights == "spending":
        spent = [g.actual if g else ZERO for _j, _e, g in effects]
        if sum(spent, ZERO) == 0:
            spent = [g.plan if g else ZERO for _j, _e, g in effects]
        if sum(spent, ZERO) > 0:
            return spent, sum(spent, ZERO)
    if method.subprogram_weights == "literal":
        return [ONE] * n, ONE
    return [ONE] * n, Decimal(n)


def _sub_weights(
    effects: list[tuple[str, Decimal, FundingGroup | None]], method: Methodology
) -> list[Decimal]:
    n = len(effects)
    if method.subprogram_weights == "spending":
        spent = [g.actual if g else ZERO for _j, _e, g in effects]
        total = sum(spent, ZERO)
        if total == 0:
            spent = [g.plan if g else ZERO for _j, _e, g in effects]
            total = sum(spent, ZERO)
        if total > 0:
            return [s / total for s in spent]
    if method.subprogram_weights == "literal":
        return [ONE] * n
    return [ONE / n] * n


# -- rating -------------------------------------------------------------------------------


def rate(
    scores: list[Score], rated: str | None, period: Period, method: Methodology
) -> tuple[Rating, str]:
    if not period.is_annual:
        return (
            Rating(None, "не присваивается", "", rated),
            f"Промежуточные сведения за {period.label}: рейтинг эффективности по итогам "
            "части года не присваивается.",
        )
    score = next((s for s in scores if s.key == rated), None)
    if score is None or score.value is None:
        return (
            Rating(None, "не определена", "", None),
            "Оценка эффективности не может быть выполнена: нет показателей с плановым и "
            "фактическим значением или нет данных о выполнении.",
        )
    value = quantize(score.value, method.final_digits)
    band = method.band(value)
    text = method.conclusion.format(phrase=band.phrase, label=band.label, value=percent(value))
    return Rating(value, band.label, band.phrase, score.key), text
