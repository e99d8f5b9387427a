"""`sheetprog template check`: a lint a template designer can use. Every template here is a
.docx built by python-docx in the test."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document

from sheetprog.checks.severity import Severity
from sheetprog.reports.kinds import REPORT_KINDS
from sheetprog.reports.lint import LintProblem, lint_template, russian
from sheetprog.reports.schema import context_schema, kind_schema
from tests.conftest import EXAMPLES, ROOT


def lint(document, path: Path, schema=None) -> list[LintProblem]:
    document.save(str(path))
    return lint_template(path, schema if schema is not None else context_schema())


def lines(problems: list[LintProblem]) -> list[str]:
    return [f"[{p.severity.label}] {p.where}: {p.message}" for p in problems]


def test_an_unclosed_block_in_the_body_is_reported_where_it_opens(tmp_path):
    doc = Document()
    doc.add_paragraph("Отчёт")
    doc.add_paragraph("{% if program.name %}Программа {{ program.name }}")
    doc.add_paragraph("Конец")
    doc.sections[0].footer.paragraphs[0].text = "Стр. {{ report.date|date }}"
    doc.sections[0].header.paragraphs[0].text = "{{ program.name }}"
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[ошибка] абзац 2: тег «{% if program.name %}» не закрыт: нет «{% endif %}»"
    ]


def test_headers_footers_and_table_cells_are_named(tmp_path):
    doc = Document()
    doc.add_paragraph("Отчёт")
    table = doc.add_table(rows=2, cols=3)
    table.rows[1].cells[2].text = "{{ program.nmae }}"
    doc.add_paragraph("{{ program.name }}")
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Шапка"
    section.header.add_paragraph("{% if x %}")
    section.footer.paragraphs[0].text = "{{ report.dat }}"
    section.different_first_page_header_footer = True
    section.first_page_footer.paragraphs[0].text = "{{ progam.name }}"
    problems = lines(lint(doc, tmp_path / "t.docx"))
    assert problems == [
        "[ошибка] таблица 1, строка 2, ячейка 3: у «program» нет поля «nmae» — может быть, «name»?",
        "[ошибка] верхний колонтитул раздела 1, абзац 2: тег «{% if x %}» не закрыт: нет "
        "«{% endif %}»",
        "[ошибка] верхний колонтитул раздела 1, абзац 2: неизвестная переменная «x»",
        "[ошибка] нижний колонтитул раздела 1, абзац 1: у «report» нет поля «dat» — может "
        "быть, «date»?",
        "[ошибка] нижний колонтитул первой страницы раздела 1, абзац 1: неизвестная переменная "
        "«progam» — может быть, «program»?",
    ]


def test_a_block_is_closed_in_its_own_part_only(tmp_path):
    """docxtpl renders the body and each footer apart: an «if» opened in the body and
    «closed» in the footer is two mistakes."""
    doc = Document()
    doc.add_paragraph("{% if program.name %}")
    doc.sections[0].footer.paragraphs[0].text = "{% endif %}"
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[ошибка] абзац 1: тег «{% if program.name %}» не закрыт: нет «{% endif %}»",
        "[ошибка] нижний колонтитул раздела 1, абзац 1: «{% endif %}» без открывающего "
        "«{% if … %}»",
    ]


def test_all_problems_in_one_run_with_did_you_mean(tmp_path):
    doc = Document()
    doc.add_paragraph("{{ program.name | }}")  # a syntax error …
    doc.add_paragraph("{{ progam.name }} и {{ program.nmae }}")  # … does not hide these
    doc.add_paragraph("{{ rating.value|pct }} {{ rating.value|pcnt }}")
    doc.add_paragraph("{% for r in indicators %}{{ r.nmae }}{% if r.fact %}")
    doc.add_paragraph("{% endfor %}")
    doc.add_paragraph("{% else %}")
    doc.add_paragraph("{% iff r.fact %}")
    doc.add_paragraph("Итого {{ funding_total")
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[ошибка] абзац 1: ошибка в теге «{{ program.name | }}»: нужно «имя», а написано «}}»",
        "[ошибка] абзац 2: неизвестная переменная «progam» — может быть, «program»?",
        "[ошибка] абзац 2: у «program» нет поля «nmae» — может быть, «name»?",
        "[ошибка] абзац 3: неизвестный фильтр «pcnt» — может быть, «pct»?",
        "[ошибка] абзац 4: тег «{% if r.fact %}» не закрыт: нет «{% endif %}» до "
        "«{% endfor %}» (абзац 5)",
        "[ошибка] абзац 4: у «r» нет поля «nmae» — может быть, «name»?",
        "[ошибка] абзац 6: «{% else %}» вне блока «{% if … %}» или «{% for … %}»",
        "[ошибка] абзац 7: ошибка в теге «{% iff r.fact %}»: неизвестный тег «iff» — может "
        "быть, «if»?",
        "[ошибка] абзац 8: незакрытый или лишний знак тега «{{» в тексте «Итого {{ funding_total»",
    ]


def test_docxtpl_tags_are_understood(tmp_path):
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for r in indicators %}"
    table.rows[1].cells[0].text = "{{ r.name }}{% vm %}"
    table.rows[1].cells[1].text = "{% cellbg r.code %}{{ r.fact|num }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{%p if program.name %}")
    doc.add_paragraph("{{r program.name }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{% tr for r in indicators %}")  # a space after «{%»: not docxtpl's
    doc.add_paragraph("{%tr for r in indicators %}")  # left open
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[ошибка] абзац 4: ошибка в теге «{% tr for r in indicators %}»: неизвестный тег «tr» "
        "(пишите «{%tr» без пробела)",
        "[ошибка] абзац 5: тег «{%tr for r in indicators %}» не закрыт: нет «{%tr endfor %}»",
    ]


def test_messages_are_russian_not_jinja_english(tmp_path):
    doc = Document()
    for text in (
        "{{ program.name ! }}",
        "{{ program.name program.code }}",
        "{% if %}",
        "{% for in indicators %}{% endfor %}",
        "{{ (program.name }}",
        "{% endif program %}",
        "{% %}",
    ):
        doc.add_paragraph(text)
    problems = lint(doc, tmp_path / "t.docx")
    assert len(problems) == 7 and all(p.severity is Severity.ERROR for p in problems)
    for problem in problems:
        assert not re.search(r"\b(expected|unexpected|token|got|Jinja|template)\b", problem.message)
        assert re.search("[а-яё]{4,}", problem.message)
    assert russian("unexpected end of template, expected 'end of print statement'.") == (
        "тег не закончен: нужно «}}»"
    )
    assert russian("something new").startswith("ошибка в записи тега (Jinja: something new)")


def test_split_runs_warn_only_when_the_look_differs(tmp_path):
    doc = Document()
    same = doc.add_paragraph()
    for part in ("{{ prog", "ram.na", "me }}"):
        same.add_run(part).bold = True  # Word split it (spell check, editing): looks the same
    plain = doc.add_paragraph()
    plain.add_run("Год: {{ report")
    plain.add_run(".date|date }}")
    differs = doc.add_paragraph()
    differs.add_run("Период: {{ per")
    differs.add_run("iod.label }}").italic = True
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[предупреждение] абзац 3: тег «{{ period.label }}» разбит форматированием Word на "
        "части с разным оформлением; в отчёте всё значение получит оформление первой части — "
        "выделите тег и задайте единое оформление"
    ]


def test_split_runs_that_differ_only_in_spelling_language_are_fine(tmp_path):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    paragraph = doc.add_paragraph()
    first = paragraph.add_run("{{ program")
    second = paragraph.add_run(".name }}")
    for run, lang in ((first, "ru-RU"), (second, "en-US")):
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), lang)
        run._r.get_or_add_rPr().append(element)
    assert lint(doc, tmp_path / "t.docx") == []


def test_kind_limits_the_variables(cli, tmp_path):
    doc = Document()
    doc.add_paragraph("{{ reserve.municipality }} {{ program.name }}")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    everything = cli("template", "check", path)
    assert everything.exit_code == 0, everything.stdout
    annual = cli("template", "check", path, "--kind", "annual")
    assert annual.exit_code == 1
    assert "[ошибка] абзац 1: неизвестная переменная «reserve»" in annual.stdout
    reserve = cli("template", "check", path, "--kind", "reserve")
    assert reserve.exit_code == 1 and "неизвестная переменная «program»" in reserve.stdout
    wrong = cli("template", "check", path, "--kind", "yearly")
    assert wrong.exit_code == 2 and "«yearly» — допустимо: quarterly, annual" in wrong.stderr


def test_each_default_template_is_clean_for_its_own_kind(cli):
    for kind in REPORT_KINDS:
        result = cli("template", "check", ROOT / "templates" / f"{kind}.docx", "--kind", kind)
        assert result.exit_code == 0 and "Ошибок: 0, предупреждений: 0." in result.stdout, kind


def test_the_report_names_a_broken_template_in_russian(cli, tmp_path):
    doc = Document()
    doc.add_paragraph("{% if program.name %}{{ program.nmae }}")
    template = tmp_path / "t.docx"
    doc.save(str(template))
    result = cli(
        "report", "annual", EXAMPLES / "kaluga-2016.xlsx", "--template", template,
        "-o", tmp_path / "r.docx",
    )  # fmt: skip
    assert result.exit_code == 3
    assert "абзац 1: тег «{% if program.name %}» не закрыт" in result.stderr
    assert "абзац 1: у «program» нет поля «nmae» — может быть, «name»?" in result.stderr


def test_docs_list_variables_per_report_kind():
    from sheetprog.reports.docs import render

    text = render()
    sections = re.split(r"\n### ", text.split("## Переменные по видам отчётов", 1)[1])[1:]
    titled = {section.splitlines()[0]: section for section in sections}
    for kind in REPORT_KINDS.values():
        [section] = [s for title, s in titled.items() if f"(`{kind.name}`)" in title]
        for variable in kind_schema(kind.name):
            assert f"| `{variable}` |" in section, (kind.name, variable)
    [reserve] = [s for title, s in titled.items() if "(`reserve`)" in title]
    assert "| `program` |" not in reserve and "| `reserve` |" in reserve
    assert "--kind annual" in text


def test_merged_cells_count_once_and_nested_tables_are_named(tmp_path):
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    merged = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    merged.text = "{%tr for r in indicators %}"  # one w:tc over two columns: one opener
    inner = table.rows[1].cells[1].add_table(rows=1, cols=2)
    inner.rows[0].cells[1].text = "{{ r.nmae }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    assert lines(lint(doc, tmp_path / "t.docx")) == [
        "[ошибка] таблица 1, строка 2, ячейка 2, вложенная таблица 1, строка 1, ячейка 2: "
        "у «r» нет поля «nmae» — может быть, «name»?"
    ]
