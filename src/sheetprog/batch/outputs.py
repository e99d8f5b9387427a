"""Batch outputs: the consolidated workbook, the same tables as CSV and JSON.

Text a clerk typed is written as text: a value starting with "=", "+", "-" or "@" can
never become a formula in the consolidated workbook (or in a spreadsheet opening the CSV).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from sheetprog.batch.process import STATUS_UNREADABLE
from sheetprog.batch.run import current
from sheetprog.batch.store import Store
from sheetprog.io.atomic import atomic_write

FORMULA_START = ("=", "+", "-", "@")
SUBMISSION_COLUMNS = (
    ("Муниципальное образование", "municipality"),
    ("ОКТМО", "oktmo"),
    ("Программа", "program"),
    ("Код программы", "program_code"),
    ("Период", "period"),
    ("Файл", "file"),
    ("Статус", "status"),
    ("Причина", "reason"),
    ("Заменена более новой", "superseded_by"),
    ("Ошибок", "errors"),
    ("Предупреждений", "warnings"),
    ("Оценка", "rating_value"),
    ("Эффективность", "rating"),
    ("Финансирование: план", "funding_plan"),
    ("Финансирование: факт", "funding_actual"),
    ("Мероприятий выполнено", "activities_done"),
    ("Мероприятий учтено", "activities_counted"),
)


def _cell(ws: Worksheet, value: Any) -> Any:
    """A write-only cell; text is always text (never a formula)."""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # shown and edited as text in Excel
    return cell


def _csv_safe(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # the usual CSV-injection guard for spreadsheets
    return value


class Table:
    """One output table written to a workbook sheet and a CSV file as rows arrive."""

    def __init__(
        self, wb: Workbook, outdir: Path, sheet: str, name: str, headers: list[str]
    ) -> None:
        self.ws = wb.create_sheet(sheet)
        self.ws.append([_cell(self.ws, h) for h in headers])
        self.fh = (outdir / f"{name}.csv").open("w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.fh, delimiter=";")
        self.csv.writerow(headers)

    def add(self, row: list[Any]) -> None:
        self.ws.append([_cell(self.ws, v) for v in row])
        self.csv.writerow([_csv_safe(v) for v in row])

    def close(self) -> None:
        self.fh.close()


def _records(store: Store, summaries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Full records from the store, 200 at a time (memory does not grow with the files)."""
    wanted = current(summaries)
    for start in range(0, len(wanted), 200):
        chunk = wanted[start : start + 200]
        hashes = sorted({s["hash"] for s in chunk})
        keys = {s.get("period") or "" for s in chunk} | {""}
        found = {key: store.get_many(hashes, key) for key in sorted(keys)}
        for s in chunk:
            for key in (s.get("period") or "", ""):
                record = found[key].get(s["hash"])
                if record is not None:
                    yield {**record, "file": s["file"]}
                    break


def write_outputs(result: Any, store: Store) -> None:
    outdir: Path = result.outdir
    wb = Workbook(write_only=True)
    subs = Table(wb, outdir, "Сводка", "submissions", [h for h, _k in SUBMISSION_COLUMNS])
    for s in result.submissions:
        subs.add([s.get(k) for _h, k in SUBMISSION_COLUMNS])
    subs.close()
    rank = Table(
        wb,
        outdir,
        "Рейтинг",
        "ranking",
        [
            "Место",
            "Оценка",
            "Эффективность",
            "Муниципальное образование",
            "ОКТМО",
            "Программа",
            "Файл",
        ],
    )
    for r in result.ranking:
        rank.add(
            [
                r["rank"],
                r["value"],
                r["rating"],
                r["municipality"],
                r["oktmo"],
                r["program"],
                r["file"],
            ]
        )
    rank.close()
    full = Table(
        wb,
        outdir,
        "Полнота",
        "completeness",
        [
            "ОКТМО",
            "Муниципальное образование",
            "Код программы",
            "Срок",
            "Статус",
            "Представлено",
            "Файл",
        ],
    )
    for c in result.completeness:
        full.add(
            [
                c["oktmo"],
                c["municipality"],
                c["program_code"],
                c["deadline"],
                c["status"],
                c["submitted"],
                c["file"],
            ]
        )
    full.close()
    ind = Table(
        wb,
        outdir,
        "Показатели",
        "indicators",
        [
            "Муниципальное образование",
            "Программа",
            "Файл",
            "Код",
            "Показатель",
            "Ед. изм.",
            "План",
            "Факт",
            "Ci",
            "Достигнут",
            "Ячейка",
        ],
    )
    act = Table(
        wb,
        outdir,
        "Мероприятия",
        "activities",
        [
            "Муниципальное образование",
            "Программа",
            "Файл",
            "№",
            "Мероприятие",
            "Статус",
            "Выполнено",
            "Не в срок",
        ],
    )
    fund = Table(
        wb,
        outdir,
        "Финансирование",
        "funding",
        [
            "Муниципальное образование",
            "Программа",
            "Файл",
            "Источник",
            "План",
            "Факт",
            "Исполнение",
        ],
    )
    find = Table(
        wb,
        outdir,
        "Замечания",
        "findings",
        [
            "Муниципальное образование",
            "Программа",
            "Файл",
            "Код",
            "Серьёзность",
            "Лист",
            "Ячейка",
            "Сообщение",
        ],
    )
    for record in _records(store, result.submissions):
        head = [record.get("municipality"), record.get("program"), record["file"]]
        for r in record.get("indicators", []):
            ind.add(
                [
                    *head,
                    r["code"],
                    r["name"],
                    r["unit"],
                    r["plan"],
                    r["fact"],
                    r["ci"],
                    r["achieved"],
                    r["cell"],
                ]
            )
        for a in record.get("activities", []):
            act.add([*head, a["number"], a["name"], a["status"], a["done"], a["overdue"]])
        for f in record.get("funding", []):
            fund.add([*head, f["label"], f["plan"], f["actual"], f["execution"]])
        for f in record.get("findings", []):
            find.add([*head, f["code"], f["severity"], f["sheet"], f["cell"], f["message"]])
    for table in (ind, act, fund, find):
        table.close()
    with atomic_write(outdir / "Сводная таблица.xlsx") as tmp:
        wb.save(tmp)
    _summary_note(result, store)
    summary = {
        "generated": dt.datetime.now().isoformat(timespec="seconds"),
        "files": len(result.submissions),
        "processed": result.processed,
        "reused": result.reused,
        "submissions": result.submissions,
        "ranking": result.ranking,
        "completeness": result.completeness,
    }
    (outdir / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )


