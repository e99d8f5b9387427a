"""The reader on workbooks from other producers (issue 19 item 5; tests/corpus/README.md).

1. For every corpus file the default reader (calamine, or openpyxl where it falls back)
   returns the values openpyxl reads — error cells as errors, 1900/1904 dates, shared,
   rich and inline strings, namespace prefixes, Strict namespaces, xml:space — except where
   openpyxl itself departs from what Excel shows (``OPENPYXL_DEPARTS``, each with its
   evidence, each checked to be still needed).
2. Every sheetprog workbook in the corpus, whoever saved it, reads to the same model and
   the same reader findings as the original it was made from, with either engine.
3. ``check --in-place`` works on each of them and loses nothing: every part it does not
   own is byte for byte the same, every cell of the clerk's sheets keeps its value, format
   and lock, a Strict package stays Strict, and a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sheetprog import api, spec
from sheetprog.errors import UnreadableInputError
from sheetprog.grid import Formula, WorkbookGrid
from sheetprog.io import engines, package
from sheetprog.io.cell_scan import CalamineMisread
from sheetprog.io.fast_grid import load_grid_fast
from tests.workbook_compare import snapshot

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(CORPUS.rglob("*.xlsx"))
SHEETPROG = sorted(p for p in (CORPUS / "sheetprog").glob("*.xlsx") if ".original." not in p.name)
WHITESPACE = " \t\r\n"
FALLBACK = {  # files the default reader reads through openpyxl (finding R020), and why
    "sheetprog/kaluga-2016.inherited-space.xlsx": "xml:space",
    "sheetprog/reserve-novoshakhtinsk.inherited-space.xlsx": "xml:space",
    "synthetic/unknown-cell-type.xlsx": "не смог прочитать",
}


def _name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


# -- where openpyxl departs from Excel ------------------------------------------------------


def _trimmed(ours: object, theirs: object) -> bool:
    """Excel trims the edge spaces of a <t> without xml:space="preserve" (checked with LEN()
    in dhatim/fastexcel#624; calamine does the same since tafia/calamine#671); openpyxl
    keeps them."""
    if not isinstance(theirs, str) or theirs.strip(WHITESPACE) == theirs:
        return False
    return ours == (theirs.strip(WHITESPACE) or None)


def _xstring(ours: object, theirs: object) -> bool:
    """ECMA-376 Part 1 §22.9.2.19 (ST_Xstring): «_x000D_» stands for the character U+000D;
    openpyxl's reader only drops «x005F_» and keeps the escape as text."""
    if not isinstance(theirs, str) or "_x" not in theirs:
        return False
    return ours == re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), theirs)


def _styles_elsewhere(ours: object, theirs: object) -> bool:
    """openpyxl reads styles only from xl/styles.xml (openpyxl/styles/stylesheet.py,
    apply_stylesheet reads ARC_STYLE), so in a package whose styles part is elsewhere a date
    cell comes out as its serial number; the part the workbook relates to has the format."""
    from openpyxl.utils.datetime import from_excel

    if not isinstance(theirs, int | float) or not isinstance(ours, dt.date | dt.datetime):
        return False
    return _plain(from_excel(theirs)) == _plain(ours)


OPENPYXL_DEPARTS: dict[str, tuple[Callable[[object, object], bool], ...]] = {
    "third_party/calamine/whitespace_trim.xlsx": (_trimmed,),
    "third_party/calamine/encoded_entities.xlsx": (_trimmed,),
    "third_party/calamine/minimal_package.xlsx": (_trimmed, _styles_elsewhere),
    "third_party/calamine/has_x000D_.xlsx": (_xstring,),
    "third_party/calamine/has_x000D_inline.xlsx": (_xstring,),
}


# -- the two readings -----------------------------------------------------------------------

Cells = dict[tuple[str, int, int], object]


