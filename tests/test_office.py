"""The LibreOffice extension without LibreOffice: its parts, the macro's own logic (finding
sheetprog, reading its answer, refusing documents it cannot work on) and
``sheetprog libreoffice run``. The clicks themselves: tests/test_libreoffice_extension.py."""

from __future__ import annotations

import ast
import json
import shutil
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from sheetprog.office import calc_macro
from sheetprog.office.actions import actions
from sheetprog.office.oxt import IDENTIFIER, build_extension, macro_source, menu_items
from tests.conftest import EXAMPLES


def test_the_extension_has_its_manifest_description_menu_and_macro(tmp_path, cli):
    out = tmp_path / "sheetprog-test.oxt"
    made = cli("libreoffice", "build", out, "--sheetprog", "/opt/sheetprog/bin/sheetprog")
    assert made.exit_code == 0, made.stderr
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = ElementTree.fromstring(zf.read("META-INF/manifest.xml"))
        description = ElementTree.fromstring(zf.read("description.xml"))
        ElementTree.fromstring(zf.read("Addons.xcu"))  # well-formed
        source = zf.read("python/sheetprog_calc.py").decode("utf-8")
    assert names == {
        "META-INF/manifest.xml",
        "description.xml",
        "Addons.xcu",
        "python/sheetprog_calc.py",
    }
    ns = "{http://openoffice.org/2001/manifest}"
    entries = {e.get(f"{ns}full-path"): e.get(f"{ns}media-type") for e in manifest}
    assert entries == {
        "python": "application/vnd.sun.star.framework-script",
        "Addons.xcu": "application/vnd.sun.star.configuration-data",
    }
    ext = "{http://openoffice.org/extensions/description/2006}"
    assert description.find(f"{ext}identifier").get("value") == IDENTIFIER  # type: ignore[union-attr]
    # the menu: every action, in order, each calling its function in this very file's name
    items = menu_items(out)
    assert [c for c, _u in items] == [a.caption for a in actions()]
    assert [c for c, _u in items][:5] == [
        "Проверить",
        "Пересчитать",
        "Квартальный отчёт",
        "Годовой отчёт",
        "Итоговый отчёт",
    ]
    assert "Отчёт о кадровом резерве" in [c for c, _u in items]
    for (_caption, url), action in zip(items, actions(), strict=True):
        assert url == (
            f"vnd.sun.star.script:sheetprog-test.oxt|python|sheetprog_calc.py${action.function}"
            "?language=Python&location=user:uno_packages"
        )
    # the macro: valid Python, one exported function per item, the configured command
    namespace: dict = {}
    exec(compile(source, "sheetprog_calc.py", "exec"), namespace)
    assert namespace["CONFIGURED_COMMAND"] == ["/opt/sheetprog/bin/sheetprog"]
    assert [f.__name__ for f in namespace["g_exportedScripts"]] == [a.function for a in actions()]
    # only the standard library and uno: LibreOffice's own Python has nothing else
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported - {"uno"} <= set(sys.stdlib_module_names) | {"collections.abc"}, imported


def test_a_shared_build_addresses_the_shared_packages(tmp_path):
    out = build_extension(tmp_path / "sheetprog.oxt", shared=True)
    assert all(u.endswith("location=share:uno_packages") for _c, u in menu_items(out))


@pytest.mark.parametrize("name", ["sheetprog ext.oxt", "шитпрог.oxt", "sheetprog.zip"])
def test_a_name_that_cannot_be_in_a_script_url_is_refused(tmp_path, cli, name):
    result = cli("libreoffice", "build", tmp_path / name)
    assert result.exit_code == 2
    assert "латинских букв" in result.stderr and not (tmp_path / name).exists()


def test_an_existing_extension_is_replaced_only_when_asked(tmp_path, cli):
    out = tmp_path / "sheetprog.oxt"
    assert cli("libreoffice", "build", out).exit_code == 0
    again = cli("libreoffice", "build", out)
    assert again.exit_code == 2 and "--replace" in again.stderr
    assert cli("libreoffice", "build", out, "--replace").exit_code == 0


def test_a_bad_command_option_is_a_russian_usage_error(tmp_path, cli):
    result = cli("libreoffice", "build", tmp_path / "s.oxt", "--sheetprog", '["python", ')
    assert result.exit_code == 2 and "список JSON" in result.stderr


def test_the_macro_module_is_the_shipped_file_plus_the_generated_block():
    source = macro_source(["x"])
    shipped = (Path(calc_macro.__file__)).read_text("utf-8")
    assert source.startswith(shipped.rstrip("\n"))
    assert 'CONFIGURED_COMMAND = ["x"]' in source


# -- finding sheetprog ---------------------------------------------------------------------------


def _runner(answers: dict[str, bytes | None]):
    """A subprocess.run stand-in: ``--version`` answers per executable (None: fails)."""

    def run(argv, **_kw):
        out = answers.get(argv[0])
        return SimpleNamespace(returncode=0 if out is not None else 1, stdout=out or b"")

    return run


