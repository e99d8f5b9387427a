"""The history of a program in the project structure (issue 18, item 5). Pure.

The tracked values of a project-structure workbook, in the keys of
``sheetprog.program.history`` — (sheet, «Строка», «Графа») as the «Редакции» sheet names
them — so one «Редакции» sheet, one ``sheetprog amend`` and rules H02–H07 serve both
structures. Tracked: the passport fields of ``layout.AMENDED_PASSPORT_FIELDS`` (the volume
of funding per year included), the plan of every indicator and every result per year, and
every funding line's «План {год}» (the volume by the program). Not tracked: the budget
list (сводная бюджетная роспись on 1 January and on the reporting date) and cash — the
financial body changes the budget list during the year without amending the program, so a
change of it is no amendment; the reporting fields; facts and forecasts.

``tracked`` and ``changes`` take a model of either structure.
"""

from __future__ import annotations

from typing import Any

from sheetprog.program.history import (
    Key,
    PlanChange,
    Tracked,
    canon,
    changes_between,
    key_of,
    tracked_values,
)
from sheetprog.project.layout import (
    AMENDED_PASSPORT_FIELDS,
    FUNDING,
    INDICATORS,
    PASSPORT_FIELDS,
    RESULTS,
    SHEET_FUNDING,
    SHEET_INDICATORS,
    SHEET_RESULTS,
)
from sheetprog.project.model import ElementFunding, ProjectProgram
from sheetprog.spec import EDITION_VALUE_FIELD, SHEET_PASSPORT
from sheetprog.values import normalize_text


def tracked(model: Any) -> dict[Key, Tracked]:
    """The tracked values of a workbook of either structure."""
    if isinstance(model, ProjectProgram):
        return project_tracked_values(model)
    return tracked_values(model)


def changes(old: Any, new: Any) -> list[PlanChange]:
    """What was amended from ``old`` to ``new`` (either structure, both the same)."""
    return changes_between(tracked(old), tracked(new))


def funding_item(line: ElementFunding) -> str:
    """ "01 · местный бюджет": a funding line as «Строка» names it (``funding_items`` adds
    the КЦСР, then « (2)», where that alone repeats)."""
    source = line.source_text or (line.source.value if line.source else "")
    return f"{line.element or ''} · {source}"


def funding_items(lines: list[ElementFunding]) -> list[str]:
    base = [funding_item(line) for line in lines]
    counts: dict[str, int] = {}
    for name in base:
        counts[normalize_text(name)] = counts.get(normalize_text(name), 0) + 1
    named = [
        f"{name} · {line.kcsr}" if counts[normalize_text(name)] > 1 and line.kcsr else name
        for name, line in zip(base, lines, strict=True)
    ]
    seen: dict[str, int] = {}
    return [_unique(name, seen) for name in named]


def _unique(item: str, seen: dict[str, int]) -> str:
    """A repeated row name gets « (2)», « (3)» …: both rows stay tracked."""
    norm = normalize_text(item)
    seen[norm] = seen.get(norm, 0) + 1
    return item if seen[norm] == 1 else f"{item} ({seen[norm]})"


def _cell_years(cells: dict[str, str], kind: str) -> set[int]:
    out = set()
    for key in cells:
        name, _, rest = key.partition(".")
        if name == kind and rest.isdigit():
            out.add(int(rest))
    return out


def project_tracked_values(program: ProjectProgram) -> dict[Key, Tracked]:
    """Every tracked value of a project-structure program, by key (module docstring)."""
    out: dict[Key, Tracked] = {}

    def put(sheet: str, item: str, field: str, value: object, cell: str | None) -> None:
        out[key_of(sheet, item, field)] = Tracked(sheet, item, field, canon(value), cell)

    p = program.passport
    for fld in PASSPORT_FIELDS:
        if fld.key not in AMENDED_PASSPORT_FIELDS:
            continue
        if fld.per_year:
            per_year = getattr(p, fld.key)
            for year in sorted(set(per_year) | _cell_years(p.cells, fld.key)):
                put(
                    SHEET_PASSPORT,
                    fld.label_for(year),
                    EDITION_VALUE_FIELD,
                    per_year.get(year),
                    p.cells.get(f"{fld.key}.{year}"),
                )
        else:
            put(
                SHEET_PASSPORT,
                fld.label,
                EDITION_VALUE_FIELD,
                getattr(p, fld.key),
                p.cells.get(fld.key),
            )
    for sheet, table, rows in (
        (SHEET_INDICATORS, INDICATORS, program.indicators),
        (SHEET_RESULTS, RESULTS, program.results),
    ):
        header = table.column("plan").header
        for row, item in zip(rows, measured_items(rows, sheet), strict=True):
            for year in sorted(set(row.plan) | _cell_years(row.cells, "plan")):
                put(
                    sheet,
                    item,
                    header.format(year=year),
                    row.plan.get(year),
                    row.cells.get(f"plan.{year}"),
                )
    header = FUNDING.column("plan").header
    for line, item in zip(program.funding, funding_items(program.funding), strict=True):
        for year in sorted(set(line.plan) | _cell_years(line.cells, "plan")):
            put(
                SHEET_FUNDING,
                item,
                header.format(year=year),
                line.plan.get(year),
                line.cells.get(f"plan.{year}"),
            )
    return out


def measured_items(rows: list[Any], sheet: str) -> list[str]:
    """The indicators' (``sheet`` «Показатели») or results' rows as «Строка» names them,
    a repeated name with « (2)», « (3)» … — the names the tracked values and the reports'
    initial plans share."""
    seen: dict[str, int] = {}
    return [
        _unique(row.key if sheet == SHEET_RESULTS else indicator_item(row), seen) for row in rows
    ]


def indicator_item(row: Any) -> str:
    """An indicator as «Строка» names it: its code, else its number, else its name."""
    return str(row.code or row.number or row.name or "")


def project_funding_edition(program: ProjectProgram, year: int) -> Any:
    """The latest edition (in force order) that changed the funding of ``year`` — a line's
    «План {год}» on «Финансовое обеспечение» or the passport's volume of the year: what
    C08 names (as F03/F04 name ``program.history.funding_edition`` for the classic
    structure). None when no edition changed it. Returns a ``model.Edition``."""
    from sheetprog.program.history import edition_order

    plan = normalize_text(FUNDING.column("plan").header.format(year=year))
    volume = next(f for f in PASSPORT_FIELDS if f.key == "funding_total").label_for(year)
    for edition in sorted(program.editions, key=edition_order, reverse=True):
        for row in edition.changes:
            sheet, item = normalize_text(row.sheet or ""), normalize_text(row.item or "")
            if sheet == normalize_text(SHEET_FUNDING) and normalize_text(row.field or "") == plan:
                return edition
            if sheet == normalize_text(SHEET_PASSPORT) and item == normalize_text(volume):
                return edition
    return None