def _summary_note(result: Any, store: Store) -> None:
    """«Сводная аналитическая записка.docx» from templates/region-summary.docx."""
    from sheetprog.reports.render import render_docx
    from sheetprog.reports.templates_build import default_template

    trends = {}
    for s in current(result.submissions):
        history = store.history(s.get("oktmo"), s.get("program"))
        trends[(s.get("oktmo"), s.get("program"))] = trend(history)
    context = region_context(
        result.submissions,
        _records(store, result.submissions),
        result.ranking,
        result.completeness,
        trends=trends,
    )
    render_docx(
        default_template("region-summary"),
        context,
        result.outdir / "Сводная аналитическая записка.docx",
    )


def trend(history: list[dict[str, Any]]) -> str:
    """ "2015: 98,0 % → 2016: 104,1 %": the newest rating of each period in the store."""
    from sheetprog.fmt import percent

    by_period: dict[str, dict[str, Any]] = {}
    for record in history:
        period = record.get("period")
        if (
            period
            and record.get("rating_value") is not None
            and (period not in by_period or record["mtime"] > by_period[period]["mtime"])
        ):
            by_period[period] = record
    return " → ".join(
        f"{p}: {percent(Decimal(str(r['rating_value'])))}" for p, r in sorted(by_period.items())
    )


def region_context(
    submissions: list[dict[str, Any]],
    records: Iterable[dict[str, Any]],
    ranking: list[dict[str, Any]],
    completeness: list[dict[str, Any]],
    today: dt.date | None = None,
    trends: dict[tuple[Any, Any], str] | None = None,
) -> dict[str, Any]:
    """The regional note's context (docs/templates.md lists the program reports' variables)."""
    from collections import Counter

    from sheetprog.checks import CATALOGUE

    statuses = Counter(s["status"] for s in submissions)
    programs = []
    errors: Counter[str] = Counter()
    for record in records:
        achieved = [r for r in record.get("indicators", []) if r.get("achieved") is not None]
        plan = record.get("funding_plan") or 0
        programs.append(
            {
                "municipality": record.get("municipality") or "",
                "program": record.get("program") or "",
                "activities": f"{record.get('activities_done', 0)} из "
                f"{record.get('activities_counted', 0)}",
                "indicators": f"{sum(1 for r in achieved if r['achieved'])} из {len(achieved)}",
                "execution": (record.get("funding_actual") or 0) / plan if plan else None,
                "value": record.get("rating_value"),
                "rating": record.get("rating") or "",
                "trend": (trends or {}).get((record.get("oktmo"), record.get("program")), ""),
            }
        )
        errors.update({f["code"] for f in record.get("findings", []) if f["severity"] == "ошибка"})
    periods = sorted({str(s["period"]) for s in current(submissions) if s.get("period")})
    return {
        "report": {"date": today or dt.date.today()},
        "region": {
            "period": ", ".join(periods),
            "files": len(submissions),
            "accepted": statuses.get("принят", 0),
            "with_errors": statuses.get("с ошибками", 0),
            "unreadable": statuses.get(STATUS_UNREADABLE, 0),
        },
        "programs": programs,
        "ranking": ranking,
        "missing": [c for c in completeness if c["status"] == "не представлено"],
        "frequent_errors": [
            {
                "code": code,
                "title": CATALOGUE[code].title if code in CATALOGUE else code,
                "files": n,
            }
            for code, n in errors.most_common(10)
        ],
    }
