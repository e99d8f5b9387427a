"""The regional note's chart: programs in each rating band (matplotlib, PNG bytes)."""

from __future__ import annotations

import io
from typing import Any

# band colours from the highest to the lowest; «без оценки» grey
_COLOURS = ("#2E7D32", "#9E9D24", "#EF6C00", "#C62828", "#6D4C41", "#455A64")


def distribution_chart(distribution: list[dict[str, Any]]) -> bytes | None:
    """Horizontal bars: the number of programs in each band (label, count); None when there
    are no programs."""
    if not distribution or not any(d["count"] for d in distribution):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [d["label"] for d in distribution]
    counts = [d["count"] for d in distribution]
    colours = [
        "#9E9E9E" if d["label"] == "без оценки" else _COLOURS[i % len(_COLOURS)]
        for i, d in enumerate(distribution)
    ]
    fig, ax = plt.subplots(figsize=(6.3, 0.45 * len(labels) + 1.0), dpi=150)
    bars = ax.barh(range(len(labels)), counts, color=colours)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Программ", fontsize=9)
    ax.set_xlim(0, max(counts) * 1.15 + 1)
    for bar, count in zip(bars, counts, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {count}",
                ha="left", va="center", fontsize=8)  # fmt: skip
    ax.set_title("Распределение программ по уровню эффективности", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
