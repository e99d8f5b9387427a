"""Parsing of values as clerks type them: Russian numbers, percents, dates.

Pure functions, no I/O. A parse function returns the value or raises
``ValueError`` with a short Russian reason; callers attach the cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TEXT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(\s*г\.?)?$")


@functools.lru_cache(maxsize=16384)  # labels, statuses and headers repeat in every workbook
def normalize_text(value: str) -> str:
    """Fold a label for comparison: NFC, case, ё→е, all kinds of spaces, punctuation edges."""
    text = unicodedata.normalize("NFC", value).replace("ё", "е").replace("Ё", "Е")
    text = _SPACES.sub(" ", text).strip().casefold()
    return text.strip(" :;*")


def clean_text(value: object) -> str | None:
    """A cell's text with spaces tidied inside each line, or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_str(value)
    return _clean(value)


@functools.lru_cache(maxsize=16384)  # names, units and executors repeat across submissions
def _clean_str(value: str) -> str | None:
    return _clean(value)


def _clean(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = str(value).replace("\r\n", "\n").split("\n")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()
    return text or None


# -- the documented range of numbers (docs/limits.md) ----------------------------------------
# Amounts are in thousands of roubles and indicators are counts and percents: nothing in a
# monitoring workbook comes near 10^15, while 28-digit Decimal arithmetic (sums of amounts
# to 4 decimals) needs values well below 10^24. A number outside is a finding at its cell
# (R016), never a crash; years outside [MIN_YEAR, MAX_YEAR] likewise (R017).
MAX_NUMBER = Decimal(10) ** 15
MIN_YEAR = 1990
MAX_YEAR = 2100


class OutOfRangeError(ValueError):
    """A readable number outside the documented range (reported as R016 / R017)."""


def in_range(value: Decimal) -> Decimal:
    """``value`` when it is finite and below ``MAX_NUMBER`` in magnitude, else
    ``OutOfRangeError`` with the Russian reason."""
    if not value.is_finite() or abs(value) >= MAX_NUMBER:
        raise OutOfRangeError(
            "число вне допустимого диапазона (по модулю меньше 10^15, т. е. 1 000 000 000 "
            "000 000): проверьте, не лишние ли цифры или степень, и введите верное значение"
        )
    return value


def year_in_range(value: int) -> int:
    """``value`` when it is a year from MIN_YEAR to MAX_YEAR, else ``OutOfRangeError``."""
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise OutOfRangeError(
            f"год {value} вне допустимого диапазона ({MIN_YEAR}–{MAX_YEAR}): введите год "
            "четырьмя цифрами"
        )
    return value


def to_decimal(value: object) -> Decimal | None:
    """A number from a cell value (see ``_to_decimal``) within the documented range;
    ``OutOfRangeError`` (a ``ValueError``) for one outside."""
    found = _to_decimal(value)
    return None if found is None else in_range(found)


def _to_decimal(value: object) -> Decimal | None:
    """Read a number from a cell value: int/float/Decimal or text such as "1 234,5", "100 %".

    Returns None for empty cells and placeholders ("-", "х", "—"). Raises ValueError when
    the text is not a number.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError("ожидалось число, а не логическое значение")
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value:
            raise ValueError("не число")
        if value in (float("inf"), float("-inf")):
            return Decimal(value)  # refused by in_range
        return Decimal(repr(value))
    if isinstance(value, dt.date | dt.datetime):
        raise ValueError("ожидалось число, а в ячейке дата")
    text = _SPACES.sub("", str(value))
    if text in ("", "-", "–", "—", "х", "x", "X", "Х"):
        return None
    text = text.removesuffix("%")
    if text.startswith("#"):
        raise ValueError(f"в ячейке ошибка формулы {text}")
    if not _NUMBER.match(text):
        raise ValueError("не удалось прочитать число")
    if len(text) > 64:  # 5 000 nines: not a number anyone typed; no 5 000-digit Decimal
        return Decimal("Infinity")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError("не удалось прочитать число") from exc


def to_date(value: object) -> dt.date | None:
    """Read a real date cell or "15.01.2021" text. Raises ValueError for other text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    iso = _ISO_DATE.match(text)
    if not match and not iso:
        raise ValueError("не удалось прочитать дату (ожидается ДД.ММ.ГГГГ)")
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        assert match is not None
        day, month, year = (int(g) for g in match.groups()[:3])
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError("такой даты не существует") from exc


YES = "да"
NO = "нет"


def to_flag(value: object) -> bool | None:
    """Read a да/нет cell. Raises ValueError for other text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = normalize_text(str(value))
    if text == "":
        return None
    if text in ("да", "1", "true", "истина", "+", "v", "✓"):
        return True
    if text in ("нет", "0", "false", "ложь", "-"):
        return False
    raise ValueError("ожидается «да» или «нет»")


def split_list(value: str | None) -> list[str]:
    """Split a multi-valued cell into items.

    Items are separated by ";" or line breaks; a comma separates items only when the next
    word starts with a capital letter ("ОМС, ОФОА", "Отдел кадров, Дума ПГО") and it is
    not inside quotes («», "") or parentheses, so names such as "Министерство … по
    внешним связям, национальной политике, печати и информации" stay whole.
    """
    if not value:
        return []
    items: list[str] = []
    current: list[str] = []
    depth = 0
    in_quotes = False
    for index, char in enumerate(value):
        if char in "«(":
            depth += 1
        elif char in "»)":
            depth = max(0, depth - 1)
        elif char == '"':
            in_quotes = not in_quotes
        next_word = value[index + 1 :].lstrip()
        splits_here = char == "," and depth == 0 and not in_quotes and next_word[:1].isupper()
        if char in ";\n" or splits_here:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]
