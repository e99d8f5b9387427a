"""Issue 18, item 5: editions («Редакции», ``sheetprog amend``, H02–H07) for a program in
the project structure (issue 17). Tracked values: ``sheetprog.project.history``."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog import spec
from sheetprog.api import check_workbook, read_workbook
from sheetprog.io.builder import save_workbook
from sheetprog.model import Edition, EditionRow
from sheetprog.project.builder import build_project_workbook
from sheetprog.project.history import changes, project_tracked_values
from sheetprog.project.model import ProjectProgram
from tests.conftest import EXAMPLES, sha256

BOOK = EXAMPLES / "project-plodovskoe-2025.xlsx"
ACT = "постановление № 45 от 20.06.2025"
# the cells of the example changed by the «amendment» below (tests read them back by model)
CHANGED = {
    "Показатели": ("K4", 32),  # П1, План 2025: 30 → 32
    "Результаты": ("I4", 5),  # 1.1, План 2025: 4 → 5
    "Финансовое обеспечение": ("E5", 210),  # 1 01 · местный бюджет, План 2025: 200 → 210
}


def _example() -> ProjectProgram:
    model = read_workbook(BOOK)
    assert isinstance(model, ProjectProgram)
    return model


def _built(path: Path, model: ProjectProgram | None = None) -> Path:
    """The example as the current builder writes it (with the «Редакции» sheet)."""
    save_workbook(build_project_workbook(model or _example()), path)
    return path


def _amend_cells(source: Path, target: Path, *, passport: bool = True) -> Path:
    wb = openpyxl.load_workbook(source)
    for sheet, (cell, value) in CHANGED.items():
        wb[sheet][cell] = value
    if passport:
        model = read_workbook(source)
        ref = model.passport.cells["funding_total.2025"].rpartition("!")[2]
        wb["Паспорт"][ref] = 480
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def old_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as a workbook made before issue 18: no «Редакции», no «Пояснения»."""
    wb = openpyxl.load_workbook(BOOK)
    for name in (spec.SHEET_EDITIONS, spec.SHEET_EXPLANATIONS):
        wb.remove(wb[name])
    path = tmp_path_factory.mktemp("old") / "old.xlsx"
    wb.save(path)
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _codes(path: Path, previous: Path | None = None, code: str | None = None) -> list:
    _model, report = check_workbook(path, previous=previous)
    return [f for f in report.findings if code is None or f.code == code]


def test_workbook_without_the_editions_sheet_keeps_working(old_book: Path):
    model = read_workbook(old_book)
    assert spec.SHEET_EDITIONS not in openpyxl.load_workbook(old_book).sheetnames
    assert model.editions == [] and model.explanations == [] and model.problems == []
    assert not model.has_explanations_sheet
    example = _example()
    example.explanations = []
    assert model == example
    assert not [f for f in _codes(old_book, old_book) if f.code.startswith("H")]
    assert not [f for f in _codes(old_book, BOOK) if f.code.startswith("H")]


