"""Effectiveness methodologies as configuration: presets and the [methodology] TOML table.

Each municipality's "Порядок оценки эффективности" sets its own formulas, caps,
rounding and bands; the two families found in practice ship as presets and a
``sheetprog.toml`` overrides any option. Pure: parsing takes text, not files.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sheetprog.errors import ConfigError
from sheetprog.model import Source
from sheetprog.spec import METHODOLOGY_PRESETS, parse_source
from sheetprog.values import normalize_text


@dataclass(frozen=True)
class Band:
    min: Decimal | None  # None: everything below the previous band
    label: str  # "высокая"
    phrase: str  # "высокой" — as used in the conclusion sentence
    inclusive: bool = True  # value == min belongs to this band


FEDERAL_BANDS = (
    Band(Decimal("0.90"), "высокая", "высокой"),
    Band(Decimal("0.80"), "средняя", "средней"),
    Band(Decimal("0.70"), "удовлетворительная", "удовлетворительной"),
    Band(None, "неудовлетворительная", "неудовлетворительной"),
)

DEFAULT_CONCLUSION = (
    "На основе показателей эффективности можно сделать вывод о {phrase} эффективности "
    "реализации муниципальной программы."
)

FAMILIES = ("average", "federal")
CHOICES: dict[str, tuple[str, ...]] = {
    "family": FAMILIES,
    "weights": ("equal", "workbook"),
    "activities": ("all", "main", "funded"),
    "done": ("status", "result"),
    "plan_base": ("program", "budget_list"),
    "combine": ("none", "C", "C*U", "C/U", "weighted"),
    "subprogram_weights": ("spending", "equal", "literal"),
}


@dataclass(frozen=True)
class Methodology:
    key: str
    name: str
    family: str
    cap: Decimal | None = None  # upper limit of each Ci; None: no cap
    ci_digits: int | None = None  # round each Ci (as a fraction: 2 = whole percent)
    score_digits: int | None = None  # round each coefficient
    final_digits: int = 4  # round the rated figure before comparing it with the bands
    weights: str = "equal"  # equal, or the "Вес" column renormalised over counted indicators
    activities: str = "all"  # which activities count: all (leaf), main, funded
    done: str = "status"  # "done" = status «выполнено», or numeric result ≥ threshold
    result_threshold: Decimal = Decimal("0.95")
    plan_base: str = "program"  # funding plan: the program's, or the budget list (роспись)
    sources: tuple[Source, ...] | None = None  # None: all sources
    combine: str = "C*U"  # average family: how E is formed
    combine_weights: dict[str, Decimal] = field(
        default_factory=lambda: {"C": Decimal("0.5"), "U": Decimal("0.25"), "M": Decimal("0.25")}
    )
    subprogram_weights: str = "spending"  # federal: kj by spending share, equal, or literal "/j"
    execution_cap: Decimal | None = Decimal(1)  # Уи counted in E at most this (None: no limit)
    bands: tuple[Band, ...] = FEDERAL_BANDS
    conclusion: str = DEFAULT_CONCLUSION

    def band(self, value: Decimal) -> Band:
        for band in self.bands:
            if band.min is None:
                return band
            if value > band.min or (band.inclusive and value == band.min):
                return band
        return self.bands[-1]


PRESETS: dict[str, Methodology] = {
    "average": Methodology(
        key="average",
        name=METHODOLOGY_PRESETS["average"],
        family="average",
        score_digits=None,
        combine="C*U",
    ),
    "federal": Methodology(
        key="federal",
        name=METHODOLOGY_PRESETS["federal"],
        family="federal",
        cap=Decimal(1),
    ),
}


def preset(name: str) -> Methodology:
    """A preset by key ("average") or by the passport's dropdown text."""
    norm = normalize_text(name)
    for key, method in PRESETS.items():
        if norm in (key, normalize_text(method.name)):
            return method
    raise ConfigError(
        f"Методика «{name}» не найдена. Встроенные: "
        + "; ".join(f"{k} («{m.name}»)" for k, m in PRESETS.items())
        + ". Свою методику задайте в разделе [methodology] файла sheetprog.toml."
    )


# -- TOML -----------------------------------------------------------------------------------

_KEYS = {f.name for f in dataclasses.fields(Methodology)} - {"key"} | {"preset"}


