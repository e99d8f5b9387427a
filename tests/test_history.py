"""The program's history (issue 18): the «Редакции» sheet, ``sheetprog amend``, the checks."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog import spec
from sheetprog.api import read_workbook
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import Edition, EditionRow, Program
from sheetprog.program.history import (
    canon,
    group_editions,
    parse_act,
    plan_changes,
    reason_of,
    same,
    tracked_values,
)
from sheetprog.targets import parse_target
from tests.conftest import sha256, small_program

ACT = "постановление № 123 от 01.02.2022"


def _save(program: Program, path: Path, *, without_editions: bool = False) -> Path:
    wb = build_workbook(program)
    if without_editions:  # a workbook made before issue 18
        wb.remove(wb[spec.SHEET_EDITIONS])
    save_workbook(wb, path)
    return path


def _amended() -> Program:
    """The small program after an amendment: a plan, a funding plan and the passport."""
    program = small_program()
    program.indicators[0].plan[2022] = parse_target("свыше 85")
    program.funding[0].plan[2022] = Decimal("120")
    program.passport.funding_total = Decimal("320")
    program.passport.funding_by_year[2022] = Decimal("170")
    program.passport.reporting_year = 2022  # a reporting field: not an amendment
    return program


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# -- the pure core ---------------------------------------------------------------------------


def test_canonical_values_compare_by_meaning():
    assert canon(parse_target("Свыше 85")) == "свыше 85"
    assert same("свыше 85,0", "Свыше 85")
    assert same(Decimal("1234.50"), "1234,5")
    assert same(None, "")
    assert not same("свыше 85", "свыше 90")
    assert canon(["Дума", "КСП"]) == "Дума; КСП"


def test_parse_act_and_reason():
    assert parse_act(ACT) == ("постановление", "123", dt.date(2022, 2, 1))
    assert parse_act("Распоряжение N 45-р от 3.11.2021 г.") == (
        "Распоряжение",
        "45-р",
        dt.date(2021, 11, 3),
    )
    with pytest.raises(ValueError, match="не распознаны"):
        parse_act("постановление 123")
    assert reason_of("Решение о бюджете") == "решение о бюджете"
    assert reason_of("недостижение") == "недостижение показателей"
    assert reason_of("прочее") is None


def test_plan_changes_are_the_tracked_values_that_differ():
    changes = plan_changes(small_program(), _amended())
    found = {(c.sheet, c.item, c.field): (c.old, c.new) for c in changes}
    assert found == {
        ("Паспорт", "Объём финансирования, всего, тыс. руб.", "Значение"): ("300", "320"),
        ("Паспорт", "Объём финансирования 2022 г., тыс. руб.", "Значение"): ("150", "170"),
        ("Показатели", "1", "План 2022"): ("не менее 70", "свыше 85"),
        ("Финансирование", "1 · местный бюджет", "План 2022"): ("100", "120"),
    }
    # the reporting fields change with every report: not an amendment
    later = small_program()
    later.passport.reporting_year = 2022
    later.passport.signatory_name = "Е.С. Исаева"
    assert plan_changes(small_program(), later) == []


def test_repeated_funding_rows_stay_tracked_apart():
    program = small_program()
    program.funding.append(program.funding[0].__class__(**{**program.funding[0].__dict__}))
    keys = [k for k in tracked_values(program) if k[0] == "финансирование"]
    assert ("финансирование", "1 · местный бюджет (2)", "план 2021") in keys


def test_rows_group_into_editions_by_act():
    rows = [
        EditionRow("постановление", "1", dt.date(2022, 1, 10), sheet="Показатели", item="1"),
        EditionRow(sheet="Финансирование", item="1 · местный бюджет"),
        EditionRow("постановление", "7", dt.date(2022, 5, 1), reason="иное"),
    ]
    editions = group_editions(rows)
    assert [e.act_number for e in editions] == ["1", "7"]
    assert len(editions[0].changes) == 2 and editions[1].changes == []
    assert editions[1].title == "постановление № 7 от 01.05.2022"
    orphan = group_editions([EditionRow(sheet="Показатели", item="1")])
    assert orphan[0].act_date is None and len(orphan[0].changes) == 1


# -- the workbook ----------------------------------------------------------------------------


def test_new_workbook_has_the_editions_sheet_with_the_reason_list(built: Path):
    wb = openpyxl.load_workbook(built)
    ws = wb[spec.SHEET_EDITIONS]
    headers = [c.value for c in ws[spec.HEADER_ROW]]
    assert headers == [c.header for c in spec.EDITIONS.columns]
    reason_col = headers.index("Причина изменения") + 1
    letter = openpyxl.utils.get_column_letter(reason_col)
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation if letter in str(dv.sqref)]
    assert formulas == ["=lst_reason"]
    assert read_workbook(built).editions == []


def test_workbook_without_the_editions_sheet_keeps_working(tmp_path: Path):
    path = _save(small_program(), tmp_path / "old.xlsx", without_editions=True)
    program = read_workbook(path)
    assert program.editions == [] and program.problems == []


def test_unreadable_editions_sheet_is_a_located_problem(tmp_path: Path):
    wb = build_workbook(small_program())
    ws = wb[spec.SHEET_EDITIONS]
    for cell in ws[spec.HEADER_ROW]:
        cell.value = None
    save_workbook(wb, tmp_path / "x.xlsx")
    program = read_workbook(tmp_path / "x.xlsx")
    assert [(p.code, p.sheet) for p in program.problems] == [("H01", "Редакции")]


# -- sheetprog amend -------------------------------------------------------------------------


@pytest.mark.parametrize("without_sheet", [False, True])
def test_amend_writes_the_edition_and_loses_nothing(cli, tmp_path: Path, without_sheet: bool):
    old = _save(small_program(), tmp_path / "old.xlsx", without_editions=without_sheet)
    new = _save(_amended(), tmp_path / "new.xlsx", without_editions=without_sheet)
    before, old_hash = _parts(new), sha256(old)
    result = cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете")
    assert result.exit_code == 0, result.output
    assert "изменений 4" in result.stdout
    assert sha256(old) == old_hash  # the old submission is never touched
    after = _parts(new)
    changed = {n for n in after if before.get(n) != after[n]} | (set(before) - set(after))
    if without_sheet:  # the sheet added at the end: the book's list of sheets and its parts
        assert changed == {
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            *(n for n in after if n not in before),
        }
        assert len([n for n in after if n not in before]) == 1
    else:
        editions_part = next(
            n for n in changed if n.startswith("xl/worksheets/")
        )  # only the «Редакции» sheet's part changes
        assert changed == {editions_part}
    program = read_workbook(new)
    assert program.problems == []
    assert program == _amended_with(program.editions)  # every other value as it was
    (edition,) = program.editions
    assert edition.title == "постановление № 123 от 01.02.2022"
    assert edition.reason == "решение о бюджете"
    assert {(c.item, c.field, c.old, c.new) for c in edition.changes} == {
        ("Объём финансирования, всего, тыс. руб.", "Значение", "300", "320"),
        ("Объём финансирования 2022 г., тыс. руб.", "Значение", "150", "170"),
        ("1", "План 2022", "не менее 70", "свыше 85"),
        ("1 · местный бюджет", "План 2022", "100", "120"),
    }
    assert all(c.cell for c in edition.changes)
    wb = openpyxl.load_workbook(new)  # still a workbook a spreadsheet program opens
    assert wb.sheetnames.index(spec.SHEET_EDITIONS) == len(wb.sheetnames) - (
        1 if without_sheet else 2  # added last; in the template, before «Пояснения»
    )


def _amended_with(editions: list[Edition]) -> Program:
    program = _amended()
    program.editions = editions
    return program


def test_second_amendment_appends_below_the_first_keeping_its_rows(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    middle = _save(_amended(), tmp_path / "middle.xlsx")
    assert cli("amend", old, middle, "--act", ACT, "--reason", "иное").exit_code == 0
    later = _amended()
    later.indicators[0].plan[2021] = parse_target(60)
    new = _save(later, tmp_path / "new.xlsx")
    # the new submission starts as a copy of the amended one's «Редакции»
    wb = openpyxl.load_workbook(new)
    source = openpyxl.load_workbook(middle)[spec.SHEET_EDITIONS]
    for row in source.iter_rows(min_row=spec.FIRST_DATA_ROW, max_row=source.max_row):
        for cell in row:
            wb[spec.SHEET_EDITIONS][cell.coordinate].value = cell.value
    wb.save(new)
    result = cli(
        "amend",
        middle,
        new,
        "--act",
        "постановление № 200 от 15.06.2022",
        "--reason",
        "недостижение показателей",
        "--effective",
        "01.07.2022",
    )
    assert result.exit_code == 0, result.output
    editions = read_workbook(new).editions
    assert [e.act_number for e in editions] == ["123", "200"]
    assert editions[1].effective_date == dt.date(2022, 7, 1)
    assert [(c.item, c.old, c.new) for c in editions[1].changes] == [("1", "68", "60")]
    # the same act again: refused, the workbook unchanged
    before = sha256(new)
    again = cli(
        "amend", middle, new, "--act", "постановление № 200 от 15.06.2022", "--reason", "иное"
    )
    assert again.exit_code == 2 and "уже записана" in again.stderr
    assert sha256(new) == before


def test_amend_usage_errors_change_nothing(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    same_book = _save(small_program(), tmp_path / "same.xlsx")
    before = sha256(new)
    bad_act = cli("amend", old, new, "--act", "постановление 123", "--reason", "иное")
    assert bad_act.exit_code == 2 and "постановление № 123 от 01.02.2026" in bad_act.stderr
    bad_reason = cli("amend", old, new, "--act", ACT, "--reason", "прочее")
    assert bad_reason.exit_code == 2 and "решение о бюджете" in bad_reason.stderr
    bad_date = cli("amend", old, new, "--act", ACT, "--reason", "иное", "--effective", "вчера")
    assert bad_date.exit_code == 2 and "--effective" in bad_date.stderr
    assert sha256(new) == before
    nothing = cli("amend", old, same_book, "--act", ACT, "--reason", "иное")
    assert nothing.exit_code == 2 and "нет" in nothing.stderr


def test_amend_into_a_copy_leaves_new_as_it_is(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    before = sha256(new)
    copy = tmp_path / "copy.xlsx"
    result = cli("amend", old, new, "--act", ACT, "--reason", "иное", "-o", copy)
    assert result.exit_code == 0, result.output
    assert sha256(new) == before
    assert len(read_workbook(copy).editions) == 1


# -- the checks ------------------------------------------------------------------------------


def _findings(path: Path, previous: Path | None = None, code: str | None = None):
    from sheetprog.api import check_workbook

    _model, report = check_workbook(path, previous=previous)
    return [f for f in report.findings if code is None or f.code == code]


def test_change_without_edition_is_an_error_at_its_cell(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    found = _findings(new, old, "H02")
    program = read_workbook(new)
    assert {f.ref for f in found} == {
        program.passport.cells["funding_total"],
        program.passport.cells["funding_by_year.2022"],
        program.indicators[0].cells["plan.2022"],
        program.funding[0].cells["plan.2022"],
    }
    assert all(f.severity.name == "ERROR" for f in found)
    plan = next(f for f in found if f.sheet == "Показатели")
    assert "было «не менее 70», стало «свыше 85»" in plan.message
    assert _findings(new, None, "H02") == []  # without --previous there is nothing to compare
    assert cli("amend", old, new, "--act", ACT, "--reason", "иное").exit_code == 0
    assert _findings(new, old, "H02") == []
    assert _findings(new, old, "H04") == [] and _findings(new, old, "H07") == []


def test_removed_row_is_reported_on_its_sheet(tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    fewer = small_program()
    del fewer.funding[1]
    fewer.passport.funding_total = Decimal("200")
    fewer.passport.funding_by_year = {2021: Decimal("100"), 2022: Decimal("100")}
    new = _save(fewer, tmp_path / "new.xlsx")
    removed = [f for f in _findings(new, old, "H02") if f.sheet == "Финансирование"]
    assert {(f.cell, f.value) for f in removed} == {(None, None)}
    assert len(removed) == 2 and "1 · краевой бюджет" in removed[0].message


def test_edition_that_does_not_match_the_workbook(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    assert cli("amend", old, new, "--act", ACT, "--reason", "иное").exit_code == 0
    wb = openpyxl.load_workbook(new)
    program = read_workbook(new)
    cell = program.indicators[0].cells["plan.2022"].split("!")[1]
    wb[spec.SHEET_INDICATORS][cell] = "свыше 80"  # changed again after the edition
    wb.save(new)
    (found,) = _findings(new, None, "H04")
    edition = read_workbook(new).editions[0]
    row = next(r for r in edition.changes if r.item == "1")
    assert found.ref == row.cells["new"]
    assert "«свыше 85»" in found.message and "«свыше 80»" in found.message
    # …and against the previous submission the new value is an unrecorded change
    assert [f.value for f in _findings(new, old, "H02")] == ["свыше 80"]


def _with_editions(tmp_path: Path, *editions: Edition) -> Path:
    program = small_program()
    program.editions = list(editions)
    return _save(program, tmp_path / "book.xlsx")


def test_act_after_the_reporting_date(tmp_path: Path):
    late = Edition("постановление", "5", dt.date(2022, 1, 20), reason="иное")
    timely = Edition("постановление", "4", dt.date(2021, 12, 31), reason="иное")
    path = _with_editions(tmp_path, timely, late)
    (found,) = _findings(path, None, "H03")
    assert found.sheet == spec.SHEET_EDITIONS and found.value == dt.date(2022, 1, 20)
    assert "31.12.2021" in found.message


def test_edition_without_act_and_reason(tmp_path: Path):
    change = EditionRow(sheet="Показатели", item="1", field="План 2021", old="68", new="68")
    orphan = Edition(changes=[change])
    odd = Edition("постановление", "9", dt.date(2021, 3, 1), reason="по просьбе")
    path = _with_editions(tmp_path, orphan, odd)
    (h05,) = _findings(path, None, "H05")
    assert "Вид акта" in h05.message and "Дата акта" in h05.message
    h06 = _findings(path, None, "H06")
    assert [f.severity.name for f in h06] == ["WARNING", "WARNING"]
    assert any("не указана" in f.message for f in h06)
    assert any("«по просьбе» не из списка" in f.message for f in h06)


def test_edition_naming_nothing_in_the_workbook(tmp_path: Path):
    change = EditionRow(sheet="Показатели", item="П9", field="План 2021", old="1", new="2")
    path = _with_editions(
        tmp_path,
        Edition("постановление", "1", dt.date(2021, 2, 1), reason="иное", changes=[change]),
    )
    (found,) = _findings(path, None, "H04")
    assert "такой строки и графы в книге нет" in found.message


def test_old_value_of_a_new_edition_checked_against_the_previous_submission(tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    program = small_program()
    program.indicators[0].plan[2021] = parse_target(60)
    program.editions = [
        Edition(
            "постановление",
            "3",
            dt.date(2021, 6, 1),
            reason="недостижение показателей",
            changes=[
                EditionRow(sheet="Показатели", item="1", field="План 2021", old="65", new="60")
            ],
        )
    ]
    new = _save(program, tmp_path / "new.xlsx")
    assert _findings(new, old, "H02") == [] and _findings(new, old, "H04") == []
    (found,) = _findings(new, old, "H07")
    assert "«65»" in found.message and "«68»" in found.message


def test_passport_total_rule_points_at_the_funding_edition(cli, tmp_path: Path):
    old = _save(small_program(), tmp_path / "old.xlsx")
    half_done = small_program()
    half_done.funding[0].plan[2022] = Decimal("120")  # the table amended, the passport not
    half_done.passport.reporting_year = 2022
    new = _save(half_done, tmp_path / "new.xlsx")
    plain = {f.code: f.message for f in _findings(new, None) if f.code in ("F03", "F04")}
    assert set(plain) == {"F03", "F04"} and "редакции" not in plain["F03"]
    assert cli("amend", old, new, "--act", ACT, "--reason", "иное").exit_code == 0
    after = {f.code: f.message for f in _findings(new, None) if f.code in ("F03", "F04")}
    for code in ("F03", "F04"):
        assert "после редакции «постановление № 123 от 01.02.2022» (Редакции!C4)" in after[code]


# -- reports ---------------------------------------------------------------------------------


def test_reports_show_the_initial_plan_and_the_amendments(cli, tmp_path: Path):
    from tests.conftest import docx_content

    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    assert cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете").exit_code == 0
    out = tmp_path / "annual.docx"
    result = cli("report", "annual", new, "--period", "2022", "-o", out)
    assert result.exit_code == 0, result.output
    content = docx_content(out)
    blocks = [b for b in content["blocks"] if isinstance(b, str)]
    assert "В программу вносились изменения:" in blocks
    tables = [b for b in content["blocks"] if isinstance(b, list)]
    amendments = next(t for t in tables if t[0] == ["Акт", "В силе с", "Причина", "Что изменено"])
    assert amendments[1][:3] == [
        "постановление № 123 от 01.02.2022",
        "01.02.2022",
        "решение о бюджете",
    ]
    cells = [c for t in tables for row in t for c in row]
    assert "свыше 85 (первонач. не менее 70)" in cells
    # a report of a workbook without editions shows neither
    plain = tmp_path / "plain.docx"
    assert cli("report", "annual", old, "--period", "2021", "-o", plain).exit_code == 0
    plain_cells = [
        c for t in docx_content(plain)["blocks"] if isinstance(t, list) for r in t for c in r
    ]
    assert not any("первонач." in c for c in plain_cells)


def test_the_amendment_annex_report_kind(cli, tmp_path: Path):
    from sheetprog.reports.kinds import REPORT_KINDS
    from tests.conftest import docx_content

    assert REPORT_KINDS["amendment"].workbook == "program"
    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    refused = cli("report", "amendment", new, "-o", tmp_path / "x.docx")
    assert refused.exit_code == 2 and "sheetprog amend" in refused.stderr
    assert cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете").exit_code == 0
    out = tmp_path / "annex.docx"
    result = cli("report", "amendment", new, "-o", out)
    assert result.exit_code == 0, result.output
    content = docx_content(out)
    blocks = [b for b in content["blocks"] if isinstance(b, str)]
    assert "постановление № 123 от 01.02.2022" in blocks and "ИЗМЕНЕНИЯ," in blocks
    tables = [b for b in content["blocks"] if isinstance(b, list)]
    passport = next(t for t in tables if t[0] == ["Поле паспорта", "Было", "Стало"])
    assert ["Объём финансирования, всего, тыс. руб.", "300", "320"] in passport
    indicators = next(t for t in tables if t[0][:2] == ["№", "Показатель"])
    assert indicators[1] == [
        "1", "Доля служащих, прошедших обучение", "%", "План 2022", "не менее 70", "свыше 85",
    ]  # fmt: skip
    funding = next(t for t in tables if t[0][0] == "Мероприятие, источник")
    assert funding[1][0] == "1 · местный бюджет" and funding[1][3:] == ["100", "120"]


def test_a_draft_amendment_and_the_program_diff(cli, tmp_path: Path):
    import json

    from tests.conftest import docx_content

    old = _save(small_program(), tmp_path / "old.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    shown = cli("diff", old, new, "--program")
    assert shown.exit_code == 0 and "Изменений программы: 4" in shown.stdout
    assert "Показатели: 1, План 2022: «не менее 70» → «свыше 85»" in shown.stdout
    data = json.loads(cli("diff", old, new, "--program", "--json").stdout)
    assert {d["item"] for d in data} >= {"1", "1 · местный бюджет"}
    result = cli(
        "amend", old, new, "--act", "проект постановления", "--reason", "иное",
        "--what", "объёмы 2022 года", "--effective", "01.03.2022",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (edition,) = read_workbook(new).editions
    assert (edition.act_kind, edition.act_number, edition.act_date) == (
        "проект постановления",
        None,
        None,
    )
    assert edition.description == "объёмы 2022 года"
    assert edition.effective_date == dt.date(2022, 3, 1) == edition.in_force
    from sheetprog.api import check_workbook

    h05 = [f for f in check_workbook(new)[1].findings if f.code == "H05"]
    assert len(h05) == 1 and "Номер акта" in h05[0].message  # until it is adopted
    out = tmp_path / "annex.docx"
    assert cli("report", "amendment", new, "-o", out).exit_code == 0
    assert "проект постановления" in docx_content(out)["blocks"]


def test_a_previous_book_of_another_program_is_not_compared(tmp_path: Path):
    old = small_program()
    old.passport.oktmo = "05701000"
    previous = _save(old, tmp_path / "other.xlsx")
    new = _save(_amended(), tmp_path / "new.xlsx")
    assert _findings(new, previous, "H02") == []


def test_a_draft_counts_as_the_latest_edition():
    from sheetprog.program.history import latest_changes

    def change(new: str) -> EditionRow:
        return EditionRow(sheet="Показатели", item="1", field="План 2022", new=new)

    adopted = Edition("постановление", "5", dt.date(2022, 5, 1), changes=[change("80")])
    draft = Edition("проект постановления", changes=[change("85")])
    earlier = Edition("постановление", "2", dt.date(2022, 2, 1), changes=[change("75")])
    (found,) = latest_changes([draft, adopted, earlier]).values()
    assert found[0] is draft and found[1].new == "85"
    (found,) = latest_changes([adopted, earlier]).values()
    assert found[0] is adopted
