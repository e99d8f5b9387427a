"""The batch's work beyond reading the files grows linearly with the region (issue 21, third
session), checked without timing: the main process of a run over N and 4·N files is
profiled and its Python function calls and SQL statements counted (as
tests/test_report_scale.py counts the report's comparisons). The run takes every file's
record from the store (its content was processed before), so what is counted is all the
main process does besides reading: the lookups and receipts, the review, the ranking, the
consolidated tables and CSV, summary.json, the note's context, the returns' letters and the
statuses. (The note and the letters are rendered in processes of their own, not counted.)

A scan of every submission per submission, a sort per insert, a query per file or a list
searched per file — what made other parts of sheetprog quadratic — shows up here as calls
or statements per file that grow with N."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest
import sqlalchemy as sa

import sheetprog
from sheetprog.batch.process import process_file
from sheetprog.batch.records import STATUS_ERRORS, FindingRow, Packed, Record, StatusRow, shared
from sheetprog.batch.run import find_files, run_batch, run_settings
from sheetprog.batch.store import Store
from tests.conftest import EXAMPLES

KALUGA = EXAMPLES / "kaluga-2016.xlsx"
DAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def kaluga_record(tmp_path_factory: pytest.TempPathFactory) -> Record:
    """The record a worker made of the Kaluga example, with the run's settings."""
    folder = tmp_path_factory.mktemp("settings")
    record = process_file(str(KALUGA), None, run_settings(folder, None))
    assert record.municipality and record.indicators and record.funding
    return record


def _region(root: Path, n: int, base: Record, tag: str) -> tuple[Path, Path]:
    """An inbox of ``n`` files of distinct municipalities whose records the store has
    (as after an earlier run): every 10th with an error (returned, with a letter), every
    25th a second edition of the file before it. Returns (inbox, output folder)."""
    inbox, outdir = root / f"in-{tag}", root / f"out-{tag}"
    inbox.mkdir()
    outdir.mkdir()
    error = FindingRow("H09", "ошибка", "Показатели", "F5", "Факт ниже плана", "80")
    packed = []
    for i in range(n):
        path = inbox / f"{tag}-{i:05d}.xlsx"
        # the example with a comment of its own (a content of its own): never read (the
        # store has its record), only hashed and, when returned, copied with the marks
        shutil.copy(KALUGA, path)
        with zipfile.ZipFile(path, "a") as zf:
            zf.comment = f"{tag} {i}".encode()
        who = i - 1 if i % 25 == 24 else i
        record = replace(
            base,
            file=str(path),
            hash=hashlib.sha256(path.read_bytes()).hexdigest(),
            municipality=f"Район {tag}-{who:05d}",
            oktmo=f"{who:08d}",
            rating_value=0.5 + (i % 50) / 100,
        )
        if i % 10 == 5:
            record = replace(record, status=STATUS_ERRORS, errors=1, findings=[error])
        packed.append(Packed.of(record))
    store = Store(f"sqlite:///{outdir / 'sheetprog-batch.db'}")
    try:
        store.put_many(packed, "")
    finally:
        store.close()
    return inbox, outdir


OURS = str(Path(sheetprog.__file__).parent)


class Counts:
    """The work of each of sheetprog's functions in this thread: its lines run (a loop's line
    once per pass, so a comprehension over every submission counts each submission) and the
    calls of code outside sheetprog it makes, directly or not (``x in records`` calls the
    records' ``__eq__``; a library's own loop calls its functions) — and SQL statements."""

    def __init__(self) -> None:
        self.steps: Counter[CodeType] = Counter()
        self.statements = 0

    def trace(self, frame: FrameType, _event: str, _arg: Any) -> Any:
        if frame.f_code.co_filename.startswith(OURS):
            self.steps[frame.f_code] += 1  # the call, then each line (and pass) of the frame
            return self.trace
        caller = frame.f_back  # another's code: a step of the sheetprog function below it
        while caller is not None and not caller.f_code.co_filename.startswith(OURS):
            caller = caller.f_back
        if caller is not None:
            self.steps[caller.f_code] += 1
        return None  # its lines are not followed (its calls still are)

    def statement(self, *_args: Any) -> None:
        self.statements += 1


def _name(code: CodeType) -> str:
    return f"{Path(code.co_filename).name}:{code.co_firstlineno} {code.co_name}"


def _counted_run(root: Path, n: int, base: Record, tag: str) -> Counts:
    inbox, outdir = _region(root, n, base, tag)
    counts = Counts()
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", counts.statement)
    previous = sys.gettrace()  # a coverage tool's or a debugger's: given back after
    sys.settrace(counts.trace)
    try:
        result = run_batch(inbox, outdir, jobs=1, today=DAY)
    finally:
        sys.settrace(previous)
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", counts.statement)
    # the run did the whole review of its region: nothing processed again, every file
    # reviewed, the returns written
    assert (result.processed, result.reused, len(result.submissions)) == (0, n, n)
    returned = sum(1 for s in result.submissions if s.letter)
    assert returned == sum(1 for i in range(n) if i % 10 == 5)
    assert len(result.ranking) == n - n // 25
    return counts


