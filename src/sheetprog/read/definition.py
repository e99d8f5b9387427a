"""Definition files (YAML or TOML) → a workbook kind's model: the parts every kind shares.

A region prefills plans this way; clerks then only enter facts. Values are
parsed by exactly the same rules as workbook cells (``cellparse``), so a value
means the same in a definition and in a workbook. Unknown keys and bad values
are all reported together, each with its place in the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from sheetprog import spec
from sheetprog.errors import DefinitionError
from sheetprog.periods import Span, parse_period
from sheetprog.read.bind import set_value
from sheetprog.read.cells import parse_cell
from sheetprog.spec import Column, TableSheet


def load_definition_data(path: Path) -> dict[str, Any]:
    """The parsed .yaml/.yml/.toml definition. Raises DefinitionError in Russian."""
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
    return data


def raise_errors(path: Path, errors: list[str]) -> None:
    """Every problem found in a definition, together, with its place in the file."""
    if errors:
        raise DefinitionError(
            f"Файл описания «{path}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors),
            path=str(path),
        )


def passport_from_dict(
    data: dict[str, Any],
    errors: list[str],
    field_list: tuple[spec.PassportField, ...],
    passport: Any,
) -> Any:
    """Fill the kind's ``passport`` object from the definition's passport section."""
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


def row_from_dict(
    item: Any,
    table: TableSheet,
    cls: type,
    where: str,
    errors: list[str],
    per_year: dict[str, tuple[str, bool]] | None = None,
) -> Any:
    """One table row of a definition as a ``cls`` object. ``per_year``: definition name →
    (column key, whether quarters are allowed), e.g. "fact" → ("fact", True)."""
    obj = cls()
    if not isinstance(item, dict):
        errors.append(f"{where}: ожидается словарь полей")
        return obj
    plain: dict[str, Column] = {c.key: c for c in table.columns if not c.per_year}
    per_year = per_year or {}
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
