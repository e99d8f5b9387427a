"""``sheetprog status``: a period's review statuses from the store, per municipality.

Each content of the period with its status and the date it was given, its receipt and
file, and every status it had before (``--json``); files that could not be read are
listed by name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from sheetprog.batch.records import STATE_REPLACED, STATE_UNREAD, STATES
from sheetprog.batch.review import period_key
from sheetprog.batch.store import Store
from sheetprog.errors import UsageError
from sheetprog.periods import parse_period
from sheetprog.reports.region import period_label


def _day(timestamp: float | None) -> str | None:
    return dt.datetime.fromtimestamp(timestamp).date().isoformat() if timestamp else None


def store_url(folder: Path | None, db: str | None) -> str:
    """The store a status is read from: --db, else the run's folder's SQLite file."""
    if db:
        return db
    path = (folder or Path(".")) / "sheetprog-batch.db"
    if not path.is_file():
        raise UsageError(
            f"Хранилище «{path}» не найдено: укажите папку результатов sheetprog batch или --db."
        )
    return f"sqlite:///{path}"


def period_statuses(url: str, period: str | None = None) -> dict[str, Any]:
    """The statuses of ``period`` (default: the latest with statuses) as plain data: the
    period, its label, the counts, and the municipalities with their programs."""
    store = Store(url)
    try:
        periods = store.periods()
        if period:
            key = period_key(period)
        elif periods:
            key = max(periods, key=parse_period)
        else:
            key = None
        rows = store.statuses(key) if key is not None else []
        history = store.history(key) if key is not None else []
        receipts = store.receipt_times([row.hash for row in rows])
    finally:
        store.close()
    before: dict[str, list[dict[str, Any]]] = {}
    for h in history:
        before.setdefault(h.hash, []).append({"status": h.status, "since": _day(h.since)})
    order = {status: i for i, status in enumerate(STATES)}
    rows.sort(
        key=lambda r: (
            r.municipality or "",
            r.program or "",
            r.status == STATE_REPLACED,
            -r.since,
            r.file,
        )
    )
    municipalities: dict[str, dict[str, Any]] = {}
    unread = []
    for row in rows:
        item = {
            "program": row.program,
            "program_code": row.program_code,
            "file": row.file,
            "hash": row.hash,
            "status": row.status,
            "since": _day(row.since),
            "received": _day(receipts.get(row.hash)),
            "detail": row.detail,
            "history": before.get(row.hash, []),
        }
        if row.status == STATE_UNREAD:
            unread.append(item)
            continue
        who = municipalities.setdefault(
            row.oktmo or row.municipality or "",
            {"municipality": row.municipality, "oktmo": row.oktmo, "programs": []},
        )
        who["programs"].append(item)
    counts = Counter(row.status for row in rows)
    return {
        "period": key,
        "label": period_label(key),
        "periods": periods,
        "counts": {s: counts[s] for s in sorted(counts, key=lambda s: order.get(s, 99))},
        "municipalities": list(municipalities.values()),
        "unreadable": unread,
    }


def _date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "—"


def status_text(data: dict[str, Any]) -> str:
    if data["period"] is None:
        return "В хранилище нет статусов: сначала выполните sheetprog batch."
    if not data["municipalities"] and not data["unreadable"]:
        return f"За {data['label']} статусов в хранилище нет."
    lines = [f"Статусы отчётов за {data['label']}"]
    if len(data["periods"]) > 1:
        lines[0] += (
            f" (в хранилище также: {', '.join(p for p in data['periods'] if p != data['period'])})"
        )
    for who in data["municipalities"]:
        name = who["municipality"] or "Муниципальное образование не указано"
        lines += ["", name + (f" (ОКТМО {who['oktmo']})" if who["oktmo"] else "")]
        for p in who["programs"]:
            lines.append(
                f"  {p['program'] or '—'}: {p['status']} с {_date(p['since'])} (поступил "
                f"{_date(p['received'])}, файл «{Path(p['file']).name}»)"
                + (f" — {p['detail']}" if p["detail"] else "")
            )
    if data["unreadable"]:
        lines += ["", "Не прочитаны:"]
        for u in data["unreadable"]:
            lines.append(f"  «{u['file']}» с {_date(u['since'])}: {u['detail'] or ''}".rstrip(": "))
    lines += ["", "Итого: " + ", ".join(f"{s} — {n}" for s, n in data["counts"].items()) + "."]
    return "\n".join(lines)
