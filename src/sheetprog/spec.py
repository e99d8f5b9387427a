"""The standardized workbook layout: the single source of truth.

Sheet names, header texts, per-year column patterns ("План {year}",
"Факт {year} I кв."), dropdown lists and required fields are defined here once.
The builder, the reader, the checks' cell references and docs/workbook-format.md
are all derived from these objects. Pure data: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from sheetprog.checks.severity import Severity
from sheetprog.model import Direction, Source, Status
from sheetprog.periods import QUARTER_SPANS, SPAN_LABELS, Span
from sheetprog.values import normalize_text

TEMPLATE_VERSION = "1.0"
VERSION_NAME = "sheetprog_template_version"  # workbook-level defined name holding the version
VERSION_LABEL = "Версия шаблона sheetprog"

SHEET_INSTRUCTIONS = "Инструкция"
SHEET_PASSPORT = "Паспорт"
SHEET_INDICATORS = "Показатели"
SHEET_ACTIVITIES = "Мероприятия"
SHEET_FUNDING = "Финансирование"
SHEET_ASSESSMENT = "Оценка"
SHEET_CHECKS = "Проверки"
SHEET_LISTS = "Справочники"
SHEET_EDITIONS = "Редакции"  # issue 18: the program's amending acts and their changes
SHEET_EXPLANATIONS = "Пояснения"  # issue 18: deviations explained year by year

SHEET_ORDER = (
    SHEET_INSTRUCTIONS,
    SHEET_PASSPORT,
    SHEET_INDICATORS,
    SHEET_ACTIVITIES,
    SHEET_FUNDING,
    SHEET_ASSESSMENT,
    SHEET_CHECKS,
    SHEET_LISTS,
    SHEET_EDITIONS,  # last: where ``sheetprog amend`` adds it to a workbook made before it
    SHEET_EXPLANATIONS,
)
REQUIRED_SHEETS = (SHEET_PASSPORT, SHEET_INDICATORS, SHEET_ACTIVITIES, SHEET_FUNDING)
# every sheet a reader needs, for both workbook kinds (the reserve's tables included)
READ_SHEETS: tuple[str, ...] = (
    *REQUIRED_SHEETS,
    SHEET_LISTS,
    "Резервисты",
    "Вакансии",
    "Планы развития",
    SHEET_EDITIONS,
    SHEET_EXPLANATIONS,
)
# the project structure's own sheets (sheetprog.project.layout; issue 17)
READ_SHEETS += ("Структурные элементы", "Результаты", "Контрольные точки", "Финансовое обеспечение")


class Kind(StrEnum):
    """How a cell is typed, written and read."""

    TEXT = "текст"
    LINES = "список строк"  # one item per line
    LIST = "список"  # items separated by commas, ";" or line breaks
    CODE = "код"  # text that looks like a number (OKTMO, "1.1.1"): stored as text
    INTEGER = "целое число"
    NUMBER = "число"
    MONEY = "сумма, тыс. руб."
    TARGET = "плановое значение"  # number or qualified text ("не менее 10")
    TIMING = "срок"  # date or period text ("I квартал 2021 года")
    DATE = "дата"  # a date only
    FLAG = "да/нет"
    CHOICE = "выбор из списка"
    FORMULA = "формула"


@dataclass(frozen=True)
class ChoiceList:
    name: str  # defined name used by data validation
    title: str
    values: tuple[str, ...]


METHODOLOGY_PRESETS: dict[str, str] = {
    "average": "Средние значения (C, Уи, M)",
    "federal": "Федеральная (СДп/ппз, ЭРгп)",
}

LISTS: dict[str, ChoiceList] = {
    lst.name: lst
    for lst in (
        ChoiceList("lst_direction", "Направление показателя", tuple(d.value for d in Direction)),
        ChoiceList("lst_status", "Статус мероприятия", tuple(s.value for s in Status)),
        ChoiceList(
            "lst_source",
            "Источник финансирования",
            (
                "федеральный бюджет",
                "областной бюджет",
                "краевой бюджет",
                "республиканский бюджет",
                "местный бюджет",
                "внебюджетные источники",
            ),
        ),
        ChoiceList("lst_flag", "Да/нет", ("да", "нет")),
        ChoiceList("lst_span", "Отчётный период", tuple(SPAN_LABELS[s] for s in Span)),
        ChoiceList("lst_method", "Методика оценки", tuple(METHODOLOGY_PRESETS.values())),
    )
}

# Source names as they appear in documents → the four budget levels.
SOURCE_ALIASES: dict[str, Source] = {
    "федеральный бюджет": Source.FEDERAL,
    "федеральный": Source.FEDERAL,
    "средства федерального бюджета": Source.FEDERAL,
    "областной бюджет": Source.REGIONAL,
    "краевой бюджет": Source.REGIONAL,
    "республиканский бюджет": Source.REGIONAL,
    "региональный бюджет": Source.REGIONAL,
    "бюджет субъекта": Source.REGIONAL,
    "бюджет субъекта рф": Source.REGIONAL,
    "окружной бюджет": Source.REGIONAL,
    "местный бюджет": Source.LOCAL,
    "бюджет городского округа": Source.LOCAL,
    "бюджет муниципального образования": Source.LOCAL,
    "бюджет мо": Source.LOCAL,
    "муниципальный бюджет": Source.LOCAL,
    "бюджет муниципального района": Source.LOCAL,
    "бюджет поселения": Source.LOCAL,
    "внебюджетные источники": Source.OFF_BUDGET,
    "внебюджетные средства": Source.OFF_BUDGET,
    "внебюджетные": Source.OFF_BUDGET,
}


def parse_source(text: str) -> Source | None:
    norm = normalize_text(text).replace('"', "").replace("«", "").replace("»", "")
    if norm in SOURCE_ALIASES:
        return SOURCE_ALIASES[norm]
    for alias, source in SOURCE_ALIASES.items():
        if norm.startswith(alias):
            return source
    if norm.startswith("бюджет мо") or "местн" in norm:
        return Source.LOCAL
    return None


@dataclass(frozen=True)
class PassportField:
    key: str
    label: str  # may contain {year}
    kind: Kind
    help: str
    required: bool = False
    choices: str | None = None  # ChoiceList name

    @property
    def per_year(self) -> bool:
        return "{year}" in self.label

    def label_for(self, year: int | None = None) -> str:
        return self.label.format(year=year) if self.per_year else self.label


PASSPORT_FIELDS: tuple[PassportField, ...] = (
    PassportField(
        "municipality",
        "Муниципальное образование",
        Kind.TEXT,
        "Полное наименование муниципального образования.",
        required=True,
    ),
    PassportField(
        "oktmo", "Код ОКТМО", Kind.CODE, "8 или 11 цифр кода ОКТМО муниципального образования."
    ),
    PassportField(
        "program_name",
        "Наименование муниципальной программы",
        Kind.TEXT,
        "Как в постановлении об утверждении программы.",
        required=True,
    ),
    PassportField(
        "program_code",
        "Код (номер) программы",
        Kind.CODE,
        "Номер программы в перечне муниципальных программ.",
    ),
    PassportField(
        "responsible_executor",
        "Ответственный исполнитель",
        Kind.TEXT,
        "Орган или структурное подразделение, отвечающее за программу.",
        required=True,
    ),
    PassportField(
        "co_executors",
        "Соисполнители",
        Kind.LIST,
        "Через запятую или с новой строки; сокращения — как в таблице мероприятий.",
    ),
    PassportField("participants", "Участники", Kind.LIST, "Через запятую или с новой строки."),
    PassportField(
        "subprograms",
        "Подпрограммы",
        Kind.LINES,
        "Каждая подпрограмма с новой строки в виде «1. Наименование».",
    ),
    PassportField("goal", "Цель программы", Kind.TEXT, "Цель из паспорта программы."),
    PassportField("tasks", "Задачи программы", Kind.LINES, "Каждая задача с новой строки."),
    PassportField(
        "first_year",
        "Год начала реализации",
        Kind.INTEGER,
        "Четыре цифры, например 2019.",
        required=True,
    ),
    PassportField(
        "last_year",
        "Год окончания реализации",
        Kind.INTEGER,
        "Четыре цифры, например 2023.",
        required=True,
    ),
    PassportField(
        "reporting_year",
        "Отчётный год",
        Kind.INTEGER,
        "Год, за который составляется отчёт.",
        required=True,
    ),
    PassportField(
        "reporting_span",
        "Отчётный период",
        Kind.CHOICE,
        "I квартал, полугодие, 9 месяцев или год (нарастающим итогом).",
        required=True,
        choices="lst_span",
    ),
    PassportField(
        "methodology",
        "Методика оценки",
        Kind.CHOICE,
        "Методика оценки эффективности, принятая в муниципальном образовании.",
        choices="lst_method",
    ),
    PassportField(
        "funding_total",
        "Объём финансирования, всего, тыс. руб.",
        Kind.MONEY,
        "Общий объём финансирования по паспорту программы.",
    ),
    PassportField(
        "funding_by_year",
        "Объём финансирования {year} г., тыс. руб.",
        Kind.MONEY,
        "Объём финансирования года по паспорту программы.",
    ),
    PassportField(
        "signatory_position", "Должность подписывающего отчёт", Kind.TEXT, "Для подписи отчётов."
    ),
    PassportField(
        "signatory_name", "ФИО подписывающего отчёт", Kind.TEXT, "Например: Е.С. Исаева."
    ),
    PassportField(
        "contact_person", "Исполнитель (контактное лицо)", Kind.TEXT, "Кто готовил сведения."
    ),
    PassportField(
        "contact_phone", "Телефон исполнителя", Kind.CODE, "Например: 8 (42363) 6-01-23."
    ),
    PassportField(
        "note",
        "Примечание",
        Kind.TEXT,
        "Пояснения к книге, например об иллюстративных или предварительных данных.",
    ),
)

PASSPORT_LABEL_HEADER = "Поле"
PASSPORT_VALUE_HEADER = "Значение"
PASSPORT_HELP_HEADER = "Пояснение"


@dataclass(frozen=True)
class Column:
    """A column of a table sheet. ``header`` may contain {year} (a per-year column)."""

    key: str
    header: str
    kind: Kind
    width: float
    help: str
    required: bool = False
    choices: str | None = None
    span: Span = Span.YEAR
    aliases: tuple[str, ...] = ()
    formula: bool = False  # computed by a template formula although its values are not money

    @property
    def per_year(self) -> bool:
        return "{year}" in self.header

    @property
    def computed(self) -> bool:
        return self.kind is Kind.FORMULA or self.formula

    def header_for(self, year: int | None = None) -> str:
        return self.header.format(year=year) if self.per_year else self.header

    def pattern(self) -> re.Pattern[str]:
        """Regex over compact header text (see ``compact``) capturing the year."""
        parts = compact(self.header).split("{year}")
        year_re = r"(\d{4})(?:г\.?|год)?"
        return re.compile("^" + year_re.join(re.escape(p) for p in parts) + "$")


@dataclass(frozen=True)
class YearBlock:
    """Columns repeated for every program year, in this order within the year."""

    columns: tuple[Column, ...]


Item = Column | YearBlock


@dataclass(frozen=True, eq=False)  # one instance per sheet: identity hashing keeps the
class TableSheet:  # header-matching caches cheap (hashing every column cost ~3 ms a file)
    name: str
    title: str
    description: str
    items: tuple[Item, ...]
    total_labels: tuple[str, ...] = ("итого", "всего", "в том числе", "в т.ч.", "в т. ч.")

    @property
    def columns(self) -> tuple[Column, ...]:
        out: list[Column] = []
        for item in self.items:
            out.extend(item.columns if isinstance(item, YearBlock) else (item,))
        return tuple(out)

    def layout(self, years: list[int]) -> list[tuple[Column, int | None]]:
        """Columns in workbook order for these program years."""
        out: list[tuple[Column, int | None]] = []
        for item in self.items:
            if isinstance(item, YearBlock):
                for year in years:
                    out.extend((col, year) for col in item.columns)
            else:
                out.append((item, None))
        return out

    def column(self, key: str, span: Span = Span.YEAR) -> Column:
        for col in self.columns:
            if col.key == key and col.span is span:
                return col
        raise KeyError(key)

    def iter_required(self) -> Iterator[Column]:
        return (c for c in self.columns if c.required)


HEADER_ROW = 3  # row 1: sheet title, row 2: hint, row 3: headers
FIRST_DATA_ROW = HEADER_ROW + 1


def _fact_columns(
    kind: str, words: tuple[str, str], value_kind: Kind, help_year: str, help_q: str
) -> tuple[Column, ...]:
    """Cumulative-quarter columns, then the year: ("Касса", "Факт") → "Касса {year} I кв." …"""
    quarter_word, year_word = words
    cols = [
        Column(
            kind,
            f"{quarter_word} {{year}} {span.column_suffix}",
            value_kind,
            11,
            help_q.format(span=SPAN_LABELS[span]),
            span=span,
        )
        for span in QUARTER_SPANS
    ]
    cols.append(Column(kind, f"{year_word} {{year}}", value_kind, 11, help_year))
    return tuple(cols)


INDICATORS = TableSheet(
    name=SHEET_INDICATORS,
    title="Показатели (индикаторы) муниципальной программы",
    description=(
        "Одна строка — один показатель. План — значение из программы (число или "
        "«не менее 10», «свыше 90», «90-99», «да»); факт — нарастающим итогом."
    ),
    items=(
        Column(
            "number",
            "№ п/п",
            Kind.CODE,
            6,
            "Номер показателя по программе.",
            aliases=("№", "n п/п", "номер"),
        ),
        Column(
            "code",
            "Код показателя",
            Kind.CODE,
            10,
            "Уникальный код (например, П1.2); если пусто — берётся номер.",
        ),
        Column(
            "subprogram",
            "Подпрограмма",
            Kind.CODE,
            12,
            "Номер подпрограммы из паспорта; пусто — показатель программы в целом.",
        ),
        Column(
            "task", "Задача", Kind.TEXT, 24, "Задача программы, к которой относится показатель."
        ),
        Column(
            "name",
            "Наименование показателя",
            Kind.TEXT,
            48,
            "Как в программе.",
            required=True,
            aliases=("наименование показателя (индикатора)", "показатель"),
        ),
        Column(
            "unit",
            "Ед. изм.",
            Kind.TEXT,
            9,
            "Единица измерения: %, человек, единиц …",
            required=True,
            aliases=("единица измерения", "ед.изм"),
        ),
        Column(
            "direction",
            "Направление",
            Kind.CHOICE,
            11,
            "«рост» — хорошо, когда факт больше плана; «снижение» — когда меньше.",
            required=True,
            choices="lst_direction",
        ),
        Column(
            "weight",
            "Вес",
            Kind.NUMBER,
            7,
            "Весовой коэффициент, если методика его использует; иначе пусто.",
        ),
        Column(
            "base", "Базовое значение", Kind.NUMBER, 10, "Значение на начало реализации программы."
        ),
        YearBlock(
            (
                Column(
                    "plan",
                    "План {year}",
                    Kind.TARGET,
                    11,
                    "Плановое значение года: число или «не менее 10», «свыше 90», «90-99», «да».",
                ),
                *_fact_columns(
                    "fact",
                    ("Факт", "Факт"),
                    Kind.NUMBER,
                    "Фактическое значение за год. Если оно станет известно позже — "
                    "«ожидается 15.03.2026»: оценка будет предварительной.",
                    "Фактическое значение за {span} (нарастающим итогом).",
                ),
            )
        ),
        Column(
            "justification",
            "Обоснование отклонений",
            Kind.TEXT,
            36,
            "Обязательно, если план не выполнен или факт не представлен.",
        ),
        Column(
            "activities",
            "Связанные мероприятия",
            Kind.LIST,
            14,
            "Номера мероприятий через запятую (1.1, 2.3).",
        ),
    ),
)

ACTIVITIES = TableSheet(
    name=SHEET_ACTIVITIES,
    title="Мероприятия муниципальной программы",
    description=(
        "Одна строка — одно мероприятие. Номер иерархический: 1, 1.1, 1.1.1. Сроки — дата "
        "(15.01.2021) или текст из программы («I квартал 2021 года», «Весь период»)."
    ),
    items=(
        Column(
            "number",
            "№ п/п",
            Kind.CODE,
            8,
            "Иерархический номер: 1, 1.1, 1.1.1.",
            required=True,
            aliases=("№", "n п/п", "номер"),
        ),
        Column("subprogram", "Подпрограмма", Kind.CODE, 12, "Номер подпрограммы из паспорта."),
        Column(
            "name",
            "Наименование мероприятия",
            Kind.TEXT,
            44,
            "Как в программе.",
            required=True,
            aliases=("мероприятие", "наименование"),
        ),
        Column(
            "is_main",
            "Основное мероприятие",
            Kind.FLAG,
            10,
            "«да» для основного мероприятия.",
            choices="lst_flag",
        ),
        Column(
            "responsible",
            "Ответственный исполнитель",
            Kind.TEXT,
            22,
            "Как в паспорте программы (можно сокращение).",
            required=True,
        ),
        Column("co_executors", "Соисполнители", Kind.LIST, 18, "Через запятую."),
        Column(
            "planned_start",
            "Плановый срок начала",
            Kind.TIMING,
            13,
            "Дата или период («I квартал 2021 года», «Весь период»).",
        ),
        Column("planned_end", "Плановый срок окончания", Kind.TIMING, 13, "Дата или период."),
        Column("actual_start", "Фактический срок начала", Kind.TIMING, 13, "Дата или период."),
        Column("actual_end", "Фактический срок окончания", Kind.TIMING, 13, "Дата или период."),
        Column(
            "expected_result",
            "Ожидаемый результат",
            Kind.TEXT,
            30,
            "Непосредственный результат по программе.",
        ),
        Column(
            "result_plan",
            "Результат: план (число)",
            Kind.NUMBER,
            10,
            "Если результат измеряется числом — плановое значение.",
        ),
        Column("achieved_result", "Достигнутый результат", Kind.TEXT, 30, "Что сделано за период."),
        Column(
            "result_fact",
            "Результат: факт (число)",
            Kind.NUMBER,
            10,
            "Если результат измеряется числом — достигнутое значение.",
        ),
        Column("status", "Статус", Kind.CHOICE, 14, "Выберите из списка.", choices="lst_status"),
        Column(
            "problems",
            "Проблемы",
            Kind.TEXT,
            28,
            "Проблемы, возникшие в ходе реализации, и причины отклонений.",
        ),
        Column(
            "no_funding",
            "Финансирование не требуется",
            Kind.FLAG,
            12,
            "«да», если мероприятие выполняется без выделения средств.",
            choices="lst_flag",
        ),
        YearBlock(
            (
                Column(
                    "year_status",
                    "Статус {year}",
                    Kind.CHOICE,
                    12,
                    "Для мероприятия на несколько лет: статус за этот год (оценка года берёт "
                    "его вместо общего «Статуса»).",
                    choices="lst_status",
                ),
                Column(
                    "year_result",
                    "Результат {year}",
                    Kind.NUMBER,
                    10,
                    "Для мероприятия на несколько лет: числовой результат за этот год.",
                ),
            )
        ),
    ),
)

FUNDING = TableSheet(
    name=SHEET_FUNDING,
    title="Финансовое обеспечение муниципальной программы, тыс. руб.",
    description=(
        "Одна строка — одно мероприятие × один источник. Кассовое исполнение — нарастающим "
        "итогом с начала года. Строки «Итого» считаются формулами."
    ),
    items=(
        Column(
            "activity",
            "№ мероприятия",
            Kind.CODE,
            9,
            "Номер мероприятия с листа «Мероприятия».",
            required=True,
            aliases=("№ п/п", "мероприятие №"),
        ),
        Column(
            "activity_name",
            "Наименование мероприятия",
            Kind.TEXT,
            36,
            "Для удобства чтения; связь — по номеру.",
        ),
        Column(
            "source",
            "Источник финансирования",
            Kind.CHOICE,
            20,
            "Выберите из списка.",
            required=True,
            choices="lst_source",
            aliases=("источник",),
        ),
        Column("grbs", "ГРБС", Kind.TEXT, 16, "Главный распорядитель бюджетных средств."),
        YearBlock(
            (Column("plan", "План {year}", Kind.MONEY, 11, "Объём по программе на год, тыс. руб."),)
        ),
        Column("plan_total", "Всего по плану", Kind.FORMULA, 12, "Сумма плана по годам (формула)."),
        Column(
            "in_totals",
            "В итогах",
            Kind.INTEGER,
            8,
            "1 — строка входит в итоги; 0 — она подытог строк вложенных мероприятий того же "
            "источника (1.1 и 1.2 для 1) и учитывается в итогах только через них (формула).",
            formula=True,
        ),
        YearBlock(
            (
                Column(
                    "budget_list",
                    "Роспись {year}",
                    Kind.MONEY,
                    11,
                    "План по сводной бюджетной росписи на год, тыс. руб.",
                ),
                *_fact_columns(
                    "cash",
                    ("Касса", "Факт"),
                    Kind.MONEY,
                    "Фактические (кассовые) расходы за год, тыс. руб.",
                    "Кассовое исполнение за {span} нарастающим итогом, тыс. руб.",
                ),
            )
        ),
    ),
)

TABLES: tuple[TableSheet, ...] = (INDICATORS, ACTIVITIES, FUNDING)
TABLE_BY_NAME = {t.name: t for t in TABLES}

# Assessment and checks sheets: written by sheetprog; the template carries their headers.
ASSESSMENT_HEADERS = (
    "Показатель",
    "Значение",
    "Формула или пояснение",
    "Исходные данные",
    "Ячейки",
)

# Cell styles sheetprog writes into its own sheets, planted as a row of sample cells on the
# hidden lists sheet: the writers reuse their style indices and never touch styles.xml.
PALETTE_ROW = 30
PALETTE_LABEL = "Стили sheetprog"
PALETTE = (
    "title",
    "hint",
    "header",
    "section",
    "text",
    "number",
    "percent",
    "money",
    "link",
    *(s.style for s in Severity),  # the severity column of «Проверки»
)
CHECKS_HEADERS = ("Серьёзность", "Код", "Лист", "Ячейка", "Значение", "Сообщение")


def compact(text: str) -> str:
    """Header comparison form: normalized (case, ё/е, spaces) with all spaces removed."""
    return normalize_text(text).replace(" ", "")


def passport_field(key: str) -> PassportField:
    for fld in PASSPORT_FIELDS:
        if fld.key == key:
            return fld
    raise KeyError(key)


# -- editions (issue 18) ------------------------------------------------------------------

EDITION_REASONS = (
    "решение о бюджете",
    "изменение законодательства",
    "недостижение показателей",
    "иное",
)
LISTS["lst_reason"] = ChoiceList("lst_reason", "Причина изменения программы", EDITION_REASONS)

# Passport fields that are part of the program as adopted: a change of one of them is an
# amendment that needs an edition. The reporting fields (period, signatory, contacts,
# note, methodology) change with every report and are not tracked.
AMENDED_PASSPORT_FIELDS = (
    "municipality",
    "oktmo",
    "program_name",
    "program_code",
    "responsible_executor",
    "co_executors",
    "participants",
    "subprograms",
    "goal",
    "tasks",
    "first_year",
    "last_year",
    "funding_total",
    "funding_by_year",
)
EDITION_VALUE_FIELD = "Значение"  # «Графа» of a passport change

EDITIONS = TableSheet(
    name=SHEET_EDITIONS,
    title="Редакции муниципальной программы",
    description=(
        "Одна строка — одно изменение. Реквизиты акта — в первой строке редакции; строки "
        "ниже с пустыми реквизитами относятся к той же редакции. Заполняется командой "
        "«sheetprog amend» или вручную."
    ),
    items=(
        Column(
            "act_kind",
            "Вид акта",
            Kind.TEXT,
            16,
            "Постановление, распоряжение, решение …",
            aliases=("акт",),
        ),
        Column("act_number", "Номер акта", Kind.CODE, 10, "Номер без знака №."),
        Column("act_date", "Дата акта", Kind.DATE, 12, "ДД.ММ.ГГГГ."),
        Column(
            "effective_date",
            "Дата вступления в силу",
            Kind.DATE,
            12,
            "Если пусто — дата акта.",
        ),
        Column(
            "reason",
            "Причина изменения",
            Kind.CHOICE,
            20,
            "Выберите из списка.",
            choices="lst_reason",
        ),
        Column(
            "description",
            "Что изменено",
            Kind.TEXT,
            36,
            "Кратко, своими словами: что и почему изменила редакция.",
        ),
        Column(
            "sheet",
            "Лист",
            Kind.TEXT,
            14,
            "Лист книги, где изменено значение: Паспорт, Показатели, Финансирование.",
        ),
        Column(
            "item",
            "Строка",
            Kind.TEXT,
            28,
            "Поле паспорта; код (номер) показателя; «№ мероприятия · источник» строки "
            "финансирования.",
        ),
        Column(
            "field",
            "Графа",
            Kind.TEXT,
            12,
            "«План 2026» для показателей и финансирования, «Значение» для паспорта.",
        ),
        Column("old", "Было", Kind.TEXT, 16, "Значение до изменения."),
        Column("new", "Стало", Kind.TEXT, 16, "Значение после изменения."),
        Column("cell", "Ячейка", Kind.CODE, 10, "Адрес ячейки на момент изменения (для справки)."),
    ),
    total_labels=(),
)


# -- explanations of deviations (issue 18) --------------------------------------------------

SECTION_INDICATOR = "показатель"
SECTION_FUNDING = "финансирование"
SECTION_PROGRAM = "программа"
EXPLANATION_SECTIONS = (SECTION_INDICATOR, SECTION_FUNDING, SECTION_PROGRAM)
DEVIATION_REASONS = (
    "внешние факторы",
    "недостаточное финансирование",
    "изменение законодательства",
    "ошибка планирования",
    "экономия по итогам закупок",
    "неисполнение обязательств подрядчиком",
    "позднее доведение средств",
    "перенос сроков",
    "иное",
)
LISTS["lst_section"] = ChoiceList("lst_section", "Раздел пояснения", EXPLANATION_SECTIONS)
LISTS["lst_deviation"] = ChoiceList("lst_deviation", "Причина отклонения", DEVIATION_REASONS)

EXPLANATIONS = TableSheet(
    name=SHEET_EXPLANATIONS,
    title="Пояснения к отклонениям, меры и предложения",
    description=(
        "Одна строка — пояснение за один год: к показателю (план не достигнут или заметно "
        "перевыполнен), к строке финансирования (причины неосвоения), или к программе в "
        "целом (меры и предложения). «Строка» — код (номер) показателя или «№ мероприятия · "
        "источник» строки финансирования, как в сообщениях проверки."
    ),
    items=(
        Column(
            "section",
            "Раздел",
            Kind.CHOICE,
            14,
            "показатель, финансирование или программа.",
            required=True,
            choices="lst_section",
        ),
        Column(
            "item", "Строка", Kind.TEXT, 26, "Код (номер) показателя или строка финансирования."
        ),
        Column("year", "Год", Kind.INTEGER, 7, "Год, за который дано пояснение.", required=True),
        Column(
            "category",
            "Причина",
            Kind.CHOICE,
            22,
            "Категория причины из списка.",
            choices="lst_deviation",
        ),
        Column("text", "Пояснение", Kind.TEXT, 44, "Что произошло и почему — по этому году."),
        Column("measures", "Меры", Kind.TEXT, 36, "Принятые меры (для раздела «программа»)."),
        Column(
            "proposals",
            "Предложения",
            Kind.TEXT,
            36,
            "Предложения по дальнейшей реализации и корректировке программы.",
        ),
    ),
    total_labels=(),
)

# -- «Инструкция»: how to run a check, one line per office suite (docs/libreoffice.md) -------

RUN_CHECK_HEADING = "Как проверить книгу"
RUN_CHECK_LINES = (
    "Excel: книга .xlsm — кнопка «Проверить» (нужны Python и sheetprog, их ставит специалист "
    "ИТ); книга .xlsx — команда «sheetprog check КНИГА.xlsx --in-place».",
    "LibreOffice Calc: меню «sheetprog» → «Проверить» (расширение ставит специалист ИТ "
    "командой «sheetprog libreoffice install»); книга должна быть сохранена как .xlsx.",
    "Р7-Офис: кнопки нет — сохраните и закройте книгу, выполните «sheetprog check КНИГА.xlsx "
    "--in-place» (или ярлык «Проверить книгу» от специалиста ИТ) и откройте книгу снова.",
)
