"""sheetprog batch: intake, parallel processing with resume, receipts, the period's review
(statuses, returns, changes of accepted reports), completeness, ranking."""

from __future__ import annotations

import csv
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sheetprog.batch.process import SUFFIXES, file_hash, oversized, process_files
from sheetprog.batch.records import (
    RECEIVED_LIST,
    RECEIVED_STORE,
    STATE_ACCEPTED,
    STATUS_UNREADABLE,
    BatchResult,
    CellChange,
    Packed,
    Record,
    StatusRow,
    Submission,
    current,
    shared,
    unopenable,
)
from sheetprog.batch.review import identity, period_key, review, run_period
from sheetprog.batch.store import Store
from sheetprog.errors import SheetprogError, UsageError
from sheetprog.settings import Settings, load_settings
from sheetprog.values import clean_text, normalize_text, to_date


def find_files(inbox: Path, outdir: Path | None = None) -> list[Path]:
    """The workbooks in the inbox; an output folder inside it is left out (the run's own
    outputs and returned copies are not submissions)."""
    if not inbox.is_dir():
        raise UsageError(f"Папка «{inbox}» не найдена.")
    skip = outdir.resolve() if outdir is not None else None
    return sorted(
        (
            p
            for p in inbox.rglob("*")
            if p.is_file()
            and p.suffix.lower() in SUFFIXES
            and not p.name.startswith(("~$", ".~lock", "."))
            and not (skip is not None and p.resolve().is_relative_to(skip))
        ),
        key=path_order,
    )


def path_order(path: Path) -> tuple[str, ...]:
    """The order of ``sorted(paths)`` as a key made once per path (issue 21): Path's own
    comparison is Python code run for each of the N·log N comparisons (≈ 0,3 M at 20 000
    files); tuples of strings compare in C. Parts, case-folded where the file system
    ignores case (Windows), as pathlib compares them."""
    if os.name == "nt":
        return tuple(part.lower() for part in path.parts)
    return path.parts


# -- issue 20: nothing in the inbox configures the run ---------------------------------------


def inbox_notices(inbox: Path, outdir: Path, settings: Settings) -> list[str]:
    """What the analyst should know about the inbox itself: settings files found in it
    (never applied: a submitter must not configure the region's run) and an output folder
    inside it (left out of the submissions)."""
    from sheetprog.settings import CONFIG_NAME

    root = inbox.resolve()
    out = []
    for found in sorted(inbox.rglob(CONFIG_NAME)):
        if settings.path is not None and found.resolve() == settings.path.resolve():
            continue  # given with --config on purpose
        out.append(
            f"Файл настроек «{found}» в папке отчётов не применяется: настройки обработки "
            "берутся только из --config или из папки, откуда запущена команда."
        )
    if outdir.resolve().is_relative_to(root):
        out.append(
            f"Папка результатов «{outdir}» находится внутри папки отчётов «{inbox}»: её файлы "
            "не считаются представленными отчётами. Лучше указать папку вне папки отчётов."
        )
    return out


def run_settings(inbox: Path, config: Path | None) -> Settings:
    """The run's settings: --config, else sheetprog.toml in the folder the command is run
    from — unless that folder is inside the inbox (then its file is a submitter's, ignored)."""
    from sheetprog.settings import CONFIG_NAME

    cwd = Path.cwd()
    if (
        config is None
        and cwd.resolve().is_relative_to(inbox.resolve())
        and (cwd / CONFIG_NAME).is_file()
    ):
        return Settings()
    return load_settings(None, config)


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
    received: Path | None = None,
    exclude_errors: bool | None = None,
    accept_changes: bool = False,
    today: dt.date | None = None,
    retry_unread: bool = False,
) -> BatchResult:
    """Process the inbox and review one period: ``period``, else the latest present.

    ``received``: a receipts list (file; date) whose dates replace the first time the store
    saw a content; ``exclude_errors``: leave workbooks with errors out of the ranking (None:
    as [region] says); ``accept_changes``: take the new editions of accepted reports;
    ``retry_unread``: process again the contents stored as unread (by default a content that
    failed once, even by killing its worker, is not tried again)."""
    from sheetprog.batch.lock import folder_lock
    from sheetprog.io.atomic import output_error

    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, outdir) from None
    with folder_lock(outdir), _output_faults(outdir):  # one run at a time per folder
        return _run_locked(
            inbox,
            outdir,
            period=period,
            expected=expected,
            config=config,
            jobs=jobs,
            db=db,
            scheduler=scheduler,
            progress=progress,
            received=received,
            exclude_errors=exclude_errors,
            accept_changes=accept_changes,
            today=today,
            retry_unread=retry_unread,
        )


