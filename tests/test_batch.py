"""sheetprog batch: intake, counts, ranking, completeness, store, resume, injection safety."""

from __future__ import annotations

import copy
import csv
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetprog.api import load_definition
from sheetprog.batch.process import file_hash
from sheetprog.batch.run import find_files
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.periods import Period
from tests.conftest import EXAMPLES, PROGRAM_EXAMPLES, PROJECT_EXAMPLES

GENERATED = 100


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def generated(n: int) -> list[tuple[str, object]]:
    """Perturbed copies of the Kaluga example: other municipalities, facts and spending."""
    base = load_definition(EXAMPLES / "kaluga-2016.yaml")
    out = []
    for i in range(n):
        program = copy.deepcopy(base)
        program.passport.municipality = f"Муниципальный район № {i:03d}"
        program.passport.oktmo = f"{60600000 + i:08d}"
        program.passport.program_code = "МС-1"
        for ind in program.indicators:
            fact = ind.facts.get(Period(2016))
            if fact is not None:
                ind.facts[Period(2016)] = fact * Decimal(80 + (i * 7) % 41) / 100
        for line in program.funding:
            line.cash[Period(2016)] = line.plan[2016] * Decimal(70 + i % 31) / 100
        out.append((f"gen-{i:03d}.xlsx", program))
    return out


