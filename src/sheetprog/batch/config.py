"""The ``[region]`` section of sheetprog.toml: how the region reviews a batch. Pure.

```toml
[region]
methodology = "average"      # the ranking methodology: a preset, or a table as [methodology]
exclude_errors = false       # workbooks with errors are not ranked (else ranked with a mark)
resubmit_days = 10           # a returned report is due again this many days after the run
authority = "Министерство экономического развития области"
signatory_position = "Заместитель министра"
signatory_name = "И.И. Иванов"
contact = "П.П. Петров, 8 (000) 000-00-00"
letter_template = "письмо.docx"   # the letter's template (beside this file); default:
                                  # templates/region-letter.docx
worker_memory_mb = 3072      # address space one file's worker may use (docs/limits.md)
worker_seconds = 300         # time one file may take; past it the file is «не прочитан»
```

Every program is also assessed with the ranking methodology, so the ranking compares
like with like; its own methodology's figure stays beside it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

from sheetprog.assess.methodology import PRESETS, Methodology, methodology_from_table, preset
from sheetprog.errors import ConfigError

TEXT_KEYS = ("authority", "signatory_position", "signatory_name", "contact", "letter_template")
# issue 20: each file's worker budget (batch.isolation, docs/limits.md)
BUDGET_KEYS = {"worker_memory_mb": (256, 1 << 20), "worker_seconds": (5, 86_400)}
KEYS = ("methodology", "exclude_errors", "resubmit_days", *TEXT_KEYS, *BUDGET_KEYS)


@dataclass(frozen=True)
class RegionSettings:
    """What the region's run reads from ``[region]`` (defaults when there is none)."""

    methodology: Methodology = field(default_factory=lambda: PRESETS["average"])
    chosen: bool = False  # the methodology was named in [region] (not the default)
    exclude_errors: bool = False
    resubmit_days: int = 10
    authority: str = ""
    signatory_position: str = ""
    signatory_name: str = ""
    contact: str = ""
    letter_template: str = ""  # a path, relative to sheetprog.toml; "": the default
    worker_memory_mb: int = 3072  # = batch.isolation.DEFAULT_MEMORY_MB
    worker_seconds: int = 300  # = batch.isolation.DEFAULT_SECONDS

    @functools.cached_property
    def method_id(self) -> str:
        """Identifies the ranking methodology with all its parameters: a stored record
        assessed with another one is assessed again."""
        digest = hashlib.sha256(repr(self.methodology).encode()).hexdigest()[:16]
        return f"{self.methodology.key}:{digest}"


def _line(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(f"{key} ") or stripped.startswith(f"{key}="):
            return f"строка {number}: "
        if stripped.startswith(f"[region.{key}]"):
            return f"строка {number}: "
    return ""


def region_from_table(table: Any, text: str, source: str) -> RegionSettings:
    """Validate a parsed ``[region]`` table; every mistake is reported together, with its
    line, in Russian."""
    if not isinstance(table, dict):
        raise ConfigError(f"Файл настроек «{source}»: [region] должен быть таблицей.")
    errors: list[str] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = _line(text, key)
        if key not in KEYS:
            errors.append(
                f"{where}неизвестный параметр [region] «{key}»; допустимы: " + ", ".join(KEYS)
            )
        elif key == "methodology":
            try:
                if isinstance(value, str):
                    values[key] = preset(value)
                elif isinstance(value, dict):
                    values[key] = methodology_from_table(value, text, source)
                else:
                    raise ConfigError(
                        "ожидается название методики или таблица [region.methodology]"
                    )
            except ConfigError as exc:
                errors.append(f"{where}«methodology»: {exc.message}")
            values["chosen"] = True
        elif key == "exclude_errors":
            if not isinstance(value, bool):
                errors.append(f"{where}«exclude_errors»: ожидается true или false")
            values[key] = value
        elif key == "resubmit_days":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                errors.append(f"{where}«resubmit_days»: ожидается целое число дней от 1 до 365")
            values[key] = value
        elif key in BUDGET_KEYS:
            low, high = BUDGET_KEYS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors.append(f"{where}«{key}»: ожидается целое число от {low} до {high}")
            values[key] = value
        else:
            if not isinstance(value, str):
                errors.append(f"{where}«{key}»: ожидается текст")
            values[key] = str(value).strip()
    if errors:
        raise ConfigError(
            f"Файл настроек «{source}», раздел [region], содержит ошибки:\n"
            + "\n".join(f"  — {e}" for e in errors)
        )
    return RegionSettings(**values)