@contextmanager
def _output_faults(outdir: Path) -> Iterator[None]:
    """A full disk, a read-only folder or no permission met while the outputs or the local
    store are written: a Russian message naming the path (exit 5), not an internal error."""
    import errno

    from sqlalchemy.exc import OperationalError

    from sheetprog.errors import OutputWriteError
    from sheetprog.io.atomic import output_error

    faults = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}
    try:
        yield
    except OSError as exc:
        if exc.errno not in faults:
            raise
        raise output_error(exc, Path(exc.filename) if exc.filename else outdir) from None
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        if not any(w in reason for w in ("full", "readonly", "read-only", "disk I/O")):
            raise
        raise OutputWriteError(
            f"Не удалось записать хранилище в папке «{outdir}»: {reason}. Освободите место на "
            "диске или проверьте права на запись и повторите: уже обработанные файлы "
            "сохранены и повторно не обрабатываются.",
            path=str(outdir),
        ) from None


def _run_locked(
    inbox: Path,
    outdir: Path,
    *,
    period: str | None,
    expected: Path | None,
    config: Path | None,
    jobs: int | None,
    db: str | None,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    received: Path | None,
    exclude_errors: bool | None,
    accept_changes: bool,
    today: dt.date | None,
    retry_unread: bool,
) -> BatchResult:
    from sheetprog.io.atomic import remove_orphans

    remove_orphans(outdir)  # temporary files of a run killed while writing
    files = find_files(inbox, outdir)
    settings = run_settings(inbox, config)  # once for the run: --config or the run's folder
    if exclude_errors is not None:
        settings = replace(settings, region=replace(settings.region, exclude_errors=exclude_errors))
    listed = read_receipts(received, inbox, files) if received else {}
    from sheetprog.batch.returns import letter_template, prepare_returns

    letter_template(settings)  # a [region] letter template that is missing: before any work
    key = period_key(period) if period else ""
    now = time.time()
    workers = jobs or os.cpu_count() or 1
    store = Store(db or f"sqlite:///{outdir / 'sheetprog-batch.db'}")
    try:
        summaries, done, reused = _process(
            files,
            store,
            key,
            settings=settings,
            jobs=workers,
            scheduler=scheduler,
            progress=progress,
            now=now,
            listed=listed,
            retry_unread=retry_unread,
        )
        del files, listed  # ≈ 0,5 KB a file of paths, not needed from here on (issue 21)
        result = BatchResult(outdir, summaries, done, reused, db=str(store.path), run_at=now)
        result.notices += inbox_notices(inbox, outdir, settings)
        result.period = run_period(summaries, period)
        stored = store.statuses(result.period) if result.period else []
        receipts = store.receipt_times([row.hash for row in stored])
        decision = review(
            summaries,
            result.period,
            stored,
            now=now,
            received=receipts,
            accept_changes=accept_changes,
        )
        summaries += _held(store, decision.held, key, receipts, result)
        summaries.sort(key=lambda s: (s.municipality or "", s.program or "", -s.mtime, s.file))
        result.ranking = ranking(summaries, exclude_errors=settings.region.exclude_errors)
        result.completeness = completeness(summaries, expected) if expected else []
        result.changes = changes(summaries, stored, store, key)
        result.refined = refinements(summaries, stored, store, key)
        del stored, receipts  # the period's stored statuses: ≈ 1 KB a file, not needed now
        from sheetprog.batch.outputs import write_outputs

        returns = prepare_returns(result, store, settings, jobs=workers, today=today)
        try:
            write_outputs(result, store, settings, returns, today=today)
        finally:
            returns.drop_spool()  # the letters' contexts: rendered, or left by a failure
        returns.clean()
        # last: a run killed before this decides the same statuses again
        store.put_statuses(decision.rows)
    finally:
        store.close()
    return result


GROUP = 256  # files hashed and looked up in the store at a time


