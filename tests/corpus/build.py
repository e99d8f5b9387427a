"""Build the sheetprog part of the reader corpus (tests/corpus/sheetprog/, synthetic/).

    PYTHONPATH=src python tests/corpus/build.py

Needs LibreOffice (soffice). The outputs are committed: LibreOffice's output is not
byte-for-byte reproducible, and the tests must not need LibreOffice. Run again when the
workbook template changes enough that the committed copies stop meaning anything (the
tests compare each variant with the ``original`` committed next to it, not with
examples/, so they keep working on older copies).

For each example workbook (``SOURCES``):

``original``          examples/<name>.xlsx as sheetprog wrote it, with a few cells edited
                      at the XML level (``SEEDS``): an error cell, unreadable plan and fact,
                      a date, a rich-text run, a text with edge spaces;
``openpyxl``          the original loaded and saved by openpyxl;
``openpyxl-1904``     the same in the 1904 date system (openpyxl converts the dates);
``libreoffice``       saved by LibreOffice Calc («Excel 2007–365»);
``libreoffice-ooxml`` saved by LibreOffice Calc («Office Open XML Spreadsheet»);
``via-ods``           saved by LibreOffice as .ods, that .ods saved again as .xlsx;
``strict``            the original in Strict OOXML namespaces. LibreOffice cannot write
                      Strict (both of its .xlsx filters write Transitional), so this one
                      is the original with its namespaces rewritten
                      (``package.convert_namespaces``) as Excel's «Строгий формат Open XML»
                      names them; part names, content types and cells are unchanged;
``prefixed``          the original with the SpreadsheetML namespace under the prefix
                      ``x:`` in every part (``<x:worksheet>``, ``<x:c>``), as some
                      producers write it;
``inherited-space``   the LibreOffice copy with ``xml:space="preserve"`` moved from each
                      <t> of the shared strings to its <si> (a form the XML rules allow:
                      the text inherits it): calamine trims the spaces, so the reader
                      falls back to openpyxl (finding R020).

synthetic/: small files made by openpyxl for cases no public test file covers: negative
date serials in both date systems, error cells typed as values (not formulas), and a
cell type outside the standard's list (calamine refuses the file, openpyxl reads it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sheetprog.io import package  # noqa: E402
from sheetprog.io.libreoffice import find_soffice  # noqa: E402

SOURCES = ("kaluga-2016", "reserve-novoshakhtinsk")
INLINE = 't="inlineStr"'
# sheet name → cell → (attributes, inner XML); the cell keeps its style unless s= is given
SEEDS: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "kaluga-2016": {
        "Показатели": {
            "N4": ('t="e"', "<v>#DIV/0!</v>"),  # an error value typed over the fact
            "J6": (INLINE, "<is><t>много</t></is>"),  # plan: R002
            "N7": (INLINE, "<is><t>34,1 чел</t></is>"),  # fact: R001
        },
        "Мероприятия": {
            "I4": ('t="n" s="DATE"', "<v>41730</v>"),  # 01.04.2014 with a date format
            "J4": ('t="n"', "<v>41820</v>"),  # a serial without one: a number
        },
        "Паспорт": {
            "B8": (
                INLINE,
                '<is><r><t xml:space="preserve">  Управление делами </t></r><r><rPr><b/></rPr>'
                '<t xml:space="preserve">Городского Головы города Калуги  </t></r></is>',
            ),
        },
    },
    "reserve-novoshakhtinsk": {
        "Резервисты": {
            "F5": (INLINE, "<is><t>вчера</t></is>"),  # date: R003
            "H4": (INLINE, "<is><t>может быть</t></is>"),  # flag: R005
            "I5": ('t="e"', "<v>#N/A</v>"),  # an error value over a date: R008
        },
    },
}


def main() -> None:
    soffice = find_soffice()
    if soffice is None:
        sys.exit("LibreOffice (soffice) не найден: он нужен, чтобы собрать корпус.")
    out = HERE / "sheetprog"
    out.mkdir(exist_ok=True)
    for name in SOURCES:
        original = out / f"{name}.original.xlsx"
        original.write_bytes(seeded(ROOT / "examples" / f"{name}.xlsx", SEEDS[name]))
        save_openpyxl(original, out / f"{name}.openpyxl.xlsx", epoch1904=False)
        save_openpyxl(original, out / f"{name}.openpyxl-1904.xlsx", epoch1904=True)
        convert(soffice, original, "xlsx:Calc MS Excel 2007 XML", out / f"{name}.libreoffice.xlsx")
        convert(
            soffice, original, "xlsx:Calc Office Open XML", out / f"{name}.libreoffice-ooxml.xlsx"
        )
        with tempfile.TemporaryDirectory() as tmp:
            ods = Path(tmp) / f"{name}.ods"
            convert(soffice, original, "ods", ods)
            convert(soffice, ods, "xlsx:Calc MS Excel 2007 XML", out / f"{name}.via-ods.xlsx")
        strict = package.convert_namespaces(original.read_bytes(), strict=True)
        (out / f"{name}.strict.xlsx").write_bytes(strict)
        inherited = inherited_space((out / f"{name}.libreoffice.xlsx").read_bytes())
        (out / f"{name}.inherited-space.xlsx").write_bytes(inherited)
        (out / f"{name}.prefixed.xlsx").write_bytes(prefixed(original.read_bytes()))
    synthetic(HERE / "synthetic")
    for path in sorted(HERE.rglob("*.xlsx")):
        print(f"{path.relative_to(HERE)}: {path.stat().st_size} байт")


def seeded(source: Path, seeds: dict[str, dict[str, tuple[str, str]]]) -> bytes:
    """``source`` with cells replaced at the XML level (nothing else changes)."""
    data = source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = package.manifest(zf).parts
        styles, date_style = with_date_style(zf.read("xl/styles.xml").decode("utf-8"))
        changed = {"xl/styles.xml": styles.encode("utf-8")}
        for sheet, cells in seeds.items():
            xml = zf.read(parts[sheet]).decode("utf-8")
            for ref, (kind, inner) in cells.items():
                xml = put_cell(xml, ref, kind.replace('s="DATE"', f's="{date_style}"'), inner)
            changed[parts[sheet]] = xml.encode("utf-8")
    return rewrite(data, changed)


def with_date_style(styles: str) -> tuple[str, int]:
    """styles.xml with one more cell format: built-in number format 14 (a short date)."""
    block = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
    if block is None:
        raise SystemExit("нет cellXfs в styles.xml")
    count = int(block.group(1))
    xf = '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    new = f'<cellXfs count="{count + 1}">{block.group(2)}{xf}</cellXfs>'
    return styles[: block.start()] + new + styles[block.end() :], count


def put_cell(xml: str, ref: str, kind: str, inner: str) -> str:
    cell = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', xml, re.S)
    if cell is None:
        raise SystemExit(f"нет ячейки {ref}: шаблон изменился, поправьте SEEDS")
    style = re.search(r'\ss="\d+"', cell.group("attrs"))
    keep = style.group(0) if style and " s=" not in f" {kind}" else ""
    new = f'<c r="{ref}"{keep} {kind}>{inner}</c>'
    return xml[: cell.start()] + new + xml[cell.end() :]


def rewrite(data: bytes, changed: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = changed.get(info.filename, zin.read(info))
            zout.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def save_openpyxl(source: Path, target: Path, *, epoch1904: bool) -> None:
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.load_workbook(source)
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    wb.save(target)


def convert(soffice: str, source: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            outdir,
            str(source),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=240)
        made = next(Path(outdir).iterdir())
        shutil.move(made, target)


def inherited_space(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/sharedStrings.xml").decode("utf-8")
    moved = xml.replace('<t xml:space="preserve">', "<t>")
    moved = moved.replace("<si>", '<si xml:space="preserve">')
    if moved == xml:
        raise SystemExit("в общих строках LibreOffice нет xml:space: проверьте сборку")
    return rewrite(data, {"xl/sharedStrings.xml": moved.encode("utf-8")})


def prefixed(data: bytes) -> bytes:
    """Every SpreadsheetML part with the main namespace under the prefix ``x:``, as
    ElementTree serialises it (``<x:worksheet xmlns:x=…><x:sheetData>…``)."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("x", package.MAIN_TRANSITIONAL)
    ET.register_namespace("r", package.REL_TRANSITIONAL)
    changed = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            body = zf.read(name)
            if name.endswith(".xml") and package.MAIN_TRANSITIONAL.encode() in body[:1024]:
                if b"mc:Ignorable" in body:
                    raise SystemExit(f"{name}: mc:Ignorable, ElementTree would rename prefixes")
                root = ET.fromstring(body)
                changed[name] = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                changed[name] += ET.tostring(root)
    return rewrite(data, changed)


