"""Model objects → JSON-compatible data (numbers as JSON numbers, cells kept)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from sheetprog.periods import Period


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_jsonable(obj: Any) -> Any:
    """Recursively convert dataclasses, Decimals, enums, periods and dates."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, Decimal):
        return number(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Period):
        return obj.key
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {_key(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [to_jsonable(v) for v in obj]
    return str(obj)


def _key(key: Any) -> str:
    if isinstance(key, Period):
        return key.key
    if isinstance(key, Enum):
        return str(key.value)
    return str(key)
