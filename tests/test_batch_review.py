"""The region's review cycle (issue 16): one period at a time, rankings by the region's
methodology, returns with letters, receipts and statuses in the store (SQLite and
PostgreSQL), changes of accepted reports, the summary workbook, progress lines."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from sheetprog.api import load_definition
from sheetprog.batch.config import RegionSettings
from sheetprog.batch.diff import diff_workbooks
from sheetprog.batch.progress import ProgressLines, progress_line
from sheetprog.batch.records import (
    STATE_ACCEPTED,
    STATE_CHANGE,
    STATE_OTHER_PERIOD,
    STATE_REPLACED,
    STATE_RETURNED,
    STATE_UNREAD,
    StatusRow,
    Submission,
)
from sheetprog.batch.review import review, run_period
from sheetprog.batch.run import run_batch
from sheetprog.batch.store import METADATA
from sheetprog.errors import ConfigError, UsageError
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import Explanation
from sheetprog.periods import Period
from sheetprog.settings import load_settings
from tests.conftest import EXAMPLES, docx_content
from tests.layout_lint import overflows
from tests.test_batch import postgres  # noqa: F401  (the throwaway PostgreSQL server)

FEDERAL = "Федеральная (СДп/ппз, ЭРгп)"
REGION_TOML = """
[region]
methodology = "average"
resubmit_days = 14
authority = "Министерство экономического развития Калужской области"
signatory_position = "Заместитель министра"
signatory_name = "А.Б. Сидоров"
contact = "В.Г. Петрова, 8 (4842) 00-00-00"
"""


# -- the review, pure -----------------------------------------------------------------------


def sub(file: str, who: str = "A", *, errors: int = 0, received: float = 1.0,
        digest: str | None = None, period: str = "2016") -> Submission:  # fmt: skip
    return Submission(
        file=file,
        hash=digest or f"h-{file}",
        mtime=received,
        status="с ошибками" if errors else "принят",
        municipality=f"Район {who}",
        oktmo=who,
        program="Программа",
        program_code="П-1",
        period=period,
        errors=errors,
        rating_value=0.9,
        received=received,
    )


def stored(s: Submission, status: str, since: float) -> StatusRow:
    return StatusRow("2016", s.hash or "", status, since, s.file, s.oktmo, s.municipality,
                     s.program, s.program_code, f"{s.oktmo.lower()}|п-1")  # fmt: skip


def test_one_period_the_latest_unless_asked():
    subs = [sub("a", period="2015"), sub("b", "B", period="2016-Q2"), sub("c", "C")]
    assert run_period(subs, None) == "2016"  # the year is later than its half
    assert run_period(subs, "2016-Q4") == "2016"
    assert run_period(subs, "2015") == "2015"
    decided = review(subs, "2016", [], now=5.0)
    assert [s.state for s in subs] == [STATE_OTHER_PERIOD, STATE_OTHER_PERIOD, STATE_ACCEPTED]
    assert [row.file for row in decided.rows] == ["c"]  # another period is not reviewed


def test_review_accepts_returns_and_replaces_older_editions():
    old, new, bad = sub("old", received=1.0), sub("new", received=2.0), sub("b", "B", errors=2)
    unread = Submission(file="x.xls", hash="h-x", mtime=1.0, status="не прочитан", reason="…")
    decided = review([old, new, bad, unread], "2016", [], now=10.0)
    assert (old.state, old.superseded_by) == (STATE_REPLACED, "new")
    assert (new.state, bad.state, unread.state) == (STATE_ACCEPTED, STATE_RETURNED, STATE_UNREAD)
    rows = {row.file: row for row in decided.rows}
    assert {f: r.status for f, r in rows.items()} == {
        "old": STATE_REPLACED, "new": STATE_ACCEPTED, "b": STATE_RETURNED, "x.xls": STATE_UNREAD,
    }  # fmt: skip
    assert rows["b"].detail == "ошибок: 2 ()" and rows["x.xls"].identity is None
    # the next run with the same inbox: nothing changes, the dates stay
    again = review([old, new, bad, unread], "2016", list(rows.values()), now=20.0)
    assert again.rows == [] and new.state_since == 10.0


def test_an_exact_copy_keeps_its_date_from_run_to_run():
    """Two files of one content (a clerk sent the same workbook twice): one counts, the
    other is «заменён»; the store keeps one status per content, so the copy's «Состояние
    с» is the content's date — not the date of each run, as it was."""
    first, copy = sub("a.xlsx", digest="same"), sub("a (2).xlsx", digest="same", received=1.0)
    copy.mtime = 0.5  # the older file of the two
    rows = review([first, copy], "2016", [], now=10.0).rows
    assert (first.state, copy.state) == (STATE_ACCEPTED, STATE_REPLACED)
    assert (first.state_since, copy.state_since) == (10.0, 10.0)
    again = review([first, copy], "2016", rows, now=20.0)
    assert again.rows == []
    assert (first.state, copy.state) == (STATE_ACCEPTED, STATE_REPLACED)
    assert (first.state_since, copy.state_since) == (10.0, 10.0)


