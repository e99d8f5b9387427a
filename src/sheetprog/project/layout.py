"""The project-structure workbook layout, in the same spec classes as the program workbook.

A municipal program as the procedures written after Government Resolution № 786 of
26.05.2021 describe it (see docs/structure-project.md): structural elements (municipal and
departmental projects, complexes of process measures), their indicators, «мероприятия
(результаты)» with values by year, control points, and funding by element × source × year
with the КЦСР, the budget list at 1 January and at the reporting date, and cash execution.
"""

from __future__ import annotations

from sheetprog import spec
from sheetprog.model import Direction
from sheetprog.periods import SPAN_LABELS, Span
from sheetprog.spec import ChoiceList, Column, Kind, PassportField, TableSheet, YearBlock

SHEET_ELEMENTS = "Структурные элементы"
SHEET_INDICATORS = spec.SHEET_INDICATORS  # «Показатели», as in the old structure
SHEET_RESULTS = "Результаты"
SHEET_POINTS = "Контрольные точки"
SHEET_FUNDING = "Финансовое обеспечение"
TOTAL_LABEL = "Итого по программе"

ELEMENT_TYPES = (
    "муниципальный проект",
    "региональный проект",
    "ведомственный проект",
    "комплекс процессных мероприятий",
)
PROCESS_TYPE = ELEMENT_TYPES[3]  # КПМ: not a project
# indicator levels as the 2023 methodological recommendations name them
LEVELS = (
    "НЦ — показатель национальной цели",
    "ГП — показатель государственной программы субъекта",
    "МП — показатель муниципальной программы",
    "МПр — показатель муниципального проекта",
    "ВП — показатель ведомственного проекта",
    "КПМ — показатель комплекса процессных мероприятий",
)
RESULT_TYPES = (
    "оказание услуг (выполнение работ)",
    "закупка товаров, работ, услуг",
    "строительство (реконструкция) объектов",
    "приобретение объектов недвижимого имущества",
    "предоставление субсидий (грантов)",
    "проведение мероприятий",
    "осуществление текущей деятельности",
    "нормативное правовое регулирование",
    "иное",
)
METHODS = {
    "federal-2023": "Методические рекомендации 2023 (СДП, СРМ, СКТ, ЭИС)",
    "elements-mean": "Среднее по структурным элементам (с контрольными точками)",
}

LISTS = {
    lst.name: lst
    for lst in (
        ChoiceList("lst_direction", "Направление показателя", tuple(d.value for d in Direction)),
        spec.LISTS["lst_source"],
        ChoiceList("lst_span", "Отчётный период", tuple(SPAN_LABELS[s] for s in Span)),
        ChoiceList("lst_element_type", "Тип структурного элемента", ELEMENT_TYPES),
        ChoiceList("lst_level", "Уровень показателя", LEVELS),
        ChoiceList("lst_result_type", "Тип мероприятия (результата)", RESULT_TYPES),
        ChoiceList("lst_pmethod", "Методика оценки", tuple(METHODS.values())),
        spec.LISTS["lst_reason"],  # «Редакции» (issue 18)
        spec.LISTS["lst_section"],  # «Пояснения» (issue 18)
        spec.LISTS["lst_deviation"],
    )
}

# Passport fields of the program as adopted (issue 18): a change of one of them needs an
# edition on «Редакции»; the reporting fields change with every report and are not tracked.
AMENDED_PASSPORT_FIELDS = (
    "municipality",
    "oktmo",
    "program_name",
    "program_code",
    "approval",
    "curator",
    "responsible",
    "co_executors",
    "first_year",
    "last_year",
    "stages",
    "goals",
    "national_goals",
    "regional_program",
    "funding_total",
)

