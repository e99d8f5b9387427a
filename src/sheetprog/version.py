"""The package version: one place, read by the CLI, the sheets sheetprog writes and packaging."""

__version__ = "0.1.0"
