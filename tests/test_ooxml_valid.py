"""Every package sheetprog writes is valid against the Office Open XML schemas (ECMA-376 and the
Office extensions), as the Open XML SDK's validator checks them: openxml-audit, a maintained
pure-Python port of that validator with the SDK's schema data (installed by .ci/run through
the ``dev`` extra; docs/file-validation.md says why this one).

Schema and semantic *errors* fail; the validator's warnings (Excel-compatibility advice such as
«inline strings get moved to a shared-strings table on save») are not violations of the format.
Each fix this test forced is named in the assertion's message of the part it checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

audit = pytest.importorskip("openxml_audit", reason="openxml-audit (the dev extra) is missing")


def errors(path: Path) -> list[str]:
    result = audit.OpenXmlValidator(max_errors=1000).validate(str(path))
    return [
        f"{e.part_uri} {getattr(e, 'path', '')}: {e.description}"
        for e in result.errors
        if e.severity == audit.ValidationSeverity.ERROR
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """One of each package the CLI writes, from the bundled examples."""
    from click.testing import CliRunner

    from sheetprog.cli import main

    out = tmp_path_factory.mktemp("packages")
    runner = CliRunner()

    def run(*args: object) -> None:
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output  # 1: a check found errors

    made = {
        "new.xlsx": ("new", out / "new.xlsx", "--years", "2025-2030"),
        "new.xlsm": ("new", out / "new.xlsm", "--years", "2025-2030"),
        "check.xlsx": ("check", EXAMPLES / "partizansk-2021.xlsx", "-o", out / "check.xlsx"),
        "calc.xlsx": ("calc", EXAMPLES / "kaluga-2016.xlsx", "-o", out / "calc.xlsx"),
        "annual.docx": ("report", "annual", EXAMPLES / "partizansk-2021.xlsx",
                        "--config", EXAMPLES / "partizansk.toml", "-o", out / "annual.docx"),
        "quarterly.docx": ("report", "quarterly", EXAMPLES / "kaluga-2016.xlsx",
                           "--period", "2016-Q2", "-o", out / "quarterly.docx"),
        "final.docx": ("report", "final", EXAMPLES / "shakhty-2013.xlsx", "--partial",
                       "-o", out / "final.docx"),
        "reserve.docx": ("report", "reserve", EXAMPLES / "reserve-novoshakhtinsk.xlsx",
                         "-o", out / "reserve.docx"),
    }  # fmt: skip
    for args in made.values():
        run(*args)
    found = {name: out / name for name in made}
    inbox = out / "inbox"
    shutil.copytree(EXAMPLES, inbox, ignore=shutil.ignore_patterns("*.toml", "*.yaml"))
    run("batch", inbox, "-o", out / "region")
    found["Сводная таблица.xlsx"] = out / "region" / "Сводная таблица.xlsx"
    for docx in sorted((out / "region").rglob("*.docx")):
        found[docx.relative_to(out / "region").as_posix()] = docx
    return found


KINDS = [
    "new.xlsx",
    "new.xlsm",
    "check.xlsx",
    "calc.xlsx",
    "annual.docx",
    "quarterly.docx",
    "final.docx",
    "reserve.docx",
    "Сводная таблица.xlsx",
]


@pytest.mark.parametrize("name", KINDS)
def test_package_is_schema_valid(written, name):
    """Before: openpyxl's font order (xl/styles.xml: «Unexpected element 'b'»), tblHeader
    w:val="true" and a stale stylesWithEffects part (every report), no theme part in the
    consolidated workbook («required relationship type … theme is missing»)."""
    assert errors(written[name]) == [], name


def test_batch_documents_are_schema_valid(written):
    documents = [name for name in written if name.endswith(".docx") and name not in KINDS]
    assert documents, "the batch wrote its note and letters"
    assert {name: errors(written[name]) for name in documents} == {name: [] for name in documents}


@pytest.mark.parametrize(
    "committed",
    sorted(
        p.relative_to(EXAMPLES.parent).as_posix()
        for folder in ("examples", "workbooks", "templates")
        for p in (EXAMPLES.parent / folder).iterdir()
        if p.suffix in (".xlsx", ".xlsm", ".docx")
    ),
)
def test_committed_packages_are_schema_valid(committed):
    assert errors(EXAMPLES.parent / committed) == []


def test_the_validator_fails_an_invalid_package(tmp_path):
    """The validator is not a check that cannot fail: openpyxl's own font order is refused."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.active["A1"].font = Font(name="Arial", bold=True, size=10)
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    assert any("Unexpected element" in e for e in errors(path))