PASSPORT_FIELDS = (
    PassportField(
        "municipality",
        "Муниципальное образование",
        Kind.TEXT,
        "Полное наименование муниципального образования.",
        required=True,
    ),
    PassportField("oktmo", "Код ОКТМО", Kind.CODE, "8 или 11 цифр кода ОКТМО."),
    PassportField(
        "program_name",
        "Наименование муниципальной программы",
        Kind.TEXT,
        "Как в постановлении об утверждении.",
        required=True,
    ),
    PassportField(
        "program_code",
        "Код программы (КЦСР)",
        Kind.CODE,
        "Первые два знака целевой статьи расходов программы, например 01.",
    ),
    PassportField(
        "approval",
        "Документ об утверждении",
        Kind.TEXT,
        "Вид, дата и номер постановления, последние изменения.",
    ),
    PassportField(
        "curator",
        "Куратор муниципальной программы",
        Kind.TEXT,
        "Заместитель главы администрации, курирующий программу.",
    ),
    PassportField(
        "responsible",
        "Ответственный исполнитель",
        Kind.TEXT,
        "Орган или подразделение администрации, ответственное за программу.",
        required=True,
    ),
    PassportField("co_executors", "Соисполнители", Kind.LIST, "Через запятую или с новой строки."),
    PassportField(
        "first_year", "Год начала реализации", Kind.INTEGER, "Например, 2025.", required=True
    ),
    PassportField(
        "last_year", "Год окончания реализации", Kind.INTEGER, "Например, 2030.", required=True
    ),
    PassportField(
        "stages", "Этапы реализации", Kind.TEXT, "Этапы и их сроки, если программа их выделяет."
    ),
    PassportField("goals", "Цели муниципальной программы", Kind.LINES, "По одной на строке."),
    PassportField(
        "national_goals",
        "Связь с национальными целями развития",
        Kind.TEXT,
        "Национальная цель и её целевой показатель (Указ Президента от 07.05.2024 № 309).",
    ),
    PassportField(
        "regional_program",
        "Связь с государственной программой субъекта",
        Kind.TEXT,
        "Государственная программа субъекта РФ, с которой согласована программа.",
    ),
    PassportField(
        "funding_total",
        "Объём финансирования {year}, тыс. руб.",
        Kind.MONEY,
        "Объём финансового обеспечения на год по паспорту, все источники.",
    ),
    PassportField(
        "reporting_year", "Отчётный год", Kind.INTEGER, "Год, за который составляется отчёт."
    ),
    PassportField(
        "reporting_span",
        "Отчётный период",
        Kind.CHOICE,
        "I квартал, полугодие, 9 месяцев или год.",
        choices="lst_span",
    ),
    PassportField(
        "reporting_date",
        "Отчётная дата",
        Kind.DATE,
        "Дата, на которую сверяются контрольные точки; пусто — конец отчётного периода.",
    ),
    PassportField(
        "methodology", "Методика оценки", Kind.CHOICE, "Выберите из списка.", choices="lst_pmethod"
    ),
    PassportField("signatory_position", "Должность подписывающего отчёт", Kind.TEXT, ""),
    PassportField("signatory_name", "ФИО подписывающего отчёт", Kind.TEXT, ""),
    PassportField("executor", "Исполнитель (ФИО, телефон)", Kind.TEXT, "Для отчётов."),
    PassportField("note", "Примечание", Kind.TEXT, "Пояснения к книге."),
)


def _facts(key: str, words: tuple[str, str], kind: Kind, what: str) -> tuple[Column, ...]:
    quarter_word, year_word = words
    cols = [
        Column(
            key,
            f"{quarter_word} {{year}} {span.column_suffix}",
            kind,
            10,
            f"{what} за {SPAN_LABELS[span]} нарастающим итогом.",
            span=span,
        )
        for span in (Span.Q1, Span.H1, Span.M9)
    ]
    cols.append(Column(key, f"{year_word} {{year}}", kind, 10, f"{what} за год."))
    return tuple(cols)


def _forecast(what: str) -> Column:
    return Column(
        "forecast",
        "Прогноз {year}",
        Kind.NUMBER,
        10,
        f"Прогноз {what} на конец года: обязателен в квартальном мониторинге.",
    )


