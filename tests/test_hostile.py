"""The hostile corpus (tests/hostile.py) through every command (issue 20).

Every run is a real ``python -m sheetprog`` process under ``RLIMIT_AS`` (the address space
a command may use; a normal command needs under 600 MB) and a timeout, so a reader that
allocates without bound fails here the way it fails for a clerk — python-calamine aborts
the process natively ("memory allocation of … bytes failed", SIGABRT) — instead of being
measured by a timed assertion. For each case and command: the exit code, a Russian message
naming the file, no traceback, the input unchanged.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 1 << 30  # bytes of address space for one command
TIMEOUT = 120  # seconds: a bound for a runaway command, far above any normal run

COMMANDS = ("info", "check", "calc", "report", "diff")
REFUSED = {c: 3 for c in COMMANDS}  # the file is not read: exit 3, a Russian reason
FINDINGS = {"info": 0, "check": 1, "calc": 0, "report": 0, "diff": 0}

# case → (expected exit code per command, what the messages must mention)
EXPECTED: dict[str, tuple[dict[str, int], tuple[str, ...]]] = {
    # 1. numbers and years out of the documented range: findings at their cells
    "funding_plan_1e27": (FINDINGS, ("R016", "Финансирование")),
    "fact_1e30": (FINDINGS, ("R016", "Показатели")),
    "fact_1e999999999": (FINDINGS, ("R016",)),
    "fact_text_1e999999999": (FINDINGS, ("R001",)),  # text with an exponent: not a number
    "fact_5000_nines": (FINDINGS, ("R016",)),
    "reporting_year_10000": (
        {**FINDINGS, "calc": 2, "report": 2},  # no reporting year: --period is asked for
        ("R017", "год 10000"),
    ),
    "passport_years_999999": (FINDINGS, ("R017", "год 999999")),
    "passport_start_year_1": (FINDINGS, ("R017", "год 1 ")),
    # 2. native aborts and 3. unbounded memory: refused before the reader allocates
    "cell_xfd1048576": (REFUSED, ("лист «Паспорт»", "XFD1048576")),
    "shared_strings_4e9": (REFUSED, ("4 000 000 000",)),
    "cell_xfd8000": (REFUSED, ("лист «Паспорт»", "XFD8000")),
    "cell_row_1000000": (REFUSED, ("лист «Паспорт»", "A1000000")),
    "dense_wide": (REFUSED, ("лист «Справочники»", "столбцов")),
    "dimension_xfd1048576": (FINDINGS, ()),  # a wrong <dimension> alone costs nothing
}


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def sheetprog(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """One command in its own process under the memory limit and the timeout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sheetprog", *map(str, args)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limited,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


def command(name: str, book: Path, out: Path) -> list[object]:
    return {
        "info": ["info", book],
        "check": ["check", book],
        "calc": ["calc", book],
        "report": ["report", "annual", book, "-o", out / f"{book.stem}.docx", "--replace"],
        "diff": ["diff", hostile.GOOD, book],
    }[name]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_command_on_a_hostile_workbook(case, corpus, tmp_path):
    book = corpus[case]
    before = digest(book)
    codes, mentions = EXPECTED[case]
    seen = ""
    for name in COMMANDS:
        result = sheetprog(*command(name, book, tmp_path))
        text = result.stdout + result.stderr
        assert result.returncode == codes[name], (name, result.returncode, text[-2000:])
        assert "Traceback" not in text and "panicked" not in text, (name, text[-2000:])
        assert "Внутренняя ошибка" not in text, (name, text[-2000:])
        if result.returncode == 3:
            assert result.stderr.startswith("Ошибка: "), result.stderr
            assert str(book) in result.stderr  # the file is named
        seen += text.replace("\u00a0", " ")
        assert len(text) < 200_000, (name, len(text))  # outputs bounded
    for mention in mentions:
        assert mention in seen, (mention, seen[-3000:])
    assert digest(book) == before  # the input is never modified


def test_a_far_cell_costs_nothing_before_the_fix_would_abort(corpus):
    """The same far cell that python-calamine cannot allocate (XFD1048576: 512 GiB asked
    for, SIGABRT) is refused by the pre-read scan under the same memory limit: exit 3, not a
    negative return code (a signal)."""
    result = sheetprog("info", corpus["cell_xfd1048576"])
    assert result.returncode == 3, result.stderr
    assert "больше 50 000 строк" in result.stderr.replace("\u00a0", " ")


def test_both_readers_refuse_the_same_limits(corpus):
    """The openpyxl reader and the calamine reader run the same pre-read scan: a million
    rows, a far column and a huge shared-strings table are refused by both alike."""
    from sheetprog.errors import UnreadableInputError
    from sheetprog.io.fast_grid import load_grid_fast
    from sheetprog.io.xlsx_grid import load_grid

    for case in ("cell_row_1000000", "cell_xfd8000", "shared_strings_4e9", "dense_wide"):
        messages = []
        for loader in (load_grid_fast, load_grid):
            with pytest.raises(UnreadableInputError) as err:
                loader(corpus[case])
            messages.append(err.value.message)
        assert messages[0] == messages[1], case


def test_findings_per_rule_are_capped_with_a_summary():
    from sheetprog.checks.base import Finding
    from sheetprog.checks.run import MAX_PER_RULE, cap_findings
    from sheetprog.checks.severity import Severity

    many = [Finding("R016", Severity.ERROR, "x", "Показатели", f"N{i}") for i in range(250)]
    few = [Finding("F03", Severity.WARNING, "y", "Паспорт", "B19")]
    capped = cap_findings(many + few)
    assert [f.cell for f in capped if f.code == "R016"][:MAX_PER_RULE] == [
        f"N{i}" for i in range(MAX_PER_RULE)
    ]
    summary = [f for f in capped if f.code == "R016"][-1]
    assert summary.cell is None and "150" in summary.message
    assert summary.severity is Severity.ERROR
    assert len(capped) == MAX_PER_RULE + 1 + 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1E+30", "1,0E+30"), ("Infinity", "∞"), ("-Infinity", "-∞"), ("12345.6789", "12 345,6789")],
)
def test_huge_numbers_are_shown_not_crashed_on(text, shown):
    from decimal import Decimal

    from sheetprog.fmt import number

    assert number(Decimal(text)).replace("\u00a0", " ") == shown


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (1e27, "R016"),
        (float("inf"), "R016"),
        ("9" * 5000, "R016"),
        ("1e999999999", "R001"),
        (999999999999999, None),  # just below 10^15
        (10**15, "R016"),
    ],
)
def test_number_range_is_a_finding(raw, code):
    from sheetprog.read.cells import parse_cell
    from sheetprog.spec import Kind

    _value, problem = parse_cell(Kind.MONEY, "plan", raw)
    assert (problem[0] if problem else None) == code


@pytest.mark.parametrize(
    ("year", "code"), [(1989, "R017"), (1990, None), (2100, None), (10000, "R017")]
)
def test_year_range_is_a_finding(year, code):
    from sheetprog.read.cells import parse_cell
    from sheetprog.spec import Kind

    _value, problem = parse_cell(Kind.INTEGER, "reporting_year", year)
    assert (problem[0] if problem else None) == code