def test_the_batch_beyond_reading_does_the_same_work_per_file_at_n_and_4n(tmp_path, kaluga_record):
    _counted_run(tmp_path, 10, kaluga_record, "warm")  # imports, caches of the templates' text
    small = _counted_run(tmp_path, 50, kaluga_record, "small")
    large = _counted_run(tmp_path, 200, kaluga_record, "large")
    # every function's work at 4·N is at most 4× its work at N (and a little for chunks and
    # caches): a function doing work for every pair of files would do 16×, one sorting per
    # insert or searching a list per file ~5–16×
    grown = {
        _name(code): (small.steps[code], steps)
        for code, steps in large.steps.items()
        if steps > 4.4 * small.steps[code] + 300
    }
    assert not grown, grown
    total = sum(small.steps.values()), sum(large.steps.values())
    assert total[1] / 200 <= 1.1 * total[0] / 50, total
    # the store is read and written in chunks (hundreds of files a statement): 150 more
    # files add a handful of statements, not one or more per file
    assert large.statements - small.statements <= 150 / 20, (small.statements, large.statements)


def test_the_inbox_order_is_pathlib_order(tmp_path):
    """find_files sorts by a key made once per path (Path's comparison is Python code run
    N·log N times); the order is the one sorted(paths) gave."""
    names = ["a/b.xlsx", "a-b/c.xlsx", "a b.xlsx", "A.xlsx", "a.xlsx", "a/a/z.xlsx", "b.xlsx",
             "Б.xlsx", "б.xlsx", "a/B.xlsx", "a.b/c.xlsx", "a0.xlsx", "z/1.xlsx"]  # fmt: skip
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = find_files(tmp_path)
    assert len(found) == len(names)
    assert found == sorted(tmp_path / name for name in names)
    # not the order of the path strings ("a-b/…" comes before "a/…" as text)
    assert found != sorted(found, key=str)


def _held_per_run(root: Path, n: int, base: Record, tag: str, monkeypatch: Any) -> int:
    """Bytes the main process holds (tracemalloc) when the outputs are about to be written:
    the run's submissions, ranking, review and returns, all of the region at once."""
    import gc
    import tracemalloc

    import sheetprog.batch.outputs as outputs

    inbox, outdir = _region(root, n, base, tag)
    held: list[int] = []
    write = outputs.write_outputs

    def measured(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        held.append(tracemalloc.get_traced_memory()[0])
        return write(*args, **kwargs)

    monkeypatch.setattr(outputs, "write_outputs", measured)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        result = run_batch(inbox, outdir, jobs=1, today=DAY)
    finally:
        tracemalloc.stop()
    assert (result.reused, len(result.submissions)) == (n, n)
    return held[0] - start


def test_what_the_run_holds_per_file_is_its_summary_not_copies(
    tmp_path, kaluga_record, monkeypatch
):
    """Issue 21, item 3: the main process holds each file's summary, ranking row and status
    to the end of the run — its memory grows with the region, ≈ 2,6 KB a file on this test's
    records (3,6 KB before the values that repeat were shared and the inbox's paths and the
    stored statuses released; benchmarks/batch.py measures the whole process: 191 → 140 MB
    at 20 000 files). A structure kept per file beyond these — a second copy of every record's
    strings, a cache growing with the files — shows here as kilobytes more per file."""
    _held_per_run(tmp_path, 10, kaluga_record, "warm", monkeypatch)  # imports and caches
    small = _held_per_run(tmp_path, 50, kaluga_record, "small", monkeypatch)
    large = _held_per_run(tmp_path, 250, kaluga_record, "large", monkeypatch)
    per_file = (large - small) / 200
    assert per_file <= 3100, per_file


def test_equal_values_of_the_repeating_fields_are_one_object():
    a = Record(file="a.xlsx", hash="h" * 64, mtime=0.0, status="".join(["при", "нят"]))
    b = Record(file="b.xlsx", hash="h" * 64, mtime=0.0, status="".join(["при", "нят"]))
    sa_, sb = shared(a.summary()), shared(b.summary())
    assert sa_.status is sb.status and sa_.hash is sb.hash
    assert sa_.file is not sb.file  # a file's own values are its own
    row = shared(StatusRow("2016", "".join(["h"] * 64), "принят", 0.0, "a.xlsx"))
    assert row.hash is sa_.hash


def test_the_main_process_does_not_import_the_readers_and_writers_of_office_files(tmp_path):
    """The run's main process hashes, stores, reviews and writes its own tables; reading
    workbooks (openpyxl, numpy, Pillow) and rendering documents (python-docx) happen in the
    workers and in the output processes. Importing them in the main process cost ≈ 27 MB
    of its memory for nothing: openpyxl for the table's theme (now a file beside the
    writer), python-docx to find the letter's default template (now
    ``reports.template_files``)."""
    import subprocess
    import textwrap

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KALUGA, inbox / "a.xlsx")
    shutil.copy(EXAMPLES / "shakhty-2013.xlsx", inbox / "b.xlsx")
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path

        if __name__ == "__main__":
            from sheetprog.batch.run import run_batch

            result = run_batch(Path({str(inbox)!r}), Path({str(tmp_path / "out")!r}), jobs=1)
            assert len(result.submissions) == 2 and result.processed == 2
            heavy = ("openpyxl", "numpy", "PIL", "docx", "docxtpl", "pandas", "matplotlib")
            print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    (tmp_path / "run.py").write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "run.py")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
    assert (tmp_path / "out" / "Сводная таблица.xlsx").is_file()


def test_the_tables_theme_is_office_default_theme_as_openpyxl_writes_it():
    from openpyxl.writer.theme import theme_xml

    from sheetprog.io.xlsx_tables import _theme

    assert _theme() == theme_xml
