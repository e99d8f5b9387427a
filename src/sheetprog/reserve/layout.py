"""The reserve workbook layout, in the same spec classes as the program workbook."""

from __future__ import annotations

from sheetprog.spec import ChoiceList, Column, Kind, PassportField, TableSheet

SHEET_REGISTER = "Резервисты"
SHEET_VACANCIES = "Вакансии"
SHEET_PLANS = "Планы развития"
FILLED_BY_RESERVIST = "резервистом"

GROUPS = (
    "высшая группа должностей муниципальной службы",
    "главная группа должностей муниципальной службы",
    "ведущая группа должностей муниципальной службы",
    "руководитель муниципального предприятия или учреждения",
)
EXCLUSION_REASONS = (
    "назначение на должность",
    "отказ от предложенной должности",
    "личное заявление",
    "смерть или признание безвестно отсутствующим",
    "невыполнение индивидуального плана",
    "обстоятельства, препятствующие назначению",
    "предельный возраст",
    "иное",
)
FILLED = (FILLED_BY_RESERVIST, "другим лицом", "остаётся вакантной")

LISTS = {
    lst.name: lst
    for lst in (
        ChoiceList("lst_group", "Группа должностей", GROUPS),
        ChoiceList("lst_reason", "Основание исключения", EXCLUSION_REASONS),
        ChoiceList("lst_filled", "Кем замещена", FILLED),
        ChoiceList("lst_flag", "Да/нет", ("да", "нет")),
    )
}

PASSPORT_FIELDS = (
    PassportField(
        "municipality",
        "Муниципальное образование",
        Kind.TEXT,
        "Полное наименование муниципального образования.",
        required=True,
    ),
    PassportField(
        "year",
        "Отчётный год",
        Kind.INTEGER,
        "Год, за который оценивается работа с резервом (оценка — до 1 февраля).",
        required=True,
    ),
    PassportField(
        "responsible_unit",
        "Ответственное подразделение",
        Kind.TEXT,
        "Кто ведёт резерв (сектор муниципальной службы и кадровой работы).",
        required=True,
    ),
    PassportField("signatory_position", "Должность подписывающего отчёт", Kind.TEXT, ""),
    PassportField("signatory_name", "ФИО подписывающего отчёт", Kind.TEXT, ""),
    PassportField("note", "Примечание", Kind.TEXT, "Пояснения к книге."),
)

REGISTER = TableSheet(
    name=SHEET_REGISTER,
    title="Реестр лиц, включённых в муниципальный резерв управленческих кадров",
    description=(
        "Одна строка — один резервист. Лист содержит персональные данные: храните книгу "
        "в соответствии с требованиями к защите персональных данных (152-ФЗ)."
    ),
    items=(
        Column(
            "ident",
            "Идентификатор",
            Kind.CODE,
            12,
            "Табельный или учётный номер: используется в отчётах вместо ФИО.",
            required=True,
        ),
        Column("name", "ФИО", Kind.TEXT, 26, "Персональные данные."),
        Column(
            "position",
            "Целевая должность",
            Kind.TEXT,
            30,
            "Должность, на которую резерв.",
            required=True,
        ),
        Column(
            "group",
            "Группа должностей",
            Kind.CHOICE,
            22,
            "Выберите из списка.",
            choices="lst_group",
        ),
        Column("decision", "Решение комиссии №", Kind.CODE, 10, "Номер решения о включении."),
        Column("included", "Дата включения", Kind.DATE, 12, "ДД.ММ.ГГГГ.", required=True),
        Column(
            "term_until",
            "Срок нахождения до",
            Kind.DATE,
            12,
            "Три года со дня включения или продлённый срок.",
        ),
        Column(
            "extended",
            "Срок продлён",
            Kind.FLAG,
            9,
            "«да», если комиссия продлила срок.",
            choices="lst_flag",
        ),
        Column("appointed", "Дата назначения", Kind.DATE, 12, "Если назначен из резерва."),
        Column("appointed_position", "Должность назначения", Kind.TEXT, 26, ""),
        Column(
            "appointed_target",
            "Назначен на целевую должность",
            Kind.FLAG,
            10,
            "",
            choices="lst_flag",
        ),
        Column("excluded", "Дата исключения", Kind.DATE, 12, ""),
        Column(
            "exclusion_reason",
            "Основание исключения",
            Kind.CHOICE,
            24,
            "Из перечня пункта 6.2 Порядка.",
            choices="lst_reason",
        ),
        Column(
            "trained",
            "Проходил обучение",
            Kind.FLAG,
            10,
            "Участие в образовательных программах в период нахождения в резерве.",
            choices="lst_flag",
        ),
    ),
)

VACANCIES = TableSheet(
    name=SHEET_VACANCIES,
    title="Целевые должности, ставшие вакантными",
    description="Одна строка — одна вакансия целевой должности.",
    items=(
        Column("position", "Должность", Kind.TEXT, 34, "", required=True),
        Column("group", "Группа должностей", Kind.CHOICE, 24, "", choices="lst_group"),
        Column("opened", "Дата образования вакансии", Kind.DATE, 14, "ДД.ММ.ГГГГ.", required=True),
        Column("filled_by", "Кем замещена", Kind.CHOICE, 16, "", choices="lst_filled"),
        Column(
            "reservist", "Идентификатор резервиста", Kind.CODE, 14, "Если замещена резервистом."
        ),
    ),
)

PLANS = TableSheet(
    name=SHEET_PLANS,
    title="Индивидуальные планы профессионального развития",
    description="Одна строка — план резервиста на год.",
    items=(
        Column("reservist", "Идентификатор резервиста", Kind.CODE, 14, "", required=True),
        Column("year", "Год", Kind.INTEGER, 8, "", required=True),
        Column("approved", "Дата утверждения плана", Kind.DATE, 14, ""),
        Column("reported", "Дата отчёта о выполнении", Kind.DATE, 14, "Не позднее 30 декабря."),
        Column("done", "План выполнен", Kind.FLAG, 10, "", choices="lst_flag"),
    ),
)

TABLES = (REGISTER, VACANCIES, PLANS)
