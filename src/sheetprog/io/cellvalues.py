"""Conversion between model values and what is written into workbook cells.

Used by the builder (model → cell) so that the reader's parsing of the
written cell gives the model value back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sheetprog.model import Subprogram
from sheetprog.periods import Span
from sheetprog.spec import Kind
from sheetprog.targets import Target, TargetOp
from sheetprog.timing import Timing, TimingKind

CellValue = str | int | Decimal | dt.datetime | None


def target_cell(target: Target | None) -> CellValue:
    if target is None or target.op is TargetOp.NONE:
        return None
    if target.op is TargetOp.EQ and target.value is not None:
        return target.value
    return target.canonical()


def timing_cell(timing: Timing | None) -> CellValue:
    if timing is None:
        return None
    if timing.kind is TimingKind.DATE and timing.start is not None:
        return dt.datetime.combine(timing.start, dt.time())
    if timing.text.isdigit() and len(timing.text) == 4:
        return int(timing.text)
    return timing.text


def to_cell(kind: Kind, value: object) -> CellValue:
    """The cell value for a model value of the given column kind."""
    if value is None:
        return None
    if kind is Kind.TARGET:
        assert isinstance(value, Target)
        return target_cell(value)
    if kind is Kind.TIMING:
        assert isinstance(value, Timing)
        return timing_cell(value)
    if kind is Kind.DATE:
        assert isinstance(value, dt.date)
        return dt.datetime.combine(value, dt.time())
    if kind is Kind.FLAG:
        return "да" if value else "нет"
    if kind is Kind.LIST:
        assert isinstance(value, list)
        plain = all("," not in v and ";" not in v for v in value) and all(
            v[:1].isupper() for v in value[1:]
        )
        return (", " if plain else "; ").join(value) or None
    if kind is Kind.LINES:
        assert isinstance(value, list)
        lines = [f"{v.number}. {v.name}" if isinstance(v, Subprogram) else str(v) for v in value]
        return "\n".join(lines) or None
    if kind is Kind.CHOICE:
        if isinstance(value, Span):
            return value.label
        return str(value)
    if isinstance(value, Decimal | int):
        return value
    return str(value)
