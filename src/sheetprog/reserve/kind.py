"""The personnel-reserve workbook kind, as registered in ``sheetprog.kinds``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sheetprog.errors import UsageError
from sheetprog.grid import Row, WorkbookGrid
from sheetprog.reserve.layout import SHEET_REGISTER
from sheetprog.reserve.model import Reserve
from sheetprog.values import normalize_text


class ReserveKind:
    name = Reserve.KIND
    genitive = "кадрового резерва"  # «книга …»
    title = "кадровый резерв"

    def recognise(self, grid: WorkbookGrid) -> bool:
        register = normalize_text(SHEET_REGISTER)
        return any(normalize_text(n) == register for n in grid.sheets)

    def parse(self, grid: WorkbookGrid) -> Reserve:
        from sheetprog.reserve.reader import parse_reserve_grid

        return parse_reserve_grid(grid)

    def matches_definition(self, data: dict[str, Any]) -> bool:
        return data.get("kind") == self.name or "reservists" in data

    def from_definition(self, data: dict[str, Any], errors: list[str]) -> Reserve:
        from sheetprog.reserve.definition import reserve_from_dict

        return reserve_from_dict(data, errors)

    def blank(self, years: Sequence[int] | None) -> Reserve:
        return Reserve()

    def prepare_new(self, model: Any, years: Sequence[int] | None) -> None:
        return None  # the register has no per-year columns

    def build(self, model: Any) -> Any:
        from sheetprog.reserve.builder import build_reserve_workbook

        return build_reserve_workbook(model)

    def created_message(self, model: Any, path: Path) -> str:
        return (
            f"Создана книга кадрового резерва «{path}»: резервистов "
            f"{len(model.reservists)}, вакансий {len(model.vacancies)}."
        )

    def info_text(self, model: Any, problems: list[Any]) -> str:
        from sheetprog.reserve.views import reserve_info_text

        return reserve_info_text(model, problems)

    def info_dict(self, model: Any, problems: list[Any]) -> dict[str, Any]:
        from sheetprog.reserve.views import reserve_info_dict

        return reserve_info_dict(model, problems)

    def assess(
        self,
        model: Any,
        path: Path,
        *,
        period: str | None,
        method: str | None,
        settings: Any,
    ) -> Any:
        from sheetprog.reserve.assess import assess_reserve

        if period:
            if not period.isdigit() or len(period) != 4:
                raise UsageError("Для кадрового резерва период — год, например --period 2024.")
            year = int(period)
        elif model.passport.year:
            year = model.passport.year
        else:
            raise UsageError(f"В паспорте книги «{path}» не указан отчётный год; укажите --period.")
        return assess_reserve(model, year, settings.reserve)

    def assessment_text(self, result: Any) -> str:
        from sheetprog.reserve.views import reserve_text

        return reserve_text(result)

    def assessment_dict(self, result: Any) -> dict[str, Any]:
        from sheetprog.reserve.views import reserve_dict

        return reserve_dict(result)

    def assessment_rows(self, result: Any) -> tuple[list[Row], dict[int, float]]:
        from sheetprog.reserve.views import WIDTHS, reserve_rows

        return reserve_rows(result), WIDTHS

    def assessment_message(self, result: Any) -> str:
        return str(result.conclusion)


KIND = ReserveKind()
