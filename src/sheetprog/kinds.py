"""Workbook kinds: the one registry that tells a program workbook from a reserve workbook.

Each kind is a package (``sheetprog.program``, ``sheetprog.reserve``) whose ``kind``
module defines ``KIND``, an object with the ``WorkbookKind`` interface: how to recognise
its workbook, read, build and describe it, and assess it. The library (``sheetprog.api``)
looks kinds up here; the front ends (CLI, Excel buttons) and the batch never branch on a
kind. Adding a kind: a package with its model (a ``KIND`` class attribute naming it), its
layout, reader and ``kind`` module, listed in ``KIND_MODULES`` and in ``Workbook``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from sheetprog.errors import UsageError
from sheetprog.grid import Row, WorkbookGrid
from sheetprog.model import Program
from sheetprog.project.model import ProjectProgram
from sheetprog.reserve.model import Reserve

Workbook = Program | Reserve | ProjectProgram
"""The model read from any sheetprog workbook: one member per registered kind."""

# «sheetprog new --structure»: a program's structure → its workbook kind (issue 17)
STRUCTURES = {"subprograms": "program", "project": "project"}
DEFAULT_KIND = "program"  # what ``sheetprog new`` makes without --kind or a definition
# the most specific first: the first kind that recognises a workbook reads it
KIND_MODULES = (
    "sheetprog.reserve.kind",
    "sheetprog.project.kind",  # a program in the project structure (issue 17)
    "sheetprog.program.kind",
)


class WorkbookKind(Protocol):
    """What the library needs of a workbook kind. Heavy imports stay inside the methods."""

    name: str  # the model's KIND and the --kind value: "program"
    title: str  # Russian, for messages: "муниципальная программа"
    genitive: str  # «книга муниципальной программы»

    def recognise(self, grid: WorkbookGrid) -> bool:
        """Whether a workbook's sheets are this kind's (checked in ``KIND_MODULES`` order)."""

    def parse(self, grid: WorkbookGrid) -> Workbook:
        """The model; raises NotATemplateError listing what is missing."""

    def matches_definition(self, data: dict[str, Any]) -> bool:
        """Whether a parsed definition file describes this kind."""

    def from_definition(self, data: dict[str, Any], errors: list[str]) -> Workbook:
        """The model from a parsed definition; problems appended to ``errors``."""

    def blank(self, years: Sequence[int] | None) -> Workbook:
        """The model of a new empty workbook."""

    def prepare_new(self, model: Workbook, years: Sequence[int] | None) -> None:
        """Check (and complete) a model before its workbook is built; UsageError if not."""

    def build(self, model: Workbook) -> Any:
        """The openpyxl workbook of the model (sheets, lists, protection, formulas)."""

    def created_message(self, model: Workbook, path: Path) -> str:
        """The line ``sheetprog new`` prints."""

    def info_text(self, model: Workbook, problems: list[Any]) -> str:
        """What ``info`` prints (``problems``: the reader's, as findings); no personal data."""

    def info_dict(self, model: Workbook, problems: list[Any]) -> dict[str, Any]:
        """What ``info --json`` prints; never personal data."""

    def assess(
        self,
        model: Workbook,
        path: Path,
        *,
        period: str | None,
        method: str | None,
        settings: Any,
    ) -> Any:
        """The kind's assessment for a period (default: the passport's)."""

    def assessment_text(self, result: Any) -> str: ...

    def assessment_dict(self, result: Any) -> dict[str, Any]: ...

    def assessment_rows(self, result: Any) -> tuple[list[Row], dict[int, float]]:
        """The «Оценка» sheet: rows and column widths."""

    def assessment_message(self, result: Any) -> str:
        """One sentence for a message box: the rating and where the details are."""


@cache
def all_kinds() -> tuple[WorkbookKind, ...]:
    return tuple(importlib.import_module(name).KIND for name in KIND_MODULES)


def get_kind(name: str) -> WorkbookKind:
    for kind in all_kinds():
        if kind.name == name:
            return kind
    raise UsageError(
        f"Вид книги «{name}» неизвестен: допустимо {', '.join(k.name for k in all_kinds())}."
    )


def kind_of(model: Workbook) -> WorkbookKind:
    return get_kind(model.KIND)


def kind_for_grid(grid: WorkbookGrid) -> WorkbookKind:
    for kind in all_kinds():
        if kind.recognise(grid):
            return kind
    return all_kinds()[-1]  # the last kind reads the rest and says what is missing


def kind_for_definition(data: dict[str, Any]) -> WorkbookKind:
    for kind in all_kinds():
        if kind.matches_definition(data):
            return kind
    return all_kinds()[-1]
