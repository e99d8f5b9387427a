"""sheetprog's menu in LibreOffice Calc: the Python macro module inside the extension.

Shipped verbatim in the .oxt (``python/sheetprog_calc.py``); the builder appends one
function per menu item and the command it configured (``CONFIGURED_COMMAND``). It imports
only the standard library and ``uno``: LibreOffice's own Python (the one bundled on
Windows) cannot import sheetprog or its dependencies, so a menu item

1. checks that the document is a saved Excel workbook (.xlsx/.xlsm) that can be written;
2. finds the ``sheetprog`` program (``find_command``);
3. saves the document and lets go of the file (on Windows LibreOffice locks an open file,
   so the frame shows an empty sheet meanwhile);
4. runs ``sheetprog libreoffice run ACTION FILE`` and reads its one line of JSON;
5. opens the workbook again in the same window, on «Проверки» or «Оценка»;
6. shows the Russian message in a LibreOffice message box — or, when the environment
   variable SHEETPROG_LO_MESSAGES names a file, appends it there as a JSON line instead
   (tests and unattended runs: a box would wait for a click).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

TITLE = "sheetprog"
COMMAND_ENV = "SHEETPROG_COMMAND"
MESSAGES_ENV = "SHEETPROG_LO_MESSAGES"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TIMEOUT_SECONDS = 900
CREATE_NO_WINDOW = 0x08000000  # Windows: no console window flashes up
# the command ``sheetprog libreoffice build --sheetprog`` / ``install`` found; set below
CONFIGURED_COMMAND: list[str] = []

NOT_FOUND = (
    "Программа sheetprog не найдена. Специалисту ИТ: установите Python и sheetprog "
    "(docs/libreoffice.md) и переустановите расширение командой «sheetprog libreoffice "
    "install», или укажите путь к программе sheetprog в переменной окружения "
    "SHEETPROG_COMMAND."
)


# -- finding and running sheetprog (no uno here: tested with the system Python) ----------------


def parse_command(text: str) -> list[str]:
    """SHEETPROG_COMMAND: a JSON list (``["C:/Python312/python.exe", "-m", "sheetprog"]``)
    or the path of the sheetprog program itself (spaces allowed)."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            return []
        return [str(v) for v in value] if isinstance(value, list) else []
    return [text] if text else []


