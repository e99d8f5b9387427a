"""The regional summary note's context and the return letter's: the batch run's summaries
→ plain data. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetprog.batch.config import RegionSettings
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.periods import parse_period

COUNTS = ("files", "accepted", "with_errors", "unreadable")
NO_RATING = "без оценки"
LETTER_ROWS = 12  # the errors a one-page letter lists; the rest: the copy's «Проверки»
# Each table and list of the note has at most this many rows (issue 21): a
# region of tens of thousands of programs gets a readable note in flat memory; the last row
# says how many more there are and where all of them are (the consolidated workbook).
NOTE_ROWS = 500
# the words a cut list of the note counts its rows in (one, few, many)
PROGRAMS = ("программа", "программы", "программ")
FILES = ("файл", "файла", "файлов")


def period_label(key: str | None) -> str:
    """ "2016" → "2016 год", "2016-Q2" → "полугодие 2016 года"; anything else as it is."""
    if not key:
        return ""
    try:
        return parse_period(key).label
    except ValueError:
        return key


def signature(region: RegionSettings) -> dict[str, str]:
    return {
        "authority": region.authority,
        "position": region.signatory_position,
        "name": region.signatory_name,
        "contact": region.contact,
    }


def _date(timestamp: float | None) -> dt.date | None:
    return dt.datetime.fromtimestamp(timestamp).date() if timestamp else None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def distribution(values: list[Any], region: RegionSettings) -> list[dict[str, Any]]:
    """Programs in each band of the ranking methodology (highest first), and those without
    a figure; each with its share."""
    bands = [b.label for b in region.methodology.bands]
    counts: Counter[str] = Counter()
    for value in values:
        if value is None:
            counts[NO_RATING] += 1
        else:
            counts[region.methodology.band(Decimal(str(value))).label] += 1
    total = sum(counts.values())
    labels = bands + ([NO_RATING] if counts[NO_RATING] else [])
    return [
        {"label": label, "count": counts[label], "share": _ratio(counts[label], total)}
        for label in labels
    ]


def region_context(
    submissions: Iterable[Mapping[str, Any]],
    counts: Mapping[str, int],
    ranking: list[dict[str, Any]],
    completeness: list[dict[str, Any]],
    today: dt.date | None = None,
    trends: dict[tuple[Any, Any], str] | None = None,
    *,
    period: str | None = None,
    region: RegionSettings | None = None,
    returns: list[dict[str, Any]] | None = None,
    unreadable: list[dict[str, Any]] | None = None,
    other_period: list[dict[str, Any]] | None = None,
    changes: list[dict[str, Any]] | None = None,
    chart: bytes | None = None,
    refined: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The regional note's context (docs/templates.md lists its variables), from the run's
    current submissions (one line each) and ``counts`` of all submissions: files, accepted,
    with_errors, unreadable. ``period``: the run's; ``region``: [region] (the ranking
    methodology, the signature); ``returns``, ``unreadable``, ``other_period``,
    ``changes``: the lists the note gives by name; ``chart``: the rating distribution.

    ``submissions`` is consumed once, as it comes (an iterator will do): the region's
    figures are sums and counts, and only the first ``NOTE_ROWS`` programs become rows
    (``note_rows``), so the context's size does not grow with the region."""
    region = region or RegionSettings()
    programs: list[dict[str, Any]] = []
    errors: Counter[str] = Counter()
    plan_total = actual_total = 0.0
    listed = 0
    periods: set[str] = set()
    places: set[Any] = set()
    values: list[Any] = []
    for s in submissions:
        listed += 1
        plan = s.get("funding_plan") or 0
        plan_total += plan
        actual_total += s.get("funding_actual") or 0
        if s.get("period"):
            periods.add(str(s["period"]))
        places.add(s.get("oktmo") or s.get("municipality"))
        values.append(s.get("region_value"))
        errors.update(s.get("error_codes") or [])
        if listed > NOTE_ROWS:
            continue
        programs.append(
            {
                "municipality": s.get("municipality") or "",
                "program": s.get("program") or "",
                "activities": f"{s.get('activities_done', 0)} из {s.get('activities_counted', 0)}",
                "indicators": f"{s.get('indicators_achieved', 0)} из "
                f"{s.get('indicators_assessed', 0)}",
                "execution": (s.get("funding_actual") or 0) / plan if plan else None,
                "value": s.get("rating_value"),
                "rating": s.get("rating") or "",
                "method": s.get("method") or "",
                "trend": (trends or {}).get((s.get("oktmo"), s.get("program")), ""),
            }
        )
    if listed > NOTE_ROWS:
        programs.append(_more_programs(listed - NOTE_ROWS, "Сводка"))
    ranked_values = [r["value"] for r in ranking]
    late = [c for c in completeness if c["status"] == "с опозданием"]
    missing = [c for c in completeness if c["status"] == "не представлено"]
    returns = returns or []
    unreadable = unreadable or []
    other_period = other_period or []
    changes = changes or []
    refined = refined or []
    return {
        "report": {"date": today or dt.date.today()},
        "region": {
            "period": period_label(period) if period else ", ".join(sorted(periods)),
            **{key: counts.get(key, 0) for key in COUNTS},
            "programs": listed,
            "municipalities": len(places),
            "funding_plan": plan_total,
            "funding_actual": actual_total,
            "execution": _ratio(actual_total, plan_total),
            "average": _ratio(sum(ranked_values), len(ranked_values)) if ranked_values else None,
            "methodology": region.methodology.name,
            "methodology_chosen": region.chosen,
            "exclude_errors": region.exclude_errors,
            "ranked": len(ranking),
            "returned": sum(1 for r in returns if r.get("copy")),
            "letters": len(returns),
            "late": len(late),
            "missing": len(missing),
            "other_period": len(other_period),
            "changes": len(changes),
        },
        "distribution": distribution(values, region) if listed else [],
        "chart": chart,
        "programs": programs,
        "ranking": note_ranking(ranking),
        "missing": _cut(missing, PROGRAMS, "Полнота", "municipality", "program_code"),
        "late": _cut(late, PROGRAMS, "Полнота", "municipality", "program_code"),
        "returns": _cut(
            [
                {
                    "municipality": r.get("municipality") or "",
                    "program": r.get("program") or "",
                    "file": Path(r["file"]).name,
                    "errors": r.get("errors") or 0,
                    "reasons": r.get("reasons") or "",
                    "attachment": Path(r["copy"]).name if r.get("copy") else "",
                    "letter": Path(r["letter"]).name if r.get("letter") else "",
                }
                for r in returns
            ],
            ("возврат", "возврата", "возвратов"),  # programs and unread files alike
            "На доработку",
            "municipality",
            "program",
        ),
        "unreadable": _cut(
            [
                {"file": Path(u["file"]).name, "path": u["file"], "reason": u.get("reason") or ""}
                for u in unreadable
            ],
            FILES,
            "Сводка",
            "file",
            "reason",
        ),
        "other_period": _cut(
            [
                {
                    "file": Path(o["file"]).name,
                    "municipality": o.get("municipality") or "",
                    "program": o.get("program") or "",
                    "period": period_label(o.get("period")),
                }
                for o in other_period
            ],
            FILES,
            "Сводка",
            "file",
            "program",
        ),
        "changes": _cut(changes, PROGRAMS, "Изменения принятых", "municipality", "program"),
        # issue 18: provisional assessments refined in this run whose rating changed
        "refined": _cut(
            [
                {
                    **r,
                    "before": _rating_text(r.get("before_value"), r.get("before_rating")),
                    "after": _rating_text(r.get("value"), r.get("rating")),
                }
                for r in refined
            ],
            PROGRAMS,
            "Изменения принятых",  # a refined edition is a new edition of an accepted one
            "municipality",
            "program",
        ),
        "frequent_errors": [
            {
                "code": code,
                "title": CATALOGUE[code].title if code in CATALOGUE else code,
                "files": n,
            }
            for code, n in errors.most_common(10)
        ],
        "signature": signature(region),
    }


