"""Every rule of the catalogue: triggered by one targeted defect (code, sheet, cell), and silent
on a consistent program."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog import read_workbook
from sheetprog.checks.catalogue import CATALOGUE, GROUPS
from sheetprog.checks.run import run_checks
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import (
    Activity,
    Direction,
    Explanation,
    FundingLine,
    Indicator,
    Passport,
    Program,
    Source,
    Status,
    Subprogram,
)
from sheetprog.periods import Period, Span
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing
from tests.conftest import EXAMPLES

D = Decimal
Y = Period(2021)


def clean_program() -> Program:
    passport = Passport(
        municipality="Тестовый городской округ",
        oktmo="05714000",
        program_name="Развитие муниципальной службы на 2020 - 2022 годы",
        responsible_executor="Отдел кадров",
        co_executors=["Дума", "КСП"],
        subprograms=[Subprogram("1", "Развитие кадров")],
        first_year=2020,
        last_year=2022,
        reporting_year=2021,
        reporting_span=Span.YEAR,
        funding_total=D("400.0"),
        funding_by_year={2020: D("100.0"), 2021: D("150.0"), 2022: D("150.0")},
    )
    indicators = [
        Indicator(
            name="Доля служащих, прошедших обучение",
            code="П1",
            number="1",
            unit="%",
            direction=Direction.UP,
            plan={
                2020: parse_target(60),
                2021: parse_target(68),
                2022: parse_target("не менее 70"),
            },
            facts={
                Period(2020): D(60),
                Period(2021, Span.Q1): D(20),
                Period(2021, Span.H1): D(40),
                Y: D(69),
            },
        ),
        Indicator(
            name="Количество нарушений",
            code="П2",
            number="2",
            unit="единиц",
            direction=Direction.DOWN,
            subprogram="1",
            activities=["1"],
            plan={2020: parse_target(0), 2021: parse_target(0), 2022: parse_target(0)},
            facts={Period(2020): D(0), Y: D(0)},
        ),
    ]
    activities = [
        Activity(
            number="1",
            name="Обучение служащих",
            subprogram="1",
            is_main=True,
            responsible="Отдел кадров",
            co_executors=["Дума"],
            planned_start=parse_timing("I квартал 2020 года"),
            planned_end=parse_timing("IV квартал 2021 года"),
            status=Status.DONE,
            achieved_result="Обучено 40 человек",
        ),
        Activity(
            number="1.1",
            name="Семинары",
            subprogram="1",
            responsible="КСП",
            planned_start=parse_timing(2021),
            planned_end=parse_timing(2021),
            status=Status.DONE,
            achieved_result="Проведено 4 семинара",
            no_funding=True,
        ),
    ]
    funding = [
        FundingLine(
            activity="1",
            activity_name="Обучение служащих",
            source=Source.LOCAL,
            source_text="местный бюджет",
            grbs="Администрация",
            plan={2020: D("100.0"), 2021: D("150.0"), 2022: D("150.0")},
            budget_list={2021: D("150.0")},
            cash={
                Period(2020): D("100.0"),
                Period(2021, Span.Q1): D("30.0"),
                Period(2021, Span.H1): D("70.0"),
                Y: D("148.5"),
            },
        ),
    ]
    # issue 18: 148,5 of 150 spent in 2021 needs its reasons, and the year its measures
    explanations = [
        Explanation("финансирование", "1 · местный бюджет", 2021, "иное", "Экономия на связи."),
        Explanation("программа", None, 2021, measures="Учтено.", proposals="Продолжить."),
    ]
    return Program(passport, indicators, activities, funding, explanations=explanations)


def findings(
    tmp_path: Path,
    program: Program,
    mutate_book: Callable | None = None,
    previous: Program | None = None,
) -> set[tuple[str, str | None, str | None]]:
    path = tmp_path / "book.xlsx"
    save_workbook(build_workbook(program), path)
    if mutate_book is not None:
        wb = openpyxl.load_workbook(path)
        mutate_book(wb)
        wb.save(path)
    report = run_checks(read_workbook(path), previous=previous)
    return {(f.code, f.sheet, f.cell) for f in report.findings}


def test_a_consistent_program_has_no_findings_at_all(tmp_path):
    assert findings(tmp_path, clean_program()) == set()


def test_the_catalogue_is_large_and_documented():
    assert len(CATALOGUE) >= 35
    for rule in CATALOGUE.values():
        assert rule.title and len(rule.description) > 40, rule.code
    groups = {rule.group for rule in CATALOGUE.values()}
    assert groups == set(GROUPS)  # every group has rules


# (code, model mutation, expected sheet!cell) — cells follow the layout of clean_program
ind0, ind1, act0, act1, line0 = (
    "indicators.0",
    "indicators.1",
    "activities.0",
    "activities.1",
    "funding.0",
)


def _get(program: Program, path: str):
    kind, index = path.split(".")
    return getattr(program, kind)[int(index)]


def m(path: str, **changes):
    def apply(program: Program) -> None:
        obj = _get(program, path) if path != "passport" else program.passport
        for key, value in changes.items():
            setattr(obj, key, value)

    return apply


def add_fact(path: str, period: Period, value):
    def apply(program: Program) -> None:
        _get(program, path).facts[period] = D(value)

    return apply


def add_cash(period: Period, value):
    def apply(program: Program) -> None:
        program.funding[0].cash[period] = D(value)

    return apply


def dup(kind: str, **changes):
    def apply(program: Program) -> None:
        rows = getattr(program, kind)
        twin = copy.deepcopy(rows[0])
        for key, value in changes.items():
            setattr(twin, key, value)
        rows.append(twin)

    return apply


MODEL_CASES = [
    ("S01", m("passport", municipality=None), "Паспорт!B4"),
    ("V01", add_cash(Period(2020, Span.Q1), "-5"), None),
    ("V02", add_fact(ind0, Period(2021, Span.M9), "130"), None),
    ("V03", m(act1, planned_end=parse_timing("когда-нибудь")), None),
    ("V04", add_fact(ind0, Period(2022), "70"), None),
    ("V06", m("passport", oktmo="5714"), "Паспорт!B5"),
    ("I01", dup("indicators", code="П9", number="9"), None),
    ("I02", m(ind0, direction=None), "Показатели!G4"),
    ("I03", lambda p: p.indicators[0].plan.pop(2022), None),
    ("I04", lambda p: p.indicators[0].facts.pop(Y), None),
    (
        "I12",
        lambda p: (
            p.indicators[0].facts.pop(Y),
            setattr(p.indicators[0], "justification", "рассчитывается на краевом уровне"),
        ),
        None,
    ),
    ("I05", add_fact(ind0, Y, "50"), "Показатели!Y4"),
    (
        "I06",
        lambda p: (
            setattr(p.indicators[0], "unit", "человек"),
            p.indicators[0].facts.update({Period(2021, Span.M9): D(30)}),
        ),
        "Показатели!R4",
    ),
    ("I07", m(ind1, unit="%"), "Показатели!F5"),
    ("I08", add_fact(ind0, Y, "300"), None),
    ("I13", add_fact(ind0, Y, "120"), None),  # plan 68: Ci 176 % (before: rated as it is)
    ("I09", m(ind1, unit=None), "Показатели!F5"),
    ("I10", dup("indicators", name="Другой показатель"), None),
    ("I11", m(ind0, weight=D("0.5")), None),
    ("A01", m(act1, number="2.1"), "Мероприятия!A5"),
    ("A02", m(act1, number="1"), "Мероприятия!A5"),
    ("A03", m(act1, responsible=None), "Мероприятия!E5"),
    ("A04", m(act1, responsible="СМС"), "Мероприятия!E5"),
    ("A05", m(act1, achieved_result=None), None),
    ("A06", m(act1, actual_end=parse_timing("15.02.2022")), None),
    (
        "A07",
        m(
            act1,
            planned_start=parse_timing("IV квартал 2021 года"),
            planned_end=parse_timing("I квартал 2021 года"),
        ),
        None,
    ),
    ("A08", m(act1, planned_end=parse_timing("2024")), None),
    ("A09", m(act1, status=Status.NOT_DUE), None),
    ("A10", m(act1, status=None), None),
    ("A11", m(act1, name=None), "Мероприятия!C5"),
    ("A12", m(act1, result_plan=D(10), result_fact=D(5)), None),
    ("F01", m(line0, activity="7"), None),
    ("F02", m(line0, source=None, source_text=None), None),
    ("F03", m("passport", funding_total=D("500.0")), "Паспорт!B19"),
    ("F04", lambda p: p.passport.funding_by_year.update({2021: D("151.0")}), "Паспорт!B21"),
    ("F05", add_cash(Y, "151"), None),
    ("F06", add_cash(Period(2021, Span.M9), "60"), None),
    ("F09", lambda p: p.funding[0].budget_list.update({2021: D("140.0")}), None),
    ("F10", lambda p: p.funding[0].cash.pop(Y), None),
    ("F11", dup("funding"), None),
    ("X01", m("passport", program_name="Развитие на 2014 – 2018 годы"), "Паспорт!B6"),
    ("X02", m("passport", reporting_year=2025), "Паспорт!B16"),
    ("X03", m(ind1, activities=["9"]), None),
    ("X04", m(act1, subprogram="5"), "Мероприятия!B5"),
]


def _f07(program: Program) -> None:
    program.funding.append(
        FundingLine(
            activity="1.1", source=Source.LOCAL, source_text="местный бюджет", plan={2021: D("5.0")}
        )
    )


def _nested_line(amount: str):
    def apply(program: Program) -> None:
        program.funding.append(
            FundingLine(
                activity="1.1",
                source=Source.LOCAL,
                source_text="местный бюджет",
                grbs="Администрация",
                plan={2021: D(amount)},
            )
        )
        program.activities[1].no_funding = False

    return apply


MODEL_CASES += [
    ("F07", _f07, None),
    ("F08", _nested_line("200.0"), "Финансирование!F4"),  # nested 200 > the parent's 150
    ("F12", _nested_line("10.0"), "Финансирование!F4"),  # the parent's own 140 beyond it
]


@pytest.mark.parametrize(("code", "mutate", "cell"), MODEL_CASES, ids=[c[0] for c in MODEL_CASES])
def test_rule_is_triggered_at_its_cell(tmp_path, code, mutate, cell):
    program = clean_program()
    mutate(program)
    # I05 is the rule of a book without «Пояснения» (made before issue 18); with it, H09
    legacy = (lambda wb: wb.remove(wb["Пояснения"])) if code == "I05" else None
    found = findings(tmp_path, program, legacy)
    hits = {(s, c) for k, s, c in found if k == code}
    assert hits, f"{code} not found in {sorted(found)}"
    assert all(s is not None for s, _c in hits)
    if cell is not None:
        sheet, _, addr = cell.partition("!")
        assert (sheet, addr) in hits, hits


def every_reader_problem(wb) -> None:
    """One book with every reader code of the program kind but R014 (no version mark)."""
    ws = wb["Показатели"]
    headers = {c.value: c.column_letter for c in ws[3] if c.value}
    ws[f"{headers['Базовое значение']}4"] = "около ста"  # R001
    ws[f"{headers['План 2020']}4"] = "примерно 60"  # R002
    ws[f"{headers['Направление']}5"] = "вверх"  # R004
    ws[f"{headers['Факт 2020']}4"] = "#ДЕЛ/0!"  # R008
    ws[f"{headers['Базовое значение']}5"] = 1e30  # R016: outside the documented range
    ws["AN3"] = "Мой столбец"  # R006
    ws["AO3"] = "Ед. изм."  # R009
    wa = wb["Мероприятия"]
    wa["D4"] = "может быть"  # R005 (Основное мероприятие)
    wa["G5"] = "31.02.2021"  # planned start: a date that does not exist -> unknown timing
    wf = wb["Финансирование"]
    fh = {c.value: c.column_letter for c in wf[3] if c.value}
    wf[f"{fh['Источник финансирования']}4"] = "из тумбочки"  # R011
    wf[f"{fh['Факт 2021']}4"] = "=VLOOKUP(A1,B:C,2)"  # R007
    wf[f"{fh['Всего по плану']}4"] = 400  # R013
    wf[f"{fh['Роспись 2021']}4"] = "150,0"  # R015: a sum typed as text
    wf[f"{fh['Наименование мероприятия']}20"] = "Итого по разделу"  # S04: typed total
    wf[f"{fh['План 2021']}20"] = 99
    del wb.defined_names["sheetprog_template_version"]
    wb["Справочники"]["B1"] = "0.1"  # R010


def test_book_level_rules(tmp_path):
    book = every_reader_problem
    found = findings(tmp_path, clean_program(), book)
    codes = {code for code, _s, _c in found}
    for code in (
        "R001",
        "R002",
        "R004",
        "R005",
        "R006",
        "R007",
        "R008",
        "R009",
        "R010",
        "R011",
        "R013",
        "S04",
    ):
        assert code in codes, (code, sorted(found))
    assert ("R002", "Показатели", "J4") in found
    assert ("R011", "Финансирование", "C4") in found
    assert ("R010", "Справочники", "B1") in found


def test_a_book_without_a_version_mark_is_r014_not_r010(tmp_path):
    def book(wb):
        del wb.defined_names["sheetprog_template_version"]
        wb["Справочники"]["A1"] = None

    found = findings(tmp_path, clean_program(), book)
    assert ("R014", None, None) in found
    assert not any(code == "R010" for code, _s, _c in found)


def test_every_reported_severity_is_the_catalogues(tmp_path):
    """The catalogue is the one source of severity, for the reader's problems too: every
    example and a book with every reader code report each finding at its rule's severity."""
    path = tmp_path / "book.xlsx"
    save_workbook(build_workbook(clean_program()), path)
    wb = openpyxl.load_workbook(path)
    every_reader_problem(wb)
    wb.save(path)
    books = [path, *sorted(EXAMPLES.glob("*.xlsx"))]
    # R020: a book read through openpyxl (tests/corpus)
    books.append(EXAMPLES.parent / "tests/corpus/sheetprog/kaluga-2016.inherited-space.xlsx")
    seen: set[str] = set()
    for book in books:
        for f in run_checks(read_workbook(book)).findings:
            assert f.severity is CATALOGUE[f.code].severity, (book.name, f)
            seen.add(f.code)
    reader_codes = {c for c, r in CATALOGUE.items() if r.func is None}
    # H01, H14 (issue 18's sheets), R003, R014, R017 (a passport year out of range,
    # tests/test_hostile.py): own tests
    own_tests = {"R003", "R014", "R017", "H01", "H14"}
    assert reader_codes - seen <= own_tests, sorted(reader_codes - seen)  # all: own tests


