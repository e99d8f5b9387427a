"""The workbook opens in LibreOffice and its live formulas compute what the reader computes."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog import read_workbook
from sheetprog.io.libreoffice import convert, find_soffice
from sheetprog.model import Source, counted_funding
from sheetprog.periods import Period, Span
from tests.conftest import EXAMPLES, PROGRAM_EXAMPLES

pytestmark = pytest.mark.libreoffice

if find_soffice() is None:
    if os.environ.get("CI"):
        raise RuntimeError("LibreOffice must be installed in CI (.ci/run installs it)")
    pytest.skip("LibreOffice is not installed", allow_module_level=True)


def expected_totals(program) -> dict[tuple[str | None, str], Decimal]:
    """Sums the reader computes: per (source or None for all, column key); a subtotal line of
    nested activities counts only beyond them (``model.counted_funding``)."""
    out: dict[tuple[str | None, str], Decimal] = {}
    for line in counted_funding(program.funding):
        values: dict[str, Decimal] = {}
        for year, v in line.plan.items():
            values[f"plan.{year}"] = v
        values["plan_total"] = line.plan_total
        for year, v in line.budget_list.items():
            values[f"budget_list.{year}"] = v
        for period, v in line.cash.items():
            values[f"cash.{period.key}"] = v
        for key, v in values.items():
            for group in (None, line.source.value if line.source else None):
                out[(group, key)] = out.get((group, key), Decimal(0)) + v
    return out


@pytest.mark.parametrize("name", [p.name for p in PROGRAM_EXAMPLES])
def test_recalculated_totals_equal_reader_sums(name, tmp_path: Path):
    source = EXAMPLES / name
    recalculated = convert(source, "xlsx", tmp_path / "out")
    program = read_workbook(source)
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    ws = wb["Финансирование"]
    header = {c.value: c.column for c in ws[3] if c.value}
    totals = [t for t in read_workbook(recalculated).totals if t.sheet == "Финансирование"]
    assert [t.source for t in totals] == [
        None,
        Source.FEDERAL,
        Source.REGIONAL,
        Source.LOCAL,
        Source.OFF_BUDGET,
    ]
    expected = expected_totals(program)
    checked = 0
    for total in totals:
        group = total.source.value if total.source else None
        for key, cell_ref in total.cells.items():
            cell = ws[cell_ref.split("!")[1]]
            assert isinstance(cell.value, int | float), (cell_ref, cell.value)
            want = expected.get((group, key), Decimal(0))
            assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == want.quantize(
                Decimal("0.01")
            ), (cell_ref, key, cell.value, want)
            checked += 1
    assert checked >= 5 * len(header) // 2
    # the row formula "Всего по плану" of each line
    for line in program.funding:
        cell = ws.cell(line.row, header["Всего по плану"])
        assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == line.plan_total


def test_partizansk_totals_match_the_report(tmp_path: Path):
    recalculated = convert(EXAMPLES / "partizansk-2021.xlsx", "xlsx", tmp_path)
    ws = openpyxl.load_workbook(recalculated, data_only=True)["Финансирование"]
    header = {c.value: c.column for c in ws[3] if c.value}
    program = read_workbook(EXAMPLES / "partizansk-2021.xlsx")
    total_row = next(t.row for t in program.totals if t.label == "Итого по программе")
    assert ws.cell(total_row, header["План 2021"]).value == pytest.approx(269.76)
    assert ws.cell(total_row, header["Факт 2021"]).value == pytest.approx(269.76)
    assert sum(f.actual(2021) for f in program.funding) == Decimal("269.76")
    assert Period(2021, Span.YEAR) in program.funding[0].cash


def test_blank_template_opens_and_converts_to_pdf(tmp_path: Path):
    pdf = convert(
        Path(__file__).resolve().parent.parent / "workbooks" / "programma-2025-2030.xlsx",
        "pdf",
        tmp_path,
    )
    assert pdf.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("name", [p.name for p in PROGRAM_EXAMPLES])
def test_annotated_copy_opens_in_libreoffice(name, tmp_path: Path):
    from sheetprog.api import calculate, write_assessment

    _program, assessment = calculate(EXAMPLES / name)
    annotated = write_assessment(EXAMPLES / name, assessment, out=tmp_path / name)
    converted = convert(annotated, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(converted, data_only=True)["Оценка"]
    assert ws["A1"].value == "Оценка эффективности муниципальной программы"
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Оценка эффективности (рейтинг)" in labels
    rating_row = labels.index("Оценка эффективности (рейтинг)") + 1
    if assessment.rating.value is not None:
        assert ws.cell(rating_row, 2).value == pytest.approx(float(assessment.rating.value))
        assert ws.cell(rating_row, 3).value == assessment.rating.label


def test_marked_copy_opens_in_libreoffice_with_notes_and_highlights(tmp_path: Path):
    from sheetprog.api import check_workbook, write_checks
    from sheetprog.checks.severity import Severity

    source = EXAMPLES / "chechnya-2012.xlsx"
    _program, report = check_workbook(source)
    marked = write_checks(source, report, out=tmp_path / "marked.xlsx")
    converted = convert(marked, "xlsx", tmp_path / "lo")
    wb = openpyxl.load_workbook(converted)
    cell = wb["Паспорт"]["B19"]
    assert cell.comment is not None and "F03" in cell.comment.text
    assert cell.fill.fgColor.rgb == Severity.ERROR.fill
    assert wb["Проверки"]["B4"].value == "F03"


def _pages(pdf: Path) -> list[tuple[float, float, str]]:
    """(width, height, text) of every page, from poppler's pdfinfo and pdftotext."""
    import re
    import subprocess

    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]
    pages = []
    for number, (width, height) in enumerate(sizes, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append((width, height, text))
    return pages


WIDE_TABLES = {
    "annual": ["Сведения о достижении значений показателей", "Сведения о степени выполнения"],
    "quarterly": ["Выполнение мероприятий"],
    "final": ["Значения показателей за период реализации"],
}


@pytest.mark.parametrize("kind", ["annual", "quarterly", "final"])
def test_default_templates_render_to_pdf_with_landscape_wide_tables(kind, tmp_path: Path):
    from sheetprog.api import make_report

    result = make_report(
        kind,
        EXAMPLES / "kaluga-2016.xlsx",
        out=tmp_path / f"{kind}.docx",
        period="2016-Q2" if kind == "quarterly" else None,
        pdf=True,
        partial=kind == "final",
    )
    assert result.pdf is not None and result.pdf.read_bytes()[:5] == b"%PDF-"
    pages = _pages(result.pdf)
    assert 2 <= len(pages) <= 12, len(pages)
    first_width, first_height, _text = pages[0]
    assert first_width < first_height  # the title page is portrait A4
    assert abs(first_width - 595) < 3 and abs(first_height - 842) < 3
    for heading in WIDE_TABLES[kind]:
        page = next(p for p in pages if heading in p[2].replace("\n", " "))
        assert page[0] > page[1], f"{heading} is not on a landscape page"


def test_macro_workbook_opens_in_libreoffice(tmp_path: Path):
    import subprocess

    source = Path(__file__).resolve().parent.parent / "workbooks" / "programma-2025-2030.xlsm"
    pdf = convert(source, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Инструкция по заполнению книги мониторинга" in text
    recalculated = convert(source, "xlsx", tmp_path / "xlsx")
    assert openpyxl.load_workbook(recalculated)["Паспорт"]["A4"].value == (
        "Муниципальное образование"
    )


def test_reserve_report_renders_to_pdf(tmp_path: Path):
    from sheetprog.api import make_report

    book = EXAMPLES / "reserve-novoshakhtinsk.xlsx"
    made = make_report("reserve", book, out=tmp_path / "reserve.docx", pdf=True)
    assert made.pdf == tmp_path / "reserve.pdf"
    pages = _pages(made.pdf)
    assert 1 <= len(pages) <= 3
    assert all(width < height for width, height, _text in pages)  # portrait A4
    text = " ".join(p[2] for p in pages)
    assert "ЭфР1" in text and "очень высокая" in text


def test_report_reserve_pdf_path_is_printed(cli, tmp_path: Path):
    book = EXAMPLES / "reserve-novoshakhtinsk.xlsx"
    result = cli("report", "reserve", book, "-o", tmp_path / "r.docx", "--pdf")
    assert result.exit_code == 0
    assert f"PDF: «{tmp_path / 'r.pdf'}»" in result.stdout and (tmp_path / "r.pdf").is_file()


def nested_funding_program():
    """Activity 1 with a funding line that is the subtotal of 1.1 and 1.2 (local budget),
    activity 2 with its own 20 beyond 2.1 (regional), and a plain line of 3."""
    from sheetprog.model import Activity, FundingLine, Passport, Program
    from sheetprog.timing import parse_timing

    def act(number: str) -> Activity:
        return Activity(number=number, name=f"М{number}", responsible="О",
                        planned_end=parse_timing(2021))  # fmt: skip

    def line(number: str, source: Source, plan: str, cash: str) -> FundingLine:
        return FundingLine(activity=number, source=source, source_text=source.value,
                           plan={2021: Decimal(plan)},
                           cash={Period(2021): Decimal(cash)})  # fmt: skip

    passport = Passport(first_year=2021, last_year=2021, reporting_year=2021,
                        funding_total=Decimal("260"),
                        funding_by_year={2021: Decimal("260")})  # fmt: skip
    activities = [act(n) for n in ("1", "1.1", "1.2", "2", "2.1", "3")]
    funding = [
        line("1", Source.LOCAL, "150", "140"),
        line("1.1", Source.LOCAL, "100", "90"),
        line("1.2", Source.LOCAL, "50", "50"),
        line("2", Source.REGIONAL, "80", "70"),
        line("2.1", Source.REGIONAL, "60", "55"),
        line("3", Source.LOCAL, "30", "30"),
    ]
    return Program(passport, [], activities, funding)


def test_nested_funding_counts_once_in_the_workbook_the_engine_and_the_checks(tmp_path):
    """A parent's line that is its nested activities' subtotal counts once; a parent's own
    amount beyond them counts once: LibreOffice's recalculated «Итого» equals the engine's
    total (before: the engine doubled 150 and the workbook's SUM did too), and the passport
    total 260 raises no false F03/F04."""
    from sheetprog.assess.engine import assess
    from sheetprog.assess.methodology import preset
    from sheetprog.checks.run import run_checks
    from sheetprog.io.builder import build_workbook, save_workbook

    path = tmp_path / "nested.xlsx"
    save_workbook(build_workbook(nested_funding_program()), path)
    program = read_workbook(path)
    a = assess(program, Period(2021), preset("average"))
    assert a.funding_total.plan == Decimal("260")  # 100 + 50 + 80 + 30 (2's own 20 in 80)
    assert a.funding_total.actual == Decimal("240")  # 90 + 50 + 70 (2.1: 55 + own 15) + 30
    by_source = {g.label: g.plan for g in a.funding_by_source}
    assert by_source == {"местный бюджет": Decimal("180"), "региональный бюджет": Decimal("80")}
    codes = {f.code for f in run_checks(program).findings}
    assert not {"F03", "F04", "F08"} & codes and "F12" in codes  # 2: own 20 beyond 2.1
    recalculated = convert(path, "xlsx", tmp_path / "out")
    ws = openpyxl.load_workbook(recalculated, data_only=True)["Финансирование"]
    header = {c.value: c.column for c in ws[3] if c.value}
    rows = {t.label: t.row for t in program.totals}
    total_row = rows["Итого по программе"]
    assert ws.cell(total_row, header["План 2021"]).value == pytest.approx(260)
    assert ws.cell(total_row, header["Факт 2021"]).value == pytest.approx(240)
    flags = [ws.cell(line.row, header["В итогах"]).value for line in program.funding]
    assert flags == [1, 0, 0, 1, 0, 1]
    local = next(t.row for t in program.totals if t.source is Source.LOCAL)
    assert ws.cell(local, header["План 2021"]).value == pytest.approx(180)


def test_a_sum_typed_as_text_is_flagged_where_the_workbook_total_skips_it(tmp_path):
    """«950,5» typed as text: sheetprog reads it as 950,5; the workbook's own «Итого» (as
    LibreOffice recalculates it) leaves it out; R015 says so at the cell, and the two totals
    differ by exactly the flagged amounts."""
    from sheetprog.assess.engine import assess
    from sheetprog.assess.methodology import preset
    from sheetprog.checks.run import run_checks
    from sheetprog.io.builder import build_workbook, save_workbook

    path = tmp_path / "text.xlsx"
    save_workbook(build_workbook(nested_funding_program()), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Финансирование"]
    header = {c.value: c.column for c in ws[3] if c.value}
    cell = ws.cell(9, header["План 2021"])  # activity 3's line: a top line
    cell.number_format, cell.value = "@", "950,5"
    wb.save(path)
    program = read_workbook(path)
    flagged = [f for f in run_checks(program).findings if f.code == "R015"]
    assert [(f.sheet, f.cell, f.value, f.severity.label) for f in flagged] == [
        ("Финансирование", cell.coordinate, "950,5", "предупреждение")
    ]
    ours = assess(program, Period(2021), preset("average")).funding_total.plan
    assert ours == Decimal("1180.5")  # 100 + 50 + 80 + 950,5
    recalculated = convert(path, "xlsx", tmp_path / "out")
    book = openpyxl.load_workbook(recalculated, data_only=True)["Финансирование"]
    total_row = next(t.row for t in program.totals if t.label == "Итого по программе")
    theirs = Decimal(str(book.cell(total_row, header["План 2021"]).value))
    assert theirs + Decimal("950.5") == ours
