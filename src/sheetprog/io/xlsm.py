"""Macro-enabled workbook (.xlsm): the standard workbook plus the xlwings VBA module
(standalone: no add-in needed), the sheetprog button macros and Forms buttons.

Built on Linux with pyopenvba (pure Python): it gives the file a VBA project the way
Excel does, adds the modules and the buttons, and leaves every other part as is.
The xlwings module is taken from the installed xlwings package, so its version matches
the Python side that RunPython talks to.

Then three things are finished here the way the specifications and Excel have them:

- the VBA project is written as [MS-OVBA] tells a writer to: the ``_VBA_PROJECT`` stream is
  the 7 version-independent bytes with Version 0xFFFF and no performance cache (2.3.4.1; the
  ``_VBA_PROJECT`` of xlwings' own ``quickstart_standalone.xlsm`` is these 7 bytes too), and no
  module stream keeps a compiled cache (MODULEOFFSET 0): pyopenvba's project template keeps
  Excel's version 0x00B5 with a zeroed cache and the compiled code of two document modules;
- each button's caption is written where Excel writes it: a ``<font>`` run in the VML
  ``v:textbox`` (LibreOffice shows a caption only from there) and a text body ``xdr:txBody``
  in the DrawingML shape, and the VML ``x:Anchor`` counts its offsets in pixels, as the
  drawing's EMU anchor says (pyopenvba writes half-points there);
- the workbook part declares the macro-enabled content type.
"""

from __future__ import annotations

import functools
import re
import struct
from pathlib import Path
from xml.sax.saxutils import escape

from sheetprog import spec
from sheetprog.errors import OutputError
from sheetprog.io.marks import Parts
from sheetprog.io.sheet_writer import rewrite_workbook

# (button name, caption, macro, sheetprog.xl entry point): the two fixed actions; the
# report buttons come from the report-kind registry
ACTIONS = (
    ("btnCheck", "Проверить", "SheetprogCheck", "check"),
    ("btnRecalc", "Пересчитать", "SheetprogRecalc", "recalc"),
)
MODULE_HEADER = """Attribute VB_Name = "sheetprog"
Option Explicit
' sheetprog buttons. Each button calls a fixed Python module through xlwings RunPython,
' so workbook names with spaces, hyphens or Cyrillic letters work.
' The Python side is sheetprog.xl; install Python, sheetprog and xlwings on the PC
' (see docs/excel-install.md).
"""


def buttons(workbook: str | None = None) -> list[tuple[str, str, str, str]]:
    """Every button of a macro-enabled workbook: (name, caption, macro, entry point);
    ``workbook``: only the report buttons of that workbook kind (None: all, the VBA module's)."""
    from sheetprog.reports.kinds import buttons as report_buttons

    reports = [
        ("btn" + k.name.title().replace("-", ""), k.title, k.macro or "", k.entry_point)
        for k in report_buttons(workbook)
    ]
    return [*ACTIONS, *reports]


def vba_module() -> str:
    """The sheetprog VBA module (ASCII): one macro per button, each a fixed RunPython call."""
    lines = [MODULE_HEADER]
    for _name, _caption, macro, entry in buttons():
        lines.append(
            f'Sub {macro}()\n    RunPython "import sheetprog.xl; sheetprog.xl.{entry}()"\nEnd Sub\n'
        )
    return "\n".join(lines)


# where the buttons stand, in points: right of the instructions text, top of «Оценка»
PLACES = {
    spec.SHEET_INSTRUCTIONS: (650.0, 24.0, 0.0, 34.0),
    spec.SHEET_ASSESSMENT: (830.0, 2.0, 120.0, 0.0),
}


def xlwings_modules() -> tuple[str, str]:
    """The standalone xlwings VBA module and its Dictionary class, from the installed xlwings."""
    import xlwings
    from pyopenvba import ExcelFile

    standalone = Path(xlwings.__file__).resolve().parent / "quickstart_standalone.xlsm"
    with ExcelFile(standalone) as book:
        return book.get_module("xlwings"), book.get_module("Dictionary")


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _declare_relationship_prefix(parts: Parts, sheet_parts: dict[str, str]) -> None:
    """Declare xmlns:r on every sheet, as Excel does: the buttons' drawing elements use it."""
    for part in sheet_parts.values():
        xml = parts.text(part)
        root = re.search(r"<worksheet\b[^>]*>", xml)
        if root and "xmlns:r=" not in root.group(0):
            opening = root.group(0)[:-1] + f' xmlns:r="{NS_R}">'
            parts.put(part, xml[: root.start()] + opening + xml[root.end() :])