def test_a_formula_typed_into_a_fact_is_a_warning_shown_as_typed(tmp_path, cli):
    """R007 is «предупреждение» in the catalogue: the workbook can still be accepted, and the
    finding shows the formula as it was typed, not a Python object."""
    program = clean_program()
    path = tmp_path / "book.xlsx"
    save_workbook(build_workbook(program), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Финансирование"]
    headers = {c.value: c.column_letter for c in ws[3] if c.value}
    ws[f"{headers['Факт 2021']}4"] = "=VLOOKUP(A1,B:C,2)"
    wb.save(path)
    result = cli("check", path, "--json")
    data = json.loads(result.stdout)
    r007 = [f for f in data["findings"] if f["code"] == "R007"]
    assert r007 and all(f["severity"] == "предупреждение" for f in r007)
    assert r007[0]["value"] == "=VLOOKUP(A1,B:C,2)"
    text = cli("check", path).stdout
    assert "(значение: =VLOOKUP(A1,B:C,2))" in text and "Formula(" not in text
    assert data["counts"]["error"] == 0 and result.exit_code == 0
    (tmp_path / "sheetprog.toml").write_text(
        '[checks.severity]\nR007 = "ошибка"\n', encoding="utf-8"
    )
    stricter = cli("check", path, "--json")
    assert stricter.exit_code == 1
    stricter_r007 = [f for f in json.loads(stricter.stdout)["findings"] if f["code"] == "R007"]
    assert stricter_r007 and {f["severity"] for f in stricter_r007} == {"ошибка"}


def test_unreadable_date_text_is_reported(tmp_path):
    def book(wb):
        wb["Мероприятия"]["H5"] = "31.02.2021"

    found = findings(tmp_path, clean_program(), book)
    assert ("V03", "Мероприятия", "H5") in found


def test_table_years_differ_from_passport(tmp_path):
    program = clean_program()
    path = tmp_path / "b.xlsx"
    save_workbook(build_workbook(program), path)
    wb = openpyxl.load_workbook(path)
    wb["Паспорт"]["B15"] = 2023  # last year extended, the tables still end in 2022
    wb.save(path)
    found = {(f.code, f.sheet, f.cell) for f in run_checks(read_workbook(path)).findings}
    assert ("S03", "Паспорт", "B14") in found
    wb = openpyxl.load_workbook(path)
    wb["Паспорт"]["B15"] = 2019  # ends before it starts
    wb.save(path)
    found = {(f.code, f.sheet, f.cell) for f in run_checks(read_workbook(path)).findings}
    assert ("S02", "Паспорт", "B15") in found


def test_cross_period_rules(tmp_path):
    earlier = clean_program()
    earlier.passport.reporting_span = Span.H1
    current = clean_program()
    current.passport.reporting_span = Span.M9
    current.indicators[0].facts[Period(2021, Span.Q1)] = D(25)  # changed since last time
    current.funding[0].cash[Period(2021, Span.M9)] = D("65.0")  # below the H1 submission (70)
    current.funding[0].cash[Period(2021, Span.H1)] = D("60.0")  # changed since last time
    found = findings(tmp_path, current, previous=earlier)
    codes = {code for code, _s, _c in found}
    assert {"P01", "P02"} <= codes, sorted(found)
    assert ("P02", "Финансирование", next(c for k, _s, c in found if k == "P02")) in found


def test_every_rule_has_a_test():
    tested = {c[0] for c in MODEL_CASES} | {
        "R001",
        "R002",
        "R004",
        "R005",
        "R006",
        "R007",
        "R008",
        "R009",
        "R010",
        "R011",
        "R013",
        "S04",
        "R014",
        "R015",  # with LibreOffice's total beside it: tests/test_libreoffice.py
        "R016",  # and tests/test_hostile.py (1e27, 1e30, 1e999999999, 5 000 nines)
        "R017",  # tests/test_hostile.py (years 1, 10000, 999999)
        "R020",  # tests/test_corpus.py (test_info_says_how_the_file_was_read)
        "S02",
        "S03",
        "P01",
        "P02",
    }
    # issue 18: editions (tests/test_history.py), explanations (tests/test_explanations.py)
    tested |= {f"H{i:02d}" for i in range(1, 18)}
    program_rules = {c for c, r in CATALOGUE.items() if r.kind == "program" and c != "R003"}
    assert program_rules - tested == set()  # reserve rules and R003: tests/test_reserve.py


def test_numbers_in_messages_are_written_the_russian_way():
    """Every figure a finding quotes uses the decimal comma («58,4»), never Python's «58.4»."""
    import re

    mutations = [
        add_fact(ind0, Y, "50.5"),  # I05: below plan, no reason
        add_fact(ind0, Y, "300.5"),  # I08: a jump
        m(ind0, weight=D("0.55")),  # I11: weights
        add_cash(Period(2020, Span.Q1), "-5.5"),  # V01: negative money
        add_cash(Period(2021, Span.M9), "60.5"),  # F06: falls within the year
        add_fact(ind0, Period(2021, Span.M9), "130.5"),  # V02
        m(act1, result_plan=D("10.5"), result_fact=D("5.5")),  # A12
    ]
    messages = []
    for mutate in mutations:
        program = clean_program()
        mutate(program)
        messages += [f.message for f in run_checks(program).findings]
    earlier, current = clean_program(), clean_program()
    earlier.passport.reporting_span, current.passport.reporting_span = Span.H1, Span.M9
    current.indicators[0].facts[Period(2021, Span.Q1)] = D("25.5")  # P01
    current.funding[0].cash[Period(2021, Span.M9)] = D("65.5")  # P02
    messages += [f.message for f in run_checks(current, previous=earlier).findings]
    assert any("50,5" in t for t in messages) and any("65,5" in t for t in messages)
    for text in messages:
        plain = re.sub(r"мероприяти\w* [\d.]+|\d{2}\.\d{2}\.\d{4}", "", text)
        assert not re.search(r"\d\.\d", plain), text