def _more_programs(more: int, sheet: str) -> dict[str, Any]:
    """The last row of a cut table of the note: how many programs more, and where."""
    return {
        **_more(more, PROGRAMS, sheet, "municipality", "program"),
        "activities": "",
        "indicators": "",
        "execution": None,
        "value": None,
        "rating": "",
        "method": "",
        "trend": "",
        "rank": "…",
        "own_value": None,
        "own_rating": "",
        "errors": "…",
        "mark": "",
    }


def _more(
    more: int, words: tuple[str, str, str], sheet: str, first: str, second: str
) -> dict[str, Any]:
    """The row after the first ``NOTE_ROWS`` of a list of the note: «… и ещё N …» in its
    ``first`` field, where the whole list is in its ``second``, and the two as one line in
    ``more`` (the default template's lists of paragraphs show that line; a region's own
    template written before shows the two fields as a row of its own)."""
    from sheetprog.fmt import number
    from sheetprog.reports.filters import plural

    what = f"… и ещё {number(more)} {plural(more, *words).split(' ', 1)[1]}"
    where = f"полный список — «Сводная таблица.xlsx», лист «{sheet}»"
    return {first: what, second: where, "more": f"{what}; {where}."}


def _cut(
    rows: list[dict[str, Any]], words: tuple[str, str, str], sheet: str, first: str, second: str
) -> list[dict[str, Any]]:
    """The first ``NOTE_ROWS`` rows, then one saying how many more and where (issue 21: the
    note's size — and the memory of the process rendering it — does not grow with the
    region). Every row has ``more``: empty but in that last row, whose other fields are
    empty but ``first`` and ``second``."""
    kept = [{**row, "more": ""} for row in rows[:NOTE_ROWS]]
    if len(rows) <= NOTE_ROWS:
        return kept
    blank = dict.fromkeys(kept[0], "")
    return [*kept, {**blank, **_more(len(rows) - NOTE_ROWS, words, sheet, first, second)}]