def test_the_environment_variable_wins():
    found = calc_macro.find_command(
        env={"SHEETPROG_COMMAND": '["C:/Python312/python.exe", "-m", "sheetprog"]'},
        which=lambda _n: "/usr/bin/sheetprog",
        configured=["/opt/x"],
    )
    assert found == ["C:/Python312/python.exe", "-m", "sheetprog"]
    plain = calc_macro.find_command(
        env={"SHEETPROG_COMMAND": "C:/Program Files/sheetprog/sheetprog.exe"}, configured=[]
    )
    assert plain == ["C:/Program Files/sheetprog/sheetprog.exe"]


def test_the_configured_command_is_used_only_when_it_exists(tmp_path):
    program = tmp_path / "sheetprog"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    assert calc_macro.find_command(env={}, which=lambda _n: None, configured=[str(program)]) == [
        str(program)
    ]
    gone = calc_macro.find_command(
        env={},
        which=lambda n: "/usr/bin/sheetprog" if n == "sheetprog" else None,
        configured=[str(tmp_path / "removed")],
    )
    assert gone == ["/usr/bin/sheetprog"]


def test_a_python_counts_only_when_it_has_sheetprog():
    which = {"python3": "/usr/bin/python3", "python": "/usr/local/bin/python"}.get
    without = calc_macro.find_command(
        env={}, which=which, configured=[], runner=_runner({"/usr/bin/python3": None})
    )
    assert without is None
    found = calc_macro.find_command(
        env={},
        which=which,
        configured=[],
        runner=_runner({"/usr/local/bin/python": b"sheetprog, version 1.0"}),
    )
    assert found == ["/usr/local/bin/python", "-m", "sheetprog"]


def test_libreoffice_python_settings_do_not_reach_sheetprog():
    env = calc_macro.child_env(
        {"PYTHONHOME": "C:/LO/program/python-core", "PYTHONPATH": "C:/LO/program", "PATH": "p"}
    )
    assert "PYTHONHOME" not in env and "PYTHONPATH" not in env and env["PATH"] == "p"
    assert env["PYTHONIOENCODING"] == "utf-8" and env["NO_COLOR"] == "1"


# -- running it and reading its answer -----------------------------------------------------------


def test_a_missing_program_is_said_in_russian(tmp_path):
    answer = calc_macro.run_sheetprog([str(tmp_path / "нет-такой")], "check", "k.xlsx")
    assert answer["ok"] is False
    assert answer["message"].startswith("Программа sheetprog не найдена.")
    assert "sheetprog libreoffice install" in answer["message"]


def test_an_answer_that_is_not_sheetprogs_is_shown_with_its_text(tmp_path):
    fake = tmp_path / "old-sheetprog"
    fake.write_text("#!/bin/sh\necho 'No such command libreoffice' >&2\nexit 2\n", "utf-8")
    fake.chmod(0o755)
    answer = calc_macro.run_sheetprog([str(fake)], "check", "k.xlsx")
    assert answer["ok"] is False
    assert "старая версия sheetprog" in answer["message"]
    assert "No such command libreoffice" in answer["message"]


def test_the_real_program_answers_with_one_json_line(tmp_path):
    book = tmp_path / "книга.xlsx"
    shutil.copyfile(EXAMPLES / "chechnya-2012.xlsx", book)
    src = str(Path(__file__).resolve().parent.parent / "src")
    # the macro drops PYTHONPATH for the child (LibreOffice's own): this source via a wrapper
    wrapper = tmp_path / "sp"
    wrapper.write_text(
        f'#!/bin/sh\nPYTHONPATH="{src}" exec "{sys.executable}" -m sheetprog "$@"\n', "utf-8"
    )
    wrapper.chmod(0o755)
    answer = calc_macro.run_sheetprog([str(wrapper)], "check", str(book))
    assert answer["ok"] is True and answer["sheet"] == "Проверки"
    assert answer["message"].startswith("Найдено ошибок: 3")


# -- documents the menu cannot work on -----------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "suffix", "readonly", "words"),
    [
        ("", "", False, "ещё не сохранена"),
        ("https://portal/k.xlsx", ".xlsx", False, "не из папки"),
        ("file:///home/k.ods", ".ods", False, "«.ods»"),
        ("file:///home/k.xlsx", ".xlsx", True, "только для чтения"),
    ],
)
def test_documents_it_cannot_work_on_are_refused_with_what_to_do(location, suffix, readonly, words):
    message = calc_macro.check_document(location, suffix, readonly)
    assert message is not None and words in message


def test_a_saved_workbook_is_accepted():
    assert calc_macro.check_document("file:///home/k.XLSM", ".XLSM", False) is None


