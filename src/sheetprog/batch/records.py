"""The batch's records, as typed plain data. Pure.

``Record`` is what processing one workbook gives and what the store keeps per content
(SHA-256 and period): the summary fields and the detail rows (indicators, activities,
funding by source, findings). ``Submission`` is what the run keeps of a record in memory:
the summary fields, the counts the regional note needs and whether a newer submission of
the same program supersedes it.

``to_dict`` / ``from_dict`` are the stored JSON and the rows of summary.json: the keys,
their order and values are those of the first, dict-based records, so a store written by
any version is read by this one. Keys added later (``ADDED_KEYS``: the methodology and the
region's ranking figure; the run's receipt and review status) are written after them, and
only when set, so a record of the first version writes back exactly as it was stored.
Values are JSON values already (numbers as int/float, targets as their canonical text), so
the records pickle, compare and serialise as they are.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeVar

from sheetprog.assess.view import (
    activity_dict,
    funding_dict,
    indicator_dict,
    rating_dict,
    score_values,
)
from sheetprog.checks.severity import Severity

if TYPE_CHECKING:
    from sheetprog.assess.result import (
        ActivityResult,
        Assessment,
        FundingGroup,
        IndicatorResult,
    )
    from sheetprog.checks.base import Finding
    from sheetprog.checks.report import CheckReport
    from sheetprog.model import Passport

STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE = "принят", "с ошибками", "не прочитан"

# The review status of a submission for the run's period (kept in the store with its date)
STATE_ACCEPTED = "принят"
STATE_RETURNED = "возвращён на доработку"
STATE_UNREAD = "не прочитан"
STATE_REPLACED = "заменён новой редакцией"
STATE_CHANGE = "изменение принятого отчёта"  # a new edition of an accepted report, held
STATE_OTHER_PERIOD = "другой отчётный период"  # listed apart, not reviewed in this run
STATES = (STATE_ACCEPTED, STATE_RETURNED, STATE_UNREAD, STATE_REPLACED, STATE_CHANGE)

Number: TypeAlias = int | float  # a JSON number

# what a record of a file that was not read has (and all it is stored with)
UNREAD_KEYS = ("file", "hash", "mtime", "status", "reason")


class _Row:
    """A detail row of a record, stored as the dict of its fields. Each class writes its
    ``to_dict`` out: a literal dict is the fastest, and a record has hundreds of rows."""

    __slots__ = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**data)


@dataclass(slots=True)
class IndicatorRow(_Row):
    code: str
    name: str
    unit: str | None
    plan: str | None  # the target as written: "100", "≥ 95", "80–90"
    fact: Number | None
    ci: Number | None
    achieved: bool | None
    cell: str | None  # the fact's cell

    @classmethod
    def of(cls, r: IndicatorResult, fact_key: str) -> IndicatorRow:
        """The row of the JSON view's indicator (its ``target`` is this ``plan``)."""
        d = indicator_dict(r)
        return cls(
            d["code"],
            d["name"],
            d["unit"],
            d["target"],
            d["fact"],
            d["ci"],
            d["achieved"],
            d["cells"].get(fact_key),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "plan": self.plan,
            "fact": self.fact,
            "ci": self.ci,
            "achieved": self.achieved,
            "cell": self.cell,
        }


