"""Finding and loading sheetprog.toml: --config, next to the workbook, or the current folder."""

from __future__ import annotations

from pathlib import Path

from sheetprog.checks.base import CheckConfig
from sheetprog.errors import UsageError
from sheetprog.methodology import Methodology, methodology_from_toml, preset
from sheetprog.model import Program

CONFIG_NAME = "sheetprog.toml"


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


SECTIONS = ("methodology", "checks", "reserve")


def read_config_text(config: Path) -> str:
    """The file's text, after checking that it has only known sections."""
    import tomllib

    from sheetprog.methodology import ConfigError

    text = config.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Файл настроек «{config}»: синтаксическая ошибка TOML: {exc}") from exc
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise ConfigError(
            f"Файл настроек «{config}»: неизвестные разделы "
            + ", ".join(f"[{k}]" for k in unknown)
            + "; допустимы [methodology], [checks] и [reserve]."
        )
    return text


def load_check_config(config: Path | None) -> CheckConfig:
    from sheetprog.checks import config_from_toml

    if config is None:
        return CheckConfig()
    return config_from_toml(read_config_text(config), str(config))


def load_methodology(
    program: Program, *, method: str | None = None, config: Path | None = None
) -> Methodology:
    """--method, else the passport's «Методика оценки», else "average"; then the config file."""
    name = method or program.passport.methodology
    base = preset(name) if name else preset("average")
    if config is None:
        return base
    text = read_config_text(config)
    if method:  # an explicit --method wins over the file's preset
        text = "\n".join(
            line for line in text.splitlines() if not line.strip().startswith("preset")
        )
    return methodology_from_toml(text, str(config), base=base)