def _process(
    files: list[Path],
    store: Store,
    key: str,
    *,
    settings: Settings,
    jobs: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
    now: float,
    listed: dict[Path, float],
    retry_unread: bool = False,
) -> tuple[list[Submission], int, int]:
    """Summaries of every file (from the store when its content is known), the number
    processed now and the number reused. Files are hashed and looked up a group at a time
    and the group's new files handed to the workers at once, so the workers start while
    the rest is being hashed. Results are committed in small groups. Each content's receipt
    is recorded (committed) when it is first seen."""
    summaries: list[Submission] = []
    received: dict[str, tuple[float, str]] = {}  # hash → (timestamp, source)
    method = settings.region.method_id

    def receive(summary: Submission) -> Submission:
        if summary.hash is not None:
            summary.received, summary.received_from = received[summary.hash]
        summaries.append(shared(summary))
        return summary

    def new_files(group: list[Path]) -> list[tuple[str, str]]:
        """(path, content hash) of the files not in the store; the others' summaries."""
        hashes: dict[Path, tuple[str, float]] = {}
        for path in group:
            try:
                refused = oversized(path)  # the size before hashing: a 20 GB file is not read
                if refused is not None:
                    summaries.append(refused.summary())
                    continue
                hashes[path] = file_hash(path), os.path.getmtime(path)
            except OSError as exc:  # locked, vanished, no permission: a row with the reason
                summaries.append(unopenable(path, exc).summary())
        seen = {h: str(p) for p, (h, _m) in hashes.items()}
        received.update(store.receipts(seen, now))
        from_list = {
            h: (listed[p], str(p))
            for p, (h, _m) in hashes.items()
            if p in listed and received[h] != (listed[p], RECEIVED_LIST)
        }
        store.set_receipts(from_list)
        received.update((h, (when, RECEIVED_LIST)) for h, (when, _f) in from_list.items())
        unique = sorted({h for h, _m in hashes.values()})
        stored = store.get_many(unique, "")  # assessed for the passport's own period
        if key:  # a passport without a period: assessed for the one asked for
            stored.update(store.get_many([h for h in unique if h not in stored], key))
        todo = []
        for path, (digest, mtime) in hashes.items():
            cached = stored.get(digest)
            if (
                cached is None
                or (cached.status != STATUS_UNREADABLE and cached.region_method != method)
                or (retry_unread and cached.status == STATUS_UNREADABLE)
            ):  # not seen, or assessed by an earlier version or another ranking methodology,
                # or unread before and --retry-unread asked to try again
                todo.append((str(path), digest))
            else:  # the same content, under another name maybe
                receive(replace(cached, file=str(path), mtime=mtime).summary())
        return todo

    period = key or None
    done = total = looked = 0
    pending: list[Packed] = []
    flushed = time.monotonic()

    def finished(item: Record | Packed) -> None:
        nonlocal done, flushed
        record = item if isinstance(item, Packed) else Packed.of(item)  # crashed(): here
        if record.summary.hash is not None:  # a file not opened is tried next time
            pending.append(record)
        receive(record.summary)
        done += 1
        # commit in small groups (≤ 1 s of work): a killed run redoes at most that much
        if done == total or len(pending) >= 100 or time.monotonic() - flushed > 1.0:
            store.put_many([r for r in pending if not r.by_period], "")
            store.put_many([r for r in pending if r.by_period], key)
            pending.clear()
            flushed = time.monotonic()
        if progress:  # the files not looked up yet count as to do (the total only falls)
            progress(done, total + len(files) - looked)

    workers = jobs
    if scheduler is None:  # each file in a worker process under the budget (batch.isolation)
        from sheetprog.batch.isolation import Budget, run_isolated

        region = settings.region
        budget = Budget(region.worker_memory_mb, region.worker_seconds)

        def queued() -> Iterator[tuple[str, str]]:
            """Hashed and looked up a group at a time, so the workers start early."""
            nonlocal total, looked
            for start in range(0, len(files), GROUP):
                group = new_files(files[start : start + GROUP])
                looked = min(len(files), start + GROUP)
                total += len(group)
                yield from group

        for record in run_isolated(queued(), period, settings, workers=workers, budget=budget):
            finished(record)
    else:
        with ExitStack() as stack:
            pool: Executor | None = None
            running: Running = {}

            def submit(chunk: list[tuple[str, str]]) -> Future[list[Packed]]:
                assert pool is not None
                return pool.submit(process_files, chunk, period, settings)

            for start in range(0, len(files), GROUP):
                todo = new_files(files[start : start + GROUP])
                looked = min(len(files), start + GROUP)
                if not todo:
                    continue
                if pool is None:  # the cluster only when there is work
                    pool = stack.enter_context(_executor(scheduler, workers))
                total += len(todo)
                for chunk in _chunks(todo, workers):
                    running[submit(chunk)] = chunk
                # the results that are in already, while the workers read on; at most
                # IN_FLIGHT tasks per worker wait, so no more results than that are held here
                _consume(running, finished, submit, block=False)
                while len(running) > IN_FLIGHT * workers:
                    _consume(running, finished, submit, block=True)
            while running:
                _consume(running, finished, submit, block=True)
    return summaries, done, len(files) - total


