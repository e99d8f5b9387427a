"""The hostile corpus (tests/hostile.py) through every command (issue 20).

Every run is a real ``python -m sheetprog`` process under ``RLIMIT_AS`` (the address space
a command may use; a normal command needs under 600 MB) and a timeout, so a reader that
allocates without bound fails here the way it fails for a clerk — python-calamine aborts
the process natively ("memory allocation of … bytes failed", SIGABRT) — instead of being
measured by a timed assertion. For each case and command: the exit code, a Russian message
naming the file, no traceback, the input unchanged.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 1 << 30  # bytes of address space for one command
TIMEOUT = 120  # seconds: a bound for a runaway command, far above any normal run

COMMANDS = ("info", "check", "calc", "report", "diff")
REFUSED = {c: 3 for c in COMMANDS}  # the file is not read: exit 3, a Russian reason
FINDINGS = {"info": 0, "check": 1, "calc": 0, "report": 0, "diff": 0}

# case → (expected exit code per command, what the messages must mention)
EXPECTED: dict[str, tuple[dict[str, int], tuple[str, ...]]] = {
    # 1. numbers and years out of the documented range: findings at their cells
    "funding_plan_1e27": (FINDINGS, ("R016", "Финансирование")),
    "fact_1e30": (FINDINGS, ("R016", "Показатели")),
    "fact_1e999999999": (FINDINGS, ("R016",)),
    "fact_text_1e999999999": (FINDINGS, ("R001",)),  # text with an exponent: not a number
    "fact_5000_nines": (FINDINGS, ("R016",)),
    "reporting_year_10000": (
        {**FINDINGS, "calc": 2, "report": 2},  # no reporting year: --period is asked for
        ("R017", "год 10000"),
    ),
    "passport_years_999999": (FINDINGS, ("R017", "год 999999")),
    "passport_start_year_1": (FINDINGS, ("R017", "год 1 ")),
    # 2. native aborts and 3. unbounded memory: refused before the reader allocates
    "cell_xfd1048576": (REFUSED, ("лист «Паспорт»", "XFD1048576")),
    "shared_strings_4e9": (REFUSED, ("4 000 000 000",)),
    "cell_xfd8000": (REFUSED, ("лист «Паспорт»", "XFD8000")),
    "cell_row_1000000": (REFUSED, ("лист «Паспорт»", "A1000000")),
    "dense_wide": (REFUSED, ("лист «Справочники»", "столбцов")),
    "dimension_xfd1048576": (FINDINGS, ()),  # a wrong <dimension> alone costs nothing
    # 7. a damaged part sheetprog does not read: read as usual (write-back: below)
    "bad_crc_docprops": (FINDINGS, ()),
    # 9. smaller: refused with the reason, never read silently
    "duplicate_entry": (REFUSED, ("дважды",)),
    "twin_sheet": (REFUSED, ("« паспорт »",)),
    "dotdot_entry": (REFUSED, ("../../evil.txt",)),
}


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def sheetprog(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """One command in its own process under the memory limit and the timeout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sheetprog", *map(str, args)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limited,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


def command(name: str, book: Path, out: Path) -> list[object]:
    return {
        "info": ["info", book],
        "check": ["check", book],
        "calc": ["calc", book],
        "report": ["report", "annual", book, "-o", out / f"{book.stem}.docx", "--replace"],
        "diff": ["diff", hostile.GOOD, book],
    }[name]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_command_on_a_hostile_workbook(case, corpus, tmp_path):
    book = corpus[case]
    before = digest(book)
    codes, mentions = EXPECTED[case]
    seen = ""
    for name in COMMANDS:
        result = sheetprog(*command(name, book, tmp_path))
        text = result.stdout + result.stderr
        assert result.returncode == codes[name], (name, result.returncode, text[-2000:])
        assert "Traceback" not in text and "panicked" not in text, (name, text[-2000:])
        assert "Внутренняя ошибка" not in text, (name, text[-2000:])
        if result.returncode == 3:
            assert result.stderr.startswith("Ошибка: "), result.stderr
            assert str(book) in result.stderr  # the file is named
        seen += text.replace("\u00a0", " ")
        assert len(text) < 200_000, (name, len(text))  # outputs bounded
    for mention in mentions:
        assert mention in seen, (mention, seen[-3000:])
    assert digest(book) == before  # the input is never modified


