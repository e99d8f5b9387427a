"""Plan vs fact chart for the annual report (matplotlib, rendered to PNG bytes)."""

from __future__ import annotations

import io
import textwrap
from typing import Any


def plan_fact_chart(indicators: list[dict[str, Any]], achievements: list[Any]) -> bytes | None:
    """Horizontal bars of achievement (% of plan) per indicator with a fact; None if none."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(r, a) for r, a in zip(indicators, achievements, strict=True) if a is not None]
    if not rows:
        return None
    labels = [textwrap.shorten(f"{r['code']} {r['name']}", 60, placeholder="…") for r, _a in rows]
    values = [float(a) * 100 for _r, a in rows]
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(rows) + 1.2), dpi=150)
    colours = ["#2E7D32" if v >= 100 else "#C62828" for v in values]
    ax.barh(range(len(rows)), values, color=colours)
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Достижение планового значения, %", fontsize=9)
    for i, v in enumerate(values):
        ax.text(v + 1, i, f"{v:.1f}".replace(".", ","), va="center", fontsize=8)
    ax.set_xlim(0, max(max(values) * 1.15, 110))
    ax.set_title("План и факт показателей", fontsize=10)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