def test_messages_go_to_the_file_when_one_is_named(tmp_path, monkeypatch):
    shown = []
    sink = tmp_path / "m.jsonl"
    monkeypatch.setenv("SHEETPROG_LO_MESSAGES", str(sink))
    calc_macro.tell("sheetprog", "Ошибок нет.", True, lambda *a: shown.append(a))
    assert shown == []
    assert json.loads(sink.read_text("utf-8")) == {
        "title": "sheetprog",
        "message": "Ошибок нет.",
        "ok": True,
    }
    monkeypatch.delenv("SHEETPROG_LO_MESSAGES")
    calc_macro.tell("sheetprog", "Ошибок нет.", True, lambda *a: shown.append(a))
    assert shown == [("sheetprog", "Ошибок нет.", True)]


# -- sheetprog libreoffice run -------------------------------------------------------------------


def test_run_answers_in_json_also_when_the_file_is_not_a_workbook(tmp_path, cli):
    bad = tmp_path / "не книга.xlsx"
    bad.write_text("не xlsx", encoding="utf-8")
    result = cli("libreoffice", "run", "check", bad)
    assert result.exit_code == 3
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and answer["title"] == "sheetprog: ошибка"
    assert "не книга.xlsx" in answer["message"]


def test_run_refuses_an_unknown_action(tmp_path, cli):
    result = cli("libreoffice", "run", "delete", tmp_path / "k.xlsx")
    assert result.exit_code == 2 and "report:annual" in result.stderr


def test_run_recalc_writes_both_sheets_in_place(tmp_path, cli):
    import openpyxl

    book = tmp_path / "k.xlsx"
    shutil.copyfile(EXAMPLES / "kaluga-2016.xlsx", book)
    result = cli("libreoffice", "run", "recalc", book)
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["ok"] and answer["sheet"] == "Оценка"
    assert answer["message"].startswith("Оценка эффективности за 2016 год")
    wb = openpyxl.load_workbook(book)
    assert str(wb["Проверки"]["A2"].value).startswith("Проверено sheetprog")
    assert wb["Оценка"]["A1"].value == "Оценка эффективности муниципальной программы"


def test_the_unopkg_it_would_use_can_be_named(monkeypatch):
    from sheetprog.office.oxt import find_unopkg

    monkeypatch.setenv("SHEETPROG_UNOPKG", "/opt/lo/program/unopkg")
    assert find_unopkg() == "/opt/lo/program/unopkg"


def test_installing_as_root_says_what_to_do_instead(tmp_path, monkeypatch, cli):
    fake = tmp_path / "unopkg"
    fake.write_text(
        "#!/bin/sh\necho 'ERROR: Cannot run unopkg as root without --shared or --bundled "
        "option.' >&2\nexit 1\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("SHEETPROG_UNOPKG", str(fake))
    result = cli("libreoffice", "install")
    assert result.exit_code == 3
    assert "для пользователя root" in result.stderr and "--shared" in result.stderr


# -- «Инструкция»: how to run a check in each office suite -------------------------------------


@pytest.mark.parametrize("kind", ["program", "reserve"])
def test_the_instructions_say_how_to_check_in_each_office_suite(tmp_path, cli, kind):
    import openpyxl

    from sheetprog import spec

    book = tmp_path / "k.xlsx"
    years = ["--years", "2025-2030"] if kind == "program" else []
    assert cli("new", book, "--kind", kind, *years).exit_code == 0
    lines = [c.value for (c,) in openpyxl.load_workbook(book)["Инструкция"].iter_rows(max_col=1)]
    start = lines.index(spec.RUN_CHECK_HEADING)
    said = lines[start + 1 : start + 1 + len(spec.RUN_CHECK_LINES)]
    assert said == list(spec.RUN_CHECK_LINES)
    assert [line.split(":")[0] for line in said] == ["Excel", "LibreOffice Calc", "Р7-Офис"]
    assert "«sheetprog» → «Проверить»" in said[1]
    assert "sheetprog check КНИГА.xlsx --in-place" in said[2]


# -- notes saved by LibreOffice ------------------------------------------------------------------


def test_notes_libreoffice_saved_without_their_author_are_still_removed(tmp_path):
    """LibreOffice writes «<author> </author>» for every note when it saves .xlsx (seen in
    tests/test_libreoffice_extension.py); a re-check must still take sheetprog's notes off."""
    import openpyxl

    from sheetprog.api import check_workbook, write_checks

    _model, errors = check_workbook(EXAMPLES / "chechnya-2012.xlsx")
    marked = write_checks(EXAMPLES / "chechnya-2012.xlsx", errors, out=tmp_path / "a.xlsx")
    resaved = tmp_path / "b.xlsx"
    with zipfile.ZipFile(marked) as src, zipfile.ZipFile(resaved, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/comments"):
                data = data.replace(b"<author>sheetprog</author>", b"<author> </author>")
            dst.writestr(item, data)
    notes = [
        c.comment.text
        for ws in openpyxl.load_workbook(resaved).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment
    ]
    assert notes and all(n.startswith("sheetprog, ошибка: ") for n in notes)
    _model, clean = check_workbook(EXAMPLES / "kaluga-2016.xlsx")
    assert clean.findings == []
    again = write_checks(resaved, clean, out=tmp_path / "c.xlsx")
    left = [
        c.coordinate
        for ws in openpyxl.load_workbook(again).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment
    ]
    assert left == []
