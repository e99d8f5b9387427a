"""Project-structure definition files (YAML/TOML): passport, elements, indicators, results,
control points, funding. ``kind: project`` names the structure."""

from __future__ import annotations

from typing import Any

from sheetprog import spec
from sheetprog.model import Explanation
from sheetprog.project.layout import (
    ELEMENTS,
    FUNDING,
    INDICATORS,
    PASSPORT_FIELDS,
    POINTS,
    RESULTS,
)
from sheetprog.project.model import (
    ControlPoint,
    Element,
    ElementFunding,
    ProjectIndicator,
    ProjectPassport,
    ProjectProgram,
    Result,
)
from sheetprog.read.definition import passport_from_dict, row_from_dict

MEASURED = {"plan": ("plan", False), "fact": ("fact", True), "forecast": ("forecast", False)}
MONEY = {
    "plan": ("plan", False),
    "budget_initial": ("budget_initial", False),
    "budget_list": ("budget_list", False),
    "cash": ("cash", True),
}
SECTIONS: tuple[tuple[str, Any, type, dict[str, tuple[str, bool]]], ...] = (
    ("elements", ELEMENTS, Element, {}),
    ("indicators", INDICATORS, ProjectIndicator, MEASURED),
    ("results", RESULTS, Result, MEASURED),
    ("points", POINTS, ControlPoint, {}),
    ("funding", FUNDING, ElementFunding, MONEY),
    ("explanations", spec.EXPLANATIONS, Explanation, {}),  # issue 18: «Пояснения»
)


def project_from_dict(data: dict[str, Any], errors: list[str]) -> ProjectProgram:
    names = [s[0] for s in SECTIONS]
    for key in data:
        if key not in ("kind", "passport", *names):
            errors.append(
                f"{key}: неизвестный раздел (допустимы kind, passport, {', '.join(names)})"
            )
    program = ProjectProgram(
        passport=passport_from_dict(
            data.get("passport") or {}, errors, PASSPORT_FIELDS, ProjectPassport()
        )
    )
    for section, table, cls, per_year in SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            errors.append(f"{section}: ожидается список")
            continue
        setattr(
            program,
            section,
            [
                row_from_dict(item, table, cls, f"{section}[{i}]", errors, per_year)
                for i, item in enumerate(items)
            ],
        )
    return program