def test_a_far_cell_costs_nothing_before_the_fix_would_abort(corpus):
    """The same far cell that python-calamine cannot allocate (XFD1048576: 512 GiB asked
    for, SIGABRT) is refused by the pre-read scan under the same memory limit: exit 3, not a
    negative return code (a signal)."""
    result = sheetprog("info", corpus["cell_xfd1048576"])
    assert result.returncode == 3, result.stderr
    assert "больше 50 000 строк" in result.stderr.replace("\u00a0", " ")


def test_both_readers_refuse_the_same_limits(corpus):
    """The openpyxl reader and the calamine reader run the same pre-read scan: a million
    rows, a far column and a huge shared-strings table are refused by both alike."""
    from sheetprog.errors import UnreadableInputError
    from sheetprog.io.fast_grid import load_grid_fast
    from sheetprog.io.xlsx_grid import load_grid

    for case in ("cell_row_1000000", "cell_xfd8000", "shared_strings_4e9", "dense_wide"):
        messages = []
        for loader in (load_grid_fast, load_grid):
            with pytest.raises(UnreadableInputError) as err:
                loader(corpus[case])
            messages.append(err.value.message)
        assert messages[0] == messages[1], case


def test_findings_per_rule_are_capped_with_a_summary():
    from sheetprog.checks.base import Finding
    from sheetprog.checks.run import MAX_PER_RULE, cap_findings
    from sheetprog.checks.severity import Severity

    many = [Finding("R016", Severity.ERROR, "x", "Показатели", f"N{i}") for i in range(250)]
    few = [Finding("F03", Severity.WARNING, "y", "Паспорт", "B19")]
    capped = cap_findings(many + few)
    assert [f.cell for f in capped if f.code == "R016"][:MAX_PER_RULE] == [
        f"N{i}" for i in range(MAX_PER_RULE)
    ]
    summary = [f for f in capped if f.code == "R016"][-1]
    assert summary.cell is None and "150" in summary.message
    assert summary.severity is Severity.ERROR
    assert len(capped) == MAX_PER_RULE + 1 + 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1E+30", "1,0E+30"), ("Infinity", "∞"), ("-Infinity", "-∞"), ("12345.6789", "12 345,6789")],
)
def test_huge_numbers_are_shown_not_crashed_on(text, shown):
    from decimal import Decimal

    from sheetprog.fmt import number

    assert number(Decimal(text)).replace("\u00a0", " ") == shown


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (1e27, "R016"),
        (float("inf"), "R016"),
        ("9" * 5000, "R016"),
        ("1e999999999", "R001"),
        (999999999999999, None),  # just below 10^15
        (10**15, "R016"),
    ],
)
def test_number_range_is_a_finding(raw, code):
    from sheetprog.read.cells import parse_cell
    from sheetprog.spec import Kind

    _value, problem = parse_cell(Kind.MONEY, "plan", raw)
    assert (problem[0] if problem else None) == code


@pytest.mark.parametrize(
    ("year", "code"), [(1989, "R017"), (1990, None), (2100, None), (10000, "R017")]
)
def test_year_range_is_a_finding(year, code):
    from sheetprog.read.cells import parse_cell
    from sheetprog.spec import Kind

    _value, problem = parse_cell(Kind.INTEGER, "reporting_year", year)
    assert (problem[0] if problem else None) == code


# -- the regional batch over the corpus ------------------------------------------------------

GOOD_BOOKS = ("kaluga-2016.xlsx", "shakhty-2013.xlsx")


def inbox_with(corpus: dict[str, Path], folder: Path, cases: list[str]) -> Path:
    import shutil

    folder.mkdir()
    for name in GOOD_BOOKS:
        shutil.copy(ROOT / "examples" / name, folder / name)
    for case in cases:
        shutil.copy(corpus[case], folder / corpus[case].name)
    return folder