def test_new_project_workbook_has_the_editions_sheet_with_the_reason_list(tmp_path: Path):
    path = _built(tmp_path / "built.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-2:] == [spec.SHEET_EDITIONS, spec.SHEET_EXPLANATIONS]
    ws = wb[spec.SHEET_EDITIONS]
    headers = [c.value for c in ws[spec.HEADER_ROW]]
    assert headers[: len(spec.EDITIONS.columns)] == [c.header for c in spec.EDITIONS.columns]
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("lst_reason" in (f or "") for f in formulas), formulas
    model = read_workbook(path)
    assert model.editions == [] and model.problems == []
    assert model == _example()  # the added sheet changes nothing else


def test_tracked_values_of_the_project_structure():
    values = project_tracked_values(_example())
    by_cell = {v.cell: v for v in values.values()}
    plan = by_cell["Показатели!K4"]
    assert (plan.sheet, plan.item, plan.field, plan.value) == (
        "Показатели",
        "П1",
        "План 2025",
        "30",
    )
    result = by_cell["Результаты!I4"]
    assert (result.item, result.field) == ("1.1", "План 2025")
    line = by_cell["Финансовое обеспечение!E5"]
    assert (line.item, line.field, line.value) == ("1 01 · местный бюджет", "План 2025", "200")
    funding = by_cell["Паспорт!B18"]
    assert funding.item == "Объём финансирования 2025, тыс. руб." and funding.field == "Значение"
    # the budget list, cash, facts and the reporting fields are not part of the program
    fields = {v.field for v in values.values()}
    assert not any(f.startswith(("Роспись", "Касса", "Факт", "Прогноз")) for f in fields)
    items = {v.item for v in values.values() if v.sheet == "Паспорт"}
    assert "Отчётный год" not in items and "Ответственный исполнитель" in items


def test_budget_list_change_is_no_amendment(tmp_path: Path):
    new = tmp_path / "new.xlsx"
    wb = openpyxl.load_workbook(BOOK)
    wb["Финансовое обеспечение"]["G5"] = 999  # «Роспись на отчётную дату 2025»
    wb.save(new)
    assert read_workbook(new).funding[1].budget_list[2025] == 999
    assert changes(_example(), read_workbook(new)) == []
    assert _codes(new, BOOK, "H02") == []


def test_change_without_edition_is_an_error_at_its_cell(tmp_path: Path):
    new = _amend_cells(BOOK, tmp_path / "new.xlsx")
    found = _codes(new, BOOK, "H02")
    assert {f.ref for f in found} == {
        "Показатели!K4",
        "Результаты!I4",
        "Финансовое обеспечение!E5",
        "Паспорт!B18",
    }
    assert all(f.severity.name == "ERROR" for f in found)
    plan = next(f for f in found if f.sheet == "Результаты")
    assert "1.1, План 2025: было «4», стало «5»" in plan.message
    assert _codes(new, None, "H02") == []  # nothing to compare without --previous


@pytest.mark.parametrize("with_sheet", [True, False])
def test_amend_project_workbook_writes_the_edition_and_loses_nothing(
    cli, tmp_path: Path, with_sheet: bool, old_book: Path
):
    old = _built(tmp_path / "old.xlsx") if with_sheet else old_book
    new = _amend_cells(old, tmp_path / "new.xlsx")
    before, old_hash = _parts(new), sha256(old)
    result = cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете")
    assert result.exit_code == 0, result.output
    assert "изменений 4" in result.stdout
    assert sha256(old) == old_hash
    after = _parts(new)
    changed = {n for n in after if before.get(n) != after[n]}
    if with_sheet:
        assert len(changed) == 1 and next(iter(changed)).startswith("xl/worksheets/")
    else:  # the sheet added at the end: the book's list of sheets and its parts
        added = {n for n in after if n not in before}
        assert len(added) == 1
        assert changed == {
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            *added,
        }
    model = read_workbook(new)
    assert model.problems == []
    (edition,) = model.editions
    assert edition.title == "постановление № 45 от 20.06.2025"
    assert {(c.sheet, c.item, c.field, c.old, c.new) for c in edition.changes} == {
        ("Показатели", "П1", "План 2025", "30", "32"),
        ("Результаты", "1.1", "План 2025", "4", "5"),
        ("Финансовое обеспечение", "1 01 · местный бюджет", "План 2025", "200", "210"),
        ("Паспорт", "Объём финансирования 2025, тыс. руб.", "Значение", "530", "480"),
    }
    names = openpyxl.load_workbook(new).sheetnames
    assert names.index(spec.SHEET_EDITIONS) == len(names) - (2 if with_sheet else 1)
    # now every change is covered, the edition matches the book, «Было» the old one
    hs = [f for f in _codes(new, old) if f.code.startswith("H")]
    assert hs == [], hs
    # amending again with nothing new is refused and changes nothing
    again = cli("amend", old, new, "--act", "постановление № 46 от 21.06.2025", "--reason", "иное")
    assert again.exit_code != 0 and "уже записаны" in again.output


def _with_editions(tmp_path: Path, *editions: Edition) -> Path:
    model = _example()
    model.editions = list(editions)
    return _built(tmp_path / "editions.xlsx", model)


def _edition(act_date: dt.date, new: str = "30", reason: str | None = "иное") -> Edition:
    row = EditionRow(sheet="Показатели", item="П1", field="План 2025", old="28", new=new)
    return Edition("постановление", "7", act_date, reason=reason, changes=[row])


def test_edition_checks_run_for_project_books(tmp_path: Path):
    path = _with_editions(
        tmp_path,
        _edition(dt.date(2026, 2, 1)),  # after the end of 2025: H03
        Edition(  # no number, no date, no reason: H05, H06
            "распоряжение",
            None,
            None,
            changes=[EditionRow(sheet="Результаты", item="1.1", field="План 2025", new="4")],
        ),
    )
    codes = {f.code for f in _codes(path)}
    assert {"H03", "H05", "H06"} <= codes
    h03 = _codes(path, code="H03")[0]
    assert h03.sheet == spec.SHEET_EDITIONS and "01.02.2026" in h03.message


def test_edition_not_matching_the_project_book(tmp_path: Path):
    path = _with_editions(tmp_path, _edition(dt.date(2025, 3, 1), new="31"))
    (h04,) = _codes(path, code="H04")
    assert "в книге «30» (Показатели!K4)" in h04.message
    assert h04.sheet == spec.SHEET_EDITIONS
    fine = _with_editions(tmp_path, _edition(dt.date(2025, 3, 1), new="30"))
    assert _codes(fine, code="H04") == []


def test_old_value_checked_against_the_previous_project_submission(tmp_path: Path):
    path = _with_editions(tmp_path, _edition(dt.date(2025, 3, 1)))  # «Было» 28, previous: 30
    (h07,) = _codes(path, BOOK, "H07")
    assert "«Было» «28», а в прошлой отчётности «30»" in h07.message


def test_amend_between_the_two_structures_is_refused(cli, tmp_path: Path):
    from tests.conftest import PROGRAM_EXAMPLES

    new = tmp_path / "new.xlsx"
    new.write_bytes(BOOK.read_bytes())
    digest = sha256(new)
    result = cli("amend", PROGRAM_EXAMPLES[0], new, "--act", ACT, "--reason", "иное")
    assert result.exit_code != 0 and "в разной структуре" in result.output
    assert sha256(new) == digest


def test_project_model_copy_keeps_editions():
    model = _example()
    model.editions = [_edition(dt.date(2025, 3, 1))]
    assert copy.deepcopy(model) == model


# -- provisional assessment: facts «ожидается ДД.ММ.ГГГГ» (issue 18 item 4, both structures) --


def _expecting(tmp_path: Path, **cells: str) -> Path:
    """The example with facts of 2025 replaced by «ожидается …» (sheet → cell, text)."""
    wb = openpyxl.load_workbook(BOOK)
    for sheet_cell, text in cells.items():
        sheet, cell = sheet_cell.split("_")
        wb[sheet][cell] = text
    path = tmp_path / "expecting.xlsx"
    wb.save(path)
    return path


def test_expected_fact_of_a_project_indicator_and_result_is_read(tmp_path: Path):
    from sheetprog.periods import Period

    path = _expecting(tmp_path, Показатели_O4="ожидается 15.03.2026", Результаты_M4="ожидается")
    model = read_workbook(path)
    assert model.problems == []  # no longer R001 (see test_project.py)
    year = Period(2025)
    assert model.indicators[0].expected == {year: dt.date(2026, 3, 15)}
    assert year not in model.indicators[0].facts
    assert model.results[0].expected == {year: None}
    h16 = _codes(path, code="H16")
    assert {f.ref for f in h16} == {"Показатели!O4", "Результаты!M4"}
    assert "показатель П1: факт за 2025 год ожидается 15.03.2026" in h16[0].message
    (h17,) = _codes(path, code="H17")
    assert h17.ref == "Результаты!M4" and "результат 1.1" in h17.message


def test_expected_fact_makes_the_project_assessment_provisional(cli, tmp_path: Path):
    from sheetprog.api import assess_workbook
    from sheetprog.project.views import assessment_dict, assessment_rows, assessment_text

    final = assess_workbook(_example(), BOOK)
    assert final.status == "окончательная" and final.status_text == ""
    path = _expecting(
        tmp_path, Показатели_O4="ожидается 15.03.2026", Результаты_M4="ожидается 01.04.2026"
    )
    a = assess_workbook(read_workbook(path), path)
    assert a.expected == {
        "показатель П1": dt.date(2026, 3, 15),
        "результат 1.1": dt.date(2026, 4, 1),
    }
    assert a.status == "предварительная" and a.refine_after == dt.date(2026, 4, 1)
    assert "будет уточнена после 01.04.2026" in a.status_text
    assert "показатель П1, результат 1.1" in a.status_text
    # the expected ones are not counted (noted), the rest are
    p1 = next(d for d in a.program_indicators if d.key == "П1")
    assert p1.value is None and p1.note == "факт ожидается 15.03.2026"
    r11 = next(d for s in a.elements for d in s.results if d.key == "1.1")
    assert r11.value is None and r11.note == "факт ожидается 01.04.2026"
    assert a.value is not None and a.value != final.value
    assert a.status_text in assessment_text(a)
    assert assessment_dict(a)["status"] == "предварительная"
    rows = assessment_rows(a)
    status = next(r for r in rows if r[0].value == "Статус оценки")
    assert [c.value for c in status[1:]] == ["предварительная", a.status_text]
    # calc: the message and the «Оценка» sheet
    result = cli("calc", path, "-o", tmp_path / "calc.xlsx")
    assert result.exit_code == 0, result.output
    assert "будет уточнена после 01.04.2026" in result.output
    sheet = openpyxl.load_workbook(tmp_path / "calc.xlsx")["Оценка"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "предварительная" in texts and a.status_text in texts


def test_refined_project_assessment(cli, tmp_path: Path):
    """calc --previous with the provisional submission: «уточнённая», the earlier value kept."""
    path = _expecting(tmp_path, Показатели_O4="ожидается 15.03.2026")
    result = cli("calc", BOOK, "--previous", path, "-o", tmp_path / "refined.xlsx")
    assert result.exit_code == 0, result.output
    assert "Оценка уточнённая: предварительная оценка была" in result.output


def test_expected_fact_in_a_quarter_is_not_provisional_for_projects(tmp_path: Path):
    """Within a year the project structure rates by the year-end forecast: a quarter's fact
    «ожидается» leaves the assessment as it is (policy, docs/history.md)."""
    from sheetprog.api import assess_workbook

    ref = _example().indicators[0].cells["fact.2025-Q3"]  # «Факт 2025 9 мес.»
    wb = openpyxl.load_workbook(BOOK)
    wb["Показатели"][ref.rpartition("!")[2]] = "ожидается 15.10.2025"
    path = tmp_path / "q.xlsx"
    wb.save(path)
    a = assess_workbook(read_workbook(path), path, period="2025-Q3")
    assert not a.provisional and a.status == "окончательная"
    assert _codes(path, code="H16") == []  # the book's period is the year: the 9-month fact


def test_project_annual_report_says_the_assessment_is_provisional(tmp_path: Path):
    from sheetprog.api import make_report
    from tests.conftest import docx_content

    def paragraphs(book: Path, name: str) -> list[str]:
        out = tmp_path / name
        make_report("project-annual", book, out=out, today=dt.date(2026, 2, 1))
        return [b for b in docx_content(out)["blocks"] if isinstance(b, str)]

    path = _expecting(tmp_path, Показатели_O4="ожидается 15.03.2026")
    text = paragraphs(path, "provisional.docx")
    assert any("Оценка предварительная: будет уточнена после 15.03.2026" in b for b in text)
    assert not any("Оценка предварительная" in b for b in paragraphs(BOOK, "final.docx"))


# -- deviations explained year by year: «Пояснения» (issue 18 item 3, both structures) -------


def _checked(tmp_path: Path, model: ProjectProgram) -> list:
    path = _built(tmp_path / "explained.xlsx", model)
    return _codes(path)


def _only(findings: list, code: str) -> list:
    return [f for f in findings if f.code == code]


def test_example_explains_its_deviations():
    model = _example()
    assert model.has_explanations_sheet and len(model.explanations) == 3
    codes = {f.code for f in _codes(BOOK)}
    assert not codes & {"H08", "H09", "H10", "H11", "H12", "H13", "H15", "C19"}, codes


def test_unexplained_indicator_and_result_deviation_in_the_annual_report(tmp_path: Path):
    from sheetprog.model import Explanation

    model = _example()
    p3 = next(i for i in model.indicators if i.key == "П3")
    r11 = next(r for r in model.results if r.key == "1.1")
    p3.justification = r11.justification = None
    found = _checked(tmp_path, model)
    h09 = _only(found, "H09")
    assert {f.ref for f in h09} == {"Показатели!O6", "Результаты!M4"}, h09
    assert all(f.severity.name == "ERROR" for f in h09)
    assert any("«П3»: 2025 год — план 100, факт 95" in f.message for f in h09)
    assert {f.message.split(":")[0] for f in _only(found, "C19")} == {
        "показатель П3",
        "результат 1.1",
    }
    model.explanations += [
        Explanation("показатель", "П3", 2025, "внешние факторы", "Сбой хостинга в ноябре"),
        Explanation("показатель", "1.1", 2025, "иное", "Служащий уволился до начала курсов"),
    ]
    found = _checked(tmp_path, model)
    assert _only(found, "H09") == [] and _only(found, "C19") == []


def test_unspent_funding_needs_its_reasons(tmp_path: Path):
    model = _example()
    model.explanations = [e for e in model.explanations if e.section == "программа"]
    h11 = _only(_checked(tmp_path, model), "H11")
    assert {f.ref for f in h11} == {"Финансовое обеспечение!K5", "Финансовое обеспечение!K6"}
    # the budget list at the reporting date is the base: 220 (the program's plan is 200)
    assert any("«1 01 · местный бюджет»: 2025 год — план 220,00" in f.message for f in h11)


def test_measures_and_proposals_of_the_annual_report(tmp_path: Path):
    model = _example()
    model.explanations = [e for e in model.explanations if e.section != "программа"]
    (h12,) = _only(_checked(tmp_path, model), "H12")
    assert "«Меры», «Предложения»" in h12.message and h12.severity.name == "ERROR"


def test_stray_and_boilerplate_explanations(tmp_path: Path):
    from sheetprog.model import Explanation
    from sheetprog.periods import Period

    model = _example()
    p1 = next(i for i in model.indicators if i.key == "П1")
    p1.facts[Period(2025)] = Decimal(40)  # 133 % of the plan: an overshoot to explain
    same = "Так сложилось по итогам года"
    p3 = next(i for i in model.indicators if i.key == "П3")
    p3.justification = None
    model.explanations += [
        Explanation("показатель", "П1", 2025, "иное", same),
        Explanation("показатель", "П3", 2025, "иное", same),
        Explanation("показатель", "П9", 2025, "иное", "Нет такого показателя"),
    ]
    found = _checked(tmp_path, model)
    assert len(_only(found, "H13")) == 2  # a miss and an overshoot explained alike
    (h15,) = _only(found, "H15")
    assert "показатель «П9» в книге не найден" in h15.message


def test_quarterly_deviation_uses_the_year_end_forecast(tmp_path: Path):
    from sheetprog.periods import Span

    model = _example()
    model.passport.reporting_span = Span.M9
    p1 = next(i for i in model.indicators if i.key == "П1")
    p1.forecast[2025] = Decimal(20)  # the 9-month fact (25) is not compared with the plan
    found = _checked(tmp_path, model)
    (h08,) = _only(found, "H08")
    assert h08.severity.name == "WARNING" and h08.ref == p1.cells["forecast.2025"]
    assert _only(found, "H09") == []


def test_project_workbook_without_the_explanations_sheet(old_book: Path):
    """Made before issue 18: H08–H12 ask nothing; C19 and «Обоснование» work as before."""
    codes = {f.code for f in _codes(old_book)}
    assert not codes & {"H08", "H09", "H10", "H11", "H12", "H14", "H15"}


def test_project_annual_report_quotes_the_explanations(tmp_path: Path):
    from sheetprog.api import make_report
    from tests.conftest import docx_content

    out = tmp_path / "annual.docx"
    make_report("project-annual", BOOK, out=out, today=dt.date(2026, 2, 1))
    content = docx_content(out)
    text = [b for b in content["blocks"] if isinstance(b, str)]
    assert "Причины неосвоения средств:" in text
    assert any(
        b.startswith("1 01 · местный бюджет: Экономия по итогам закупки программного")
        and b.endswith("(экономия по итогам закупок).")
        for b in text
    )
    assert any(b.startswith("Принятые меры: Обучение перенесено на 2026 год") for b in text)
    assert any(b.startswith("Предложения по дальнейшей реализации программы:") for b in text)


def test_project_report_quotes_the_year_explanation_of_an_indicator(tmp_path: Path):
    from sheetprog.api import assess_workbook
    from sheetprog.model import Explanation
    from sheetprog.project.report import project_context

    model = _example()
    model.explanations.append(
        Explanation("показатель", "П3", 2025, "внешние факторы", "Хостинг не работал 5 дней")
    )
    a = assess_workbook(model, BOOK)
    context = project_context("project-annual", model, a, [])
    p3 = next(i for i in context["project"]["indicators"] if i["key"] == "П3")
    assert p3["justification"] == "Хостинг не работал 5 дней"  # not «Сбой хостинга в ноябре»
    p2 = next(i for i in context["project"]["indicators"] if i["key"] == "П2")
    assert p2["justification"] == "Один служащий уволился до начала курсов"


def test_batch_record_of_a_provisional_project_assessment(tmp_path: Path):
    """The batch keeps the date a project assessment will be refined (as for programs), so
    its note can list the programs whose rating changed when refined."""
    from sheetprog.api import assess_workbook
    from sheetprog.checks.run import run_checks
    from sheetprog.project.records import project_record

    def record(path: Path):
        model = read_workbook(path)
        return project_record(
            file=path.name,
            digest="0",
            mtime=0.0,
            program=model,
            report=run_checks(model),
            assessment=assess_workbook(model, path),
        )

    path = _expecting(tmp_path, Показатели_O4="ожидается 15.03.2026")
    assert record(path).provisional == "2026-03-15"
    assert record(BOOK).provisional is None


# -- the «было / стало» annex of a project book (report kind project-amendment) --------------


def test_project_amendment_annex_lists_each_changed_cell(cli, tmp_path: Path):
    from sheetprog.reports.kinds import REPORT_KINDS, buttons
    from tests.conftest import docx_content

    kind = REPORT_KINDS["project-amendment"]
    assert kind.workbook == "project" and kind.macro is None
    assert kind not in buttons("project")  # a draft's annex: no button, as «amendment»
    old = _built(tmp_path / "old.xlsx")
    new = _amend_cells(old, tmp_path / "new.xlsx")
    refused = cli("report", "project-amendment", new, "-o", tmp_path / "x.docx")
    assert refused.exit_code == 2 and "sheetprog amend" in refused.stderr
    wrong = cli("report", "amendment", new, "-o", tmp_path / "y.docx")
    assert wrong.exit_code != 0 and "project-amendment" in wrong.output
    assert cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете").exit_code == 0
    out = tmp_path / "annex.docx"
    result = cli("report", "project-amendment", new, "-o", out)
    assert result.exit_code == 0, result.output
    content = docx_content(out)
    blocks = [b for b in content["blocks"] if isinstance(b, str)]
    assert ACT in blocks and "ИЗМЕНЕНИЯ," in blocks
    assert any(b.startswith("Основание: решение о бюджете") for b in blocks)
    tables = [b for b in content["blocks"] if isinstance(b, list)]
    passport = next(t for t in tables if t[0] == ["Поле паспорта", "Было", "Стало"])
    assert passport[1:] == [["Объём финансирования 2025, тыс. руб.", "530", "480"]]
    indicators = next(t for t in tables if t[0][:2] == ["№", "Показатель"])
    model = _example()
    p1 = next(i for i in model.indicators if i.code == "П1")
    assert indicators[1:] == [["П1", p1.name, p1.unit, "План 2025", "30", "32"]]
    results = next(t for t in tables if t[0][:2] == ["№", "Мероприятие (результат)"])
    r11 = next(r for r in model.results if r.number == "1.1")
    assert results[1:] == [["1.1", r11.name, r11.unit, "План 2025", "4", "5"]]
    funding = next(t for t in tables if t[0][0] == "Элемент, источник")
    assert len(funding) == 2
    assert funding[1][0] == "1 01 · местный бюджет" and funding[1][2:] == [
        "План 2025",
        "200",
        "210",
    ]


def test_project_annual_and_final_report_show_initial_plans_and_the_amendments(cli, tmp_path: Path):
    from sheetprog.api import make_report
    from tests.conftest import docx_content

    old = _built(tmp_path / "old.xlsx")
    new = _amend_cells(old, tmp_path / "new.xlsx")
    assert cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете").exit_code == 0
    out = tmp_path / "annual.docx"
    make_report("project-annual", new, out=out, today=dt.date(2026, 2, 1))
    blocks = docx_content(out)["blocks"]
    assert "В программу вносились изменения:" in blocks
    tables = [b for b in blocks if isinstance(b, list)]
    acts = next(t for t in tables if t[0] == ["Акт", "В силе с", "Причина", "Что изменено"])
    assert acts[1][:3] == [ACT, "20.06.2025", "решение о бюджете"] and len(acts) == 2
    indicators = next(t for t in tables if t[0][:2] == ["Уровень", "Показатель"])
    p1 = next(r for r in indicators if r[1].startswith("П1."))
    assert p1[3] == "32 (первонач.\u00a030)"
    unchanged = [r for r in indicators[1:] if not r[1].startswith("П1.")]
    assert unchanged and all("первонач." not in r[3] for r in unchanged)
    results = next(t for t in tables if t[0][:2] == ["№", "Мероприятие (результат)"])
    assert next(r for r in results if r[0] == "1.1")[3] == "5 (первонач.\u00a04)"
    funding = next(t for t in tables if t[0][:3] == ["Элемент", "КЦСР", "Источник"])
    changed = [r for r in funding[1:] if "первонач." in r[3]]
    assert len(changed) == 1 and changed[0][0] == "1 01" and changed[0][3].startswith("210")
    assert changed[0][3] == "210,00 (первонач.\u00a0200,00)"
    # the final report the same; the quarterly monitoring keeps its plain plan cells
    final = tmp_path / "final.docx"
    make_report("project-final", new, out=final, today=dt.date(2026, 2, 1), partial=True)
    assert "В программу вносились изменения:" in docx_content(final)["blocks"]
    quarterly = tmp_path / "q.docx"
    make_report("project-quarterly", new, out=quarterly, today=dt.date(2026, 2, 1))
    text = str(docx_content(quarterly)["blocks"])
    assert "первонач." not in text and "В программу вносились изменения" not in text
    # a book without editions: no table, no «первонач.»
    plain = tmp_path / "plain.docx"
    make_report("project-annual", old, out=plain, today=dt.date(2026, 2, 1))
    text = str(docx_content(plain)["blocks"])
    assert "первонач." not in text and "В программу вносились изменения" not in text


def test_funding_mismatch_names_the_edition_that_changed_funding(cli, tmp_path: Path):
    """C08 (element totals vs passport) after an amendment that changed one line's plan but
    not the passport's volume of the year: the finding names the edition and its row."""
    old = _built(tmp_path / "old.xlsx")
    before = [f for f in _codes(old) if f.code == "C08"]
    new = _amend_cells(old, tmp_path / "new.xlsx", passport=False)
    assert cli("amend", old, new, "--act", ACT, "--reason", "решение о бюджете").exit_code == 0
    after = [f for f in _codes(new) if f.code == "C08" and f.message.startswith("2025 год")]
    assert len(after) == 1, after
    model = read_workbook(new)
    (edition,) = model.editions
    assert f"после редакции «{ACT}» ({edition.cells['act_date']})" in after[0].message
    assert f"{after[0].sheet}!{after[0].cell}" == model.passport.cells["funding_total.2025"]
    # before any edition, or for a year no edition changed: no edition is named
    assert all("редакции" not in f.message for f in before)
    assert all("редакции" not in f.message for f in _codes(new) if f.code == "C08" and
               not f.message.startswith("2025 год"))  # fmt: skip


def test_initial_plan_of_a_repeated_indicator_code_goes_to_its_own_row(tmp_path: Path):
    """Two indicators under one code: «Редакции» names the second «П1 (2)» (as amend does),
    and only that row shows «первонач.»."""
    from sheetprog.api import make_report
    from tests.conftest import docx_content

    model = _example()
    first = next(i for i in model.indicators if i.code == "П1")
    twin = copy.deepcopy(first)
    twin.name, twin.number = "Двойник показателя П1", "99"
    model.indicators.append(twin)
    change = EditionRow(sheet="Показатели", item="П1 (2)", field="План 2025", old="7", new="30")
    model.editions = [Edition("постановление", "45", dt.date(2025, 6, 20), changes=[change])]
    book = _built(tmp_path / "twin.xlsx", model)
    out = tmp_path / "twin.docx"
    make_report("project-annual", book, out=out, today=dt.date(2026, 2, 1))
    tables = [b for b in docx_content(out)["blocks"] if isinstance(b, list)]
    indicators = next(t for t in tables if t[0][:2] == ["Уровень", "Показатель"])
    rows = {r[1].split(". ", 1)[1][:21]: r[3] for r in indicators[1:] if r[1].startswith("П1.")}
    assert rows == {first.name[:21]: "30", "Двойник показателя П1": "30 (первонач.\u00a07)"}
