"""The municipal program workbook kind, as registered in ``sheetprog.kinds``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sheetprog.errors import UsageError
from sheetprog.grid import Row, WorkbookGrid
from sheetprog.model import Program
from sheetprog.periods import Period


class ProgramKind:
    name = Program.KIND
    genitive = "муниципальной программы"  # «книга …»
    title = "муниципальная программа"

    def recognise(self, grid: WorkbookGrid) -> bool:
        return True  # the default kind: it reads the rest and says what is missing

    def parse(self, grid: WorkbookGrid) -> Program:
        from sheetprog.program.reader import parse_program_grid

        return parse_program_grid(grid)

    def matches_definition(self, data: dict[str, Any]) -> bool:
        return bool(data.get("kind", self.name) == self.name)

    def from_definition(self, data: dict[str, Any], errors: list[str]) -> Program:
        from sheetprog.program.definition import program_from_dict

        return program_from_dict(data, errors)

    def blank(self, years: Sequence[int] | None) -> Program:
        return Program()

    def prepare_new(self, model: Any, years: Sequence[int] | None) -> None:
        passport = model.passport
        if years:
            if passport.years and passport.years != list(years):
                raise UsageError(
                    f"Годы --years {years[0]}-{years[-1]} не совпадают с годами реализации в "
                    f"описании ({passport.first_year}-{passport.last_year})."
                )
            passport.first_year, passport.last_year = years[0], years[-1]
        if not passport.years:
            raise UsageError(
                "Не заданы годы реализации: укажите --years 2019-2023 или first_year/last_year "
                "в паспорте описания программы."
            )
        if (
            passport.first_year is not None
            and passport.last_year is not None
            and (
                passport.last_year < passport.first_year
                or passport.last_year - passport.first_year > 30
            )
        ):
            raise UsageError("Годы реализации заданы неверно: ожидается, например, 2019-2023.")

    def build(self, model: Any) -> Any:
        from sheetprog.io.builder import build_workbook

        return build_workbook(model)

    def created_message(self, model: Any, path: Path) -> str:
        p = model.passport
        return (
            f"Создана книга «{path}»: годы {p.first_year}–{p.last_year}, показателей "
            f"{len(model.indicators)}, мероприятий {len(model.activities)}, строк "
            f"финансирования {len(model.funding)}."
        )

    def info_text(self, model: Any, problems: list[Any]) -> str:
        from sheetprog.program.info import info_text

        return info_text(model, problems)

    def info_dict(self, model: Any, problems: list[Any]) -> dict[str, Any]:
        from sheetprog.program.info import info_dict

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
        from sheetprog.assess.engine import assess

        chosen = choose_period(model, period, path)
        return assess(model, chosen, settings.methodology(model.passport.methodology, method))

    def assessment_text(self, result: Any) -> str:
        from sheetprog.assess.view import assessment_text

        return assessment_text(result)

    def assessment_dict(self, result: Any) -> dict[str, Any]:
        from sheetprog.assess.view import assessment_dict

        return assessment_dict(result)

    def assessment_rows(self, result: Any) -> tuple[list[Row], dict[int, float]]:
        from sheetprog.assess.sheet import WIDTHS, assessment_rows

        return assessment_rows(result), WIDTHS

    def assessment_message(self, result: Any) -> str:
        from sheetprog.fmt import percent

        value = percent(result.rating.value) if result.rating.value is not None else "—"
        status = f" {result.status_text}" if result.status_text else ""  # issue 18
        return (
            f"Оценка эффективности за {result.period.label}: {value} — "
            f"{result.rating.label}.{status} Подробности на листе «Оценка»."
        )


def choose_period(program: Program, period: str | None, path: Path) -> Period:
    """The period asked for (``--period``), else the passport's reporting period; a usage
    error when there is none or it lies outside the program's years."""
    from sheetprog.periods import parse_period

    if period:
        try:
            chosen = parse_period(period)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    else:
        reporting = program.passport.reporting_period
        if reporting is None:
            raise UsageError(
                f"В паспорте книги «{path}» не указан отчётный год (Паспорт, «Отчётный "
                "год»); заполните его или укажите --period, например --period 2021."
            )
        chosen = reporting
    years = program.years
    if years and chosen.year not in years:
        raise UsageError(
            f"Период {chosen.label} вне лет реализации программы «{path}» "
            f"({years[0]}–{years[-1]}): укажите --period с годом из "
            + ", ".join(map(str, years))
            + (" или исправьте «Отчётный год» в паспорте." if not period else ".")
        )
    return chosen


KIND = ProgramKind()