def synthetic(folder: Path) -> None:
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    folder.mkdir(exist_ok=True)
    for name, epoch in (("negative-dates-1900", None), ("negative-dates-1904", CALENDAR_MAC_1904)):
        wb = openpyxl.Workbook()
        if epoch is not None:
            wb.epoch = epoch
        ws = wb.active
        ws.title = "Даты"
        ws.append(["серийное число", "в формате даты", "дата"])
        for serial in (-1, -0.5, -366, 0.25, 1, 59, 60, 61, 45000.75):
            ws.append([serial, serial, dt.date(2024, 2, 29)])
            ws.cell(ws.max_row, 2).number_format = "DD.MM.YYYY"
        wb.save(folder / f"{name}.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ошибки"
    # openpyxl writes these strings as error cells (t="e"), as Excel does for a typed #N/A
    for row, value in enumerate(("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!"), 1):
        ws.cell(row, 1, value)
        ws.cell(row, 2, f"=A{row}")
    wb.save(folder / "error-values.xlsx")

    # a cell type outside ST_CellType (ECMA-376 Part 1 §18.18.11), as a non-conforming
    # producer writes it: calamine refuses the whole file («Unknown cell 't' attribute»),
    # openpyxl reads the cell as text, so the reader falls back to openpyxl (R020)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Тип"
    ws.append(["число", 12.5])
    ws.append(["текст", "вторая строка"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'(<c r="B1"[^>]*?) t="n"', rb'\1 t="x"', sheet)
    if b't="x"' not in sheet:
        raise SystemExit("unknown-cell-type: B1 не найдена")
    (folder / "unknown-cell-type.xlsx").write_bytes(
        rewrite(data, {"xl/worksheets/sheet1.xml": sheet})
    )


if __name__ == "__main__":
    main()