def test_a_new_edition_of_an_accepted_report_is_held_until_the_changes_are_taken():
    accepted = sub("v1", received=1.0)
    first = review([accepted], "2016", [], now=1.0).rows
    v2 = sub("v2", received=5.0)
    held = review([sub("v1", received=1.0), v2], "2016", first, now=6.0, received={"h-v1": 1.0})
    assert v2.state == STATE_CHANGE and v2.change_of == "v1"
    assert [r.status for r in held.rows] == [STATE_CHANGE]  # v1 stays accepted
    # the accepted edition no longer in the inbox still counts: the run takes it from the store
    alone = sub("v2", received=5.0)
    gone = review([alone], "2016", first + held.rows, now=7.0, received={"h-v1": 1.0})
    assert alone.state == STATE_CHANGE and [r.file for r in gone.held] == ["v1"]
    # taken: the new edition is accepted, the old one replaced
    taken = review([sub("v2", received=5.0)], "2016", first + held.rows, now=8.0,
                   received={"h-v1": 1.0}, accept_changes=True)  # fmt: skip
    assert {r.file: r.status for r in taken.rows} == {"v2": STATE_ACCEPTED, "v1": STATE_REPLACED}
    # an edition older than the accepted one does not become a change
    older = sub("v0", received=0.5)
    review([older], "2016", first, now=9.0, received={"h-v1": 1.0})
    assert older.state == STATE_REPLACED


def test_a_returned_edition_is_replaced_by_the_next_one():
    returned = sub("r1", errors=1, received=1.0)
    first = review([returned], "2016", [], now=1.0).rows
    fixed = sub("r2", received=3.0)
    decided = review([fixed], "2016", first, now=4.0, received={"h-r1": 1.0})
    assert {r.file: r.status for r in decided.rows} == {"r2": STATE_ACCEPTED, "r1": STATE_REPLACED}


# -- [region] in sheetprog.toml ---------------------------------------------------------------


