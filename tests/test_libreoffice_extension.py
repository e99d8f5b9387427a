"""The «sheetprog» menu in LibreOffice Calc, clicked for real.

``sheetprog libreoffice install`` adds the extension to a throwaway LibreOffice user profile
(through unopkg); one headless soffice with that profile opens a copy of each example, and
``tests/lo_driver.py`` (run by LibreOffice's Python, which has ``uno``) dispatches each menu
item's URL from the installed extension's Addons.xcu on the document's frame, as a click
does. The macro saves, starts sheetprog, reopens the workbook and reports its message;
the messages go to a file (SHEETPROG_LO_MESSAGES), since a message box would wait for a
click. The files it leaves are compared with what the CLI makes from the same example:
«Проверки» and the marks with ``check -o``, «Оценка» with ``calc -o``, each report's text
with ``report``'s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

from sheetprog.api import read_workbook
from sheetprog.checks.severity import Severity
from sheetprog.io.libreoffice import find_soffice
from sheetprog.office.actions import REPORT_PREFIX, action_names, actions, check_message
from sheetprog.office.oxt import DEFAULT_NAME, menu_items
from sheetprog.reports.kinds import REPORT_KINDS
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.libreoffice

LO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno: the Python LibreOffice runs macros with
PYTHONSCRIPT = Path("/usr/lib/libreoffice/program/pythonscript.py")  # …-script-provider-python
OWNED = {"Проверки", "Оценка", "Справочники"}


def _missing() -> str | None:
    if os.name != "posix":
        return "the end-to-end run uses a POSIX shell wrapper"
    if find_soffice() is None:
        return "LibreOffice is not installed"
    if not PYTHONSCRIPT.is_file():
        return "libreoffice-script-provider-python is not installed"
    done = subprocess.run([LO_PYTHON, "-c", "import uno"], capture_output=True)
    if done.returncode != 0:
        return "python3-uno is not installed"
    return None


if _missing():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must run the LibreOffice extension test: {_missing()}")
    pytest.skip(_missing() or "", allow_module_level=True)

BOOKS = sorted(EXAMPLES.glob("*.xlsx"))
BLANK_XLSM = ROOT / "workbooks" / "programma-2025-2030.xlsm"


def _kind(path: Path) -> str:
    return str(read_workbook(path).KIND)


def _items_for(path: Path, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Check, recalc and the reports made from this workbook's kind."""
    by_caption = dict(items)
    wanted = []
    for action in actions():
        if action.name.startswith(REPORT_PREFIX):
            kind = REPORT_KINDS[action.name.removeprefix(REPORT_PREFIX)]
            if kind.workbook != _kind(path):
                continue
        wanted.append((action.caption, by_caption[action.caption]))
    return wanted


