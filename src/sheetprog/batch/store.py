"""The batch's history: one row per processed file content, committed as it is done.

SQLite in OUTDIR by default. A file whose content (SHA-256) was processed before is not
processed again; a run killed at any moment resumes from what was committed, and the
primary key keeps duplicates out. Every period stays, so trends can be shown.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sheetprog.errors import UsageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    hash TEXT NOT NULL,
    period_key TEXT NOT NULL,
    file TEXT NOT NULL,
    mtime REAL NOT NULL,
    status TEXT NOT NULL,
    oktmo TEXT,
    municipality TEXT,
    program TEXT,
    period TEXT,
    record TEXT NOT NULL,
    PRIMARY KEY (hash, period_key)
)
"""


class Store:
    def __init__(self, url: str) -> None:
        if not url.startswith("sqlite:///"):
            raise UsageError(
                f"Хранилище «{url}» не поддерживается: укажите sqlite:///путь/к/файлу.db "
                "(PostgreSQL пока не реализован)."
            )
        self.path = Path(url.removeprefix("sqlite:///"))
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(SCHEMA)
        self.db.commit()

    def get(self, file_hash: str, period_key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT record FROM submissions WHERE hash=? AND period_key=?",
                              (file_hash, period_key)).fetchone()  # fmt: skip
        return json.loads(row[0]) if row else None

    def put(self, record: dict[str, Any], period_key: str) -> None:
        with self.db:  # one transaction per file: a killed run loses at most the file in hand
            self.db.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?)",
                (record["hash"], period_key, record["file"], record["mtime"], record["status"],
                 record.get("oktmo"), record.get("municipality"), record.get("program"),
                 record.get("period"), json.dumps(record, ensure_ascii=False)),
            )  # fmt: skip

    def history(self, oktmo: str | None, program: str | None) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT record FROM submissions WHERE oktmo IS ? AND program IS ? ORDER BY period",
            (oktmo, program),
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])

    def close(self) -> None:
        self.db.close()