def make_xlsm(xlsx: Path, out: Path, workbook: str | None = None) -> None:
    """Turn a standard workbook (.xlsx) into the macro-enabled one with buttons (the report
    buttons of its ``workbook`` kind; None: every report button)."""
    from pyopenvba import ExcelFile, VBAModuleKind
    from pyopenvba.apps.excel import ExcelApplication

    if out.suffix.lower() != ".xlsm":
        raise OutputError(f"Книга с макросами «{out}» должна иметь расширение .xlsm.")
    xlwings_source, dictionary_source = xlwings_modules()
    staging = out.with_name(f".{out.stem}.staging.xlsm")
    rewrite_workbook(xlsx, staging, _declare_relationship_prefix)
    try:
        with ExcelFile(staging) as book:
            project = book.add_vba_project()
            project.add_module("xlwings", xlwings_source)
            project.add_module("Dictionary", dictionary_source, kind=VBAModuleKind.other)
            project.add_module("sheetprog", vba_module())
            for module in project.modules:
                if module.text_offset:  # the template's compiled code: rewritten as source only
                    module.source = module.source
                    module.dirty = True
            book.save()
        app = ExcelApplication.open(staging)
        for sheet_name, (left, top, step_x, step_y) in PLACES.items():
            sheet = app.sheet(sheet_name)
            for i, (name, text, macro, _entry) in enumerate(buttons(workbook)):
                sheet.add_button(
                    name=name,
                    left=left + i * step_x,
                    top=top + i * step_y,
                    width=115 if step_x else 170,
                    height=26,
                    text=text,
                    macro=macro,
                )
        app.save(staging)
        rewrite_workbook(staging, out, _finish)
    finally:
        staging.unlink(missing_ok=True)


CT_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _declare_macro_enabled(parts: Parts, sheet_parts: dict[str, str]) -> None:
    """The workbook part of an .xlsm must declare the macro-enabled content type (ECMA-376
    Part 2 / [MS-OFFMACRO2]); with the .xlsx one Excel refuses the file as «the file format or
    file extension is not valid»."""
    types = parts.text("[Content_Types].xml")
    fixed = re.sub(
        r'(<Override PartName="/xl/workbook\.xml" ContentType=")[^"]+(")',
        rf"\g<1>{CT_XLSM_MAIN}\g<2>",
        types,
    )
    if fixed != types:
        parts.put("[Content_Types].xml", fixed)


def _finish(parts: Parts, sheet_parts: dict[str, str]) -> None:
    """The last pass over the package: the VBA project, the buttons, the content type."""
    parts.put_data(VBA_PROJECT_PART, interoperable_vba_project(parts.data(VBA_PROJECT_PART)))
    _write_captions(parts)
    _declare_macro_enabled(parts, sheet_parts)


VBA_PROJECT_PART = "xl/vbaProject.bin"
# [MS-OVBA] 2.3.4.1: Reserved1 0x61CC, Version 0xFFFF ("MUST be 0xFFFF on write"), Reserved2
# 0x00, Reserved3 (undefined; 0x0001 in the spec's example 3.1.1 and in xlwings' template), and
# no PerformanceCache ("MUST NOT be present on write"); little-endian
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000100")


