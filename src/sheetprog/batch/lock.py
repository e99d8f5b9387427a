"""One run at a time per output folder (issue 20): three first runs started together on
one folder once raced creating the store and failed with a password message.

``folder_lock`` holds an OS lock on ``.sheetprog.lock`` in the output folder for the whole
run (``fcntl.lockf`` on POSIX, ``msvcrt.locking`` on Windows): released by the OS when the
process ends, even when it is killed, so a stale lock never blocks the next run. A second
run on the same folder stops at once with a Russian message (exit 5).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from sheetprog.errors import OutputWriteError
from sheetprog.io.atomic import output_error

LOCK_NAME = ".sheetprog.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        if not _try_lock(fd):
            raise OutputWriteError(
                f"Папка результатов «{folder}» занята: в неё сейчас пишет другой запуск "
                "sheetprog batch. Дождитесь его окончания и повторите (или укажите другую "
                "папку -o).",
                path=str(folder),
            )
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True
    try:
        # a POSIX record lock, not flock: a forked child (the batch's workers, the note's
        # process) does not inherit it, so a killed run's lingering worker cannot hold the
        # folder (fcntl(2): "Record locks are not inherited by a child created via fork")
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True
