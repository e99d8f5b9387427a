"""Russian number formatting for what people read: "1 234,5", "100,3 %". Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def quantize(value: Decimal, digits: int) -> Decimal:
    """Round half up to ``digits`` decimals (the rounding of Russian official reports)."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(
    value: Decimal | int | float | None,
    digits: int | None = None,
    *,
    group: bool = True,
    empty: str = "—",
) -> str:
    """ "1 234,5": decimal comma, thin groups of thousands; ``digits`` fixes the decimals,
    None keeps the significant ones (at most 4)."""
    if value is None:
        return empty
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    if not dec.is_finite() or abs(dec) >= _HUGE:
        return _huge(dec)
    if digits is None:
        dec = quantize(dec, 4).normalize()
        text = format(dec, "f")
    else:
        text = format(quantize(dec, digits), "f")
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    if group and len(whole) > 3:
        parts: list[str] = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        parts.insert(0, whole)
        whole = NBSP.join(parts)
    if sign and set(whole + frac) <= {"0", NBSP}:
        sign = ""
    return sign + whole + ("," + frac if frac else "")


_HUGE = Decimal(10) ** 18  # beyond this, rounding to 4 decimals overflows 28 digits


def _huge(dec: Decimal) -> str:
    """A number no workbook should hold (a finding shows it, R016): «1,0E+30», «∞»."""
    if dec.is_nan():
        return "не число"
    if dec.is_infinite():
        return "-∞" if dec < 0 else "∞"
    return f"{dec:.1E}".replace(".", ",")


def percent(ratio: Decimal | None, digits: int = 1, *, empty: str = "—") -> str:
    """A ratio as percent: Decimal("1.003") → "100,3 %"."""
    if ratio is None:
        return empty
    return f"{number(ratio * 100, digits)}{NBSP}%"


def money(value: Decimal | None, digits: int = 2, *, empty: str = "—") -> str:
    """Thousands of rubles as in the reports: "269,76"."""
    return number(value, digits, empty=empty)


def display(value: object) -> str:
    """A cell value as a finding shows it: numbers in Russian format, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return number(value)
    return str(value)


def shorten(text: str | None, width: int = 80) -> str:
    """A long name for a message: cut at a word boundary with «…», never inside a word."""
    import textwrap

    return textwrap.shorten(text or "", width, placeholder="…")