ELEMENTS = TableSheet(
    name=SHEET_ELEMENTS,
    title="Структурные элементы муниципальной программы",
    description=(
        "Одна строка — один структурный элемент: муниципальный (региональный) проект, "
        "ведомственный проект или комплекс процессных мероприятий."
    ),
    items=(
        Column(
            "code",
            "Код элемента",
            Kind.CODE,
            9,
            "Знаки 3–5 целевой статьи: тип и номер элемента, например 4 01.",
            required=True,
        ),
        Column(
            "type",
            "Тип элемента",
            Kind.CHOICE,
            22,
            "Выберите из списка.",
            required=True,
            choices="lst_element_type",
        ),
        Column("name", "Наименование структурного элемента", Kind.TEXT, 44, "", required=True),
        Column(
            "responsible",
            "Ответственный за реализацию",
            Kind.TEXT,
            26,
            "Орган или подразделение; для проекта — руководитель.",
        ),
        Column("period", "Срок реализации", Kind.TEXT, 12, "Например, 2025–2030."),
        Column("tasks", "Задачи структурного элемента", Kind.TEXT, 36, ""),
        Column(
            "link",
            "Связь с национальным (региональным) проектом",
            Kind.TEXT,
            26,
            "Для проекта: проект, в рамках которого он реализуется.",
        ),
    ),
)

INDICATORS = TableSheet(
    name=SHEET_INDICATORS,
    title="Показатели муниципальной программы и структурных элементов",
    description=(
        "Одна строка — один показатель. Элемент пуст — показатель программы в целом. "
        "Факт — нарастающим итогом; прогноз — ожидаемое значение на конец года."
    ),
    items=(
        Column("number", "№ п/п", Kind.CODE, 6, "Номер показателя.", aliases=("№",)),
        Column("code", "Код показателя", Kind.CODE, 9, "Уникальный код; пусто — номер."),
        Column("element", "Структурный элемент", Kind.CODE, 10, "Код элемента; пусто — программа."),
        Column(
            "level",
            "Уровень показателя",
            Kind.CHOICE,
            14,
            "Выберите из списка.",
            choices="lst_level",
        ),
        Column("name", "Наименование показателя", Kind.TEXT, 40, "", required=True),
        Column(
            "direction",
            "Признак возрастания/убывания",
            Kind.CHOICE,
            11,
            "«рост» или «снижение».",
            required=True,
            choices="lst_direction",
        ),
        Column("unit", "Единица измерения (по ОКЕИ)", Kind.TEXT, 10, "", required=True),
        Column("okei", "Код ОКЕИ", Kind.CODE, 7, "Например, 744 — процент, 792 — человек."),
        Column("base", "Базовое значение", Kind.NUMBER, 10, ""),
        Column("base_year", "Базовый год", Kind.INTEGER, 8, ""),
        YearBlock(
            (
                Column("plan", "План {year}", Kind.NUMBER, 10, "Плановое значение на год."),
                *_facts("fact", ("Факт", "Факт"), Kind.NUMBER, "Фактическое значение"),
                _forecast("значения"),
            )
        ),
        Column("responsible", "Ответственный за достижение", Kind.TEXT, 20, ""),
        Column(
            "justification",
            "Обоснование отклонений",
            Kind.TEXT,
            30,
            "Обязательно, если план не достигнут.",
        ),
    ),
)

