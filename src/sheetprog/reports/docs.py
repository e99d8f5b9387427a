"""docs/templates.md, generated from the context builder's sample (a test keeps it in sync)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sheetprog.kinds import get_kind
from sheetprog.reports.filters import FILTERS
from sheetprog.reports.kinds import REPORT_KINDS, ReportKind
from sheetprog.reports.schema import kind_schema

_FILTER_DOCS = {
    "num": ("число", "{{ r.fact|num }} → 1 234,5"),
    "money": ("сумма, тыс. руб.", "{{ f.plan|money }} → 269,76"),
    "pct": ("доля как процент", "{{ rating.value|pct }} → 100,3 %"),
    "date": ("дата", "{{ report.date|date }} → 15.01.2022"),
    "date_long": ("дата прописью", "{{ report.date|date_long }} → 15 января 2022 г."),
    "period_name": ("период", "{{ 2|period_name }} → полугодие"),
    "plural": (
        "число со словом",
        "{{ 3|plural('мероприятие', 'мероприятия', 'мероприятий') }} → 3 мероприятия",
    ),
}


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "да/нет"
    if isinstance(value, int):
        return "целое"
    if isinstance(value, Decimal):
        return "число"
    if isinstance(value, dt.date):
        return "дата"
    if isinstance(value, bytes):
        return "изображение"
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "объект"
    return "текст" if isinstance(value, str) or value is None else type(value).__name__


def _example(value: Any) -> str:
    if isinstance(value, list | dict | bytes):
        return ""
    text = str(value) if value is not None else "—"
    return text[:60].replace("|", "/").replace("\n", " ")


def _rows(prefix: str, value: Any, out: list[str]) -> None:
    out.append(f"| `{prefix}` | {_type(value)} | {_example(value)} |")
    if isinstance(value, dict):
        for key, item in value.items():
            _rows(f"{prefix}.{key}", item, out)
    elif isinstance(value, list) and value and isinstance(value[0], dict | list):
        _rows(f"{prefix}[i]", value[0], out)


def render() -> str:
    lines = [
        "# Переменные шаблонов отчётов",
        "",
        "<!-- Generated from the report kinds' sample contexts by scripts/regenerate.py. -->",
        "",
        "Шаблоны — документы Word (.docx) с тегами docxtpl (Jinja2): `{{ переменная }}`, "
        "`{%p if … %}` / `{%p for … %}` для абзацев, `{%tr for … %}` для строк таблицы, "
        "`{%tc for … %}` для столбцов. Свой шаблон: скопируйте `templates/annual.docx`, "
        "измените оформление в Word и укажите `--template`. Перед использованием проверьте: "
        "`sheetprog template check мой-шаблон.docx` — команда покажет сразу все неизвестные "
        "переменные, поля и фильтры (с подсказкой «может быть, …?»), ошибки в тегах, "
        "незакрытые блоки и теги, разбитые Word на части с разным оформлением, — с местом: "
        "абзац, ячейка таблицы или колонтитул.",
        "",
        "Неизвестная переменная при формировании отчёта — ошибка с указанием места, а не "
        "пустое поле. Доли (`value`, `execution`, `achievement`) — числа (1,003 = 100,3 %): "
        "выводите их фильтром `pct`.",
        "",
        "Диаграммы (`chart` — план и факт показателей, `funding_chart` — финансирование "
        "по источникам) рисуются, только если шаблон их выводит: стандартный шаблон "
        "итогового отчёта их не показывает, и на его формирование время не тратится; "
        "вставьте `{{ chart }}` в свой шаблон — и диаграмма появится.",
        "",
        "## Фильтры",
        "",
        "| Фильтр | Что делает | Пример |",
        "|---|---|---|",
    ]
    for name in FILTERS:
        what, example = _FILTER_DOCS[name]
        lines.append(f"| `{name}` | {what} | `{example}` |")
    lines += [
        "",
        "## Виды отчётов",
        "",
        "| Вид | Отчёт | Из книги | Шаблон по умолчанию | Кнопка в книге .xlsm |",
        "|---|---|---|---|---|",
    ]
    for kind in REPORT_KINDS.values():
        made = (
            get_kind(kind.workbook).title
            if kind.maker
            else "пакетная обработка (`sheetprog batch`)"
        )
        button = f"«{kind.title}»" if kind.macro else "—"
        command = f"`sheetprog report {kind.name}`" if kind.maker else f"`{kind.name}`"
        lines.append(
            f"| {command} | {kind.title} | {made} | `templates/{kind.template}` | {button} |"
        )
    lines += [
        "",
        "## Переменные по видам отчётов",
        "",
        "У каждого вида отчёта свои переменные; виды с общим набором описаны вместе. "
        "Проверить шаблон по переменным одного вида: `sheetprog template check "
        "мой-шаблон.docx --kind annual` (без `--kind` — по переменным всех видов).",
    ]
    groups: dict[str, list[ReportKind]] = {}
    for kind in REPORT_KINDS.values():
        groups.setdefault(kind.sample, []).append(kind)
    for kinds in groups.values():
        titles = ", ".join(f"{k.title} (`{k.name}`)" for k in kinds)
        lines += ["", f"### {titles}", "", "| Переменная | Тип | Пример |", "|---|---|---|"]
        for key, value in kind_schema(kinds[0].name).items():
            _rows(key, value, lines)
    lines.append("")
    return "\n".join(lines)
