"""Plan values ("targets") as clerks write them, parsed into an operator and bounds.

"не менее 10" → (ge, 10); "свыше 90" → (gt, 90); "90-99" → (range, 90, 99);
"36,6" / "100 %" → (eq, …); "да" → (yes); "х", "-" or blank → no target.
Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from sheetprog.values import normalize_text, to_decimal


class TargetOp(StrEnum):
    EQ = "eq"  # a plain number: fulfilment is measured against it
    GE = "ge"  # не менее, не ниже, ≥
    GT = "gt"  # свыше, более, >
    LE = "le"  # не более, не выше, ≤
    LT = "lt"  # менее, ниже, <
    RANGE = "range"  # 90-99, от 90 до 99
    YES = "yes"  # да (a yes/no indicator that must be "да")
    NO = "no"  # нет
    NONE = "none"  # no target for this year (blank, "х", "-")


@dataclass(frozen=True)
class Target:
    op: TargetOp
    value: Decimal | None = None
    upper: Decimal | None = None
    text: str = field(default="", compare=False)  # as typed; equality is by meaning

    @property
    def is_set(self) -> bool:
        return self.op is not TargetOp.NONE

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    def canonical(self) -> str:
        """The target written in the workbook's canonical form (what the builder writes)."""
        return format_target(self)


NO_TARGET = Target(TargetOp.NONE)

_NUM = r"([+-]?\d[\d\s\u00a0]*(?:[.,]\d+)?)"
_UNIT = r"\s*(?:%|процент\w*|ед\.?|чел\.?|человек)?\.?"
_PREFIXES: list[tuple[TargetOp, tuple[str, ...]]] = [
    (TargetOp.GE, ("не менее", "не ниже", "не меньше", "≥", ">=", "от")),
    (TargetOp.LE, ("не более", "не выше", "не больше", "≤", "<=", "до")),
    (TargetOp.GT, ("свыше", "более", "больше", "выше", "превышает", ">")),
    (TargetOp.LT, ("менее", "меньше", "ниже", "<")),
]
_RANGE_RE = re.compile(rf"^(?:от\s*)?{_NUM}{_UNIT}\s*(?:-|–|—|до)\s*{_NUM}{_UNIT}$")
_PLACEHOLDERS = {"", "-", "–", "—", "х", "x", "нет данных", "не установлен", "не установлено"}


@functools.lru_cache(maxsize=16384, typed=True)  # plan cells repeat across submissions
def parse_target(raw: object) -> Target:
    """Parse a plan cell. Raises ValueError (Russian reason) when the text is not a target."""
    if raw is None:
        return NO_TARGET
    if isinstance(raw, bool):
        return Target(TargetOp.YES if raw else TargetOp.NO, text="да" if raw else "нет")
    if isinstance(raw, int | float | Decimal):
        value = to_decimal(raw)
        return Target(TargetOp.EQ, value, text=str(raw)) if value is not None else NO_TARGET
    text = str(raw).strip()
    norm = normalize_text(text)
    if norm in _PLACEHOLDERS:
        return NO_TARGET
    if norm == "да":
        return Target(TargetOp.YES, text=text)
    if norm == "нет":
        return Target(TargetOp.NO, text=text)
    try:
        value = to_decimal(norm)
    except ValueError:
        value = None
    if value is not None:
        return Target(TargetOp.EQ, value, text=text)
    match = _RANGE_RE.match(norm)
    if match:
        low, high = (_num(g) for g in match.groups())
        if low > high:
            raise ValueError("нижняя граница диапазона больше верхней")
        return Target(TargetOp.RANGE, low, high, text=text)
    for op, prefixes in _PREFIXES:
        for prefix in prefixes:
            if norm.startswith(prefix):
                rest = norm[len(prefix) :].strip()
                number = re.fullmatch(rf"{_NUM}{_UNIT}", rest)
                if number:
                    return Target(op, _num(number.group(1)), text=text)
    raise ValueError(
        "не удалось разобрать плановое значение; допустимо: число, «не менее 10», "
        "«свыше 90», «не более 5», «менее 5», «90-99», «да»/«нет»"
    )


def _num(text: str) -> Decimal:
    value = to_decimal(text)
    if value is None:  # pragma: no cover - regex guarantees digits
        raise ValueError("не удалось прочитать число")
    return value


_WORDS = {
    TargetOp.GE: "не менее",
    TargetOp.GT: "свыше",
    TargetOp.LE: "не более",
    TargetOp.LT: "менее",
}


def format_number(value: Decimal) -> str:
    """Russian decimal comma, no thousands separator (a value to type back into a cell)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_target(target: Target) -> str:
    if target.op is TargetOp.NONE:
        return ""
    if target.op is TargetOp.YES:
        return "да"
    if target.op is TargetOp.NO:
        return "нет"
    assert target.value is not None
    if target.op is TargetOp.EQ:
        return format_number(target.value)
    if target.op is TargetOp.RANGE:
        assert target.upper is not None
        return f"{format_number(target.value)}-{format_number(target.upper)}"
    return f"{_WORDS[target.op]} {format_number(target.value)}"
