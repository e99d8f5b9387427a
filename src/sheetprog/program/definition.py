"""Program definition files (YAML or TOML) ↔ program model.

A region prefills plans this way; clerks then only enter facts. Values are parsed by
exactly the same rules as workbook cells, so a value means the same in a definition and
in a workbook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sheetprog import spec
from sheetprog.model import Activity, Explanation, FundingLine, Indicator, Passport, Program
from sheetprog.read.bind import get_value
from sheetprog.read.definition import passport_from_dict, row_from_dict
from sheetprog.spec import TableSheet

# Per-year mappings in a definition: name → (column key, whether quarters are allowed)
_PER_YEAR = {
    spec.SHEET_INDICATORS: {"plan": ("plan", False), "fact": ("fact", True)},
    spec.SHEET_FUNDING: {
        "plan": ("plan", False),
        "budget_list": ("budget_list", False),
        "cash": ("cash", True),
        "actual": ("cash", False),
    },
    spec.SHEET_ACTIVITIES: {
        "year_status": ("year_status", False),
        "year_result": ("year_result", False),
    },
    spec.SHEET_EXPLANATIONS: {},
}
_SECTIONS: tuple[tuple[str, TableSheet, type], ...] = (
    ("indicators", spec.INDICATORS, Indicator),
    ("activities", spec.ACTIVITIES, Activity),
    ("funding", spec.FUNDING, FundingLine),
    ("explanations", spec.EXPLANATIONS, Explanation),  # issue 18: «Пояснения»
)


def program_from_dict(data: dict[str, Any], errors: list[str]) -> Program:
    for key in data:
        if key not in ("passport", *(s[0] for s in _SECTIONS)):
            errors.append(
                f"{key}: неизвестный раздел (допустимы passport, indicators, activities, "
                "funding, explanations)"
            )
    passport = passport_from_dict(
        data.get("passport") or {}, errors, spec.PASSPORT_FIELDS, Passport()
    )
    program = Program(passport=passport)
    for section, table, cls in _SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            errors.append(f"{section}: ожидается список")
            continue
        objects = [
            row_from_dict(item, table, cls, f"{section}[{i}]", errors, _PER_YEAR[table.name])
            for i, item in enumerate(items)
        ]
        setattr(program, section, objects)
    return program


def program_to_dict(program: Program) -> dict[str, Any]:
    """The program as a definition (the inverse of ``program_from_dict``), YAML-safe."""
    from sheetprog.io.cellvalues import to_cell

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    passport: dict[str, Any] = {}
    for fld in spec.PASSPORT_FIELDS:
        value = getattr(program.passport, fld.key)
        if fld.per_year:
            if value:
                passport[fld.key] = {year: str(v) for year, v in value.items()}
        elif value is not None and value != []:
            passport[fld.key] = plain(to_cell(fld.kind, value))
    data: dict[str, Any] = {"passport": passport}
    for section, table, _cls in _SECTIONS:
        rows = []
        for obj in getattr(program, section):
            row: dict[str, Any] = {}
            for col in table.columns:
                if col.per_year or col.computed:
                    continue
                value = get_value(obj, col, None)
                if value is not None and value is not False and value != []:
                    row[col.key] = plain(to_cell(col.kind, value))
            for name, (col_key, _quarters) in _PER_YEAR[table.name].items():
                if name == "actual":
                    continue
                attr = {"fact": "facts"}.get(col_key, col_key)
                values = getattr(obj, attr)
                if values:
                    row[name] = {
                        (k.key if hasattr(k, "key") else k): plain(
                            to_cell(
                                spec.Kind.TARGET
                                if col_key == "plan" and section == "indicators"
                                else spec.Kind.CHOICE
                                if col_key == "year_status"
                                else spec.Kind.NUMBER,
                                v,
                            )
                        )
                        for k, v in values.items()
                    }
            rows.append(row)
        if rows or section != "explanations":  # issue 18's section only when it has rows
            data[section] = rows
    return data