def test_region_section_is_parsed_and_validated(tmp_path):
    path = tmp_path / "sheetprog.toml"
    path.write_text(REGION_TOML + "exclude_errors = true\n", encoding="utf-8")
    region = load_settings(None, path).region
    assert region.chosen and region.methodology.key == "average" and region.exclude_errors
    assert (region.resubmit_days, region.signatory_name) == (14, "А.Б. Сидоров")
    path.write_text(
        '[region]\nmethodology = "federal"\n[region.methodology_]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="неизвестный параметр \\[region\\] «methodology_»"):
        load_settings(None, path)
    path.write_text(
        '[region]\nmethodology = "нет такой"\nresubmit_days = 0\nexclude_errors = "да"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as failed:
        load_settings(None, path)
    message = failed.value.message
    assert "строка 2: «methodology»: Методика «нет такой» не найдена" in message
    assert "строка 3: «resubmit_days»" in message and "строка 4: «exclude_errors»" in message
    path.write_text('[region.methodology]\npreset = "federal"\ncap = 1.2\n', encoding="utf-8")
    custom = load_settings(None, path).region
    assert custom.methodology.family == "federal" and custom.methodology.cap == Decimal("1.2")
    assert custom.method_id != RegionSettings().method_id
    path.write_text("[regoin]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[reserve\] и \[region\]"):
        load_settings(None, path)


# -- progress lines --------------------------------------------------------------------------


def test_progress_lines_when_the_output_is_not_a_terminal():
    clock = iter([0.0, 1.0, 4.0, 11.0, 12.0, 30.0])
    out = io.StringIO()
    progress = ProgressLines(out, every=10.0, clock=lambda: next(clock))
    for done in (1, 2, 3, 4, 5):
        progress(done, 5)
    assert out.getvalue().splitlines() == [
        "Обработано 3 из 5 книг (60 %), 0,3 книг/с, осталось ≈ 7 с.",
        "Обработано 5 из 5 книг (100 %), 0,2 книг/с, за 30 с.",
    ]
    assert (
        progress_line(1, 21, 2.0) == "Обработано 1 из 21 книги (4 %), 0,5 книг/с, осталось ≈ 40 с."
    )


# -- the whole cycle on real workbooks, SQLite and PostgreSQL ----------------------------------

BASE = load_definition(EXAMPLES / "kaluga-2016.yaml")


def book(folder: Path, name: str, municipality: str, oktmo: str, *, error: bool = False,
         federal: bool = False, year: int = 2016, fact: int | None = None) -> Path:  # fmt: skip
    """A Kaluga-like submission of another municipality; ``error``: an activity without its
    executor (A03, an error); ``federal``: assessed by the federal methodology."""
    program = copy.deepcopy(BASE)
    program.passport.municipality = municipality
    program.passport.oktmo = oktmo
    program.passport.reporting_year = year
    if error:
        program.activities[0].responsible = None
    if federal:
        program.passport.methodology = FEDERAL
    if fact is not None:
        program.indicators[0].facts[Period(2016)] = Decimal(fact)
    # issue 18: a deviation of the annual report is explained on «Пояснения» (H09); every
    # edition carries the same row, so a changed fact is the only cell that differs
    number = program.indicators[0].number
    program.explanations.append(Explanation("показатель", number, 2016, "иное", "Уточнено."))
    folder.mkdir(parents=True, exist_ok=True)
    save_workbook(build_workbook(program), folder / name)
    return folder / name


def parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The store of a run: SQLite in the output folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("postgres")
    engine = sa.create_engine(url)
    METADATA.drop_all(engine)  # another test's tables
    engine.dispose()
    return url


def test_the_review_cycle_over_three_runs(tmp_path, store_url, cli):
    inbox, out = tmp_path / "входящие", tmp_path / "результаты"
    config = tmp_path / "sheetprog.toml"
    config.write_text(REGION_TOML, encoding="utf-8")
    book(inbox, "kaluga.xlsx", "Город Калуга", "29701000")
    obninsk = book(inbox, "obninsk.xlsx", "Город Обнинск", "29715000", error=True)
    book(inbox, "kozelsk.xlsx", "Козельский район", "29616000", federal=True)
    book(inbox, "kaluga-2015.xlsx", "Город Калуга", "29701000", year=2015)
    (inbox / "пустой.xlsx").write_bytes(b"")
    expected = tmp_path / "expected.csv"
    expected.write_text(
        "ОКТМО;Муниципальное образование;Код программы;Срок\n"
        "29701000;Город Калуга;17;31.12.2099\n29715000;Город Обнинск;17;01.02.2017\n"
        "29999000;Город Никто;17;01.02.2017\n",
        encoding="utf-8",
    )
    receipts = tmp_path / "поступления.csv"
    receipts.write_text("Файл;Дата поступления\nobninsk.xlsx;15.01.2017\n", encoding="utf-8")
    kw = {"config": config, "jobs": 1, "db": store_url, "expected": expected}

    # run 1: one period (2016), the latest present; 2015 is listed apart
    first = run_batch(inbox, out, received=receipts, today=dt.date(2017, 2, 20), **kw)
    assert first.period == "2016"
    state = {Path(s.file).name: s.state for s in first.submissions}
    assert state == {
        "kaluga.xlsx": STATE_ACCEPTED, "obninsk.xlsx": STATE_RETURNED,
        "kozelsk.xlsx": STATE_ACCEPTED, "kaluga-2015.xlsx": STATE_OTHER_PERIOD,
        "пустой.xlsx": STATE_UNREAD,
    }  # fmt: skip
    # the receipt: from the list for Обнинск (on time), else the first time the store saw it
    received = {Path(s.file).name: (s.received, s.received_from) for s in first.submissions}
    assert received["obninsk.xlsx"] == (dt.datetime(2017, 1, 15).timestamp(), "список поступлений")
    assert received["kaluga.xlsx"][1] == "хранилище"
    assert received["kaluga.xlsx"][0] == pytest.approx(first.run_at)
    assert {c["municipality"]: c["status"] for c in first.completeness} == {
        "Город Калуга": "в срок", "Город Обнинск": "в срок", "Город Никто": "не представлено",
    }  # fmt: skip
    # the ranking: by the region's methodology, the federal program's own figure beside it
    ranked = {Path(r["file"]).name: r for r in first.ranking}
    assert set(ranked) == {"kaluga.xlsx", "obninsk.xlsx", "kozelsk.xlsx"}
    kozelsk = ranked["kozelsk.xlsx"]
    assert kozelsk["method"] == FEDERAL and kozelsk["own_value"] != kozelsk["value"]
    assert kozelsk["value"] == ranked["kaluga.xlsx"]["value"]  # the same figures, one method
    assert ranked["obninsk.xlsx"]["mark"] == "есть ошибки (1)"
    # return for revision: the copy exactly as «check -o» writes it, and a letter
    back = out / "на доработку"
    name = (
        "Город Обнинск — Развитие муниципальной службы в муниципальном образовании «Город Калуга»"
    )
    assert sorted(p.name for p in back.iterdir()) == sorted(
        [f"{name}.xlsx", f"{name}.docx", "пустой (не прочитан).docx"]
    )
    checked = tmp_path / "checked.xlsx"
    assert cli("check", obninsk, "-o", checked).exit_code == 1
    assert parts(back / f"{name}.xlsx") == parts(checked)  # (only zip times may differ)
    letter = docx_content(back / f"{name}.docx")
    text = "\n".join(b for b in letter["blocks"] if isinstance(b, str))
    assert "Министерство экономического развития Калужской области" in text
    assert "поступил 15.01.2017" in text and "не позднее 06.03.2017" in text  # 14 days
    assert f"Приложение: «{name}.xlsx»" in text
    table = next(b for b in letter["blocks"] if isinstance(b, list))
    assert table[1][:3] == ["Мероприятия", "E4", "A03"]
    assert overflows(back / f"{name}.docx") == []
    unread = "\n".join(
        b for b in docx_content(back / "пустой (не прочитан).docx")["blocks"] if isinstance(b, str)
    )
    assert "Отправителю файла «пустой.xlsx»" in unread and "пуст (0 байт)" in unread
    # the note names everything the analyst writes about
    note_path = out / "Сводная аналитическая записка.docx"
    note = docx_content(note_path)
    blocks = [b for b in note["blocks"] if isinstance(b, str)]
    assert "о ходе реализации и эффективности муниципальных программ за 2016 год" in blocks
    assert any("«пустой.xlsx»: Файл" in b for b in blocks)
    assert any("«kaluga-2015.xlsx»: Город Калуга" in b and "2015 год" in b for b in blocks)
    assert any("Город Никто (29999000), программа 17: не представлено" in b for b in blocks)
    tables = [b for b in note["blocks"] if isinstance(b, list)]
    totals = {r[0]: r[1] for r in next(t for t in tables if t[0] == ["Показатель", "Значение"])}
    assert totals["Программ учтено"] == "3" and totals["Финансирование: план, тыс. руб."]
    bands = next(t for t in tables if t[0][0] == "Уровень эффективности")
    assert bands[1][:2] == ["высокая", "3"]
    returned = next(t for t in tables if t[0][-1] == "Причины")
    assert [r[2] for r in returned[1:]] == ["пустой.xlsx", "obninsk.xlsx"]
    assert "Мероприятия!E4" in returned[2][3]
    signature = next(t for t in tables if t[0][0] == "Заместитель министра")
    assert signature[0][-1] == "А.Б. Сидоров"
    assert overflows(note_path) == []
    images = zipfile.ZipFile(note_path).namelist()
    assert any(n.startswith("word/media/") for n in images)  # the distribution chart

    # run 2: a new edition of the accepted Kaluga report, a fixed one of Обнинск
    book(inbox, "kaluga-v2.xlsx", "Город Калуга", "29701000", fact=70)
    book(inbox, "obninsk-v2.xlsx", "Город Обнинск", "29715000")
    second = run_batch(inbox, out, today=dt.date(2017, 3, 1), **kw)
    state = {Path(s.file).name: s.state for s in second.submissions}
    assert state["kaluga-v2.xlsx"] == STATE_CHANGE and state["kaluga.xlsx"] == STATE_ACCEPTED
    assert state["obninsk-v2.xlsx"] == STATE_ACCEPTED
    assert state["obninsk.xlsx"] == STATE_REPLACED
    assert {Path(r["file"]).name for r in second.ranking} == {
        "kaluga.xlsx",
        "obninsk-v2.xlsx",
        "kozelsk.xlsx",
    }  # fmt: skip  (the accepted edition still counts)
    diff = diff_workbooks(inbox / "kaluga.xlsx", inbox / "kaluga-v2.xlsx")
    assert [(c.sheet, c.cell, c.old, c.new) for c in second.changes] == [
        (c.sheet, c.cell, c.old, c.new) for c in diff
    ] and diff
    sheet = openpyxl.load_workbook(out / "Сводная таблица.xlsx")["Изменения принятых"]
    assert [c.value for c in sheet[2]][4:] == ["Показатели", diff[0].cell, 75, 70]
    assert sorted(p.name for p in back.iterdir()) == ["пустой (не прочитан).docx"]
    note = docx_content(note_path)
    change = next(t for t in note["blocks"] if isinstance(t, list) and t[0][-1] == "Изменения")
    assert change[1][2:5] == ["kaluga.xlsx", "kaluga-v2.xlsx", "1"]

    # sheetprog status: the period's statuses per municipality, with dates
    where = ("--db", store_url) if store_url else (out,)
    shown = cli("status", *where, "--period", "2016", "--json")
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    programs = {Path(p["file"]).name: p for m in data["municipalities"] for p in m["programs"]}
    assert programs["kaluga-v2.xlsx"]["status"] == STATE_CHANGE
    assert [h["status"] for h in programs["obninsk.xlsx"]["history"]] == [
        STATE_RETURNED, STATE_REPLACED,
    ]  # fmt: skip
    assert programs["obninsk.xlsx"]["received"] == "2017-01-15"
    assert [Path(u["file"]).name for u in data["unreadable"]] == ["пустой.xlsx"]
    text = cli("status", *where)
    assert text.exit_code == 0 and "Статусы отчётов за 2016 год" in text.stdout
    assert "Город Обнинск (ОКТМО 29715000)" in text.stdout

    # run 3 (the CLI): the changes are taken, workbooks with errors left out of the ranking
    args = ["batch", inbox, "-o", out, "--config", config, "--jobs", "1", "--accept-changes"]
    third = cli(*args, *(("--db", store_url) if store_url else ()))
    assert third.exit_code == 1, third.stderr  # «пустой.xlsx» is unread (issue 20)
    subs = {Path(r["Файл"]).name: r for r in rows(out / "submissions.csv")}
    assert subs["kaluga-v2.xlsx"]["Состояние"] == STATE_ACCEPTED
    assert subs["kaluga.xlsx"]["Состояние"] == STATE_REPLACED
    data = json.loads(cli("status", *where, "--json").stdout)
    kaluga = next(m for m in data["municipalities"] if m["oktmo"] == "29701000")
    assert {Path(p["file"]).name: p["status"] for p in kaluga["programs"]} == {
        "kaluga-v2.xlsx": STATE_ACCEPTED, "kaluga.xlsx": STATE_REPLACED,
    }  # fmt: skip


def test_excluded_errors_and_the_summary_workbook(tmp_path, cli):
    inbox, out = tmp_path / "in", tmp_path / "out"
    book(inbox, "a.xlsx", "Город А", "00000001")
    book(inbox, "b.xlsx", "Город Б", "00000002", error=True)
    result = cli("batch", inbox, "-o", out, "--jobs", "1", "--exclude-errors")
    assert result.exit_code == 0, result.stderr
    assert [r["Файл"] for r in rows(out / "ranking.csv")] == [str(inbox / "a.xlsx")]
    wb = openpyxl.load_workbook(out / "Сводная таблица.xlsx")
    summary = wb["Сводка"]
    header = [c.value for c in summary[1]]
    row = {h: c for h, c in zip(header, summary[2], strict=True)}
    assert row["Оценка"].number_format == "0.0%" and isinstance(row["Оценка"].value, float)
    assert row["Финансирование: план"].number_format == "#,##0.00"
    assert row["Поступила"].is_date
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.fitToWidth == 1
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert summary.print_title_rows == "$1:$1"  # the header row on every printed page
    indicators = wb["Показатели"]
    head = [c.value for c in indicators[1]]
    first = {h: c for h, c in zip(head, indicators[2], strict=True)}
    assert first["План"].value == 75 and first["Факт"].value == 75  # numbers as numbers
    assert first["Достигнут"].value == "да" and first["Ci"].number_format == "0.0%"
    assert first["Ячейка"].hyperlink.location == "'Показатели'!X4"
    findings = wb["Замечания"]
    link = findings["G2"].hyperlink
    assert findings["G2"].value == "E4" and link.location == "'Мероприятия'!E4"
    assert "%D0%BD%D0%B0%20%D0%B4%D0%BE%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D0%BA%D1%83" in link.target
    totals = wb["Итоги по региону"]
    assert [c.value for c in totals[1]][:3] == ["Муниципальное образование", "ОКТМО", "Программ"]
    assert [c.value for c in totals[4]][:3] == ["Итого по региону", None, 2]
    # native charts of the sheet's own cells: the rating distribution, funding by municipality
    bands, funding = totals._charts
    assert bands.tagname == "barChart" and bands.barDir == "col"
    assert [s.val.numRef.f for s in bands.series] == ["'Итоги по региону'!$C$7:$C$10"]
    assert [c.value for c in totals["A"][6:10]] == [
        "высокая", "средняя", "удовлетворительная", "неудовлетворительная",
    ]  # fmt: skip
    assert funding.barDir == "bar" and [s.val.numRef.f for s in funding.series] == [
        "'Итоги по региону'!$D$2:$D$3", "'Итоги по региону'!$E$2:$E$3",
    ]  # fmt: skip


@pytest.mark.libreoffice
def test_libreoffice_opens_the_summary_and_the_letter_is_one_page(tmp_path, cli):
    from sheetprog.io.libreoffice import convert, find_soffice

    if find_soffice() is None:
        if os.environ.get("CI"):
            raise RuntimeError("LibreOffice must be installed in CI (.ci/run installs it)")
        pytest.skip("LibreOffice is not installed")
    inbox, out = tmp_path / "in", tmp_path / "out"
    program = copy.deepcopy(BASE)
    program.passport.municipality, program.passport.oktmo = "Город В", "00000003"
    for activity in program.activities:
        activity.responsible = None  # many errors: the letter lists a page's worth
    inbox.mkdir()
    save_workbook(build_workbook(program), inbox / "c.xlsx")
    assert cli("batch", inbox, "-o", out, "--jobs", "1").exit_code == 0
    letter = next((out / "на доработку").glob("*.docx"))
    pdf = convert(letter, "pdf", tmp_path / "pdf")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", pages.stdout, re.M)  # one page, with its 2 errors
    # 40 errors with long messages: the letter lists 12, says how many more, stays one page
    from sheetprog.reports.compiled import CompiledTemplate
    from sheetprog.reports.region import LETTER_ROWS, letter_context, letter_sample
    from sheetprog.reports.template_files import default_template

    sample = letter_sample()
    errors = [
        {"sheet": "Показатели", "cell": f"X{i}", "code": "I01",
         "message": "Фактическое значение показателя не заполнено, хотя плановое значение на "
         "отчётный год задано: внесите факт или обоснование отсутствия данных"}
        for i in range(4, 44)
    ]  # fmt: skip
    context = letter_context(
        {**sample["submission"], "status": "с ошибками", "period": "2016"},
        errors,
        period="2016",
        region=RegionSettings(signatory_name="А.Б. Сидоров", signatory_position="Министр"),
        copy="копия.xlsx",
        today=dt.date(2017, 2, 1),
        deadline=dt.date(2017, 2, 15),
    )
    heavy = tmp_path / "heavy.docx"
    CompiledTemplate(default_template("region-letter")).render(context, heavy)
    blocks = docx_content(heavy)["blocks"]
    assert len(next(b for b in blocks if isinstance(b, list))) == LETTER_ROWS + 1
    assert "Ещё ошибок: 28 — все они перечислены на листе «Проверки» приложенной копии книги." in (
        blocks
    )
    pages = subprocess.run(["pdfinfo", str(convert(heavy, "pdf", tmp_path / "pdf"))],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert re.search(r"^Pages:\s+1$", pages.stdout, re.M)
    xlsx = convert(out / "Сводная таблица.xlsx", "xlsx", tmp_path / "lo")
    wb = openpyxl.load_workbook(xlsx)
    assert "Итоги по региону" in wb.sheetnames
    assert wb["Замечания"]["G2"].hyperlink is not None


def _killed_while_returning(inbox: Path, out: Path, db: str | None) -> None:
    """Start a run and kill it once it has written a few returned copies."""
    cmd = [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(out), "--jobs", "1"]
    proc = subprocess.Popen([*cmd, *(("--db", db) if db else ())],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    back = out / "на доработку"
    deadline = time.time() + 300
    while time.time() < deadline:
        if back.is_dir() and len(list(back.glob("*.xlsx"))) >= 3:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _statuses(out: Path, db: str | None) -> tuple[list[tuple], list[tuple]]:
    engine = sa.create_engine(db or f"sqlite:///{out / 'sheetprog-batch.db'}")
    with engine.connect() as conn:
        current = sorted(conn.execute(sa.text("SELECT period, hash, status FROM statuses")))
        history = sorted(conn.execute(sa.text("SELECT period, hash, status FROM status_history")))
    engine.dispose()
    return [tuple(r) for r in current], [tuple(r) for r in history]


def test_a_run_killed_while_writing_returned_copies_resumes_without_duplicates(tmp_path, store_url):
    inbox = tmp_path / "in"
    for i in range(30):
        book(inbox, f"e{i:02d}.xlsx", f"Район {i:02d}", f"{61000000 + i}", error=True)
    book(inbox, "ok.xlsx", "Город ОК", "61999999")
    whole = tmp_path / "whole"
    assert run_batch(inbox, whole, jobs=1).period == "2016"  # SQLite: the reference
    broken = tmp_path / "broken"
    _killed_while_returning(inbox, broken, store_url)
    back = broken / "на доработку"
    assert 3 <= len(list(back.glob("*.xlsx"))) < 30, "killed while writing the copies"
    assert _statuses(broken, store_url) == ([], [])  # committed last: nothing yet
    resumed = run_batch(inbox, broken, jobs=2, db=store_url)
    assert resumed.reused == 31  # every workbook's result was committed before the copies
    assert sorted(p.name for p in back.iterdir()) == sorted(
        p.name for p in (whole / "на доработку").iterdir()
    )  # every copy and letter, no leftovers of the killed run
    assert len(list(back.iterdir())) == 60
    current, history = _statuses(broken, store_url)
    assert (current, history) == _statuses(whole, None)
    assert len(current) == 31 and len(history) == len(set(history)) == 31
    run_batch(inbox, broken, jobs=1, db=store_url)  # once more: nothing changes
    assert _statuses(broken, store_url) == (current, history)
    for name in ("submissions", "ranking", "returns", "findings"):
        assert sorted(map(str, rows(whole / f"{name}.csv"))) == sorted(
            map(str, rows(broken / f"{name}.csv"))
        ), name


def test_a_receipts_list_with_a_mistake_is_refused_before_any_work(tmp_path):
    inbox = tmp_path / "in"
    book(inbox, "a.xlsx", "Город А", "00000001")
    listed = tmp_path / "r.csv"
    listed.write_text("файл;дата\na.xlsx;31.02.2017\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"строка 2: дата «31\.02\.2017» не распознана"):
        run_batch(inbox, tmp_path / "out", received=listed, jobs=1)
    assert not (tmp_path / "out" / "sheetprog-batch.db").exists()


def test_the_cli_prints_progress_lines_into_a_log(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", inbox / "k.xlsx")
    result = subprocess.run(
        [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Обработано 1 из 1 книги (100 %)" in result.stderr


def test_the_store_of_an_earlier_version_gains_the_new_tables(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "sheetprog-batch.db") as db:
        db.execute(
            "CREATE TABLE submissions (hash VARCHAR(64) NOT NULL, period_key VARCHAR(32) NOT "
            "NULL, file TEXT NOT NULL, mtime FLOAT NOT NULL, status TEXT NOT NULL, oktmo TEXT, "
            "municipality TEXT, program TEXT, period TEXT, record TEXT NOT NULL, PRIMARY KEY "
            "(hash, period_key))"
        )
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kaluga-2016.xlsx", inbox)
    result = run_batch(inbox, out, jobs=1)
    assert [s.state for s in result.submissions] == [STATE_ACCEPTED]
    with sqlite3.connect(out / "sheetprog-batch.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"receipts", "statuses", "status_history"} <= tables


def test_the_accepted_edition_counts_from_the_store_when_its_file_is_gone(tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    accepted = book(inbox, "kaluga.xlsx", "Город Калуга", "29701000")
    assert [s.state for s in run_batch(inbox, out, jobs=1).submissions] == [STATE_ACCEPTED]
    accepted.unlink()  # the inbox was cleared; a new edition arrives
    book(inbox, "kaluga-v2.xlsx", "Город Калуга", "29701000", fact=70)
    result = run_batch(inbox, out, jobs=1)
    states = {Path(s.file).name: s.state for s in result.submissions}
    assert states == {"kaluga.xlsx": STATE_ACCEPTED, "kaluga-v2.xlsx": STATE_CHANGE}
    assert [Path(r["file"]).name for r in result.ranking] == ["kaluga.xlsx"]
    # no file to compare: the stored figures are (the fact of indicator 1 changed)
    assert [(c.sheet, c.cell, c.old, c.new) for c in result.changes] == [
        ("Показатели", "X4", 75, 70)
    ]
    kept = next(s for s in result.submissions if s.state == STATE_ACCEPTED)
    assert kept.state_since is not None and kept.received is not None


def test_every_table_of_the_note_and_the_letter_keeps_its_words_whole(tmp_path):
    """The complete sample contexts (every list filled, the longest band names) rendered
    with the default templates: no word wider than its column (tests/layout_lint.py)."""
    from sheetprog.reports.region import letter_sample, region_sample
    from sheetprog.reports.region_chart import distribution_chart
    from sheetprog.reports.render import render_docx
    from sheetprog.reports.template_files import default_template

    note = dict(region_sample())
    note["chart"] = distribution_chart(note["distribution"])
    for kind, context in (("region-summary", note), ("region-letter", letter_sample())):
        out = tmp_path / f"{kind}.docx"
        render_docx(default_template(kind), context, out)
        assert overflows(out) == [], kind
    tables = [b for b in docx_content(tmp_path / "region-summary.docx")["blocks"]
              if isinstance(b, list)]  # fmt: skip
    headers = [t[0][0] for t in tables]
    for first in ("Показатель", "Уровень эффективности", "Место", "Код"):
        assert first in headers


def test_status_without_a_store_says_what_to_give(cli, tmp_path):
    result = cli("status", tmp_path)
    assert result.exit_code == 2 and "укажите папку результатов sheetprog batch" in result.stderr


def test_a_returned_copy_is_written_from_the_stored_findings_without_reading_again(
    tmp_path, cli, monkeypatch
):
    """Issue 21: the copy sent back is made from the findings the batch stored — with the
    values «Проверки» shows (numbers in Russian format, text as typed) — not by reading and
    checking the file a second time; it is the same package as «check -o» writes. A record
    stored before the values were kept is checked again, so its copy loses nothing."""
    from sheetprog import api
    from sheetprog.batch import returns
    from sheetprog.batch.records import VALUE_NOT_KEPT, FindingRow

    inbox, out = tmp_path / "входящие", tmp_path / "результаты"
    path = book(inbox, "obninsk.xlsx", "Город Обнинск", "29715000", error=True, fact=5)
    checked = tmp_path / "checked.xlsx"
    assert cli("check", path, "-o", checked).exit_code == 1
    shown = {r[4] for r in openpyxl.load_workbook(checked)["Проверки"].iter_rows(values_only=True)}
    assert "5" in shown  # a finding with the value it names (the fact typed: 5)
    reads: list[str] = []
    real = api.read_workbook
    monkeypatch.setattr(api, "read_workbook", lambda p, **k: reads.append(str(p)) or real(p, **k))
    calls: list[object] = []
    real_copy = returns.returned_copy

    def spy(source: str, target: str, settings: object, report: object = None) -> object:
        calls.append(report)
        return real_copy(source, target, settings, report)  # type: ignore[arg-type]

    monkeypatch.setattr(returns, "returned_copy", spy)
    run_batch(inbox, out, jobs=1, today=dt.date(2017, 2, 20))
    assert reads == []  # the worker read it (in its own process); this process does not
    assert len(calls) == 1 and calls[0] is not None
    name = "Город Обнинск — Развитие муниципальной службы в муниципальном образовании"
    copy_path = out / "на доработку" / f"{name} «Город Калуга».xlsx"
    assert parts(copy_path) == parts(checked)

    row = FindingRow.from_dict({"code": "A03", "severity": "ошибка", "sheet": "Мероприятия",
                                "cell": "E4", "message": "…"})  # fmt: skip
    assert row.value == VALUE_NOT_KEPT
    record = returns.Record(file="x", hash="h", mtime=0.0, status="ошибки", findings=[row])
    assert returns.stored_report(record) is None  # checked again, as before issue 21


def test_a_file_replaced_before_its_copy_is_written_is_a_notice_not_a_crash(tmp_path, monkeypatch):
    """The copy is written from the stored findings, reading the file's package once more: a
    file replaced meanwhile by something that is no longer a workbook gets a located Russian
    notice and a letter without a copy; the run ends normally (it raised BadZipFile)."""
    from sheetprog.batch import returns

    inbox, out = tmp_path / "входящие", tmp_path / "результаты"
    path = book(inbox, "obninsk.xlsx", "Город Обнинск", "29715000", error=True)
    real_copy = returns.returned_copy

    def replaced_first(source: str, target: str, settings: object, report: object = None):
        Path(source).write_bytes(b"not a workbook any more")
        return real_copy(source, target, settings, report)  # type: ignore[arg-type]

    monkeypatch.setattr(returns, "returned_copy", replaced_first)
    result = run_batch(inbox, out, jobs=1, today=dt.date(2017, 2, 20))
    notice = next(n for n in result.notices if "для возврата записать не удалось" in n)
    assert str(path) in notice and "не является архивом книги Excel" in notice
    assert not list((out / "на доработку").glob("*.xlsx"))  # no copy, not a broken one
    assert list((out / "на доработку").glob("*.docx"))  # the letter is still written
