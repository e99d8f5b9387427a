"""One exception root for everything sheetprog raises on purpose.

Findings in data are *not* exceptions (they are collected in reports); only
input that cannot be read at all, a broken template or a bad configuration
raises. Every error carries a Russian message for the user and maps to a CLI
exit code.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_INTERNAL = 4


class SheetprogError(Exception):
    """Root of all deliberate sheetprog errors. ``str(err)`` is the Russian message."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class UnreadableInputError(SheetprogError):
    """The input file cannot be read as a sheetprog workbook (exit code 3)."""

    exit_code = EXIT_UNREADABLE


class NotATemplateError(UnreadableInputError):
    """A readable workbook that lacks the sheets or columns of the template."""

    def __init__(self, message: str, *, path: str | None = None, missing: list[str]) -> None:
        super().__init__(message, path=path)
        self.missing = missing


class DefinitionError(SheetprogError):
    """A program definition file (YAML/TOML) is invalid (exit code 3)."""

    exit_code = EXIT_UNREADABLE


class UsageError(SheetprogError):
    """Wrong command-line usage detected after parsing (exit code 2)."""

    exit_code = EXIT_USAGE


class OutputError(SheetprogError):
    """An output cannot be written (exists without --force, missing folder, locked)."""

    exit_code = EXIT_USAGE
