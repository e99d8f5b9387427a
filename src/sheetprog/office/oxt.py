"""The LibreOffice extension (.oxt): a «sheetprog» menu and toolbar in Calc.

An .oxt is a zip (LibreOffice Developer's Guide, "Extensions"): ``META-INF/manifest.xml``
lists its parts — here ``Addons.xcu`` (configuration data: the menu and the toolbar,
shown for spreadsheet documents only) and the folder ``python`` of Python scripts
(media type ``application/vnd.sun.star.framework-script``, which LibreOffice's
pythonscript.py looks for in a package's manifest); ``description.xml`` carries the
identifier and version. Each menu item's URL is a script URL of the scripting framework,

    vnd.sun.star.script:sheetprog.oxt|python|sheetprog_calc.py$check?language=Python&location=user:uno_packages

whose first path element is the .oxt file's name as it was added (so the name is part of
the build, and the file must not be renamed), and whose location is ``user:uno_packages``
(``unopkg add``) or ``share:uno_packages`` (``unopkg add --shared``, for all users).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from sheetprog.errors import LibreOfficeError, OutputError, UsageError
from sheetprog.office.actions import actions
from sheetprog.version import __version__

IDENTIFIER = "org.sheetprog.calc"
DEFAULT_NAME = "sheetprog.oxt"
SCRIPT = "sheetprog_calc.py"
CONTEXT = "com.sun.star.sheet.SpreadsheetDocument"
MENU_TITLE = "sheetprog"
_NAME_RE = re.compile(r"^[A-Za-z0-9._-]+\.oxt$")
UNOPKG_TIMEOUT = 300


def script_url(oxt_name: str, function: str, shared: bool = False) -> str:
    location = "share:uno_packages" if shared else "user:uno_packages"
    return (
        f"vnd.sun.star.script:{oxt_name}|python|{SCRIPT}${function}"
        f"?language=Python&location={location}"
    )


def _prop(name: str, value: str) -> str:
    return f'<prop oor:name="{name}" oor:type="xs:string"><value>{escape(value)}</value></prop>'


def _item(node: str, url: str, title: str) -> str:
    return (
        f'<node oor:name="{node}" oor:op="replace">'
        + _prop("URL", url)
        + _prop("Title", title)
        + _prop("Target", "_self")
        + _prop("Context", CONTEXT)
        + "</node>"
    )


def addons_xcu(oxt_name: str, shared: bool = False) -> str:
    """The menu (after «Сервис»… in the menu bar, as add-on menus are placed) and the toolbar:
    one item per action, in ``actions()`` order; a separator before the reports."""
    menu: list[str] = []
    toolbar: list[str] = []
    for i, action in enumerate(actions(), start=1):
        url = script_url(oxt_name, action.function, shared)
        if action.sheet is None and i > 1 and actions()[i - 2].sheet is not None:
            menu.append(_item(f"m{i:02d}a", "private:separator", ""))
            toolbar.append(_item(f"t{i:02d}a", "private:separator", ""))
        menu.append(_item(f"m{i:02d}", url, action.caption))
        toolbar.append(_item(f"t{i:02d}", url, action.caption))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="Addons" '
        'oor:package="org.openoffice.Office">\n'
        '<node oor:name="AddonUI">\n'
        '<node oor:name="OfficeMenuBar">\n'
        f'<node oor:name="{IDENTIFIER}.menu" oor:op="replace">'
        + _prop("Title", MENU_TITLE)
        + _prop("Context", CONTEXT)
        + '<node oor:name="Submenu">\n'
        + "\n".join(menu)
        + "\n</node></node>\n</node>\n"
        '<node oor:name="OfficeToolBar">\n'
        f'<node oor:name="{IDENTIFIER}.toolbar" oor:op="replace">\n'
        + "\n".join(toolbar)
        + "\n</node>\n</node>\n</node>\n</oor:component-data>\n"
    )


_ENTRY = ' <manifest:file-entry manifest:full-path="{}" manifest:media-type="{}"/>\n'
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">\n'
    + _ENTRY.format("python", "application/vnd.sun.star.framework-script")
    + _ENTRY.format("Addons.xcu", "application/vnd.sun.star.configuration-data")
    + "</manifest:manifest>\n"
)


def description_xml() -> str:
    version = re.sub(r"[^0-9.]", "", __version__.split("+")[0]) or "0"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<description xmlns="http://openoffice.org/extensions/description/2006"
  xmlns:d="http://openoffice.org/extensions/description/2006"
  xmlns:xlink="http://www.w3.org/1999/xlink">
 <identifier value="{IDENTIFIER}"/>
 <version value="{version}"/>
 <display-name><name lang="ru">sheetprog — мониторинг муниципальных программ</name></display-name>
 <dependencies>
  <d:OpenOffice.org-minimal-version value="4.0" d:name="OpenOffice.org 4.0"/>
 </dependencies>
</description>
"""