def test_a_batch_over_the_whole_corpus_processes_every_good_file(corpus, tmp_path):
    """Every hostile file is its own row (read with findings, or «не прочитан» with a Russian
    reason naming it); the good ones are processed; the batch exits 1 (files unread), not 4;
    a sheetprog.toml in the inbox disabling every rule is listed as ignored, not applied."""
    inbox = inbox_with(corpus, tmp_path / "inbox", sorted(corpus))
    (inbox / "sheetprog.toml").write_text('[checks]\ndisable = ["S01"]\n', encoding="utf-8")
    before = {p.name: digest(p) for p in inbox.iterdir()}
    out = tmp_path / "out"
    result = sheetprog("batch", inbox, "-o", out, "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Внутренняя ошибка" not in result.stderr and "Traceback" not in result.stderr
    assert "sheetprog.toml" in result.stderr and "не применяется" in result.stderr
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {Path(s["file"]).name: s for s in summary["submissions"]}
    assert set(rows) == {p.name for p in inbox.glob("*.xlsx")}
    for name in GOOD_BOOKS:
        assert rows[name]["status"] != "не прочитан", rows[name]
    for case, (codes, _mentions) in EXPECTED.items():
        row = rows[f"{case}.xlsx"]
        if codes["info"] == 3 or codes["calc"] == 2:  # unreadable, or no reporting year
            assert row["status"] == "не прочитан" and f"{case}.xlsx" in row["reason"], row
        else:
            assert row["status"] != "не прочитан", row
    assert {p.name: digest(p) for p in inbox.iterdir()} == before


def test_a_native_abort_in_a_worker_is_that_files_row(corpus, tmp_path, monkeypatch):
    """Without the pre-read scan, python-calamine aborts the worker natively on a cell at
    XFD1048576 (SIGABRT, "memory allocation of 549755813888 bytes failed"); the batch —
    even with one job — records that file as «не прочитан» naming it, processes the rest,
    does not try the same content again on a rerun, and does when asked."""
    from sheetprog.batch.run import run_batch
    from sheetprog.io import limits

    monkeypatch.setattr(limits, "check_limits", lambda *a, **k: None)  # workers are forked
    monkeypatch.setattr(limits, "check_read_sheets", lambda *a, **k: ({}, set()))  # calamine
    inbox = inbox_with(corpus, tmp_path / "inbox", ["cell_xfd1048576"])
    out = tmp_path / "out"
    result = run_batch(inbox, out, jobs=1)
    rows = {Path(s.file).name: s for s in result.submissions}
    bad = rows["cell_xfd1048576.xlsx"]
    assert bad.status == "не прочитан" and "cell_xfd1048576.xlsx" in (bad.reason or "")
    assert "аварийно" in (bad.reason or ""), bad.reason
    assert all(rows[name].status != "не прочитан" for name in GOOD_BOOKS)
    again = run_batch(inbox, out, jobs=1)
    assert again.processed == 0 and again.reused == 3  # the failed content is not retried
    retried = run_batch(inbox, out, jobs=1, retry_unread=True)
    assert retried.processed == 1


def test_a_file_over_its_time_budget_is_that_files_row(corpus, tmp_path, monkeypatch):
    from sheetprog.batch import process
    from sheetprog.batch.run import run_batch

    real = process.process_file

    def slow(path, *args, **kwargs):
        if "fact_1e30" in path:
            import time

            time.sleep(60)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(process, "process_file", slow)
    inbox = inbox_with(corpus, tmp_path / "inbox", ["fact_1e30"])
    config = tmp_path / "sheetprog.toml"
    config.write_text("[region]\nworker_seconds = 5\n", encoding="utf-8")
    result = run_batch(inbox, tmp_path / "out", jobs=2, config=config)
    rows = {Path(s.file).name: s for s in result.submissions}
    assert rows["fact_1e30.xlsx"].status == "не прочитан"
    assert "не уложилась в 5 с" in (rows["fact_1e30.xlsx"].reason or "")
    assert all(rows[name].status != "не прочитан" for name in GOOD_BOOKS)


def test_the_size_is_checked_before_hashing(tmp_path, monkeypatch):
    from sheetprog.batch import run as batch_run
    from sheetprog.io import safety

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    big = inbox / "huge.xlsx"
    with big.open("wb") as fh:  # sparse: 60 MB that take no disk
        fh.truncate(60 * 1024 * 1024)
    hashed = []
    real = batch_run.file_hash
    monkeypatch.setattr(batch_run, "file_hash", lambda p: hashed.append(p) or real(p))
    result = batch_run.run_batch(inbox, tmp_path / "out", jobs=1)
    assert hashed == []
    (row,) = result.submissions
    assert row.status == "не прочитан" and "слишком большой" in (row.reason or "")
    assert big.stat().st_size > safety.MAX_FILE_BYTES


def test_an_output_folder_inside_the_inbox_is_left_out(tmp_path):
    from sheetprog.batch.run import run_batch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    import shutil

    shutil.copy(ROOT / "examples" / "kaluga-2016.xlsx", inbox)
    out = inbox / "итоги"
    run_batch(inbox, out, jobs=1)
    second = run_batch(inbox, out, jobs=1)  # its own summary workbook is not a submission
    assert [Path(s.file).name for s in second.submissions] == ["kaluga-2016.xlsx"]
    assert any("внутри папки отчётов" in n for n in second.notices)


def test_a_sheetprog_toml_in_the_run_folder_inside_the_inbox_is_ignored(tmp_path, monkeypatch):
    from sheetprog.batch.run import run_batch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    import shutil

    shutil.copy(ROOT / "examples" / "shakhty-2013.xlsx", inbox)  # has check errors
    (inbox / "sheetprog.toml").write_text("[checks]\nbroken = 1\n", encoding="utf-8")
    monkeypatch.chdir(inbox)  # `sheetprog batch .` run from the inbox itself
    result = run_batch(inbox, tmp_path / "out", jobs=1)
    assert [s.status for s in result.submissions] == ["с ошибками"]
    assert any("не применяется" in n for n in result.notices)


# -- 4. injection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+1", True),
        ("\x00=HYPERLINK(1)", True),  # _x0000_ read back from a cell
        ("  \t@SUM(A1)", True),
        ("\x1b-2+3", True),
        ("+7 Город", True),
        ("Город", False),
        ("5-й этап", False),
    ],
)
def test_formula_like_text_is_guarded_after_control_characters_and_spaces(text, guarded):
    from sheetprog.io.textguard import clean, csv_text, formula_like

    assert formula_like(text) is guarded
    assert csv_text(text).startswith("'") is guarded
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in csv_text(text))
    assert "\x1b" not in clean(text) and "\x00" not in clean(text)


