"""sheetprog.toml, found and parsed once per command into one typed ``Settings``.

Where it is looked for: ``--config``, else next to the workbook, else the current
folder. Its sections: ``[methodology]`` (docs/methodology.md), ``[checks]``
(docs/checks.md), ``[reserve]`` (docs/reserve.md) and ``[region]`` (docs/batch.md).
Every section is validated when the file is loaded, so a mistake is reported before any
work starts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetprog.assess.methodology import Methodology, methodology_from_table, preset
from sheetprog.batch.config import RegionSettings
from sheetprog.checks.base import CheckConfig
from sheetprog.errors import ConfigError, UsageError
from sheetprog.reserve.assess import ReserveSettings

CONFIG_NAME = "sheetprog.toml"
SECTIONS = ("methodology", "checks", "reserve", "region", "project")


@dataclass(frozen=True)
class Settings:
    """Everything a command reads from sheetprog.toml (defaults when there is none)."""

    path: Path | None = None
    checks: CheckConfig = field(default_factory=CheckConfig)
    reserve: ReserveSettings = field(default_factory=ReserveSettings)
    region: RegionSettings = field(default_factory=RegionSettings)
    methodology_table: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    # [project]: the project structure's methodology options (sheetprog.project.assess)
    project_table: dict[str, Any] = field(default_factory=dict)

    def methodology(self, passport_method: str | None, method: str | None = None) -> Methodology:
        """--method, else the passport's «Методика оценки», else "average"; then [methodology]
        (an explicit --method wins over the file's preset). An unknown --method is a
        UsageError (exit 2), an unknown passport methodology a ConfigError (exit 3)."""
        name = method or passport_method
        try:
            base = preset(name) if name else preset("average")
        except ConfigError as exc:
            if method:  # asked for on the command line: a usage error, not a bad file
                raise UsageError(exc.message) from exc
            raise
        if self.path is None:
            return base
        table = dict(self.methodology_table)
        if method:
            table.pop("preset", None)
        return methodology_from_table(table, self.text, str(self.path), base=base)


def find_config(workbook: Path | None, explicit: Path | None) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"Файл настроек «{explicit}» не найден.")
        return explicit
    for folder in ([workbook.resolve().parent] if workbook else []) + [Path.cwd()]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(workbook: Path | None, explicit: str | Path | None = None) -> Settings:
    """Find sheetprog.toml for ``workbook`` and parse and validate all of it, once."""
    from sheetprog.batch.config import region_from_table
    from sheetprog.checks.settings import config_from_table
    from sheetprog.reserve.assess import settings_from_table

    found = find_config(workbook, Path(explicit) if explicit else None)
    if found is None:
        return Settings()
    try:
        text = found.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:  # issue 20: no permission, not text
        raise ConfigError(
            f"Файл настроек «{found}» не читается ({exc.__class__.__name__}: "
            f"{getattr(exc, 'strerror', None) or exc}). Проверьте права на файл и что это "
            "текстовый файл в кодировке UTF-8."
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Файл настроек «{found}»: синтаксическая ошибка TOML: {exc}") from exc
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise ConfigError(
            f"Файл настроек «{found}»: неизвестные разделы "
            + ", ".join(f"[{k}]" for k in unknown)
            + "; допустимы [methodology], [checks], [reserve] и [region]"
            + " (и [project] — для программ в структуре проектов)."
        )
    table = data.get("methodology", {})
    if not isinstance(table, dict):
        raise ConfigError(f"Файл настроек «{found}»: [methodology] должен быть таблицей.")
    settings = Settings(
        path=found,
        checks=config_from_table(data.get("checks", {}), str(found)),
        reserve=settings_from_table(data.get("reserve", {}), str(found)),
        region=region_from_table(data.get("region", {}), text, str(found)),
        methodology_table=table,
        text=text,
        project_table=_project_table(data, found),
    )
    settings.methodology(None)  # validate [methodology] now, with the default preset
    return settings


def _project_table(data: dict[str, Any], found: Path) -> dict[str, Any]:
    """[project], validated now (with its preset or the default) so a mistake stops early."""
    from sheetprog.project.assess import project_method

    table = data.get("project", {})
    if not isinstance(table, dict):
        raise ConfigError(f"Файл настроек «{found}»: [project] должен быть таблицей.")
    try:
        project_method(None, table, str(found))
    except UsageError as exc:  # an unknown preset in the file: the file is wrong
        raise ConfigError(f"Файл настроек «{found}»: {exc.message}") from exc
    return table
