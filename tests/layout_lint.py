"""A layout lint for rendered Word reports: no word of a table cell wider than its column.

LibreOffice (and Word) break a line only between words, or inside a word when the word
does not fit the column at all — «Плано/вый», «15.01.2 / 025». For each table of a .docx
this measures every word of every cell with real font metrics (Liberation Serif, metric-
compatible with Times New Roman, the reports' font) at the run's size and weight, and
compares it with the column's width from the table grid less the cell margins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONTS = Path("/usr/share/fonts/truetype/liberation")
TWIPS_PER_POINT = 20
DEFAULT_MARGIN = 108  # twips: Word's default left and right cell margin (0,19 cm)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BREAKS = re.compile(r"[\s\u00a0]+|(?<=[-–—/])")  # LibreOffice may break after a hyphen or slash


@dataclass(frozen=True)
class Overflow:
    table: int
    row: int
    column: int
    word: str
    word_pt: float
    column_pt: float


@cache
def _font(bold: bool, size: float):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    # measured at 100× the size for sub-point precision
    return ImageFont.truetype(str(FONTS / name), int(size * 100))


def word_width(word: str, size: float, bold: bool) -> float:
    """Width of ``word`` in points at ``size`` pt (Liberation Serif ≡ Times New Roman)."""
    return float(_font(bold, size).getlength(word)) / 100


def overflows(path: Path, default_size: float = 10) -> list[Overflow]:
    from docx import Document

    document = Document(str(path))
    found: list[Overflow] = []
    for t_index, table in enumerate(document.tables):
        grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.iter(f"{W}gridCol")]
        for r_index, tr in enumerate(table._tbl.iter(f"{W}tr")):
            column = 0
            for tc in tr.iter(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                width = sum(grid[column : column + span]) - 2 * DEFAULT_MARGIN
                for run in tc.iter(f"{W}r"):
                    text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                    sz = run.find(f"{W}rPr/{W}sz")
                    size = int(sz.get(f"{W}val")) / 2 if sz is not None else default_size
                    bold = run.find(f"{W}rPr/{W}b") is not None
                    for word in BREAKS.split(text):
                        if not word:
                            continue
                        need = word_width(word, size, bold)
                        if need > width / TWIPS_PER_POINT:
                            found.append(
                                Overflow(
                                    t_index, r_index, column, word, need, width / TWIPS_PER_POINT
                                )
                            )
                column += span
    return found