def test_batch_csv_and_workbook_carry_no_live_formula_and_no_control_characters(corpus, tmp_path):
    import csv

    import openpyxl

    inbox = inbox_with(corpus, tmp_path / "inbox", ["name_injection", "control_characters"])
    out = tmp_path / "out"
    sheetprog("batch", inbox, "-o", out, "--jobs", "1", cwd=tmp_path)
    for path in out.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text), path.name
        for row in csv.reader(text.splitlines(), delimiter=";"):
            for field in row:
                assert not field.lstrip(" \t").startswith(("=", "+", "@")), (path.name, field)
    wb = openpyxl.load_workbook(out / "Сводная таблица.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)


def test_checks_sheet_writes_formula_like_text_with_an_apostrophe(corpus, tmp_path):
    import zipfile

    out = tmp_path / "checked.xlsx"
    result = sheetprog("check", corpus["command_text"], "-o", out)
    assert result.returncode in (0, 1), result.stderr
    from sheetprog.io.fast_grid import workbook_manifest

    with zipfile.ZipFile(out) as zf:
        xml = zf.read(workbook_manifest(zf)[0]["Проверки"])
    assert b"=cmd|" in xml  # the finding shows the value as typed …
    assert b'<t xml:space="preserve">=cmd' not in xml  # … never as a bare formula
    assert b'<t xml:space="preserve">\'=cmd' in xml


def test_templates_render_sandboxed_and_the_lint_names_what_it_forbids(tmp_path):
    from docx import Document

    from sheetprog.reports.lint import lint_template
    from sheetprog.reports.schema import context_schema

    doc = Document()
    doc.add_paragraph("{{ ().__class__.__base__.__subclasses__()|length }}")
    template = tmp_path / "evil.docx"
    doc.save(str(template))
    problems = lint_template(template, context_schema())
    assert any("«__class__»" in p.message for p in problems), problems
    result = sheetprog(
        "report", "annual", hostile.GOOD, "--template", template, "-o", tmp_path / "r.docx"
    )
    assert result.returncode == 3, result.stderr
    assert "__class__" in result.stderr and not (tmp_path / "r.docx").exists()
    check = sheetprog("template", "check", template)
    assert check.returncode == 1 and "защищённом режиме" in check.stdout


# -- 6. faults of the environment --------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A real file system that fills up (tmpfs of 64 KiB) or is read-only; skipped where
    this process may not mount (needs root, as in the CI container)."""
    mounted = []

    def mount(name: str, *options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        opts = ",".join(("size=64k", *options))
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


BIG_EXAMPLE = ROOT / "examples" / "partizansk-2021.xlsx"  # larger than the 64 KiB disk


@pytest.mark.parametrize(
    "args",
    [
        ("check", BIG_EXAMPLE, "-o"),
        ("calc", BIG_EXAMPLE, "-o"),
        ("report", "annual", BIG_EXAMPLE, "-o"),
    ],
)
def test_a_full_disk_and_a_read_only_folder_are_russian_exit_5(args, small_disk):
    full = small_disk("full")
    readonly = small_disk("ro", "ro")
    suffix = ".docx" if args[0] == "report" else ".xlsx"
    for folder, words in ((full, "нет места"), (readonly, "только для чтения")):
        target = folder / f"out{suffix}"
        result = sheetprog(*args, target)
        assert result.returncode == 5, result.stderr
        assert result.stderr.startswith("Ошибка: ") and str(target) in result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
        assert list(folder.iterdir()) == []  # no temporary file, no half-written output


def test_a_batch_on_a_full_disk_stops_with_a_message_and_leaves_no_temporary_files(
    small_disk, tmp_path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    import shutil

    shutil.copy(ROOT / "examples" / "kaluga-2016.xlsx", inbox)
    out = small_disk("full") / "out"
    result = sheetprog("batch", inbox, "-o", out, "--jobs", "1")
    assert result.returncode == 5, result.stderr
    assert "нет места" in result.stderr or "Не удалось" in result.stderr
    assert "Traceback" not in result.stderr and "Внутренняя" not in result.stderr
    assert not [p for p in out.rglob("*") if ".sheetprog-tmp-" in p.name]


def test_an_output_that_is_a_folder_is_a_russian_exit_5(tmp_path):
    target = tmp_path / "copy.xlsx"
    target.mkdir()
    result = sheetprog("check", hostile.GOOD, "-o", target, "--replace")
    assert result.returncode == 5 and "на его месте папка" in result.stderr, result.stderr


def test_an_output_locked_by_excel_is_a_russian_exit_5(cli, tmp_path, monkeypatch):
    """On Windows os.replace onto a file Excel holds open fails with PermissionError
    (Python docs, os.replace / os.rename: "On Windows … PermissionError"); simulated here."""
    import os as real_os

    from sheetprog.io import atomic

    target = tmp_path / "copy.xlsx"
    target.write_bytes(b"previous")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file", str(src), None, str(dst))

    monkeypatch.setattr(atomic.os, "replace", locked)
    result = cli("check", hostile.GOOD, "-o", target, "--replace")
    monkeypatch.setattr(atomic.os, "replace", real_os.replace)
    assert result.exit_code == 5, result.stderr
    assert "открыт в другой программе" in result.stderr and str(target) in result.stderr
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["copy.xlsx"]


def test_no_read_permission_is_russian_exit_3_in_every_command(cli, tmp_path, monkeypatch):
    """access(2) says EACCES for a file without read permission; this process runs as root
    (which reads everything), so the answer is simulated for that one file."""
    import os as real_os
    import shutil

    book = tmp_path / "закрытая.xlsx"
    shutil.copy(hostile.GOOD, book)
    real_access = real_os.access
    monkeypatch.setattr(
        "sheetprog.io.safety.os.access",
        lambda p, mode, **kw: False if str(p) == str(book) else real_access(p, mode, **kw),
    )
    for args in (
        ("info", book),
        ("check", book),
        ("calc", book),
        ("report", "annual", book, "-o", tmp_path / "r.docx"),
        ("diff", hostile.GOOD, book),
    ):
        result = cli(*args)
        assert result.exit_code == 3, (args, result.stderr)
        assert f"Нет прав на чтение файла «{book}»" in result.stderr
        assert "not readable" not in result.stderr


def test_concurrent_runs_on_one_output_folder_are_serialised(tmp_path):
    from sheetprog.batch.lock import folder_lock

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):
        result = sheetprog("batch", inbox, "-o", out, "--jobs", "1")
    assert result.returncode == 5, result.stderr
    assert "занята" in result.stderr and str(out) in result.stderr


def test_a_failed_run_leaves_the_previous_outputs_and_no_orphans(tmp_path, monkeypatch):
    import shutil

    from sheetprog.batch import outputs
    from sheetprog.batch.run import run_batch
    from sheetprog.errors import OutputWriteError

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ROOT / "examples" / "kaluga-2016.xlsx", inbox)
    out = tmp_path / "out"
    run_batch(inbox, out, jobs=1)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    (out / ".Сводная таблица.sheetprog-tmp-killed.xlsx").write_bytes(b"")  # a killed run's

    def full(*_a, **_k):
        raise OutputWriteError("на диске нет места")

    monkeypatch.setattr(outputs, "_write_summary", full)
    shutil.copy(ROOT / "examples" / "shakhty-2013.xlsx", inbox)
    with pytest.raises(OutputWriteError):
        run_batch(inbox, out, jobs=1)
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert not [p for p in out.iterdir() if ".sheetprog-tmp-" in p.name]


# -- 7. write-back into damaged packages, links ------------------------------------------------


def test_write_back_copies_a_damaged_unread_part_as_it_is(corpus, tmp_path):
    """docProps/app.xml with a wrong CRC (sheetprog does not read it): reading succeeds and
    the copy carries that part byte for byte (its stored bytes and CRC), the rest rewritten."""
    import zipfile

    book = corpus["bad_crc_docprops"]
    for command in ("check", "calc"):
        out = tmp_path / f"{command}.xlsx"
        result = sheetprog(command, book, "-o", out)
        assert result.returncode in (0, 1), result.stderr
        with zipfile.ZipFile(book) as src, zipfile.ZipFile(out) as dst:
            a, b = src.getinfo("docProps/app.xml"), dst.getinfo("docProps/app.xml")
            assert (a.CRC, a.compress_size, a.file_size) == (b.CRC, b.compress_size, b.file_size)
            assert dst.testzip() == "docProps/app.xml"  # still the only damaged part
        assert sheetprog("info", out).returncode == 0


def test_write_back_into_a_package_without_content_types_is_refused(corpus, tmp_path):
    import shutil

    book = tmp_path / "book.xlsx"
    shutil.copy(corpus["no_content_types"], book)
    before = digest(book)
    for args in (("check", book, "-o", tmp_path / "c.xlsx"), ("calc", book, "--in-place")):
        result = sheetprog(*args)
        assert result.returncode == 3, result.stderr
        assert "[Content_Types].xml" in result.stderr and str(book) in result.stderr
    assert digest(book) == before and not (tmp_path / "c.xlsx").exists()


def test_in_place_writes_through_a_symlink_and_a_hardlink(tmp_path):
    import os
    import shutil
    import stat

    target = tmp_path / "real.xlsx"
    shutil.copy(hostile.GOOD, target)
    os.chown(target, 12345, 54321)
    os.chmod(target, 0o640)
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    hard = tmp_path / "hard.xlsx"
    os.link(target, hard)
    before = digest(target)
    result = sheetprog("calc", link, "--in-place")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and digest(target) != before  # the target was updated
    after_link = digest(target)
    result = sheetprog("check", hard, "--in-place")
    assert result.returncode in (0, 1), result.stderr
    info = target.stat()
    assert os.path.samefile(target, hard) and info.st_nlink == 2  # still one file
    assert digest(target) != after_link
    assert (info.st_uid, info.st_gid) == (12345, 54321)
    assert stat.S_IMODE(info.st_mode) == 0o640
    assert sheetprog("info", link).returncode == 0


def test_docs_state_the_limits_the_code_enforces():
    from sheetprog.batch.isolation import DEFAULT_MEMORY_MB, DEFAULT_SECONDS
    from sheetprog.checks.run import MAX_PER_RULE
    from sheetprog.fmt import number
    from sheetprog.io import limits, safety
    from sheetprog.values import MAX_YEAR, MIN_YEAR

    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for value in (
        safety.MAX_ROWS,
        safety.MAX_COLUMNS,
        limits.MAX_AREA,
        limits.MAX_CELLS,
        limits.MAX_SHARED_STRINGS,
    ):
        assert number(value).replace("\u00a0", " ") in text, value
    assert f"{MIN_YEAR}–{MAX_YEAR}" in text and f"At most {MAX_PER_RULE} findings" in text
    assert f"worker_memory_mb = {DEFAULT_MEMORY_MB}" in text
    assert f"worker_seconds = {DEFAULT_SECONDS}" in text


def test_a_store_in_a_read_only_folder_names_the_folder_not_a_password(small_disk, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store = small_disk("ro", "ro") / "store.db"
    result = sheetprog("batch", inbox, "-o", tmp_path / "out", "--db", f"sqlite:///{store}")
    assert result.returncode == 5, result.stderr
    assert "доступна для записи" in result.stderr and "парол" not in result.stderr


def test_three_simultaneous_first_runs_on_one_folder(tmp_path):
    """Started together on one new output folder: each either runs (alone, under the lock)
    or stops at once saying the folder is busy — never a store or password error."""
    import shutil

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ROOT / "examples" / "kaluga-2016.xlsx", inbox)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=TIMEOUT), p.communicate()[1]) for p in runs]
    assert any(code == 0 for code, _err in results), results
    for code, err in results:
        assert code == 0 or (code == 5 and "занята" in err), (code, err)


def test_workers_end_with_a_killed_run(corpus, tmp_path):
    """A run killed outright (SIGKILL) leaves no worker behind: each watches its parent."""
    import signal
    import time

    inbox = inbox_with(corpus, tmp_path / "inbox", sorted(corpus))
    out = tmp_path / "killed-run"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(out), "--jobs", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def workers() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if (
                entry.name.isdigit()
                and str(out).encode() in cmdline
                and int(entry.name) != proc.pid
            ):
                found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 60
    while not workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers(), "the run started no worker"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers() == []


def test_new_from_a_definition_guards_formula_like_text_and_drops_control_characters(cli, tmp_path):
    """``new --from`` (openpyxl) guarded only a leading «=»: «+», «-», «@» and a formula behind
    a control character went into the workbook as plain text a clerk's re-entry would run, and
    a control character made openpyxl raise. Now: the quote prefix, control characters out."""
    import openpyxl
    import yaml

    data = yaml.safe_load((EXAMPLES / "kaluga-2016.yaml").read_text(encoding="utf-8"))
    data["passport"]["program_name"] = "+cmd|' /C calc'!A0"
    data["passport"]["goal"] = '\x07\x00=HYPERLINK("http://example.invalid")'
    definition = tmp_path / "hostile.yaml"
    definition.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "new.xlsx"
    result = cli("new", out, "--from", definition)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Паспорт"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    name = cells["+cmd|' /C calc'!A0"]
    goal = cells['=HYPERLINK("http://example.invalid")']
    for cell in (name, goal):
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert not any("\x07" in v or "\x00" in v for v in cells)


def test_write_back_from_a_file_that_is_not_a_package_is_refused_in_russian(tmp_path):
    """write_checks with a report made earlier (as the batch's returned copies are) from a
    file that is no longer a zip: an UnreadableInputError naming it, nothing written."""
    import pytest

    from sheetprog.api import write_checks
    from sheetprog.checks.report import CheckReport
    from sheetprog.errors import UnreadableInputError

    source = tmp_path / "book.xlsx"
    source.write_bytes(b"PK\x03\x04 but cut short")
    with pytest.raises(UnreadableInputError) as caught:
        write_checks(source, CheckReport(str(source), []), out=tmp_path / "copy.xlsx")
    assert str(source) in str(caught.value) and "сама книга не изменена" in str(caught.value)
    assert not (tmp_path / "copy.xlsx").exists()
    assert source.read_bytes() == b"PK\x03\x04 but cut short"