@dataclass(slots=True)
class ActivityRow(_Row):
    number: str
    name: str
    status: str | None
    done: bool | None
    overdue: bool

    @classmethod
    def of(cls, x: ActivityResult) -> ActivityRow:
        """The row of the JSON view's activity."""
        d = activity_dict(x)
        return cls(d["number"], d["name"], d["status"], d["done"], d["overdue"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "status": self.status,
            "done": self.done,
            "overdue": self.overdue,
        }


@dataclass(slots=True)
class FundingRow(_Row):
    label: str
    plan: Number
    actual: Number
    execution: Number | None

    @classmethod
    def of(cls, g: FundingGroup) -> FundingRow:
        """The row of the JSON view's funding group."""
        d = funding_dict(g)
        return cls(d["label"], d["plan"], d["actual"], d["execution"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "plan": self.plan,
            "actual": self.actual,
            "execution": self.execution,
        }


# FindingRow.value of a row stored before the value was kept (issue 21): not known
VALUE_NOT_KEPT = "\x00"  # never a shown value: control characters are taken out of those


@dataclass(slots=True)
class FindingRow(_Row):
    code: str
    severity: str  # the severity's word: "ошибка", "предупреждение", "сведения"
    sheet: str | None
    cell: str | None
    message: str
    # the cell as «Проверки» shows it (``fmt.display``, 200 characters at most): a returned
    # copy is written from the stored findings, without reading and checking the file again
    value: str = ""

    @classmethod
    def of(cls, f: Finding) -> FindingRow:
        from sheetprog.fmt import display

        return cls(f.code, f.severity.value, f.sheet, f.cell, f.message, display(f.value)[:200])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if "value" not in data:  # stored by an earlier version
            return cls(**data, value=VALUE_NOT_KEPT)
        return cls(**data)

    def finding(self) -> Finding:
        """The finding again, as ``checks_rows`` and ``marks_by_sheet`` need it."""
        from sheetprog.checks.base import Finding

        return Finding(
            self.code, Severity(self.severity), self.message, self.sheet, self.cell, self.value
        )

    def to_dict(self) -> dict[str, Any]:
        row = {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
        }
        if self.value != VALUE_NOT_KEPT:  # an earlier version's row writes back as stored
            row["value"] = self.value
        return row


@dataclass(slots=True, kw_only=True)
class _Common:
    """The fields a record and its submission share, in the stored order. A file that was
    not read has the first five only (the others stay None)."""

    file: str
    hash: str | None  # SHA-256 of the content; None when the file could not be opened
    mtime: float
    status: str  # STATUS_OK, STATUS_ERRORS or STATUS_UNREADABLE
    reason: str | None = None  # why the file was not read
    municipality: str | None = None
    oktmo: str | None = None
    program: str | None = None
    program_code: str | None = None
    period: str | None = None  # the assessed period's key: "2016", "2016-Q2"
    errors: int | None = None
    warnings: int | None = None
    scores: dict[str, Number | None] | None = None  # as the JSON view's ``scores``
    rating_value: Number | None = None
    rating: str | None = None
    funding_plan: Number | None = None
    funding_actual: Number | None = None
    activities_done: int | None = None
    activities_counted: int | None = None
    # added later: written only when set (see the module's docstring)
    method: str | None = None  # the program's own methodology (its name)
    region_method: str | None = None  # the region's ranking methodology (RegionSettings.method_id)
    region_value: Number | None = None  # the rated figure by the region's methodology
    region_rating: str | None = None  # its band by the region's methodology
    # issue 18: a provisional assessment (facts «ожидается»): the date it will be refined
    # after (ISO), or «да» when no date is given; None for a final one. Written when set.
    provisional: str | None = None


RECORD_ADDED_KEYS = ("method", "region_method", "region_value", "region_rating")
HISTORY_KEYS = ("provisional",)  # issue 18: written only when set
COMMON_KEYS = tuple(
    f.name for f in fields(_Common) if f.name not in (*RECORD_ADDED_KEYS, *HISTORY_KEYS)
)


@dataclass(slots=True, kw_only=True)
class Submission(_Common):
    """A processed workbook as the run keeps it: the summary, the counts the regional note
    needs (so the note is composed without reading the records again) and, once the run has
    compared the submissions, the file that supersedes it."""

    indicators_achieved: int = 0
    indicators_assessed: int = 0
    error_codes: list[str] = field(default_factory=list)  # codes of its errors, sorted
    superseded_by: str | None = None
    # the run's review (added later: written only when set)
    received: float | None = None  # the receipt (a timestamp): see batch.run
    received_from: str | None = None  # RECEIVED_STORE or RECEIVED_LIST
    state: str | None = None  # STATE_*: the review status for the run's period
    state_since: float | None = None  # when the store first gave it that status
    returned: str | None = None  # the returned copy, relative to the output folder
    letter: str | None = None  # the letter sent with it, relative to the output folder
    change_of: str | None = None  # the accepted edition this one changes (its file)
    changed_cells: int | None = None  # cells changed from that edition

    def to_dict(self) -> dict[str, Any]:
        """The summary as summary.json lists it: every field, in order (those added later
        only when set)."""
        return {
            name: getattr(self, name)
            for name in SUBMISSION_KEYS
            if name not in ADDED_KEYS or getattr(self, name) is not None
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**{name: data[name] for name in SUBMISSION_KEYS if name in data})

    def __getitem__(self, key: str) -> Any:
        """``s["status"]``: the fields by key, for callers written for the dict summaries."""
        if key not in SUBMISSION_KEYS:
            raise KeyError(key)
        return getattr(self, key)


SUBMISSION_KEYS = tuple(f.name for f in fields(Submission))
RUN_ADDED_KEYS = SUBMISSION_KEYS[SUBMISSION_KEYS.index("received") :]
ADDED_KEYS = (*RECORD_ADDED_KEYS, *RUN_ADDED_KEYS, *HISTORY_KEYS)
RECEIVED_STORE = "хранилище"  # the first time the store saw the content
RECEIVED_LIST = "список поступлений"  # --received


@dataclass(slots=True, kw_only=True)
class Record(_Common):
    """One processed content, as stored: the summary fields and the detail rows."""

    indicators: list[IndicatorRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)  # by source
    findings: list[FindingRow] = field(default_factory=list)
    # not stored: assessed for the run's --period because the passport names no period (so
    # it is stored under that period's key; every other record under "")
    by_period: bool = field(default=False, compare=False)

    @classmethod
    def assessed(
        cls,
        *,
        file: str,
        digest: str,
        mtime: float,
        passport: Passport,
        report: CheckReport,
        assessment: Assessment,
        ranking: Assessment | None = None,
        region_method: str | None = None,
    ) -> Record:
        """The record of a read, checked and assessed program. Its assessment part is made
        by the JSON view's own functions (``sheetprog.assess.view``): the scores, rating,
        funding and indicator values are those ``sheetprog calc --json`` shows.
        ``ranking``: the same program assessed with the region's methodology
        (``region_method``); without it, its own figure ranks it."""
        errors = report.errors
        rating = rating_dict(assessment.rating)
        ranked = rating_dict(ranking.rating) if ranking is not None else rating
        total = funding_dict(assessment.funding_total)
        counted = [x for x in assessment.activities if x.counted]
        fact_key = f"fact.{assessment.period.key}"
        return cls(
            file=file,
            hash=digest,
            mtime=mtime,
            status=STATUS_OK if errors == 0 else STATUS_ERRORS,
            municipality=passport.municipality,
            oktmo=passport.oktmo,
            program=passport.program_name,
            program_code=passport.program_code,
            period=assessment.period.key,
            errors=errors,
            warnings=report.count(Severity.WARNING),
            scores=score_values(assessment),
            rating_value=rating["value"],
            rating=rating["label"],
            funding_plan=total["plan"],
            funding_actual=total["actual"],
            activities_done=sum(1 for x in counted if x.done),
            activities_counted=len(counted),
            method=assessment.method_name,
            region_method=region_method,
            region_value=ranked["value"],
            region_rating=ranked["label"],
            provisional=(
                (assessment.refine_after.isoformat() if assessment.refine_after else "да")
                if assessment.provisional
                else None
            ),
            indicators=[IndicatorRow.of(r, fact_key) for r in assessment.indicators],
            activities=[ActivityRow.of(x) for x in assessment.activities],
            funding=[FundingRow.of(g) for g in assessment.funding_by_source],
            findings=[FindingRow.of(f) for f in report.findings],
        )

    def to_dict(self) -> dict[str, Any]:
        if self.status == STATUS_UNREADABLE:
            return {name: getattr(self, name) for name in UNREAD_KEYS}
        added = RECORD_ADDED_KEYS if self.method is not None else ()
        return {
            **{name: getattr(self, name) for name in COMMON_KEYS},
            **{name: getattr(self, name) for name in added},
            **{name: getattr(self, name) for name in HISTORY_KEYS if getattr(self, name)},
            "indicators": [r.to_dict() for r in self.indicators],
            "activities": [a.to_dict() for a in self.activities],
            "funding": [f.to_dict() for f in self.funding],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            **{
                name: data[name]
                for name in (*COMMON_KEYS, *RECORD_ADDED_KEYS, *HISTORY_KEYS)
                if name in data
            },
            indicators=[IndicatorRow.from_dict(r) for r in data.get("indicators", ())],
            activities=[ActivityRow.from_dict(a) for a in data.get("activities", ())],
            funding=[FundingRow.from_dict(f) for f in data.get("funding", ())],
            findings=[FindingRow.from_dict(f) for f in data.get("findings", ())],
        )

    def summary(self) -> Submission:
        """What the run keeps of this record in memory."""
        assessed = [r.achieved for r in self.indicators if r.achieved is not None]
        errors = {f.code for f in self.findings if f.severity == Severity.ERROR.value}
        return Submission(
            **{
                name: getattr(self, name)
                for name in (*COMMON_KEYS, *RECORD_ADDED_KEYS, *HISTORY_KEYS)
            },
            indicators_achieved=sum(1 for a in assessed if a),
            indicators_assessed=len(assessed),
            error_codes=sorted(errors),
        )


@dataclass(slots=True)
class Packed:
    """A record as a worker hands it back (issue 21): what the run keeps of it and its
    stored JSON, both made in the worker, so the main process never rebuilds the record's
    detail rows (it only stores the text and keeps the summary)."""

    summary: Submission
    stored: str | None  # the store's JSON of the record; None: not stored (no content hash)
    by_period: bool = False

    @classmethod
    def of(cls, record: Record) -> Packed:
        stored = None
        if record.hash is not None:
            stored = json.dumps(record.to_dict(), ensure_ascii=False)
        return cls(record.summary(), stored, record.by_period)


# The fields whose values repeat across a region's submissions and statuses: content hashes
# (one content, several tables), statuses, periods, ratings, methodologies, municipalities
SHARED_FIELDS = (
    "hash",
    "status",
    "period",
    "rating",
    "method",
    "region_method",
    "region_rating",
    "municipality",
    "oktmo",
    "received_from",
    "state",
    "identity",
)
_SharedT = TypeVar("_SharedT", "Submission", "StatusRow")


def shared(item: _SharedT) -> _SharedT:
    """``item`` with one string object for each value of its ``SHARED_FIELDS`` (issue 21):
    JSON from the store and pickles from the workers give every summary and status row
    its own copies, ≈ 1 KB a file that the run holds to its end. ``sys.intern`` keeps a
    string only while something refers to it."""
    for name in SHARED_FIELDS:
        value = getattr(item, name, None)
        if type(value) is str:
            setattr(item, name, sys.intern(value))
    return item


def unopenable(path: Path, exc: OSError) -> Record:
    """The record of a file that could not even be opened (it is not stored: the next run
    tries it again)."""
    return Record(
        file=str(path),
        hash=None,
        mtime=0.0,
        status=STATUS_UNREADABLE,
        reason=f"Файл «{path}» не удалось открыть ({exc.strerror or exc}). Проверьте, что он "
        "не открыт в другой программе и доступен для чтения, и повторите.",
    )


def current(submissions: list[Submission]) -> list[Submission]:
    """The submissions that count: read, not superseded by a newer one, of the run's period
    and not a held change of an accepted report."""
    return [
        s
        for s in submissions
        if s.status != STATUS_UNREADABLE
        and not s.superseded_by
        and s.state not in (STATE_CHANGE, STATE_OTHER_PERIOD)
    ]


@dataclass(slots=True)
class StatusRow:
    """A content's review status for a period, as the store keeps it."""

    period: str
    hash: str
    status: str  # STATE_*
    since: float  # when it got this status (a timestamp)
    file: str
    oktmo: str | None = None
    municipality: str | None = None
    program: str | None = None
    program_code: str | None = None
    identity: str | None = None  # the program (see batch.review.identity); None: unread
    detail: str | None = None  # the reasons, or the change, in words

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class CellChange:
    """A changed cell of a new edition of an accepted report (as ``sheetprog diff``)."""

    municipality: str | None
    program: str | None
    accepted: str  # the accepted edition's file
    file: str  # the new edition's file
    sheet: str
    cell: str
    old: Any
    new: Any


@dataclass
class BatchResult:
    """A batch run: its submissions (newest first per program, duplicates marked) and the
    tables made from them. The ranking and completeness rows are plain dicts: table rows
    written as they are to the workbook, the CSV files, summary.json and the note."""

    outdir: Path
    submissions: list[Submission]
    processed: int  # files processed in this run (not taken from the store)
    reused: int  # files whose content was already in the store
    ranking: list[dict[str, Any]] = field(default_factory=list)
    completeness: list[dict[str, Any]] = field(default_factory=list)
    db: str = ""
    period: str | None = None  # the run's reporting period (its key): "2016", "2016-Q2"
    run_at: float = 0.0  # when the run started (a timestamp): the date of its statuses
    changes: list[CellChange] = field(default_factory=list)  # of accepted reports, cell by cell
    # issue 18: new editions whose provisional assessment became final: the rating before/after
    refined: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the analyst should know