def methodology_from_toml(text: str, source: str, base: Methodology | None = None) -> Methodology:
    """Apply the [methodology] table of a sheetprog.toml text to a preset."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Файл настроек «{source}»: синтаксическая ошибка TOML: {exc}") from exc
    return methodology_from_table(data.get("methodology", {}), text, source, base)


def methodology_from_table(
    table: Any, text: str, source: str, base: Methodology | None = None
) -> Methodology:
    """Apply a parsed [methodology] table to a preset (``text``: the file, for line numbers).

    Every unknown key and invalid value is reported together, with its line.
    """
    errors: list[str] = []
    if not isinstance(table, dict):
        raise ConfigError(f"Файл настроек «{source}»: [methodology] должен быть таблицей.")
    method = base or PRESETS["average"]
    if "preset" in table:
        try:
            method = preset(str(table["preset"]))
        except ConfigError as exc:
            errors.append(_where(text, "preset") + str(exc))
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "preset":
            continue
        if key not in _KEYS:
            errors.append(
                _where(text, key)
                + f"неизвестный параметр «{key}»; допустимы: "
                + ", ".join(sorted(_KEYS))
            )
            continue
        try:
            changes[key] = _convert(key, value)
        except ValueError as exc:
            errors.append(_where(text, key) + f"«{key}»: {exc}")
    if errors:
        raise ConfigError(
            f"Файл настроек «{source}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors)
        )
    if "name" not in changes and changes:
        changes["name"] = f"{method.name} (с настройками из {source})"
    changes.setdefault("key", method.key if not changes else "custom")
    return dataclasses.replace(method, **changes)


def _where(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line) or re.match(
            rf"^\s*\[\[?methodology\.{re.escape(key)}\]?\]", line
        ):
            return f"строка {number}: "
    return ""


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("ожидается число")
    try:
        return Decimal(str(value).replace(",", "."))
    except ArithmeticError as exc:
        raise ValueError("ожидается число") from exc


def _digits(value: Any) -> int | None:
    if value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError("ожидается целое число знаков от 0 до 10 или false")
    return value


def _convert(key: str, value: Any) -> Any:
    if key in ("name", "conclusion"):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("ожидается непустой текст")
        if key == "conclusion":
            try:
                value.format(phrase="", label="", value="")
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError("в шаблоне допустимы только {phrase}, {label} и {value}") from exc
        return value
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ValueError("допустимо: " + ", ".join(CHOICES[key]))
        return value
    if key in ("cap", "execution_cap"):
        if value is False:
            return None
        cap = _decimal(value)
        if cap <= 0:
            raise ValueError("ограничение должно быть больше 0 (или false — без ограничения)")
        return cap
    if key in ("ci_digits", "score_digits"):
        return _digits(value)
    if key == "final_digits":
        digits = _digits(value)
        if digits is None:
            raise ValueError("итоговое округление обязательно: укажите число знаков")
        return digits
    if key == "result_threshold":
        threshold = _decimal(value)
        if not 0 < threshold <= 1:
            raise ValueError("ожидается доля от 0 до 1, например 0.95")
        return threshold
    if key == "sources":
        if not isinstance(value, list) or not value:
            raise ValueError('ожидается список источников, например ["местный бюджет"]')
        sources = []
        for item in value:
            source = parse_source(str(item))
            if source is None:
                raise ValueError(f"источник «{item}» не распознан")
            sources.append(source)
        return tuple(sources)
    if key == "combine_weights":
        if not isinstance(value, dict) or set(value) - {"C", "U", "M"}:
            raise ValueError("ожидается таблица с ключами C, U, M")
        return {k: _decimal(v) for k, v in value.items()}
    if key == "bands":
        return _bands(value)
    raise ValueError("не поддерживается")  # pragma: no cover - _KEYS guards this


def _bands(value: Any) -> tuple[Band, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("ожидается список [[methodology.bands]] с min, label, phrase")
    bands: list[Band] = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "label" not in item:
            raise ValueError(f"полоса {i}: нужны label и (кроме последней) min")
        unknown = set(item) - {"min", "label", "phrase", "inclusive"}
        if unknown:
            raise ValueError(f"полоса {i}: неизвестные ключи {', '.join(sorted(unknown))}")
        minimum = _decimal(item["min"]) if "min" in item else None
        inclusive = item.get("inclusive", True)
        if not isinstance(inclusive, bool):
            raise ValueError(f"полоса {i}: inclusive — true или false")
        bands.append(
            Band(minimum, str(item["label"]), str(item.get("phrase", item["label"])), inclusive)
        )
    mins = [b.min for b in bands if b.min is not None]
    if mins != sorted(mins, reverse=True):
        raise ValueError("полосы перечисляются от большего min к меньшему")
    if any(b.min is None for b in bands[:-1]):
        raise ValueError("полоса без min может быть только последней")
    return tuple(bands)
