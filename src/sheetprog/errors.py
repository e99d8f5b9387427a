"""Every exception sheetprog raises on purpose, under one root.

Findings in data are *not* exceptions (they are collected in check reports); only
input that cannot be read at all, a broken template or configuration, wrong usage or
an output that cannot be written raises. Every error carries a Russian message for
the user (``str(err)``) and the CLI exit code it maps to::

    SheetprogError                      (exit 3 unless a subclass says otherwise)
    ├── UnreadableInputError            3  the workbook cannot be read
    │   └── NotATemplateError           3  readable, but not a sheetprog workbook (``missing``)
    ├── DefinitionError                 3  a program definition (YAML/TOML) is invalid
    │   └── ConfigError                 3  sheetprog.toml has unknown keys or bad values
    ├── TemplateError                   3  a Word template cannot be rendered
    ├── LibreOfficeError                3  LibreOffice is missing or failed
    ├── UsageError                      2  wrong command-line usage found after parsing
    ├── OutputError                     2  an output cannot be written (exists, locked, …)
    │   └── OutputWriteError            5  the environment refused the write: read-only or
    │                                      locked file or folder, a folder in the file's place,
    │                                      disk full, no permission (issue 20)
    └── ReportBlockedError              1  check errors and ``--on-errors block``

A reader that closes the pipe early (``sheetprog info X --json | head -1``) ends the
command quietly with ``EXIT_CLOSED_PIPE`` (141 = 128 + SIGPIPE, what the shell reports for
``yes | head -1``).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_INTERNAL = 4
EXIT_OUTPUT = 5  # an output the environment would not let us write (OutputWriteError)
EXIT_CLOSED_PIPE = 141


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


class ConfigError(DefinitionError):
    """A configuration file (sheetprog.toml) has unknown keys or invalid values."""


class TemplateError(SheetprogError):
    """A Word template that cannot be rendered (exit code 3)."""


class LibreOfficeError(SheetprogError):
    """LibreOffice is missing or failed."""


class UsageError(SheetprogError):
    """Wrong command-line usage detected after parsing (exit code 2)."""

    exit_code = EXIT_USAGE


class OutputError(SheetprogError):
    """An output cannot be written (exists without --replace, missing folder, locked)."""

    exit_code = EXIT_USAGE


class OutputWriteError(OutputError):
    """The file system refused an output (exit code 5): read-only, locked, a folder in
    place of the file, disk full, no permission. The message names the path and what to do;
    nothing half-written is left (outputs are written to a temporary file and renamed)."""

    exit_code = EXIT_OUTPUT


class ReportBlockedError(SheetprogError):
    """The workbook has check errors and the user asked to block reports on errors."""

    exit_code = EXIT_FINDINGS
