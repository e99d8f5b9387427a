"""sheetprog: monitoring of municipal programs in a standardized Excel workbook."""

from __future__ import annotations

__version__ = "0.1.0"

from sheetprog.api import new_workbook, read_workbook
from sheetprog.errors import (
    DefinitionError,
    NotATemplateError,
    SheetprogError,
    UnreadableInputError,
    UsageError,
)

__all__ = [
    "DefinitionError",
    "NotATemplateError",
    "SheetprogError",
    "UnreadableInputError",
    "UsageError",
    "__version__",
    "new_workbook",
    "read_workbook",
]
