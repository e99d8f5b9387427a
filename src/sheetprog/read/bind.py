"""Where each workbook column lives in the model: one mapping for builder and reader."""

from __future__ import annotations

from typing import Any

from sheetprog.model import Expected, value_key
from sheetprog.periods import Period
from sheetprog.spec import Column

# Per-year columns whose values are keyed by cumulative period, and by year.
_PERIOD_KEYED = {"fact": "facts", "cash": "cash"}
_YEAR_KEYED = {
    "plan": "plan",
    "budget_list": "budget_list",
    "year_status": "year_status",
    "year_result": "year_result",
    # the project structure (sheetprog.project): year-end forecast, budget list at 1 January
    "forecast": "forecast",
    "budget_initial": "budget_initial",
}


def cell_key(col: Column, year: int | None) -> str:
    """The key under which a value's cell is kept in ``obj.cells``."""
    if year is None:
        return col.key
    return value_key(col.key, year, col.span)


def get_value(obj: Any, col: Column, year: int | None) -> Any:
    if year is None:
        if col.key == "source":  # keep the clerk's wording ("областной бюджет")
            return getattr(obj, "source_text", None) or getattr(obj, "source", None)
        return getattr(obj, col.key, None)
    if col.key in _PERIOD_KEYED:
        period = Period(year, col.span)
        value = getattr(obj, _PERIOD_KEYED[col.key]).get(period)
        if value is None and period in getattr(obj, "expected", {}):
            return Expected(obj.expected[period])  # «ожидается 15.03.2022» (issue 18)
        return value
    return getattr(obj, _YEAR_KEYED[col.key]).get(year)


def set_value(obj: Any, col: Column, year: int | None, value: Any) -> None:
    """Set a value; an empty per-year value is left out of its dict (absent means empty)."""
    if year is None:
        setattr(obj, col.key, value)
    elif value is None:
        return
    elif isinstance(value, Expected):  # a fact reported later (issue 18)
        obj.expected[Period(year, col.span)] = value.date
    elif col.key in _PERIOD_KEYED:
        getattr(obj, _PERIOD_KEYED[col.key])[Period(year, col.span)] = value
    else:
        getattr(obj, _YEAR_KEYED[col.key])[year] = value
