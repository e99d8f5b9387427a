"""Build the default Word templates (templates/*.docx) with python-docx and docxtpl tags.

Run through ``python scripts/regenerate.py``; a test checks the committed templates
against this builder. A municipality restyles a copy in Word and passes it with
--template; sheetprog only needs the tags.
"""

from __future__ import annotations

from collections.abc import Sequence
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


# ГОСТ Р 7.0.97-2016: margins at least 20 mm left, top and bottom and 10 mm right; page
# numbers centred in the top margin from the second page on; text 12–14 pt, tables 10–12 pt
TEXT_SIZE = 12
TABLE_SIZE = 10
MARGINS = {"left": 25, "right": 10, "top": 20, "bottom": 20}  # mm, portrait
LANDSCAPE_MARGINS = {"left": 20, "right": 10, "top": 20, "bottom": 20}
PORTRAIT_WIDTH = 210 - MARGINS["left"] - MARGINS["right"]  # 175 mm of text
LANDSCAPE_WIDTH = 297 - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]  # 267 mm


# Word 2010's copy of styles.xml that python-docx's default document carries: styles added
# here (header, footer) are missing from it, which the Open XML SDK's validator reports and
# Word may take for unreadable content; Word reads styles.xml without it.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _document() -> DocumentObject:
    doc = Document()
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del doc.part.rels[rid]
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(TEXT_SIZE if name == "Normal" else TABLE_SIZE)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(4)
    normal.line_spacing = 1.0
    normal.widow_control = True
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
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.header_distance = section.footer_distance = Mm(10)


def _page_numbers(section, *, first: bool = True) -> None:  # type: ignore[no-untyped-def]
    """The page number centred in the header, from the second page on: the document's first
    page has an empty first-page header; every later section carries its own numbered
    header (LibreOffice would otherwise start each section with an unnumbered page)."""
    section.different_first_page_header_footer = first
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _section(doc: DocumentObject, *, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=landscape)
    _page_numbers(section, first=False)


def _p(
    doc: DocumentObject,
    text: str,
    *,
    align: Any = JUSTIFY,
    bold: bool = False,
    size: int | None = None,
    indent: bool = False,
    keep_with_next: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.keep_with_next = keep_with_next
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.5)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _heading(doc: DocumentObject, text: str, *, new_page: bool = False) -> None:
    """A section heading: kept on the page of what follows it."""
    _p(doc, text, align=CENTER, bold=True)
    fmt = doc.paragraphs[-1].paragraph_format
    fmt.keep_with_next = True
    fmt.page_break_before = new_page


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # on by its presence, as Word writes it
    _cant_split(row)


def _cant_split(row) -> None:  # type: ignore[no-untyped-def]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell(cell, text: str, *, align=LEFT, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_SIZE)  # LibreOffice ignores a table style's font size


Header = str | tuple[str, list[str]]  # a column, or a group title over its sub-columns


