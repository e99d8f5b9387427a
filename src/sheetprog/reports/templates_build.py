"""Build the default Word templates (templates/*.docx) with python-docx and docxtpl tags.

Run through ``python scripts/regenerate.py``; a test checks the committed templates
against this builder. A municipality restyles a copy in Word and passes it with
--template; sheetprog only needs the tags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

FONT = "Times New Roman"
RIGHT, CENTER, LEFT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def _document() -> DocumentObject:
    doc = Document()
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(12 if name == "Normal" else 10)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    doc.core_properties.title = "Шаблон отчёта sheetprog"
    doc.core_properties.author = "sheetprog"
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_numbers(section)
    return doc


def _page(section, *, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.left_margin = Mm(25 if not landscape else 15)
    section.right_margin = Mm(10 if not landscape else 15)
    section.top_margin = section.bottom_margin = Mm(15)


def _page_numbers(section) -> None:  # type: ignore[no-untyped-def]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _section(doc: DocumentObject, *, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=landscape)


def _p(
    doc: DocumentObject,
    text: str,
    *,
    align: Any = JUSTIFY,
    bold: bool = False,
    size: int | None = None,
    indent: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.5)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _heading(doc: DocumentObject, text: str) -> None:
    _p(doc, text, align=CENTER, bold=True)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _cell(cell, text: str, *, align=LEFT, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold


def _table(
    doc: DocumentObject,
    headers: list[str],
    widths: list[int],
    body: list[Any],
) -> Table:
    """A grid table: a repeated header row, then rows that are either a docxtpl control
    ("{%tr for … %}") or a list of (text, alignment) cells; a one-cell list spans the row."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid: Word and LibreOffice lay columns out from it
    for i, (header, width) in enumerate(zip(headers, widths, strict=True)):
        cell = table.rows[0].cells[i]
        cell.width = Mm(width)
        _cell(cell, header, align=CENTER, bold=True)
    _repeat_header(table.rows[0])
    for item in body:
        row = table.add_row()
        for i, width in enumerate(widths):
            row.cells[i].width = Mm(width)
        if isinstance(item, str):
            _cell(row.cells[0], item)
            continue
        if len(item) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            _cell(merged, str(item[0][0]), bold=True)
            continue
        for i, (text, align) in enumerate(item):
            _cell(row.cells[i], text, align=align)
    doc.add_paragraph()
    result: Table = table
    return result


def _signature(doc: DocumentObject) -> None:
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=3)
    table.autofit = False
    for column, width in zip(table.columns, (80, 40, 55), strict=True):
        column.width = Mm(width)
    _cell(table.rows[0].cells[0], "{{ program.signatory_position }}")
    _cell(table.rows[0].cells[1], "_______________", align=CENTER)
    _cell(table.rows[0].cells[2], "{{ program.signatory_name }}", align=RIGHT)
    _p(doc, "{{ report.date|date }}", align=LEFT)
    _p(
        doc,
        "Исполнитель: {{ program.contact_person }}{% if program.contact_phone %}, "
        "тел. {{ program.contact_phone }}{% endif %}",
        align=LEFT,
        size=10,
    )


def _title(doc: DocumentObject, period_phrase: str) -> None:
    _p(doc, "{{ report.title|upper }}", align=CENTER, bold=True)
    _p(doc, "{{ program.title }}", align=CENTER, bold=True)
    _p(doc, period_phrase, align=CENTER, bold=True)
    _p(doc, "{{ program.municipality }}", align=CENTER)


def _general(doc: DocumentObject) -> None:
    _p(
        doc,
        "Ответственный исполнитель — {{ program.responsible }}."
        "{% if program.co_executors %} Соисполнители — {{ program.co_executors }}.{% endif %}"
        " Срок реализации — {{ program.years }} годы.",
        indent=True,
    )
    _p(doc, "{%p if program.subprograms %}")
    _p(doc, "В муниципальную программу входят подпрограммы:", indent=True)
    _p(doc, "{%p for s in program.subprograms %}")
    _p(doc, "{{ s.number }}. «{{ s.name }}»;", indent=True)
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")