# the inbox has unreadable files («bad/»): the batch processes the rest and exits 1 (issue 20)
UNREAD = 1


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for example in PROGRAM_EXAMPLES + PROJECT_EXAMPLES:  # both structures in one inbox
        shutil.copy(example, folder / example.name)
    (folder / "region-a").mkdir()
    for name, program in generated(GENERATED):
        save_workbook(build_workbook(program), folder / "region-a" / name)
    bad = folder / "bad"
    bad.mkdir()
    (bad / "empty.xlsx").write_bytes(b"")
    (bad / "text.xlsx").write_text("это не книга", encoding="utf-8")
    (bad / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with zipfile.ZipFile(bad / "table.ods", "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "чужая книга"
    wb.save(bad / "other.xlsx")
    # the same program submitted twice: the newer file counts
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", folder / "kaluga-2016-resubmitted.xlsx")
    older = time.time() - 86400
    os.utime(folder / "kaluga-2016.xlsx", (older, older))
    return folder


def run(inbox: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_batch_over_examples_generated_and_bad_inputs(inbox, tmp_path):
    before = digest(inbox)
    expected = tmp_path / "expected.csv"
    expected.write_text(
        "ОКТМО;Муниципальное образование;Код программы;Срок\n"
        "60600000;Район 0;МС-1;31.12.2099\n"
        "60600001;Район 1;МС-1;01.01.2000\n"
        "99999999;Никто;МС-1;31.12.2099\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    # one period at a time: the Kaluga copies report on 2016; the other examples on 2012,
    # 2013 and 2021 are listed apart and not ranked
    result = run(inbox, out, "--expected", str(expected), "--jobs", "2", "--period", "2016")
    assert result.returncode == UNREAD, result.stderr
    assert digest(inbox) == before  # inputs untouched
    subs = rows(out / "submissions.csv")
    header, body = subs[0], subs[1:]
    status = header.index("Статус")
    counts: dict[str, int] = {}
    for row in body:
        counts[row[status]] = counts.get(row[status], 0) + 1
    total = GENERATED + len(PROGRAM_EXAMPLES) + len(PROJECT_EXAMPLES) + 1 + 5
    assert len(body) == total
    assert counts["не прочитан"] == 5  # empty, not a zip, .xls, .ods, not a template
    assert counts.get("принят", 0) + counts.get("с ошибками", 0) == total - 5
    reasons = {Path(r[header.index("Файл")]).name: r[header.index("Причина")] for r in body}
    assert "старом формате Excel 97–2003" in reasons["old.xls"]
    assert "OpenDocument" in reasons["table.ods"]
    assert "не является книгой мониторинга" in reasons["other.xlsx"]
    superseded = [r for r in body if r[header.index("Заменена более новой")]]
    assert [Path(r[header.index("Файл")]).name for r in superseded] == ["kaluga-2016.xlsx"]
    state = header.index("Состояние")
    other = sorted(Path(r[header.index("Файл")]).name for r in body if r[state] == "другой "
                   "отчётный период")  # fmt: skip
    # the project-structure example (2025) is consolidated too, under its own period
    assert other == [
        "chechnya-2012.xlsx",
        "partizansk-2021.xlsx",
        "project-plodovskoe-2025.xlsx",
        "shakhty-2013.xlsx",
    ]
    ranking = rows(out / "ranking.csv")[1:]
    assert len(ranking) == total - 5 - 1 - len(other)
    values = [float(r[1]) for r in ranking]
    assert values == sorted(values, reverse=True)
    places = [int(r[0]) for r in ranking]
    for i in range(1, len(ranking)):  # ties share a place, then places skip
        assert places[i] == (places[i - 1] if values[i] == values[i - 1] else i + 1)
    complete = {r[0]: r[4] for r in rows(out / "completeness.csv")[1:]}
    assert complete == {
        "60600000": "в срок",
        "60600001": "с опозданием",
        "99999999": "не представлено",
    }
    with sqlite3.connect(out / "sheetprog-batch.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    assert stored == total - 1  # the resubmitted copy has the same content as the original
    wb = openpyxl.load_workbook(out / "Сводная таблица.xlsx", read_only=True)
    assert wb.sheetnames == [
        "Сводка",
        "Итоги по региону",
        "Рейтинг",
        "Полнота",
        "На доработку",
        "Изменения принятых",
        "Показатели",
        "Мероприятия",
        "Финансирование",
        "Замечания",
    ]
    from tests.conftest import docx_content

    note = docx_content(out / "Сводная аналитическая записка.docx")
    tables = [b for b in note["blocks"] if isinstance(b, list)]
    programs = next(t for t in tables if t[0][:2] == ["Муниципальное образование", "Программа"])
    assert len(programs) == total - 5 - 1 - len(other) + 1  # one row a current program, header
    ranked = next(t for t in tables if t[0][0] == "Место")
    places = [int(row[0]) for row in ranked[1:]]
    assert len(places) == len(ranking) and places[0] == 1 and places == sorted(places)
    missing = [b for b in note["blocks"] if isinstance(b, str) and "Никто" in b]
    assert missing and "99999999" in missing[0]
    again = run(inbox, out)
    assert again.returncode == UNREAD and "обработано сейчас 0" in again.stdout


def test_killed_batch_resumes_to_the_same_outputs(inbox, tmp_path):
    whole = tmp_path / "whole"
    assert run(inbox, whole, "--jobs", "1").returncode == UNREAD
    broken = tmp_path / "broken"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(broken), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = broken / "sheetprog-batch.db"
    deadline = time.time() + 120
    while time.time() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] >= 10:
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    resumed = run(inbox, broken, "--jobs", "2")
    assert resumed.returncode == UNREAD
    assert "из хранилища" in resumed.stdout and "из хранилища 0" not in resumed.stdout
    for name in ("submissions", "ranking", "indicators", "activities", "funding", "findings"):
        assert sorted(rows(whole / f"{name}.csv")) == sorted(rows(broken / f"{name}.csv")), name


def test_text_starting_like_a_formula_stays_text(tmp_path):
    program = load_definition(EXAMPLES / "kaluga-2016.yaml")
    program.activities[0].name = '=HYPERLINK("http://evil.example","нажми")'
    program.passport.municipality = "+7 Город"
    folder = tmp_path / "in"
    folder.mkdir()
    save_workbook(build_workbook(program), folder / "book.xlsx")
    out = tmp_path / "out"
    assert run(folder, out).returncode == 0
    wb = openpyxl.load_workbook(out / "Сводная таблица.xlsx")
    names = [c for c in wb["Мероприятия"]["E"] if c.value and "HYPERLINK" in str(c.value)]
    assert names and all(c.data_type == "s" for c in names)
    assert names[0].value == '=HYPERLINK("http://evil.example","нажми")'
    town = [c for c in wb["Сводка"]["A"] if c.value == "+7 Город"]
    assert town and town[0].data_type == "s"
    assert any(r[4].startswith("'=HYPERLINK") for r in rows(out / "activities.csv")[1:])


def test_diff_between_two_submissions(cli, tmp_path):
    old = tmp_path / "old.xlsx"
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", old)
    wb = openpyxl.load_workbook(old)
    wb["Показатели"]["X5"] = 95
    wb["Мероприятия"]["P4"] = "новая проблема"
    new = tmp_path / "new.xlsx"
    wb.save(new)
    result = cli("diff", old, new, "--json")
    assert result.exit_code == 0
    import json

    changes = json.loads(result.stdout)
    assert [(c["sheet"], c["cell"], c["new"]) for c in changes] == [
        ("Мероприятия", "P4", "новая проблема"),
        ("Показатели", "X5", 95),
    ]
    other = cli("diff", old, EXAMPLES / "shakhty-2013.xlsx")
    assert other.exit_code == 2 and "разных программ" in other.stderr
    same = cli("diff", old, old)
    assert same.exit_code == 0 and "Изменений нет" in same.stdout


def test_store_keeps_periods_and_the_note_shows_the_trend(tmp_path):
    """The same program submitted for 2015 and then for 2016: the note shows both periods."""
    from tests.conftest import docx_content

    out = tmp_path / "out"
    for year, name in ((2015, "k2015.xlsx"), (2016, "k2016.xlsx")):
        program = load_definition(EXAMPLES / "kaluga-2016.yaml")
        program.passport.reporting_year = year
        folder = tmp_path / f"in{year}"
        folder.mkdir()
        save_workbook(build_workbook(program), folder / name)
        assert run(folder, out).returncode == 0
    with sqlite3.connect(out / "sheetprog-batch.db") as db:
        periods = sorted(r[0] for r in db.execute("SELECT period FROM submissions"))
    assert periods == ["2015", "2016"]
    note = docx_content(out / "Сводная аналитическая записка.docx")
    trend_table = next(
        b for b in note["blocks"] if isinstance(b, list) and b[0][-1] == "Оценка по периодам"
    )
    assert trend_table[1][2].startswith("2015: ") and " → 2016: " in trend_table[1][2]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mongodb://user:secret@host/db", "не поддерживается"),
        ("postgresql+psycopg://sheetprog:secret@127.0.0.1:9/region", "Не удалось открыть"),
    ],
)
def test_bad_store_url_is_refused_before_any_work(cli, tmp_path, url, message):
    out = tmp_path / "out"
    result = cli("batch", EXAMPLES, "-o", out, "--db", url)
    assert result.exit_code == 2
    assert message in result.stderr and "secret" not in result.stderr
    assert not (out / "Сводная таблица.xlsx").exists()


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a Unix socket; its SQLAlchemy URL."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run installs it")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    bindir = bins[-1].parent
    root = Path(tempfile.mkdtemp(prefix="sheetprog-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", 55432
    subprocess.run([*as_user, bindir / "initdb", "-D", data, "-U", "sheetprog", "-A", "trust"],
                   check=True, capture_output=True)  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=''"
    subprocess.run([*as_user, bindir / "pg_ctl", "-D", data, "-o", options, "-w", "start",
                    "-l", root / "log"], check=True, capture_output=True)  # fmt: skip
    try:
        subprocess.run([*as_user, bindir / "createdb", "-h", root, "-p", str(port), "-U",
                        "sheetprog", "region"], check=True, capture_output=True)  # fmt: skip
        yield f"postgresql+psycopg://sheetprog@/region?host={root}&port={port}"
    finally:
        subprocess.run([*as_user, bindir / "pg_ctl", "-D", data, "-m", "fast", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def test_postgresql_store_gives_the_same_results_and_resumes(inbox, tmp_path, postgres):
    local = tmp_path / "local"
    assert run(inbox, local, "--jobs", "2").returncode == UNREAD
    remote = tmp_path / "pg"
    first = run(inbox, remote, "--jobs", "2", "--db", postgres)
    assert first.returncode == UNREAD, first.stderr
    total = len(find_files(inbox))
    assert f"обработано сейчас {total}, из хранилища 0" in first.stdout
    assert not (remote / "sheetprog-batch.db").exists()
    for name in ("submissions", "ranking", "indicators", "activities", "funding", "findings"):
        assert sorted(rows(local / f"{name}.csv")) == sorted(rows(remote / f"{name}.csv")), name
    again = run(inbox, tmp_path / "pg2", "--jobs", "2", "--db", postgres)
    assert f"обработано сейчас 0, из хранилища {total}" in again.stdout
    import sqlalchemy as sa

    contents = {file_hash(p) for p in find_files(inbox)}  # the resubmitted copy is identical
    engine = sa.create_engine(postgres)
    with engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT hash FROM submissions")).scalars())
    assert stored == contents and len(contents) == total - 1
    engine.dispose()


def test_dask_cluster_gives_the_same_results_as_the_local_run(inbox, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local"
    assert run(inbox, local, "--jobs", "2").returncode == UNREAD
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids  # separate worker processes
        remote = tmp_path / "dask"
        result = run(inbox, remote, "--scheduler", cluster.scheduler_address)
    assert result.returncode == UNREAD, result.stderr
    assert f"обработано сейчас {len(find_files(inbox))}," in result.stdout  # all on the cluster
    for name in ("submissions", "ranking", "indicators", "activities", "funding", "findings"):
        assert sorted(rows(local / f"{name}.csv")) == sorted(rows(remote / f"{name}.csv")), name


def test_unreachable_scheduler_gives_a_russian_message(cli, tmp_path):
    result = cli("batch", EXAMPLES, "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "планировщику Dask «tcp://127.0.0.1:9»" in result.stderr


@pytest.mark.parametrize("stage", ["hashing", "worker"])
def test_a_file_that_cannot_be_opened_is_a_row_with_its_reason(tmp_path, monkeypatch, stage):
    """A locked or vanished file (as root, permissions cannot make one here, so the read
    fails by substitution) becomes a row with a Russian reason, is not stored, the run goes
    on and a later run tries it again."""
    from sheetprog.batch import process
    from sheetprog.batch import run as batch_run

    folder = tmp_path / "in"
    folder.mkdir()
    for example in ("kaluga-2016.xlsx", "shakhty-2013.xlsx"):
        shutil.copy(EXAMPLES / example, folder / example)
    locked = folder / "shakhty-2013.xlsx"
    real_hash = process.file_hash

    def failing(path: Path) -> str:
        if path == locked:
            raise PermissionError(13, "Отказано в доступе", str(path))
        return real_hash(path)

    if stage == "hashing":
        monkeypatch.setattr(batch_run, "file_hash", failing)
        jobs = 2
    else:  # gone between hashing and reading; --jobs 1 runs the worker's code in this process
        import types

        def getmtime(path: Path) -> float:
            if Path(path) == locked:
                raise PermissionError(13, "Отказано в доступе", str(path))
            return os.path.getmtime(path)

        fake_os = types.SimpleNamespace(path=types.SimpleNamespace(getmtime=getmtime))
        monkeypatch.setattr(process, "os", fake_os)
        jobs = 1
    out = tmp_path / "out"
    result = batch_run.run_batch(folder, out, jobs=jobs)
    row = next(s for s in result.submissions if s.file == str(locked))
    assert row.status == "не прочитан"
    assert "не удалось открыть" in row.reason and "Отказано в доступе" in row.reason
    assert any(s.status != "не прочитан" for s in result.submissions)
    with sqlite3.connect(out / "sheetprog-batch.db") as db:
        assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
    monkeypatch.undo()
    again = batch_run.run_batch(folder, out, jobs=1)
    assert (again.processed, again.reused) == (1, 1)
