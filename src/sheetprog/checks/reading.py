"""Reader problems as catalogue entries, and structure rules."""

from __future__ import annotations

import re
from decimal import Decimal

from sheetprog import spec
from sheetprog.checks.base import GROUPS, Context, Emit, reader_rule, rule
from sheetprog.checks.severity import Severity
from sheetprog.fmt import money
from sheetprog.model import FundingLine, counted_funding
from sheetprog.periods import parse_period

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
G = GROUPS[0]

reader_rule(
    "R003",
    ERR,
    "Дата не распознана",
    "В столбце дат значение, которое не является датой. Введите дату в виде ДД.ММ.ГГГГ.",
)
reader_rule(
    "R001",
    ERR,
    "Число не распознано",
    "В числовой ячейке текст, который нельзя прочитать как число. Расчёт без этого "
    "значения неверен. Введите число (допустимо «36,6», «1 234,5», «100 %»).",
)
reader_rule(
    "R002",
    ERR,
    "Плановое значение не распознано",
    "План должен быть числом или текстом вида «не менее 10», «свыше 90», «90-99», «да». "
    "Иначе показатель нельзя оценить. Исправьте запись плана.",
)
reader_rule(
    "R004",
    ERR,
    "Значение не из списка",
    "Значение не совпадает ни с одним вариантом раскрывающегося списка, поэтому "
    "не может быть учтено. Выберите значение из списка.",
)
reader_rule(
    "R005",
    ERR,
    "Ожидается «да» или «нет»",
    "В ячейке-флаге должно быть «да» или «нет». Выберите значение из списка.",
)
reader_rule(
    "R006",
    WARN,
    "Неизвестный столбец",
    "Столбец с таким заголовком не входит в шаблон и не читается. Если это столбец "
    "шаблона — верните заголовку исходный текст; свои столбцы можно оставить.",
)
reader_rule(
    "R007",
    WARN,
    "Формула в ячейке ввода",
    "В ячейке ввода формула, значение которой не сохранено в файле. Введите значение "
    "числом или откройте и сохраните книгу в Excel/LibreOffice.",
)
reader_rule(
    "R008",
    ERR,
    "Ошибка в ячейке",
    "В ячейке ошибка вычисления (#ДЕЛ/0!, #ССЫЛКА!, #ЗНАЧ! …). Исправьте формулу или "
    "введите значение.",
)
reader_rule(
    "R009",
    ERR,
    "Столбец повторяется",
    "Два столбца с одинаковым заголовком: читается только первый. Удалите или переименуйте лишний.",
)
reader_rule(
    "R010",
    WARN,
    "Версия шаблона",
    "Книга сделана по другой версии шаблона. Проверьте, что "
    "используется актуальный шаблон из папки workbooks/.",
)
reader_rule(
    "R014",
    INFO,
    "Нет отметки о версии шаблона",
    "В книге нет отметки о версии шаблона sheetprog (имя SHEETPROG_VERSION или строка на "
    "листе «Справочники»): книга сделана не командой «sheetprog new» или отметку удалили. "
    "Проверьте, что используется актуальный шаблон из папки workbooks/.",
)
reader_rule(
    "R015",
    WARN,
    "Сумма записана текстом",
    "Сумма в таблице «Финансирование» записана текстом («950,5» в ячейке текстового формата "
    "или вставлена как текст): sheetprog читает её как число, а формулы итогов книги "
    "(«Итого», «в том числе») её пропускают, и итог в книге меньше. Введите сумму числом.",
)
# -- issue 20: numbers and years outside the documented range (docs/limits.md) ------------
reader_rule(
    "R016",
    ERR,
    "Число вне допустимого диапазона",
    "Число по модулю не меньше 10^15 (1 000 000 000 000 000), бесконечность или число из "
    "тысяч цифр: в книге мониторинга таких значений не бывает (суммы — в тыс. руб.), это "
    "ошибка ввода (лишние цифры, степень). Значение не учитывается. Введите верное число.",
)
reader_rule(
    "R017",
    ERR,
    "Год вне допустимого диапазона",
    "Год в паспорте (или в таблице кадрового резерва) должен быть от 1990 до 2100. "
    "Значение не учитывается. Введите год четырьмя цифрами.",
)
reader_rule(
    "R011",
    ERR,
    "Источник финансирования не распознан",
    "Источник должен быть одним из уровней бюджета (федеральный, областной/краевой/"
    "республиканский, местный) или «внебюджетные источники». Выберите из списка.",
)
reader_rule(
    "R013",
    ERR,
    "Формула шаблона заменена значением",
    "В вычисляемой ячейке шаблона (зелёной) вместо формулы введено число: итог "
    "перестанет пересчитываться. Верните формулу — создайте книгу заново или "
    "скопируйте формулу из соседней строки.",
)

# -- issue 19: how the file was read (io.engines)
reader_rule(
    "R020",
    INFO,
    "Книга прочитана запасным способом",
    "Быстрый способ чтения (calamine) прочитал бы этот файл неверно или не смог его "
    "прочитать, поэтому книга прочитана другим способом (openpyxl), медленнее. Причина "
    "указана в сообщении. Исправлять в книге ничего не нужно; если книга сохранена не в Excel "
    "или LibreOffice, её можно пересохранить в одной из этих программ.",
)