def _runs(command: list[str], runner: Callable[..., Any]) -> bool:
    """Whether ``command --version`` answers (a Python without sheetprog does not)."""
    try:
        done = runner(
            [*command, "--version"],
            capture_output=True,
            timeout=60,
            env=child_env(os.environ),
            **_no_window(),
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and b"sheetprog" in (done.stdout or b"")


def find_command(
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    runner: Callable[..., Any] = subprocess.run,
    configured: list[str] | None = None,
) -> list[str] | None:
    """The command line that starts sheetprog, first found of: SHEETPROG_COMMAND; the
    command configured when the extension was built (``install`` writes the Python that
    ran it); ``sheetprog`` on PATH; ``py -3 -m sheetprog`` (Windows), ``python3 -m
    sheetprog``, ``python -m sheetprog`` (only if that Python has sheetprog). None: none."""
    env = os.environ if env is None else env
    configured = CONFIGURED_COMMAND if configured is None else configured
    if env.get(COMMAND_ENV, "").strip():
        return parse_command(env[COMMAND_ENV]) or None
    if configured and (which(configured[0]) or os.path.isfile(configured[0])):
        return list(configured)
    found = which("sheetprog")
    if found:
        return [found]
    pythons = [["py", "-3"]] if sys.platform == "win32" else []
    pythons += [["python3"], ["python"]]
    for python in pythons:
        exe = which(python[0])
        if exe and _runs([exe, *python[1:], "-m", "sheetprog"], runner):
            return [exe, *python[1:], "-m", "sheetprog"]
    return None


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """sheetprog's environment: LibreOffice's own Python settings left out (pyuno sets
    PYTHONHOME and PYTHONPATH for the bundled Python; another Python must not see them),
    UTF-8 output, no colours."""
    out = {k: v for k, v in env.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    out.update({"PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1", "NO_COLOR": "1"})
    return out


def _no_window() -> dict[str, Any]:
    return {"creationflags": CREATE_NO_WINDOW} if sys.platform == "win32" else {}


def run_sheetprog(
    command: list[str],
    action: str,
    path: str,
    runner: Callable[..., Any] = subprocess.run,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``sheetprog libreoffice run ACTION PATH``; its JSON answer, or one made here when
    it could not start or did not answer."""
    argv = [*command, "libreoffice", "run", action, path]
    try:
        done = runner(
            argv,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env=child_env(os.environ if env is None else env),
            **_no_window(),
        )
    except OSError as exc:
        return _failed(f"{NOT_FOUND} (Команда «{' '.join(command)}»: {exc}.)")
    except subprocess.TimeoutExpired:
        return _failed(
            f"sheetprog не закончил работу за {TIMEOUT_SECONDS // 60} минут. Книга открыта "
            "заново без изменений; сообщите специалисту ИТ."
        )
    stdout = (done.stdout or b"").decode("utf-8", "replace")
    stderr = (done.stderr or b"").decode("utf-8", "replace")
    for line in reversed(stdout.strip().splitlines()):
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict) and "message" in answer:
            return answer
    detail = (stderr or stdout).strip()[-600:] or f"код завершения {done.returncode}"
    return _failed(
        "sheetprog не выполнил действие. Возможно, установлена старая версия sheetprog "
        f"(нужна команда «sheetprog libreoffice run»). Ответ программы: {detail}"
    )


def _failed(message: str) -> dict[str, Any]:
    return {"ok": False, "title": f"{TITLE}: ошибка", "message": message, "sheet": None}


def check_document(location: str, suffix: str, readonly: bool) -> str | None:
    """Why the menu cannot work on this document (a Russian message), or None."""
    if not location:
        return (
            "Книга ещё не сохранена. Сохраните её как книгу Excel (Файл → Сохранить как, тип "
            "«Excel 2007–365 (.xlsx)») и выберите пункт меню ещё раз."
        )
    if not location.startswith("file:"):
        return (
            "Книга открыта не из папки на этом компьютере (например, с веб-сервера). Сохраните "
            "её в папку на диске и выберите пункт меню ещё раз."
        )
    if suffix.lower() not in EXCEL_SUFFIXES:
        return (
            f"Книга сохранена в формате «{suffix or 'без расширения'}», а sheetprog читает "
            "только книги Excel (.xlsx, .xlsm). Сохраните её через Файл → Сохранить как, тип "
            "«Excel 2007–365 (.xlsx)», и выберите пункт меню ещё раз."
        )
    if readonly:
        return (
            "Книга открыта только для чтения, результаты нельзя сохранить. Сохраните её под "
            "другим именем в папке, где у вас есть права на запись, и выберите пункт меню ещё "
            "раз."
        )
    return None


def tell(title: str, message: str, ok: bool, show: Callable[[str, str, bool], None]) -> None:
    """Show a message: appended to the file SHEETPROG_LO_MESSAGES names, else ``show``."""
    sink = os.environ.get(MESSAGES_ENV, "")
    if sink:
        with open(sink, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"title": title, "message": message, "ok": ok}) + "\n")
        return
    show(title, message, ok)


# -- LibreOffice (uno) ----------------------------------------------------------------------------


def _uno() -> Any:
    """LibreOffice's ``uno`` module (present only inside LibreOffice or with python3-uno)."""
    import uno  # type: ignore[import-not-found]

    return uno


def _pv(name: str, value: Any) -> Any:
    uno = _uno()

    pv = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    pv.Name = name
    pv.Value = value
    return pv


def _message_box(frame: Any) -> Callable[[str, str, bool], None]:
    def show(title: str, message: str, ok: bool) -> None:
        uno = _uno()
        ctx = uno.getComponentContext()
        toolkit = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx)
        parent = frame.getContainerWindow() if frame is not None else None
        kind = uno.Enum("com.sun.star.awt.MessageBoxType", "INFOBOX" if ok else "ERRORBOX")
        box = toolkit.createMessageBox(parent, kind, 1, title, message)  # 1: the OK button
        box.execute()
        box.dispose()

    return show


def _desktop() -> Any:
    uno = _uno()

    ctx = uno.getComponentContext()
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _reopen(frame: Any, url: str, hidden: bool) -> Any:
    """The workbook loaded again, into its own window when that is still there."""
    props = (_pv("Hidden", True),) if hidden else ()
    if frame is not None:
        try:
            doc = frame.loadComponentFromURL(url, "_self", 0, props)
            if doc is not None:
                return doc
        except Exception:
            pass
    return _desktop().loadComponentFromURL(url, "_blank", 0, props)


def _show_sheet(doc: Any, name: str | None) -> None:
    if doc is None or not name:
        return
    with contextlib.suppress(Exception):
        sheets = doc.getSheets()
        if sheets.hasByName(name):
            doc.getCurrentController().setActiveSheet(sheets.getByName(name))


def run_menu_action(action: str) -> None:
    """One menu item: save, run sheetprog on the file, reopen, tell the clerk — never a
    Python traceback in LibreOffice's dialog."""
    try:
        _run_menu_action(action)
    except Exception as exc:
        tell(
            f"{TITLE}: ошибка",
            f"Внутренняя ошибка макроса sheetprog ({type(exc).__name__}: {exc}). Сообщите "
            "специалисту ИТ; книга на диске не изменена, если sheetprog не успел её записать.",
            False,
            _message_box(None),
        )


def _run_menu_action(action: str) -> None:
    uno = _uno()

    # the script framework puts XSCRIPTCONTEXT into the module's globals
    doc = globals()["XSCRIPTCONTEXT"].getDocument()
    frame: Any = None
    with contextlib.suppress(Exception):
        frame = doc.getCurrentController().getFrame()
    show = _message_box(frame)
    if doc is None or not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        tell(TITLE, "Откройте книгу sheetprog в LibreOffice Calc.", False, show)
        return
    location = doc.getLocation() if doc.hasLocation() else ""
    path = uno.fileUrlToSystemPath(location) if location.startswith("file:") else location
    problem = check_document(location, os.path.splitext(path)[1], doc.isReadonly())
    if problem:
        tell(f"{TITLE}: ошибка", problem, False, show)
        return
    command = find_command()
    if command is None:
        tell(f"{TITLE}: ошибка", NOT_FOUND, False, show)
        return
    hidden = False
    with contextlib.suppress(Exception):
        hidden = not frame.getContainerWindow().isVisible()
    try:
        doc.store()
    except Exception as exc:
        tell(
            f"{TITLE}: ошибка",
            f"Книгу не удалось сохранить ({getattr(exc, 'Message', '') or exc}). Проверьте, "
            "что папка доступна для записи и файл не открыт в другой программе, и выберите "
            "пункт меню ещё раз.",
            False,
            show,
        )
        return
    # let go of the file: the frame shows an empty sheet while sheetprog writes the workbook
    released = False
    if frame is not None:
        try:
            args = (_pv("Hidden", True),) if hidden else ()
            released = frame.loadComponentFromURL("private:factory/scalc", "_self", 0, args)
        except Exception:
            released = False
    if not released:
        doc.close(True)
        frame = None
    answer = run_sheetprog(command, action, path)
    doc = _reopen(frame, location, hidden)
    frame = doc.getCurrentController().getFrame() if doc is not None else frame
    _show_sheet(doc, answer.get("sheet"))
    tell(
        str(answer.get("title") or TITLE),
        str(answer["message"]),
        bool(answer.get("ok")),
        _message_box(frame),
    )
