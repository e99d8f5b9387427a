"""Program definition files (YAML or TOML) → program model.

A region prefills plans this way; clerks then only enter facts. Values are
parsed by exactly the same rules as workbook cells (``cellparse``), so a value
means the same in a definition and in a workbook. Unknown keys and bad values
are all reported together, each with its place in the file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from sheetprog import spec
from sheetprog.bind import get_value, set_value
from sheetprog.cellparse import parse_cell
from sheetprog.errors import DefinitionError
from sheetprog.model import Activity, FundingLine, Indicator, Passport, Program
from sheetprog.periods import Span, parse_period
from sheetprog.spec import Column, TableSheet

# Per-year mappings in a definition: name → (column key, whether quarters are allowed)
_PER_YEAR = {
    spec.SHEET_INDICATORS: {"plan": ("plan", False), "fact": ("fact", True)},
    spec.SHEET_FUNDING: {
        "plan": ("plan", False),
        "budget_list": ("budget_list", False),
        "cash": ("cash", True),
        "actual": ("cash", False),
    },
    spec.SHEET_ACTIVITIES: {},
}
_SECTIONS: tuple[tuple[str, TableSheet, type], ...] = (
    ("indicators", spec.INDICATORS, Indicator),
    ("activities", spec.ACTIVITIES, Activity),
    ("funding", spec.FUNDING, FundingLine),
)


def load_definition(path: Path) -> Any:
    """Read a .yaml/.yml/.toml definition. Raises DefinitionError with every problem found."""
    name = str(path)
    if not path.is_file():
        raise DefinitionError(f"Файл описания программы «{name}» не найден.", path=name)
    text = path.read_text(encoding="utf-8-sig")
    try:
        is_toml = path.suffix.lower() == ".toml"
        data = tomllib.loads(text) if is_toml else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise DefinitionError(
            f"Файл описания «{name}» содержит синтаксическую ошибку: {exc}", path=name
        ) from exc
    if not isinstance(data, dict):
        raise DefinitionError(
            f"Файл описания «{name}»: ожидается словарь с разделами passport, indicators, "
            "activities, funding.",
            path=name,
        )
    errors: list[str] = []
    program: Any
    if data.get("kind") == "reserve" or "reservists" in data:
        from sheetprog.reserve.definition import reserve_from_dict

        program = reserve_from_dict(data, errors)
    else:
        program = program_from_dict(data, errors)
    if errors:
        raise DefinitionError(
            f"Файл описания «{name}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors),
            path=name,
        )
    return program


def program_from_dict(data: dict[str, Any], errors: list[str]) -> Program:
    for key in data:
        if key not in ("passport", *(s[0] for s in _SECTIONS)):
            errors.append(
                f"{key}: неизвестный раздел (допустимы passport, indicators, activities, funding)"
            )
    program = Program(passport=_passport(data.get("passport") or {}, errors))
    for section, table, cls in _SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            errors.append(f"{section}: ожидается список")
            continue
        objects = [
            _row(item, table, cls, f"{section}[{i}]", errors) for i, item in enumerate(items)
        ]
        setattr(program, section, objects)
    return program


def _passport(
    data: dict[str, Any],
    errors: list[str],
    field_list: tuple[spec.PassportField, ...] = spec.PASSPORT_FIELDS,
    passport: Any = None,
) -> Any:
    passport = Passport() if passport is None else passport
    fields = {f.key: f for f in field_list}
    for key, raw in data.items():
        fld = fields.get(key)
        where = f"passport.{key}"
        if fld is None:
            errors.append(f"{where}: неизвестное поле паспорта")
            continue
        if fld.per_year:
            if not isinstance(raw, dict):
                errors.append(f"{where}: ожидается словарь «год: сумма»")
                continue
            for year_key, item in raw.items():
                year = _year(year_key, f"{where}.{year_key}", errors)
                if year is not None:
                    value = _parse(fld.kind, key, item, f"{where}.{year_key}", errors)
                    if value is not None:
                        getattr(passport, key)[year] = value
            continue
        if isinstance(raw, list):
            raw = "\n".join(str(v) for v in raw)
        setattr(passport, key, _parse(fld.kind, key, raw, where, errors))
    return passport


def _row(item: Any, table: TableSheet, cls: type, where: str, errors: list[str]) -> Any:
    obj = cls()
    if not isinstance(item, dict):
        errors.append(f"{where}: ожидается словарь полей")
        return obj
    plain: dict[str, Column] = {c.key: c for c in table.columns if not c.per_year}
    per_year = _PER_YEAR.get(table.name, {})
    for key, raw in item.items():
        place = f"{where}.{key}"
        if key in per_year:
            col_key, quarters_allowed = per_year[key]
            if not isinstance(raw, dict):
                errors.append(f"{place}: ожидается словарь «год: значение»")
                continue
            for period_key, value in raw.items():
                _per_year_value(
                    obj,
                    table,
                    col_key,
                    quarters_allowed,
                    period_key,
                    value,
                    f"{place}.{period_key}",
                    errors,
                )
        elif key in plain and not plain[key].computed:
            col = plain[key]
            if isinstance(raw, list):
                raw = "; ".join(str(v) for v in raw)
            set_value(obj, col, None, _parse(col.kind, key, raw, place, errors))
            if key == "source":
                obj.source_text = str(raw).strip() if raw is not None else None
        else:
            errors.append(f"{place}: неизвестное поле")
    return obj


def _per_year_value(
    obj: Any,
    table: TableSheet,
    col_key: str,
    quarters_allowed: bool,
    period_key: Any,
    value: Any,
    place: str,
    errors: list[str],
) -> None:
    try:
        period = parse_period(str(period_key))
    except ValueError as exc:
        errors.append(f"{place}: {exc}")
        return
    if period.span is not Span.YEAR and not quarters_allowed:
        errors.append(f"{place}: здесь допустим только год")
        return
    col = table.column(col_key, period.span)
    set_value(obj, col, period.year, _parse(col.kind, col_key, value, place, errors))


def _year(raw: Any, where: str, errors: list[str]) -> int | None:
    try:
        period = parse_period(str(raw))
    except ValueError as exc:
        errors.append(f"{where}: {exc}")
        return None
    return period.year


def _parse(kind: spec.Kind, key: str, raw: Any, where: str, errors: list[str]) -> Any:
    value, problem = parse_cell(kind, key, raw)
    if problem is not None:
        errors.append(f"{where}: {problem[1]} (значение: {raw!r})")
    return value


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
                                else spec.Kind.NUMBER,
                                v,
                            )
                        )
                        for k, v in values.items()
                    }
            rows.append(row)
        data[section] = rows
    return data
