"""Reserve assessment for people, machines, the «Оценка» sheet and the Word report. Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheetprog import spec
from sheetprog.checks.base import Finding
from sheetprog.checks.view import problems_lines
from sheetprog.fmt import percent
from sheetprog.grid import Cell, Row
from sheetprog.reports.kinds import REPORT_KINDS
from sheetprog.reserve.assess import EFR1_LIMITS, EFR2_LIMITS, ReserveAssessment
from sheetprog.reserve.model import Reserve
from sheetprog.serialize import to_jsonable
from sheetprog.version import __version__

WIDTHS = {1: 56.0, 2: 14.0, 3: 12.0, 4: 12.0, 5: 12.0, 6: 22.0}


def reserve_info_text(reserve: Reserve, problems: list[Finding]) -> str:
    """``problems``: the reader's problems as findings (``checks.run.read_findings``)."""
    p = reserve.passport
    in_reserve = sum(1 for r in reserve.reservists if r.excluded is None)
    lines = [
        f"Файл: {reserve.source_path}",
        "Вид книги: кадровый резерв",
        f"Муниципальное образование: {p.municipality or '—'}",
        f"Отчётный год: {p.year or '—'}",
        f"Резервистов в реестре: {len(reserve.reservists)} (состоят в резерве: {in_reserve}), "
        f"вакансий: {len(reserve.vacancies)}, планов развития: {len(reserve.plans)}",
        "ФИО не выводятся: реестр содержит персональные данные.",
    ]
    return "\n".join(lines + problems_lines(problems, say_none=False))


def reserve_info_dict(reserve: Reserve, problems: list[Finding]) -> dict[str, Any]:
    """The model for ``info --json``, without the reservists' names (personal data);
    ``problems``: the reader's problems as findings (with the catalogue's severity)."""
    data: dict[str, Any] = to_jsonable(reserve)
    for person in data["reservists"]:
        person.pop("name", None)
    data["problems"] = to_jsonable(problems)
    return data


def reserve_dict(a: ReserveAssessment) -> dict[str, Any]:
    return {
        "file": a.file,
        "kind": "reserve",
        "period": str(a.year),
        "settings": to_jsonable(a.settings.__dict__),
        "scores": {s.key: to_jsonable(s.value) for s in a.shares},
        "shares": [
            {
                "key": s.key,
                "title": s.title,
                "years": list(s.years),
                "numerator": s.numerator,
                "denominator": s.denominator,
                "value": to_jsonable(s.value),
                "band": s.band,
                "note": s.note,
            }
            for s in a.shares
        ],
        "rating": {"ЭфР1": a.share("ЭфР1").band, "ЭфР2": a.share("ЭфР2").band},
        "conclusion": a.conclusion,
    }


def reserve_text(a: ReserveAssessment) -> str:
    lines = [
        f"Эффективность работы с муниципальным резервом: {a.year} год",
        "",
        f"{'Показатель':<10} {'Период':<10} {'Доля':>9} {'Счёт':>8}  Оценка",
    ]
    for s in a.shares:
        lines.append(
            f"{s.key:<10} {s.window:<10} {percent(s.value):>9} "
            f"{s.numerator:>3} / {s.denominator:<3}  {s.band or ''}"
        )
    notes = dict.fromkeys(s.note for s in a.shares if s.note)
    lines += [f"Примечание: {note}." for note in notes]
    lines += ["", a.conclusion]
    return "\n".join(lines)


def reserve_rows(a: ReserveAssessment, today: dt.date | None = None) -> list[Row]:
    today = today or dt.date.today()
    rows: list[Row] = [
        [Cell("Оценка эффективности работы с муниципальным резервом", "title")],
        [
            Cell(
                f"{a.year} год и нарастающим итогом за два и три года (п. 7 Порядка). "
                f"Рассчитано sheetprog {__version__} {today:%d.%m.%Y}.",
                "hint",
            )
        ],
        [
            Cell(h, "header")
            for h in ("Показатель", "Период", "Доля", "Числитель", "Знаменатель", "Оценка")
        ],
    ]
    for s in a.shares:
        value = Cell(s.value, "percent") if s.value is not None else Cell("—", "text")
        rows.append(
            [
                Cell(f"{s.key} — {s.title}", "text"),
                Cell(s.window, "text"),
                value,
                Cell(s.numerator, "text"),
                Cell(s.denominator, "text"),
                Cell(s.band or "", "text"),
            ]
        )
    for note in dict.fromkeys(s.note for s in a.shares if s.note):
        rows.append([Cell(f"Примечание: {note}.", "text")])
    rows.append([Cell(a.conclusion, "text")])
    return rows


def reserve_context(
    reserve: Reserve,
    a: ReserveAssessment,
    *,
    with_names: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    p = reserve.passport
    appointed = [r for r in reserve.reservists if r.appointed and r.appointed.year == a.year]
    return {
        "report": {
            "title": REPORT_KINDS["reserve"].heading,
            "date": today or dt.date.today(),
        },
        "reserve": {
            "municipality": p.municipality or "",
            "year": a.year,
            "responsible_unit": p.responsible_unit or "",
            "signatory_position": p.signatory_position or "",
            "signatory_name": p.signatory_name or "",
        },
        "shares": [
            {
                "key": s.key,
                "title": s.title,
                "window": s.window,
                "numerator": s.numerator,
                "denominator": s.denominator,
                "value": s.value,
                "band": s.band or "—",
            }
            for s in a.shares
        ],
        "bands": {
            "efr1": " / ".join(f"{int(float(x) * 100)} %" for x in EFR1_LIMITS),
            "efr2": " / ".join(f"{int(float(x) * 100)} %" for x in EFR2_LIMITS),
        },
        "appointed": [
            {
                "ident": r.ident or "",
                "name": (r.name or "") if with_names else "—",
                "position": r.appointed_position or r.position or "",
                "date": r.appointed,
            }
            for r in appointed
        ],
        "with_names": with_names,
        "conclusion": a.conclusion,
        "sheet": spec.SHEET_ASSESSMENT,
    }
