"""The ``[checks]`` section of sheetprog.toml: disabled rules, severities, tolerances."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from typing import Any

from sheetprog.checks.base import CheckConfig
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.checks.severity import Severity
from sheetprog.errors import ConfigError


def config_from_toml(text: str, source: str) -> CheckConfig:
    """The [checks] table of a sheetprog.toml text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Файл настроек «{source}»: синтаксическая ошибка TOML: {exc}") from exc
    return config_from_table(data.get("checks", {}), source)


def config_from_table(table: Any, source: str) -> CheckConfig:
    """The parsed [checks] table: disable = [...], [checks.severity], [checks.tolerance]."""
    config = CheckConfig()
    errors: list[str] = []
    for key, value in table.items():
        if key == "disable":
            for code in value if isinstance(value, list) else [value]:
                if code not in CATALOGUE:
                    errors.append(f"checks.disable: неизвестное правило «{code}»")
                config.disabled.add(str(code))
        elif key == "severity" and isinstance(value, dict):
            for code, name in value.items():
                if code not in CATALOGUE:
                    errors.append(f"checks.severity: неизвестное правило «{code}»")
                elif Severity.parse(str(name)) is None:
                    errors.append(
                        f"checks.severity.{code}: «{name}» — допустимо ошибка, "
                        "предупреждение, сведения"
                    )
                else:
                    config.severities[code] = Severity.parse(str(name))  # type: ignore[assignment]
        elif key == "tolerance" and isinstance(value, dict):
            for name, number in value.items():
                if name in DEVIATION_TOLERANCES:  # issue 18: shares, 0 allowed
                    _deviation_tolerance(config, name, number, errors)
                elif (
                    name not in ("money", "jump_ratio", "ci_bound")
                    or isinstance(number, bool)
                    or not (isinstance(number, int | float) and number > 0)
                ):
                    errors.append(
                        f"checks.tolerance.{name}: допустимо money, jump_ratio или ci_bound "
                        "с положительным числом (или deviation_under, deviation_over, "
                        "funding_under — доля плана от 0 до 1)"
                    )
                elif name == "money":
                    config.money_tolerance = Decimal(str(number))
                elif name == "jump_ratio":
                    config.jump_ratio = Decimal(str(number))
                else:
                    config.ci_bound = Decimal(str(number))
        else:
            errors.append(
                f"checks.{key}: неизвестный параметр (допустимы disable, severity, tolerance)"
            )
    if errors:
        raise ConfigError(
            f"Файл настроек «{source}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors)
        )
    return config


# -- issue 18: thresholds of deviations that need an explanation ----------------------------

DEVIATION_TOLERANCES = ("deviation_under", "deviation_over", "funding_under")


def _deviation_tolerance(config: CheckConfig, name: str, number: Any, errors: list[str]) -> None:
    """A share of the plan from 0 to 1 (0,1 = 10 %)."""
    if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= 1:
        errors.append(f"checks.tolerance.{name}: ожидается доля плана от 0 до 1 (0,1 = 10 %)")
        return
    setattr(config, name, Decimal(str(number)))
