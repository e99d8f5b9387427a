"""Charts of the reports (matplotlib, Agg, rendered to PNG bytes), sized for their page.

- ``plan_fact_chart``: each indicator's fact as a share of its plan, with the plan drawn
  as the 100 % line (indicators have different units, so the plan is the common scale);
- ``funding_chart``: the funding plan and the cash execution by source, тыс. руб.

Each title says what is drawn. A ``matplotlib.figure.Figure`` is drawn directly (no
pyplot state, no font cache rescans), with at most ``MAX_ROWS`` bars whatever the size of
the program: a chart costs well under half a second.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from sheetprog.reports.filters import plural

WIDTH_IN = 9.4  # 240 mm: the text width of a landscape page, less a margin
PORTRAIT_WIDTH_IN = 6.5  # 165 mm: a portrait page's
MAX_HEIGHT_IN = 5.9  # 150 mm: a landscape page's text height, less its heading
PLAN, FACT, MISSED = "#9E9E9E", "#1565C0", "#C62828"  # tell apart without colour too
ROW_IN, FRAME_IN = 0.3, 1.0  # a bar with its two-line label; the title, axis and legend
# At most this many bars (issue 21): the rows that fit on the page at their full height.
# More were squeezed until their labels overlapped, and each label costs drawing time
# (2 000 bars took a minute).
MAX_ROWS = int((MAX_HEIGHT_IN - FRAME_IN) / ROW_IN)  # 16
TITLE = "Достижение плановых значений показателей: факт в % от плана"


def _figure(height: float, width: float = WIDTH_IN) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def plan_fact_chart(indicators: list[dict[str, Any]], achievements: list[Any]) -> bytes | None:
    """Horizontal bars: fact as % of plan per indicator with a fact, the plan as the 100 %
    line; indicators below the plan hatched. None when no indicator has a fact."""
    rows, title = chart_rows(indicators, achievements)
    if not rows:
        return None
    labels = [_label(f"{r.get('code') or ''} {r['name']}".strip()) for r, _a in rows]
    values = [float(a) * 100 for _r, a in rows]
    height = min(MAX_HEIGHT_IN, ROW_IN * len(rows) + FRAME_IN)
    fig = _figure(height)
    ax = fig.add_subplot()
    positions = range(len(rows))
    bars = ax.barh(positions, values, color=[FACT if v >= 100 else MISSED for v in values])
    for bar, value in zip(bars, values, strict=True):
        if value < 100:
            bar.set_hatch("///")
    ax.axvline(100, color="#212121", linewidth=1.2, linestyle="--", label="план (100 %)")
    ax.set_yticks(list(positions), labels, fontsize=7.5)
    ax.invert_yaxis()
    top = max(max(values) * 1.12, 115)
    ax.set_xlim(0, top)
    ax.set_xlabel("Факт, % от планового значения", fontsize=8)
    for i, value in enumerate(values):
        ax.text(min(value, top) + top * 0.01, i, f"{value:.1f} %".replace(".", ","),
                va="center", fontsize=7.5)  # fmt: skip
    fig.legend(loc="outside lower right", fontsize=7.5, frameon=False)
    ax.tick_params(axis="x", labelsize=7.5)
    fig.suptitle(title, fontsize=9.5)
    return _png(fig)


def chart_rows(
    indicators: list[dict[str, Any]], achievements: list[Any]
) -> tuple[list[tuple[dict[str, Any], Any]], str]:
    """The plan/fact chart's bars (indicator row, achievement) and its title: every
    indicator with a fact; beyond ``MAX_ROWS`` of them, the ``MAX_ROWS`` of the lowest
    achievement (the first listed among equals) in the order they are listed — those a
    reader of the long table should look at — and the title says so."""
    rows = [(r, a) for r, a in zip(indicators, achievements, strict=True) if a is not None]
    if len(rows) <= MAX_ROWS:
        return rows, TITLE
    chosen = sorted(sorted(range(len(rows)), key=lambda i: rows[i][1])[:MAX_ROWS])
    total = f"{len(rows):,}".replace(",", "\u00a0")
    return [rows[i] for i in chosen], (
        f"{TITLE}\n{plural(MAX_ROWS, 'показатель', 'показателя', 'показателей')} с "
        f"наименьшим достижением из {total}; "
        "все показатели — в таблице отчёта"
    )


def _label(text: str, width: int = 60) -> str:
    """At most two lines; a longer name ends with «…»."""
    lines = textwrap.wrap(text, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def funding_chart(groups: list[dict[str, Any]]) -> bytes | None:
    """Grouped bars by source: the plan and the cash execution, тыс. руб. ``groups``: dicts
    with label, plan, actual. None when nothing is planned or spent."""
    rows = [g for g in groups if (g.get("plan") or 0) or (g.get("actual") or 0)]
    if not rows:
        return None
    fig = _figure(2.2, PORTRAIT_WIDTH_IN)  # beside the assessment, on a portrait page
    ax = fig.add_subplot()
    xs = range(len(rows))
    plan = [float(g.get("plan") or 0) for g in rows]
    fact = [float(g.get("actual") or 0) for g in rows]
    ax.bar([x - 0.2 for x in xs], plan, 0.4, color=PLAN, label="план")
    ax.bar([x + 0.2 for x in xs], fact, 0.4, color=FACT, label="кассовое исполнение")
    for x, p, f in zip(xs, plan, fact, strict=True):
        for shift, value in ((-0.2, p), (0.2, f)):
            ax.text(x + shift, value, f"{value:,.1f}".replace(",", " ").replace(".", ","),
                    ha="center", va="bottom", fontsize=7)  # fmt: skip
    ax.set_xticks(list(xs), [str(g["label"]) for g in rows], fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylim(0, max(plan + fact) * 1.18)
    ax.legend(fontsize=7.5, frameon=False, ncols=2, loc="upper right")
    fig.suptitle("Финансирование по источникам: план и кассовое исполнение, тыс. руб.",
                 fontsize=9)  # fmt: skip
    return _png(fig)
