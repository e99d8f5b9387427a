"""Checks made on an input file before any parser touches it.

Each failure raises ``UnreadableInputError`` with a Russian message that names
the file and says what to do. The file is only read, never written.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from sheetprog.errors import UnreadableInputError
from sheetprog.fmt import number

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries over 1 MiB
MAX_ROWS = 50_000
MAX_COLUMNS = 1_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _mb(size: int) -> str:
    return number(size / 1024 / 1024, 1)


def check_file(path: Path) -> None:
    """Raise ``UnreadableInputError`` unless ``path`` looks like a safe .xlsx/.xlsm file."""
    open_checked(path)[1].close()


def open_checked(path: Path) -> tuple[bytes, zipfile.ZipFile]:
    """``check_file``'s checks, and what they read: the file's bytes (read once) and the
    archive opened over them (its directory parsed once), for the reader to go on with
    (issue 21: each package read once). The caller closes the archive."""
    name = str(path)
    if not path.exists():
        raise UnreadableInputError(
            f"Файл «{name}» не найден. Проверьте путь и имя файла.", path=name
        )
    if path.is_dir():
        raise UnreadableInputError(
            f"«{name}» — это папка, а не файл. Укажите файл книги .xlsx или .xlsm.", path=name
        )
    if not os.access(path, os.R_OK):
        raise _no_permission(path)
    size = path.stat().st_size
    if size == 0:
        raise UnreadableInputError(
            f"Файл «{name}» пуст (0 байт). Вероятно, он не был сохранён до конца: "
            "откройте исходную книгу и сохраните её заново.",
            path=name,
        )
    if size > MAX_FILE_BYTES:
        raise UnreadableInputError(
            f"Файл «{name}» слишком большой: {_mb(size)} МБ при допустимых "
            f"{_mb(MAX_FILE_BYTES)} МБ. Удалите из книги лишние листы, рисунки и вложения.",
            path=name,
        )
    try:
        data = path.read_bytes()
    except PermissionError:
        raise _no_permission(path) from None
    if data[:8] == OLE_MAGIC:
        _ole_file(name, data)
    if not data.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableInputError(
            f"Файл «{name}» не является книгой Excel (.xlsx/.xlsm): его содержимое не "
            "похоже на книгу. Возможно, файл повреждён или у него изменено расширение. "
            "Откройте его в Excel или LibreOffice и сохраните как «Книга Excel (.xlsx)».",
            path=name,
        )
    return data, _zip_file(name, data, path.name)


def _no_permission(path: Path) -> UnreadableInputError:
    return UnreadableInputError(
        f"Нет прав на чтение файла «{path}». Попросите администратора открыть доступ к файлу "
        "или скопируйте его в свою папку и повторите.",
        path=str(path),
    )


def _ole_file(name: str, data: bytes) -> None:
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        raise UnreadableInputError(
            f"Книга «{name}» защищена паролем на открытие (зашифрована), поэтому её нельзя "
            "прочитать. Снимите пароль: в Excel — Файл → Сведения → Защита книги → "
            "Зашифровать с использованием пароля → очистите поле; в LibreOffice — "
            "Файл → Сохранить как без флажка «Сохранить с паролем». Затем повторите.",
            path=name,
        )
    raise UnreadableInputError(
        f"Файл «{name}» сохранён в старом формате Excel 97–2003 (.xls). Откройте его в Excel "
        "или LibreOffice Calc и сохраните как «Книга Excel (.xlsx)», затем повторите.",
        path=name,
    )


def _zip_file(name: str, data: bytes, filename: str) -> zipfile.ZipFile:
    """The archive over ``data``, open, once its entries pass the checks."""
    zf: zipfile.ZipFile | None = None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "mimetype" in names and zf.read("mimetype").strip() == ODS_MIME:
            raise UnreadableInputError(
                f"Файл «{name}» — таблица OpenDocument (.ods). Откройте его в LibreOffice "
                "Calc и сохраните как «Книга Excel 2007–365 (.xlsx)» (Файл → Сохранить "
                "как) или выполните: soffice --headless --convert-to xlsx "
                f"«{filename}». Затем повторите с файлом .xlsx.",
                path=name,
            )
        _entry_names(name, [i.filename for i in infos])  # issue 20
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > MAX_ENTRY_RATIO:
                _bomb(name, f"часть «{info.filename}» сжата в {int(ratio)} раз")
        if total > MAX_UNCOMPRESSED_BYTES:
            _bomb(name, f"после распаковки она занимает {_mb(total)} МБ")
        if "xl/workbook.xml" not in names and not _workbook_elsewhere(zf):
            raise UnreadableInputError(
                f"Файл «{name}» — zip-архив, но не книга Excel: в нём нет книги "
                "(xl/workbook.xml). Укажите файл книги .xlsx или .xlsm.",
                path=name,
            )
    except zipfile.BadZipFile as exc:
        if zf is not None:
            zf.close()
        raise UnreadableInputError(
            f"Файл «{name}» повреждён (архив книги не читается: {exc}). Откройте его в Excel "
            "или LibreOffice, сохраните заново и повторите.",
            path=name,
        ) from exc
    except BaseException:
        if zf is not None:
            zf.close()
        raise
    return zf


def _workbook_elsewhere(zf: zipfile.ZipFile) -> bool:
    """Whether _rels/.rels names a workbook part at a non-standard path (package.py)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    from sheetprog.io import package

    try:
        return package.workbook_part(zf) is not None
    except (ParseError, DefusedXmlException, KeyError, ValueError):
        return False  # the message below says what is wrong


