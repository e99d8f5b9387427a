"""Worker processes that one hostile workbook cannot take down (issue 20).

Each worker is a process of its own that handles one file at a time under a memory budget
(``RLIMIT_AS``, where the platform has it) and a time budget (enforced by this process,
which kills a worker that overruns). Whatever happens to a worker — a native abort of the
reader (python-calamine's "memory allocation … failed" is SIGABRT), the memory limit, the
kernel's OOM killer, the time limit — becomes that file's «не прочитан» record with a
Russian reason naming the file, a new worker takes its place, and the batch goes on.

Why not ``ProcessPoolExecutor``: when one of its workers dies, the whole pool is broken and
every pending future fails (``BrokenProcessPool``), so the culprit cannot be told from the
innocent and the batch ends. Here each worker has one file at a time, so a death names its
file. The records travel back pickled through a pipe, as with the executor.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from sheetprog.batch.config import RegionSettings
from sheetprog.batch.records import STATUS_UNREADABLE, Packed, Record
from sheetprog.settings import Settings

# Defaults for the 2-core / 24 GB machine with --jobs 2 (docs/limits.md): a normal
# workbook needs under 600 MB of address space and under a second; the largest accepted
# one (50 MB, 50 000 rows) about 1.5 GB and a minute.
DEFAULT_MEMORY_MB = RegionSettings.worker_memory_mb
DEFAULT_SECONDS = RegionSettings.worker_seconds


@dataclass(frozen=True)
class Budget:
    """What one worker may use for one file: address space (MB; 0: no limit) and time (s)."""

    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: int = DEFAULT_SECONDS


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the time budget still holds
        return
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:  # already limited from outside: never above that
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker(conn: Connection, memory_mb: int, parent: int) -> None:
    """A worker's loop: (path, digest, period, settings) in, a Record out; None ends it, and
    so does the end of the parent (a killed run: a forked worker holds copies of the pipes'
    other ends, so it would never see end-of-file)."""
    from sheetprog.batch.process import process_file

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    if not os.environ.get("SHEETPROG_WORKER_STDERR"):
        # what a dying worker prints (a reader's native "memory allocation … failed" and
        # backtrace) is not for the clerk: its file's row says what happened
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
    _limit_memory(memory_mb)
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        path, digest, period, settings = task
        conn.send(Packed.of(process_file(path, period, settings, digest)))


def crashed(path: str, digest: str, why: str) -> Record:
    """The record of a file whose processing killed its worker (stored: a rerun does not
    try the same content again unless asked)."""
    return Record(
        file=path,
        hash=digest,
        mtime=_mtime(path),
        status=STATUS_UNREADABLE,
        reason=f"Файл «{path}» не удалось обработать: {why}. Вероятно, файл повреждён или "
        "составлен так, что его чтение требует недопустимо много ресурсов. Откройте его в "
        "Excel или LibreOffice, сохраните заново и представьте повторно.",
    )


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def _death(exitcode: int | None, budget: Budget) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGABRT:
            return (
                "обработка аварийно прервана (не хватило памяти: допустимо "
                f"{budget.memory_mb} МБ на файл, или сбой чтения книги)"
            )
        if sig == signal.SIGKILL:
            return "обработка прервана системой (вероятно, не хватило памяти)"
        return f"обработка прервана сигналом {sig}"
    return f"процесс обработки завершился с кодом {exitcode}"


class _Slot:
    """One worker process and the file it has now."""

    def __init__(self, ctx: Any, budget: Budget) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker, args=(child, budget.memory_mb, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.task: tuple[str, str] | None = None
        self.started = 0.0

    def give(self, path: str, digest: str, period: str | None, settings: Settings) -> None:
        self.task = (path, digest)
        self.started = time.monotonic()
        with contextlib.suppress(OSError):  # a worker already gone: wait() sees its pipe end
            self.conn.send((path, digest, period, settings))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _context() -> Any:
    # fork: fast, and a worker sees the parent's state (tests patch the reader); spawn where
    # there is no fork (Windows)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# what the output processes need, imported once by the fork server they start from
OUTPUT_MODULES = ["sheetprog.batch.outputs", "sheetprog.batch.returns"]


def output_context() -> Any:
    """The start method of the processes that write a run's outputs (the note, the letters,
    the returned copies). A fork server where the platform has one: they start from a small
    server process with the output modules imported, not as copies of the run's main
    process, which by then holds the whole region's summaries — so their memory does not
    grow with the region (issue 21: at 20 000 files the note's process, forked, peaked at
    240 MB). Elsewhere spawn (Windows and macOS default to it anyway)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(OUTPUT_MODULES)  # not __main__: the CLI is no module to rerun
    return ctx


def run_isolated(
    todo: Iterable[tuple[str, str]],
    period: str | None,
    settings: Settings,
    *,
    workers: int,
    budget: Budget,
) -> Iterator[Record | Packed]:
    """The record of every (path, content hash) in ``todo``, in the order they finish (as
    the worker packed it, ``records.Packed``); a worker that dies or overruns gives its
    file's «не прочитан» record and is replaced."""
    ctx = _context()
    queue = iter(todo)
    slots: list[_Slot] = []
    try:
        for _ in range(max(1, workers)):
            task = next(queue, None)
            if task is None:
                break
            slots.append(_Slot(ctx, budget))
            slots[-1].give(*task, period, settings)
        while any(slot.task for slot in slots):
            busy = [slot for slot in slots if slot.task]
            deadline = min(slot.started for slot in busy) + budget.seconds
            ready = wait(
                [slot.conn for slot in busy], timeout=max(0.0, deadline - time.monotonic())
            )
            for slot in busy:
                assert slot.task is not None
                path, digest = slot.task
                record: Record | Packed | None = None
                dead = False
                if slot.conn in ready:
                    try:
                        record = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.process.join(5)
                        record = crashed(path, digest, _death(slot.process.exitcode, budget))
                        dead = True
                elif time.monotonic() - slot.started > budget.seconds:
                    record = crashed(path, digest, f"обработка не уложилась в {budget.seconds} с")
                    dead = True
                if record is None:
                    continue
                slot.task = None
                if dead:  # a new worker in its place
                    slot.stop()
                    slots[slots.index(slot)] = slot = _Slot(ctx, budget)
                task = next(queue, None)
                if task is not None:
                    slot.give(*task, period, settings)
                yield record
    finally:
        for slot in slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
            slot.process.join(1)
            slot.stop()
