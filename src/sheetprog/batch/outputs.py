"""Batch outputs: the consolidated workbook, the same tables as CSV and JSON, the note.

Text a clerk typed is written as text: a value starting with "=", "+", "-" or "@" can
never become a formula in the consolidated workbook (or in a spreadsheet opening the CSV).
In the workbook, shares are percents, sums money, yes/no «да»/«нет», dates dates, and each
finding links to its cell in the returned copy (or in the submitted file); the CSV files
hold the same values as plain text and numbers.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetprog.batch.isolation import output_context
from sheetprog.batch.records import (
    STATE_CHANGE,
    STATE_OTHER_PERIOD,
    STATE_RETURNED,
    STATUS_ERRORS,
    STATUS_OK,
    STATUS_UNREADABLE,
    BatchResult,
    Record,
    Submission,
    current,
)
from sheetprog.batch.returns import Returns, render_letters
from sheetprog.batch.store import Store
from sheetprog.io.atomic import TMP_MARK, atomic_write, output_error
from sheetprog.io.textguard import csv_text
from sheetprog.io.xlsx_tables import BarChart, Link, TableSheet, TableWorkbook
from sheetprog.reports.region import distribution, region_context
from sheetprog.settings import Settings


def _date(timestamp: float | None) -> dt.date | None:
    return dt.datetime.fromtimestamp(timestamp).date() if timestamp else None


# header, ``Submission`` field or a function of it, format in the workbook
SUBMISSION_COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("Муниципальное образование", "municipality", "text"),
    ("ОКТМО", "oktmo", "text"),
    ("Программа", "program", "text"),
    ("Код программы", "program_code", "text"),
    ("Период", "period", "text"),
    ("Файл", "file", "text"),
    ("Поступила", lambda s: _date(s.received), "date"),
    ("Дата поступления по", "received_from", "text"),
    ("Статус", "status", "text"),
    ("Состояние", "state", "text"),
    ("Состояние с", lambda s: _date(s.state_since), "date"),
    ("Причина", "reason", "text"),
    ("Заменена более новой", "superseded_by", "text"),
    ("Изменяет принятую", "change_of", "text"),
    ("Изменено ячеек", "changed_cells", "int"),
    ("Ошибок", "errors", "int"),
    ("Предупреждений", "warnings", "int"),
    ("Методика программы", "method", "text"),
    ("Оценка", "rating_value", "percent"),
    ("Эффективность", "rating", "text"),
    ("Оценка по методике рейтинга", "region_value", "percent"),
    ("Эффективность по методике рейтинга", "region_rating", "text"),
    ("Финансирование: план", "funding_plan", "money"),
    ("Финансирование: факт", "funding_actual", "money"),
    ("Мероприятий выполнено", "activities_done", "int"),
    ("Мероприятий учтено", "activities_counted", "int"),
    ("На доработку", "returned", "link"),
    ("Письмо", "letter", "link"),
)

_NESTED = (dict, list)  # written as JSON text
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _number_or_text(value: Any) -> Any:
    """A plan written as a plain number is a number; "≥ 95" or "80–90" stays text."""
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        text = value.strip().replace(",", ".")
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() and "." not in text else number
    return value


def _csv_value(value: Any) -> Any:
    if type(value) is bool:
        return "да" if value else "нет"
    if type(value) is Link:
        return value.target + (f"#{value.location}" if value.location else "")
    if type(value) is str:
        # the usual CSV-injection guard: text a spreadsheet would run gets an apostrophe,
        # control characters go (io.textguard)
        return csv_text(value)
    return value


class Table:
    """One output table written to a workbook sheet and a CSV file as rows arrive."""

    def __init__(
        self,
        wb: TableWorkbook,
        outdir: Path,
        sheet: str,
        name: str,
        headers: list[str],
        formats: list[str] | None = None,
    ) -> None:
        self.sheet: TableSheet = wb.add_sheet(sheet, headers, formats)
        # issue 20: written to a temporary file, renamed by commit() once the run's outputs
        # are all made; a killed or failed run leaves the previous CSV, never a 0-byte one
        self.path = outdir / f"{name}.csv"
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}{TMP_MARK}", suffix=".csv", dir=outdir)
        except OSError as exc:
            raise output_error(exc, self.path) from None
        self.tmp = Path(tmp)
        self.fh = open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.csv = csv.writer(self.fh, delimiter=";")
        self.csv.writerow(headers)

    def add(self, row: list[Any]) -> None:
        row = [json.dumps(v, ensure_ascii=False) if type(v) in _NESTED else v for v in row]
        self.sheet.append(row)
        self.csv.writerow(
            [
                v
                if (t := type(v)) is not str and t is not bool and t is not Link
                else (csv_text(v) if t is str else _csv_value(v))
                for v in row
            ]
        )

    def commit(self) -> None:
        """Close the CSV and put it in its place."""
        try:
            self.fh.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            raise output_error(exc, self.path) from None

    def close(self) -> None:
        """Close; a CSV not committed is removed (the previous run's stays)."""
        with contextlib.suppress(OSError):  # a full disk fails the last flush too
            if not self.fh.closed:
                self.fh.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink(missing_ok=True)


def _records(store: Store, summaries: list[Submission]) -> Iterator[tuple[Submission, Record]]:
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
                    yield s, replace(record, file=s.file)
                    break


_HEAD = ("Муниципальное образование", "Программа", "Файл")
_HEAD_F = ("text", "text", "text")
# sheet of the consolidated workbook, CSV name, headers, formats
RANKING = (
    "Рейтинг",
    "ranking",
    (
        "Место",
        "Оценка",
        "Эффективность",
        "Муниципальное образование",
        "ОКТМО",
        "Программа",
        "Оценка по методике программы",
        "Эффективность по методике программы",
        "Методика программы",
        "Ошибок",
        "Отметка",
        "Файл",
    ),
    (
        "int",
        "percent",
        "text",
        "text",
        "text",
        "text",
        "percent",
        "text",
        "text",
        "int",
        "text",
        "text",
    ),
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
    ("text", "text", "text", "date", "text", "date", "text"),
)
TOTALS = (
    "Итоги по региону",
    "region_totals",
    (
        "Муниципальное образование",
        "ОКТМО",
        "Программ",
        "Финансирование: план",
        "Финансирование: факт",
        "Уи",
        "Средняя оценка",
        "На доработку",
    ),
    ("text", "text", "int", "money", "money", "percent", "percent", "int"),
)
RETURNS = (
    "На доработку",
    "returns",
    (
        "Муниципальное образование",
        "ОКТМО",
        "Программа",
        "Файл",
        "Состояние",
        "Ошибок",
        "Причины",
        "Копия",
        "Письмо",
    ),
    ("text", "text", "text", "text", "text", "int", "text", "link", "link"),
)
CHANGES = (
    "Изменения принятых",
    "changes",
    (
        "Муниципальное образование",
        "Программа",
        "Принятая редакция",
        "Новая редакция",
        "Лист",
        "Ячейка",
        "Было",
        "Стало",
    ),
    ("text",) * 8,
)
INDICATORS = (
    "Показатели",
    "indicators",
    (*_HEAD, "Код", "Показатель", "Ед. изм.", "План", "Факт", "Ci", "Достигнут", "Ячейка"),
    (*_HEAD_F, "text", "text", "text", "text", "text", "percent", "bool", "link"),
)
ACTIVITIES = (
    "Мероприятия",
    "activities",
    (*_HEAD, "№", "Мероприятие", "Статус", "Выполнено", "Не в срок"),
    (*_HEAD_F, "text", "text", "text", "bool", "bool"),
)
FUNDING = (
    "Финансирование",
    "funding",
    (*_HEAD, "Источник", "План", "Факт", "Исполнение"),
    (*_HEAD_F, "text", "money", "money", "percent"),
)
FINDINGS = (
    "Замечания",
    "findings",
    (*_HEAD, "Код", "Серьёзность", "Лист", "Ячейка", "Сообщение"),
    (*_HEAD_F, "text", "text", "text", "link", "text"),
)


class _Paths:
    """Paths as the consolidated workbook's links give them: relative to its folder."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = os.path.abspath(outdir)
        self.cache: dict[str, str] = {}

    def __call__(self, file: str) -> str:
        found = self.cache.get(file)
        if found is None:
            try:
                found = os.path.relpath(os.path.abspath(file), self.outdir)
            except ValueError:  # another drive (Windows)
                found = os.path.abspath(file)
            self.cache[file] = found
        return found


def _cell_link(text: str | None, target: str, sheet: str | None, cell: str | None) -> Any:
    """«Показатели!X5» opening that cell of ``target``; the plain text when it names none."""
    if not text:
        return None
    if not sheet or not cell or not re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+", cell):
        return text
    return Link(text, target, "'" + sheet.replace("'", "''") + "'!" + cell.replace("$", ""))


def write_outputs(
    result: BatchResult,
    store: Store,
    settings: Settings | None = None,
    back: Returns | None = None,
    *,
    today: dt.date | None = None,
) -> None:
    """The consolidated workbook, the CSV tables, the note and summary.json. The note and
    the return letters are rendered in a second process while the tables are written from
    the stored records."""
    outdir: Path = result.outdir
    settings = settings or Settings()
    returns = back.rows if back is not None else []
    wb = TableWorkbook()
    tables: list[Table] = []
    paths = _Paths(outdir)

    def table(sheet: str, name: str, headers: tuple[str, ...], formats: tuple[str, ...]) -> Table:
        tables.append(Table(wb, outdir, sheet, name, list(headers), list(formats)))
        return tables[-1]

    try:
        letters_due = back is not None and back.template is not None and back.letters > 0
        # the note and the letters, each in a process of its own, beside the tables
        with ProcessPoolExecutor(
            max_workers=2 if letters_due else 1, mp_context=output_context()
        ) as pool:
            note = pool.submit(
                render_note,
                _note_context(result, store, settings, returns, today),
                outdir / "Сводная аналитическая записка.docx",
            )
            letters = (
                pool.submit(render_letters, back.template, back.spool)
                if letters_due and back is not None and back.template and back.spool
                else None
            )
            subs = table(
                "Сводка",
                "submissions",
                tuple(h for h, _k, _f in SUBMISSION_COLUMNS),
                tuple(f for _h, _k, f in SUBMISSION_COLUMNS),
            )
            getters = [
                (lambda s, k=k: getattr(s, k)) if isinstance(k, str) else k
                for _h, k, _f in SUBMISSION_COLUMNS
            ]
            for s in result.submissions:
                row = [get(s) for get in getters]
                row[-2] = Link(Path(s.returned).name, s.returned) if s.returned else None
                row[-1] = Link(Path(s.letter).name, s.letter) if s.letter else None
                subs.add(row)
            _totals(table(*TOTALS), result, settings)
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
                        r["own_value"],
                        r["own_rating"],
                        r["method"],
                        r["errors"],
                        r["mark"],
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
            returned = table(*RETURNS)
            for r in returns:
                returned.add(
                    [
                        r["municipality"],
                        r["oktmo"],
                        r["program"],
                        r["file"],
                        r["state"],
                        r["errors"],
                        r["reasons"],
                        Link(Path(r["copy"]).name, r["copy"]) if r["copy"] else None,
                        Link(Path(r["letter"]).name, r["letter"]) if r["letter"] else None,
                    ]
                )
            changed = table(*CHANGES)
            for ch in result.changes:
                changed.add(
                    [
                        ch.municipality,
                        ch.program,
                        ch.accepted,
                        ch.file,
                        ch.sheet,
                        ch.cell,
                        ch.old,
                        ch.new,
                    ]
                )
            long = (table(*INDICATORS), table(*ACTIVITIES), table(*FUNDING), table(*FINDINGS))
            for s, record in _records(store, result.submissions):
                _add_record(s, record, paths, *long)
            note.result()  # first: a failure (a full disk) leaves the previous outputs
            if letters is not None:
                letters.result()
            with atomic_write(outdir / "Сводная таблица.xlsx") as tmp:
                wb.save(tmp)
            _write_summary(result, returns, outdir / "summary.json")
            for t in tables:
                t.commit()
    finally:
        for t in tables:
            t.close()
        wb.discard()


def _totals(totals: Table, result: BatchResult, settings: Settings) -> None:
    """«Итоги по региону»: by municipality (programs, funding, Уи, the average figure,
    returns), the region's total, then the rating distribution; charts of both."""
    counted = current(result.submissions)
    groups: dict[str, list[Submission]] = {}
    for s in counted:
        groups.setdefault(s.oktmo or s.municipality or "", []).append(s)
    returned = Counter(
        (s.oktmo or s.municipality or "")
        for s in result.submissions
        if s.state == STATE_RETURNED and not s.superseded_by
    )

    def line(name: Any, oktmo: Any, items: list[Submission], back: int) -> list[Any]:
        plan = sum(s.funding_plan or 0 for s in items)
        actual = sum(s.funding_actual or 0 for s in items)
        values = [v for s in items if (v := _rank_value(s)) is not None]
        return [
            name,
            oktmo,
            len(items),
            plan,
            actual,
            actual / plan if plan else None,
            sum(values) / len(values) if values else None,
            back,
        ]

    for key in sorted(groups, key=lambda k: (groups[k][0].municipality or "", k)):
        items = groups[key]
        totals.add(line(items[0].municipality, items[0].oktmo, items, returned[key]))
    first, last = 2, totals.sheet.rows
    totals.add(line("Итого по региону", None, counted, sum(returned.values())))
    totals.add([])
    totals.add(["Уровень эффективности", None, "Программ"])
    band_first = totals.sheet.rows + 1
    for d in distribution([_rank_value(s) for s in counted], settings.region):
        totals.add([d["label"], None, d["count"]])
    band_last = totals.sheet.rows
    if band_last >= band_first:
        totals.sheet.add_chart(
            BarChart(
                "Распределение программ по уровню эффективности",
                1,
                (3,),
                band_first,
                band_last,
                (9, 0, 17, 16),
            )
        )
    if last >= first:
        totals.sheet.add_chart(
            BarChart(
                "Финансирование по муниципальным образованиям, тыс. руб.",
                1,
                (4, 5),
                first,
                last,
                (9, 17, 17, 17 + max(16, min(60, 2 * (last - first + 1)))),
                horizontal=True,
            )
        )


def _rank_value(s: Submission) -> Any:
    return s.region_value if s.region_method is not None else s.rating_value


def _write_summary(result: BatchResult, returns: list[dict[str, Any]], path: Path) -> None:
    """summary.json, written a submission at a time (its text never whole in memory)."""
    head = {
        "generated": dt.datetime.now().isoformat(timespec="seconds"),
        "period": result.period,
        "files": len(result.submissions),
        "processed": result.processed,
        "reused": result.reused,
    }
    tail = {
        "ranking": result.ranking,
        "completeness": result.completeness,
        "returns": returns,
        "changes": [c.__dict__ for c in result.changes],
        "notices": result.notices,
    }
    if result.refined:  # issue 18: written when there are any
        tail["refined"] = result.refined

    # compact: without indent the json module uses its C encoder (several times faster)
    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=str)

    def items(key: str, values: Any) -> None:  # a list an item at a time (the ranking: all)
        fh.write(", " + dumps(key) + ": [")
        for i, value in enumerate(values):
            fh.write((", " if i else "") + dumps(value))
        fh.write("]")

    with atomic_write(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        fh.write(dumps(head)[:-1])
        items("submissions", (s.to_dict() for s in result.submissions))
        for key, value in tail.items():
            if isinstance(value, list):
                items(key, value)
            else:
                fh.write(", " + dumps(key) + ": " + dumps(value))
        fh.write("}")


def _add_record(
    s: Submission,
    record: Record,
    paths: _Paths,
    ind: Table,
    act: Table,
    fund: Table,
    find: Table,
) -> None:
    head = [record.municipality, record.program, record.file]
    source = paths(record.file)
    for r in record.indicators:
        sheet, _, cell = (r.cell or "").partition("!")
        ind.add(
            [
                *head,
                r.code,
                r.name,
                r.unit,
                _number_or_text(r.plan),
                r.fact,
                r.ci,
                r.achieved,
                _cell_link(r.cell, source, sheet, cell),
            ]
        )
    for a in record.activities:
        act.add([*head, a.number, a.name, a.status, a.done, a.overdue])
    for g in record.funding:
        fund.add([*head, g.label, g.plan, g.actual, g.execution])
    target = s.returned or source
    for f in record.findings:
        find.add(
            [
                *head,
                f.code,
                f.severity,
                f.sheet,
                _cell_link(f.cell, target, f.sheet, f.cell),
                f.message,
            ]
        )


def _note_context(
    result: BatchResult,
    store: Store,
    settings: Settings,
    returns: list[dict[str, Any]],
    today: dt.date | None,
) -> dict[str, Any]:
    """The note's context; ``region_context`` takes the submissions as plain dicts."""
    submissions = current(result.submissions)
    keys = {(s.oktmo, s.program) for s in submissions}
    trends = {key: trend(history) for key, history in store.ratings(keys).items()}
    in_period = [s for s in result.submissions if s.state != STATE_OTHER_PERIOD]
    statuses = Counter(s.status for s in in_period)
    counts = {
        "files": len(result.submissions),
        "accepted": statuses[STATUS_OK],
        "with_errors": statuses[STATUS_ERRORS],
        "unreadable": statuses[STATUS_UNREADABLE],
    }
    by_file: dict[str, list[Any]] = {}
    for c in result.changes:
        by_file.setdefault(c.file, []).append(c)
    changes = [
        {
            "municipality": s.municipality or "",
            "program": s.program or "",
            "accepted": Path(s.change_of or "").name,
            "file": Path(s.file).name,
            "cells": s.changed_cells or 0,
            "state": s.state or "",
            "summary": _changes_text(by_file.get(s.file, [])),
        }
        for s in result.submissions
        if s.change_of and s.state in (STATE_CHANGE, STATE_RETURNED, "принят")
    ]
    context = region_context(
        ({**s.to_dict(), "region_value": _rank_value(s)} for s in submissions),  # one at a time
        counts,
        result.ranking,
        result.completeness,
        today=today,
        trends=trends,
        period=result.period,
        region=settings.region,
        returns=returns,
        unreadable=[
            {"file": s.file, "reason": s.reason}
            for s in result.submissions
            if s.status == STATUS_UNREADABLE
        ],
        other_period=[
            {
                "file": s.file,
                "municipality": s.municipality,
                "program": s.program,
                "period": s.period,
            }
            for s in result.submissions
            if s.state == STATE_OTHER_PERIOD
        ],
        changes=changes,
        refined=[r for r in result.refined if r["changed"]],  # issue 18
    )
    return context


def _changes_text(found: list[Any], limit: int = 5) -> str:
    from sheetprog.fmt import display

    parts = [f"{c.sheet}!{c.cell}: «{display(c.old)}» → «{display(c.new)}»" for c in found]
    more = f"; и ещё {len(parts) - limit}" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def render_note(context: dict[str, Any], out: Path) -> None:
    """«Сводная аналитическая записка.docx» from templates/region-summary.docx, with the
    chart of the rating distribution."""
    from sheetprog.reports.region_chart import distribution_chart
    from sheetprog.reports.render import render_docx
    from sheetprog.reports.template_files import default_template

    context = dict(context)
    context["chart"] = distribution_chart(context.get("distribution") or [])
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
