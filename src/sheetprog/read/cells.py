"""Turn one raw cell value into a model value according to its column kind.

Pure. Returns ``(value, problem)``: a problem is a (code, message) pair the
reader turns into a located ``ReadProblem``; the value is then None.
"""

from __future__ import annotations

import ast
import operator
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sheetprog.grid import Formula
from sheetprog.model import Direction, Expected, Status, Subprogram
from sheetprog.periods import parse_span
from sheetprog.spec import Kind, parse_source
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing
from sheetprog.values import (
    OutOfRangeError,
    clean_text,
    normalize_text,
    split_list,
    to_date,
    to_decimal,
    to_flag,
    year_in_range,
)

ERROR_VALUES = {
    "#REF!",
    "#DIV/0!",
    "#VALUE!",
    "#NAME?",
    "#N/A",
    "#NUM!",
    "#NULL!",
    "#ССЫЛКА!",
    "#ДЕЛ/0!",
    "#ЗНАЧ!",
    "#ИМЯ?",
    "#Н/Д",
    "#ЧИСЛО!",
    "#ПУСТО!",
    "#SPILL!",
    "#CALC!",
    "Err:502",
    "Err:504",
    "Err:508",
    "Err:522",
}

# Problem codes of the reader (documented in docs/checks.md once the catalogue exists).
BAD_NUMBER = "R001"
BAD_TARGET = "R002"
BAD_DATE = "R003"
BAD_CHOICE = "R004"
BAD_FLAG = "R005"
UNKNOWN_COLUMN = "R006"
FORMULA_INPUT = "R007"
ERROR_VALUE = "R008"
DUPLICATE_COLUMN = "R009"
TEMPLATE_VERSION = "R010"
NO_TEMPLATE_VERSION = "R014"
BAD_SOURCE = "R011"
OVERWRITTEN_FORMULA = "R013"
TEXT_NUMBER = "R015"
OUT_OF_RANGE = "R016"  # a number outside values.MAX_NUMBER (issue 20)
YEAR_OUT_OF_RANGE = "R017"  # a passport year outside values.MIN_YEAR … MAX_YEAR
ENGINE_FALLBACK = "R020"  # read by openpyxl in place of calamine (io.engines)

Problem = tuple[str, str]

_DIRECTIONS = {
    "рост": Direction.UP,
    "увеличение": Direction.UP,
    "повышение": Direction.UP,
    "возрастание": Direction.UP,
    "снижение": Direction.DOWN,
    "уменьшение": Direction.DOWN,
    "понижение": Direction.DOWN,
    "убывание": Direction.DOWN,
}
_STATUSES = {normalize_text(s.value): s for s in Status} | {
    "выполнено полностью": Status.DONE,
    "выполнен": Status.DONE,
    "исполнено": Status.DONE,
    "частично выполнено": Status.PARTIAL,
    "в работе": Status.IN_PROGRESS,
    "в процессе": Status.IN_PROGRESS,
    "в процессе выполнения": Status.IN_PROGRESS,
    "не выполнен": Status.NOT_DONE,
    "срок не наступил": Status.NOT_DUE,
}
_LINE_BULLET = re.compile(r"^[-–—•*]\s*")
_SUBPROGRAM_LINE = re.compile(r"^(?:подпрограмма\s*)?(\d+(?:\.\d+)*)[.)]?\s+(.+)$", re.I)


def is_error_value(raw: object) -> bool:
    return isinstance(raw, str) and raw.strip() in ERROR_VALUES


def is_formula(raw: object) -> bool:
    """Every grid source marks formula cells as ``Formula``; text starting with "=" is text."""
    return isinstance(raw, Formula)


def as_typed(raw: object) -> object:
    """A cell as the clerk typed it, for findings: a formula as its text («=ВПР(…)»)."""
    return raw.text if isinstance(raw, Formula) else raw


def formula_text(raw: object) -> str:
    return raw.text if isinstance(raw, Formula) else str(raw)


