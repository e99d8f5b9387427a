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
from sheetprog.checks.docs import render as render_checks
from sheetprog.cli_reference import render as render_cli
from sheetprog.io.xlsm import vba_module
from sheetprog.reports.docs import render as render_templates
from sheetprog.reports.templates_build import build_templates
from sheetprog.spec_doc import render

ROOT = Path(__file__).resolve().parent.parent
BLANK_TEMPLATES = {
    "workbooks/programma-2025-2030.xlsx": list(range(2025, 2031)),
    "workbooks/programma-2025-2030.xlsm": list(range(2025, 2031)),
}


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
    (ROOT / "docs" / "templates.md").write_text(render_templates(), encoding="utf-8")
    print("docs/templates.md")
    (ROOT / "docs" / "cli.md").write_text(render_cli(), encoding="utf-8")
    print("docs/cli.md")
    for path in build_templates(ROOT / "templates"):
        print(path.relative_to(ROOT))
    (ROOT / "macros" / "sheetprog.bas").write_text(vba_module(), encoding="ascii")
    print("macros/sheetprog.bas")


if __name__ == "__main__":
    main()
