"""A hostile corpus, built at test time from a good example (issue 20).

Each case is a function that writes one crafted workbook (or folder) into a directory;
``build(folder)`` writes them all and returns their paths by case name. The cases are
edits of the good example's XML parts, so they are what a careless or hostile submitter
can produce with a text editor and ``zip`` — nothing here is committed as a binary.

Cells are located by their labels in the good example (read with sheetprog's own fast
reader), never by hard-coded addresses, so a layout change keeps the corpus meaningful.
"""

from __future__ import annotations

import io
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from sheetprog.io.fast_grid import load_grid_fast, workbook_manifest

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "examples" / "chechnya-2012.xlsx"

Parts = dict[str, bytes]


def read_parts(path: Path) -> tuple[list[zipfile.ZipInfo], Parts]:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        return infos, {i.filename: zf.read(i) for i in infos}


def write_parts(path: Path, infos: list[zipfile.ZipInfo], parts: Parts) -> Path:
    """The parts in the original order (new ones last), deflated."""
    names = [i.filename for i in infos if i.filename in parts]
    names += [n for n in parts if n not in names]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(name, parts[name])
    return path


def sheet_part(parts: Parts, sheet: str) -> str:
    with zipfile.ZipFile(io.BytesIO(_zip_of(parts))) as zf:
        found, _defined, _hidden = workbook_manifest(zf)
    return found[sheet]