def note_ranking(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking as the note lists it: the first ``NOTE_ROWS`` places, then a row saying
    how many more there are and where the whole ranking is."""
    if len(ranking) <= NOTE_ROWS:
        return ranking
    return [*ranking[:NOTE_ROWS], _more_programs(len(ranking) - NOTE_ROWS, "Рейтинг")]


def letter_context(
    submission: Mapping[str, Any],
    errors: list[dict[str, Any]],
    *,
    period: str | None,
    region: RegionSettings,
    copy: str | None,
    today: dt.date,
    deadline: dt.date,
) -> dict[str, Any]:
    """The return letter's context: one submission (its summary), its errors (findings
    of severity «ошибка» as dicts: sheet, cell, code, message), the run's period."""
    shown = errors[:LETTER_ROWS]
    unread = submission.get("status") == "не прочитан"
    reasons = [
        {
            "sheet": e.get("sheet") or "",
            "cell": e.get("cell") or "",
            "code": e.get("code") or "",
            "message": e.get("message") or "",
        }
        for e in shown
    ]
    places = [f"{e['sheet']}!{e['cell']}" if e["sheet"] else e["code"] for e in reasons]
    summary = (
        str(submission.get("reason") or "файл не прочитан")
        if unread
        else f"ошибок: {len(errors)} ({', '.join(places)}"
        + (f" и ещё {len(errors) - len(shown)}" if len(errors) > len(shown) else "")
        + ")"
    )
    return {
        "report": {"date": today},
        "letter": {
            "period": period_label(period or submission.get("period")),
            "received": _date(submission.get("received")),
            "deadline": deadline,
            "days": (deadline - today).days,
            "unread": unread,
            "reason": str(submission.get("reason") or ""),
            "errors": len(errors),
            "more": len(errors) - len(shown),
            "attachment": copy or "",
            "summary": summary,
        },
        "submission": {
            "municipality": submission.get("municipality") or "",
            "oktmo": submission.get("oktmo") or "",
            "program": submission.get("program") or "",
            "program_code": submission.get("program_code") or "",
            "file": Path(str(submission.get("file") or "")).name,
        },
        "reasons": reasons,
        "signature": signature(region),
    }


_SAMPLE_DAY = dt.date(2025, 1, 20)
_SAMPLE_REGION = RegionSettings(
    authority="Министерство экономического развития области",
    signatory_position="Заместитель министра",
    signatory_name="И.И. Иванов",
    contact="П.П. Петров, 8 (000) 000-00-00",
)


