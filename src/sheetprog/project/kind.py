"""The project-structure program kind («--structure project»), registered in ``sheetprog.kinds``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sheetprog.grid import Row, WorkbookGrid
from sheetprog.project.layout import SHEET_ELEMENTS
from sheetprog.project.model import ProjectProgram
from sheetprog.values import normalize_text


class ProjectKind:
    name = ProjectProgram.KIND
    genitive = "муниципальной программы (структура проектов)"  # «книга …»
    title = "муниципальная программа в структуре проектов"

    def recognise(self, grid: WorkbookGrid) -> bool:
        wanted = normalize_text(SHEET_ELEMENTS)
        return any(normalize_text(n) == wanted for n in grid.sheets)

    def parse(self, grid: WorkbookGrid) -> ProjectProgram:
        from sheetprog.project.reader import parse_project_grid

        return parse_project_grid(grid)

    def matches_definition(self, data: dict[str, Any]) -> bool:
        return data.get("kind") == self.name or "elements" in data

    def from_definition(self, data: dict[str, Any], errors: list[str]) -> ProjectProgram:
        from sheetprog.project.definition import project_from_dict

        return project_from_dict(data, errors)

    def blank(self, years: Sequence[int] | None) -> ProjectProgram:
        return ProjectProgram()

    def prepare_new(self, model: Any, years: Sequence[int] | None) -> None:
        from sheetprog.program.kind import KIND as PROGRAM

        PROGRAM.prepare_new(model, years)  # the same years rules and messages

    def build(self, model: Any) -> Any:
        from sheetprog.project.builder import build_project_workbook

        return build_project_workbook(model)

    def created_message(self, model: Any, path: Path) -> str:
        p = model.passport
        return (
            f"Создана книга «{path}» (структура проектов): годы {p.first_year}–{p.last_year}, "
            f"структурных элементов {len(model.elements)}, показателей "
            f"{len(model.indicators)}, результатов {len(model.results)}, контрольных точек "
            f"{len(model.points)}."
        )

    def info_text(self, model: Any, problems: list[Any]) -> str:
        from sheetprog.project.views import info_text

        return info_text(model, problems)

    def info_dict(self, model: Any, problems: list[Any]) -> dict[str, Any]:
        from sheetprog.project.views import info_dict

        return info_dict(model, problems)

    def assess(
        self,
        model: Any,
        path: Path,
        *,
        period: str | None,
        method: str | None,
        settings: Any,
    ) -> Any:
        from sheetprog.program.kind import choose_period
        from sheetprog.project.assess import assess_project, project_method

        chosen = choose_period(model, period, path)
        table = getattr(settings, "project_table", None)
        source = str(getattr(settings, "path", None) or "sheetprog.toml")
        methodology = project_method(method, table, source, model.passport.methodology)
        return assess_project(model, chosen, methodology)

    def assessment_text(self, result: Any) -> str:
        from sheetprog.project.views import assessment_text

        return assessment_text(result)

    def assessment_dict(self, result: Any) -> dict[str, Any]:
        from sheetprog.project.views import assessment_dict

        return assessment_dict(result)

    def assessment_rows(self, result: Any) -> tuple[list[Row], dict[int, float]]:
        from sheetprog.project.views import WIDTHS, assessment_rows

        return assessment_rows(result), WIDTHS

    def assessment_message(self, result: Any) -> str:
        from sheetprog.fmt import percent

        value = percent(result.value) if result.value is not None else "—"
        status = f" {result.status_text}" if result.status_text else ""  # issue 18
        return (
            f"Оценка эффективности за {result.period.label}: {value} — "
            f"{result.rating or 'без рейтинга'}.{status} Подробности на листе «Оценка»."
        )


KIND = ProjectKind()
