"""Entry points for reserve workbooks: assessment, write-back and the Word report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sheetprog.errors import UsageError
from sheetprog.reserve.assess import ReserveAssessment, ReserveSettings, assess_reserve
from sheetprog.reserve.model import Reserve

if TYPE_CHECKING:
    from sheetprog.api import ReportResult


def reserve_settings(path: Path, config: str | Path | None) -> ReserveSettings:
    from sheetprog.config import find_config, read_config_text
    from sheetprog.reserve.assess import settings_from_toml

    found = find_config(path, Path(config) if config else None)
    if found is None:
        return ReserveSettings()
    return settings_from_toml(read_config_text(found), str(found))


def assess_reserve_book(
    reserve: Reserve, path: Path, *, period: str | None = None, config: str | Path | None = None
) -> ReserveAssessment:
    if period:
        if not period.isdigit() or len(period) != 4:
            raise UsageError("Для кадрового резерва период — год, например --period 2024.")
        year = int(period)
    elif reserve.passport.year:
        year = reserve.passport.year
    else:
        raise UsageError(f"В паспорте книги «{path}» не указан отчётный год; укажите --period.")
    return assess_reserve(reserve, year, reserve_settings(path, config))


def reserve_report(
    reserve: Reserve,
    path: Path,
    *,
    period: str | None = None,
    out: str | Path | None = None,
    template: str | Path | None = None,
    config: str | Path | None = None,
    pdf: bool = False,
    replace: bool = False,
    with_names: bool = False,
    today: dt.date | None = None,
) -> ReportResult:
    """The reserve report (.docx, and its PDF when ``pdf``); names only ``with_names``."""
    from sheetprog.api import ReportResult
    from sheetprog.reports.render import write_report
    from sheetprog.reports.templates_build import default_template
    from sheetprog.reserve.views import reserve_context

    assessment = assess_reserve_book(reserve, path, period=period, config=config)
    context = reserve_context(reserve, assessment, with_names=with_names, today=today)
    target = Path(out) if out else path.parent / f"Оценка резерва {assessment.year}.docx"
    template_path = Path(template) if template else default_template("reserve")
    pdf_path = write_report(template_path, context, target, replace=replace, pdf=pdf)
    return ReportResult(target, pdf_path, 0)