def macro_source(command: list[str] | None) -> str:
    """The macro module: ``calc_macro``'s source, the configured command and one function per
    menu item (``g_exportedScripts``: only these appear in Tools → Macros)."""
    base = (Path(__file__).parent / "calc_macro.py").read_text("utf-8")
    lines = [
        "",
        "",
        "# -- generated by «sheetprog libreoffice build» ------------------------------------",
        f"CONFIGURED_COMMAND = {json.dumps(command or [], ensure_ascii=False)}",
    ]
    functions = []
    for action in actions():
        functions.append(action.function)
        lines += [
            "",
            "",
            f"def {action.function}(*_args: Any) -> None:",
            f'    """«{action.caption}»."""',
            f"    run_menu_action({action.name!r})",
        ]
    lines += ["", "", f"g_exportedScripts = ({', '.join(functions)},)", ""]
    return base.rstrip("\n") + "\n" + "\n".join(lines)


def build_extension(
    out: Path,
    *,
    command: list[str] | None = None,
    shared: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the extension to ``out`` (its name goes into the menu's script URLs)."""
    out = Path(out)
    if not _NAME_RE.match(out.name):
        raise UsageError(
            f"Имя расширения «{out.name}» должно оканчиваться на .oxt и состоять из латинских "
            "букв, цифр, точек, дефисов и подчёркиваний (оно входит в адреса пунктов меню), "
            f"например {DEFAULT_NAME}."
        )
    if out.exists() and not overwrite:
        raise OutputError(
            f"Файл «{out}» уже существует. Укажите другое имя или добавьте --replace.",
            path=str(out),
        )
    if not out.parent.is_dir():
        raise OutputError(f"Папка «{out.parent}» не существует.", path=str(out))
    parts = {
        "META-INF/manifest.xml": MANIFEST,
        "description.xml": description_xml(),
        "Addons.xcu": addons_xcu(out.name, shared),
        f"python/{SCRIPT}": macro_source(command),
    }
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))
    os.replace(tmp, out)
    return out


def parse_command_option(text: str | None) -> list[str] | None:
    """``--sheetprog``: the path of the sheetprog program, or a JSON list (a command line)."""
    if text is None:
        return None
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise UsageError(
                f"--sheetprog «{text}»: не разобран как список JSON ({exc}). Пример: "
                '["C:/Python312/python.exe", "-m", "sheetprog"].'
            ) from exc
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise UsageError(f"--sheetprog «{text}»: нужен непустой список строк JSON.")
        return list(value)
    if not text:
        raise UsageError("--sheetprog: укажите путь к программе sheetprog.")
    return [text]


def current_command() -> list[str]:
    """How this sheetprog was started: the Python running it with ``-m sheetprog``."""
    return [sys.executable, "-m", "sheetprog"]


def find_unopkg() -> str | None:
    """``SHEETPROG_UNOPKG``, else unopkg beside soffice (``SHEETPROG_SOFFICE`` or the usual
    places), else on PATH."""
    from sheetprog.io.libreoffice import find_soffice

    if os.environ.get("SHEETPROG_UNOPKG"):
        return os.environ["SHEETPROG_UNOPKG"]
    soffice = find_soffice()
    if soffice:
        folder = Path(soffice).resolve().parent
        for name in ("unopkg.com", "unopkg.exe", "unopkg"):
            if (folder / name).is_file():
                return str(folder / name)
    return shutil.which("unopkg")


