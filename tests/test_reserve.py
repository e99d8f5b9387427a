"""Personnel reserve: ЭфР1/ЭфР2 on hand-counted cases, checks, commands and the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from sheetprog import read_workbook
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.checks.run import run_checks
from sheetprog.io.builder import save_workbook
from sheetprog.reserve.assess import ReserveSettings, assess_reserve
from sheetprog.reserve.builder import build_reserve_workbook
from sheetprog.reserve.model import DevelopmentPlan, Reserve, ReservePassport, Reservist, Vacancy
from tests.conftest import EXAMPLES, ROOT, docx_content

BOOK = EXAMPLES / "reserve-novoshakhtinsk.xlsx"
D = dt.date


def figures(year: int, settings: ReserveSettings | None = None) -> dict:
    a = assess_reserve(read_workbook(BOOK), year, settings or ReserveSettings())
    return {s.key: (s.numerator, s.denominator, s.band) for s in a.shares}


def test_example_hand_counted_per_year_and_cumulative():
    assert figures(2022)["ЭфР1"] == (1, 12, "низкая")  # 8,3 %
    assert figures(2022)["ЭфР2"] == (1, 3, "средняя")  # 33,3 %
    assert figures(2023)["ЭфР1"] == (2, 10, "высокая")  # exactly 20 %: «от 20»
    assert figures(2023)["ЭфР2"] == (2, 4, "высокая")  # exactly 50 %: «от 50»
    y2024 = figures(2024)
    assert y2024["ЭфР1"] == (4, 10, "очень высокая")
    assert y2024["ЭфР2"] == (4, 5, "очень высокая")
    assert y2024["ЭфР1[2]"] == (6, 12, "очень высокая")  # 2023–2024
    assert y2024["ЭфР2[2]"] == (6, 9, "высокая")
    assert y2024["ЭфР1[3]"] == (7, 15, "очень высокая")  # 2022–2024
    assert y2024["ЭфР2[3]"] == (7, 12, "высокая")
    assert y2024["Обучение"][:2] == (7, 10)


def synthetic(appointed: int, members: int, filled: int, vacant: int) -> Reserve:
    people = [
        Reservist(
            ident=f"P{i}",
            included=D(2023, 1, 10),
            appointed=D(2024, 3, 1) if i < appointed else None,
        )
        for i in range(members)
    ]
    posts = [
        Vacancy(
            position=f"Д{i}",
            opened=D(2024, 2, 1),
            filled_by="резервистом" if i < filled else "другим лицом",
        )
        for i in range(vacant)
    ]
    return Reserve(ReservePassport(year=2024), people, posts)


@pytest.mark.parametrize(
    ("appointed", "members", "band"),
    [
        (1, 10, "средняя"),  # 10 %: «от 10 до 20»
        (3, 10, "высокая"),  # 30 %: «свыше 30» is exclusive, so still высокая
        (31, 100, "очень высокая"),
        (9, 100, "низкая"),
    ],
)
def test_efr1_boundaries(appointed, members, band):
    a = assess_reserve(synthetic(appointed, members, 0, 0), 2024, ReserveSettings())
    assert a.share("ЭфР1").band == band
    assert a.share("ЭфР2").value is None and a.share("ЭфР2").band is None


@pytest.mark.parametrize(
    ("filled", "vacant", "band"),
    [(3, 10, "средняя"), (7, 10, "высокая"), (71, 100, "очень высокая"), (29, 100, "низкая")],
)
def test_efr2_boundaries(filled, vacant, band):
    assert (
        assess_reserve(synthetic(0, 1, filled, vacant), 2024, ReserveSettings()).share("ЭфР2").band
        == band
    )


def test_boundary_policy_is_configurable():
    lower = ReserveSettings(boundary="lower")
    assert assess_reserve(synthetic(2, 10, 5, 10), 2024, lower).share("ЭфР1").band == "средняя"
    assert assess_reserve(synthetic(2, 10, 5, 10), 2024, lower).share("ЭфР2").band == "средняя"
    assert figures(2023, lower)["ЭфР1"] == (2, 10, "средняя")


def test_counting_policies():
    reserve = read_workbook(BOOK)
    start = assess_reserve(reserve, 2024, ReserveSettings(count="start")).share("ЭфР1")
    # on 1 January 2024: R04–R08, R11–R13 (R14, R15 came in April)
    assert (start.numerator, start.denominator) == (3, 8)
    end = assess_reserve(reserve, 2024, ReserveSettings(count="end")).share("ЭфР1")
    assert end.denominator == 6 and end.numerator == 0  # the appointed left before 31 Dec
    reserve.reservists[3].appointed_target = False  # R04 appointed elsewhere
    target = assess_reserve(reserve, 2024, ReserveSettings(appointments="target"))
    assert target.share("ЭфР1").numerator == 3


def test_settings_from_the_config_file(cli, tmp_path):
    config = tmp_path / "sheetprog.toml"
    config.write_text('[reserve]\nboundary = "lower"\n', encoding="utf-8")
    data = json.loads(cli("calc", BOOK, "--period", "2023", "--config", config, "--json").stdout)
    assert data["rating"]["ЭфР1"] == "средняя"
    config.write_text('[reserve]\nboundry = "lower"\n', encoding="utf-8")
    bad = cli("calc", BOOK, "--config", config)
    assert bad.exit_code == 3 and "reserve.boundry" in bad.stderr


def reserve_book(tmp_path: Path, reserve: Reserve) -> Path:
    path = tmp_path / "reserve.xlsx"
    save_workbook(build_reserve_workbook(reserve), path)
    return path


def clean_reserve() -> Reserve:
    people = [
        Reservist(
            ident="A1",
            name="Иванов И.И.",
            position="Начальник отдела",
            included=D(2024, 2, 1),
            term_until=D(2027, 2, 1),
            trained=True,
        ),
        Reservist(
            ident="A2",
            name="Петров П.П.",
            position="Заведующий сектором",
            included=D(2024, 2, 1),
            term_until=D(2027, 2, 1),
            appointed=D(2024, 6, 1),
            appointed_position="Заведующий сектором",
            appointed_target=True,
            excluded=D(2024, 6, 1),
            exclusion_reason="назначение на должность",
        ),
    ]
    posts = [
        Vacancy(
            position="Заведующий сектором",
            opened=D(2024, 5, 1),
            filled_by="резервистом",
            reservist="A2",
        )
    ]
    plans = [
        DevelopmentPlan(
            reservist="A1", year=2024, approved=D(2024, 2, 10), reported=D(2024, 12, 20), done=True
        ),
        DevelopmentPlan(reservist="A2", year=2024, approved=D(2024, 2, 10)),
    ]
    return Reserve(
        ReservePassport(municipality="Город", year=2024, responsible_unit="Отдел"),
        people,
        posts,
        plans,
    )


def findings(tmp_path: Path, reserve: Reserve, mutate=None) -> set:
    path = reserve_book(tmp_path, reserve)
    if mutate is not None:
        wb = openpyxl.load_workbook(path)
        mutate(wb)
        wb.save(path)
    return {(f.code, f.sheet, f.cell) for f in run_checks(read_workbook(path)).findings}


def test_a_consistent_reserve_and_the_example_have_no_findings(tmp_path):
    assert findings(tmp_path, clean_reserve()) == set()
    assert run_checks(read_workbook(BOOK)).findings == []


def change(path: str, **values):
    def apply(reserve: Reserve) -> None:
        kind, index = path.split(".")
        obj = getattr(reserve, kind)[int(index)]
        for key, value in values.items():
            setattr(obj, key, value)

    return apply


CASES = [
    ("K01", change("reservists.0", appointed=D(2024, 1, 5)), "Резервисты!I4"),
    ("K02", change("reservists.1", appointed=D(2024, 7, 1)), "Резервисты!I5"),
    ("K03", change("reservists.0", included=D(2020, 2, 1)), "Резервисты!H4"),
    ("K04", change("reservists.1", exclusion_reason=None), "Резервисты!M5"),
    ("K05", change("reservists.1", ident="A1"), "Резервисты!A5"),
    ("K06", change("plans.0", approved=D(2024, 3, 1)), "Планы развития!C4"),
    ("K07", change("plans.0", reported=D(2024, 12, 31)), "Планы развития!D4"),
    ("K08", change("vacancies.0", reservist="Z9"), "Вакансии!E4"),
    ("K09", change("reservists.1", appointed=None), "Резервисты!I5"),
]


@pytest.mark.parametrize(("code", "mutate", "cell"), CASES, ids=[c[0] for c in CASES])
def test_reserve_rule_is_triggered_at_its_cell(tmp_path, code, mutate, cell):
    reserve = clean_reserve()
    mutate(reserve)
    sheet, _, address = cell.partition("!")
    assert (code, sheet, address) in findings(tmp_path, reserve)


def test_bad_date_in_the_register_is_a_located_read_problem(tmp_path):
    def bad(wb):
        wb["Резервисты"]["F4"] = "31.02.2024"

    assert ("R003", "Резервисты", "F4") in findings(tmp_path, clean_reserve(), bad)


def test_every_reserve_rule_has_a_test():
    reserve_rules = {c for c, r in CATALOGUE.items() if r.kind == "reserve"}
    assert reserve_rules == {c[0] for c in CASES}


def test_commands_never_print_names(cli, tmp_path):
    names = [r.name for r in read_workbook(BOOK).reservists]
    outputs = [
        cli("info", BOOK).stdout,
        cli("info", BOOK, "--json").stdout,
        cli("calc", BOOK).stdout,
        cli("calc", BOOK, "--json").stdout,
        cli("check", BOOK, "--json").stdout,
    ]
    reserve = clean_reserve()
    reserve.reservists[1].ident = "A1"  # a duplicate: its finding must not name anyone
    outputs.append(cli("check", reserve_book(tmp_path, reserve)).stdout)
    for output in outputs:
        assert not any(name in output for name in [*names, "Иванов", "Петров"])


def test_new_reserve_workbook_and_example_round_trip(cli, tmp_path):
    blank = tmp_path / "blank.xlsx"
    result = cli("new", blank, "--kind", "reserve")
    assert result.exit_code == 0 and "кадрового резерва" in result.stdout
    assert isinstance(read_workbook(blank), Reserve)
    from sheetprog.api import load_definition

    definition = load_definition(EXAMPLES / "reserve-novoshakhtinsk.yaml")
    back = read_workbook(BOOK)
    assert (back.passport, back.reservists, back.vacancies, back.plans) == (
        definition.passport,
        definition.reservists,
        definition.vacancies,
        definition.plans,
    )


def test_calc_writes_the_assessment_sheet(cli, example_copy):
    book = example_copy("reserve-novoshakhtinsk.xlsx")
    out = book.parent / "calc.xlsx"
    assert cli("calc", book, "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["Оценка"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    row = rows["ЭфР1 — Доля лиц, назначенных из резерва"]
    assert (ws.cell(row, 3).value, ws.cell(row, 6).value) == (0.4, "очень высокая")


def test_report_reserve_golden_and_names_only_when_asked(cli, tmp_path, update_golden):
    from sheetprog.api import make_report

    made = make_report("reserve", BOOK, out=tmp_path / "r.docx", today=D(2025, 1, 20))
    assert made.pdf is None
    content = docx_content(made.docx)
    golden = ROOT / "tests" / "golden" / "reserve-novoshakhtinsk-reserve.json"
    if update_golden or not golden.exists():
        golden.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert content == json.loads(golden.read_text("utf-8"))
    text = json.dumps(content, ensure_ascii=False)
    assert "Григорьев" not in text and "ФИО не приводятся" in text
    named = cli("report", "reserve", BOOK, "-o", tmp_path / "named.docx", "--with-names")
    assert named.exit_code == 0
    assert "Григорьев Г.Г." in json.dumps(docx_content(tmp_path / "named.docx"), ensure_ascii=False)
    wrong = cli("report", "reserve", EXAMPLES / "kaluga-2016.xlsx", "-o", tmp_path / "x.docx")
    assert wrong.exit_code == 2 and "не кадрового резерва" in wrong.stderr
    pdf_name = cli("report", "reserve", BOOK, "-o", tmp_path / "r.pdf")
    assert pdf_name.exit_code == 2 and "должен иметь расширение .docx" in pdf_name.stderr
    again = cli("report", "reserve", BOOK, "-o", tmp_path / "named.docx")
    assert again.exit_code == 2 and "уже существует" in again.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_reserve_template_is_clean(cli):
    result = cli("template", "check", ROOT / "templates" / "reserve.docx")
    assert result.exit_code == 0, result.stdout
    assert "Ошибок: 0, предупреждений: 0." in result.stdout


def test_program_reports_on_a_reserve_workbook_say_what_to_use(cli, tmp_path):
    result = cli("report", "annual", BOOK, "-o", tmp_path / "a.docx")
    assert result.exit_code == 2 and "report reserve" in result.stderr
