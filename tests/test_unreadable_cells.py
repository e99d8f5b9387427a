"""One finding per cell per cause: an unreadable plan or fact is the reader's finding there
(R002, R001, R008), not also «нет плана» (I03) or «нет факта» (I04/I12), as S01 does for
the passport (issue 19, item 3's leftover)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from sheetprog.api import check_workbook, read_workbook
from sheetprog.model import value_key

MISSING = {"I03", "I04", "I12"}


def _at(book: Path, *cells: str) -> list[tuple[str, str | None]]:
    return sorted(
        (f.code, f.cell)
        for f in check_workbook(book)[1].findings
        if f.cell in cells and f.sheet == "Показатели"
    )


def _write(book: Path, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(book)
    for cell, value in values.items():
        wb["Показатели"][cell] = value
    wb.save(book)


def test_unreadable_plan_and_fact_are_not_also_missing(example_copy, tmp_path: Path) -> None:
    book = example_copy("kaluga-2016.xlsx")
    model = read_workbook(book)
    period = model.passport.reporting_period
    assert period is not None
    # the plan of one indicator, the fact of another that has a plan for the period
    first, second = model.indicators[0], model.indicators[1]
    assert second.plan.get(period.year) is not None
    plan = first.cells[f"plan.{period.year}"].split("!")[1]
    fact = second.cells[value_key("fact", period.year, period.span)].split("!")[1]

    _write(book, {plan: "много", fact: "34,1 чел"})
    assert _at(book, plan, fact) == sorted([("R002", plan), ("R001", fact)])

    # an error value in the fact cell: R008 alone
    _write(book, {fact: "#N/A"})
    assert [c for c, _ in _at(book, fact)] == ["R008"]

    # with the reader rules switched off, the cells are reported as missing again
    (tmp_path / "sheetprog.toml").write_text(
        '[checks]\ndisable = ["R001", "R002", "R008"]\n', encoding="utf-8"
    )
    found = _at(book, plan, fact)
    assert ("I03", plan) in found
    assert {c for c, ref in found if ref == fact} & {"I04", "I12"}
    assert not {c for c, _ in found} & {"R001", "R002", "R008"}

    # and empty cells are I03/I04 as before
    (tmp_path / "sheetprog.toml").unlink()
    _write(book, {plan: None, fact: None})
    found = _at(book, plan, fact)
    assert ("I03", plan) in found
    assert {c for c, ref in found if ref == fact} & {"I04", "I12"}
    assert all(c in MISSING for c, _ in found)
