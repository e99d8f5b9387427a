"""Compare two workbooks by content (values, formulas, styles that matter, validations)."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def snapshot(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    data: dict = {
        "sheets": wb.sheetnames,
        "defined": {k: v.attr_text for k, v in wb.defined_names.items()},
    }
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.fill.fgColor.rgb not in (None, "00000000"):
                    cells[c.coordinate] = (
                        c.value,
                        c.number_format,
                        c.protection.locked,
                        c.fill.fgColor.rgb,
                    )
        data[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1, dv.prompt, dv.errorStyle)
                for dv in ws.data_validations.dataValidation
            ),
            "protected": ws.protection.sheet,
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "orientation": ws.page_setup.orientation,
        }
    return data
