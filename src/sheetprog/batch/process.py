"""One submission, processed with the same library functions as the single-file commands.

``process_file`` is a plain top-level function of picklable arguments returning plain
data (a ``Record``), so it runs the same in this process, in worker processes or on a
cluster.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from sheetprog.batch.records import STATUS_UNREADABLE, Packed, Record, unopenable
from sheetprog.settings import Settings

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def oversized(path: Path) -> Record | None:
    """The «не прочитан» record of a file over the size limit, found from its size alone
    (before it is hashed: reading 20 GB to hash it took 91 s); None for a file within it.
    Not stored (it has no content hash): the next run looks at its size again."""
    from sheetprog.errors import UnreadableInputError
    from sheetprog.io import safety

    stat = path.stat()
    if stat.st_size <= safety.MAX_FILE_BYTES:
        return None
    try:
        safety.check_file(path)
    except UnreadableInputError as exc:
        return Record(
            file=str(path),
            hash=None,
            mtime=stat.st_mtime,
            status=STATUS_UNREADABLE,
            reason=exc.message,
        )
    return None  # pragma: no cover - check_file refuses every file over the limit


def process_files(
    items: list[tuple[str, str]], period: str | None, settings: Settings
) -> list[Packed]:
    """``process_file`` for several (path, content hash) pairs: one task for a worker, so
    the pool's per-task cost is paid once for the group; each record packed there
    (``records.Packed``: its summary and stored JSON)."""
    return [Packed.of(process_file(path, period, settings, digest)) for path, digest in items]


def process_file(
    path: str, period: str | None, settings: Settings | None, digest: str | None = None
) -> Record:
    """Read, check and assess one workbook; never raises for a bad file. ``settings``: the
    run's (loaded once from --config or the run's folder; a sheetprog.toml in the inbox does
    not configure the region's run; None: the file's own, as the single-file commands).
    ``digest``: the content hash when the caller has it.

    A submission is assessed for its own reporting period (the passport's), so a run can
    tell the submissions of another period apart; ``period`` is used only when the passport
    names none. It is assessed by its own methodology and, when the region ranks by another
    one (``[region] methodology``), by that one too."""
    from sheetprog.api import check_findings, read_workbook
    from sheetprog.assess.engine import assess
    from sheetprog.errors import SheetprogError
    from sheetprog.kinds import kind_of
    from sheetprog.model import Program
    from sheetprog.program.kind import choose_period
    from sheetprog.settings import load_settings

    file = Path(path)
    try:
        digest = digest or file_hash(file)
        mtime = os.path.getmtime(file)
    except OSError as exc:
        return unopenable(file, exc)
    unread = Record(file=str(file), hash=digest, mtime=mtime, status=STATUS_UNREADABLE)
    try:
        program = read_workbook(file)
        if program.KIND == "project":  # a program in the project structure (issue 17)
            return _project_file(program, file, digest, mtime, period, settings)
        if not isinstance(program, Program):  # the summary consolidates programs only
            unread.reason = f"книга {kind_of(program).genitive}: в сводку по программам не входит"
            return unread
        settings = settings if settings is not None else load_settings(file)
        report = check_findings(program, file, settings=settings)
        own = None if program.passport.reporting_period is not None else period
        method = settings.methodology(program.passport.methodology)
        assessment = assess(program, choose_period(program, own, file), method)
        region = settings.region
        ranking = None
        if region.methodology != method:
            ranking = assess(program, assessment.period, region.methodology)
    except SheetprogError as exc:
        unread.reason = exc.message
        return unread
    except MemoryError:  # the worker's memory budget (batch.isolation): this file only
        unread.reason = (
            f"Файл «{file}» не удалось обработать: не хватило памяти, отведённой на один файл. "
            "Вероятно, файл повреждён или составлен так, что его чтение требует недопустимо "
            "много ресурсов. Откройте его в Excel или LibreOffice, сохраните заново и "
            "представьте повторно."
        )
        return unread
    except Exception as exc:  # a bug met on this file: its row, not the region's batch
        unread.reason = (
            f"Файл «{file}» не удалось обработать из-за внутренней ошибки sheetprog "
            f"({type(exc).__name__}: {str(exc)[:200]}). Сообщите разработчикам, приложив файл."
        )
        return unread
    record = Record.assessed(
        file=str(file),
        digest=digest,
        mtime=mtime,
        passport=program.passport,
        report=report,
        assessment=assessment,
        ranking=ranking,
        region_method=region.method_id,
    )
    record.by_period = own is not None
    return record


def _project_file(
    program: Any,
    file: Path,
    digest: str,
    mtime: float,
    period: str | None,
    settings: Settings | None,
) -> Record:
    """A project-structure program's record (sheetprog.project.records); its reading,
    checking and assessing are the single-file commands' own."""
    from sheetprog.api import check_findings
    from sheetprog.errors import SheetprogError
    from sheetprog.kinds import kind_of
    from sheetprog.project.records import project_record
    from sheetprog.settings import load_settings

    unread = Record(file=str(file), hash=digest, mtime=mtime, status=STATUS_UNREADABLE)
    try:
        settings = settings if settings is not None else load_settings(file)
        report = check_findings(program, file, settings=settings)
        own = None if program.passport.reporting_period is not None else period
        assessment = kind_of(program).assess(
            program, file, period=own, method=None, settings=settings
        )
    except SheetprogError as exc:
        unread.reason = exc.message
        return unread
    record = project_record(
        file=str(file),
        digest=digest,
        mtime=mtime,
        program=program,
        report=report,
        assessment=assessment,
        region_method=settings.region.method_id,
    )
    record.by_period = own is not None
    return record
