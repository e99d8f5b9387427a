"""A program written as a workbook reads back as the same program."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from sheetprog import read_workbook
from sheetprog.api import load_definition
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.program.definition import program_to_dict
from tests.conftest import EXAMPLES, PROGRAM_EXAMPLES
from tests.strategies import programs


def assert_same_program(expected, actual):
    assert actual.passport == expected.passport
    assert actual.indicators == expected.indicators
    assert actual.activities == expected.activities
    assert actual.funding == expected.funding


SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=30, deadline=None, suppress_health_check=SLOW_OK)
@given(program=programs())
def test_random_programs_read_back_identically(tmp_path_factory, program):
    path = tmp_path_factory.mktemp("prop") / "p.xlsx"
    save_workbook(build_workbook(program), path)
    back = read_workbook(path)
    assert_same_program(program, back)
    assert back.problems == []


@settings(max_examples=15, deadline=None, suppress_health_check=SLOW_OK)
@given(program=programs())
def test_random_programs_through_new_from_definition(tmp_path_factory, cli, program):
    folder = tmp_path_factory.mktemp("def")
    definition = folder / "program.yaml"
    definition.write_text(
        yaml.safe_dump(program_to_dict(program), allow_unicode=True), encoding="utf-8"
    )
    out = folder / "program.xlsx"
    result = cli("new", out, "--from", definition)
    assert result.exit_code == 0, result.output
    assert_same_program(program, read_workbook(out))


@pytest.mark.parametrize("name", [p.stem for p in PROGRAM_EXAMPLES])
def test_examples_read_back_as_their_definitions(name):
    definition = load_definition(EXAMPLES / f"{name}.yaml")
    back = read_workbook(EXAMPLES / f"{name}.xlsx")
    assert_same_program(definition, back)
    assert back.problems == []


def test_new_from_definition_via_cli(cli, tmp_path: Path):
    out = tmp_path / "k.xlsx"
    result = cli("new", out, "--from", EXAMPLES / "kaluga-2016.yaml")
    assert result.exit_code == 0, result.output
    back = read_workbook(out)
    assert back.passport.years == list(range(2014, 2020))
    kaluga = {i.number: i for i in back.indicators}
    assert kaluga["2"].plan[2016].canonical() == "свыше 90"
    assert kaluga["5"].plan[2019].canonical() == "не менее 10"
    assert sum(f.plan[2016] for f in back.funding) == 2690
    assert back.passport.funding_total == 16140