@pytest.fixture(scope="module")
def clicked():
    """Install, open every example, click every item; what the driver saw and the files."""
    # not under pytest's folder (mode 700): unopkg runs as nobody when the tests run as root,
    # and as root under /tmp itself, not $TMPDIR (a developer's may be closed to others too)
    shared = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
    base = Path(tempfile.mkdtemp(prefix="sheetprog-lo-ext-", dir=shared))
    base.chmod(0o777)
    try:
        yield _click_everything(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _click_everything(base: Path) -> dict:
    from click.testing import CliRunner

    from sheetprog.cli import main

    profile = base / "profile"
    wrapper = base / "sheetprog"
    wrapper.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" exec "{sys.executable}" -m sheetprog "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    env = {}
    if os.geteuid() == 0:  # unopkg refuses a user installation as root
        unopkg = base / "unopkg"
        real = Path(find_soffice() or "").resolve().parent / "unopkg"
        unopkg.write_text(
            f'#!/bin/sh\nHOME="{base}" TMPDIR="{base}" exec setpriv --reuid=nobody --regid=nogroup '
            f'--clear-groups "{real}" "$@"\n',
            encoding="utf-8",
        )
        unopkg.chmod(0o755)
        env["SHEETPROG_UNOPKG"] = str(unopkg)
    own_tmp = tempfile.tempdir  # the .oxt is built in a temporary folder that nobody reads
    tempfile.tempdir = str(base)
    try:
        installed = CliRunner().invoke(
            main,
            ["libreoffice", "install", "--profile", str(profile), "--sheetprog", str(wrapper)],
            env=env,
            catch_exceptions=False,
        )
    finally:
        tempfile.tempdir = own_tmp
    assert installed.exit_code == 0, installed.output
    assert str(wrapper) in installed.stdout
    oxts = list(profile.glob(f"user/uno_packages/cache/uno_packages/*/{DEFAULT_NAME}"))
    assert len(oxts) == 1, oxts
    items = menu_items(oxts[0])

    books = []
    for source in BOOKS:
        folder = base / "work" / source.stem
        folder.mkdir(parents=True)
        copy = folder / source.name
        shutil.copyfile(source, copy)
        books.append({"file": str(copy), "items": _items_for(source, items)})
    # the macro-enabled blank workbook: LibreOffice saves it as .xlsm again
    xlsm = base / "work" / "blank" / BLANK_XLSM.name
    xlsm.parent.mkdir()
    shutil.copyfile(BLANK_XLSM, xlsm)
    books.append({"file": str(xlsm), "items": [items[0]]})
    # a workbook of another kind: its report item answers with what to use instead
    wrong = base / "work" / "wrong" / "kaluga-2016.xlsx"
    wrong.parent.mkdir()
    shutil.copyfile(EXAMPLES / "kaluga-2016.xlsx", wrong)
    reserve = REPORT_KINDS["reserve"].title  # a report of the reserve's workbook kind
    books.append({"file": str(wrong), "items": [(reserve, dict(items)[reserve])]})

    messages = base / "messages.jsonl"
    pipe = f"sheetprog_test_{os.getpid()}"
    job = base / "job.json"
    out = base / "out"
    job.write_text(
        json.dumps({"connect": f"pipe,name={pipe}", "out": str(out), "books": books}),
        encoding="utf-8",
    )
    log = (base / "soffice.log").open("wb")
    office = subprocess.Popen(
        [
            str(find_soffice()),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        env={
            **os.environ,
            "SHEETPROG_LO_MESSAGES": str(messages),
            # LibreOffice's embedded Python finds its home through the first python3 on PATH:
            # a pyenv or venv python3 there (as when pytest runs) makes it load another
            # Python's standard library without uno, and soffice aborts while registering
            # the extension's scripts (seen with pyenv's 3.11.7 before Debian's 3.11.2)
            "PATH": "/usr/bin:/bin:" + os.environ.get("PATH", ""),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        driven = subprocess.run(
            [LO_PYTHON, str(ROOT / "tests" / "lo_driver.py"), str(job)],
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        office.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        log.close()
    assert driven.returncode == 0, (driven.stderr, (base / "soffice.log").read_text()[-2000:])
    said = [json.loads(line) for line in messages.read_text("utf-8").splitlines()]
    results = json.loads((out / "driver.json").read_text("utf-8"))
    # one message per click, in order
    steps = [s for book in results for s in book["steps"]]
    assert len(said) == len(steps), said
    for step, message in zip(steps, said, strict=True):
        step["said"] = message
    return {"results": results, "base": base, "items": items}


def _book(clicked, name: str) -> dict:
    return next(b for b in clicked["results"] if b["file"].endswith(f"/{name}/{name}.xlsx"))


def _step(book: dict, caption: str) -> dict:
    return next(s for s in book["steps"] if s["caption"] == caption)


def _sheet_values(path: Path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def _marks(path: Path) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Every sheetprog mark: (sheet, cell) → (its fill, its note's text)."""
    wb = openpyxl.load_workbook(path)
    ours = Severity.mark_fills()
    found = {}
    for ws in wb.worksheets:
        if ws.title in OWNED:
            continue
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill.fgColor.rgb in ours else None
                note = c.comment.text if c.comment and c.comment.author == "sheetprog" else None
                if fill or note:
                    found[(ws.title, c.coordinate)] = (fill, note)
    return found


def _docx_text(path: Path) -> list[str]:
    from docx import Document

    document = Document(str(path))
    text = [p.text for p in document.paragraphs]
    for table in document.tables:
        text += [cell.text for row in table.rows for cell in row.cells]
    return text


def test_the_installed_menu_has_every_action_in_order(clicked):
    assert [caption for caption, _url in clicked["items"]] == [a.caption for a in actions()]
    assert [caption for caption, _url in clicked["items"]][:2] == ["Проверить", "Пересчитать"]
    for _caption, url in clicked["items"]:
        assert url.startswith(f"vnd.sun.star.script:{DEFAULT_NAME}|python|sheetprog_calc.py$")
        assert url.endswith("?language=Python&location=user:uno_packages")


@pytest.mark.parametrize("source", BOOKS, ids=[b.stem for b in BOOKS])
def test_check_in_calc_equals_check_o(clicked, source, cli, tmp_path):
    from sheetprog.api import check_workbook

    step = _step(_book(clicked, source.stem), "Проверить")
    assert step["said"]["ok"], step["said"]
    saved = Path(step["saved"])
    reference = tmp_path / source.name
    assert cli("check", source, "-o", reference).exit_code in (0, 1)
    assert _sheet_values(saved, "Проверки") == _sheet_values(reference, "Проверки")
    assert _marks(saved) == _marks(reference)
    _model, report = check_workbook(source)
    assert step["said"] == {
        "title": "sheetprog",
        "message": check_message(report.errors, len(report.findings)),
        "ok": True,
    }
    # the clerk sees the reopened workbook on «Проверки», with its rows
    seen = step["document"]
    assert seen["url"] == Path(_book(clicked, source.stem)["file"]).as_uri()
    assert not seen["modified"]
    assert seen["active"] == "Проверки"
    assert seen["checks_rows"] == openpyxl.load_workbook(saved)["Проверки"].max_row


def test_the_checks_find_and_mark_errors_in_some_example(clicked):
    """The comparison above is not between two empty sheets: an example with errors."""
    step = _step(_book(clicked, "chechnya-2012"), "Проверить")
    marks = _marks(Path(step["saved"]))
    assert any(fill == Severity.ERROR.fill for fill, _note in marks.values())
    assert any(note for _fill, note in marks.values())
    assert step["said"]["message"].startswith("Найдено ошибок: ")


@pytest.mark.parametrize("source", BOOKS, ids=[b.stem for b in BOOKS])
def test_recalc_in_calc_equals_calc_o(clicked, source, cli, tmp_path):
    from sheetprog.api import assess_workbook, assessment_message, check_workbook

    step = _step(_book(clicked, source.stem), "Пересчитать")
    assert step["said"]["ok"], step["said"]
    saved = Path(step["saved"])
    reference = tmp_path / source.name
    assert cli("calc", source, "-o", reference).exit_code == 0
    checked = tmp_path / f"checked-{source.name}"
    assert cli("check", source, "-o", checked).exit_code in (0, 1)
    assert _sheet_values(saved, "Оценка") == _sheet_values(reference, "Оценка")
    assert _sheet_values(saved, "Проверки") == _sheet_values(checked, "Проверки")
    assert _marks(saved) == _marks(checked)
    model, report = check_workbook(source)
    message = assessment_message(model, assess_workbook(model, source))
    if report.errors:
        message += f" Ошибок проверки: {report.errors} (лист «Проверки»)."
    assert step["said"] == {"title": "sheetprog", "message": message, "ok": True}
    assert step["document"]["active"] == "Оценка"
    assert step["document"]["assessment_rows"] == openpyxl.load_workbook(saved)["Оценка"].max_row


def _report_cases() -> list[tuple[Path, str]]:
    return [
        (book, name)
        for book in BOOKS
        for name, kind in REPORT_KINDS.items()
        if REPORT_PREFIX + name in action_names() and kind.workbook == _kind(book)
    ]


@pytest.mark.parametrize(
    ("source", "kind"), _report_cases(), ids=[f"{b.stem}-{k}" for b, k in _report_cases()]
)
def test_report_in_calc_equals_the_cli_report(clicked, source, kind, cli, tmp_path):
    book = _book(clicked, source.stem)
    step = _step(book, REPORT_KINDS[kind].title)
    said = step["said"]
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    result = cli("report", kind, copy, "--replace", "--partial")
    if result.exit_code != 0:  # e.g. «было / стало» of a workbook without editions
        assert said["ok"] is False and said["title"] == "sheetprog: ошибка", said
        message = said["message"].replace(book["file"], str(copy))  # the same file, copied
        assert " ".join(message.split()) in " ".join(result.stderr.split()), said
        return
    assert said["ok"] is True, said
    prefix = "Отчёт сохранён рядом с книгой: «"
    assert said["message"].startswith(prefix), said
    made = Path(said["message"][len(prefix) :].split("»")[0])
    assert made.parent == Path(book["file"]).parent and made.is_file()
    reference = tmp_path / made.name
    assert reference.is_file(), result.stdout
    assert _docx_text(made) == _docx_text(reference)
    assert len("".join(_docx_text(made))) > 500


def test_a_report_of_another_kind_is_refused_in_russian(clicked):
    wrong = next(b for b in clicked["results"] if "/wrong/" in b["file"])
    said = wrong["steps"][0]["said"]
    assert said["ok"] is False and said["title"] == "sheetprog: ошибка"
    assert "книга муниципальной программы" in said["message"] or "report" in said["message"]
    assert wrong["steps"][0]["document"]["url"] == Path(wrong["file"]).as_uri()


def test_check_in_a_macro_enabled_workbook_equals_check_o(clicked, cli, tmp_path):
    import zipfile

    book = next(b for b in clicked["results"] if "/blank/" in b["file"])
    step = book["steps"][0]
    assert step["said"]["ok"], step["said"]
    assert step["said"]["message"].startswith("Найдено ошибок: ")  # a blank workbook
    saved = Path(step["saved"])
    reference = tmp_path / BLANK_XLSM.name
    assert cli("check", BLANK_XLSM, "-o", reference).exit_code == 1
    assert _sheet_values(saved, "Проверки") == _sheet_values(reference, "Проверки")
    assert _marks(saved) == _marks(reference)
    # still a macro-enabled workbook with its VBA project (whether Excel's buttons survive
    # LibreOffice's rewrite of it is not checked here)
    with zipfile.ZipFile(saved) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
        assert "macroEnabled" in zf.read("[Content_Types].xml").decode("utf-8")