def _table(
    doc: DocumentObject,
    headers: Sequence[Header],
    widths: list[int],
    body: list[Any],
) -> Table:
    """A grid table: header rows repeated on every page (two when some columns are grouped
    under one title), then rows that are either a docxtpl control ("{%tr for … %}") or a
    list of (text, alignment) cells; a one-cell list spans the row. ``widths`` in mm, one
    per column; tests/test_report_layout.py checks no word is broken inside a cell."""
    columns = [h for item in headers for h in (item[1] if isinstance(item, tuple) else [item])]
    grouped = any(isinstance(item, tuple) for item in headers)
    table = doc.add_table(rows=2 if grouped else 1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid: Word and LibreOffice lay columns out from it
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    col = 0
    for item in headers:
        if isinstance(item, tuple):
            title, subs = item
            top = table.cell(0, col).merge(table.cell(0, col + len(subs) - 1))
            _cell(top, title, align=CENTER, bold=True)
            for k, sub in enumerate(subs):
                _cell(table.cell(1, col + k), sub, align=CENTER, bold=True)
            col += len(subs)
        else:
            cell = table.cell(0, col).merge(table.cell(1, col)) if grouped else table.cell(0, col)
            _cell(cell, item, align=CENTER, bold=True)
            col += 1
    for row in table.rows:
        _repeat_header(row)
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


CONTACT = (
    "{% if program.contact_person %}Исполнитель: {{ program.contact_person }}"
    "{% if program.contact_phone %}, тел. {{ program.contact_phone }}{% endif %}{% endif %}"
)


def _signature(
    doc: DocumentObject,
    position: str = "{{ program.signatory_position }}",
    name: str = "{{ program.signatory_name }}",
    contact: str | None = CONTACT,
) -> None:
    """Position, signature line and name, then the date and the contact: one block that a
    page break never splits, and that keeps the paragraph before it on its page."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _p(doc, "", keep_with_next=True)
    table = doc.add_table(rows=3 if contact else 2, cols=3)
    table.autofit = False
    widths = (85, 35, 55)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        _cant_split(row)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    _cell(table.cell(0, 0), position)
    _cell(table.cell(0, 1), "_______________", align=CENTER)
    _cell(table.cell(0, 2), name, align=RIGHT)
    _cell(table.cell(1, 0), "{{ report.date|date }}")
    if contact:
        merged = table.cell(2, 0).merge(table.cell(2, 2))
        _cell(merged, contact)
        merged.paragraphs[0].runs[0].font.size = Pt(TABLE_SIZE)
    for row in list(table.rows)[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


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
    _heading(doc, "Приложение. Неустранённые ошибки проверки книги", new_page=True)
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
        widths = [15, 116, 45, 33, 33, 25]
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
            ("Значение", ["факт {{ period.year - 1 }}", "план {{ period.year }}",
                          "факт {{ period.year }}"]),
            "Достижение, %",
            "Обоснование отклонений",
        ],
        [12, 80, 31, 22, 24, 22, 26, 50],
        [
            "{%tr for g in indicator_groups %}",
            [("{{ g.title }}", LEFT)],
            "{%tr for r in g.rows %}",
            [
                ("{{ r.index }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", LEFT),
                ("{{ r.prev_fact|num }}", RIGHT),
                (PLAN_CELL, RIGHT),
                ("{{ r.fact|num }}", RIGHT),
                ("{{ r.achievement|pct }}", RIGHT),
                ("{{ r.justification }}", LEFT),
            ],
            "{%tr endfor %}",
            "{%tr endfor %}",
        ],
    )  # fmt: skip


def _activity_table(doc: DocumentObject) -> None:
    """The activities: the long texts get the width (the achieved result the most); plan
    and actual terms share one grouped header; the expected result follows the name and
    the problems follow the achieved result in their cells."""
    _table(
        doc,
        [
            "№ п/п",
            "Мероприятие (ответственный исполнитель); ожидаемый результат",
            ("Срок", ["план", "факт"]),
            "Достигнутый результат, проблемы",
        ],
        [14, 90, 30, 30, 103],
        [
            "{%tr for g in activity_groups %}",
            [("{{ g.title }}", LEFT)],
            "{%tr for a in g.rows %}",
            [
                ("{{ a.number }}", LEFT),
                ("{{ a.described }}", LEFT),
                ("{{ a.planned }}", CENTER),
                ("{{ a.actual }}", CENTER),
                ("{{ a.outcome }}", LEFT),
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


# issue 18: the plan in force, and the one first adopted when an edition changed it
PLAN_CELL = "{{ r.plan }}{% if r.plan_initial %} (первонач. {{ r.plan_initial }}){% endif %}"


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
    _amendments(doc)
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
    _p(doc, "{%p if funding_chart %}")
    _p(doc, "{{ funding_chart }}", align=CENTER)
    _p(doc, "{%p endif %}")
    _heading(doc, "5. Оценка эффективности реализации муниципальной программы")
    _p(doc, "Методика: {{ report.method_name }}.", indent=True)
    _scores_table(doc)
    _p(
        doc,
        "Оценка эффективности: {{ rating.value|pct }} — {{ rating.label }}.",
        indent=True,
        bold=True,
    )
    _assessment_status(doc)
    _p(doc, "ВЫВОД: {{ conclusion }}", indent=True, bold=True)
    _explanations(doc)
    _p(doc, "{%p if proposals %}")
    _p(doc, "Предложения: {{ proposals }}", indent=True)
    _p(doc, "{%p endif %}")
    _signature(doc)
    _errors_annex(doc)
    return doc


def _amendments(doc: DocumentObject) -> None:
    """Issue 18: the table of amendments (the «Редакции» sheet's acts)."""
    _p(doc, "{%p if editions %}")
    _p(doc, "В программу вносились изменения:", indent=True, keep_with_next=True)
    _table(
        doc,
        ["Акт", "В силе с", "Причина", "Что изменено"],
        [52, 24, 36, 58],
        [
            "{%tr for e in editions %}",
            [
                ("{{ e.title }}", LEFT),
                ("{{ e.in_force|date }}", CENTER),
                ("{{ e.reason }}", LEFT),
                ("{{ e.description }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p endif %}")


def amendment() -> DocumentObject:
    """Issue 18: the «было / стало» annex of a draft amending resolution."""
    return _amendment(project=False)


def project_amendment() -> DocumentObject:
    """Issue 18: the same annex for a program in the project structure: its results too."""
    return _amendment(project=True)


def _amendment(project: bool) -> DocumentObject:
    doc = _document()
    _p(doc, "Приложение", align=RIGHT)
    _p(doc, "{{ edition.title }}", align=RIGHT)
    _p(doc, "ИЗМЕНЕНИЯ,", align=CENTER, bold=True)
    _p(
        doc,
        "которые вносятся в муниципальную программу {{ program.title }}",
        align=CENTER,
        bold=True,
    )
    _p(doc, "{%p if edition.reason or edition.description %}")
    _p(
        doc,
        "Основание: {{ edition.reason }}{% if edition.description %}; "
        "{{ edition.description }}{% endif %}.",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if passport_changes %}")
    _heading(doc, "Паспорт муниципальной программы")
    _table(
        doc,
        ["Поле паспорта", "Было", "Стало"],
        [62, 54, 54],
        [
            "{%tr for c in passport_changes %}",
            [("{{ c.field }}", LEFT), ("{{ c.old }}", LEFT), ("{{ c.new }}", LEFT)],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p endif %}")
    measured = [("indicator_changes", "Показатели (индикаторы)", "Показатель")]
    if project:
        measured.append(("result_changes", "Мероприятия (результаты)", "Мероприятие (результат)"))
    for rows, heading, what in measured:
        _p(doc, f"{{%p if {rows} %}}")
        _heading(doc, heading)
        _table(
            doc,
            ["№", what, "Ед. изм.", "Графа", "Было", "Стало"],
            [12, 66, 20, 24, 24, 24],
            [
                f"{{%tr for c in {rows} %}}",
                [
                    ("{{ c.number }}", CENTER),
                    ("{{ c.name }}", LEFT),
                    ("{{ c.unit }}", CENTER),
                    ("{{ c.column }}", CENTER),
                    ("{{ c.old }}", RIGHT),
                    ("{{ c.new }}", RIGHT),
                ],
                "{%tr endfor %}",
            ],
        )
        _p(doc, "{%p endif %}")
    _p(doc, "{%p if funding_changes %}")
    _heading(doc, "Финансовое обеспечение, тыс. руб.")
    _table(
        doc,
        [
            "Элемент, источник" if project else "Мероприятие, источник",
            "Наименование",
            "Графа",
            "Было",
            "Стало",
        ],
        [38, 62, 22, 24, 24],
        [
            "{%tr for c in funding_changes %}",
            [
                ("{{ c.item }}", LEFT),
                ("{{ c.name }}", LEFT),
                ("{{ c.column }}", CENTER),
                ("{{ c.old }}", RIGHT),
                ("{{ c.new }}", RIGHT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p endif %}")
    _signature(doc)
    return doc


def _assessment_status(doc: DocumentObject) -> None:
    """Issue 18: «Оценка предварительная: будет уточнена после …» / «уточнённая …»."""
    _p(doc, "{%p if assessment_status.text %}")
    _p(doc, "{{ assessment_status.text }}", indent=True)
    _p(doc, "{%p endif %}")


def _explanations(doc: DocumentObject) -> None:
    """Issue 18: the clerk's reasons and measures from «Пояснения», quoted."""
    for name, heading in (
        ("deviation_reasons", "Причины отклонений значений показателей:"),
        ("unspent_reasons", "Причины неосвоения средств:"),
    ):
        _p(doc, f"{{%p if {name} %}}")
        _p(doc, heading, indent=True)
        _p(doc, f"{{%p for x in {name} %}}")
        _p(doc, "— {{ x.name }}{% if x.category %} ({{ x.category }}){% endif %}: {{ x.text }}",
           indent=True)  # fmt: skip
        _p(doc, "{%p endfor %}")
        _p(doc, "{%p endif %}")
    _p(doc, "{%p if measures %}")
    _p(doc, "Принятые меры: {{ measures }}", indent=True)
    _p(doc, "{%p endif %}")


def quarterly() -> DocumentObject:
    doc = _document()
    _title(doc, "за {{ period.label }}")
    _general(doc)
    _section(doc, landscape=True)  # the heading goes with its table onto the landscape page
    _heading(doc, "1. Финансирование (нарастающим итогом с начала года)")
    _funding_table(doc, quarterly=True)
    _heading(doc, "2. Выполнение мероприятий")
    _p(doc, "{%p if activities %}")
    _table(
        doc,
        [
            "№",
            "Мероприятие; исполнитель",
            "Срок окончания",
            "Статус",
            "Что сделано, проблемы",
        ],
        [14, 70, 30, 30, 123],
        [
            "{%tr for a in activities %}",
            [
                ("{{ a.number }}", LEFT),
                ("{{ a.name }}{% if a.executors %} ({{ a.executors }}){% endif %}", LEFT),
                ("{{ a.planned_end }}", CENTER),
                ("{{ a.status }}{% if a.overdue %} (срок наступил){% endif %}", LEFT),
                ("{{ a.outcome }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "Мероприятий в книге нет.", indent=True)
    _p(doc, "{%p endif %}")
    _heading(doc, "3. Значения показателей за {{ period.label }}")
    _p(doc, "{%p if indicators_with_facts %}")
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
        [14, 110, 24, 30, 30, 59],
        [
            "{%tr for r in indicators_with_facts %}",
            [
                ("{{ r.index }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", LEFT),
                (PLAN_CELL, RIGHT),
                ("{{ r.fact|num }}", RIGHT),
                ("{{ r.justification }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(
        doc,
        "Факты показателей за {{ period.label }} в книгу не внесены: значения показателей "
        "будут приведены в следующей информации.",
        indent=True,
    )
    _p(doc, "{%p endif %}")
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
        [12, 103, 32, 1, 30, 1],
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
    _assessment_status(doc)
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
    _signature(
        doc, "{{ reserve.signatory_position }}", "{{ reserve.signatory_name }}", contact=None
    )
    return doc


def region_summary() -> DocumentObject:
    """The regional note: totals, the rating distribution with its chart, the programs, the
    ranking, returns, changes of accepted reports, missing and late, unreadable files and
    another period's submissions by name, the frequent errors, a signature block."""
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
        "Получено файлов: {{ region.files }}; принято: {{ region.accepted }}, с ошибками: "
        "{{ region.with_errors }}, не прочитано: {{ region.unreadable }}"
        "{% if region.other_period %}; за другой отчётный период: {{ region.other_period }} "
        "(в этой записке не рассматриваются){% endif %}. На доработку возвращено: "
        "{{ region.letters }}.",
        indent=True,
    )
    _heading(doc, "1. Итоги по региону")
    _table(
        doc,
        ["Показатель", "Значение"],
        [125, 50],
        [
            [("Программ учтено", LEFT), ("{{ region.programs }}", RIGHT)],
            [("Муниципальных образований", LEFT), ("{{ region.municipalities }}", RIGHT)],
            [("Финансирование: план, тыс. руб.", LEFT), ("{{ region.funding_plan|money }}", RIGHT)],
            [
                ("Финансирование: кассовое исполнение, тыс. руб.", LEFT),
                ("{{ region.funding_actual|money }}", RIGHT),
            ],
            [("Уровень исполнения по расходам (Уи)", LEFT), ("{{ region.execution|pct }}", RIGHT)],
            [("Средняя оценка эффективности (по методике рейтинга)", LEFT),
             ("{{ region.average|pct }}", RIGHT)],
            [("Программ в рейтинге", LEFT), ("{{ region.ranked }}", RIGHT)],
        ],
    )  # fmt: skip
    _p(
        doc,
        "Рейтинг составлен по методике «{{ region.methodology }}»"
        "{% if not region.methodology_chosen %} (по умолчанию; методику рейтинга задаёт "
        "раздел [region] файла sheetprog.toml){% endif %}: каждая программа оценена по ней "
        "для сравнения, оценка по методике самой программы приведена рядом. "
        "{% if region.exclude_errors %}Книги с ошибками в рейтинг не включены."
        "{% else %}Книги с ошибками включены в рейтинг с отметкой.{% endif %}",
        indent=True,
    )
    _heading(doc, "2. Распределение программ по уровню эффективности")
    _table(
        doc,
        ["Уровень эффективности", "Программ", "Доля"],
        [105, 35, 35],
        [
            "{%tr for d in distribution %}",
            [("{{ d.label }}", LEFT), ("{{ d.count }}", RIGHT), ("{{ d.share|pct }}", RIGHT)],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p if chart %}")
    _p(doc, "{{ chart }}", align=CENTER)
    _p(doc, "{%p endif %}")
    _section(doc, landscape=True)
    _heading(doc, "3. Программы и муниципальные образования")
    _p(doc, "{%p if programs %}")
    _table(
        doc,
        [
            "Муниципальное образование",
            "Программа",
            "Мероприятия выполнено",
            "Показатели достигнуто",
            "Освоение средств",
            "Оценка",
            "Эффективность",
            "Методика программы",
        ],
        [44, 49, 27, 27, 22, 20, 42, 36],
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
                ("{{ p.method }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "Динамика оценки по периодам (из хранилища)")
    _table(
        doc,
        ["Муниципальное образование", "Программа", "Оценка по периодам"],
        [70, 107, 90],
        [
            "{%tr for p in programs %}",
            [("{{ p.municipality }}", LEFT), ("{{ p.program }}", LEFT), ("{{ p.trend }}", LEFT)],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "Отчётов за период, принятых к рассмотрению, нет.", indent=True)
    _p(doc, "{%p endif %}")
    _heading(doc, "4. Рейтинг")
    _p(doc, "{%p if ranking %}")
    _table(
        doc,
        [
            "Место",
            "Муниципальное образование",
            "Программа",
            "Оценка",
            "Уровень",
            "Оценка по методике программы",
            "Уровень по методике программы",
            "Ошибки",
        ],
        [15, 45, 59, 20, 42, 26, 42, 18],
        [
            "{%tr for r in ranking %}",
            [
                ("{{ r.rank }}", CENTER),
                ("{{ r.municipality }}", LEFT),
                ("{{ r.program }}", LEFT),
                ("{{ r.value|pct }}", RIGHT),
                ("{{ r.rating }}", LEFT),
                ("{{ r.own_value|pct }}", RIGHT),
                ("{{ r.own_rating }}", LEFT),
                ("{% if r.errors %}{{ r.errors }}{% else %}нет{% endif %}", CENTER),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "Рейтинг не составлен: нет программ с оценкой.", indent=True)
    _p(doc, "{%p endif %}")
    _heading(doc, "5. Возвращены на доработку")
    _p(doc, "{%p if returns %}")
    _p(
        doc,
        "Копии книг с листом «Проверки» и отметками в ячейках и письма к ним — в папке "
        "«на доработку»; срок повторного представления указан в письмах.",
        indent=True,
    )
    _table(
        doc,
        ["Муниципальное образование", "Программа", "Файл", "Причины"],
        [55, 70, 50, 92],
        [
            "{%tr for r in returns %}",
            [
                ("{{ r.municipality }}", LEFT),
                ("{{ r.program }}", LEFT),
                ("{{ r.file }}", LEFT),
                ("{{ r.reasons }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "Возвращать на доработку нечего.", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if changes %}")
    _heading(doc, "Изменения принятых отчётов")
    _p(
        doc,
        "Новые редакции отчётов, принятых ранее: учитывается принятая редакция, пока "
        "изменения не приняты (sheetprog batch --accept-changes); изменённые ячейки — на "
        "листе «Изменения принятых» сводной таблицы.",
        indent=True,
    )
    _table(
        doc,
        ["Муниципальное образование", "Программа", "Принятая редакция", "Новая редакция",
         "Ячеек", "Изменения"],
        [45, 55, 37, 37, 18, 75],
        [
            "{%tr for c in changes %}",
            [
                ("{{ c.municipality }}", LEFT),
                ("{{ c.program }}", LEFT),
                ("{{ c.accepted }}", LEFT),
                ("{{ c.file }}", LEFT),
                ("{{ c.cells }}", RIGHT),
                ("{{ c.summary }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )  # fmt: skip
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if refined %}")  # issue 18
    _heading(doc, "Уточнённые оценки")
    _p(
        doc,
        "Оценки, которые были предварительными (факты ожидались), уточнены в новых "
        "редакциях отчётов, и рейтинг программы изменился:",
        indent=True,
    )
    _table(
        doc,
        ["Муниципальное образование", "Программа", "Предварительная оценка",
         "Уточнённая оценка", "Новая редакция"],
        [50, 65, 45, 45, 37],
        [
            "{%tr for r in refined %}",
            [
                ("{{ r.municipality }}", LEFT),
                ("{{ r.program }}", LEFT),
                ("{{ r.before }}", LEFT),
                ("{{ r.after }}", LEFT),
                ("{{ r.file }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )  # fmt: skip
    _p(doc, "{%p endif %}")
    _section(doc, landscape=False)
    _heading(doc, "6. Не представили отчётность и представили с опозданием")
    _p(doc, "{%p if missing or late %}")
    _p(doc, "{%p for m in missing %}")
    _p(doc, "{%p if m.more %}")  # the row after the first 500: how many more, and where
    _p(doc, "{{ m.more }}", indent=True)
    _p(doc, "{%p else %}")
    _p(
        doc,
        "— {{ m.municipality }} ({{ m.oktmo }}), программа {{ m.program_code }}: не "
        "представлено, срок {{ m.deadline|date }};",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for m in late %}")
    _p(doc, "{%p if m.more %}")
    _p(doc, "{{ m.more }}", indent=True)
    _p(doc, "{%p else %}")
    _p(
        doc,
        "— {{ m.municipality }} ({{ m.oktmo }}), программа {{ m.program_code }}: поступило "
        "{{ m.submitted|date }} при сроке {{ m.deadline|date }};",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p else %}")
    _p(doc, "Все ожидаемые отчёты получены в срок (или список ожидаемых не задан).", indent=True)
    _p(doc, "{%p endif %}")
    _heading(doc, "7. Файлы, которые не удалось прочитать")
    _p(doc, "{%p if unreadable %}")
    _p(doc, "{%p for u in unreadable %}")
    _p(doc, "{%p if u.more %}")
    _p(doc, "{{ u.more }}", indent=True)
    _p(doc, "{%p else %}")
    _p(doc, "— «{{ u.file }}»: {{ u.reason }}", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p else %}")
    _p(doc, "Все файлы прочитаны.", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if other_period %}")
    _heading(doc, "Отчёты за другой отчётный период (не рассматривались)")
    _p(doc, "{%p for o in other_period %}")
    _p(doc, "{%p if o.more %}")
    _p(doc, "{{ o.more }}", indent=True)
    _p(doc, "{%p else %}")
    _p(doc, "— «{{ o.file }}»: {{ o.municipality }}, {{ o.program }}, {{ o.period }};",
       indent=True)  # fmt: skip
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _heading(doc, "Наиболее частые ошибки")
    _p(doc, "{%p if frequent_errors %}")
    _table(
        doc,
        ["Код", "Правило", "Книг"],
        [18, 130, 27],
        [
            "{%tr for e in frequent_errors %}",
            [("{{ e.code }}", LEFT), ("{{ e.title }}", LEFT), ("{{ e.files }}", RIGHT)],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "Ошибок проверки в учтённых отчётах нет.", indent=True)
    _p(doc, "{%p endif %}")
    _signature(
        doc,
        "{{ signature.position }}",
        "{{ signature.name }}",
        contact="{% if signature.contact %}Исполнитель: {{ signature.contact }}{% endif %}",
    )
    return doc


def region_letter() -> DocumentObject:
    """The letter returning a report for revision: one page, the errors by sheet and cell,
    the deadline; the copy with «Проверки» is its annex."""
    doc = _document()
    _p(doc, "{{ signature.authority }}", align=LEFT, bold=True)
    _p(doc, "{%p if submission.municipality %}")
    _p(doc, "{{ submission.municipality }}", align=RIGHT)
    _p(doc, "Ответственному исполнителю муниципальной программы", align=RIGHT)
    _p(doc, "{%p else %}")
    _p(doc, "Отправителю файла «{{ submission.file }}»", align=RIGHT)
    _p(doc, "{%p endif %}")
    _p(doc, "{{ report.date|date }}", align=LEFT)
    _p(doc, "О возврате отчёта на доработку", align=CENTER, bold=True)
    _p(doc, "{%p if letter.unread %}")
    _p(
        doc,
        "Файл «{{ submission.file }}»{% if letter.received %}, поступивший "
        "{{ letter.received|date }},{% endif %} не удалось прочитать как отчёт о ходе "
        "реализации муниципальной программы за {{ letter.period }}: {{ letter.reason }}",
        indent=True,
    )
    _p(
        doc,
        "Просим представить отчёт в книге установленной формы (.xlsx) не позднее "
        "{{ letter.deadline|date }}.",
        indent=True,
    )
    _p(doc, "{%p else %}")
    _p(
        doc,
        "Отчёт о ходе реализации муниципальной программы «{{ submission.program }}» за "
        "{{ letter.period }} (файл «{{ submission.file }}»{% if letter.received %}, "
        "поступил {{ letter.received|date }}{% endif %}) не может быть принят: при проверке "
        "выявлены ошибки ({{ letter.errors }}).",
        indent=True,
    )
    _table(
        doc,
        ["Лист", "Ячейка", "Код", "Ошибка"],
        [32, 20, 16, 107],
        [
            "{%tr for r in reasons %}",
            [
                ("{{ r.sheet }}", LEFT),
                ("{{ r.cell }}", LEFT),
                ("{{ r.code }}", LEFT),
                ("{{ r.message }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(doc, "{%p if letter.more %}")
    _p(
        doc,
        "Ещё ошибок: {{ letter.more }} — все они перечислены на листе «Проверки» "
        "приложенной копии книги.",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(
        doc,
        "Просим исправить ошибки и представить отчёт повторно не позднее "
        "{{ letter.deadline|date }}.",
        indent=True,
    )
    _p(doc, "{%p if letter.attachment %}")
    _p(
        doc,
        "Приложение: «{{ letter.attachment }}» — копия книги с листом «Проверки» и отметками в "
        "ячейках с ошибками.",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endif %}")
    _signature(
        doc,
        "{{ signature.position }}",
        "{{ signature.name }}",
        contact="{% if signature.contact %}Исполнитель: {{ signature.contact }}{% endif %}",
    )
    return doc


# -- the project structure (issue 17): quarterly monitoring, annual and final reports ----------


def _initial(var: str, fmt: str) -> str:
    """A plan cell that an edition changed: «32 (первонач. 30)» (issue 18)."""
    return (
        f"{{{{ {var}.plan|{fmt} }}}}{{% if {var}.plan_initial %}} "
        f"(первонач.\u00a0{{{{ {var}.plan_initial }}}}){{% endif %}}"
    )


def _project_document(kind: str) -> DocumentObject:
    """The three project-structure reports share one layout; ``kind``: quarterly, annual or
    final (the forecast columns, the budget list at 1 January, the years' table)."""
    doc = _document()
    _p(doc, "{{ report.title|upper }}", align=CENTER, bold=True)
    _p(doc, "«{{ project.program.title }}»", align=CENTER, bold=True)
    _p(doc, "{{ report.period }}", align=CENTER, bold=True)
    _p(doc, "{{ project.program.municipality }}", align=CENTER)
    _p(
        doc,
        "Программа утверждена: {{ project.program.approval }}. Куратор — "
        "{{ project.program.curator }}; "
        "ответственный исполнитель — {{ project.program.responsible }}"
        "{% if project.program.co_executors %}; соисполнители — {{ project.program.co_executors }}"
        "{% endif %}. Сроки реализации — {{ project.program.years }} годы.",
        indent=True,
    )
    _p(doc, "{%p if project.program.note %}")
    _p(doc, "Примечание: {{ project.program.note }}", size=10)
    _p(doc, "{%p endif %}")
    amended = kind != "quarterly"  # issue 18: plans «первоначальные / действующие»
    if amended:
        _amendments(doc)
    if kind == "final":
        _heading(doc, "Эффективность по годам реализации")
        _table(
            doc,
            ["Год", "Эффективность (ЭРмп)", "Оценка"],
            [30, 60, 80],
            [
                "{%tr for y in project.years %}",
                [("{{ y.year }}", CENTER), ("{{ y.value|pct }}", RIGHT), ("{{ y.rating }}", LEFT)],
                "{%tr endfor %}",
            ],
        )
    _heading(doc, "1. Структурные элементы")
    _table(
        doc,
        ["Код", "Элемент", "Тип", "СДП", "СРМ", "СКТ", "ССУЗ", "ЭР"],
        [13, 58, 14, 17, 17, 17, 19, 20],
        [
            "{%tr for e in project.elements %}",
            [
                ("{{ e.code }}", LEFT),
                ("{{ e.name }}", LEFT),
                ("{{ e.type }}", CENTER),
                ("{{ e.sdp|pct }}", RIGHT),
                ("{{ e.srm|pct }}", RIGHT),
                ("{{ e.skt|pct }}", RIGHT),
                ("{{ e.ssuz|pct }}", RIGHT),
                ("{{ e.er|pct }}", RIGHT),
            ],
            "{%tr endfor %}",
        ],
    )
    _p(
        doc,
        "СДП — степень достижения показателей; СРМ — выполнения мероприятий (результатов); "
        "СКТ — контрольных точек; ССУЗ — соответствие расходов плану; ЭР — эффективность "
        "реализации элемента. Методика: {{ project.assessment.method }}.",
        size=10,
    )
    forecast = kind == "quarterly"
    _heading(doc, "2. Показатели (по уровням)")
    _table(
        doc,
        [
            "Уровень",
            "Показатель",
            "Ед. изм.",
            "План",
            "Факт",
            "Прогноз на конец года" if forecast else "Достижение",
            "Обоснование отклонения",
        ],
        [20, 37, 18, 26, 17, 25, 32] if amended else [24, 40, 20, 17, 17, 25, 32],
        [
            "{%tr for i in project.indicators %}",
            [
                ("{{ i.level }}", CENTER),
                ("{{ i.key }}. {{ i.name }}", LEFT),
                ("{{ i.unit }}", CENTER),
                (_initial("i", "num") if amended else "{{ i.plan|num }}", RIGHT),
                ("{{ i.fact|num }}", RIGHT),
                ("{{ i.forecast|num }}" if forecast else "{{ i.degree|pct }}", RIGHT),
                ("{{ i.justification }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _heading(doc, "3. Мероприятия (результаты) и контрольные точки")
    _table(
        doc,
        [
            "№",
            "Мероприятие (результат)",
            "Ед. изм.",
            "План",
            "Факт",
            "Прогноз" if forecast else "Выполнение",
        ],
        [13, 65, 20, 26, 17, 34] if amended else [13, 74, 20, 17, 17, 34],
        [
            "{%tr for r in project.results %}",
            [
                ("{{ r.number }}", LEFT),
                ("{{ r.name }}", LEFT),
                ("{{ r.unit }}", CENTER),
                (_initial("r", "num") if amended else "{{ r.plan|num }}", RIGHT),
                ("{{ r.fact|num }}", RIGHT),
                ("{{ r.forecast|num }}" if forecast else "{{ r.state }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _table(
        doc,
        ["№", "Контрольная точка", "План", "Факт", "Документ", "Состояние"],
        [15, 48, 20, 20, 38, 34],
        [
            "{%tr for p in project.points %}",
            [
                ("{{ p.number }}", LEFT),
                ("{{ p.name }}", LEFT),
                ("{{ p.planned|date }}", CENTER),
                ("{{ p.actual|date }}", CENTER),
                ("{{ p.document }}", LEFT),
                ("{{ p.state }}", LEFT),
            ],
            "{%tr endfor %}",
        ],
    )
    _section(doc, landscape=True)
    _heading(doc, "4. Финансовое обеспечение по структурным элементам, тыс. руб.")
    money_cols: list[tuple[str, str]] = [
        ("План", "plan"),
        ("Роспись на 1 января", "budget_initial"),
        ("Роспись на отчётную дату", "budget_list"),
    ]
    if forecast:
        money_cols += [("Касса I кв.", "cash_q1"), ("Касса полугодие", "cash_h1"),
                       ("Касса 9 мес.", "cash_m9")]  # fmt: skip
    money_cols.append(("Касса за период", "cash"))
    width = (LANDSCAPE_WIDTH - 22 - 27 - 40) // len(money_cols)
    _table(
        doc,
        ["Элемент", "КЦСР", "Источник", *(title for title, _ in money_cols)],
        [22, 27, 40, *([width] * len(money_cols))],
        [
            "{%tr for f in project.funding %}",
            [
                ("{{ f.element }}", LEFT),
                ("{{ f.kcsr }}", LEFT),
                ("{{ f.source }}", LEFT),
                *(
                    (
                        _initial("f", "money")
                        if amended and key == "plan"
                        else f"{{{{ f.{key}|money }}}}",
                        RIGHT,
                    )
                    for _, key in money_cols
                ),
            ],
            "{%tr endfor %}",
            [
                ("Итого", LEFT),
                ("", LEFT),
                ("", LEFT),
                *((f"{{{{ project.funding_total.{key}|money }}}}", RIGHT) for _, key in money_cols),
            ],
        ],
    )
    _section(doc, landscape=False)
    _heading(doc, "5. Оценка эффективности и выводы")
    _p(doc, "{%p if project.assessment.annual %}")
    _p(
        doc,
        "Степень достижения показателей программы (СДПмп) — {{ project.assessment.sdp|pct }}; "
        "эффективность реализации программы (ЭРмп) — {{ project.assessment.value|pct }} "
        "({{ project.assessment.rating }}).",
        indent=True,
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for n in project.assessment.notes %}")
    _p(doc, "Примечание: {{ n }}.", size=10)
    _p(doc, "{%p endfor %}")
    _p(doc, "{{ project.assessment.conclusion }}", indent=True)
    _p(doc, "{%p if project.assessment.status_text %}")  # issue 18: provisional assessment
    _p(doc, "{{ project.assessment.status_text }}", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if project.unspent %}")  # issue 18: «Пояснения» quoted
    _p(doc, "Причины неосвоения средств:", indent=True)
    _p(doc, "{%p for u in project.unspent %}")
    _p(
        doc,
        "{{ u.item }}: {{ u.text }}{% if u.category %} ({{ u.category }}){% endif %}.",
        indent=True,
    )
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if project.measures %}")
    _p(doc, "Принятые меры: {{ project.measures }}", indent=True)
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if project.proposals %}")
    _p(doc, "Предложения по дальнейшей реализации программы: {{ project.proposals }}", indent=True)
    _p(doc, "{%p endif %}")
    _signature(
        doc,
        "{{ project.program.signatory_position }}",
        "{{ project.program.signatory_name }}",
        contact="{% if project.program.contact %}Исполнитель: {{ project.program.contact }}"
        "{% endif %}",
    )
    _errors_annex(doc)
    return doc


def project_quarterly() -> DocumentObject:
    return _project_document("quarterly")


def project_annual() -> DocumentObject:
    return _project_document("annual")


def project_final() -> DocumentObject:
    return _project_document("final")


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
