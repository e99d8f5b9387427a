"""Reserve definition files (YAML/TOML): passport, reservists, vacancies, plans."""

from __future__ import annotations

from typing import Any

from sheetprog.read.definition import passport_from_dict, row_from_dict
from sheetprog.reserve.layout import PASSPORT_FIELDS, PLANS, REGISTER, VACANCIES
from sheetprog.reserve.model import DevelopmentPlan, Reserve, ReservePassport, Reservist, Vacancy

SECTIONS = (
    ("reservists", REGISTER, Reservist),
    ("vacancies", VACANCIES, Vacancy),
    ("plans", PLANS, DevelopmentPlan),
)


def reserve_from_dict(data: dict[str, Any], errors: list[str]) -> Reserve:
    for key in data:
        if key not in ("kind", "passport", *(s[0] for s in SECTIONS)):
            errors.append(
                f"{key}: неизвестный раздел (допустимы kind, passport, reservists, "
                "vacancies, plans)"
            )
    reserve = Reserve(
        passport=passport_from_dict(
            data.get("passport") or {}, errors, PASSPORT_FIELDS, ReservePassport()
        )
    )
    for section, table, cls in SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            errors.append(f"{section}: ожидается список")
            continue
        setattr(
            reserve,
            section,
            [
                row_from_dict(item, table, cls, f"{section}[{i}]", errors)
                for i, item in enumerate(items)
            ],
        )
    return reserve