def interoperable_vba_project(data: bytes) -> bytes:
    """The project storage with the ``_VBA_PROJECT`` stream a writer must write ([MS-OVBA]
    2.3.4.1). With Version 0xFFFF every Office version ignores the performance caches and
    compiles the modules from their source (1.6 «Versioning and Localization»)."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(data)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    records = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    end = _dir_end(records)
    if end != len(records):  # pyopenvba writes 4 zero bytes more after the Reserved field
        cfb.write_stream_in_storage("VBA", "dir", compress(records[:end]))
    return bytes(cfb.to_bytes())


def _dir_end(records: bytes) -> int:
    """Where the dir stream's records end ([MS-OVBA] 2.3.4.2): after Terminator 0x0010 and its
    4-byte Reserved field. Every record is Id (2 bytes), Size (4), Size bytes of data, except
    PROJECTVERSION (0x0009), whose 4-byte Reserved field is followed by 6 bytes."""
    pos = 0
    while pos + 6 <= len(records):
        record, size = struct.unpack_from("<HI", records, pos)
        if record == 0x0010:
            return pos + 6
        pos += 6 + (6 if record == 0x0009 else size)
    raise OutputError("Проект VBA книги с макросами собран неверно: в потоке dir нет конца.")


# -- button captions, as Excel writes a Forms button ----------------------------------------

# As Excel writes a Forms button: XlsxWriter's tests hold Excel's own VML for one (a <font> run
# in the v:textbox div, strokecolor windowText, x:Anchor offsets in pixels: its vertices are
# pixels), and Excel 2010+ adds the a14 DrawingML shape with an xdr:txBody.
# Excel's default for a new Forms button: the workbook's body font, 11 pt, black. In VML the
# size is in twentieths of a point (220 = 11 pt), in DrawingML in hundredths (1100).
CAPTION_FONT = "Calibri"
EMU_PER_PIXEL = 9525  # 914400 EMU to the inch, 96 pixels to the inch
_VML_SHAPE = re.compile(r'<v:shape id="(\w+)"[^>]*>.*?</v:shape>', re.S)
_DML_ANCHOR = re.compile(r"<xdr:twoCellAnchor\b.*?</xdr:twoCellAnchor>", re.S)


def _captions() -> dict[str, str]:
    return {name: caption for name, caption, _macro, _entry in buttons()}


def _vml_text(caption: str) -> str:
    runs = "<br/>".join(escape(line) for line in caption.split("\n"))
    return (
        "<v:textbox style='mso-direction-alt:auto' o:singleclick='f'>"
        "<div style='text-align:center'>"
        f'<font face="{CAPTION_FONT}" size="220" color="#000000">{runs}</font>'
        "</div></v:textbox>"
    )


def _dml_text(caption: str) -> str:
    paragraphs = "".join(
        '<a:p><a:pPr algn="ctr" rtl="0"><a:defRPr sz="1000"/></a:pPr><a:r>'
        '<a:rPr lang="ru-RU" sz="1100" b="0" i="0" u="none" strike="noStrike" baseline="0">'
        f'<a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:latin typeface="{CAPTION_FONT}"/>'
        f'<a:cs typeface="{CAPTION_FONT}"/></a:rPr><a:t>{escape(line)}</a:t></a:r></a:p>'
        for line in caption.split("\n")
    )
    return (
        '<xdr:txBody><a:bodyPr vertOverflow="clip" wrap="square" lIns="27432" tIns="27432" '
        'rIns="27432" bIns="27432" anchor="ctr" upright="1"/><a:lstStyle/>'
        f"{paragraphs}</xdr:txBody>"
    )


def _pixel_anchor(anchor_xml: str) -> str:
    """The VML x:Anchor (columns, rows and pixel offsets) of a DrawingML two-cell anchor."""
    numbers = []
    for end in ("from", "to"):
        block = re.search(rf"<xdr:{end}>(.*?)</xdr:{end}>", anchor_xml, re.S)
        assert block is not None
        values = {
            tag: int(value)
            for tag, value in re.findall(r"<xdr:(\w+)>(-?\d+)</xdr:\1>", block.group(1))
        }
        numbers += [
            values["col"],
            round(values["colOff"] / EMU_PER_PIXEL),
            values["row"],
            round(values["rowOff"] / EMU_PER_PIXEL),
        ]
    return ", ".join(str(n) for n in numbers)


def _write_captions(parts: Parts) -> None:
    """Every button's caption in the VML and in the drawing, and its VML anchor in pixels."""
    captions = _captions()
    anchors: dict[str, dict[str, str]] = {}  # drawing part → button → pixel anchor
    for name in [n for n in parts.original if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]:
        found = anchors.setdefault(name, {})
        body = functools.partial(_with_body, captions=captions, anchors=found)
        parts.put(name, _DML_ANCHOR.sub(body, parts.text(name)))
    for name in [n for n in parts.original if n.endswith(".vml")]:
        pixel = anchors.get(_sibling_drawing(parts, name), {})
        text = functools.partial(_with_text, captions=captions, anchors=pixel)
        parts.put(name, _VML_SHAPE.sub(text, parts.text(name)))


def _with_body(match: re.Match[str], captions: dict[str, str], anchors: dict[str, str]) -> str:
    """A drawing's button anchor with its caption as a text body; its pixel anchor noted."""
    anchor = match.group(0)
    shape = re.search(r'<xdr:cNvPr id="\d+" name="(\w+)"', anchor)
    if shape is None or shape.group(1) not in captions:
        return anchor
    button = shape.group(1)
    anchors[button] = _pixel_anchor(anchor)
    anchor = re.sub(r"<xdr:txBody>.*?</xdr:txBody>", "", anchor, flags=re.S)
    return anchor.replace("</xdr:spPr>", "</xdr:spPr>" + _dml_text(captions[button]))


def _with_text(match: re.Match[str], captions: dict[str, str], anchors: dict[str, str]) -> str:
    """A VML button with its caption in a font run, Excel's outline colour, a pixel anchor."""
    shape, button = match.group(0), match.group(1)
    if button not in captions:
        return shape
    shape = re.sub(r"<v:textbox\b.*?</v:textbox>", "", shape, flags=re.S)
    shape = shape.replace("<x:ClientData", _vml_text(captions[button]) + "<x:ClientData", 1)
    if "strokecolor=" not in shape:
        shape = shape.replace(
            ' o:insetmode="auto"', ' strokecolor="windowText [64]" o:insetmode="auto"', 1
        )
    if button in anchors:
        shape = re.sub(
            r"<x:Anchor>[^<]*</x:Anchor>", f"<x:Anchor>{anchors[button]}</x:Anchor>", shape
        )
    return shape


def _sibling_drawing(parts: Parts, vml_part: str) -> str:
    """The DrawingML part of the sheet that uses this VML part (the same sheet's rels)."""
    for rels in [n for n in parts.original if re.fullmatch(r"xl/worksheets/_rels/.*\.rels", n)]:
        text = parts.text(rels)
        if f'Target="../drawings/{vml_part.rsplit("/", 1)[-1]}"' in text:
            found = re.search(r'Target="\.\./drawings/(drawing\d+\.xml)"', text)
            if found is not None:
                return "xl/drawings/" + found.group(1)
    return ""