IN_FLIGHT = 16  # tasks per worker submitted and not yet consumed (GROUP needs ≤ 8 per worker)


Running = dict[Future[list[Packed]], list[tuple[str, str]]]  # task → its (path, hash) pairs


def _consume(
    running: Running,
    finished: Callable[[Record | Packed], None],
    submit: Callable[[list[tuple[str, str]]], Future[list[Packed]]],
    *,
    block: bool,
) -> None:
    """Hand the records of the finished tasks to ``finished``, each task's as it completes;
    wait for one at least when ``block``; ``running`` keeps the tasks still running. A
    consumed future is dropped at once: its records are not kept once stored and summarised
    (issue 21).

    A task that failed as a whole — on a Dask cluster a worker that died on a file
    (``distributed.KilledWorker`` after the scheduler's retries), a lost connection — does
    not end the run (issue 20): a task of several files is split and each file sent again
    on its own, so the innocent ones are processed; a single file whose task fails is that
    file's «не прочитан» record, stored like a crash in the local workers."""
    from sheetprog.batch.isolation import crashed

    done, _pending = wait(running, timeout=None if block else 0, return_when=FIRST_COMPLETED)
    for future in done:
        chunk = running.pop(future)
        records: list[Packed] | list[Record]
        try:
            records = future.result()
        except Exception as exc:  # whatever the cluster raised for the task
            if len(chunk) > 1:
                for item in chunk:
                    running[submit([item])] = [item]
                continue
            path, digest = chunk[0]
            why = f"обработка на узле кластера Dask прервана ({type(exc).__name__})"
            records = [crashed(path, digest, why)]
        for record in records:
            finished(record)


def _held(
    store: Store,
    held: list[StatusRow],
    key: str,
    receipts: dict[str, float],
    result: BatchResult,
) -> list[Submission]:
    """The accepted editions that still count though their files are not in the inbox (a
    newer edition is held as a change or returned): from the store."""
    out = []
    for row in held:
        record = None
        for k in dict.fromkeys((key, "", result.period or "")):
            record = store.get_many([row.hash], k).get(row.hash)
            if record is not None:
                break
        if record is None:
            result.notices.append(
                f"Принятая редакция «{row.file}» не найдена в хранилище: в рейтинг не вошла."
            )
            continue
        s = replace(record, file=row.file).summary()
        s.state, s.state_since = STATE_ACCEPTED, row.since
        s.received, s.received_from = receipts.get(row.hash), RECEIVED_STORE
        out.append(s)
    return out


TASK_FILES = 32  # files per cluster task at most (issue 21)


