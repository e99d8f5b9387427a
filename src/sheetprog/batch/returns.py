"""Return for revision: for every submission of the run's period that cannot be accepted,
``OUT/на доработку/<municipality> — <program>.xlsx`` (the workbook with «Проверки» and
cell marks, exactly as ``sheetprog check -o`` writes it) and a one-page letter beside it
(template ``region-letter``) with the errors by sheet and cell and the deadline.

A file that could not be read gets a letter only, named after the file. Every file is
written atomically and the folder is made to hold exactly this run's returns (leftovers of
an earlier run or of a killed one are removed), so a run killed at any moment and run
again leaves no duplicates and loses nothing. The letters are rendered from one compiled
template (``reports.compiled``), in another process while the tables are written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sheetprog.batch.records import (
    STATE_RETURNED,
    STATE_UNREAD,
    STATUS_UNREADABLE,
    VALUE_NOT_KEPT,
    BatchResult,
    Record,
    Submission,
)
from sheetprog.batch.store import Store
from sheetprog.errors import UsageError
from sheetprog.settings import Settings

if TYPE_CHECKING:
    from sheetprog.checks.report import CheckReport

FOLDER = "на доработку"
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
MAX_NAME = 120


def safe_name(text: str) -> str:
    """A file name from a clerk's text: no characters a file system refuses, no leading
    dots or trailing spaces, at most MAX_NAME characters."""
    name = _UNSAFE.sub(" ", text)
    name = re.sub(r"\s+", " ", name).strip().strip(".")
    return name[:MAX_NAME].rstrip() or "без имени"


def returned(result: BatchResult) -> list[Submission]:
    """The submissions this run sends back: of its period, returned or unread."""
    return [
        s
        for s in result.submissions
        if (s.state == STATE_RETURNED and not s.superseded_by)
        or (s.state == STATE_UNREAD and s.hash is not None)
    ]


def _names(items: list[Submission]) -> dict[str, str]:
    """file → the name (without extension) of its return; the same program twice (an
    edition returned while another one counts) gets its file's name added."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for s in items:
        if s.status == STATUS_UNREADABLE:
            base = safe_name(f"{Path(s.file).stem} (не прочитан)")
        else:
            base = safe_name(f"{s.municipality or 'МО не указано'} — {s.program or 'программа'}")
        name = base
        if name.casefold() in used:
            name = safe_name(f"{base} ({Path(s.file).stem})")
        n = 2
        while name.casefold() in used:
            name = safe_name(f"{base} ({n})")
            n += 1
        used.add(name.casefold())
        names[s.file] = name
    return names


def returned_copy(
    source: str, target: str, settings: Settings, report: CheckReport | None = None
) -> str | None:
    """Write the copy of ``source`` with «Проверки» and the cell marks (as ``check -o``
    does); the reason when it cannot be written. ``report``: its findings as the batch
    stored them (issue 21: the file is not read and checked again); None: check it again
    (a record stored by an earlier version, without the findings' values). A top-level
    function of plain arguments: it runs in worker processes."""
    from sheetprog.api import check_findings, read_workbook, write_checks
    from sheetprog.errors import SheetprogError

    try:
        if report is None:
            model = read_workbook(source)
            report = check_findings(model, Path(source), settings=settings)
        write_checks(source, report, out=target, overwrite=True)
    except (SheetprogError, OSError) as exc:
        return str(exc)
    return None


def stored_report(record: Record | None) -> CheckReport | None:
    """The check report a stored record holds, or None when it cannot be rebuilt as the
    checks made it (no record; findings stored without their values)."""
    from sheetprog.checks.report import CheckReport

    if record is None or any(f.value == VALUE_NOT_KEPT for f in record.findings):
        return None
    return CheckReport(record.file, [f.finding() for f in record.findings])


RETURNS_AT_ONCE = 200  # returned submissions whose stored records are held at a time