def profile_arg(profile: Path | None) -> list[str]:
    """``-env:UserInstallation=file:///…``: a LibreOffice user profile other than the usual."""
    return [f"-env:UserInstallation={Path(profile).resolve().as_uri()}"] if profile else []


def _unopkg(args: list[str], profile: Path | None) -> subprocess.CompletedProcess[str]:
    unopkg = find_unopkg()
    if unopkg is None:
        raise LibreOfficeError(
            "Программа unopkg (из состава LibreOffice) не найдена. Установите LibreOffice "
            "(Debian/Astra: пакет libreoffice-calc; для макросов на Python также "
            "libreoffice-script-provider-python) или укажите путь к soffice в переменной "
            "окружения SHEETPROG_SOFFICE."
        )
    cmd = [unopkg, *args, *profile_arg(profile)]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=UNOPKG_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise LibreOfficeError(
            f"unopkg не закончил работу за {UNOPKG_TIMEOUT} с. Закройте LibreOffice и "
            "повторите команду."
        ) from exc


def install_extension(
    *, command: list[str] | None = None, profile: Path | None = None
) -> list[str]:
    """Build the extension for this computer (with the command that starts this sheetprog)
    and add it for the current user (``unopkg add --force``); the command it configured."""
    command = command or current_command()
    with tempfile.TemporaryDirectory(prefix="sheetprog-oxt-") as tmp:
        os.chmod(tmp, 0o755)  # unopkg may run as another user (SHEETPROG_UNOPKG)
        oxt = build_extension(Path(tmp) / DEFAULT_NAME, command=command)
        done = _unopkg(["add", "--force", "--suppress-license", str(oxt)], profile)
    if done.returncode != 0 and "as root" in done.stderr + done.stdout:
        raise LibreOfficeError(
            "unopkg не устанавливает расширение для пользователя root. Выполните команду от "
            "имени пользователя, который работает в LibreOffice; для всех пользователей "
            "компьютера: «sheetprog libreoffice build --shared sheetprog.oxt» и «unopkg add "
            "--shared sheetprog.oxt» (docs/libreoffice.md)."
        )
    if done.returncode != 0:
        raise LibreOfficeError(
            "unopkg не установил расширение sheetprog. Закройте все окна LibreOffice (и "
            "быстрый запуск в области уведомлений) и повторите команду. Ответ unopkg: "
            f"{(done.stderr or done.stdout).strip()[-400:]}"
        )
    return command


def uninstall_extension(*, profile: Path | None = None) -> None:
    done = _unopkg(["remove", IDENTIFIER], profile)
    if done.returncode != 0:
        raise LibreOfficeError(
            "unopkg не удалил расширение sheetprog (возможно, оно не установлено для этого "
            f"пользователя). Ответ unopkg: {(done.stderr or done.stdout).strip()[-400:]}"
        )


def menu_items(oxt: Path) -> list[tuple[str, str]]:
    """(caption, URL) of the menu in a built extension (the .oxt, or the folder unopkg
    unpacked it into), in order (separators left out)."""
    if oxt.is_dir():
        xcu = (oxt / "Addons.xcu").read_text("utf-8")
    else:
        with zipfile.ZipFile(oxt) as zf:
            xcu = zf.read("Addons.xcu").decode("utf-8")
    menu = xcu.split('<node oor:name="OfficeToolBar">')[0]
    found = re.findall(
        r'<prop oor:name="URL" oor:type="xs:string"><value>([^<]*)</value></prop>'
        r'<prop oor:name="Title" oor:type="xs:string"><value>([^<]*)</value></prop>',
        menu,
    )
    return [(unescape(t), unescape(u)) for u, t in found if u != "private:separator"]
