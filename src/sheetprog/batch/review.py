"""The region's review of a batch: one period, duplicates, statuses. Pure.

A run reviews one reporting period: the one asked for, else the latest present. For it,
each program's newest edition (by receipt, then file time) is decided:

- read with errors → «возвращён на доработку» (a copy and a letter go back);
- read without errors → «принят»;
- a new edition of a program whose report for the period was accepted before is held as
  «изменение принятого отчёта» (the accepted one still counts) until the analyst takes the
  changes (``accept_changes``); a new edition with errors is returned as any other;
- older editions → «заменён новой редакцией»; files that cannot be read → «не прочитан».

Statuses are kept per content (SHA-256) and period with the date each was first given; a
status that does not change keeps its date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheetprog.batch.records import (
    STATE_ACCEPTED,
    STATE_CHANGE,
    STATE_OTHER_PERIOD,
    STATE_REPLACED,
    STATE_RETURNED,
    STATE_UNREAD,
    STATUS_UNREADABLE,
    StatusRow,
    Submission,
    shared,
)
from sheetprog.periods import parse_period
from sheetprog.values import normalize_text


def identity(s: Submission | StatusRow) -> str:
    """The program a submission reports on: OKTMO (else the municipality's name) and the
    program's code (else its name), normalised."""
    who = normalize_text(s.oktmo or s.municipality or "")
    what = normalize_text(s.program_code or s.program or "")
    return f"{who}|{what}"


def period_key(text: str) -> str:
    """ "2016-Q4" → "2016": the key a period is stored and compared by."""
    return parse_period(text).key


def run_period(submissions: list[Submission], asked: str | None) -> str | None:
    """The run's period: the one asked for, else the latest of the read submissions."""
    if asked:
        return period_key(asked)
    periods = {s.period for s in submissions if s.status != STATUS_UNREADABLE and s.period}
    return max(periods, key=parse_period) if periods else None


def newest_first(s: Submission) -> tuple[float, float, str]:
    """The order of editions: the later receipt, then the later file time, then the name."""
    return (s.received or 0.0, s.mtime, s.file)


def mark_duplicates(submissions: list[Submission]) -> None:
    """Two submissions of one program for one period: the newest counts."""
    newest: dict[tuple[str, str], Submission] = {}
    for s in submissions:
        s.superseded_by = None
        if s.status == STATUS_UNREADABLE:
            continue
        ident = (identity(s), s.period or "")
        best = newest.get(ident)
        if best is None or newest_first(s) > newest_first(best):
            newest[ident] = s
    for s in submissions:
        if s.status != STATUS_UNREADABLE and newest[(identity(s), s.period or "")] is not s:
            s.superseded_by = newest[(identity(s), s.period or "")].file


@dataclass
class Review:
    """What a review decided beyond the submissions' own fields."""

    rows: list[StatusRow] = field(default_factory=list)  # statuses to store (changed ones)
    held: list[StatusRow] = field(default_factory=list)  # accepted editions not in the inbox
    # that still count (a newer edition is held as a change): the run reads them from the store


def review(
    submissions: list[Submission],
    period: str | None,
    stored: list[StatusRow],
    *,
    now: float,
    received: dict[str, float] | None = None,
    accept_changes: bool = False,
) -> Review:
    """Decide each submission's status for ``period`` (setting ``state``, ``state_since``,
    ``change_of``, ``superseded_by``) against the statuses the store has for it.
    ``received``: the receipts of the stored contents (hash → timestamp), to tell an older
    edition from a newer one."""
    received = received or {}
    for s in submissions:
        s.state = s.state_since = s.change_of = None
        if s.status != STATUS_UNREADABLE and period is not None and s.period != period:
            s.state = STATE_OTHER_PERIOD
    mark_duplicates(submissions)  # in every period: another period's copies are marked too
    in_period = [s for s in submissions if s.state != STATE_OTHER_PERIOD]
    by_hash = {row.hash: row for row in stored}
    accepted = {row.identity: row for row in stored if row.status == STATE_ACCEPTED}
    out = Review()
    decided: dict[str, StatusRow] = {}  # hash → the status it gets now

    def decide(hash_: str, status: str, like: Submission | StatusRow, detail: str | None) -> None:
        old = by_hash.get(hash_)
        since = old.since if old is not None and old.status == status else now
        decided[hash_] = shared(
            StatusRow(
                period=period or "",
                hash=hash_,
                status=status,
                since=since,
                file=like.file,
                oktmo=like.oktmo,
                municipality=like.municipality,
                program=like.program,
                program_code=like.program_code,
                identity=None if status == STATE_UNREAD else identity(like),
                detail=detail,
            )
        )

    newest: dict[str, Submission] = {}
    for s in in_period:
        if s.status == STATUS_UNREADABLE:
            s.state = STATE_UNREAD
            if s.hash:
                decide(s.hash, STATE_UNREAD, s, s.reason)
        elif not s.superseded_by:
            newest[identity(s)] = s
    for ident, s in newest.items():
        assert s.hash is not None  # a read file has its hash
        errors = f"ошибок: {s.errors} ({', '.join(s.error_codes)})" if s.errors else None
        before = accepted.get(ident)
        if before is None or before.hash == s.hash:
            s.state = STATE_RETURNED if s.errors else STATE_ACCEPTED
            decide(s.hash, s.state, s, errors)
        elif (s.received or now) < received.get(before.hash, 0.0):
            # an edition older than the accepted one: the accepted one counts
            _keep(before, in_period, out)
            s.state, s.superseded_by = STATE_REPLACED, before.file
            decide(s.hash, s.state, s, f"заменён «{before.file}»")
        elif s.errors:  # returned as any other; the accepted edition still counts
            s.state, s.change_of = STATE_RETURNED, before.file
            decide(s.hash, s.state, s, errors)
            _keep(before, in_period, out)
        elif accept_changes:
            s.state, s.change_of = STATE_ACCEPTED, before.file
            decide(s.hash, s.state, s, f"принято изменение отчёта «{before.file}»")
            decide(before.hash, STATE_REPLACED, before, f"заменён «{s.file}»")
        else:
            s.state, s.change_of = STATE_CHANGE, before.file
            decide(s.hash, s.state, s, f"изменение принятого отчёта «{before.file}»")
            _keep(before, in_period, out)
    for s in in_period:  # older editions in the inbox
        if s.state is None and s.superseded_by:
            s.state = STATE_REPLACED
            if s.hash and s.hash not in decided:
                decide(s.hash, STATE_REPLACED, s, f"заменён «{s.superseded_by}»")
    # editions the store knows that did not count and are older than the newest one now
    for row in stored:
        latest = newest.get(row.identity or "")
        if (
            latest is not None
            and row.hash not in decided
            and row.status in (STATE_RETURNED, STATE_CHANGE)
            and latest.state in (STATE_ACCEPTED, STATE_RETURNED, STATE_CHANGE)
            and received.get(row.hash, 0.0) <= (latest.received or now)
        ):
            decide(row.hash, STATE_REPLACED, row, f"заменён «{latest.file}»")
    for s in submissions:
        if s.hash and s.state not in (None, STATE_OTHER_PERIOD):
            given = decided.get(s.hash) or by_hash.get(s.hash)
            # a replaced exact copy of a counted file has its twin's status (the store keeps
            # one per content): the copy has been replaced since the content had it
            if given is not None and (given.status == s.state or s.state == STATE_REPLACED):
                s.state_since = given.since
            else:
                s.state_since = now
    out.rows = [
        row
        for h, row in decided.items()
        if by_hash.get(h) is None
        or (by_hash[h].status, by_hash[h].detail) != (row.status, row.detail)
    ]
    return out


def _keep(accepted: StatusRow, in_period: list[Submission], out: Review) -> None:
    """The accepted edition keeps counting while a newer one is held or returned: its file
    in the inbox is not superseded; else the run takes it from the store."""
    mine = [s for s in in_period if s.hash == accepted.hash]
    if not mine:
        if accepted not in out.held:
            out.held.append(accepted)
        return
    mine.sort(key=newest_first, reverse=True)
    for i, s in enumerate(mine):
        s.superseded_by = None if i == 0 else mine[0].file
        s.state = STATE_ACCEPTED if i == 0 else STATE_REPLACED
