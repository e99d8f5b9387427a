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
    def terminal(self) -> str:
        """The colour of its word in the command line's output (a click colour name)."""
        return _TERMINAL[self]

    @property
    def colour(self) -> str:
        """RGB of the severity on sheetprog's own sheets («Проверки»): Excel's standard
        "bad", "neutral" and light-blue fills."""
        return _COLOURS[self]

    @property
    def fill(self) -> str:
        """ARGB of the highlight on a marked cell of the clerk's sheets: the colour one unit
        off in blue, so it looks the same but sheetprog recognises its marks by it (and
        never takes a clerk's own fill of the standard colour for one of them)."""
        r, g, b = self.rgb
        return f"FF{r:02X}{g:02X}{b:02X}"

    @classmethod
    def mark_fills(cls) -> frozenset[str]:
        """Every ARGB fill that is a sheetprog mark, today's and earlier versions'."""
        return frozenset(s.fill for s in _ORDER) | LEGACY_MARK_FILLS

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The mark's fill as Excel's (r, g, b), for marks made through xlwings."""
        rgb = int(_COLOURS[self], 16) + 1
        return rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF

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
_TERMINAL = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
# far from the workbook's own fills (input FFF2CC yellow, formula E2EFDA green, header
# D9E1F2 blue-grey) and from each other in lightness as well as hue, so readers with a
# colour-vision deficiency tell them apart too; the word is always beside the colour
_COLOURS = {Severity.ERROR: "F7A08C", Severity.WARNING: "C7A2E6", Severity.INFO: "8FD3DA"}
# the fills of marks written before 0.1 (Excel's "bad", "neutral" and light blue, plus one):
# still recognised, so a re-check removes them
LEGACY_MARK_FILLS = frozenset({"FFFFC7CF", "FFFFEB9D", "FFDDEBF8"})
_NAMES = {s.value: s for s in _ORDER} | {_ENGLISH[s]: s for s in _ORDER}
