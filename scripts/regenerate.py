"""Regenerate the committed workbooks from their sources.

    python scripts/regenerate.py

examples/*.yaml → examples/*.xlsx, and the blank templates in workbooks/.
A test (tests/test_committed_files.py) fails when a committed file differs from
what this produces.
"""

from __future__ import annotations

from pathlib import Path

from sheetprog.api import new_workbook

ROOT = Path(__file__).resolve().parent.parent
BLANK_TEMPLATES = {"workbooks/programma-2025-2030.xlsx": list(range(2025, 2031))}


def main() -> None:
    for definition in sorted((ROOT / "examples").glob("*.yaml")):
        out = definition.with_suffix(".xlsx")
        new_workbook(out, definition=definition, overwrite=True)
        print(f"{out.relative_to(ROOT)}")
    for name, years in BLANK_TEMPLATES.items():
        new_workbook(ROOT / name, years=years, overwrite=True)
        print(name)


if __name__ == "__main__":
    main()