def _zip_of(parts: Parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            zf.writestr(name, parts[name])
    return buf.getvalue()


def _col_letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def locate(sheet: str, label: str, *, header: bool = False, offset: int = 1) -> str:
    """The address of a cell of the good example: in the row whose column A starts with
    ``label``, column B (passport fields); with ``header``, the first data row under the
    header cell ``label`` of row 3."""
    grid = load_grid_fast(GOOD).sheets[sheet]
    for r, row in enumerate(grid.rows, start=1):
        for c, value in enumerate(row, start=1):
            text = str(value or "")
            if header and r == 3 and text == label:
                return f"{_col_letters(c)}{r + offset}"
            if not header and c == 1 and text.startswith(label):
                return f"{_col_letters(2)}{r}"
    raise LookupError(f"{sheet}: {label}")


def set_cell(xml: bytes, ref: str, cell_xml: str) -> bytes:
    """Replace cell ``ref`` (it exists in the good example) with ``cell_xml``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    new, count = pattern.subn(cell_xml.encode("utf-8").replace(b"\\", b"\\\\"), xml, count=1)
    if not count:
        raise LookupError(ref)
    return new


def number_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}"><v>{text}</v></c>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def append_row(xml: bytes, row_xml: str) -> bytes:
    return xml.replace(b"</sheetData>", row_xml.encode() + b"</sheetData>", 1)


def _edit(sheet: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    def make(out: Path) -> Path:
        infos, parts = read_parts(GOOD)
        part = sheet_part(parts, sheet)
        parts[part] = edit(parts[part])
        return write_parts(out, infos, parts)

    return make


def _cell(sheet: str, label: str, xml: Callable[[str], str], **how: object) -> Callable[..., Path]:
    def make(out: Path) -> Path:
        ref = locate(sheet, label, **how)  # type: ignore[arg-type]
        return _edit(sheet, lambda data: set_cell(data, ref, xml(ref)))(out)

    return make


def _far_cell(sheet: str, ref: str, *, dimension: str | None = None) -> Callable[[Path], Path]:
    row = int(re.sub(r"[A-Z]", "", ref))

    def edit(xml: bytes) -> bytes:
        xml = append_row(xml, f'<row r="{row}">{text_cell(ref, "x")}</row>')
        if dimension is not None:
            xml = re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), xml
            )
        return xml

    return _edit(sheet, edit)


def _dense(rows: int, cols: int) -> Callable[[Path], Path]:
    """A sheet «Справочники» filled with ``rows`` × ``cols`` numbers from row 40."""

    def edit(xml: bytes) -> bytes:
        body = "".join(
            f'<row r="{r}">'
            + "".join(f'<c r="{_col_letters(c)}{r}"><v>1</v></c>' for c in range(1, cols + 1))
            + "</row>"
            for r in range(40, 40 + rows)
        )
        return append_row(xml, body)

    return _edit("Справочники", edit)


def _shared_strings(count: str) -> Callable[[Path], Path]:
    """A sharedStrings part claiming ``count`` strings (it holds one)."""

    def make(out: Path) -> Path:
        infos, parts = read_parts(GOOD)
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{count}"><si><t>x</t></si></sst>'
        ).encode()
        rels = parts["xl/_rels/workbook.xml.rels"]
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        types = parts["[Content_Types].xml"]
        parts["[Content_Types].xml"] = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        return write_parts(out, infos, parts)

    return make


def _bad_crc(part: str) -> Callable[[Path], Path]:
    """The good example with the CRC-32 recorded for ``part`` changed (in the local header
    and the central directory): a part sheetprog does not read, whose data no longer
    matches its checksum, as a damaged copy or a careless tool leaves it."""

    def make(out: Path) -> Path:
        shutil.copyfile(GOOD, out)
        with zipfile.ZipFile(out) as zf:
            info = zf.getinfo(part)
        data = bytearray(out.read_bytes())
        wrong = ((info.CRC ^ 0xFFFF) & 0xFFFFFFFF).to_bytes(4, "little")
        data[info.header_offset + 14 : info.header_offset + 18] = wrong
        name = part.encode()
        pos = data.find(b"PK\x01\x02")
        while pos >= 0:
            name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
            if data[pos + 46 : pos + 46 + name_len] == name:
                data[pos + 16 : pos + 20] = wrong
                break
            pos = data.find(b"PK\x01\x02", pos + 4)
        out.write_bytes(bytes(data))
        return out

    return make


def _without(part: str) -> Callable[[Path], Path]:
    def make(out: Path) -> Path:
        infos, parts = read_parts(GOOD)
        del parts[part]
        return write_parts(out, infos, parts)

    return make


def _duplicate_entry(out: Path) -> Path:
    infos, parts = read_parts(GOOD)
    write_parts(out, infos, parts)
    part = sheet_part(parts, "Паспорт")
    with zipfile.ZipFile(out, "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"
        zf.writestr(part, parts[part].replace(b"2012", b"2013"))
    return out


def _case_twin_sheet(out: Path) -> Path:
    """A second sheet named « паспорт » (differs only in case and spaces)."""
    infos, parts = read_parts(GOOD)
    part = sheet_part(parts, "Паспорт")
    parts["xl/worksheets/sheet99.xml"] = parts[part]
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'name=" паспорт " sheetId="99" r:id="rId99"/></sheets>'.encode(),
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet99.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/sheet99.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    return write_parts(out, infos, parts)


def _dotdot_entry(out: Path) -> Path:
    infos, parts = read_parts(GOOD)
    parts["../../evil.txt"] = b"x"
    return write_parts(out, infos, parts)


NAME_INJECTION = '_x0000_=HYPERLINK("http://example.invalid/","нажмите")'
CONTROL_TEXT = "Показатель\x1b[31m с\x07 управляющими\x0b символами"
COMMAND_TEXT = "=cmd|' /C calc'!A0"

PASSPORT = "Паспорт"
INDICATORS = "Показатели"
FUNDING = "Финансирование"

# name → builder(out path) → path. Each is one numbered point of issue 20's "Why".
CONTROL_XML = "Показатель_x001B_[31m с_x0007_ управляющими_x000B_ символами\x01"


def _number_in(sheet: str, header: str, text: str) -> Callable[[Path], Path]:
    return _cell(sheet, header, lambda r: number_cell(r, text), header=True)


def _text_in(sheet: str, header: str, text: str, offset: int = 1) -> Callable[[Path], Path]:
    return _cell(sheet, header, lambda r: text_cell(r, text), header=True, offset=offset)


def _field(label: str, xml: Callable[[str], str]) -> Callable[[Path], Path]:
    return _cell(PASSPORT, label, xml)


# name → builder(out path) → path. Grouped by the numbered points of issue 20's "Why".
CASES: dict[str, Callable[[Path], Path]] = {
    # 1. numbers and years out of range
    "funding_plan_1e27": _number_in(FUNDING, "План 2011", "1E+27"),
    "fact_1e30": _number_in(INDICATORS, "Факт 2011", "1E+30"),
    "fact_1e999999999": _number_in(INDICATORS, "Факт 2011", "1e999999999"),
    "fact_text_1e999999999": _text_in(INDICATORS, "Факт 2011", "1e999999999"),
    "fact_5000_nines": _number_in(INDICATORS, "Факт 2011", "9" * 5000),
    "reporting_year_10000": _field("Отчётный год", lambda r: number_cell(r, "10000")),
    "passport_years_999999": _field("Год окончания", lambda r: number_cell(r, "999999")),
    "passport_start_year_1": _field("Год начала", lambda r: number_cell(r, "1")),
    # 2. native aborts in the reader
    "cell_xfd1048576": _far_cell(PASSPORT, "XFD1048576"),
    "dimension_xfd1048576": _far_cell(PASSPORT, "C28", dimension="A1:XFD1048576"),
    "shared_strings_4e9": _shared_strings("4000000000"),
    # 3. unbounded memory
    "cell_xfd8000": _far_cell(PASSPORT, "XFD8000"),
    "cell_row_1000000": _far_cell(PASSPORT, "A1000000"),
    "dense_wide": _dense(60, 1100),
    # 4. injection
    "name_injection": _text_in(INDICATORS, "Наименование показателя", NAME_INJECTION),
    "control_characters": _text_in(INDICATORS, "Наименование показателя", CONTROL_XML, 2),
    "command_text": _text_in(INDICATORS, "Факт 2011", COMMAND_TEXT),  # shown by R001
    # 7. damaged packages
    "bad_crc_docprops": _bad_crc("docProps/app.xml"),
    "no_content_types": _without("[Content_Types].xml"),
    # 9. smaller
    "duplicate_entry": _duplicate_entry,
    "twin_sheet": _case_twin_sheet,
    "dotdot_entry": _dotdot_entry,
}


def build(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: CASES[name](folder / f"{name}.xlsx") for name in (names or list(CASES))}
