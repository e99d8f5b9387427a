"""The two commands of the README on a fresh machine: scripts/demo.sh (a virtual environment,
a clear line when Python, venv or LibreOffice is missing) and .ci/run (the README's test
command, the demo and its outputs). The demo's functions are sourced with stand-ins for
Python, LibreOffice and sheetprog; CI runs the real thing (.ci/run ends with the demo)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "scripts" / "demo.sh"
CI = ROOT / ".ci" / "run"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def executable(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def tools(folder: Path, *names: str) -> Path:
    """A PATH folder holding only the named system programs (and whatever the test adds)."""
    folder.mkdir(exist_ok=True)
    for name in names:
        found = shutil.which(name)
        assert found, name
        (folder / name).symlink_to(found)
    return folder


def demo(script: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Source demo.sh (its main does not run) and run ``script`` with its functions."""
    return subprocess.run(
        [shutil.which("bash") or "bash", "-c", f'source "{DEMO}"; {script}'],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_scripts_parse():
    for script in (DEMO, CI):
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_a_missing_or_old_python_or_venv_module_is_named(tmp_path):
    bin_ = tools(tmp_path / "bin")
    env = {"PATH": str(bin_)}
    old = executable(tmp_path / "python-old", 'case "$2" in *print*) echo 3.9;; *) exit 1;; esac\n')
    result = demo("check_python", cwd=tmp_path, env={**env, "PYTHON": str(old)})
    assert result.returncode == 1
    assert "нужен Python 3.11 или новее" in result.stderr and "версия 3.9" in result.stderr
    no_venv = executable(
        tmp_path / "python-no-venv",
        'case "$2" in *ensurepip*) exit 1;; *print*) echo 3.11;; *) exit 0;; esac\n',
    )
    result = demo("check_python", cwd=tmp_path, env={**env, "PYTHON": str(no_venv)})
    assert result.returncode == 1
    assert "нет модуля venv" in result.stderr
    assert "sudo apt-get install python3-venv" in result.stderr  # Debian, Astra
    assert "python3-module-venv" in result.stderr  # ALT
    result = demo("check_python", cwd=tmp_path, env=env)  # no python at all
    assert result.returncode == 1 and "не найден Python 3.11" in result.stderr
    result = demo("check_python", cwd=tmp_path, env={**env, "PYTHON": sys.executable})
    assert result.returncode == 0 and result.stdout.strip() == sys.executable


@pytest.mark.parametrize("libreoffice", [True, False])
def test_the_demo_uses_the_venv_and_skips_pdf_without_libreoffice(tmp_path, libreoffice):
    """The demo's commands, run by a stand-in sheetprog in .venv that records them."""
    work = tmp_path / "repo"
    (work / "examples").mkdir(parents=True)
    for name in ("partizansk-2021", "kaluga-2016"):
        (work / "examples" / f"{name}.xlsx").write_bytes(b"")
    log = tmp_path / "calls.txt"
    venv_bin = work / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    executable(venv_bin / "sheetprog", f'echo "$@" >> "{log}"\n')
    bin_ = tools(tmp_path / "bin", "mkdir", "tail")
    if libreoffice:
        executable(bin_ / "soffice", "exit 0\n")
    result = demo("run_demo", cwd=work, env={"PATH": str(bin_)})
    assert result.returncode == 0, result.stderr
    calls = log.read_text("utf-8").splitlines()
    assert calls[0] == "info examples/kaluga-2016.xlsx"
    annual = next(c for c in calls if c.startswith("report annual"))
    hint = "LibreOffice не найден — PDF пропущен."
    if libreoffice:
        assert annual.endswith("--replace --pdf") and hint not in result.stdout
    else:
        assert "--pdf" not in annual
        [line] = [line for line in result.stdout.splitlines() if line.startswith(hint)]
        for how in ("apt-get install libreoffice-writer", "LibreOffice-still", "libreoffice.org"):
            assert how in line
    assert not any("--force" in c for c in calls)
    writers = [c for c in calls if (" -o " in c and not c.startswith("batch")) or "new " in c]
    assert writers and all("--replace" in c for c in writers)
    assert "Готово." in result.stdout and (work / "out").is_dir()


@pytest.mark.parametrize(("code", "ok"), [(1, True), (4, False)])
def test_the_demo_takes_unread_files_in_the_batch_as_a_result(tmp_path, code, ok):
    """The batch exits 1 when a file is «не прочитан» (issue 20) — in the demo the reserve's
    workbook, which is no program: the demo goes on; any other failure still stops it."""
    work = tmp_path / "repo"
    (work / "examples").mkdir(parents=True)
    for name in ("partizansk-2021", "kaluga-2016"):
        (work / "examples" / f"{name}.xlsx").write_bytes(b"")
    venv_bin = work / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    executable(venv_bin / "sheetprog", f'[ "$1" = batch ] && exit {code}\nexit 0\n')
    bin_ = tools(tmp_path / "bin", "mkdir", "tail")
    result = demo("run_demo", cwd=work, env={"PATH": str(bin_)})
    assert (result.returncode == 0) is ok, result.stderr
    assert ("Готово." in result.stdout) is ok


def test_the_venv_is_the_one_in_the_repository(tmp_path):
    result = demo("venv_bin", cwd=tmp_path, env={"PATH": os.environ["PATH"]})
    assert result.stdout.strip() == ".venv/bin"
    (tmp_path / ".venv" / "Scripts").mkdir(parents=True)  # Windows' layout
    result = demo("venv_bin", cwd=tmp_path, env={"PATH": os.environ["PATH"]})
    assert result.stdout.strip() == ".venv/Scripts"
    text = DEMO.read_text("utf-8")
    assert "-m venv" in text and "pip install" in text
    assert "python3 -m pip install" not in text  # never the system interpreter
    assert ".venv/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


def test_ci_runs_the_readme_test_command_then_the_demo():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    assert blocks[:2] == ["bash scripts/demo.sh\n", ".venv/bin/python -m pytest -q\n"]
    ci = CI.read_text("utf-8")
    assert ".venv/bin/python -m pytest -q || status=$?" in ci
    assert 'if [ "$status" -eq 5 ]' in ci  # «no tests ran» fails CI
    assert ci.index("-m pytest -q") < ci.index("bash scripts/demo.sh")
    made = re.findall(r'"(out/[^"]+)"', ci)
    assert len(made) >= 5 and "test -s" in ci
    demo_text = DEMO.read_text("utf-8")
    for path in made:  # every checked output is one the demo writes
        assert path.removeprefix("out/").split("/")[0].split(".")[0][:10] in demo_text, path
    for prerequisite in ("python3-venv", "python3-module-venv", "LibreOffice", "Windows"):
        assert prerequisite in readme