RESULTS = TableSheet(
    name=SHEET_RESULTS,
    title="Мероприятия (результаты) структурных элементов",
    description=(
        "Одна строка — одно мероприятие (результат) с плановыми значениями по годам "
        "и показателями, на достижение которых оно направлено."
    ),
    items=(
        Column("number", "№ п/п", Kind.CODE, 6, "Номер результата, например 1.2.", required=True),
        Column(
            "element",
            "Структурный элемент",
            Kind.CODE,
            10,
            "Код элемента с листа «Структурные элементы».",
            required=True,
        ),
        Column("name", "Наименование мероприятия (результата)", Kind.TEXT, 40, "", required=True),
        Column(
            "type",
            "Тип мероприятия (результата)",
            Kind.CHOICE,
            18,
            "Выберите из списка.",
            choices="lst_result_type",
        ),
        Column("unit", "Единица измерения (по ОКЕИ)", Kind.TEXT, 10, "", required=True),
        Column("okei", "Код ОКЕИ", Kind.CODE, 7, ""),
        Column("base", "Базовое значение", Kind.NUMBER, 10, ""),
        Column("base_year", "Базовый год", Kind.INTEGER, 8, ""),
        YearBlock(
            (
                Column("plan", "План {year}", Kind.NUMBER, 10, "Плановое значение на год."),
                *_facts("fact", ("Факт", "Факт"), Kind.NUMBER, "Фактическое значение"),
                _forecast("значения"),
            )
        ),
        Column(
            "indicators",
            "Связь с показателями",
            Kind.LIST,
            14,
            "Коды (номера) показателей через запятую.",
        ),
        Column("responsible", "Ответственный", Kind.TEXT, 20, ""),
        Column("justification", "Обоснование отклонений", Kind.TEXT, 30, ""),
    ),
)

POINTS = TableSheet(
    name=SHEET_POINTS,
    title="Контрольные точки",
    description="Одна строка — одна контрольная точка результата.",
    items=(
        Column("number", "№ п/п", Kind.CODE, 7, "Например, 1.2.1."),
        Column(
            "result", "№ результата", Kind.CODE, 9, "Номер с листа «Результаты».", required=True
        ),
        Column("name", "Наименование контрольной точки", Kind.TEXT, 44, "", required=True),
        Column("planned", "Плановая дата", Kind.DATE, 12, "ДД.ММ.ГГГГ.", required=True),
        Column("actual", "Фактическая дата", Kind.DATE, 12, "ДД.ММ.ГГГГ, когда достигнута."),
        Column(
            "document", "Подтверждающий документ", Kind.TEXT, 28, "Вид, дата и номер документа."
        ),
        Column("responsible", "Ответственный", Kind.TEXT, 20, ""),
        Column(
            "explanation",
            "Причины отклонения",
            Kind.TEXT,
            30,
            "Обязательно, если срок прошёл, а точка не достигнута.",
        ),
    ),
)

FUNDING = TableSheet(
    name=SHEET_FUNDING,
    title="Финансовое обеспечение по структурным элементам, тыс. руб.",
    description=(
        "Одна строка — структурный элемент × источник. Роспись — на 1 января и на отчётную "
        "дату; касса — нарастающим итогом. Строка «Итого» считается формулами."
    ),
    items=(
        Column(
            "element",
            "Структурный элемент",
            Kind.CODE,
            10,
            "Код элемента с листа «Структурные элементы».",
            required=True,
        ),
        Column("name", "Наименование элемента", Kind.TEXT, 30, "Для удобства чтения."),
        Column(
            "kcsr",
            "КЦСР",
            Kind.CODE,
            13,
            "Целевая статья расходов: 10 знаков, например 0140100010.",
        ),
        Column(
            "source",
            "Источник финансирования",
            Kind.CHOICE,
            18,
            "Выберите из списка.",
            required=True,
            choices="lst_source",
        ),
        YearBlock(
            (
                Column("plan", "План {year}", Kind.MONEY, 11, "Объём по программе на год."),
                Column(
                    "budget_initial",
                    "Роспись на 1 января {year}",
                    Kind.MONEY,
                    11,
                    "Сводная бюджетная роспись на 1 января года.",
                ),
                Column(
                    "budget_list",
                    "Роспись на отчётную дату {year}",
                    Kind.MONEY,
                    11,
                    "Сводная бюджетная роспись на отчётную дату (на 31 декабря — за год).",
                ),
                *_facts("cash", ("Касса", "Касса"), Kind.MONEY, "Кассовое исполнение"),
            )
        ),
    ),
)

TABLES = (ELEMENTS, INDICATORS, RESULTS, POINTS, FUNDING)
SHEETS = tuple(t.name for t in TABLES)
