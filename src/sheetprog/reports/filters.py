"""Russian formatting for templates: numbers, money, percents, dates, periods, plurals. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sheetprog import fmt
from sheetprog.periods import SPAN_LABELS, Span

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def num(value: Any, digits: int | None = None) -> str:
    """1234.5 → "1 234,5"; None → "—"."""
    if value is None or value == "":
        return "—"
    return fmt.number(Decimal(str(value)), digits)


def money(value: Any, digits: int = 2) -> str:
    """Thousands of rubles: 269.76 → "269,76"."""
    if value is None or value == "":
        return "—"
    return fmt.number(Decimal(str(value)), digits)


def pct(value: Any, digits: int = 1) -> str:
    """A ratio as percent: 1.003 → "100,3 %"."""
    if value is None or value == "":
        return "—"
    return fmt.percent(Decimal(str(value)), digits)


def date(value: dt.date | None) -> str:
    """ "15.01.2022"."""
    return value.strftime("%d.%m.%Y") if value else "—"


def date_long(value: dt.date | None) -> str:
    """ "15 января 2022 г."."""
    if value is None:
        return "—"
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def period_name(span: Span | int | str) -> str:
    """Span → "I квартал", "полугодие", "9 месяцев", "год"."""
    if isinstance(span, str) and not span.isdigit():
        return span
    return SPAN_LABELS[Span(int(span))]


def plural(count: int, one: str, few: str, many: str) -> str:
    """plural(3, "мероприятие", "мероприятия", "мероприятий") → "3 мероприятия"."""
    n = abs(int(count))
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{count} {word}"


def years_label(years: list[int]) -> str:
    """[2012, 2013, 2014] → "2012–2014"; gaps are listed: [2011, 2013] → "2011, 2013"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


FILTERS = {
    "num": num,
    "money": money,
    "pct": pct,
    "date": date,
    "date_long": date_long,
    "period_name": period_name,
    "plural": plural,
}
