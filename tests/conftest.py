from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetprog.cli import main
from sheetprog.model import Activity, FundingLine, Indicator, Passport, Program, Source, Status
from sheetprog.periods import Period, Span
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# examples of municipal programs (the personnel-reserve example is a different kind)
PROGRAM_EXAMPLES = sorted(
    p for p in EXAMPLES.glob("*.xlsx") if not p.stem.startswith(("reserve", "project"))
)
# programs in the project structure (issue 17): their own sheets, tested in test_project.py
PROJECT_EXAMPLES = sorted(EXAMPLES.glob("project-*.xlsx"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def cli():
    """Run the CLI in-process; returns the click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def small_program() -> Program:
    """A consistent two-year program used across tests."""
    passport = Passport(
        municipality="Тестовый городской округ",
        oktmo="05714000",
        program_name="Развитие муниципальной службы на 2021 - 2022 годы",
        responsible_executor="Отдел кадров",
        co_executors=["Дума", "КСП"],
        first_year=2021,
        last_year=2022,
        reporting_year=2021,
        reporting_span=Span.YEAR,
        funding_total=Decimal("300"),
        funding_by_year={2021: Decimal("150"), 2022: Decimal("150")},
    )
    indicators = [
        Indicator(
            name="Доля служащих, прошедших обучение",
            number="1",
            unit="%",
            direction=None,
            plan={2021: parse_target(68), 2022: parse_target("не менее 70")},
            facts={
                Period(2021): Decimal(69),
                Period(2021, Span.Q1): Decimal("20,5".replace(",", ".")),
            },
        ),
    ]
    activities = [
        Activity(
            number="1",
            name="Обучение служащих",
            responsible="Отдел кадров",
            planned_start=parse_timing("I квартал 2021 года"),
            planned_end=parse_timing("Весь период"),
            status=Status.DONE,
            is_main=True,
        ),
        Activity(number="1.1", name="Семинары", responsible="Дума", no_funding=True),
    ]
    funding = [
        FundingLine(
            activity="1",
            source=Source.LOCAL,
            source_text="местный бюджет",
            plan={2021: Decimal("100"), 2022: Decimal("100")},
            cash={Period(2021): Decimal("99.5"), Period(2021, Span.Q1): Decimal("10")},
        ),
        FundingLine(
            activity="1",
            source=Source.REGIONAL,
            source_text="краевой бюджет",
            plan={2021: Decimal("50"), 2022: Decimal("50.25")},
        ),
    ]
    from sheetprog.model import Direction

    indicators[0].direction = Direction.UP
    return Program(passport=passport, indicators=indicators, activities=activities, funding=funding)


@pytest.fixture
def program() -> Program:
    return small_program()


@pytest.fixture
def built(tmp_path: Path, program: Program) -> Path:
    """The small program written as a workbook."""
    from sheetprog.io.builder import build_workbook, save_workbook

    path = tmp_path / "program.xlsx"
    save_workbook(build_workbook(program), path)
    return path


@pytest.fixture
def example_copy(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(EXAMPLES / name, target)
        return target

    return copy


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.json from the current reports",
    )


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


def docx_content(path: Path) -> dict:
    """Text and tables of a .docx in body order (what a clerk reads), for golden comparison."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    blocks: list = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            blocks.append([[cell.text.strip() for cell in row.cells] for row in table.rows])
    orientations = [
        s.orientation.name.lower() if s.orientation is not None else "portrait"
        for s in document.sections
    ]
    return {"sections": orientations, "blocks": blocks}
