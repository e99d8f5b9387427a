"""How serious a finding is: the one definition of the levels, their order, words and colours.

Pure and a leaf: the catalogue, the views, the «Проверки» sheet, the cell marks written
into files and through Excel all read rank, label, palette style and fill from here.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """The value is the Russian word the clerk sees («ошибка»)."""

    ERROR = "ошибка"
    WARNING = "предупреждение"
    INFO = "сведения"

    @property
    def rank(self) -> int:
        """0 is the most serious: findings and marks are ordered by it."""
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value

    @property
    def english(self) -> str:
        """The word used in JSON counts and accepted as an alias: error, warning, info."""
        return _ENGLISH[self]

    @property
    def style(self) -> str:
        """The palette style of the severity column on «Проверки» (spec.PALETTE)."""
        return _ENGLISH[self]

    @property
    def fill(self) -> str:
        """ARGB of the highlight on a marked cell; sheetprog recognises its marks by it."""
        return _FILLS[self]

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The fill as Excel's (r, g, b), for marks made through xlwings."""
        argb = _FILLS[self]
        return int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16)

    @classmethod
    def parse(cls, text: str) -> Severity | None:
        """«ошибка» or «error» (any case) → the level; None when unknown."""
        return _NAMES.get(text.strip().lower())

    @classmethod
    def names(cls) -> list[str]:
        """Every accepted word, Russian first: for option choices and messages."""
        return list(_NAMES)


_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_ENGLISH = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
# one unit off the standard palette, so a clerk's own fill of the same look is never taken
_FILLS = {Severity.ERROR: "FFFFC7CF", Severity.WARNING: "FFFFEB9D", Severity.INFO: "FFDDEBF8"}
_NAMES = {s.value: s for s in _ORDER} | {_ENGLISH[s]: s for s in _ORDER}