def _errors_annex(doc: DocumentObject) -> None:
    _p(doc, "{%p if has_errors %}")
    _heading(doc, "Приложение. Неустранённые ошибки проверки книги")
    _table(
        doc,
        ["Код", "Лист", "Ячейка", "Описание"],
        [15, 30, 18, 107],
        [
            "{%tr for e in errors %}",
            [
                ("{{ e.code }}", LEFT),
                ("{{ e.sheet }}", LEFT),
                ("{{ e.cell }}", LEFT),
                ("{{ e.message }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p endif %}")


def _funding_table(doc: DocumentObject, quarterly: bool) -> None:
    if quarterly:
        headers = [
            "№",
            "Программа, подпрограмма, мероприятие",
            "Источник",
            "План на год, тыс. руб.",
            "Кассовое исполнение, тыс. руб.",
            "Исполнение, %",
            "Остаток, тыс. руб.",
        ]
        widths = [15, 95, 40, 30, 30, 25, 30]
        row = [
            ("{{ f.number }}", LEFT),
            ("{{ f.name }}", LEFT),
            ("{{ f.source }}", LEFT),
            ("{{ f.plan|money }}", RIGHT),
            ("{{ f.actual|money }}", RIGHT),
            ("{{ f.execution|pct }}", RIGHT),
            ("{{ f.unspent|money }}", RIGHT),
        ]
    else:
        headers = [
            "№",
            "Программа, подпрограмма, мероприятие",
            "Источник",
            "Оценка расходов (план), тыс. руб.",
            "Фактические расходы, тыс. руб.",
            "Исполнение, %",
        ]
        widths = [15, 120, 45, 32, 32, 23]
        row = [
            ("{{ f.number }}", LEFT),
            ("{{ f.name }}", LEFT),
            ("{{ f.source }}", LEFT),
            ("{{ f.plan|money }}", RIGHT),
            ("{{ f.actual|money }}", RIGHT),
            ("{{ f.execution|pct }}", RIGHT),
        ]
    _table(doc, headers, widths, ["{%tr for f in funding %}", row, "{%tr endfor %}"])


def _indicator_table(doc: DocumentObject) -> None:
    _table(
        doc,
        [
            "№ п/п",
            "Показатель (индикатор)",
            "Ед. изм.",
            "Факт {{ period.year - 1 }}",
            "План {{ period.year }}",
            "Факт {{ period.year }}",
            "Достижение, %",
            "Обоснование отклонений",
        ],
        [14, 85, 22, 22, 24, 22, 22, 56],
        [
            "{%tr for g in indicator_groups %}",
            [("{{ g.title }}", LEFT)],
            "{%tr for r in g.rows %}",
            [
                ("{{ r.number }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", LEFT),
                ("{{ r.prev_fact|num }}", RIGHT),
                ("{{ r.plan }}", RIGHT),
                ("{{ r.fact|num }}", RIGHT),
                ("{{ r.achievement|pct }}", RIGHT),
                ("{{ r.justification }}", LEFT),
            ],
            "{%tr endfor %}",
            "{%tr endfor %}",
        ],
    )


def _activity_table(doc: DocumentObject) -> None:
    _table(
        doc,
        [
            "№ п/п",
            "Мероприятие",
            "Ответственный исполнитель, соисполнители",
            "Плановый срок начала",
            "Плановый срок окончания",
            "Фактический срок начала",
            "Фактический срок окончания",
            "Результат запланированный",
            "Результат достигнутый",
            "Проблемы",
        ],
        [12, 50, 30, 18, 18, 18, 18, 35, 45, 23],
        [
            "{%tr for g in activity_groups %}",
            [("{{ g.title }}", LEFT)],
            "{%tr for a in g.rows %}",
            [
                ("{{ a.number }}", LEFT),
                ("{{ a.name }}", LEFT),
                ("{{ a.executors }}", LEFT),
                ("{{ a.planned_start }}", CENTER),
                ("{{ a.planned_end }}", CENTER),
                ("{{ a.actual_start }}", CENTER),
                ("{{ a.actual_end }}", CENTER),
                ("{{ a.expected_result }}", LEFT),
                ("{{ a.achieved_result }}", LEFT),
                ("{{ a.problems }}", LEFT),
            ],
            "{%tr endfor %}",
            "{%tr endfor %}",
        ],
    )


def _scores_table(doc: DocumentObject) -> None:
    _table(
        doc,
        ["Коэффициент", "Значение", "Формула и исходные данные"],
        [60, 25, 85],
        [
            "{%tr for s in scores %}",
            [("{{ s.title }}", LEFT), ("{{ s.value|pct }}", RIGHT), ("{{ s.formula }}", LEFT)],
            "{%tr endfor %}",
        ],
    )


def annual() -> DocumentObject:
    doc = _document()
    _title(doc, "за {{ period.label }}")
    _heading(doc, "1. Общие сведения")
    _general(doc)
    _p(
        doc,
        "Объём финансирования программы на {{ period.year }} год составил "
        "{{ funding_total.plan|money }} тыс. руб., фактически израсходовано "
        "{{ funding_total.actual|money }} тыс. руб. ({{ funding_total.execution|pct }}).",
        indent=True,
    )
    _p(
        doc,
        "Из {{ activity_summary.counted|plural('мероприятия', 'мероприятий', "
        "'мероприятий') }}, подлежавших выполнению, выполнено {{ activity_summary.done }}"
        "{% if activity_summary.overdue %}, не выполнено в срок {{ activity_summary.overdue }}"
        "{% endif %}.",
        indent=True,
    )
    _p(doc, "{%p if problems %}")
    _p(doc, "Проблемы, возникшие в ходе реализации:", indent=True)
    _p(doc, "{%p for x in problems %}")
    _p(doc, "— {{ x }}", indent=True)
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _section(doc, landscape=True)
    _heading(doc, "2. Сведения о достижении значений показателей (индикаторов)")
    _indicator_table(doc)
    _p(
        doc,
        "Итоги: достигнуто — {{ indicator_summary.achieved }}, перевыполнено — "
        "{{ indicator_summary.over }}, не достигнуто — {{ indicator_summary.not_achieved }}, "
        "не может быть определено — {{ indicator_summary.undetermined }}.",
    )
    _p(doc, "{%p if chart %}")
    _p(doc, "{{ chart }}", align=CENTER)
    _p(doc, "{%p endif %}")
    _section(doc, landscape=True)
    _heading(doc, "3. Сведения о степени выполнения мероприятий")
    _activity_table(doc)
    _p(
        doc,
        "Выполнено полностью — {{ activity_summary.done }}, частично — "
        "{{ activity_summary.partial }}, не выполнено — {{ activity_summary.not_done }}.",
    )
    _heading(doc, "4. Информация о расходовании бюджетных и внебюджетных средств")
    _funding_table(doc, quarterly=False)
    _section(doc, landscape=False)
    _heading(doc, "5. Оценка эффективности реализации муниципальной программы")
    _p(doc, "Методика: {{ report.method_name }}.", indent=True)
    _scores_table(doc)
    _p(
        doc,
        "Оценка эффективности: {{ rating.value|pct }} — {{ rating.label }}.",
        indent=True,
        bold=True,
    )
    _p(doc, "ВЫВОД: {{ conclusion }}", indent=True, bold=True)
    _p(doc, "{%p if proposals %}")
    _p(doc, "Предложения: {{ proposals }}", indent=True)
    _p(doc, "{%p endif %}")
    _signature(doc)
    _errors_annex(doc)
    return doc


def quarterly() -> DocumentObject:
    doc = _document()
    _title(doc, "за {{ period.label }}")
    _general(doc)
    _heading(doc, "1. Финансирование (нарастающим итогом с начала года)")
    _section(doc, landscape=True)
    _funding_table(doc, quarterly=True)
    _heading(doc, "2. Выполнение мероприятий")
    _table(
        doc,
        ["№", "Мероприятие", "Исполнитель", "Срок окончания", "Статус", "Что сделано", "Проблемы"],
        [12, 75, 40, 25, 25, 60, 30],
        [
            "{%tr for a in activities %}",
            [
                ("{{ a.number }}", LEFT),
                ("{{ a.name }}", LEFT),
                ("{{ a.executors }}", LEFT),
                ("{{ a.planned_end }}", CENTER),
                ("{{ a.status }}{% if a.overdue %} (срок наступил){% endif %}", LEFT),
                ("{{ a.achieved_result }}", LEFT),
                ("{{ a.problems }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "3. Значения показателей за {{ period.label }}")
    _table(
        doc,
        [
            "№",
            "Показатель",
            "Ед. изм.",
            "План на {{ period.year }} год",
            "Факт за {{ period.label }}",
            "Пояснение",
        ],
        [12, 110, 25, 30, 30, 60],
        [
            "{%tr for r in indicators if r.fact is not none %}",
            [
                ("{{ r.number }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", LEFT),
                ("{{ r.plan }}", RIGHT),
                ("{{ r.fact|num }}", RIGHT),
                ("{{ r.justification }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _section(doc, landscape=False)
    _heading(doc, "4. Пояснительная записка")
    _p(doc, "{{ note }}", indent=True)
    _p(doc, "{{ conclusion }}", indent=True)
    _signature(doc)
    _errors_annex(doc)
    return doc


def final() -> DocumentObject:
    doc = _document()
    _title(
        doc,
        "за {{ report.years }} годы{% if report.not_covered %} (без данных за "
        "{{ report.not_covered }}){% endif %}",
    )
    _heading(doc, "1. Общие сведения")
    _general(doc)
    _heading(doc, "2. Финансирование и оценка эффективности по годам")
    _table(
        doc,
        ["Год", "План, тыс. руб.", "Факт, тыс. руб.", "Исполнение, %", "Оценка", "Эффективность"],
        [20, 30, 30, 25, 25, 40],
        [
            "{%tr for y in years_table %}",
            [
                ("{{ y.year }}", LEFT),
                ("{{ y.plan|money }}", RIGHT),
                ("{{ y.actual|money }}", RIGHT),
                ("{{ y.execution|pct }}", RIGHT),
                ("{{ y.rating_value|pct }}", RIGHT),
                ("{{ y.rating }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(
        doc,
        "Всего за {{ report.years }} годы: план {{ years_table|sum(attribute='plan')|money }} "
        "тыс. руб., "
        "факт {{ years_table|sum(attribute='actual')|money }} тыс. руб.",
        indent=True,
    )
    _section(doc, landscape=True)
    _heading(doc, "3. Значения показателей за период реализации (план / факт)")
    # one column per year: docxtpl repeats the cell between the {%tc%} cells
    _table(
        doc,
        ["№", "Показатель", "Ед. изм.", "{%tc for y in years %}", "{{ y }}", "{%tc endfor %}"],
        [12, 110, 25, 1, 30, 1],
        [
            "{%tr for r in final_indicators %}",
            [
                ("{{ r.number }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", LEFT),
                ("{%tc for c in r.years %}", CENTER),
                ("{{ c.plan }} / {{ c.fact|num }}", CENTER),
                ("{%tc endfor %}", CENTER),
            ],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "4. Выполнение мероприятий")
    _activity_table(doc)
    _section(doc, landscape=False)
    _heading(doc, "5. Итоги")
    _p(
        doc,
        "Оценка эффективности за {{ period.label }}: {{ rating.value|pct }} — "
        "{{ rating.label }}. {{ conclusion }}",
        indent=True,
    )
    _p(doc, "ВЫВОД: {{ verdict }}.", indent=True, bold=True)
    _signature(doc)
    _errors_annex(doc)
    return doc


def reserve() -> DocumentObject:
    doc = _document()
    _p(doc, "{{ report.title|upper }}", align=CENTER, bold=True)
    _p(doc, "{{ reserve.municipality }}, {{ reserve.year }} год", align=CENTER, bold=True)
    _p(
        doc,
        "Оценка проведена по пункту 7 Порядка формирования муниципального резерва: за "
        "{{ reserve.year }} год и нарастающим итогом за два и три года. Ответственный — "
        "{{ reserve.responsible_unit }}.",
        indent=True,
    )
    _heading(doc, "1. Показатели эффективности")
    _table(
        doc,
        ["Показатель", "Период", "Числитель", "Знаменатель", "Доля", "Оценка"],
        [54, 22, 24, 27, 19, 24],
        [
            "{%tr for s in shares %}",
            [
                ("{{ s.key }} — {{ s.title }}", LEFT),
                ("{{ s.window }}", CENTER),
                ("{{ s.numerator }}", RIGHT),
                ("{{ s.denominator }}", RIGHT),
                ("{{ s.value|pct }}", RIGHT),
                ("{{ s.band }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(
        doc,
        "Границы оценок: ЭфР1 — {{ bands.efr1 }}, ЭфР2 — {{ bands.efr2 }} (низкая, "
        "средняя, высокая, очень высокая).",
        size=10,
    )
    _heading(doc, "2. Назначения из резерва в {{ reserve.year }} году")
    _table(
        doc,
        ["Идентификатор", "ФИО", "Должность", "Дата назначения"],
        [36, 40, 64, 30],
        [
            "{%tr for r in appointed %}",
            [
                ("{{ r.ident }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.position }}", LEFT),
                ("{{ r.date|date }}", CENTER),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p if not with_names %}")
    _p(doc, "ФИО не приводятся: реестр резерва содержит персональные данные.", size=10)
    _p(doc, "{%p endif %}")
    _heading(doc, "3. Выводы")
    _p(doc, "{{ conclusion }}", indent=True)
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=3)
    _cell(table.rows[0].cells[0], "{{ reserve.signatory_position }}")
    _cell(table.rows[0].cells[1], "_______________", align=CENTER)
    _cell(table.rows[0].cells[2], "{{ reserve.signatory_name }}", align=RIGHT)
    _p(doc, "{{ report.date|date }}", align=LEFT)
    return doc


def region_summary() -> DocumentObject:
    doc = _document()
    _p(doc, "СВОДНАЯ АНАЛИТИЧЕСКАЯ ЗАПИСКА", align=CENTER, bold=True)
    _p(
        doc,
        "о ходе реализации и эффективности муниципальных программ{% if region.period %}"
        " за {{ region.period }}{% endif %}",
        align=CENTER,
        bold=True,
    )
    _p(
        doc,
        "Получено книг: {{ region.files }}; принято: {{ region.accepted }}, с ошибками: "
        "{{ region.with_errors }}, не прочитано: {{ region.unreadable }}.",
        indent=True,
    )
    _section(doc, landscape=True)
    _heading(doc, "1. Программы и муниципальные образования")
    _table(
        doc,
        [
            "Муниципальное образование",
            "Программа",
            "Мероприятия выполнено",
            "Показатели достигнуто",
            "Освоение средств",
            "Эффективность",
            "Оценка",
        ],
        [55, 80, 28, 28, 25, 25, 26],
        [
            "{%tr for p in programs %}",
            [
                ("{{ p.municipality }}", LEFT),
                ("{{ p.program }}", LEFT),
                ("{{ p.activities }}", CENTER),
                ("{{ p.indicators }}", CENTER),
                ("{{ p.execution|pct }}", RIGHT),
                ("{{ p.value|pct }}", RIGHT),
                ("{{ p.rating }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "Динамика оценки по периодам (из хранилища)")
    _table(
        doc,
        ["Муниципальное образование", "Программа", "Оценка по периодам"],
        [60, 110, 100],
        [
            "{%tr for p in programs %}",
            [("{{ p.municipality }}", LEFT), ("{{ p.program }}", LEFT), ("{{ p.trend }}", LEFT)],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "2. Рейтинг")
    _table(
        doc,
        ["Место", "Муниципальное образование", "Программа", "Оценка"],
        [18, 70, 120, 30],
        [
            "{%tr for r in ranking %}",
            [
                ("{{ r.rank }}", CENTER),
                ("{{ r.municipality }}", LEFT),
                ("{{ r.program }}", LEFT),
                ("{{ r.value|pct }}", RIGHT),
            ],
            "{%tr endfor %}",
        ],
    )
    _section(doc, landscape=False)
    _heading(doc, "3. Не представили отчётность")
    _p(doc, "{%p if missing %}")
    _p(doc, "{%p for m in missing %}")
    _p(
        doc,
        "— {{ m.municipality }} ({{ m.oktmo }}), программа {{ m.program_code }}, срок "
        "{{ m.deadline|date }};",
        indent=True,
    )
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p else %}")
    _p(doc, "Все ожидаемые отчёты получены (или список ожидаемых не задан).", indent=True)
    _p(doc, "{%p endif %}")
    _heading(doc, "4. Наиболее частые ошибки")
    _table(
        doc,
        ["Код", "Правило", "Книг"],
        [18, 125, 27],
        [
            "{%tr for e in frequent_errors %}",
            [("{{ e.code }}", LEFT), ("{{ e.title }}", LEFT), ("{{ e.files }}", RIGHT)],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{{ report.date|date }}", align=LEFT)
    return doc


def build_template(kind: str) -> DocumentObject:
    """The default template of a report kind, from its builder in the registry."""
    from sheetprog.reports.kinds import REPORT_KINDS, resolve

    document: DocumentObject = resolve(REPORT_KINDS[kind].builder)()
    return document


def build_templates(folder: Path) -> list[Path]:
    """Every registered report kind's default template, as <folder>/<kind>.docx."""
    from sheetprog.reports.kinds import REPORT_KINDS

    out = []
    for kind in REPORT_KINDS.values():
        path = folder / kind.template
        build_template(kind.name).save(str(path))
        out.append(path)
    return out


REPO_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def default_template(kind: str) -> Path:
    """templates/<kind>.docx of the source tree, or the same template built into a cache
    (an installed package carries the builder, not the files)."""
    import os
    import tempfile

    candidate = REPO_TEMPLATES / f"{kind}.docx"
    if candidate.is_file():
        return candidate
    cache = Path(os.environ.get("SHEETPROG_CACHE", Path(tempfile.gettempdir()) / "sheetprog"))
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{kind}.docx"
    if not path.is_file():
        build_template(kind).save(str(path))
    return path
