"""The regional note's chart: programs in each rating band, as PNG bytes.

Drawn with Pillow (which matplotlib brings along) rather than matplotlib: the note of a
large region is rendered while the batch writes its tables, and matplotlib's import alone
takes longer than the whole chart does here. The font is the DejaVu Sans that matplotlib
ships (Pillow's own font when it cannot be found).
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from pathlib import Path
from typing import Any

# band colours from the highest to the lowest; «без оценки» grey
_COLOURS = ("#2E7D32", "#9E9D24", "#EF6C00", "#C62828", "#6D4C41", "#455A64")
_GREY = "#9E9E9E"
_SCALE = 2  # drawn at twice the size: crisp when Word scales it to the page
TITLE = "Распределение программ по уровню эффективности"


@cache
def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        package = Path(next(iter(spec.submodule_search_locations)))
        path = package / "mpl-data" / "fonts" / "ttf" / name
        if path.is_file():
            return ImageFont.truetype(str(path), size * _SCALE)
    return ImageFont.load_default(size * _SCALE)


def distribution_chart(distribution: list[dict[str, Any]]) -> bytes | None:
    """Horizontal bars: the number of programs in each band (``label``, ``count``), with
    the count at each bar's end; None when there are no programs."""
    if not distribution or not any(d["count"] for d in distribution):
        return None
    from PIL import Image, ImageDraw

    s = _SCALE
    label_font, title_font = _font(11), _font(12, bold=True)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    labels = [str(d["label"]) for d in distribution]
    counts = [int(d["count"]) for d in distribution]
    label_width = max(probe.textlength(label, font=label_font) for label in labels)
    width, bar_height, gap, top = 900 * s, 26 * s, 12 * s, 50 * s
    left = int(label_width) + 20 * s
    right = width - 60 * s
    height = top + len(labels) * (bar_height + gap) + 20 * s
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, 14 * s), TITLE, font=title_font, fill="#222222", anchor="mt")
    most = max(counts)
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        y = top + i * (bar_height + gap)
        middle = y + bar_height // 2
        draw.text((left - 10 * s, middle), label, font=label_font, fill="#222222", anchor="rm")
        end = left + int((right - left) * count / most) if most else left
        colour = _GREY if label == "без оценки" else _COLOURS[i % len(_COLOURS)]
        if end > left:
            draw.rectangle((left, y, end, y + bar_height), fill=colour)
        draw.text((end + 6 * s, middle), str(count), font=label_font, fill="#222222", anchor="lm")
    draw.line((left, top - gap // 2, left, height - 20 * s), fill="#444444", width=s)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(150 * s, 150 * s), optimize=False)
    return out.getvalue()
