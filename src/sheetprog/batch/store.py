"""The batch's history: one row per processed file content, committed as it is done.

SQLite in OUTDIR by default, or any SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://``,
extra ``sheetprog[postgres]``). A file whose content (SHA-256) was processed before is not
processed again; a run killed at any moment resumes from what was committed, and the
primary key keeps duplicates out. Every period stays, so trends can be shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from sheetprog.batch.records import Record
from sheetprog.errors import UsageError

METADATA = sa.MetaData()
SUBMISSIONS = sa.Table(
    "submissions",
    METADATA,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("period_key", sa.String(32), primary_key=True),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("mtime", sa.Float, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("oktmo", sa.Text),
    sa.Column("municipality", sa.Text),
    sa.Column("program", sa.Text),
    sa.Column("period", sa.Text),
    sa.Column("record", sa.Text, nullable=False),
)


def _masked(url: str) -> str:
    """The URL as shown to the user: never the password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _engine(url: str) -> sa.Engine:
    try:
        engine = sa.create_engine(url)
    except (ArgumentError, NoSuchModuleError):
        raise UsageError(
            f"Хранилище «{_masked(url)}» не поддерживается: укажите sqlite:///путь/к/файлу.db или "
            "postgresql+psycopg://пользователь:пароль@сервер/база."
        ) from None
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"Для хранилища «{_masked(url)}» нет драйвера ({exc.name}): установите "
            "pip install 'sheetprog[postgres]'."
        ) from None
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _wal(dbapi_connection: Any, _record: Any) -> None:
            # WAL with synchronous=NORMAL: a killed process loses nothing committed
            # (only a power cut may drop the last commits, which a re-run redoes)
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


def _row(record: Record, period_key: str) -> dict[str, Any]:
    return {
        "hash": record.hash,
        "period_key": period_key,
        "file": record.file,
        "mtime": record.mtime,
        "status": record.status,
        "oktmo": record.oktmo,
        "municipality": record.municipality,
        "program": record.program,
        "period": record.period,
        "record": json.dumps(record.to_dict(), ensure_ascii=False),
    }


class Store:
    def __init__(self, url: str) -> None:
        self.engine = _engine(url)
        shown = self.engine.url.render_as_string(hide_password=True)
        database = self.engine.url.database
        self.path: Path | str = (
            Path(database) if self.engine.dialect.name == "sqlite" and database else shown
        )
        try:
            METADATA.create_all(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise UsageError(
                f"Не удалось открыть хранилище «{shown}»: {reason}. Проверьте адрес, имя "
                "базы, пользователя и пароль и что сервер запущен."
            ) from None

    def get_many(self, hashes: list[str], period_key: str) -> dict[str, Record]:
        """The stored records of these contents for the period, by hash (one query a chunk)."""
        found: dict[str, Record] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(hashes), 500):
                query = sa.select(SUBMISSIONS.c.hash, SUBMISSIONS.c.record).where(
                    SUBMISSIONS.c.period_key == period_key,
                    SUBMISSIONS.c.hash.in_(hashes[start : start + 500]),
                )
                found.update((h, Record.from_dict(json.loads(r))) for h, r in conn.execute(query))
        return found

    def put_many(self, records: list[Record], period_key: str) -> None:
        """Store records in one transaction: a run killed before the commit loses only
        these files' work, which the next run redoes; none is stored twice."""
        if not records:
            return
        rows = {r.hash: _row(r, period_key) for r in records}
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(SUBMISSIONS).where(
                    SUBMISSIONS.c.period_key == period_key, SUBMISSIONS.c.hash.in_(list(rows))
                )
            )
            conn.execute(sa.insert(SUBMISSIONS), list(rows.values()))

    def ratings(
        self, keys: set[tuple[str | None, str | None]]
    ) -> dict[tuple[str | None, str | None], list[dict[str, Any]]]:
        """Every stored period's (period, mtime, rating_value) of these (OKTMO, program) pairs,
        oldest period first: one pass over the table, whatever the number of programs. Plain
        dicts: the rating is read from the stored JSON without building the records."""
        found: dict[tuple[str | None, str | None], list[dict[str, Any]]] = {}
        query = sa.select(
            SUBMISSIONS.c.oktmo,
            SUBMISSIONS.c.program,
            SUBMISSIONS.c.period,
            SUBMISSIONS.c.mtime,
            SUBMISSIONS.c.record,
        ).order_by(SUBMISSIONS.c.period, SUBMISSIONS.c.mtime)
        with self.engine.connect() as conn:
            for oktmo, program, period, mtime, record in conn.execution_options(
                yield_per=500
            ).execute(query):
                if (oktmo, program) in keys:
                    rating = json.loads(record).get("rating_value")
                    found.setdefault((oktmo, program), []).append(
                        {"period": period, "mtime": mtime, "rating_value": rating}
                    )
        return found

    def close(self) -> None:
        self.engine.dispose()
