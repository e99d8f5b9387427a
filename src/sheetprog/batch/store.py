"""The batch's history: one row per processed file content, committed as it is done.

SQLite in OUTDIR by default, or any SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://``,
extra ``sheetprog[postgres]``). A file whose content (SHA-256) was processed before is not
processed again; a run killed at any moment resumes from what was committed, and the
primary key keeps duplicates out. Every period stays, so trends can be shown.

Beside the processed contents (``submissions``) the store keeps when each content was
first received (``receipts``: the first time the store saw it, or the date of a receipts
list) and the review status of each content for a period (``statuses``, the current one
with its date, and ``status_history``, every change). Tables are created when missing, so
a store of an earlier version gains them on its first run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from sheetprog.batch.records import (
    RECEIVED_LIST,
    RECEIVED_STORE,
    Packed,
    Record,
    StatusRow,
    shared,
)
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
RECEIPTS = sa.Table(
    "receipts",
    METADATA,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("received", sa.Float, nullable=False),  # a timestamp
    sa.Column("source", sa.Text, nullable=False),  # RECEIVED_STORE or RECEIVED_LIST
    sa.Column("file", sa.Text, nullable=False),  # the file it was first seen as
)
_STATUS_COLUMNS = (
    ("file", sa.Text, False),
    ("oktmo", sa.Text, True),
    ("municipality", sa.Text, True),
    ("program", sa.Text, True),
    ("program_code", sa.Text, True),
    ("identity", sa.Text, True),  # the program: normalised OKTMO or name | code or name
    ("detail", sa.Text, True),  # what the analyst reads with it (reasons, the change)
)
STATUSES = sa.Table(
    "statuses",
    METADATA,
    sa.Column("period", sa.String(32), primary_key=True),
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("since", sa.Float, nullable=False),  # a timestamp
    *(sa.Column(name, kind, nullable=null) for name, kind, null in _STATUS_COLUMNS),
)
STATUS_HISTORY = sa.Table(
    "status_history",
    METADATA,
    sa.Column("period", sa.String(32), primary_key=True),
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("status", sa.Text, primary_key=True),
    sa.Column("since", sa.Float, primary_key=True),
    *(sa.Column(name, kind, nullable=null) for name, kind, null in _STATUS_COLUMNS),
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


def _row(item: Packed, period_key: str) -> dict[str, Any]:
    """The stored row of a packed record (its JSON made where it was packed)."""
    fields = item.summary
    return {
        "hash": fields.hash,
        "period_key": period_key,
        "file": fields.file,
        "mtime": fields.mtime,
        "status": fields.status,
        "oktmo": fields.oktmo,
        "municipality": fields.municipality,
        "program": fields.program,
        "period": fields.period,
        "record": item.stored,
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
            if isinstance(self.path, Path):  # a local SQLite file: the folder, not a password
                from sheetprog.errors import OutputWriteError

                raise OutputWriteError(
                    f"Не удалось открыть хранилище «{self.path}»: {reason}. Проверьте, что "
                    f"папка «{self.path.parent}» доступна для записи и на диске есть место, "
                    "или укажите другое хранилище (--db).",
                    path=str(self.path),
                ) from None
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

    def put_many(self, records: list[Packed], period_key: str) -> None:
        """Store records in one transaction: a run killed before the commit loses only
        these files' work, which the next run redoes; none is stored twice."""
        if not records:
            return
        rows = {row["hash"]: row for row in (_row(r, period_key) for r in records)}
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

    # -- receipts ------------------------------------------------------------------------

    def receipts(self, seen: dict[str, str], now: float) -> dict[str, tuple[float, str]]:
        """(receipt timestamp, source) of these contents (hash → the file seen now); those
        the store has not seen before are received ``now`` and recorded in one transaction
        (a concurrent run's record of the same content wins)."""
        found: dict[str, tuple[float, str]] = {}
        hashes = sorted(seen)
        with self.engine.begin() as conn:
            for start in range(0, len(hashes), 500):
                query = sa.select(RECEIPTS.c.hash, RECEIPTS.c.received, RECEIPTS.c.source).where(
                    RECEIPTS.c.hash.in_(hashes[start : start + 500])
                )
                found.update((h, (r, src)) for h, r, src in conn.execute(query))
            new = [
                {"hash": h, "received": now, "source": RECEIVED_STORE, "file": seen[h]}
                for h in hashes
                if h not in found
            ]
            if new:
                conn.execute(_insert_ignore(conn, RECEIPTS), new)
                found.update((str(row["hash"]), (now, RECEIVED_STORE)) for row in new)
        return found

    def receipt_times(self, hashes: list[str]) -> dict[str, float]:
        """The receipts of these contents (hash → timestamp), where the store has them."""
        found: dict[str, float] = {}
        unique = sorted(set(hashes))
        with self.engine.connect() as conn:
            for start in range(0, len(unique), 500):
                query = sa.select(RECEIPTS.c.hash, RECEIPTS.c.received).where(
                    RECEIPTS.c.hash.in_(unique[start : start + 500])
                )
                found.update((h, r) for h, r in conn.execute(query))
        return found

    def set_receipts(self, dates: dict[str, tuple[float, str]]) -> None:
        """Receipts from a receipts list (hash → (timestamp, file)): they replace the first
        time seen."""
        if not dates:
            return
        with self.engine.begin() as conn:
            conn.execute(sa.delete(RECEIPTS).where(RECEIPTS.c.hash.in_(list(dates))))
            conn.execute(
                sa.insert(RECEIPTS),
                [
                    {"hash": h, "received": when, "source": RECEIVED_LIST, "file": file}
                    for h, (when, file) in dates.items()
                ],
            )

    # -- review statuses -----------------------------------------------------------------

    def statuses(self, period: str | None = None) -> list[StatusRow]:
        """The current statuses of a period (of every period when None)."""
        query = sa.select(STATUSES)
        if period is not None:
            query = query.where(STATUSES.c.period == period)
        with self.engine.connect() as conn:
            return [shared(StatusRow(**row._asdict())) for row in conn.execute(query)]

    def history(self, period: str) -> list[StatusRow]:
        """Every status each content of the period has had, oldest first."""
        query = (
            sa.select(STATUS_HISTORY)
            .where(STATUS_HISTORY.c.period == period)
            .order_by(STATUS_HISTORY.c.since)
        )
        with self.engine.connect() as conn:
            return [StatusRow(**row._asdict()) for row in conn.execute(query)]

    def periods(self) -> list[str]:
        """The periods that have statuses."""
        with self.engine.connect() as conn:
            query = sa.select(STATUSES.c.period).distinct()
            return sorted(p for (p,) in conn.execute(query))

    def put_statuses(self, rows: list[StatusRow]) -> None:
        """New statuses, in one transaction: each replaces its content's current status for
        the period and is added to the history. A run killed before the commit changes
        nothing; the next run decides the same statuses again."""
        if not rows:
            return
        values = [row.to_dict() for row in rows]
        with self.engine.begin() as conn:
            for period in sorted({row.period for row in rows}):
                hashes = [row.hash for row in rows if row.period == period]
                for start in range(0, len(hashes), 500):
                    conn.execute(
                        sa.delete(STATUSES).where(
                            STATUSES.c.period == period,
                            STATUSES.c.hash.in_(hashes[start : start + 500]),
                        )
                    )
            conn.execute(sa.insert(STATUSES), values)
            conn.execute(_insert_ignore(conn, STATUS_HISTORY), values)

    def close(self) -> None:
        self.engine.dispose()


def _insert_ignore(conn: sa.Connection, table: sa.Table) -> Any:
    """INSERT that skips rows whose primary key is there already (SQLite, PostgreSQL)."""
    name = conn.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    return sa.insert(table)
