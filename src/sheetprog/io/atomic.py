"""Atomic file replacement: write to a temporary file beside the target, then rename.

An ``OSError`` of the file system while the output is made (a read-only or missing folder,
a folder where the file should be, a file locked by Excel, a full disk, no permission)
becomes ``OutputWriteError`` (exit 5) with a Russian message naming the path and what to
do; the temporary file is removed, the previous output stays as it was (issue 20). A run
killed outright leaves its temporary file behind: ``remove_orphans`` clears them (their
names carry ``TMP_MARK``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sheetprog.errors import OutputWriteError

TMP_MARK = ".sheetprog-tmp-"


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success it replaces ``path`` atomically."""
    path = Path(path)
    if path.is_symlink():  # write through the link: the file it points to is updated
        path = path.resolve()
    if path.is_dir():
        raise output_error(IsADirectoryError(errno.EISDIR, "is a directory", str(path)), path)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.stem}{TMP_MARK}", suffix=path.suffix, dir=path.parent
        )
    except OSError as exc:
        raise output_error(exc, path) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
            old = path.stat() if path.exists() else None
            with contextlib.suppress(OSError):  # keep the old file's mode; a new one gets umask's
                os.chmod(tmp, old.st_mode & 0o777 if old else 0o666 & ~_umask())
            if old is not None and hasattr(os, "chown"):
                with contextlib.suppress(OSError):  # and its owner (where we may set it)
                    os.chown(tmp, old.st_uid, old.st_gid)
            if old is not None and old.st_nlink > 1:
                _write_into(tmp, path)  # a hard link: the same file under every name
            else:
                os.replace(tmp, path)
        except OSError as exc:
            if _ours(exc, path, tmp):
                raise output_error(exc, path) from None
            raise
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


def _ours(exc: OSError, path: Path, tmp: Path) -> bool:
    """Whether ``exc`` is about writing this output (not about reading some input)."""
    names = {str(path), str(tmp), str(path.parent)}
    return (
        exc.errno in _WRITE_ERRNOS
        or exc.filename in names
        or getattr(exc, "filename2", None) in names
        or (exc.filename is None and isinstance(exc, PermissionError))
    )


def output_error(exc: OSError, path: Path) -> OutputWriteError:
    """A Russian message for a file system's refusal to write ``path``."""
    where = f"«{path}»"
    code = exc.errno
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        text = (
            f"Нельзя записать файл {where}: на его месте папка. Укажите имя файла, а не "
            "папки, или переименуйте папку."
        )
    elif code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        text = (
            f"Нельзя записать файл {where}: на диске нет места. Освободите место на диске "
            f"(папка «{path.parent}») или укажите другую папку и повторите; прежний файл, "
            "если был, не изменён."
        )
    elif code == errno.EROFS:
        text = (
            f"Нельзя записать файл {where}: диск или папка доступны только для чтения. "
            "Укажите другую папку для результата."
        )
    elif code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        text = (
            f"Нельзя записать файл {where}: папки «{path.parent}» нет. Создайте её или укажите "
            "другую."
        )
    elif isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        text = (
            f"Нельзя записать файл {where}: нет прав на запись или файл открыт в другой "
            "программе (например, в Excel). Закройте файл, проверьте права на папку "
            f"«{path.parent}» или укажите другую папку и повторите."
        )
    else:
        text = (
            f"Нельзя записать файл {where}: {exc.strerror or exc}. Проверьте папку и диск "
            "и повторите."
        )
    return OutputWriteError(text, path=str(path))


def _write_into(tmp: Path, path: Path) -> None:
    """Copy the finished temporary file into ``path`` itself (its inode, owner, mode and
    other names stay): for a file with hard links, which a rename would split. The copy is
    made only once the new content is complete, so a failure before it leaves the file as
    it was."""
    import shutil

    with tmp.open("rb") as src, path.open("r+b") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())


def remove_orphans(folder: Path) -> None:
    """Remove the temporary files a killed run left in ``folder`` (call it only while
    holding the folder's lock: a live run's temporary files look the same)."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f".*{TMP_MARK}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
