"""Activity schedule cells: real dates or the period texts the program documents use.

"I квартал 2012 года", "II - III кварталы 2012 года", "Ежегодно, IV квартал",
"Весь период", "По мере необходимости", "2021", "15.01.2021". Parsed into a
kind and, where it names one, a date interval. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from sheetprog.values import normalize_text, to_date


class TimingKind(StrEnum):
    DATE = "date"  # an exact date
    INTERVAL = "interval"  # quarters / half-year / month / year of a given year
    ANNUAL = "annual"  # "Ежегодно[, IV квартал]": repeats every program year
    WHOLE = "whole"  # "Весь период" / "В течение срока реализации"
    AS_NEEDED = "as_needed"  # "По мере необходимости"
    REGULAR = "regular"  # "Ежеквартально", "1 раз в полугодие": recurring, no deadline
    UNKNOWN = "unknown"  # text we keep as is


@dataclass(frozen=True)
class Timing:
    text: str
    kind: TimingKind
    start: dt.date | None = None
    end: dt.date | None = None
    quarters: tuple[int, int] | None = None  # for ANNUAL with a quarter part

    def interval(
        self, first_year: int, last_year: int, year: int | None = None
    ) -> tuple[dt.date | None, dt.date | None]:
        """Concrete dates: WHOLE → the program period, ANNUAL → the given year's part."""
        if self.kind in (TimingKind.DATE, TimingKind.INTERVAL):
            return self.start, self.end
        if self.kind is TimingKind.WHOLE:
            return dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
        if self.kind is TimingKind.ANNUAL and year is not None:
            q_from, q_to = self.quarters or (1, 4)
            return _quarter_start(year, q_from), _quarter_end(year, q_to)
        return None, None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_Q = r"(i{1,3}|iv|[1-4])"
_QUARTERS_RE = re.compile(rf"{_Q}\s*(?:-|–|—)?\s*(?:{_Q}\s*)?(?:квартал\w*|кв\.?)")
_YEAR_RE = re.compile(r"(\d{4})")
_HALF_RE = re.compile(r"(i{1,2}|[12])\s*полугоди\w*")


def _quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _month_of(text: str) -> int | None:
    for stem, month in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{stem}\w*", text) and not (stem == "ма" and "март" in text):
            return month
    return None


def parse_timing(raw: object) -> Timing | None:
    """Parse a schedule cell. Returns None for an empty cell; never raises.

    Text it cannot interpret comes back as ``TimingKind.UNKNOWN`` (kept, and
    reported by the checks), because clerks legitimately write free text here.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.date | dt.datetime):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        return Timing(day.strftime("%d.%m.%Y"), TimingKind.DATE, day, day)
    if isinstance(raw, int | float) and 1900 <= raw <= 2200 and float(raw).is_integer():
        year = int(raw)
        return Timing(str(year), TimingKind.INTERVAL, dt.date(year, 1, 1), dt.date(year, 12, 31))
    # a whole number reads the same from both engines (calamine 41730.0, openpyxl 41730)
    text = (str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)).strip()
    if not text:
        return None
    norm = normalize_text(text)
    try:
        exact = to_date(norm)
    except ValueError:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}(\s*г\.?)?", norm):
            return Timing(text, TimingKind.UNKNOWN)  # looks like a date, is not one (31.02)
        exact = None
    if exact is not None:
        return Timing(text, TimingKind.DATE, exact, exact)
    if "весь период" in norm or "срока реализации" in norm or "период реализации" in norm:
        return Timing(text, TimingKind.WHOLE)
    if "по мере" in norm:
        return Timing(text, TimingKind.AS_NEEDED)
    if "ежекварт" in norm or "раз в" in norm or "постоянно" in norm or "ежемесяч" in norm:
        return Timing(text, TimingKind.REGULAR)
    years = [int(y) for y in _YEAR_RE.findall(norm)]
    quarters = _QUARTERS_RE.search(norm)
    q_range: tuple[int, int] | None = None
    if quarters:
        q_from = _ROMAN[quarters.group(1)]
        q_to = _ROMAN[quarters.group(2)] if quarters.group(2) else q_from
        q_range = (q_from, q_to)
    else:
        half = _HALF_RE.search(norm)
        if half:
            h = _ROMAN[half.group(1)]
            q_range = (2 * h - 1, 2 * h)
    month = None if q_range else _month_of(norm)
    if norm.startswith("ежегодно") or (not years and (q_range or month)):
        if month:
            q = (month - 1) // 3 + 1
            q_range = (q, q)
        return Timing(text, TimingKind.ANNUAL, quarters=q_range)
    if len(years) == 1:
        year = years[0]
        if q_range:
            return Timing(
                text,
                TimingKind.INTERVAL,
                _quarter_start(year, q_range[0]),
                _quarter_end(year, q_range[1]),
            )
        if month:
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
            return Timing(text, TimingKind.INTERVAL, start, end)
        return Timing(text, TimingKind.INTERVAL, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if len(years) == 2 and years[0] <= years[1]:
        return Timing(text, TimingKind.INTERVAL, dt.date(years[0], 1, 1), dt.date(years[1], 12, 31))
    return Timing(text, TimingKind.UNKNOWN)