def _plain(value: object) -> object:
    """Values that mean the same cell compare equal: openpyxl gives a date cell as a
    datetime at midnight, calamine as a date; an empty string is an empty cell."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if value == "":
        return None
    return value


def default_reading(path: Path) -> tuple[WorkbookGrid, str, Cells]:
    grid, fallback = engines.load(path)
    cells: Cells = {}
    for name, sheet in grid.sheets.items():
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, Formula):
                    cells[name, r, c] = ("formula", value.text)
                elif _plain(value) is not None:
                    cells[name, r, c] = _plain(value)
    return grid, fallback, cells


def openpyxl_reading(path: Path, tmp: Path) -> tuple[Cells, dict[str, bool], dict[str, str]]:
    """openpyxl's own reading (not sheetprog's openpyxl engine): cells, hidden flags,
    workbook-scope names. openpyxl reads no Strict OOXML, so a Strict file is read through
    its Transitional copy (namespace URIs replaced, nothing else)."""
    with zipfile.ZipFile(path) as zf:
        strict = package.manifest(zf).strict
    if strict:
        copy = tmp / f"transitional-{path.name}"
        copy.write_bytes(package.convert_namespaces(path.read_bytes(), strict=False))
        path = copy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no stylesheet", unsupported extensions
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cells: Cells = {}
    hidden = {}
    try:
        for ws in wb.worksheets:
            hidden[ws.title] = ws.sheet_state != "visible"
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if getattr(cell, "data_type", None) == "f":
                        cells[ws.title, cell.row, cell.column] = (
                            "formula",
                            getattr(value, "text", value),
                        )
                    elif _plain(value) is not None:
                        cells[ws.title, cell.row, cell.column] = _plain(value)
        names = {key: str(dn.attr_text) for key, dn in wb.defined_names.items()}
    finally:
        wb.close()
    return cells, hidden, names


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_default_reader_reads_what_openpyxl_reads(path: Path, tmp_path: Path) -> None:
    grid, fallback, ours = default_reading(path)
    theirs, hidden, names = openpyxl_reading(path, tmp_path)
    assert bool(fallback) == (_name(path) in FALLBACK), fallback
    assert FALLBACK.get(_name(path), "") in fallback
    assert list(grid.sheets) == list(hidden)
    assert {name: sheet.hidden for name, sheet in grid.sheets.items()} == hidden
    assert grid.defined_names == names
    departs = OPENPYXL_DEPARTS.get(_name(path), ())
    used: set[str] = set()
    wrong = []
    for key in sorted(set(ours) | set(theirs), key=str):
        mine, other = ours.get(key), theirs.get(key)
        if mine == other:
            continue
        if mine == ("formula", "=") and isinstance(other, tuple):
            continue  # a shared formula's dependent cell: text not known (grid.Formula)
        why = next((d.__name__ for d in departs if d(mine, other)), None)
        if why is None:
            wrong.append((key, mine, other))
        else:
            used.add(why)
    assert wrong == []
    assert used == {d.__name__ for d in departs}, "an exemption no longer needed"


def test_corpus_covers_what_the_issue_lists() -> None:
    """Each case of issue 19 item 5 is in the corpus (a file that shows it)."""
    found: dict[str, list[str]] = {}

    def has(case: str, path: Path) -> None:
        found.setdefault(case, []).append(_name(path))

    for path in FILES:
        with zipfile.ZipFile(path) as zf:
            manifest = package.manifest(zf)
            xml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
        if manifest.date1904:
            has("1904", path)
        if b't="e"' in xml:
            has("errors", path)
        if b"<si>" in xml or b"<si " in xml:
            has("shared strings", path)
        if re.search(rb"<(?:\w+:)?r>\s*<(?:\w+:)?rPr", xml):
            has("rich text", path)
        if b'"inlineStr"' in xml:
            has("inline strings", path)
        if re.search(rb"<\w+:sheetData", xml):
            has("prefixes", path)
        if manifest.strict:
            has("strict", path)
        if b"xml:space" in xml:
            has("xml:space", path)
        if manifest.workbook != package.DEFAULT_WORKBOOK:
            has("part paths", path)
    expected = {
        "1904",
        "errors",
        "shared strings",
        "rich text",
        "inline strings",
        "prefixes",
        "strict",
        "xml:space",
        "part paths",
    }
    assert expected <= set(found), expected - set(found)
    assert any(p.startswith("sheetprog/") for p in found["strict"])
    assert any(p.startswith("sheetprog/") for p in found["1904"])


def test_error_cells_are_errors_with_both_engines() -> None:
    """Issue 13 item 4: an error typed over a fact (Показатели!N4) is R008 whoever saved the
    file (LibreOffice turns it into the formula «=#DIV/0!») and with either engine."""
    for path in [CORPUS / "sheetprog" / "kaluga-2016.original.xlsx", *SHEETPROG]:
        if not path.name.startswith("kaluga"):
            continue
        for engine in api.ENGINES:
            model = api.read_workbook(path, engine=engine)
            codes = {(p.code, p.ref) for p in model.problems}
            assert ("R008", "Показатели!N4") in codes, (path.name, engine)


def test_calamine_alone_misreads_what_the_fallback_reads() -> None:
    """The fallback is needed: calamine by itself loses the space between the two rich-text
    runs of Паспорт!B8 where xml:space="preserve" stands on <si>."""
    import python_calamine

    path = CORPUS / "sheetprog" / "kaluga-2016.inherited-space.xlsx"
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    alone = book.get_sheet_by_name("Паспорт").to_python(skip_empty_area=False)[7][1]
    with pytest.raises(UnreadableInputError) as refused:  # the fast reader will not take it
        load_grid_fast(path)
    assert isinstance(refused.value.__cause__, CalamineMisread)
    read, why = engines.load(path)
    assert alone == "Управление деламиГородского Головы города Калуги"
    assert read.sheets["Паспорт"].value(8, 2) == (
        "  Управление делами Городского Головы города Калуги  "
    )
    assert "xml:space" in why


def test_a_file_calamine_refuses_is_read_by_openpyxl(tmp_path: Path, cli) -> None:
    """calamine refuses a whole workbook for one cell of a type outside ST_CellType (the
    real error, «Unknown cell 't' attribute»); the reader reads it with openpyxl, to the
    same model, and says so."""
    original = CORPUS / "sheetprog" / "kaluga-2016.original.xlsx"
    broken = tmp_path / "kaluga.xlsx"
    with zipfile.ZipFile(original) as zin, zipfile.ZipFile(broken, "w") as zout:
        part = package.manifest(zin).parts["Показатели"]
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data, count = re.subn(rb'(<c r="I4"[^>]*?) t="n"', rb'\1 t="x"', data)
                assert count == 1
            zout.writestr(info, data)
    with pytest.raises(UnreadableInputError):
        load_grid_fast(broken)
    model = api.read_workbook(broken)
    assert model == api.read_workbook(original)
    assert [p.code for p in model.problems if p.code == "R020"] == ["R020"]
    shown = cli("info", broken)
    assert "R020" in shown.output and "Unknown cell" in shown.output


def test_info_says_how_the_file_was_read(cli) -> None:
    result = cli("info", CORPUS / "sheetprog" / "kaluga-2016.inherited-space.xlsx")
    assert result.exit_code == 0, result.output
    assert "R020" in result.output
    assert "прочитана через openpyxl" in result.output
    plain = cli("info", CORPUS / "sheetprog" / "kaluga-2016.libreoffice.xlsx")
    assert "R020" not in plain.output


def test_negative_date_serials_read_as_openpyxl_reads_them() -> None:
    """calamine turns -1 in a date cell into 00:00; the reader gives the day before the
    epoch, as openpyxl does (checked cell by cell above; here the values themselves)."""
    for name, first in (("negative-dates-1900", 1899), ("negative-dates-1904", 1903)):
        sheet = engines.load(CORPUS / "synthetic" / f"{name}.xlsx")[0].sheets["Даты"]
        value = sheet.value(2, 2)
        assert isinstance(value, dt.datetime) and value.year == first, value


# -- sheetprog workbooks saved by other programs --------------------------------------------


def _original(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + ".original.xlsx")


def _problems(model: object) -> list[tuple[str, str | None]]:
    return sorted((p.code, p.ref) for p in model.problems if p.code != "R020")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", SHEETPROG, ids=_name)
def test_sheetprog_workbook_reads_to_the_original_model(path: Path) -> None:
    original = api.read_workbook(_original(path))
    assert _problems(original)  # the seeded cells are found in the original
    for engine in api.ENGINES:
        model = api.read_workbook(path, engine=engine)
        assert model == original, engine
        assert _problems(model) == _problems(original), engine


def _owned_parts(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        parts = package.manifest(zf).parts
    return {parts[name] for name in (spec.SHEET_CHECKS, spec.SHEET_ASSESSMENT) if name in parts}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _snapshot(path: Path, tmp: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        strict = package.manifest(zf).strict
    if strict:
        copy = tmp / f"transitional-{path.name}"
        copy.write_bytes(package.convert_namespaces(path.read_bytes(), strict=False))
        path = copy
    return snapshot(path)


@pytest.mark.parametrize("path", SHEETPROG, ids=_name)
def test_in_place_write_back_loses_nothing(path: Path, tmp_path: Path, cli) -> None:
    work = tmp_path / path.name
    shutil.copyfile(path, work)
    before_parts, before = _parts(work), _snapshot(work, tmp_path)
    model, report = api.check_workbook(work)
    marked = {f.sheet for f in report.findings if f.sheet and f.cell}
    marked_cells = {(f.sheet, f.cell) for f in report.findings if f.sheet and f.cell}
    assert marked_cells, "the seeded cells give findings with a cell"

    result = cli("check", work, "--in-place")
    assert result.exit_code == 1, result.output  # the seeded errors
    assert "записаны" in result.output

    after_parts = _parts(work)
    with zipfile.ZipFile(work) as zf:
        manifest = package.manifest(zf)
    allowed = _owned_parts(work) | {manifest.parts[s] for s in marked if s in manifest.parts}
    changed = {n for n in before_parts if before_parts[n] != after_parts.get(n)}
    for name in changed:
        assert (
            name in allowed
            or name in ("xl/styles.xml", "[Content_Types].xml")
            or re.search(r"(^|/)(_rels/|comments|vmlDrawing)", name)
        ), name
    assert set(before_parts) <= set(after_parts)

    after = _snapshot(work, tmp_path)
    assert after["sheets"] == before["sheets"]
    assert after["defined"] == before["defined"]
    for sheet in before["sheets"]:
        if sheet in (spec.SHEET_CHECKS, spec.SHEET_ASSESSMENT):
            continue
        old, new = before[sheet], after[sheet]
        assert {k: v for k, v in old.items() if k != "cells"} == {
            k: v for k, v in new.items() if k != "cells"
        }, sheet
        for ref in set(old["cells"]) | set(new["cells"]):
            a, b = old["cells"].get(ref), new["cells"].get(ref)
            if (sheet, ref) in marked_cells and a and b:
                assert a[:3] == b[:3], (sheet, ref)  # value, format, lock; the fill is the mark
            else:
                assert a == b, (sheet, ref)

    reread = api.read_workbook(work)
    assert reread == model
    assert _problems(reread) == _problems(model)
    sheet = engines.load(work)[0].sheets[spec.SHEET_CHECKS]  # lists the seeded findings
    text = "\n".join(str(v) for row in sheet.rows for v in row if v is not None)
    for _code, ref in _problems(model):
        if ref:
            assert ref.split("!")[-1] in text, ref
    if manifest.strict:
        for name in changed | (set(after_parts) - set(before_parts)):
            data = after_parts[name]
            assert package.REL_TRANSITIONAL.encode() not in data, name
            assert package.MAIN_TRANSITIONAL.encode() not in data, name

    cli("check", work, "--in-place")
    assert _parts(work) == after_parts, "a second run changes nothing"
