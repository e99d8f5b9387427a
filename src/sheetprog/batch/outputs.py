"""Batch outputs: the consolidated workbook, the same tables as CSV and JSON.

Text a clerk typed is written as text: a value starting with "=", "+", "-" or "@" can
never become a formula in the consolidated workbook (or in a spreadsheet opening the CSV).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetprog.batch.records import (
    STATUS_ERRORS,
    STATUS_OK,
    STATUS_UNREADABLE,
    BatchResult,
    Record,
    Submission,
    current,
)
from sheetprog.batch.store import Store
from sheetprog.io.atomic import atomic_write
from sheetprog.io.xlsx_tables import FORMULA_START, TableWorkbook
from sheetprog.reports.region import region_context

# header, ``Submission`` field
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


_NESTED = (dict, list)  # written as JSON text


class Table:
    """One output table written to a workbook sheet and a CSV file as rows arrive."""

    def __init__(
        self, wb: TableWorkbook, outdir: Path, sheet: str, name: str, headers: list[str]
    ) -> None:
        self.sheet = wb.add_sheet(sheet, headers)
        self.fh = (outdir / f"{name}.csv").open("w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.fh, delimiter=";")
        self.csv.writerow(headers)

    def add(self, row: list[Any]) -> None:
        row = [json.dumps(v, ensure_ascii=False) if type(v) in _NESTED else v for v in row]
        self.sheet.append(row)
        # the usual CSV-injection guard: text a spreadsheet would run gets an apostrophe
        self.csv.writerow(
            ["'" + v if type(v) is str and v.startswith(FORMULA_START) else v for v in row]
        )

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()


def _records(store: Store, summaries: list[Submission]) -> Iterator[Record]:
    """Full records from the store, 200 at a time (memory does not grow with the files)."""
    wanted = [(s.hash, s) for s in current(summaries) if s.hash]  # a read file has its hash
    for start in range(0, len(wanted), 200):
        chunk = wanted[start : start + 200]
        hashes = sorted({h for h, _s in chunk})
        keys = {s.period or "" for _h, s in chunk} | {""}
        found = {key: store.get_many(hashes, key) for key in sorted(keys)}
        for h, s in chunk:
            for key in (s.period or "", ""):
                record = found[key].get(h)
                if record is not None:
                    yield replace(record, file=s.file)
                    break


_HEAD = ("Муниципальное образование", "Программа", "Файл")
# sheet of the consolidated workbook, CSV name, headers
RANKING = (
    "Рейтинг",
    "ranking",
    ("Место", "Оценка", "Эффективность", "Муниципальное образование", "ОКТМО", "Программа", "Файл"),
)
COMPLETENESS = (
    "Полнота",
    "completeness",
    (
        "ОКТМО",
        "Муниципальное образование",
        "Код программы",
        "Срок",
        "Статус",
        "Представлено",
        "Файл",
    ),
)
INDICATORS = (
    "Показатели",
    "indicators",
    (*_HEAD, "Код", "Показатель", "Ед. изм.", "План", "Факт", "Ci", "Достигнут", "Ячейка"),
)
ACTIVITIES = (
    "Мероприятия",
    "activities",
    (*_HEAD, "№", "Мероприятие", "Статус", "Выполнено", "Не в срок"),
)
FUNDING = ("Финансирование", "funding", (*_HEAD, "Источник", "План", "Факт", "Исполнение"))
FINDINGS = (
    "Замечания",
    "findings",
    (*_HEAD, "Код", "Серьёзность", "Лист", "Ячейка", "Сообщение"),
)


def write_outputs(result: BatchResult, store: Store) -> None:
    """The consolidated workbook, the CSV tables, the note and summary.json. The note is
    rendered in a second process while the tables are written from the stored records."""
    outdir: Path = result.outdir
    wb = TableWorkbook()
    tables: list[Table] = []

    def table(sheet: str, name: str, headers: tuple[str, ...]) -> Table:
        tables.append(Table(wb, outdir, sheet, name, list(headers)))
        return tables[-1]

    try:
        with ProcessPoolExecutor(max_workers=1) as pool:  # the note, beside the tables
            note = pool.submit(
                render_note,
                _note_context(result, store),
                outdir / "Сводная аналитическая записка.docx",
            )
            subs = table("Сводка", "submissions", tuple(h for h, _k in SUBMISSION_COLUMNS))
            for s in result.submissions:
                subs.add([getattr(s, k) for _h, k in SUBMISSION_COLUMNS])
            rank = table(*RANKING)
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
            full = table(*COMPLETENESS)
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
            long = (table(*INDICATORS), table(*ACTIVITIES), table(*FUNDING), table(*FINDINGS))
            for record in _records(store, result.submissions):
                _add_record(record, *long)
            with atomic_write(outdir / "Сводная таблица.xlsx") as tmp:
                wb.save(tmp)
            _write_summary(result, outdir / "summary.json")
            note.result()
    finally:
        for t in tables:
            t.close()
        wb.discard()


def _write_summary(result: BatchResult, path: Path) -> None:
    summary = {
        "generated": dt.datetime.now().isoformat(timespec="seconds"),
        "files": len(result.submissions),
        "processed": result.processed,
        "reused": result.reused,
        "submissions": [s.to_dict() for s in result.submissions],
        "ranking": result.ranking,
        "completeness": result.completeness,
    }
    # compact: without indent the json module uses its C encoder (several times faster)
    path.write_text(json.dumps(summary, ensure_ascii=False, default=str), encoding="utf-8")


def _add_record(record: Record, ind: Table, act: Table, fund: Table, find: Table) -> None:
    head = [record.municipality, record.program, record.file]
    for r in record.indicators:
        ind.add([*head, r.code, r.name, r.unit, r.plan, r.fact, r.ci, r.achieved, r.cell])
    for a in record.activities:
        act.add([*head, a.number, a.name, a.status, a.done, a.overdue])
    for g in record.funding:
        fund.add([*head, g.label, g.plan, g.actual, g.execution])
    for f in record.findings:
        find.add([*head, f.code, f.severity, f.sheet, f.cell, f.message])


def _note_context(result: BatchResult, store: Store) -> dict[str, Any]:
    """The note's context; ``region_context`` takes the submissions as plain dicts."""
    submissions = current(result.submissions)
    keys = {(s.oktmo, s.program) for s in submissions}
    trends = {key: trend(history) for key, history in store.ratings(keys).items()}
    statuses = Counter(s.status for s in result.submissions)
    counts = {
        "files": len(result.submissions),
        "accepted": statuses[STATUS_OK],
        "with_errors": statuses[STATUS_ERRORS],
        "unreadable": statuses[STATUS_UNREADABLE],
    }
    return region_context(
        [s.to_dict() for s in submissions],
        counts,
        result.ranking,
        result.completeness,
        trends=trends,
    )


def render_note(context: dict[str, Any], out: Path) -> None:
    """«Сводная аналитическая записка.docx» from templates/region-summary.docx."""
    from sheetprog.reports.render import render_docx
    from sheetprog.reports.templates_build import default_template

    render_docx(default_template("region-summary"), context, out)


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
