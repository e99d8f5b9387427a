"""Replace the cells of one sheet sheetprog owns, leaving every other part of the file as is.

The workbook is a zip of XML parts. Only the owned sheet's part is rewritten (its
<sheetData>, <dimension> and <hyperlinks>; protection, page setup and the rest of
that part stay); every other part — other sheets, styles, shared strings, the VBA
project and buttons of an .xlsm — is copied unchanged, byte for byte. Styles come
from the palette row the builder planted on the lists sheet, so styles.xml is never
edited. The result is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from sheetprog import spec
from sheetprog.errors import OutputError, UnreadableInputError
from sheetprog.grid import Row, column_letter
from sheetprog.io import package, textguard
from sheetprog.io.atomic import atomic_write
from sheetprog.io.fast_grid import workbook_manifest
from sheetprog.io.marks import Parts, insert_worksheet_child
from sheetprog.io.xlsx_tables import MAX_TEXT


def workbook_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part path inside the zip."""
    return workbook_manifest(zf)[0]


def palette(parts: Parts, sheet_parts: dict[str, str]) -> dict[str, int]:
    """Palette name → style index, read from the lists sheet (0 where missing)."""
    found = dict.fromkeys(spec.PALETTE, 0)
    part = sheet_parts.get(spec.SHEET_LISTS)
    if part is None or not parts.has(part):
        return found
    xml = parts.text(part)
    row = re.search(rf'<row [^>]*?r="{spec.PALETTE_ROW}"[^>]*>(.*?)</row>', xml, re.S)
    if not row:
        return found
    for idx, name in enumerate(spec.PALETTE, start=2):
        ref = f"{column_letter(idx)}{spec.PALETTE_ROW}"
        cell = re.search(rf'<c r="{ref}"(?: [^>]*?)?\ss="(\d+)"', row.group(1))
        if cell:
            found[name] = int(cell.group(1))
    return found


def rewrite_workbook(
    source: Path, target: Path, edit: Callable[[Parts, dict[str, str]], None]
) -> None:
    """Apply ``edit`` to the parts of ``source`` and save to ``target`` atomically.

    Parts ``edit`` did not change are copied unchanged; deleted parts are left out.
    """
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError) as exc:  # e.g. replaced since it was read (a batch)
        raise _damaged(source, f"файл не является архивом книги Excel ({exc})") from exc
    with zf:
        if "[Content_Types].xml" not in zf.namelist():
            raise _damaged(source, "нет обязательной части «[Content_Types].xml»")
        manifest = package.manifest(zf)
        sheet_parts = manifest.parts
        parts = Parts(_LazyParts(zf, source))  # only the parts the edit reads are read
        edit(parts, sheet_parts)
        if manifest.strict:  # a Strict OOXML package stays Strict (issue 19)
            for name, data in parts.changed.items():
                if data is not None and name.endswith((".xml", ".rels", ".vml")):
                    parts.changed[name] = package.to_strict(data)
        with atomic_write(target) as tmp, zipfile.ZipFile(tmp, "w") as out:
            with source.open("rb") as raw:
                for info in zf.infolist():
                    if info.filename not in parts.changed:
                        try:  # as stored: not decompressed, not checked
                            copy_raw(raw, info, out)
                        except (zipfile.BadZipFile, EOFError) as exc:
                            what = f"часть «{info.filename}» не найдена на своём месте ({exc})"
                            raise _damaged(source, what) from exc
                    elif (data := parts.changed[info.filename]) is not None:
                        out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            for name, data in parts.changed.items():
                if name not in parts.original and data is not None:
                    out.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


# -- issue 20: write-back into a damaged package ----------------------------------------------


class _LazyParts(Mapping[str, bytes]):
    """The zip's parts, each read (and its CRC checked) only when the edit asks for it: a
    damaged part sheetprog does not touch (docProps, vbaProject.bin) is copied as it is."""

    def __init__(self, zf: zipfile.ZipFile, source: Path) -> None:
        self.zf = zf
        self.source = source
        self.names = list(dict.fromkeys(zf.namelist()))
        self.cache: dict[str, bytes] = {}

    def __getitem__(self, name: str) -> bytes:
        if name not in self.cache:
            if name not in self.names:
                raise KeyError(name)
            try:
                self.cache[name] = self.zf.read(name)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise _damaged(self.source, f"часть «{name}» повреждена ({exc})") from exc
        return self.cache[name]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _damaged(source: Path, what: str) -> UnreadableInputError:
    return UnreadableInputError(
        f"Книга «{source}» повреждена: {what}. Записать в неё результаты нельзя, не рискуя "
        "остальным содержимым. Откройте книгу в Excel или LibreOffice, сохраните заново и "
        "повторите; сама книга не изменена.",
        path=str(source),
    )


