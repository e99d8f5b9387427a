"""Installable for real (issue 13, item 5): the xlwings pin matches the VBA module embedded in
the workbooks, the project builds a wheel that carries everything the package needs and runs
from a fresh virtual environment, and docs/excel-install.md installs from that wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import EXAMPLES, ROOT
from tests.test_xl import vba_modules

GUIDE = ROOT / "docs" / "excel-install.md"


def xlwings_requirement() -> Requirement:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    (spec,) = [d for d in project["dependencies"] if Requirement(d).name == "xlwings"]
    return Requirement(spec)


def embedded_xlwings_version(path: Path) -> str:
    (version,) = re.findall(r'XLWINGS_VERSION As String = "([^"]+)"', vba_modules(path)["xlwings"])
    return version


def test_the_xlwings_pin_matches_the_embedded_module_and_the_api_used(tmp_path, cli):
    """``pyproject.toml`` allowed xlwings 0.30, which has no ``Range.add_note``: the buttons'
    marks would have failed on an install the project called valid."""
    import inspect

    import xlwings
    import xlwings.conversion.standard

    allowed = xlwings_requirement().specifier
    made = tmp_path / "new.xlsm"
    assert cli("new", made, "--years", "2025-2026").exit_code == 0
    for book in (ROOT / "workbooks" / "programma-2025-2030.xlsm", made):
        assert allowed.contains(embedded_xlwings_version(book)), book.name
    assert allowed.contains(xlwings.__version__)
    for too_old in ("0.30.0", "0.37.4"):  # no Range.add_note before 0.37.5
        assert not allowed.contains(too_old)
    assert not allowed.contains("1.0.0")  # xlwings 1.0 plans breaking changes (ndim, …)
    assert hasattr(xlwings.Range, "add_note")
    assert "err_to_str" in inspect.getsource(xlwings.conversion.standard)


def _build_wheel(source: Path, out: Path) -> Path:
    """``pip wheel`` of a copy of the project (a build writes build/ and *.egg-info next to
    its sources). Offline with the dev environment's setuptools and wheel; else pip fetches
    the build backend into an isolated environment from the package index."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out)]
    try:
        import setuptools
        import wheel  # noqa: F401

        if int(setuptools.__version__.split(".")[0]) >= 68:
            command.append("--no-build-isolation")
    except ImportError:
        pass
    subprocess.run([*command, str(source)], check=True, timeout=600)
    (built,) = out.glob("sheetprog-*.whl")
    return built


def test_the_wheel_carries_the_package_and_runs_from_a_fresh_environment(tmp_path):
    source = tmp_path / "source"
    # an editable install leaves src/sheetprog.egg-info beside the package: not part of it
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = _build_wheel(source, tmp_path / "dist")

    with zipfile.ZipFile(built) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(info).decode()
        entry_points = zf.read(info.replace("METADATA", "entry_points.txt")).decode()
    package = ROOT / "src"
    needed = {
        p.relative_to(package).as_posix()
        for p in (package / "sheetprog").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert needed <= names, sorted(needed - names)  # every module and py.typed
    assert "sheetprog/py.typed" in needed
    assert not any(n.startswith(("tests/", "examples/")) for n in names)
    assert "sheetprog = sheetprog.cli:main" in entry_points
    assert f"Requires-Dist: {xlwings_requirement()}".replace(" ", "") in metadata.replace(" ", "")

    # a fresh environment with only the wheel; the dependencies come from this environment
    # through a path entry after the wheel's own site-packages (never the source tree)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(built)],
        check=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "zz-parent-environment.pth").write_text("\n".join(sorted(parent)) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SHEETPROG_CACHE"] = str(tmp_path / "cache")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )

    where = run(str(python), "-c", "import sheetprog; print(sheetprog.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(Path(site)), where.stdout
    program = str(bin_dir / "sheetprog")
    shown = run(program, "--help")
    assert shown.returncode == 0 and "Использование: sheetprog" in shown.stdout, shown.stderr
    book = tmp_path / "Программа.xlsm"
    made = run(program, "new", str(book), "--years", "2025-2026")
    assert made.returncode == 0 and book.is_file(), made.stderr
    report = tmp_path / "отчёт.docx"
    reported = run(
        program, "report", "annual", str(EXAMPLES / "kaluga-2016.xlsx"), "-o", str(report)
    )
    assert reported.returncode == 0 and report.is_file(), reported.stderr
    # the installed package has no templates/ folder: it built the template into the cache
    assert (tmp_path / "cache" / "annual.docx").is_file()


# -- the install guide ------------------------------------------------------------------


def test_the_install_guide_installs_from_the_wheel_not_a_public_registry():
    """The guide said ``pip install sheetprog``: no such package exists on PyPI, and anyone
    could register the name."""
    text = GUIDE.read_text("utf-8")
    commands = re.findall(r"pip install[^\n`]*", text)
    assert commands
    for command in commands:
        target = command.split()[-1]
        assert target.endswith(".whl") or target in (".", "-r"), command
    assert "python -m pip wheel" in text
    assert all(str(spec) in text for spec in xlwings_requirement().specifier)


def test_the_install_guide_quotes_the_real_messages_and_the_blocking_rule():
    text = " ".join(GUIDE.read_text("utf-8").split())  # markdown lines wrap anywhere
    module = vba_modules(ROOT / "workbooks" / "programma-2025-2030.xlsm")["xlwings"]
    for message in ("Could not find Interpreter!", "Press Ctrl+C to copy this message"):
        assert message in text and message in module  # as the embedded xlwings module says
    assert "INTERPRETER_WIN" in text and 'GetConfig("INTERPRETER_WIN"' in module
    assert "xlwings.conf" in text
    assert "Python was not found; run without arguments to install from the Microsoft Store" in text
    assert "Block all Office applications from creating child processes" in text
    assert "d4f940ab-401b-4efc-aadc-ad5f3c50688a" in text.lower()
    assert "ModuleNotFoundError: No module named 'sheetprog'" in text


def test_the_guide_sample_config_lines_are_ascii():
    """xlwings' VBA reads xlwings.conf with ``Open … For Input`` (the ANSI code page): the
    interpreter paths the guide shows must be plain ASCII."""
    lines = [
        line
        for line in GUIDE.read_text("utf-8").splitlines()
        if line.startswith('"INTERPRETER_WIN"')
    ]
    assert lines and all(line.isascii() for line in lines)