def _chunks(todo: list[tuple[str, str]], workers: int) -> list[list[tuple[str, str]]]:
    """Cluster tasks of several files each, so the scheduler's and the workers' cost per
    task (its message, its record on the scheduler, the hand-off to the worker's thread)
    is paid once per group — measured on 500 files with 2 workers, the scheduler's CPU fell
    from 1.07 s (a file per task) to 0.36 s (8) and 0.26 s (32) — yet at least 4 tasks per
    worker from each group, so the load stays even and the progress bar moves (a task of
    32 files is about half a second of a worker). The price: a file that kills its worker
    takes the other files of its task with it for the scheduler's retries, before
    ``_consume`` splits the task and sends them again one by one."""
    size = max(1, min(TASK_FILES, len(todo) // (workers * 4)))
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
        # results straight from the workers: by default a client outside the cluster gets
        # them through the scheduler, every result sent twice (issue 21)
        client = Client(scheduler, timeout=30, direct_to_workers=True)
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


def ranking(summaries: list[Submission], *, exclude_errors: bool = False) -> list[dict[str, Any]]:
    """Programs by the region's ranking figure, highest first; equal values share a rank
    (1, 2, 2, 4). Each row keeps the program's own figure beside it and marks errors;
    ``exclude_errors`` leaves workbooks with errors out. The rows are plain dicts: a table
    written as it is (workbook, CSV, summary.json, note)."""

    def value(s: Submission) -> Any:
        return s.region_value if s.region_method is not None else s.rating_value

    rated = sorted(
        (
            s
            for s in current(summaries)
            if value(s) is not None and not (exclude_errors and s.errors)
        ),
        key=lambda s: (-(value(s) or 0), s.municipality or "", s.program or ""),
    )
    out: list[dict[str, Any]] = []
    for i, s in enumerate(rated):
        rank = out[-1]["rank"] if out and out[-1]["value"] == value(s) else i + 1
        out.append(
            {
                "rank": rank,
                "value": value(s),
                "rating": s.region_rating if s.region_method is not None else s.rating,
                "municipality": s.municipality,
                "oktmo": s.oktmo,
                "program": s.program,
                "file": s.file,
                "own_value": s.rating_value,
                "own_rating": s.rating,
                "method": s.method,
                "errors": s.errors or 0,
                "mark": f"есть ошибки ({s.errors})" if s.errors else "",
            }
        )
    return out


def read_receipts(path: Path, inbox: Path, files: list[Path]) -> dict[Path, float]:
    """A receipts list (.csv or .xlsx: file, date — e.g. exported from the document-management
    system) → the inbox files' receipt timestamps. A file is named by its path in the inbox
    or by its name; the dates are ДД.ММ.ГГГГ or ГГГГ-ММ-ДД (a time after them is ignored).
    Every problem is reported before any work starts."""
    rows = _table_rows(path, "Список поступлений")
    header = [normalize_text(str(h or "")) for h in rows[0]]
    c_file = next((i for i, h in enumerate(header) if h.startswith(("файл", "file", "имя"))), None)
    c_date = next(
        (i for i, h in enumerate(header) if h.startswith(("дата", "date", "поступ", "получ"))),
        None,
    )
    first = 1
    if c_file is None or c_date is None:  # no header: file, date
        c_file, c_date = 0, 1
    else:
        rows, first = rows[1:], 2
    by_rel = {normalize_text(p.relative_to(inbox).as_posix()): p for p in files}
    by_name: dict[str, list[Path]] = {}
    for p in files:
        by_name.setdefault(normalize_text(p.name), []).append(p)
    out: dict[Path, float] = {}
    problems = []
    for number, row in enumerate(rows, start=first):
        if not row or not any(row) or len(row) <= max(c_file, c_date):
            continue
        name = normalize_text(str(row[c_file] or "").replace("\\", "/"))
        raw = row[c_date]
        try:
            if isinstance(raw, str):
                raw = raw.strip().replace("T", " ").split(" ")[0]
            day = to_date(raw)
        except ValueError:
            problems.append(f"строка {number}: дата «{row[c_date]}» не распознана")
            continue
        if day is None:
            problems.append(f"строка {number}: нет даты")
            continue
        found = [by_rel[name]] if name in by_rel else by_name.get(Path(name).name, [])
        if len(found) > 1:
            problems.append(
                f"строка {number}: файлов «{row[c_file]}» несколько — укажите путь в папке"
            )
            continue
        if found:
            out[found[0]] = dt.datetime.combine(day, dt.time()).timestamp()
    if problems:
        raise UsageError(
            f"Список поступлений «{path}» содержит ошибки:\n"
            + "\n".join(f"  — {p}" for p in problems)
        )
    return out


def _table_rows(path: Path, what: str) -> list[list[Any]]:
    """The rows of a .csv (";" or ",") or of the first sheet of an .xlsx."""
    if not path.is_file():
        raise UsageError(f"{what} «{path}» не найден.")
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
        raise UsageError(f"{what} «{path}» пуст.")
    return rows


def changes(
    summaries: list[Submission], stored: list[StatusRow], store: Store, key: str
) -> list[CellChange]:
    """The cells a new edition of an accepted report changes, as ``sheetprog diff`` shows
    them; when the accepted edition's file is gone, its stored figures (indicators'
    facts, funding, activities' statuses) are compared instead."""
    from sheetprog.batch.diff import diff_workbooks

    accepted = {row.identity: row for row in stored if row.status == STATE_ACCEPTED}
    by_hash = {s.hash: s for s in summaries if s.hash and s.status != STATUS_UNREADABLE}
    out: list[CellChange] = []
    for s in summaries:
        if not s.change_of or s.hash is None:
            continue
        before = accepted.get(identity(s))
        if before is None:
            continue
        old = _file_with(before, by_hash)
        found: list[CellChange] = []
        if old is not None:
            try:
                found = [
                    CellChange(
                        s.municipality,
                        s.program,
                        before.file,
                        s.file,
                        c.sheet,
                        c.cell,
                        c.old,
                        c.new,
                    )
                    for c in diff_workbooks(old, Path(s.file))
                ]
            except SheetprogError:
                old = None
        if old is None:
            found = _stored_changes(store, before, s, key)
        s.changed_cells = len(found)
        out += found
    return out


def refinements(
    summaries: list[Submission], stored: list[StatusRow], store: Store, key: str
) -> list[dict[str, Any]]:
    """Issue 18: new editions of accepted reports whose assessment was provisional (facts
    «ожидается») and now is not, with the rating before and after; the note lists those
    whose rating changed."""
    accepted = {row.identity: row for row in stored if row.status == STATE_ACCEPTED}
    out: list[dict[str, Any]] = []
    for s in summaries:
        before = accepted.get(identity(s)) if s.change_of and s.hash else None
        if before is None or s.provisional or s.status == STATUS_UNREADABLE:
            continue
        old, _new = _edition_records(store, before, s, key)
        if old is None or not old.provisional:
            continue
        out.append(
            {
                "municipality": s.municipality or "",
                "program": s.program or "",
                "accepted": Path(before.file).name,
                "file": Path(s.file).name,
                "before_value": old.rating_value,
                "before_rating": old.rating or "",
                "value": s.rating_value,
                "rating": s.rating or "",
                "changed": (old.rating_value, old.rating) != (s.rating_value, s.rating),
            }
        )
    return out


def _file_with(row: StatusRow, by_hash: dict[str, Submission]) -> Path | None:
    """A file with the content of a stored edition: in the inbox, or where it was."""
    if row.hash in by_hash:
        return Path(by_hash[row.hash].file)
    path = Path(row.file)
    try:
        if path.is_file() and file_hash(path) == row.hash:
            return path
    except OSError:
        pass
    return None


def _edition_records(
    store: Store, before: StatusRow, s: Submission, key: str
) -> tuple[Record | None, Record | None]:
    """The stored records of the accepted edition and of its new edition ``s``."""
    records = {}
    for k in dict.fromkeys((key, "", s.period or "")):
        records.update(
            {
                h: r
                for h, r in store.get_many([before.hash, s.hash or ""], k).items()
                if h not in records
            }
        )
    return records.get(before.hash), records.get(s.hash or "")


def _stored_changes(store: Store, before: StatusRow, s: Submission, key: str) -> list[CellChange]:
    old, new = _edition_records(store, before, s, key)
    if old is None or new is None:
        return []

    def cells(record: Record) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        for r in record.indicators:
            sheet, _, cell = (r.cell or "").partition("!")
            out[(sheet or "Показатели", cell or f"показатель {r.code}")] = r.fact
        for a in record.activities:
            out[("Мероприятия", f"мероприятие {a.number}: статус")] = a.status
        for f in record.funding:
            out[("Финансирование", f"{f.label}: факт")] = f.actual
        return out

    a, b = cells(old), cells(new)
    return [
        CellChange(s.municipality, s.program, before.file, s.file, sheet, cell, a.get(k), b.get(k))
        for k in sorted(set(a) | set(b))
        for sheet, cell in [k]
        if a.get(k) != b.get(k)
    ]


def read_expected(path: Path) -> list[dict[str, Any]]:
    """OKTMO, municipality, program code, deadline — from .csv or .xlsx (header row)."""
    rows = _table_rows(path, "Список")
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
    """The expected programs with their status, on time or late by the receipt date. The
    rows are plain dicts: a table written as it is (workbook, CSV, summary.json, note)."""
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
            when = dt.datetime.fromtimestamp(s.received or s.mtime).date()
            late = item["deadline"] is not None and when > item["deadline"]
            status = "с опозданием" if late else "в срок"
        out.append({**item, "status": status, "submitted": when, "file": s.file if s else None})
    return out
