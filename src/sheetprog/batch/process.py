"""One submission, processed with the same library functions as the single-file commands.

``process_file`` is a plain top-level function of picklable arguments returning plain
data, so it runs the same in this process, in worker processes or on a cluster.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from sheetprog.serialize import to_jsonable

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE = "принят", "с ошибками", "не прочитан"


def current(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The submissions that count: read, and not superseded by a newer one."""
    return [s for s in summaries if s["status"] != STATUS_UNREADABLE and not s["superseded_by"]]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unopenable(path: Path, exc: OSError) -> dict[str, Any]:
    """The record of a file that could not even be opened (it is not stored: the next run
    tries it again)."""
    return {"file": str(path), "hash": None, "mtime": 0.0, "status": STATUS_UNREADABLE,
            "reason": f"Файл «{path}» не удалось открыть ({exc.strerror or exc}). Проверьте, "
            "что он не открыт в другой программе и доступен для чтения, и повторите."}  # fmt: skip


def process_files(
    items: list[tuple[str, str]], period: str | None, config: str | None
) -> list[dict[str, Any]]:
    """``process_file`` for several (path, content hash) pairs: one task for a worker, so
    the pool's per-task cost is paid once for the group."""
    return [process_file(path, period, config, digest) for path, digest in items]


def process_file(
    path: str, period: str | None, config: str | None, digest: str | None = None
) -> dict[str, Any]:
    """Read, check and assess one workbook; never raises for a bad file. ``digest`` is the
    content hash when the caller has it already."""
    from sheetprog.api import assess_workbook, check_findings, load_settings, read_workbook
    from sheetprog.checks.severity import Severity
    from sheetprog.errors import SheetprogError
    from sheetprog.kinds import kind_of
    from sheetprog.model import Program

    file = Path(path)
    try:
        record: dict[str, Any] = {"file": str(file), "hash": digest or file_hash(file),
                                  "mtime": os.path.getmtime(file),
                                  "status": STATUS_UNREADABLE, "reason": None}  # fmt: skip
    except OSError as exc:
        return unopenable(file, exc)
    try:
        program = read_workbook(file)
        if not isinstance(program, Program):  # the summary consolidates programs only
            record["reason"] = (
                f"книга {kind_of(program).genitive}: в сводку по программам не входит"
            )
            return record
        settings = load_settings(file, config)
        report = check_findings(program, file, settings=settings)
        assessment = assess_workbook(program, file, period=period, settings=settings)
    except SheetprogError as exc:
        record["reason"] = exc.message
        return record
    p = program.passport
    errors = report.errors
    fact_key = f"fact.{assessment.period.key}"
    record.update({
        "status": STATUS_OK if errors == 0 else STATUS_ERRORS,
        "municipality": p.municipality, "oktmo": p.oktmo, "program": p.program_name,
        "program_code": p.program_code, "period": assessment.period.key,
        "errors": errors, "warnings": report.count(Severity.WARNING),
        "scores": {s.key: to_jsonable(s.value) for s in assessment.scores},
        "rating_value": to_jsonable(assessment.rating.value), "rating": assessment.rating.label,
        "funding_plan": to_jsonable(assessment.funding_total.plan),
        "funding_actual": to_jsonable(assessment.funding_total.actual),
        "activities_done": sum(1 for a in assessment.activities if a.counted and a.done),
        "activities_counted": sum(1 for a in assessment.activities if a.counted),
        "indicators": [{"code": r.code, "name": r.name, "unit": r.unit,
                        "plan": r.target.canonical() if r.target else None,
                        "fact": to_jsonable(r.fact), "ci": to_jsonable(r.ci),
                        "achieved": r.achieved, "cell": r.cells.get(fact_key)}
                       for r in assessment.indicators],
        "activities": [{"number": a.number, "name": a.name, "status": a.status,
                        "done": a.done, "overdue": a.overdue} for a in assessment.activities],
        "funding": [{"label": g.label, "plan": to_jsonable(g.plan),
                     "actual": to_jsonable(g.actual), "execution": to_jsonable(g.execution)}
                    for g in assessment.funding_by_source],
        "findings": [{"code": f.code, "severity": f.severity.value, "sheet": f.sheet,
                      "cell": f.cell, "message": f.message} for f in report.findings],
    })  # fmt: skip
    return record
