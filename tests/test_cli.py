from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sheetprog import read_workbook
from sheetprog.program.info import info_dict
from sheetprog.serialize import to_jsonable
from tests.conftest import EXAMPLES, sha256


def test_new_blank_and_info(cli, tmp_path: Path):
    out = tmp_path / "blank.xlsx"
    result = cli("new", out, "--years", "2019-2023")
    assert result.exit_code == 0, result.output
    assert "2019–2023" in result.stdout
    info = cli("info", out)
    assert info.exit_code == 0
    assert "Годы реализации: 2019–2023" in info.stdout


def test_new_refuses_to_overwrite_without_replace(cli, tmp_path: Path):
    out = tmp_path / "x.xlsx"
    assert cli("new", out, "--years", "2021-2022").exit_code == 0
    before = sha256(out)
    result = cli("new", out, "--years", "2021-2023")
    assert result.exit_code == 2
    assert "уже существует" in result.stderr and "--replace" in result.stderr
    assert sha256(out) == before
    assert cli("new", out, "--years", "2021-2023", "--replace").exit_code == 0
    assert read_workbook(out).passport.last_year == 2023


def test_new_usage_errors(cli, tmp_path: Path):
    bad_years = cli("new", tmp_path / "a.xlsx", "--years", "2023-2019")
    assert bad_years.exit_code == 2 and "Годы" in bad_years.stderr
    no_years = cli("new", tmp_path / "b.xlsx")
    assert no_years.exit_code == 2 and "--years" in no_years.stderr
    not_xlsx = cli("new", tmp_path / "c.xls", "--years", "2021-2022")
    assert not_xlsx.exit_code == 2 and ".xlsx" in not_xlsx.stderr


def test_new_with_invalid_definition_lists_every_problem(cli, tmp_path: Path):
    definition = tmp_path / "bad.yaml"
    definition.write_text(
        "passport:\n  first_year: 2021\n  last_year: 2022\n  colour: red\n"
        "indicators:\n  - name: A\n    plan: {2021: около 10}\n    direction: вверх\n",
        encoding="utf-8",
    )
    before = sha256(definition)
    result = cli("new", tmp_path / "out.xlsx", "--from", definition)
    assert result.exit_code == 3
    for fragment in ("passport.colour", "indicators[0].plan.2021", "indicators[0].direction"):
        assert fragment in result.stderr
    assert not (tmp_path / "out.xlsx").exists()
    assert sha256(definition) == before


def test_new_from_toml(cli, tmp_path: Path):
    definition = tmp_path / "p.toml"
    definition.write_text(
        '[passport]\nmunicipality = "Город"\nfirst_year = 2021\nlast_year = 2022\n\n'
        '[[indicators]]\nname = "Показатель"\nunit = "%"\ndirection = "рост"\n'
        'plan = { "2021" = "не менее 10" }\n',
        encoding="utf-8",
    )
    out = tmp_path / "p.xlsx"
    assert cli("new", out, "--from", definition).exit_code == 0
    program = read_workbook(out)
    assert program.passport.municipality == "Город"
    assert program.indicators[0].plan[2021].canonical() == "не менее 10"


def test_info_json_is_the_model_with_cells(cli):
    path = EXAMPLES / "partizansk-2021.xlsx"
    result = cli("info", path, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    expected = info_dict(read_workbook(path), [])  # Partizansk reads without problems
    assert data == json.loads(json.dumps(expected, ensure_ascii=False))
    assert data["counts"] == {"indicators": 4, "activities": 51, "funding_lines": 7, "problems": 0}
    indicator = data["indicators"][1]
    assert indicator["plan"]["2021"]["value"] == 68
    assert indicator["facts"]["2021"] == 69
    assert indicator["cells"]["fact.2021"] == "Показатели!X5"
    assert data["funding"][0]["cash"]["2021"] == 157.2
    assert data["passport"]["cells"]["program_name"] == "Паспорт!B6"


def test_to_jsonable_numbers_are_json_numbers():
    from decimal import Decimal

    assert to_jsonable({"a": Decimal("100.0"), "b": Decimal("100.3")}) == {"a": 100, "b": 100.3}


def test_help_is_fast_and_does_not_import_heavy_libraries():
    code = (
        "import sys; from sheetprog.cli import main\n"
        "names = ('pandas', 'openpyxl', 'docx', 'docxtpl', 'xlwings')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    help_run = subprocess.run(
        [sys.executable, "-m", "sheetprog", "--help"], capture_output=True, text=True, check=True
    )
    assert "new" in help_run.stdout and "info" in help_run.stdout


def test_public_api():
    import sheetprog

    assert set(sheetprog.__all__) == {
        "DefinitionError",
        "NotATemplateError",
        "SheetprogError",
        "UnreadableInputError",
        "UsageError",
        "__version__",
        "new_workbook",
        "read_workbook",
    }


def test_new_files_get_the_usual_permissions(cli, tmp_path: Path):
    import os
    import stat

    out = tmp_path / "perm.xlsx"
    assert cli("new", out, "--years", "2021-2022").exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
