"""Word reports: golden content for every example and kind, the Partizansk figures, templates."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from sheetprog.api import make_report
from sheetprog.reports.filters import date, date_long, money, num, pct, period_name, plural
from sheetprog.reports.kinds import REPORT_KINDS
from sheetprog.reports.templates_build import build_template
from tests.conftest import EXAMPLES, ROOT, docx_content, sha256

GOLDEN = ROOT / "tests" / "golden"
TODAY = dt.date(2026, 1, 20)
CONFIGS = {"partizansk-2021": EXAMPLES / "partizansk.toml"}


def test_filters():
    from decimal import Decimal

    assert num(Decimal("1234.5")) == "1\u00a0234,5" and num(None) == "—"
    assert money(269.76) == "269,76" and money(Decimal("16140")) == "16\u00a0140,00"
    assert pct(Decimal("1.003")) == "100,3\u00a0%"
    assert date(dt.date(2022, 1, 15)) == "15.01.2022"
    assert date_long(dt.date(2022, 1, 15)) == "15 января 2022 г."
    assert [period_name(i) for i in (1, 2, 3, 4)] == ["I квартал", "полугодие", "9 месяцев", "год"]
    forms = ("мероприятие", "мероприятия", "мероприятий")
    assert [plural(n, *forms) for n in (1, 3, 5, 11, 21, 22, 25, 112)] == [
        "1 мероприятие",
        "3 мероприятия",
        "5 мероприятий",
        "11 мероприятий",
        "21 мероприятие",
        "22 мероприятия",
        "25 мероприятий",
        "112 мероприятий",
    ]


CASES = [
    (p.stem, kind)
    for p in sorted(EXAMPLES.glob("*.xlsx"))
    if not p.stem.startswith(("reserve", "project"))  # other kinds (tests/test_project.py)
    for kind in ("quarterly", "annual", "final")
]


def render(tmp_path: Path, name: str, kind: str, **kw) -> Path:
    period = "2016-Q2" if kind == "quarterly" and name == "kaluga-2016" else None
    result = make_report(
        kind,
        EXAMPLES / f"{name}.xlsx",
        out=tmp_path / f"{name}-{kind}.docx",
        config=CONFIGS.get(name),
        today=TODAY,
        period=period,
        partial=kind == "final",  # the examples are mid-programme: final over years with facts
        **kw,
    )
    return result.docx


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_reports_match_golden_content(tmp_path, name, kind, update_golden):
    content = docx_content(render(tmp_path, name, kind))
    golden = GOLDEN / f"{name}-{kind}.json"
    if update_golden or not golden.exists():
        golden.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", "utf-8")
        if not update_golden:
            pytest.fail(f"golden file {golden.name} was missing and has been written; re-run")
    assert content == json.loads(golden.read_text("utf-8")), (
        f"{golden.name} differs: if the change is intended, run pytest --update-golden"
    )


def test_partizansk_annual_states_the_report_figures(tmp_path):
    content = docx_content(render(tmp_path, "partizansk-2021", "annual"))
    text = "\n".join(b for b in content["blocks"] if isinstance(b, str))
    assert "Оценка эффективности: 100,3\u00a0% — высокая." in text
    assert "о высокой эффективности реализации муниципальной программы" in text
    tables = [b for b in content["blocks"] if isinstance(b, list)]
    indicator_table = next(t for t in tables if t[0][1] == "Показатель (индикатор)")
    row = next(r for r in indicator_table if r[4] == "68")
    assert (row[5], row[6]) == ("69", "101,0\u00a0%")
    scores = next(t for t in tables if t[0][0] == "Коэффициент")
    values = {r[0]: r[1] for r in scores[1:]}
    assert values["Степень достижения целей (C)"] == "100,3\u00a0%"
    assert values["Уровень исполнения по расходам (Уи)"] == "100,0\u00a0%"
    assert values["Эффективность реализации программы (E)"] == "100,3\u00a0%"
    assert content["sections"] == ["portrait", "landscape", "landscape", "portrait"]


def test_committed_templates_are_what_the_builder_makes(tmp_path):
    for kind in REPORT_KINDS:
        fresh = tmp_path / f"{kind}.docx"
        build_template(kind).save(str(fresh))
        assert docx_content(fresh) == docx_content(ROOT / "templates" / f"{kind}.docx"), kind


def test_errors_go_to_an_annex_or_block_the_report(cli, tmp_path):
    book = EXAMPLES / "chechnya-2012.xlsx"
    out = tmp_path / "annual.docx"
    blocked = cli("report", "annual", book, "-o", out, "--on-errors", "block")
    assert blocked.exit_code == 1 and "3 ошибки проверки" in blocked.stderr
    assert not out.exists()
    forced = cli("report", "annual", book, "-o", out, "--on-errors", "block", "--despite-errors")
    assert forced.exit_code == 0
    blocks = docx_content(out)["blocks"]
    assert "Приложение. Неустранённые ошибки проверки книги" in blocks
    annex = blocks[blocks.index("Приложение. Неустранённые ошибки проверки книги") + 1]
    assert [row[:3] for row in annex[1:]] == [
        ["F03", "Паспорт", "B19"],
        ["F04", "Паспорт", "B21"],
        ["F04", "Паспорт", "B22"],
    ]


def test_default_output_name_and_no_silent_overwrite(cli, example_copy):
    book = example_copy("kaluga-2016.xlsx")
    first = cli("report", "annual", book)
    assert first.exit_code == 0
    produced = book.parent / "Отчёт 17 2016.docx"
    assert produced.exists() and "Отчёт сохранён" in first.stdout
    before = sha256(produced)
    again = cli("report", "annual", book)
    assert again.exit_code == 2 and "--replace" in again.stderr
    assert sha256(produced) == before
    assert cli("report", "annual", book, "--replace").exit_code == 0


def test_pdf_without_libreoffice_says_so(cli, tmp_path, monkeypatch):
    from sheetprog.io import libreoffice

    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    result = cli(
        "report", "annual", EXAMPLES / "kaluga-2016.xlsx", "-o", tmp_path / "k.docx", "--pdf"
    )
    assert result.exit_code == 3 and "LibreOffice не найден" in result.stderr
    assert (tmp_path / "k.docx").exists()


def broken_template(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Программа: {{ program.nmae }}")
    paragraph = doc.add_paragraph()
    paragraph.add_run("Период: {{ per")
    paragraph.add_run("iod.label }}").bold = True  # Word split the tag while formatting
    table = doc.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for r in indicators %}"
    table.rows[1].cells[0].text = "{{ r.nmae }}"
    table.rows[1].cells[1].text = "{{ r.fact|num }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    doc.save(str(path))
    return path


def test_template_check_finds_misspelt_variables_and_split_tags(cli, tmp_path):
    template = broken_template(tmp_path / "broken.docx")
    result = cli("template", "check", template)
    assert result.exit_code == 1
    out = result.stdout
    assert "[ошибка] абзац 1: у «program» нет поля «nmae»" in out
    assert "[ошибка] таблица 1, строка 2, ячейка 1: у «r» нет поля «nmae»" in out
    assert "[предупреждение] абзац 2: тег «{{ period.label }}» разбит форматированием" in out
    for kind in REPORT_KINDS:
        clean = cli("template", "check", ROOT / "templates" / f"{kind}.docx")
        assert clean.exit_code == 0, clean.stdout


def test_rendering_a_broken_template_fails_with_the_location(cli, tmp_path):
    template = broken_template(tmp_path / "broken.docx")
    out = tmp_path / "r.docx"
    result = cli(
        "report", "annual", EXAMPLES / "kaluga-2016.xlsx", "--template", template, "-o", out
    )
    assert result.exit_code == 3
    assert "абзац 1: у «program» нет поля «nmae»" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_docs_templates_is_generated():
    from sheetprog.reports.docs import render as render_docs

    assert (ROOT / "docs" / "templates.md").read_text("utf-8") == render_docs()


def _counting_charts(monkeypatch) -> list[str]:
    """The chart functions, counting their calls (the report imports them when it runs)."""
    from sheetprog.reports import chart

    drawn: list[str] = []
    for name in ("plan_fact_chart", "funding_chart"):
        real = getattr(chart, name)

        def counting(*args, _name=name, _real=real, **kwargs):
            drawn.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(chart, name, counting)
    return drawn


@pytest.mark.parametrize(
    ("kind", "expected"), [("annual", ["plan_fact_chart", "funding_chart"]), ("final", [])]
)
def test_charts_are_drawn_only_for_a_template_that_shows_them(
    tmp_path, monkeypatch, kind, expected
):
    """The default final template shows no chart: none is drawn (~0,4 s saved, issue 21)."""
    drawn = _counting_charts(monkeypatch)
    docx = render(tmp_path, "kaluga-2016", kind)
    assert drawn == expected
    with zipfile.ZipFile(docx) as zf:
        images = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert len(images) == len(expected)


def test_a_final_report_template_that_shows_a_chart_gets_it(tmp_path, monkeypatch):
    """A region's own final template with {{ chart }} (here the annual one) gets the chart."""
    drawn = _counting_charts(monkeypatch)
    docx = render(tmp_path, "kaluga-2016", "final", template=ROOT / "templates" / "annual.docx")
    assert drawn == ["plan_fact_chart", "funding_chart"]
    with zipfile.ZipFile(docx) as zf:
        assert len([n for n in zf.namelist() if n.startswith("word/media/")]) == 2