def parse_cell(kind: Kind, key: str, raw: object) -> tuple[Any, Problem | None]:
    """Parse ``raw`` for a column/field of ``kind`` whose model key is ``key``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return empty_value(kind), None
    if is_error_value(raw):
        return empty_value(kind), (
            ERROR_VALUE,
            f"в ячейке ошибка {str(raw).strip()}: исправьте формулу или введите значение",
        )
    if is_formula(raw):
        # a formula typed into an input cell: the value the spreadsheet computed, else plain
        # arithmetic ("=120+35,5") evaluated here, else it cannot be read
        cached = raw.cached if isinstance(raw, Formula) else None
        if cached is not None and cached != "":
            return parse_cell(kind, key, cached)
        value = eval_arithmetic(formula_text(raw))
        if value is None or kind not in (Kind.NUMBER, Kind.MONEY, Kind.INTEGER, Kind.TARGET):
            return empty_value(kind), (
                FORMULA_INPUT,
                "в ячейке ввода формула; sheetprog не вычисляет формулы — введите значение числом",
            )
        raw = value
    try:
        return _PARSERS[kind](key, raw), None
    except OutOfRangeError as exc:
        code = YEAR_OUT_OF_RANGE if key.endswith("year") else OUT_OF_RANGE
        return empty_value(kind), (code, str(exc))
    except ValueError as exc:
        code = BAD_SOURCE if key == "source" else _PROBLEM_CODE.get(kind, BAD_NUMBER)
        return empty_value(kind), (code, str(exc))


_REMEMBERED: dict[tuple[Kind, str, type, object], tuple[Any, Problem | None]] = {}
_REMEMBER_AT_MOST = 65_536
_MUTABLE_KINDS = (Kind.LIST, Kind.LINES)  # their values are lists, one per cell


def parse_cell_remembered(kind: Kind, key: str, raw: object) -> tuple[Any, Problem | None]:
    """``parse_cell``, remembered per process for the texts and numbers that repeat from file
    to file of a region (the template's units, sources, statuses, the same plans; issue 21).
    ``parse_cell`` is pure and every value it returns is immutable except a list kind's,
    which is parsed afresh. The type is part of the key (1, 1.0 and True are equal keys)."""
    if kind in _MUTABLE_KINDS or type(raw) not in (str, float, int):
        return parse_cell(kind, key, raw)
    remembered = (kind, key, type(raw), raw)
    found = _REMEMBERED.get(remembered)
    if found is None:
        found = parse_cell(kind, key, raw)
        if len(_REMEMBERED) >= _REMEMBER_AT_MOST:
            _REMEMBERED.clear()
        _REMEMBERED[remembered] = found
    return found


def empty_value(kind: Kind) -> Any:
    """The model's value for an empty cell of ``kind`` (a new list for list kinds)."""
    if kind in (Kind.LIST, Kind.LINES):
        return []
    if kind is Kind.FLAG:
        return False
    return None


def _text(_key: str, raw: object) -> str | None:
    return clean_text(raw)


def _code(key: str, raw: object) -> str | None:
    text = clean_text(raw)
    if text is None:
        return None
    if key in ("number", "activity", "subprogram"):
        text = text.rstrip(". ")
    return text or None


def _integer(key: str, raw: object) -> int | None:
    value = to_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError("ожидается целое число")
    return year_in_range(int(value)) if key.endswith("year") else int(value)


_EXPECTED = re.compile(r"^ожидается\b\s*(?:до|к|после|не позднее)?\s*(.*)$")


def _number(key: str, raw: object) -> Decimal | Expected | None:
    if (
        key == "fact"
        and isinstance(raw, str)
        and (expected := _EXPECTED.match(normalize_text(raw)))
    ):
        # issue 18: «ожидается 15.03.2022» — a fact reported later (docs/history.md)
        rest = expected.group(1).strip().rstrip(".г ").strip()
        try:
            return Expected(to_date(rest) if rest else None)
        except ValueError as exc:
            raise ValueError(
                f"«{raw}»: дата ожидаемого факта не распознана — напишите, например, "
                "«ожидается 15.03.2022»"
            ) from exc
    if key == "fact" and isinstance(raw, str) and normalize_text(raw) in ("да", "нет"):
        return Decimal(1) if normalize_text(raw) == "да" else Decimal(0)  # yes/no indicators
    return to_decimal(raw)


def _choice(key: str, raw: object) -> Any:
    text = clean_text(raw) or ""
    norm = normalize_text(text)
    if key == "direction":
        if norm not in _DIRECTIONS:
            raise ValueError("направление не распознано: выберите «рост» или «снижение»")
        return _DIRECTIONS[norm]
    if key in ("status", "year_status"):
        if norm not in _STATUSES:
            raise ValueError("статус не распознан: выберите значение из списка")
        return _STATUSES[norm]
    if key == "reporting_span":
        return parse_span(text)
    if key == "source":
        source = parse_source(text)
        if source is None:
            raise ValueError("источник финансирования не распознан: выберите значение из списка")
        return source
    return text


def _lines(key: str, raw: object) -> list[Any]:
    text = clean_text(raw) or ""
    items = [_LINE_BULLET.sub("", line).strip().rstrip(";").strip() for line in text.split("\n")]
    items = [i for i in items if i]
    if key != "subprograms":
        return items
    out: list[Subprogram] = []
    for index, item in enumerate(items, start=1):
        match = _SUBPROGRAM_LINE.match(item)
        if match:
            out.append(Subprogram(match.group(1), match.group(2).strip()))
        else:
            out.append(Subprogram(str(index), item))
    return out


_PARSERS: dict[Kind, Any] = {
    Kind.TEXT: _text,
    Kind.CODE: _code,
    Kind.INTEGER: _integer,
    Kind.NUMBER: _number,
    Kind.MONEY: _number,
    Kind.TARGET: lambda _k, raw: parse_target(raw),
    Kind.TIMING: lambda _k, raw: parse_timing(raw),
    Kind.DATE: lambda _k, raw: to_date(raw),
    Kind.FLAG: lambda _k, raw: bool(to_flag(raw)),
    Kind.LIST: lambda _k, raw: split_list(clean_text(raw)),
    Kind.LINES: _lines,
    Kind.CHOICE: _choice,
}
_PROBLEM_CODE = {
    Kind.DATE: BAD_DATE,
    Kind.TARGET: BAD_TARGET,
    Kind.CHOICE: BAD_CHOICE,
    Kind.FLAG: BAD_FLAG,
}

# -- a tiny, safe evaluator for "=120+35,5" typed into input cells --------------------------

_OPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def eval_arithmetic(formula: str) -> Decimal | None:
    """Value of a formula made only of numbers, + - * / and parentheses; else None."""
    expr = formula[1:].replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"[0-9.,+\-*/()]+", expr):
        return None
    expr = re.sub(r"(\d),(\d)", r"\1.\2", expr)
    try:
        tree = ast.parse(expr, mode="eval")
        return _eval(tree.body)
    except (SyntaxError, ZeroDivisionError, InvalidOperation, ValueError, RecursionError):
        return None


def _eval(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(str(node.value))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return Decimal(_OPS[type(node.op)](_eval(node.left), _eval(node.right)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return Decimal(_OPS[type(node.op)](_eval(node.operand)))
    raise ValueError("unsupported")