def _entry_names(name: str, names: list[str]) -> None:
    """Refuse an archive with two entries of one name (which one a reader takes differs:
    zipfile the last, others the first) or an entry path leaving the package (``../``, an
    absolute path): no spreadsheet program writes either."""
    seen: set[str] = set()
    for entry in names:
        folded = entry.replace("\\", "/").casefold()
        if folded in seen:
            raise UnreadableInputError(
                f"Файл «{name}» повреждён: часть «{entry}» записана в архив книги дважды, и "
                "неясно, какая из них верна. Откройте книгу в Excel или LibreOffice, "
                "сохраните заново и повторите.",
                path=name,
            )
        seen.add(folded)
        parts = folded.split("/")
        if folded.startswith("/") or ".." in parts or (parts[0].endswith(":")):
            raise UnreadableInputError(
                f"Файл «{name}» отклонён: в архиве книги есть часть с недопустимым путём "
                f"«{entry}» (за пределами книги). Книга, сохранённая Excel или LibreOffice, "
                "таких не содержит; запросите у отправителя исходную книгу.",
                path=name,
            )


def _bomb(name: str, why: str) -> None:
    raise UnreadableInputError(
        f"Файл «{name}» отклонён: {why}, что превышает допустимые "
        f"{_mb(MAX_UNCOMPRESSED_BYTES)} МБ. Книга мониторинга не может быть такой большой; "
        "вероятно, файл повреждён или составлен злонамеренно. Запросите у отправителя "
        "исходную книгу.",
        path=name,
    )


def too_many_rows(name: str, sheet: str, rows: int) -> UnreadableInputError:
    return UnreadableInputError(
        f"Файл «{name}», лист «{sheet}»: больше {number(rows)} строк с данными (допустимо "
        f"{number(MAX_ROWS)}). "
        "Вероятно, на листе есть форматирование или данные далеко за пределами таблицы: "
        "удалите лишние строки и сохраните книгу.",
        path=name,
    )


def refuse_dtd(zf: zipfile.ZipFile, data: bytes, name: str) -> None:
    """Refuse a workbook one of whose XML parts declares a DTD (where entities live), before
    any parser sees it. ``data`` is the archive's bytes: the prologs are decompressed from it
    directly, which costs far less than opening every entry through ``zf``."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")) and _declares_dtd(zf, info, data):
            raise UnreadableInputError(
                f"Файл «{name}» содержит недопустимые XML-конструкции (DTD или сущности в "
                f"«{info.filename}»), поэтому не читается из соображений безопасности. "
                "Откройте книгу в Excel или LibreOffice, сохраните заново и повторите.",
                path=name,
            )


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> bool:
    head = _entry_head(data, info)
    found = dtd_before_root(head) if head is not None else None
    if found is not None:
        return found
    head = b""  # a long prolog (or an unusual entry): read on until the root element
    with zf.open(info) as fh:
        while chunk := fh.read(65536):
            head += chunk
            found = dtd_before_root(head)
            if found is not None:
                return found
    return False


_LOCAL_HEADER = b"PK\x03\x04"


def _entry_head(data: bytes, info: zipfile.ZipInfo, size: int = 512) -> bytes | None:
    """The first ``size`` bytes of a stored or deflated entry, or None for anything else."""
    offset = info.header_offset
    if (
        data[offset : offset + 4] != _LOCAL_HEADER
        or info.flag_bits & 1  # encrypted
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    ):
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(raw[:size])
    try:
        return zlib.decompressobj(-15).decompress(raw, size)
    except zlib.error:
        return None


def dtd_before_root(head: bytes) -> bool | None:
    """Whether the XML prolog in ``head`` declares a DTD: True, False once the root element
    starts, None when ``head`` ends before either (read more). Comments and processing
    instructions are skipped whole, so a comment cannot hide a DTD behind it."""
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    n = len(head)
    while True:
        while i < n and head[i] in b" \t\r\n":
            i += 1
        if n - i < 4:
            return None
        if head[i] != ord("<"):
            return False  # not XML at all: the parser will say so
        if head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            if end < 0:
                return None
            i = end + 2
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        else:
            return head.startswith(b"<!", i)  # <!DOCTYPE …> — else the root element