@dataclass
class Returns:
    """A run's returns: the copies are written; the letters' contexts are spooled to a
    temporary file (``spool``, ``letters`` of them) and rendered from it by
    ``render_letters`` (beside the consolidated tables, in another process), so that
    neither process holds every letter of a large region (issue 21)."""

    folder: Path
    rows: list[dict[str, Any]] = field(default_factory=list)  # for the note and the tables
    template: Path | None = None
    spool: Path | None = None
    letters: int = 0
    written: set[str] = field(default_factory=set)  # the folder's files this run writes

    def clean(self) -> None:
        """Leave in the folder only this run's returns (a killed run's temporary files and
        the returns of an earlier run that are no longer due go)."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            stale = entry.is_file() and entry.name not in self.written
            if stale and entry.suffix.lower() in (".xlsx", ".xlsm", ".docx"):
                os.unlink(entry)

    def drop_spool(self) -> None:
        if self.spool is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.spool)


SPOOL = ".sheetprog-letters.tmp"  # in the output folder, removed once the letters are out


def prepare_returns(
    result: BatchResult,
    store: Store,
    settings: Settings,
    *,
    jobs: int = 1,
    today: dt.date | None = None,
) -> Returns:
    """Write the returned copies and compose the letters; set each returned submission's
    ``returned`` and ``letter``; the rows the note and the tables list (with the reasons).
    The returned submissions are taken ``RETURNS_AT_ONCE`` at a time: their stored records
    are read, their copies written and their letters spooled, and the records released."""
    from sheetprog.batch.isolation import output_context
    from sheetprog.reports.region import letter_context

    out = Returns(result.outdir / FOLDER, template=letter_template(settings))
    items = returned(result)
    if not items:
        return out
    names = _names(items)
    out.folder.mkdir(parents=True, exist_ok=True)
    today = today or dt.date.today()
    deadline = today + dt.timedelta(days=settings.region.resubmit_days)
    readable = [s for s in items if s.status != STATUS_UNREADABLE]
    out.spool = result.outdir / SPOOL
    with contextlib.ExitStack() as stack:
        pool = (
            stack.enter_context(ProcessPoolExecutor(max_workers=jobs, mp_context=output_context()))
            if jobs > 1 and len(readable) > 2
            else None
        )
        spool = stack.enter_context(out.spool.open("wb"))
        for start in range(0, len(items), RETURNS_AT_ONCE):
            chunk = items[start : start + RETURNS_AT_ONCE]
            chunk_read = [s for s in chunk if s.status != STATUS_UNREADABLE]
            copies = [
                (s.file, str(out.folder / f"{names[s.file]}{Path(s.file).suffix.lower()}"))
                for s in chunk_read
            ]
            records = _errors_of(store, chunk_read, result)
            reports = {source: stored_report(records.get(source)) for source, _target in copies}
            failures = _write_copies(copies, reports, settings, pool)
            del reports
            targets = dict(copies)
            for s in chunk:
                copy = Path(targets[s.file]) if s.file in targets else None
                if copy is not None and s.file in failures:
                    result.notices.append(
                        f"Копию «{s.file}» для возврата записать не удалось: {failures[s.file]}."
                    )
                    copy = None
                record = records.get(s.file)
                findings = [f for f in record.findings if f.severity == "ошибка"] if record else []
                letter = out.folder / f"{names[s.file]}.docx"
                context = letter_context(
                    s.to_dict(),
                    [f.to_dict() for f in findings],
                    period=result.period,
                    region=settings.region,
                    copy=copy.name if copy else None,
                    today=today,
                    deadline=deadline,
                )
                pickle.dump((context, letter), spool, protocol=pickle.HIGHEST_PROTOCOL)
                out.letters += 1
                out.written.add(letter.name)
                s.letter = f"{FOLDER}/{letter.name}"
                if copy is not None:
                    out.written.add(copy.name)
                    s.returned = f"{FOLDER}/{copy.name}"
                out.rows.append(
                    {
                        "municipality": s.municipality,
                        "oktmo": s.oktmo,
                        "program": s.program,
                        "file": s.file,
                        "state": s.state,
                        "errors": s.errors,
                        "reasons": context["letter"]["summary"],
                        "copy": s.returned,
                        "letter": s.letter,
                    }
                )
            del records
    return out


def render_letters(template: Path, spool: Path) -> None:
    """Render the letters spooled by ``prepare_returns`` from one compiled template, one at a
    time (a top-level function: it runs in another process). The run removes the spool
    after (``Returns.drop_spool``)."""
    from sheetprog.reports.compiled import CompiledTemplate

    compiled = CompiledTemplate(template)
    with spool.open("rb") as fh:
        while True:
            try:
                context, path = pickle.load(fh)  # our own temporary file, this run's
            except EOFError:
                break
            compiled.render(context, path)


def _write_copies(
    copies: list[tuple[str, str]],
    reports: dict[str, CheckReport | None],
    settings: Settings,
    pool: ProcessPoolExecutor | None,
) -> dict[str, str]:
    """Write the copies (in the pool's processes when there is one); file → why not."""
    failures: dict[str, str] = {}
    if pool is None:
        for source, target in copies:
            reason = returned_copy(source, target, settings, reports.get(source))
            if reason:
                failures[source] = reason
        return failures
    futures = {
        source: pool.submit(returned_copy, source, target, settings, reports.get(source))
        for source, target in copies
    }
    for source, future in futures.items():
        reason = future.result()
        if reason:
            failures[source] = reason
    return failures


def _errors_of(store: Store, items: list[Submission], result: BatchResult) -> dict[str, Record]:
    """The stored records of the returned submissions (their findings), by file."""
    keys = {result.period or "", ""}
    wanted = [s for s in items if s.hash]
    found: dict[str, Record] = {}
    for key in sorted(keys):
        records = store.get_many(sorted({s.hash for s in wanted if s.hash}), key)
        for s in wanted:
            if s.file not in found and s.hash in records:
                found[s.file] = records[s.hash]
    return found


def letter_template(settings: Settings) -> Path:
    """The letter's template: [region] letter_template (beside sheetprog.toml), else the
    default; a missing one is a usage error before any work."""
    from sheetprog.reports.template_files import default_template

    chosen = settings.region.letter_template
    if not chosen:
        return default_template("region-letter")
    path = Path(chosen)
    if not path.is_absolute() and settings.path is not None:
        path = settings.path.parent / path
    if not path.is_file():
        raise UsageError(
            f"Шаблон письма «{path}» ([region] letter_template в «{settings.path}») не найден."
        )
    return path
