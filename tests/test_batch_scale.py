"""A region of any size (issue 21): each package read once, results not kept once consumed,
the note's long tables cut with a row that says where the rest is, outputs streamed."""

from __future__ import annotations

import io
import json
import shutil
import threading
import zipfile
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine

from sheetprog.batch import run as batch_run
from sheetprog.batch.config import RegionSettings
from sheetprog.batch.records import BatchResult, Record, Submission
from sheetprog.io import package
from sheetprog.io.fast_grid import load_grid_fast
from sheetprog.io.xlsx_tables import Link, TableWorkbook
from sheetprog.reports import region
from tests.conftest import EXAMPLES

KALUGA = EXAMPLES / "kaluga-2016.xlsx"


# -- each package read once --------------------------------------------------------------


def test_the_fast_reader_opens_the_file_once_and_calamine_reads_the_bytes(tmp_path, monkeypatch):
    path = shutil.copy(KALUGA, tmp_path / "k.xlsx")
    opened: list[str] = []
    real_open = io.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(path):
            opened.append(str(args[0] if args else kwargs.get("mode", "r")))
        return real_open(file, *args, **kwargs)

    def no_path(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("calamine opened the file by its path: a second read")

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", no_path)
    grid = load_grid_fast(Path(path))
    monkeypatch.undo()
    assert opened == ["rb"]
    assert grid.sheets == _by_path(KALUGA).sheets  # the same grid as calamine by path


def _by_path(path: Path) -> Any:
    """The grid as the fast reader made it before (calamine opening the file by its path)."""
    real = python_calamine.CalamineWorkbook.from_filelike
    python_calamine.CalamineWorkbook.from_filelike = (  # type: ignore[method-assign]
        lambda _fh: python_calamine.CalamineWorkbook.from_path(str(path))
    )
    try:
        return load_grid_fast(path)
    finally:
        python_calamine.CalamineWorkbook.from_filelike = real  # type: ignore[method-assign]


def test_the_manifest_is_parsed_once_per_template_and_each_reader_gets_its_own_copy():
    package._parsed.cache_clear()
    with zipfile.ZipFile(KALUGA) as zf:
        first = package.manifest_of(zf)
        first.parts.clear()  # a caller changing its copy changes nobody else's
        second = package.manifest_of(zf)
        plain = package.manifest(zf)
    assert package._parsed.cache_info().hits == 1
    assert second == plain and second.parts


def test_each_sheet_the_reader_wants_is_inflated_once(tmp_path, monkeypatch):
    """The limits, formula, error and spacing scans share one inflated copy of each sheet
    (calamine inflates its own, in Rust); the shared strings are inflated once too."""
    reads: list[str] = []
    real_read = zipfile.ZipFile.read

    def counting_read(self: zipfile.ZipFile, name: Any, pwd: Any = None) -> bytes:
        reads.append(name if isinstance(name, str) else name.filename)
        return real_read(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", counting_read)
    load_grid_fast(KALUGA)
    monkeypatch.undo()
    sheets = [name for name in reads if name.startswith("xl/worksheets/")]
    assert sheets and len(sheets) == len(set(sheets)), reads
    assert reads.count("xl/sharedStrings.xml") <= 1


_FAR_ROW = b'<row r="40000"><c r="ALL40000"><v>7</v></c></row>'


def _with_far_cell(tmp_path: Path, where: str) -> Path:
    """The Kaluga example with a cell at ALL40000 (beyond the area limit) written on the
    «Оценка» sheet outside its cell data: before <sheetData>, after it, in a second one."""
    with zipfile.ZipFile(KALUGA) as src:
        part = package.manifest(src).parts["Оценка"]
        out = tmp_path / f"far-{where}.xlsx"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == part:
                    if where == "before":
                        data = data.replace(b"<sheetData>", _FAR_ROW + b"<sheetData>", 1)
                    elif where == "after":
                        data = data.replace(b"</sheetData>", b"</sheetData>" + _FAR_ROW, 1)
                    elif where == "second":
                        second = b"<sheetData>" + _FAR_ROW + b"</sheetData>"
                        data = data.replace(b"</sheetData>", b"</sheetData>" + second, 1)
                    else:  # inside: the real thing, refused
                        data = data.replace(b"</sheetData>", _FAR_ROW + b"</sheetData>", 1)
                dst.writestr(info.filename, data)
    return out


@pytest.mark.parametrize("where", ["before", "after", "second"])
def test_calamine_reads_cells_inside_sheet_data_only_so_its_limits_look_there(tmp_path, where):
    """What the calamine reader's pre-read scan relies on (io.limits): python-calamine takes
    a sheet's cells from its first <sheetData> only. Should a later calamine read cells
    elsewhere, this fails, and the scan must look at the whole part again. The scan looks
    from the first <sheetData> to the last </sheetData>: a second one is scanned (and the
    far cell in it refused) although calamine would not read it."""
    from sheetprog.errors import UnreadableInputError
    from sheetprog.io import limits

    plain = python_calamine.CalamineWorkbook.from_path(str(KALUGA)).get_sheet_by_name("Оценка")
    path = _with_far_cell(tmp_path, where)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Оценка")
    assert (sheet.height, sheet.width) == (plain.height, plain.width)
    if where == "second":
        with pytest.raises(UnreadableInputError):
            load_grid_fast(path)
    else:
        assert load_grid_fast(path).sheets["Оценка"] == load_grid_fast(KALUGA).sheets["Оценка"]
    with zipfile.ZipFile(path) as zf, pytest.raises(UnreadableInputError):
        # openpyxl's reader takes <row> elements anywhere: for it the whole part is scanned
        limits.check_limits(zf, str(path), package.manifest(zf).parts)


def test_a_far_cell_inside_the_cell_data_is_refused_before_calamine_reads(tmp_path):
    from sheetprog.errors import UnreadableInputError

    with pytest.raises(UnreadableInputError, match="40\xa0000 строк × 1\xa0000 столбцов"):
        load_grid_fast(_with_far_cell(tmp_path, "inside"))


@pytest.mark.parametrize(
    ("address", "measured"),
    [("A999", False), ("ZZ999", False), ("A1000", True), ("AAA1", True), ("XFD9", True)],
)
def test_the_limits_measure_every_sheet_with_an_address_past_row_999_or_column_zz(
    address, measured
):
    """The fast path of io.limits skips collecting addresses only when none is at row 1 000
    or beyond or at column AAA or beyond (a bound under every limit); any such address is
    measured exactly, so an empty styled cell far out (allowed) still passes."""
    from sheetprog.io import limits

    xml = f'<worksheet><sheetData><row r="1"><c r="{address}"><v>1</v></c></row></sheetData>'
    assert (limits._usual(b"<c").search(xml.encode()) is not None) is measured
    styled = b'<worksheet><sheetData><row r="9"><c r="A9"><v>1</v></c><c r="XFD9" s="1"/>'
    limits.check_sheet(styled + b"</row></sheetData></worksheet>", "f", "s")


def _sheet_parts() -> list[tuple[str, bytes]]:
    from tests.conftest import ROOT

    found = []
    for path in sorted([*EXAMPLES.glob("*.xls*"), *(ROOT / "tests" / "corpus").rglob("*.xls*")]):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            continue
        with zf:
            found += [
                (f"{path.name}:{name}", zf.read(name))
                for name in zf.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            ]
    return found


def test_the_one_regex_formula_scan_finds_what_the_general_scan_finds(monkeypatch):
    """io.fast_grid reads the formulas of a sheet with many of them with one regex when the
    sheet has the common layout; on every sheet of the examples and the reader corpus it
    finds the same formulas, at the same cells, as the general scan."""
    from sheetprog.io import fast_grid, limits

    parts = _sheet_parts()
    fast_used = 0
    for name, xml in parts:
        span = limits.sheet_data_span(xml)
        plain = limits.check_sheet(xml, name, "лист", span)
        fast = fast_grid._scan_formulas(xml, span, plain)
        with monkeypatch.context() as m:
            m.setattr(fast_grid, "_PLAIN_FORMULA", None)  # the one regex would fail here
            general = fast_grid._scan_formulas(xml, span, plain=False)
        assert fast == general, name
        fast_used += plain and xml.count(b"<f", *span) > fast_grid._MANY
    assert fast_used >= 10 and len(parts) > 100


def test_remembered_parsing_is_parsing_with_fresh_lists():
    from sheetprog.read.cells import parse_cell, parse_cell_remembered
    from sheetprog.spec import Kind

    for kind, raw in [
        (Kind.MONEY, 1),
        (Kind.MONEY, 1.0),
        (Kind.FLAG, True),
        (Kind.TEXT, "  областной бюджет "),
        (Kind.NUMBER, "12,5"),
        (Kind.NUMBER, "двенадцать"),
        (Kind.TARGET, "не менее 95"),
    ]:
        assert parse_cell_remembered(kind, "k", raw) == parse_cell(kind, "k", raw)
        assert parse_cell_remembered(kind, "k", raw) == parse_cell(kind, "k", raw)  # remembered
    first = parse_cell_remembered(Kind.LIST, "k", "а; б")[0]
    first.append("в")
    assert parse_cell_remembered(Kind.LIST, "k", "а; б")[0] == ["а", "б"]
    assert type(parse_cell_remembered(Kind.TEXT, "k", 1)[0]) is type(
        parse_cell(Kind.TEXT, "k", 1)[0]
    )


# -- results released once consumed ------------------------------------------------------


def test_a_consumed_result_is_not_kept_and_waiting_tasks_are_bounded():
    records = [Record(file=f"{i}.xlsx", hash=str(i), mtime=0.0, status="не прочитан")
               for i in range(3)]  # fmt: skip
    futures: list[Future[list[Record]]] = [Future() for _ in range(3)]
    for future in futures:
        future.set_running_or_notify_cancel()
    futures[0].set_result([records[0]])
    seen: list[str] = []
    running = {future: [(f"{i}.xlsx", str(i))] for i, future in enumerate(futures)}

    def submit(chunk: list[tuple[str, str]]) -> Future[list[Record]]:
        raise AssertionError("nothing failed: nothing is sent again")

    batch_run._consume(running, lambda r: seen.append(r.file), submit, block=False)
    assert seen == ["0.xlsx"] and set(running) == set(futures[1:])  # the others still running
    # blocking waits for the next one to finish
    threading.Timer(0.05, lambda: futures[2].set_result([records[2]])).start()
    batch_run._consume(running, lambda r: seen.append(r.file), submit, block=True)
    assert seen == ["0.xlsx", "2.xlsx"] and set(running) == {futures[1]}


# -- the note: aggregates, not the whole region's rows ----------------------------------


def _summary(i: int) -> dict[str, Any]:
    return {
        "municipality": f"Район {i:05d}",
        "oktmo": f"{i:08d}",
        "program": "Программа",
        "period": "2016",
        "funding_plan": 10,
        "funding_actual": 9,
        "rating_value": 0.9,
        "region_value": 0.9,
        "error_codes": ["F03"] if i % 2 else [],
    }


def test_a_large_region_note_lists_the_first_programs_and_says_where_the_rest_are():
    n = region.NOTE_ROWS + 7
    ranking = [{"rank": i + 1, "value": 0.9, "file": f"{i}.xlsx"} for i in range(n)]
    context = region.region_context(
        (_summary(i) for i in range(n)),  # an iterator: consumed once
        {"files": n},
        ranking,
        [],
        region=RegionSettings(),
    )
    assert context["region"]["programs"] == n  # the figures count every program
    assert context["region"]["municipalities"] == n
    assert context["region"]["funding_plan"] == 10 * n
    assert sum(d["count"] for d in context["distribution"]) == n
    assert context["frequent_errors"][0]["files"] == n // 2
    programs, ranked = context["programs"], context["ranking"]
    assert len(programs) == len(ranked) == region.NOTE_ROWS + 1
    assert programs[-1]["municipality"] == "… и ещё 7 программ"
    assert "лист «Сводка»" in programs[-1]["program"]
    assert ranked[-2]["rank"] == region.NOTE_ROWS and ranked[-1]["rank"] == "…"
    assert "лист «Рейтинг»" in ranked[-1]["program"]


def test_a_region_within_the_limit_gets_every_row():
    n = region.NOTE_ROWS
    ranking = [{"rank": i + 1, "value": 0.9} for i in range(n)]
    context = region.region_context([_summary(i) for i in range(n)], {}, ranking, [])
    assert len(context["programs"]) == n and context["ranking"] == ranking


def test_every_list_of_the_note_is_cut_at_the_limit_and_says_where_the_rest_are(tmp_path):
    """Issue 21: the returns, unreadable files, other periods, changes, refined ratings,
    missing and late reports were listed whole — at 20 000 files (2 800 returns, 800
    unread) the process rendering the note reached 153 MB, more than the run's main
    process. Each list now keeps its first NOTE_ROWS rows and a last one saying how many
    more and where; the region's counts still count all."""
    import datetime as dt

    from docx import Document

    from sheetprog.batch.outputs import render_note

    n = region.NOTE_ROWS + 3
    day = dt.date(2025, 1, 20)
    expected = [
        {"oktmo": f"{i:08d}", "municipality": f"Район {i}", "program_code": "МП-1",
         "deadline": day, "submitted": None, "file": None,
         "status": "не представлено" if i % 2 else "с опозданием"}
        for i in range(2 * n)
    ]  # fmt: skip
    for row in expected:
        if row["status"] == "с опозданием":
            row["submitted"] = dt.date(2025, 1, 22)
    returns = [
        {"municipality": f"Район {i}", "program": "Программа", "file": f"r{i}.xlsx",
         "errors": 1, "reasons": "ошибок: 1", "copy": f"на доработку/{i}.xlsx",
         "letter": f"на доработку/{i}.docx"}
        for i in range(n)
    ]  # fmt: skip
    change = {"municipality": "Район", "program": "Программа", "accepted": "a.xlsx",
              "file": "b.xlsx", "cells": 1, "state": "изменение принятого отчёта",
              "summary": "Показатели!F5: «1» → «2»"}  # fmt: skip
    refined = {"municipality": "Район", "program": "Программа", "accepted": "a.xlsx",
               "file": "b.xlsx", "before_value": 0.9, "before_rating": "высокая",
               "value": 0.5, "rating": "низкая", "changed": True}  # fmt: skip
    context = region.region_context(
        [_summary(0)],
        {"files": n, "unreadable": n},
        [],
        expected,
        region=RegionSettings(),
        returns=returns,
        unreadable=[{"file": f"входящие/u{i}.xls", "reason": "старый формат"} for i in range(n)],
        other_period=[
            {"file": f"o{i}.xlsx", "municipality": "Район", "program": "П", "period": "2015"}
            for i in range(n)
        ],
        changes=[change] * n,
        refined=[refined] * n,
    )
    where = {
        "returns": "На доработку",
        "unreadable": "Сводка",
        "other_period": "Сводка",
        "changes": "Изменения принятых",
        "refined": "Изменения принятых",
        "missing": "Полнота",
        "late": "Полнота",
    }
    for name, sheet in where.items():
        rows = context[name]
        assert len(rows) == region.NOTE_ROWS + 1, name
        assert all(row["more"] == "" for row in rows[:-1]), name
        what = {"unreadable": "файла", "other_period": "файла", "returns": "возврата"}.get(
            name, "программы"
        )
        assert rows[-1]["more"] == (
            f"… и ещё 3 {what}; полный список — «Сводная таблица.xlsx», лист «{sheet}»."
        ), name
    assert context["region"]["returned"] == context["region"]["letters"] == n
    assert context["region"]["other_period"] == context["region"]["changes"] == n
    assert context["region"]["missing"] == context["region"]["late"] == n
    assert context["region"]["unreadable"] == n

    out = tmp_path / "записка.docx"
    render_note(context, out)
    document = Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    for name, sheet in where.items():
        line = context[name][-1]["more"]
        if name in ("returns", "changes", "refined"):  # a table's last row, two cells
            assert context[name][-1]["municipality"] in cells, name
            assert f"полный список — «Сводная таблица.xlsx», лист «{sheet}»" in cells, name
        else:  # a list of paragraphs: the line as it is, not inside the row's own text
            assert line in paragraphs, name
    assert not any(p.startswith("— «… и ещё") or "… и ещё 3 программы (" in p for p in paragraphs)
    assert sum(1 for p in paragraphs if p.startswith("— «u")) == region.NOTE_ROWS


# -- outputs streamed ---------------------------------------------------------------------


def test_summary_json_streamed_is_the_json_of_the_whole(tmp_path):
    from sheetprog.batch import outputs

    result = BatchResult(
        tmp_path,
        [
            Submission(file=f"{i}.xlsx", hash=None, mtime=0.0, status="не прочитан")
            for i in range(3)
        ],
        3,
        0,
    )
    result.period, result.notices = "2016", ["примечание"]
    path = tmp_path / "summary.json"
    outputs._write_summary(result, [{"file": "x"}], path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [s["file"] for s in data["submissions"]] == ["0.xlsx", "1.xlsx", "2.xlsx"]
    assert list(data)[:6] == ["generated", "period", "files", "processed", "reused",
                              "submissions"]  # fmt: skip
    assert data["returns"] == [{"file": "x"}] and data["notices"] == ["примечание"]


def test_links_kept_in_temporary_files_come_out_as_hyperlinks(tmp_path):
    wb = TableWorkbook()
    sheet = wb.add_sheet("Показатели", ["Ячейка", "Файл"], ["link", "link"])
    for i in range(1, 4):
        sheet.append([Link(f"X{i}", f"входящие/к {i}.xlsx", f"'Показатели'!X{i}"),
                      Link("файл", "https://example.org/a")])  # fmt: skip
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert sheet._links.closed and sheet._rels.closed
    ws = openpyxl.load_workbook(path)["Показатели"]
    assert (
        ws["A4"].hyperlink.target
        == "%D0%B2%D1%85%D0%BE%D0%B4%D1%8F%D1%89%D0%B8%D0%B5/%D0%BA%203.xlsx"
    )
    assert ws["A4"].hyperlink.location == "'Показатели'!X3"
    assert ws["B2"].hyperlink.target == "https://example.org/a"
    assert sum(1 for row in ws.iter_rows() for c in row if c.hyperlink) == 6


@pytest.mark.parametrize("n", [0, 1])
def test_a_sheet_without_links_has_no_relationships_part(tmp_path, n):
    wb = TableWorkbook()
    sheet = wb.add_sheet("A", ["x"], ["link"])
    for _ in range(n):
        sheet.append([Link("x", "a.xlsx")])
    wb.save(tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as zf:
        assert ("xl/worksheets/_rels/sheet1.xml.rels" in zf.namelist()) == bool(n)


def test_a_failed_cluster_task_is_split_and_only_its_culprit_is_unread(tmp_path):
    """Issue 20 for the Dask path: a task whose worker died (KilledWorker) failed the whole
    run. Now a task of several files is sent again file by file, and a file whose own task
    fails is that file's «не прочитан» record; the others are processed."""
    from sheetprog.batch.records import STATUS_UNREADABLE, Record
    from sheetprog.batch.run import _consume

    class KilledWorker(Exception):  # what distributed raises after its retries
        pass

    def ok(path: str, digest: str) -> Record:
        return Record(file=path, hash=digest, mtime=0.0, status="ok")

    def task(chunk: list[tuple[str, str]]) -> Future:
        future: Future = Future()
        if any(path.endswith("bad.xlsx") for path, _d in chunk):
            future.set_exception(KilledWorker("worker died"))
        else:
            future.set_result([ok(p, d) for p, d in chunk])
        return future

    chunk = [(str(tmp_path / n), n) for n in ("a.xlsx", "bad.xlsx", "c.xlsx")]
    running = {task(chunk): chunk}
    got: list[Record] = []
    while running:
        _consume(running, got.append, task, block=True)
    by_file = {Path(r.file).name: r for r in got}
    assert sorted(by_file) == ["a.xlsx", "bad.xlsx", "c.xlsx"]
    assert by_file["a.xlsx"].status == by_file["c.xlsx"].status == "ok"
    bad = by_file["bad.xlsx"]
    assert bad.status == STATUS_UNREADABLE and bad.hash == "bad.xlsx"
    assert "bad.xlsx" in bad.reason and "KilledWorker" in bad.reason


def test_cluster_tasks_hold_several_files_and_each_file_goes_once():
    """Issue 21: a cluster task carries up to TASK_FILES files (the per-task cost paid once
    per group), yet each worker gets at least 4 tasks of a group; every file is in exactly
    one task, in order (nothing sent twice)."""
    from sheetprog.batch.run import TASK_FILES, _chunks

    def files(n: int) -> list[tuple[str, str]]:
        return [(f"f{i}.xlsx", f"h{i}") for i in range(n)]

    for n, workers, size in [(256, 2, TASK_FILES), (256, 16, 4), (100, 2, 12), (7, 2, 1)]:
        chunks = _chunks(files(n), workers)
        assert [item for chunk in chunks for item in chunk] == files(n)
        assert max(map(len, chunks)) == size, (n, workers)
        assert len(chunks) >= min(n, 4 * workers)


def test_the_dask_benchmark_harness_runs_to_the_end_and_stops_its_cluster(tmp_path):
    """benchmarks/batch.py --dask (issue 21): the batch's exit 1 for an unread file is a
    result, and the cluster it started ends (SIGTERM to all at once left a worker retrying
    the stopped scheduler for ever, so the harness never returned)."""
    import subprocess
    import sys

    pytest.importorskip("distributed")
    import runpy

    harness = runpy.run_path(str(Path(__file__).parent.parent / "benchmarks" / "batch.py"))
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KALUGA, inbox / "k.xlsx")
    (inbox / "broken.xlsx").write_bytes(b"not a workbook")
    logs = tmp_path / "logs"
    cmd = [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(tmp_path / "out")]
    src = str(Path(__file__).parent.parent / "src")
    env = harness["_cluster_env"](Path(src))  # as the harness starts its cluster
    done = subprocess.run(
        [sys.executable, "-c", harness["DASK_RUN"], "1", *cmd],
        capture_output=True,
        text=True,
        timeout=240,
        env={**env, "DASK_BENCH_LOGS": str(logs)},
    )
    assert done.returncode == 1, done.stderr  # the broken file: «не прочитан»
    label, *numbers = done.stdout.strip().splitlines()[-1].rsplit(" ", 5)
    assert label == "run CPU" and all(float(n) >= 0 for n in numbers)
    # the worker ran with the region's cluster settings (issue 21), not Dask's defaults
    config = Path(src) / "sheetprog" / "batch" / "dask-cluster.yaml"
    assert (
        f"cluster config {config}: worker profiler off, tick 1s, sheetprog imported at start yes"
        in done.stdout
    ), done.stdout
    assert "End scheduler" in (logs / "scheduler.log").read_text()
    assert "End worker" in (logs / "worker0.log").read_text()


def test_the_region_cluster_settings_are_what_dask_reads_shipped_and_documented():
    """Issue 21: the Dask settings of a region's cluster (src/sheetprog/batch/dask-cluster.yaml,
    put by IT on every node): Dask's own config loader reads from the file the worker
    profiler off and a 1 s event-loop tick where Dask ships on and 20 ms (the watchdog's
    limit unchanged), and sheetprog preloaded in the workers; the file is package data
    (installed with sheetprog on the nodes) and every setting is explained in docs/batch.md."""
    dask_config = pytest.importorskip("dask.config")
    distributed = pytest.importorskip("distributed")
    import tomllib

    from sheetprog.batch import run as batch_run

    root = Path(__file__).parent.parent
    path = Path(batch_run.__file__).with_name("dask-cluster.yaml")
    shipped = dask_config.collect(
        paths=[str(Path(distributed.__file__).with_name("distributed.yaml"))], env={}
    )
    region = dask_config.merge(shipped, dask_config.collect(paths=[str(path)], env={}))

    def get(key: str, config: dict) -> object:
        return dask_config.get(key, config=config)

    assert get("distributed.worker.profile.enabled", shipped) is True
    assert get("distributed.worker.profile.enabled", region) is False
    assert get("distributed.admin.tick.interval", shipped) == "20ms"
    assert get("distributed.admin.tick.interval", region) == "1s"
    assert get("distributed.admin.tick.limit", region) == get(
        "distributed.admin.tick.limit", shipped
    )
    assert get("distributed.worker.preload", shipped) == []
    assert get("distributed.worker.preload", region) == ["sheetprog.batch.process"]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "batch/dask-cluster.yaml" in data["tool"]["setuptools"]["package-data"]["sheetprog"]
    docs = (root / "docs" / "batch.md").read_text(encoding="utf-8")
    for key in ("admin.tick.interval", "worker.profile.enabled", "worker.preload"):
        assert f"distributed.{key}" in docs, key
