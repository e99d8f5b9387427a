"""sheetprog check / rules: exit codes, JSON, configuration, and feedback inside the workbook."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheetprog import read_workbook
from sheetprog.api import check_workbook
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.checks.run import run_checks
from sheetprog.checks.severity import Severity
from sheetprog.checks.view import report_dict
from tests.conftest import EXAMPLES, ROOT, sha256


def codes_at(name: str) -> set[tuple[str, str | None, str | None]]:
    report = run_checks(read_workbook(EXAMPLES / name))
    return {(f.code, f.sheet, f.cell) for f in report.findings}


def test_shakhty_defects_are_found_at_their_cells():
    found = codes_at("shakhty-2013.xlsx")
    # indicators listed twice under different tasks (rows 5/6, 10/11, 13/14)
    assert {
        ("I01", "Показатели", "E6"),
        ("I01", "Показатели", "E11"),
        ("I01", "Показатели", "E14"),
    } <= found
    assert ("A03", "Мероприятия", "E12") in found  # 2.1.1 has no executor
    assert ("A04", "Мероприятия", "E46") in found  # «СМС» instead of «ОМС»
    assert ("A04", "Мероприятия", "F46") in found  # «УВФС» instead of «ОВФС»
    assert ("A04", "Мероприятия", "F61") in found  # «ОИиСО»


def test_chechnya_passport_against_the_funding_table():
    found = codes_at("chechnya-2012.xlsx")
    assert ("F03", "Паспорт", "B19") in found  # 50 300 against 800
    assert ("F04", "Паспорт", "B21") in found  # 2012: 25 300 against 300
    assert ("F04", "Паспорт", "B22") in found  # 2013: 24 800 against 300
    assert ("F04", "Паспорт", "B20") not in found  # 2011: 200 = 200


def test_partizansk_period_text_and_count_in_percent():
    found = codes_at("partizansk-2021.xlsx")
    assert ("X01", "Паспорт", "B6") in found  # «2014 – 2018» in a 2019–2023 program
    assert ("I07", "Показатели", "F6") in found and ("I07", "Показатели", "F7") in found


def test_consistent_workbook_built_by_new_from_has_no_error(cli, tmp_path: Path):
    out = tmp_path / "kaluga.xlsx"
    assert cli("new", out, "--from", EXAMPLES / "kaluga-2016.yaml").exit_code == 0
    result = cli("check", out, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["valid"] is True and data["counts"]["error"] == 0


def test_check_exit_codes_and_json_equal_the_library(cli):
    book = EXAMPLES / "chechnya-2012.xlsx"
    result = cli("check", book, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    _program, report = check_workbook(book)
    assert data == json.loads(json.dumps(report_dict(report), ensure_ascii=False))
    assert data["valid"] is False and data["counts"] == {"error": 3, "warning": 0, "info": 0}
    first = data["findings"][0]
    assert set(first) >= {"code", "severity", "sheet", "cell", "value", "message"}
    assert (first["code"], first["sheet"], first["cell"], first["value"]) == (
        "F03",
        "Паспорт",
        "B19",
        50300,
    )
    text = cli("check", book)
    assert text.exit_code == 1 and "Лист «Паспорт»:" in text.stdout and "F03 B19" in text.stdout
    warnings_only = cli(
        "check", EXAMPLES / "partizansk-2021.xlsx", "--json", "--min-severity", "предупреждение"
    )
    assert warnings_only.exit_code == 0
    filtered = json.loads(warnings_only.stdout)
    assert {f["severity"] for f in filtered["findings"]} == {"предупреждение"}
    assert filtered["counts"]["info"] == 1  # the totals stay those of the whole report
    assert cli("check", EXAMPLES / "missing.xlsx").exit_code == 3


def test_configuration_disables_rules_changes_severity_and_tolerance(cli, tmp_path: Path):
    config = tmp_path / "sheetprog.toml"
    config.write_text(
        '[checks]\ndisable = ["F04"]\n[checks.severity]\nF03 = "предупреждение"\n', encoding="utf-8"
    )
    result = cli("check", EXAMPLES / "chechnya-2012.xlsx", "--config", config, "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["counts"] == {"error": 0, "warning": 1, "info": 0}
    config.write_text("[checks.tolerance]\nmoney = 60000\n", encoding="utf-8")
    tolerant = json.loads(
        cli("check", EXAMPLES / "chechnya-2012.xlsx", "--config", config, "--json").stdout
    )
    assert tolerant["valid"] is True
    config.write_text('[checks]\ndisable = ["Z99"]\n[chekcs]\n', encoding="utf-8")
    bad = cli("check", EXAMPLES / "chechnya-2012.xlsx", "--config", config)
    assert bad.exit_code == 3 and "[chekcs]" in bad.stderr


def test_rules_command_and_generated_docs(cli):
    listed = json.loads(cli("rules", "--json").stdout)
    assert [r["code"] for r in listed] == list(CATALOGUE)
    assert {"code", "severity", "title", "description", "group"} <= set(listed[0])
    from sheetprog.checks.docs import render

    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == render(), (
        "run: python scripts/regenerate.py"
    )


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_marks_in_the_workbook_and_no_stale_marks_after_a_fix(cli, example_copy):
    book = example_copy("shakhty-2013.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Мероприятия"]
    ws["B5"].comment = Comment("моя заметка", "Иванова")  # the clerk's own note
    ws["C20"].fill = PatternFill("solid", fgColor="FF00B050")  # and own fill
    wb.save(book)
    before = sha256(book)
    marked = book.parent / "marked.xlsx"
    assert cli("check", book, "-o", marked).exit_code == 1
    assert sha256(book) == before  # the input is untouched
    wb = openpyxl.load_workbook(marked)
    ws = wb["Мероприятия"]
    assert ws["E12"].fill.fgColor.rgb == Severity.ERROR.fill
    assert ws["E12"].comment.author == "sheetprog" and "A03" in ws["E12"].comment.text
    assert ws["F46"].fill.fgColor.rgb == Severity.WARNING.fill
    assert ws["B5"].comment.text == "моя заметка"
    checks = wb["Проверки"]
    assert checks["D4"].hyperlink.location == "'Мероприятия'!E12"  # errors are listed first
    links = {c.hyperlink.location for c in checks["D"] if c.hyperlink}
    assert "'Показатели'!E6" in links
    # the clerk fixes 2.1.1 and runs the check in place twice
    ws["E12"] = "ОМС"
    wb.save(marked)
    assert cli("check", marked, "--in-place").exit_code == 0
    first = parts(marked)
    assert cli("check", marked, "--in-place").exit_code == 0
    assert parts(marked) == first  # marks never accumulate
    ws = openpyxl.load_workbook(marked)["Мероприятия"]
    assert ws["E12"].fill.fgColor.rgb == "00FFF2CC" and ws["E12"].comment is None  # clean again
    assert ws["F46"].fill.fgColor.rgb == Severity.WARNING.fill  # still a finding
    assert ws["B5"].comment.text == "моя заметка"
    assert ws["C20"].fill.fgColor.rgb == "FF00B050"


def test_marks_change_only_what_they_must(cli, example_copy):
    book = example_copy("chechnya-2012.xlsx")
    before = parts(book)
    out = book.parent / "out.xlsx"
    cli("check", book, "-o", out)
    after = parts(out)
    changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
    assert changed == {
        "[Content_Types].xml",
        "xl/styles.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet7.xml",
        "xl/worksheets/_rels/sheet2.xml.rels",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
    }
    # removing the marks restores every part exactly, styles.xml aside (it keeps two styles)
    clean = book.parent / "clean.xlsx"
    config = book.parent / "sheetprog.toml"
    config.write_text('[checks]\ndisable = ["F03", "F04"]\n', encoding="utf-8")
    assert cli("check", out, "-o", clean).exit_code == 0
    restored = parts(clean)
    assert {n for n in set(before) | set(restored) if before.get(n) != restored.get(n)} == {
        "xl/styles.xml",
        "xl/worksheets/sheet7.xml",
    }


def test_an_unreadable_passport_field_is_one_finding_not_also_empty(cli, example_copy, tmp_path):
    """«2025 г.» typed in «Отчётный год»: R001 (not read) at its cell, not also S01 (empty)."""
    book = example_copy("kaluga-2016.xlsx")
    cell = read_workbook(book).passport.cells["reporting_year"].split("!")[1]
    wb = openpyxl.load_workbook(book)
    wb["Паспорт"][cell] = "2025 г."
    wb.save(book)
    found = [(f.code, f.cell) for f in check_workbook(book)[1].findings if f.cell == cell]
    assert found == [("R001", cell)]
    shown = cli("check", book, "--min-severity", "ошибка")
    assert shown.exit_code == 1 and f"R001 {cell}" in shown.stdout
    assert f"S01 {cell}" not in shown.stdout
    # with R001 switched off the field is still reported, as empty
    (tmp_path / "sheetprog.toml").write_text('[checks]\ndisable = ["R001"]\n', encoding="utf-8")
    found = [(f.code, f.cell) for f in check_workbook(book)[1].findings if f.cell == cell]
    assert found == [("S01", cell)]
    # an empty field is S01 as before
    wb["Паспорт"][cell] = None
    wb.save(book)
    (tmp_path / "sheetprog.toml").unlink()
    found = [(f.code, f.cell) for f in check_workbook(book)[1].findings if f.cell == cell]
    assert found == [("S01", cell)]
