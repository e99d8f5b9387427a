"""LibreOffice headless: recalculate workbooks and convert documents (.docx → .pdf)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheetprog.errors import LibreOfficeError

CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)
TIMEOUT_SECONDS = 240


def find_soffice() -> str | None:
    env = os.environ.get("SHEETPROG_SOFFICE")
    for candidate in ((env,) if env else ()) + CANDIDATES:
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    return None


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``source`` with LibreOffice (e.g. fmt "pdf" or "xlsx"); returns the new file."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(
            "LibreOffice не найден. Установите его (Debian/Astra: пакеты libreoffice-writer и "
            "libreoffice-calc; ALT: LibreOffice-still-integrated; Windows: libreoffice.org) или "
            "укажите путь к soffice в переменной окружения SHEETPROG_SOFFICE."
        )
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sheetprog-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{Path(profile).as_posix()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(
                f"LibreOffice не завершил преобразование «{source}» за {TIMEOUT_SECONDS} с."
            ) from exc
    target = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    if done.returncode != 0 or not target.exists():
        raise LibreOfficeError(
            f"LibreOffice не смог преобразовать «{source}» в {fmt}: "
            f"{(done.stderr or done.stdout).strip()[:300]}"
        )
    return target
