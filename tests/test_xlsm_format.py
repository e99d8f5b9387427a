"""The macro-enabled workbook as Excel needs it: the VBA project storage read back with
olefile/oletools (independent readers), the buttons' captions where Excel writes them (and
LibreOffice shows them), and the package compared part by part with the project the installed
xlwings makes itself (``xlwings quickstart NAME --standalone``)."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from sheetprog.io.xlsm import VBA_PROJECT_STREAM, buttons
from tests.conftest import ROOT

olefile = pytest.importorskip("olefile")
MACRO_BOOK = ROOT / "workbooks" / "programma-2025-2030.xlsm"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from sheetprog.cli import main

    book = tmp_path_factory.mktemp("xlsm") / "Программа 2025-2030.xlsm"
    result = CliRunner().invoke(main, ["new", str(book), "--years", "2025-2030"])
    assert result.exit_code == 0, result.output
    return book


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def storage(path: Path):  # type: ignore[no-untyped-def]
    return olefile.OleFileIO(io.BytesIO(parts_of(path)["xl/vbaProject.bin"]))


def decompress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1 decompression, written from the spec here (a third reader)."""
    assert data[0] == 0x01, "a CompressedContainer starts with SignatureByte 0x01"
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        assert (header >> 12) & 0b0111 == 0b011, "CompressedChunkSignature"
        chunk, end = pos + 2, pos + size
        start = len(out)
        if not header & 0x8000:  # raw chunk: 4096 bytes as they are
            out += data[chunk : chunk + 4096]
            pos = chunk + 4096
            continue
        while chunk < end:
            flags = data[chunk]
            chunk += 1
            for bit in range(8):
                if chunk >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[chunk])
                    chunk += 1
                    continue
                token = struct.unpack_from("<H", data, chunk)[0]
                chunk += 2
                done = len(out) - start
                bits = max((done - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
        pos = end
    return bytes(out)


def dir_records(ole) -> list[tuple[int, bytes]]:  # type: ignore[no-untyped-def]
    """The dir stream's records ([MS-OVBA] 2.3.4.2): (id, data)."""
    raw = decompress(ole.openstream("VBA/dir").read())
    records, pos = [], 0
    while pos < len(raw):
        rid, size = struct.unpack_from("<HI", raw, pos)
        if rid == 0x0009:  # PROJECTVERSION: Reserved 4, then 6 bytes of version
            size = 6
        records.append((rid, raw[pos + 6 : pos + 6 + size]))
        pos += 6 + size
        if rid == 0x0010:  # Terminator and its Reserved field end the stream, exactly
            assert pos == len(raw), f"{len(raw) - pos} bytes after the dir stream's Terminator"
    assert records[-1][0] == 0x0010
    return records


def modules_of(ole) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Module stream name → (MODULEOFFSET, MODULETYPE id 0x21 procedural / 0x22 other)."""
    found: dict[str, tuple[int, int]] = {}
    name, offset = "", -1
    for rid, data in dir_records(ole):
        if rid == 0x001A:  # MODULESTREAMNAME
            name = data.decode("latin-1")
        elif rid == 0x0031:  # MODULEOFFSET
            offset = struct.unpack("<I", data)[0]
        elif rid in (0x0021, 0x0022):
            found[name] = (offset, rid)
    return found


def olevba_modules(path: Path) -> dict[str, str]:
    with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated names
        warnings.simplefilter("ignore")
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(path))
        try:
            return {Path(n).stem: code for _f, _s, n, code in parser.extract_macros()}
        finally:
            parser.close()


@pytest.mark.parametrize("which", ["made", "committed"])
def test_vba_project_stream_is_what_ms_ovba_tells_a_writer_to_write(which, made):
    """[MS-OVBA] 2.3.4.1: Reserved1 0x61CC, Version 0xFFFF (MUST on write), Reserved2 0x00,
    Reserved3, and no PerformanceCache: 7 bytes. Before the fix: 2544 bytes, version 0x00B5."""
    book = made if which == "made" else MACRO_BOOK
    stream = storage(book).openstream("VBA/_VBA_PROJECT").read()
    assert len(stream) == 7
    reserved1, version, reserved2 = struct.unpack_from("<HHB", stream)
    assert (reserved1, version, reserved2) == (0x61CC, 0xFFFF, 0x00)
    assert stream == VBA_PROJECT_STREAM


@pytest.mark.parametrize("which", ["made", "committed"])
def test_vba_storage_layout_and_module_sources(which, made):
    """The CFB storage per [MS-OVBA] 2.2: PROJECT and PROJECTwm at the root, a VBA storage with
    _VBA_PROJECT, dir and one stream per module; every module stream is only its compressed
    source (MODULEOFFSET 0: no version-dependent compiled code kept from pyopenvba's template),
    and olevba decompresses the sheetprog module to exactly macros/sheetprog.bas."""
    book = made if which == "made" else MACRO_BOOK
    ole = storage(book)
    entries = {"/".join(e) for e in ole.listdir(streams=True, storages=True)}
    modules = modules_of(ole)
    assert {"PROJECT", "PROJECTwm", "VBA", "VBA/_VBA_PROJECT", "VBA/dir"} <= entries
    assert entries == {"PROJECT", "PROJECTwm", "VBA", "VBA/_VBA_PROJECT", "VBA/dir"} | {
        f"VBA/{m}" for m in modules
    }
    assert not [e for e in entries if "__SRP_" in e]  # SRP caches: MUST NOT be written
    assert {m: o for m, (o, _t) in modules.items() if o} == {}
    assert modules["xlwings"][1] == 0x21 and modules["sheetprog"][1] == 0x21
    assert modules["Dictionary"][1] == 0x22 and modules["ThisWorkbook"][1] == 0x22
    sources = {m: decompress(ole.openstream(f"VBA/{m}").read()) for m in modules}
    bas = (ROOT / "macros" / "sheetprog.bas").read_text("ascii")
    assert sources["sheetprog"].decode("ascii") == bas
    assert olevba_modules(book)["sheetprog"] == bas
    # the PROJECT stream declares each module as its kind ([MS-OVBA] 2.3.1)
    project = ole.openstream("PROJECT").read().decode("cp1251")
    assert "Module=xlwings\r\n" in project and "Module=sheetprog\r\n" in project
    assert "Class=Dictionary\r\n" in project and "Document=ThisWorkbook/&H00000000" in project
    # a Document module for the workbook and each sheet, named by their codeName
    parts = parts_of(book)
    code_names = re.findall(r'codeName="(\w+)"', parts["xl/workbook.xml"].decode())
    for name, data in parts.items():
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
            code_names += re.findall(r'<sheetPr[^>]*codeName="(\w+)"', data.decode())
    assert sorted(f"Document={c}/&H00000000" for c in code_names) == sorted(
        re.findall(r"Document=\w+/&H00000000", project)
    )


def test_decompressor_reads_xlwings_own_project():
    """The spec decompressor above reads xlwings' template the same way olevba does."""
    xlwings = pytest.importorskip("xlwings")
    template = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    ole = storage(template)
    modules = modules_of(ole)
    read = olevba_modules(template)
    for name, (offset, _kind) in modules.items():
        source = decompress(ole.openstream(f"VBA/{name}").read()[offset:])
        assert source.decode("cp1252").replace("\r\n", "\n") == read[name].replace("\r\n", "\n")


# the buttons a workbook of the default (program) structure shows
CAPTIONS = {name: caption for name, caption, _m, _e in buttons("program")}


@pytest.mark.parametrize("which", ["made", "committed"])
def test_button_captions_are_where_excel_writes_them(which, made):
    """A caption without a font run in the VML textbox, and no text body in the drawing shape,
    is a blank button in LibreOffice (seen on a rendered page before this fix)."""
    book = made if which == "made" else MACRO_BOOK
    parts = parts_of(book)
    vml = {n: d.decode() for n, d in parts.items() if n.endswith(".vml")}
    drawings = {
        n: d.decode() for n, d in parts.items() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)
    }
    assert len(vml) == len(drawings) == 2
    for text in vml.values():
        shapes = re.findall(r'<v:shape id="(\w+)".*?</v:shape>', text, re.S)
        assert sorted(shapes) == sorted(CAPTIONS)
        for button, caption in CAPTIONS.items():
            shape = re.search(rf'<v:shape id="{button}".*?</v:shape>', text, re.S).group(0)
            assert (
                "<v:textbox style='mso-direction-alt:auto' o:singleclick='f'>"
                "<div style='text-align:center'>"
                f'<font face="Calibri" size="220" color="#000000">{caption}</font></div>'
                "</v:textbox>"
            ) in shape
            assert 'strokecolor="windowText [64]"' in shape
    for text in drawings.values():
        ElementTree.fromstring(text)
        for button, caption in CAPTIONS.items():
            anchor = re.search(
                rf'<xdr:twoCellAnchor\b(?:(?!</xdr:twoCellAnchor>).)*name="{button}".*?'
                r"</xdr:twoCellAnchor>",
                text,
                re.S,
            ).group(0)
            body = re.search(r"</xdr:spPr><xdr:txBody>(.*?)</xdr:txBody></xdr:sp>", anchor, re.S)
            assert body, button
            assert re.findall(r"<a:t>([^<]*)</a:t>", body.group(1)) == [caption]
            assert '<a:bodyPr vertOverflow="clip" wrap="square"' in body.group(1)


@pytest.mark.parametrize("which", ["made", "committed"])
def test_vml_anchor_counts_pixels_like_the_drawing(which, made):
    """x:Anchor is «column, pixels, row, pixels, …» (as Excel, XlsxWriter and LibreOffice's VML
    import count it); it was written in half-points, which put every button elsewhere in
    LibreOffice than in the drawing (uneven gaps on the rendered page)."""
    book = made if which == "made" else MACRO_BOOK
    parts = parts_of(book)
    for n in [n for n in parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]:
        drawing = parts[n].decode()
        number = re.search(r"(\d+)\.xml$", n).group(1)
        vml = parts[f"xl/drawings/vmlDrawing{number}.vml"].decode()
        for button in CAPTIONS:
            anchor = re.search(
                rf'<xdr:twoCellAnchor\b(?:(?!</xdr:twoCellAnchor>).)*name="{button}"', drawing, re.S
            ).group(0)
            emu = [int(v) for v in re.findall(r"<xdr:\w+>(\d+)</xdr:\w+>", anchor)]
            expected = [v if i % 2 == 0 else round(v / 9525) for i, v in enumerate(emu)]
            shape = re.search(rf'<v:shape id="{button}".*?</v:shape>', vml, re.S).group(0)
            found = re.search(r"<x:Anchor>([^<]*)</x:Anchor>", shape).group(1)
            assert [int(v) for v in found.split(",")] == expected, (n, button)


# -- part by part against xlwings' own standalone project ----------------------------------


def content_types(parts: dict[str, bytes]) -> dict[str, str]:
    """Each part's content type as the package declares it (Override, else Default)."""
    xml = parts["[Content_Types].xml"].decode()
    defaults = dict(re.findall(r'<Default Extension="([^"]+)" ContentType="([^"]+)"', xml))
    overrides = dict(re.findall(r'<Override PartName="([^"]+)" ContentType="([^"]+)"', xml))
    found = {}
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        found[name] = overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
    return found


def relationships(parts: dict[str, bytes], source: str) -> dict[str, str]:
    """Relationship type → target part (resolved), of one part (``""`` for the package)."""
    folder, file = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    out = {}
    for attrs in re.findall(r"<Relationship\b([^>]*)/?>", parts[rels].decode()):
        kind = re.search(r'Type="([^"]+)"', attrs).group(1)
        target = re.search(r'Target="([^"]+)"', attrs).group(1)
        resolved = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out.setdefault(kind.rsplit("/", 1)[-1], resolved)
    return out


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory) -> Path:
    """A project made by the installed xlwings itself: ``xlwings quickstart demo --standalone``."""
    try:
        import xlwings  # noqa: F401
    except ImportError:
        pytest.skip("xlwings is not installed: nothing to compare the .xlsm with")
    folder = tmp_path_factory.mktemp("quickstart")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, xlwings.cli; sys.argv[0] = 'xlwings'; xlwings.cli.main()",
            "quickstart",
            "demo",
            "--standalone",
        ],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder / "demo" / "demo.xlsm"


