"""Regenerate the committed workbooks from their sources.

    python scripts/regenerate.py

examples/*.yaml → examples/*.xlsx, the blank templates in workbooks/ and
docs/workbook-format.md.
A test (tests/test_committed_files.py) fails when a committed file differs from
what this produces.
"""

from __future__ import annotations

from pathlib import Path

from sheetprog.api import new_workbook
from sheetprog.checks_doc import render as render_checks
from sheetprog.spec_doc import render

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
    (ROOT / "docs" / "workbook-format.md").write_text(render(), encoding="utf-8")
    print("docs/workbook-format.md")
    (ROOT / "docs" / "checks.md").write_text(render_checks(), encoding="utf-8")
    print("docs/checks.md")


if __name__ == "__main__":
    main()