def region_sample() -> dict[str, Any]:
    """The note's complete sample context (every list filled): the lint's and the docs'."""
    summary = {
        "status": "принят",
        "superseded_by": None,
        "period": "2024",
        "file": "a.xlsx",
        "mtime": 0.0,
        "municipality": "Город N",
        "oktmo": "00000000",
        "program": "Программа",
        "activities_done": 1,
        "activities_counted": 2,
        "funding_plan": 10,
        "funding_actual": 9,
        "rating_value": 0.95,
        "rating": "высокая",
        "method": "Средние значения (C, Уи, M)",
        "region_value": 0.95,
        "indicators_achieved": 1,
        "indicators_assessed": 1,
        "error_codes": ["F03"],
    }
    ranking = [
        {
            "rank": 1,
            "value": 0.95,
            "rating": "высокая",
            "municipality": "Город N",
            "oktmo": "00000000",
            "program": "Программа",
            "file": "a.xlsx",
            "own_value": 0.95,
            "own_rating": "высокая",
            "method": "Средние значения (C, Уи, M)",
            "errors": 1,
            "mark": "есть ошибки (1)",
        }
    ]
    expected = {
        "oktmo": "00000000",
        "municipality": "Город M",
        "program_code": "МП-1",
        "deadline": dt.date(2025, 1, 20),
        "submitted": None,
        "file": None,
    }
    completeness = [
        {**expected, "status": "не представлено"},
        {**expected, "status": "с опозданием", "submitted": dt.date(2025, 1, 22), "file": "b"},
    ]
    counts = {"files": 3, "accepted": 1, "with_errors": 1, "unreadable": 1}
    returns = [
        {
            "municipality": "Город K",
            "program": "Программа",
            "file": "k.xlsx",
            "errors": 1,
            "reasons": "ошибок: 1 (Паспорт!B19)",
            "copy": "на доработку/Город K — Программа.xlsx",
            "letter": "на доработку/Город K — Программа.docx",
        }
    ]
    changes = [
        {
            "municipality": "Город N",
            "program": "Программа",
            "accepted": "a.xlsx",
            "file": "a2.xlsx",
            "cells": 2,
            "state": "изменение принятого отчёта",
            "summary": "Показатели!X5: «80» → «95»; Мероприятия!P4: «» → «новая проблема»",
        }
    ]
    return region_context(
        [summary],
        counts,
        ranking,
        completeness,
        today=_SAMPLE_DAY,
        trends={("00000000", "Программа"): "2023: 90,0 % → 2024: 95,0 %"},
        period="2024",
        region=_SAMPLE_REGION,
        returns=returns,
        unreadable=[{"file": "входящие/x.xls", "reason": "Файл в старом формате Excel"}],
        other_period=[
            {"file": "c.xlsx", "municipality": "Город C", "program": "Программа", "period": "2023"}
        ],
        changes=changes,
        chart=b"PNG",
        refined=[
            {
                "municipality": "Город N",
                "program": "Программа",
                "accepted": "a.xlsx",
                "file": "a2.xlsx",
                "before_value": 0.98,
                "before_rating": "высокая",
                "value": 0.85,
                "rating": "средняя",
                "changed": True,
            }
        ],
    )


def letter_sample() -> dict[str, Any]:
    """The return letter's complete sample context."""
    submission = {
        "status": "с ошибками",
        "file": "входящие/k.xlsx",
        "municipality": "Город K",
        "oktmo": "00000000",
        "program": "Развитие муниципальной службы",
        "program_code": "МП-1",
        "period": "2024",
        "received": dt.datetime(2025, 1, 15, 10).timestamp(),
        "reason": None,
    }
    errors = [
        {
            "code": "F03",
            "severity": "ошибка",
            "sheet": "Паспорт",
            "cell": "B19",
            "message": "Объём финансирования в паспорте не равен итогу таблицы",
        }
    ]
    return letter_context(
        submission,
        errors,
        period="2024",
        region=_SAMPLE_REGION,
        copy="Город K — Развитие муниципальной службы.xlsx",
        today=_SAMPLE_DAY,
        deadline=_SAMPLE_DAY + dt.timedelta(days=10),
    )


def _rating_text(value: Any, label: Any) -> str:
    """ "98,0 % — высокая" (issue 18: a rating before and after refinement)."""
    from sheetprog.fmt import percent

    shown = percent(Decimal(str(value))) if value is not None else "—"
    return f"{shown} — {label}" if label else shown