@pytest.mark.parametrize("which", ["made", "committed"])
def test_xlsm_matches_xlwings_quickstart_standalone_part_by_part(which, made, quickstart):
    book = made if which == "made" else MACRO_BOOK
    ours, theirs = parts_of(book), parts_of(quickstart)
    # content types: the parts both have are declared alike
    ct_ours, ct_theirs = content_types(ours), content_types(theirs)
    for part in ("xl/workbook.xml", "xl/vbaProject.bin", "xl/styles.xml", "xl/theme/theme1.xml",
                 "docProps/core.xml", "docProps/app.xml", "xl/worksheets/sheet1.xml"):  # fmt: skip
        assert ct_ours[part] == ct_theirs[part], part
    assert ct_ours["xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert all(ct_ours[p] for p in ct_ours)  # every part has a content type
    # relationships: the package's and the workbook's, by type and resolved target
    assert relationships(ours, "") == relationships(theirs, "")
    wb_ours, wb_theirs = (
        relationships(ours, "xl/workbook.xml"),
        relationships(theirs, "xl/workbook.xml"),
    )
    for kind in ("vbaProject", "styles", "theme", "worksheet"):
        assert wb_ours[kind] == wb_theirs[kind], kind
    # both name the VBA document modules of the workbook the same way
    for parts in (ours, theirs):
        assert re.search(
            r'<workbookPr\b[^>]*codeName="ThisWorkbook"', parts["xl/workbook.xml"].decode()
        )
    # the VBA storage: the same layout, the same _VBA_PROJECT, the same project information
    ole_ours, ole_theirs = storage(book), storage(quickstart)

    def layout(ole) -> set[str]:  # type: ignore[no-untyped-def]
        entries = {"/".join(e) for e in ole.listdir(streams=True, storages=True)}
        modules = set(modules_of(ole))
        return {e if e.split("/")[-1] not in modules else "VBA/<module>" for e in entries}

    assert layout(ole_ours) == layout(ole_theirs)
    assert ole_ours.openstream("VBA/_VBA_PROJECT").read() == (
        ole_theirs.openstream("VBA/_VBA_PROJECT").read()
    )
    info = {0x0001, 0x0002, 0x0014, 0x0003, 0x0004}  # SYSKIND, LCID, LCIDINVOKE, CODEPAGE, NAME
    assert [r for r in dir_records(ole_ours) if r[0] in info] == [
        r for r in dir_records(ole_theirs) if r[0] in info
    ]
    m_ours, m_theirs = modules_of(ole_ours), modules_of(ole_theirs)
    for name in ("xlwings", "Dictionary", "ThisWorkbook", "Sheet1"):
        assert m_ours[name][1] == m_theirs[name][1], name
    read_ours, read_theirs = olevba_modules(book), olevba_modules(quickstart)
    assert read_ours["xlwings"] == read_theirs["xlwings"]  # the installed xlwings' own module
    assert read_ours["Dictionary"] == read_theirs["Dictionary"]
    for parts in (ours, theirs):
        project = ElementTree.fromstring(parts["[Content_Types].xml"])
        assert project is not None


# -- LibreOffice shows the captions ---------------------------------------------------------


def printable(source: Path, target: Path, *, old_captions: bool = False) -> Path:
    """A copy whose buttons print (Excel's buttons do not: x:PrintObject False), so that the
    PDF LibreOffice renders shows them; ``old_captions`` writes the caption the way it was
    before the fix (bare text in the VML div, no text body in the drawing)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".vml"):
                text = data.decode().replace("<x:PrintObject>False</x:PrintObject>", "")
                if old_captions:
                    text = re.sub(r"<font [^>]*>(.*?)</font>", r"\1", text)
                data = text.encode()
            elif re.fullmatch(r"xl/drawings/drawing\d+\.xml", info.filename):
                text = data.decode().replace(' fPrintsWithSheet="0"', "")
                if old_captions:
                    text = re.sub(r"<xdr:txBody>.*?</xdr:txBody>", "", text, flags=re.S)
                data = text.encode()
            out.writestr(info, data)
    return target


@pytest.mark.libreoffice
@pytest.mark.parametrize("old_captions", [False, True])
def test_libreoffice_shows_the_button_captions(tmp_path, old_captions):
    """Rendered by LibreOffice, the «Инструкция» page shows every button's caption (looked at
    as a PNG too: five labelled buttons, evenly spaced); written the old way, none."""
    from sheetprog.io.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    book = printable(MACRO_BOOK, tmp_path / "buttons.xlsm", old_captions=old_captions)
    pdf = convert(book, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Инструкция по заполнению" in text
    # a caption on a button, not quoted in the sheet's text («кнопка «Проверить»»)
    shown = [c for c in CAPTIONS.values() if re.search(rf"(?<!«){re.escape(c)}(?!»)", text)]
    assert shown == ([] if old_captions else list(CAPTIONS.values()))