def copy_raw(raw: BinaryIO, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one entry into ``out`` as it is stored (compressed bytes, CRC and sizes as the
    source records them): no decompression, so no CRC check and no recompression. Python's
    zipfile has no public call for this; the local header is written with ``ZipInfo``'s own
    ``FileHeader`` and the entry registered as ``ZipFile.write`` does (CPython 3.11–3.13
    ``zipfile.ZipFile._open_to_write`` / ``close``)."""
    raw.seek(info.header_offset)
    header = raw.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    data = raw.read(info.compress_size)
    if len(data) != info.compress_size:  # the file ends inside the entry: never copy a stub
        raise zipfile.BadZipFile(f"{info.filename} is cut short")
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.comment = info.comment
    copy.extra = info.extra
    copy.create_system = info.create_system
    copy.create_version = info.create_version
    copy.extract_version = info.extract_version
    copy.external_attr = info.external_attr
    copy.internal_attr = info.internal_attr
    copy.flag_bits = info.flag_bits & ~0x08  # sizes in the local header, no data descriptor
    copy.CRC = info.CRC
    copy.compress_size = info.compress_size
    copy.file_size = info.file_size
    fp = out.fp
    assert fp is not None
    copy.header_offset = fp.tell()
    zip64 = copy.file_size > zipfile.ZIP64_LIMIT or copy.compress_size > zipfile.ZIP64_LIMIT
    fp.write(copy.FileHeader(zip64))
    fp.write(data)
    out.filelist.append(copy)
    out.NameToInfo[copy.filename] = copy
    out.start_dir = fp.tell()
    out._didModify = True  # type: ignore[attr-defined]


def put_sheet(
    parts: Parts,
    sheet_parts: dict[str, str],
    source: Path,
    sheet: str,
    rows: list[Row],
    widths: dict[int, float] | None = None,
) -> None:
    """Replace the cells of an owned sheet (see the module docstring)."""
    part = sheet_parts.get(sheet)
    if part is None or not parts.has(part):
        raise OutputError(
            f"В книге «{source}» нет листа «{sheet}», в который sheetprog записывает "
            "результаты; добавить лист без риска изменить остальную книгу нельзя. Создайте "
            "книгу по актуальному шаблону (sheetprog new) и перенесите данные.",
            path=str(source),
        )
    xml = parts.text(part)
    if "xl/calcChain.xml" in parts.original and ("<f>" in xml or "<f " in xml):
        raise OutputError(
            f"На листе «{sheet}» книги «{source}» есть формулы, добавленные вручную; "
            "sheetprog перезаписывает этот лист и не может убрать их без правки служебных "
            "частей книги. Удалите формулы с листа, сохраните книгу и повторите.",
            path=str(source),
        )
    parts.put(part, _sheet_xml(xml, rows, palette(parts, sheet_parts), widths))


def replace_sheet(
    source: Path, target: Path, sheet: str, rows: list[Row], widths: dict[int, float] | None = None
) -> None:
    """Write ``rows`` (from A1) into ``sheet`` of ``source``, saving to ``target`` atomically."""
    rewrite_workbook(
        source,
        target,
        lambda parts, sheet_parts: put_sheet(parts, sheet_parts, source, sheet, rows, widths),
    )


def _sheet_xml(
    xml: str, rows: list[Row], styles: dict[str, int], widths: dict[int, float] | None
) -> str:
    data, links, max_col = _sheet_data(rows, styles, widths or {})
    dimension = f'<dimension ref="A1:{column_letter(max(max_col, 1))}{max(len(rows), 1)}"/>'
    xml = re.sub(
        r"<sheetData\s*/>|<sheetData>.*?</sheetData>", lambda _m: data, xml, count=1, flags=re.S
    )
    if "<dimension" in xml:
        xml = re.sub(r"<dimension [^>]*/>", dimension, xml, count=1)
    xml = re.sub(r"<hyperlinks>.*?</hyperlinks>|<hyperlinks\s*/>", "", xml, flags=re.S)
    xml = re.sub(r"<mergeCells[^>]*>.*?</mergeCells>", "", xml, flags=re.S)
    if widths:
        cols = (
            "<cols>"
            + "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in sorted(widths.items())
            )
            + "</cols>"
        )
        xml = re.sub(r"<cols>.*?</cols>", "", xml, flags=re.S)
        xml = xml.replace("<sheetData", cols + "<sheetData", 1)
    merges = _banner_merges(rows, max_col)
    if merges:
        block = f'<mergeCells count="{len(merges)}">' + "".join(merges) + "</mergeCells>"
        xml = insert_worksheet_child(xml, "mergeCells", block)
    if links:
        block = "<hyperlinks>" + "".join(links) + "</hyperlinks>"
        xml = insert_worksheet_child(xml, "hyperlinks", block)
    return xml


BANNERS = ("title", "hint")  # a row of one such cell spans the table: never clipped


def _banner_merges(rows: list[Row], width: int) -> list[str]:
    if width < 2:
        return []
    return [
        f'<mergeCell ref="A{r}:{column_letter(width)}{r}"/>'
        for r, row in enumerate(rows, start=1)
        if len(row) == 1 and row[0] is not None and row[0].style in BANNERS
    ]


def _row_height(row: Row, widths: dict[int, float]) -> float | None:
    """Estimated height for wrapped text (spreadsheet programs do not compute it on open);
    a banner row (a title or hint alone) spans every column. At most 120 pt: a longer text
    is read in the cell, not printed as a page-high row."""
    lines = 1
    banner = len(row) == 1 and row[0] is not None and row[0].style in BANNERS
    for c, cell in enumerate(row, start=1):
        if cell is not None and isinstance(cell.value, str) and cell.style != "title":
            width = sum(widths.values()) if banner and widths else widths.get(c, 10.0)
            per_line = max(int(width * 1.1), 1)
            lines = max(lines, sum(-(-len(p) // per_line) or 1 for p in cell.value.split("\n")))
    if banner and row[0] is not None and row[0].style == "title":
        return 21.0
    return min(13.0 * lines, MAX_ROW_HEIGHT) if lines > 1 else None


MAX_ROW_HEIGHT = 120.0


def _sheet_data(
    rows: list[Row], styles: dict[str, int], widths: dict[int, float]
) -> tuple[str, list[str], int]:
    out = ["<sheetData>"]
    links: list[str] = []
    max_col = 0
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            max_col = max(max_col, c)
            ref = f"{column_letter(c)}{r}"
            style = styles.get(cell.style, 0)
            if cell.value is None or cell.value == "":
                cells.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(cell.value, Decimal | int | float) and not isinstance(cell.value, bool):
                cells.append(f'<c r="{ref}" s="{style}"><v>{_number(cell.value)}</v></c>')
            else:
                text = textguard.clean(str(cell.value))[:MAX_TEXT]
                if textguard.formula_like(text):  # styles.xml is not ours to extend: the
                    text = "'" + text  # apostrophe shows it is text, and edits keep it so
                text = escape(text)
                cells.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{text}</t></is></c>'
                )
            if cell.link:
                sheet_name, _, addr = cell.link.rpartition("!")
                location = f"'{sheet_name}'!{addr}" if sheet_name else addr
                links.append(
                    f'<hyperlink ref="{ref}" location={quoteattr(location)} '
                    f"display={quoteattr(cell.link)}/>"
                )
        height = _row_height(row, widths)
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        out.append(
            f'<row r="{r}"{attrs}>' + "".join(cells) + "</row>" if cells else f'<row r="{r}"/>'
        )
    out.append("</sheetData>")
    return "".join(out), links, max_col


def _number(value: Decimal | int | float) -> str:
    """A number as the sheet XML holds it (a double: at most 17 significant digits)."""
    if isinstance(value, Decimal | float) and value == int(value):
        return str(int(value))
    return repr(float(value)) if isinstance(value, Decimal) else repr(value)
