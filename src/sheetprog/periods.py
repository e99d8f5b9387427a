"""Reporting periods: a year and the cumulative quarters within it.

Quarterly figures are cumulative from the start of the year: I квартал,
полугодие, 9 месяцев, год. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

from sheetprog.values import normalize_text


class Span(IntEnum):
    """Cumulative part of a year, numbered by the quarter it ends with."""

    Q1 = 1
    H1 = 2
    M9 = 3
    YEAR = 4

    @property
    def label(self) -> str:
        return SPAN_LABELS[self]

    @property
    def column_suffix(self) -> str:
        """Suffix used in workbook column headers ("Факт 2021 I кв.")."""
        return SPAN_COLUMN_SUFFIX[self]


SPAN_LABELS = {Span.Q1: "I квартал", Span.H1: "полугодие", Span.M9: "9 месяцев", Span.YEAR: "год"}
SPAN_COLUMN_SUFFIX = {Span.Q1: "I кв.", Span.H1: "полугодие", Span.M9: "9 мес.", Span.YEAR: ""}
QUARTER_SPANS = (Span.Q1, Span.H1, Span.M9)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    span: Span = Span.YEAR

    @property
    def is_annual(self) -> bool:
        return self.span is Span.YEAR

    @property
    def end_date(self) -> dt.date:
        month = 3 * int(self.span)
        next_month = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """Russian name: "2021 год", "I квартал 2021 года", "9 месяцев 2021 года"."""
        if self.is_annual:
            return f"{self.year} год"
        return f"{self.span.label} {self.year} года"

    @property
    def key(self) -> str:
        """Machine form: "2021" or "2021-Q1" … "2021-Q3" (Q4 is the year)."""
        return str(self.year) if self.is_annual else f"{self.year}-Q{int(self.span)}"

    def __str__(self) -> str:
        return self.key


_KEY_RE = re.compile(r"^(\d{4})(?:-?[QqКк]([1-4]))?$")
_SPAN_WORDS = {
    "i квартал": Span.Q1,
    "1 квартал": Span.Q1,
    "полугодие": Span.H1,
    "i полугодие": Span.H1,
    "9 месяцев": Span.M9,
    "девять месяцев": Span.M9,
    "год": Span.YEAR,
}


def parse_period(text: str) -> Period:
    """ "2021", "2021-Q1" … "2021-Q4" (= year). Raises ValueError in Russian."""
    match = _KEY_RE.match(text.strip())
    if not match:
        raise ValueError(
            f"период «{text}» не распознан: укажите год (2021) или квартал (2021-Q1 … 2021-Q4)"
        )
    year = int(match.group(1))
    quarter = int(match.group(2) or 4)
    return Period(year, Span(quarter))


def parse_span(text: str) -> Span:
    """The passport's "Отчётный период" value (I квартал / полугодие / 9 месяцев / год)."""
    span = _SPAN_WORDS.get(normalize_text(text))
    if span is None:
        raise ValueError("ожидается «I квартал», «полугодие», «9 месяцев» или «год»")
    return span
