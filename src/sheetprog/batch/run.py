"""sheetprog batch: intake, parallel processing with resume, duplicates, completeness, ranking."""

from __future__ import annotations

import csv
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sheetprog.batch.process import SUFFIXES, file_hash, process_file, process_files
from sheetprog.batch.records import (
    STATUS_UNREADABLE,
    BatchResult,
    Record,
    Submission,
    current,
    unopenable,
)
from sheetprog.batch.store import Store
from sheetprog.errors import UsageError
from sheetprog.settings import load_settings
from sheetprog.values import clean_text, normalize_text, to_date


def find_files(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        raise UsageError(f"Папка «{inbox}» не найдена.")
    return sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not p.name.startswith(("~$", ".~lock", "."))
    )


def run_batch(
    inbox: Path,
    outdir: Path,
    *,
    period: str | None = None,
    expected: Path | None = None,
    config: Path | None = None,
    jobs: int | None = None,
    db: str | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    outdir.mkdir(parents=True, exist_ok=True)
    files = find_files(inbox)
    store = Store(db or f"sqlite:///{outdir / 'sheetprog-batch.db'}")
    try:
        summaries, done, reused = _process(
            files,
            store,
            period or "",
            config=config,
            jobs=jobs,
            scheduler=scheduler,
            progress=progress,
        )
        _mark_duplicates(summaries)
        summaries.sort(key=lambda s: (s.municipality or "", s.program or "", -s.mtime, s.file))
        result = BatchResult(outdir, summaries, done, reused, db=str(store.path))
        result.ranking = ranking(summaries)
        result.completeness = completeness(summaries, expected) if expected else []
        from sheetprog.batch.outputs import write_outputs

        write_outputs(result, store)
    finally:
        store.close()
    return result


GROUP = 256  # files hashed and looked up in the store at a time


def _process(
    files: list[Path],
    store: Store,
    key: str,
    *,
    config: Path | None,
    jobs: int | None,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[Submission], int, int]:
    """Summaries of every file (from the store when its content is known), the number
    processed now and the number reused. Files are hashed and looked up a group at a time
    and the group's new files handed to the workers at once, so the workers start while
    the rest is being hashed. Results are committed in small groups."""
    summaries: list[Submission] = []

    def new_files(group: list[Path]) -> list[tuple[str, str]]:
        """(path, content hash) of the files not in the store; the others' summaries."""
        hashes: dict[Path, tuple[str, float]] = {}
        for path in group:
            try:
                hashes[path] = file_hash(path), os.path.getmtime(path)
            except OSError as exc:  # locked, vanished, no permission: a row with the reason
                summaries.append(unopenable(path, exc).summary())
        stored = store.get_many(sorted({h for h, _m in hashes.values()}), key)
        todo = []
        for path, (digest, mtime) in hashes.items():
            cached = stored.get(digest)
            if cached is None:
                todo.append((str(path), digest))
            else:  # the same content, under another name maybe
                summaries.append(replace(cached, file=str(path), mtime=mtime).summary())
        return todo

    period = key or None
    settings = load_settings(None, config)  # once for the run: --config or the run's folder
    done = total = 0
    pending: list[Record] = []
    flushed = time.monotonic()

    def finished(record: Record) -> None:
        nonlocal done, flushed
        if record.hash is not None:  # a file that could not be opened is tried next time
            pending.append(record)
        summaries.append(record.summary())
        done += 1
        # commit in small groups (≤ 1 s of work): a killed run redoes at most that much
        if done == total or len(pending) >= 100 or time.monotonic() - flushed > 1.0:
            store.put_many(pending, key)
            pending.clear()
            flushed = time.monotonic()
        if progress:
            progress(done, total)

    workers = jobs or os.cpu_count() or 1
    if scheduler is None and (workers == 1 or len(files) == 1):
        todo = new_files(files)
        total = len(todo)
        for name, digest in todo:
            finished(process_file(name, period, settings, digest))
    else:
        with ExitStack() as stack:
            pool: Executor | None = None
            futures: list[Future[list[Record]]] = []
            for start in range(0, len(files), GROUP):
                todo = new_files(files[start : start + GROUP])
                if not todo:
                    continue
                if pool is None:  # the pool (or cluster) only when there is work
                    pool = stack.enter_context(_executor(scheduler, workers))
                total += len(todo)
                futures += [
                    pool.submit(process_files, chunk, period, settings)
                    for chunk in _chunks(todo, workers)
                ]
            for future in as_completed(futures):
                for record in future.result():
                    finished(record)
    return summaries, done, len(files) - total


def _chunks(todo: list[tuple[str, str]], workers: int) -> list[list[tuple[str, str]]]:
    """Tasks of a few files each: fewer round trips to the workers, yet at least ~8 tasks
    per worker so the load stays even and the progress bar moves."""
    size = max(1, min(8, len(todo) // (workers * 8)))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


@contextmanager
def _executor(scheduler: str | None, workers: int) -> Iterator[Executor]:
    """Local process pool, or a Dask cluster's workers behind the same futures interface.

    On a cluster each worker opens the files itself: the inbox must be on storage the
    workers see under the same path (a network share), and sheetprog must be installed there.
    """
    if scheduler is None:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "Для --scheduler нужен Dask: установите pip install 'sheetprog[dask]'."
        ) from None
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"Не удалось подключиться к планировщику Dask «{scheduler}»: {exc}. "
            "Проверьте адрес (tcp://хост:порт) и что планировщик запущен."
        ) from None
    try:
        with client.get_executor(pure=False) as pool:
            yield pool
    finally:
        client.close()


def _identity(s: Submission) -> tuple[str, str, str]:
    who = normalize_text(s.oktmo or s.municipality or "")
    what = normalize_text(s.program_code or s.program or "")
    return who, what, s.period or ""


def _mark_duplicates(summaries: list[Submission]) -> None:
    """Two submissions of one program for one period: the newest counts."""
    newest: dict[tuple[str, str, str], Submission] = {}
    for s in summaries:
        s.superseded_by = None
        if s.status == STATUS_UNREADABLE:
            continue
        ident = _identity(s)
        best = newest.get(ident)
        if best is None or (s.mtime, s.file) > (best.mtime, best.file):
            newest[ident] = s
    for s in summaries:
        if s.status != STATUS_UNREADABLE and newest[_identity(s)] is not s:
            s.superseded_by = newest[_identity(s)].file


def ranking(summaries: list[Submission]) -> list[dict[str, Any]]:
    """Programs by effectiveness, highest first; equal values share a rank (1, 2, 2, 4).
    The rows are plain dicts: a table written as it is (workbook, CSV, summary.json, note)."""
    rated = sorted(
        (s for s in current(summaries) if s.rating_value is not None),
        key=lambda s: (-(s.rating_value or 0), s.municipality or "", s.program or ""),
    )
    out: list[dict[str, Any]] = []
    for i, s in enumerate(rated):
        rank = out[-1]["rank"] if out and out[-1]["value"] == s.rating_value else i + 1
        out.append(
            {
                "rank": rank,
                "value": s.rating_value,
                "rating": s.rating,
                "municipality": s.municipality,
                "oktmo": s.oktmo,
                "program": s.program,
                "file": s.file,
            }
        )
    return out


def read_expected(path: Path) -> list[dict[str, Any]]:
    """OKTMO, municipality, program code, deadline — from .csv or .xlsx (header row)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.readline()
            fh.seek(0)
            rows = list(csv.reader(fh, delimiter=";" if ";" in sample else ","))
    else:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
        wb.close()
    if not rows:
        raise UsageError(f"Список «{path}» пуст.")
    header = [normalize_text(str(h or "")) for h in rows[0]]

    def column(*names: str) -> int:
        for i, h in enumerate(header):
            if any(h.startswith(n) for n in names):
                return i
        raise UsageError(
            f"В списке «{path}» нет столбца «{names[0]}» (нужны: ОКТМО, "
            "муниципальное образование, код программы, срок)."
        )

    c_oktmo, c_name = column("октмо"), column("муниципальн")
    c_code, c_deadline = column("код программы", "программа"), column("срок")
    out = []
    for row in rows[1:]:
        if not any(row):
            continue
        try:
            deadline = to_date(row[c_deadline])
        except ValueError as exc:
            raise UsageError(f"Список «{path}»: срок «{row[c_deadline]}» не распознан.") from exc
        out.append(
            {
                "oktmo": clean_text(row[c_oktmo]),
                "municipality": clean_text(row[c_name]),
                "program_code": clean_text(row[c_code]),
                "deadline": deadline,
            }
        )
    return out


def completeness(summaries: list[Submission], expected: Path) -> list[dict[str, Any]]:
    """The expected programs with their status. The rows are plain dicts: a table written
    as it is (workbook, CSV, summary.json, note)."""
    submitted = {
        (normalize_text(s.oktmo or ""), normalize_text(s.program_code or "")): s
        for s in current(summaries)
    }
    out = []
    for item in read_expected(expected):
        s = submitted.get(
            (normalize_text(item["oktmo"] or ""), normalize_text(item["program_code"] or ""))
        )
        if s is None:
            status, when = "не представлено", None
        else:
            when = dt.datetime.fromtimestamp(s.mtime).date()
            late = item["deadline"] is not None and when > item["deadline"]
            status = "с опозданием" if late else "в срок"
        out.append({**item, "status": status, "submitted": when, "file": s.file if s else None})
    return out