def unreadable_cells(ctx: Context) -> set[str]:
    """Cells with a reader finding whose rule is on (R001 «2025 г.», R002, R008 …). A rule
    that finds such a cell empty does not report it as empty too: the reader's finding says
    why it is (one finding per cell per cause). With that reader rule switched off in
    ``[checks]`` the cell is reported as empty again."""
    return {
        problem.ref
        for problem in ctx.program.problems
        if problem.ref and problem.code not in ctx.config.disabled
    }


@rule(
    "S01",
    G,
    ERR,
    "Не заполнено обязательное поле паспорта",
    "Без этого поля книгу нельзя однозначно отнести к программе и периоду. Заполните поле "
    "на листе «Паспорт».",
)
def required_passport_fields(ctx: Context, emit: Emit) -> None:
    p = ctx.program.passport
    # a field typed but unreadable («2025 г.») has its reader finding (R001 …) at that cell;
    # it is not also reported as empty (unless that reader rule is switched off)
    unreadable = unreadable_cells(ctx)
    for fld in spec.PASSPORT_FIELDS:
        if fld.required and getattr(p, fld.key) in (None, "", []):
            if p.cells.get(fld.key) in unreadable:
                continue
            emit(
                f"не заполнено поле «{fld.label}»",
                ref=p.cells.get(fld.key),
                sheet=spec.SHEET_PASSPORT,
            )


@rule(
    "S02",
    G,
    ERR,
    "Годы реализации заданы неверно",
    "Годы начала и окончания определяют столбцы по годам и проверку сроков. Год окончания "
    "не может быть раньше года начала.",
)
def program_years(ctx: Context, emit: Emit) -> None:
    p = ctx.program.passport
    if p.first_year and p.last_year and p.last_year < p.first_year:
        emit(
            f"год окончания {p.last_year} раньше года начала {p.first_year}",
            ref=p.cells.get("last_year"),
            value=p.last_year,
        )


@rule(
    "S03",
    G,
    WARN,
    "Годы в таблицах не совпадают с годами реализации",
    "Столбцы «План/Факт ГГГГ» должны быть на каждый год реализации из паспорта. Лишние или "
    "недостающие годы — признак книги от другой программы или ошибки в паспорте.",
)
def table_years(ctx: Context, emit: Emit) -> None:
    program = ctx.program
    years, table = set(program.passport.years), set(program.table_years)
    if not years or not table:
        return
    missing, extra = sorted(years - table), sorted(table - years)
    where = program.passport.cells.get("first_year")
    if missing:
        emit(
            "в таблицах нет столбцов за годы "
            + ", ".join(map(str, missing))
            + " — создайте книгу заново по шаблону с нужными годами",
            ref=where,
        )
    if extra:
        emit(
            "в таблицах есть годы вне периода реализации: " + ", ".join(map(str, extra)), ref=where
        )


@rule(
    "S04",
    G,
    WARN,
    "Строка «Итого» не совпадает с суммой строк",
    "Введённые вручную итоги должны равняться сумме строк; расхождение означает пропущенную "
    "или лишнюю строку. Верните формулу итога или исправьте строки.",
)
def typed_totals(ctx: Context, emit: Emit) -> None:
    program = ctx.program
    for total in program.totals:
        if total.sheet != spec.SHEET_FUNDING:
            continue
        lines = [
            ln
            for ln in counted_funding(program.funding)
            if total.source is None or ln.source is total.source
        ]
        for key, typed in total.values.items():
            if key in total.formulas or typed is None:
                continue
            kind, _, period = key.partition(".")
            values = [_line_value(ln, kind, period) for ln in lines]
            actual = sum((v for v in values if v is not None), typed * 0)
            if abs(actual - typed) > ctx.tolerance(typed, *values):
                emit(
                    f"в строке «{total.label}» введено {money(typed)}, а сумма строк — "
                    f"{money(actual)}",
                    ref=total.cells.get(key),
                    value=typed,
                )


def _line_value(line: FundingLine, kind: str, period: str) -> Decimal | None:
    if kind == "plan_total":
        return line.plan_total
    parsed = parse_period(period)
    if kind == "plan":
        return line.plan.get(parsed.year)
    if kind == "budget_list":
        return line.budget_list.get(parsed.year)
    return line.cash.get(parsed)


_OKTMO = re.compile(r"^\d{8}(\d{3})?$")


@rule(
    "V06",
    GROUPS[1],
    WARN,
    "Код ОКТМО неверного вида",
    "ОКТМО — 8 или 11 цифр; по нему регион сводит отчёты муниципалитетов. Введите код "
    "без пробелов, как текст (с ведущим нулём).",
)
def oktmo(ctx: Context, emit: Emit) -> None:
    code = ctx.program.passport.oktmo
    if code and not _OKTMO.match(code.replace(" ", "")):
        emit(
            f"«{code}» не похож на код ОКТМО (8 или 11 цифр)",
            ref=ctx.program.passport.cells.get("oktmo"),
            value=code,
        )
