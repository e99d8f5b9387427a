"""One submission, processed with the same library functions as the single-file commands.

``process_file`` is a plain top-level function of picklable arguments returning plain
data (a ``Record``), so it runs the same in this process, in worker processes or on a
cluster.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sheetprog.batch.records import STATUS_UNREADABLE, Record, unopenable
from sheetprog.settings import Settings

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def process_files(
    items: list[tuple[str, str]], period: str | None, settings: Settings
) -> list[Record]:
    """``process_file`` for several (path, content hash) pairs: one task for a worker, so
    the pool's per-task cost is paid once for the group."""
    return [process_file(path, period, settings, digest) for path, digest in items]


def process_file(
    path: str, period: str | None, settings: Settings, digest: str | None = None
) -> Record:
    """Read, check and assess one workbook; never raises for a bad file. ``settings``: the
    run's (loaded once from --config or the run's folder; a sheetprog.toml in the inbox does
    not configure the region's run). ``digest``: the content hash when the caller has it."""
    from sheetprog.api import assess_workbook, check_findings, read_workbook
    from sheetprog.errors import SheetprogError
    from sheetprog.kinds import kind_of
    from sheetprog.model import Program

    file = Path(path)
    try:
        digest = digest or file_hash(file)
        mtime = os.path.getmtime(file)
    except OSError as exc:
        return unopenable(file, exc)
    unread = Record(file=str(file), hash=digest, mtime=mtime, status=STATUS_UNREADABLE)
    try:
        program = read_workbook(file)
        if not isinstance(program, Program):  # the summary consolidates programs only
            unread.reason = f"книга {kind_of(program).genitive}: в сводку по программам не входит"
            return unread
        report = check_findings(program, file, settings=settings)
        assessment = assess_workbook(program, file, period=period, settings=settings)
    except SheetprogError as exc:
        unread.reason = exc.message
        return unread
    return Record.assessed(
        file=str(file),
        digest=digest,
        mtime=mtime,
        passport=program.passport,
        report=report,
        assessment=assessment,
    )
