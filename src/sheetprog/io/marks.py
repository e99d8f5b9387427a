"""Highlights and notes on offending cells, added and removed at the XML-part level.

Marks are recognisable without stored state, so they survive a clerk re-saving the
file in Excel: a highlight is a cell style derived from the cell's own style with a
fill in one of sheetprog's colours (one unit off the standard palette, visually the
same); a note is a comment by the author «sheetprog» with its VML note shape. Each
run removes exactly those marks — restoring each cell's original style, removing
only sheetprog's comments and the parts it created — and then adds the new ones.
The clerk's own fills, comments and everything else stay as they are.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, unescape

from sheetprog.checks.severity import Severity
from sheetprog.grid import Mark
from sheetprog.io.package import rel_kind, unprefixed

AUTHOR = "sheetprog"
_OURS = Severity.mark_fills()
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_COMMENTS = f"{NS_R}/comments"
REL_VML = f"{NS_R}/vmlDrawing"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# the last children of <worksheet>, in the order ECMA-376 requires
WORKSHEET_TAIL = (
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
_CELL_RE = re.compile(r"^([A-Z]+)(\d+)$")


class Parts:
    """The zip's parts as text, with the changes to write back."""

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        self.original = parts
        self.changed: dict[str, bytes | None] = {}

    def has(self, name: str) -> bool:
        if name in self.changed:
            return self.changed[name] is not None
        return name in self.original

    def text(self, name: str) -> str:
        """A part's text; a SpreadsheetML part written with a prefix (<x:c>) comes
        unprefixed, the form the edits here expect (only parts written back change)."""
        data = self.changed.get(name, self.original.get(name))
        if data is None:
            raise KeyError(name)
        return unprefixed(data.decode("utf-8"))

    def put(self, name: str, text: str) -> None:
        self.changed[name] = text.encode("utf-8")

    def data(self, name: str) -> bytes:
        """A part's bytes (a binary part, such as ``xl/vbaProject.bin``)."""
        data = self.changed.get(name, self.original.get(name))
        if data is None:
            raise KeyError(name)
        return data

    def put_data(self, name: str, data: bytes) -> None:
        self.changed[name] = data

    def delete(self, name: str) -> None:
        self.changed[name] = None


# -- styles ---------------------------------------------------------------------------------


def _block(xml: str, tag: str) -> re.Match[str]:
    match = re.search(rf"<{tag}\b[^>]*?(?:/>|>(.*?)</{tag}>)", xml, re.S)
    if match is None:
        raise ValueError(tag)
    return match


def _items(body: str | None, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*?/>|<{tag}\b[^>]*?>.*?</{tag}>", body or "", re.S)


def _replace_block(xml: str, tag: str, items: list[str]) -> str:
    match = _block(xml, tag)
    head = re.match(rf"<{tag}\b[^>]*?(?=/?>)", match.group(0))
    assert head is not None
    opening = re.sub(r'\scount="\d+"', "", head.group(0)) + f' count="{len(items)}"'
    return xml[: match.start()] + opening + ">" + "".join(items) + f"</{tag}>" + xml[match.end() :]


class Styles:
    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.xml = parts.text("xl/styles.xml")
        self.fills = _items(_block(self.xml, "fills").group(1), "fill")
        self.xfs = _items(_block(self.xml, "cellXfs").group(1), "xf")
        self.dirty = False

    def our_fill_ids(self) -> dict[int, str]:
        found = {}
        for i, fill in enumerate(self.fills):
            colour = re.search(r'<fgColor rgb="([0-9A-Fa-f]{8})"', fill)
            if colour and colour.group(1).upper() in _OURS:
                found[i] = colour.group(1).upper()
        return found

    def our_xf_ids(self) -> set[int]:
        ours = self.our_fill_ids()
        return {i for i, xf in enumerate(self.xfs) if _fill_id(xf) in ours}

    def original_of(self, xf_id: int) -> int:
        """The style a highlighted style was derived from (same but the fill)."""
        ours = self.our_fill_ids()
        derived = _without_fill(self.xfs[xf_id])
        for i, xf in enumerate(self.xfs):
            if _fill_id(xf) not in ours and _without_fill(xf) == derived:
                return i
        return 0

    def derived(self, xf_id: int, severity: Severity) -> int:
        colour = severity.fill
        fill_id = next((i for i, c in self.our_fill_ids().items() if c == colour), None)
        if fill_id is None:
            self.fills.append(
                f'<fill><patternFill patternType="solid"><fgColor rgb="{colour}"/>'
                '<bgColor indexed="64"/></patternFill></fill>'
            )
            fill_id = len(self.fills) - 1
            self.dirty = True
        base = self.xfs[xf_id] if xf_id < len(self.xfs) else self.xfs[0]
        wanted = _with_fill(base, fill_id)
        for i, xf in enumerate(self.xfs):
            if xf == wanted:
                return i
        self.xfs.append(wanted)
        self.dirty = True
        return len(self.xfs) - 1

    def save(self) -> None:
        if self.dirty:
            xml = _replace_block(self.xml, "fills", self.fills)
            self.parts.put("xl/styles.xml", _replace_block(xml, "cellXfs", self.xfs))


def _fill_id(xf: str) -> int:
    match = re.search(r'\sfillId="(\d+)"', xf)
    return int(match.group(1)) if match else 0


def _without_fill(xf: str) -> str:
    return re.sub(r'\s(?:fillId|applyFill)="[^"]*"', "", xf)


def _with_fill(xf: str, fill_id: int) -> str:
    bare = _without_fill(xf)
    return re.sub(r"^<xf\b", f'<xf fillId="{fill_id}" applyFill="1"', bare, count=1)


# -- cells ----------------------------------------------------------------------------------


def _set_style(xml: str, ref: str, style: int) -> str:
    """Set the s attribute of cell ``ref``, creating the cell (and row) when missing."""
    cell = re.search(rf'<c r="{ref}"(?=[\s/>])[^>]*?(/?)>', xml)
    if cell:
        tag = cell.group(0)
        new = re.sub(r'\ss="\d+"', "", tag)
        new = new.replace(f'<c r="{ref}"', f'<c r="{ref}" s="{style}"', 1)
        return xml[: cell.start()] + new + xml[cell.end() :]
    match = _CELL_RE.match(ref)
    assert match is not None
    row_no, col_no = int(match.group(2)), _col_number(match.group(1))
    empty = f'<c r="{ref}" s="{style}"/>'
    row = re.search(rf'<row r="{row_no}"(?=[\s/>])[^>]*?(/?)>', xml)
    if row is None:
        rows = list(re.finditer(r'<row r="(\d+)"', xml))
        after = next((m for m in rows if int(m.group(1)) > row_no), None)
        at = after.start() if after else xml.index("</sheetData>")
        return xml[:at] + f'<row r="{row_no}">{empty}</row>' + xml[at:]
    if row.group(1) == "/":
        opening = row.group(0)[:-2] + ">"
        return xml[: row.start()] + opening + empty + "</row>" + xml[row.end() :]
    end = xml.index("</row>", row.end())
    for cell_match in re.finditer(r'<c r="([A-Z]+)\d+"', xml[row.end() : end]):
        if _col_number(cell_match.group(1)) > col_no:
            at = row.end() + cell_match.start()
            return xml[:at] + empty + xml[at:]
    return xml[:end] + empty + xml[end:]


def _col_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _restore_styles(xml: str, styles: Styles) -> str:
    ours = styles.our_xf_ids()
    if not ours:
        return xml

    def restore(match: re.Match[str]) -> str:
        style = int(match.group(2))
        if style not in ours:
            return match.group(0)
        return f'{match.group(1)} s="{styles.original_of(style)}"'

    return re.sub(r'(<c r="[A-Z]+\d+"[^>]*?)\ss="(\d+)"', restore, xml)


# -- relationships, content types -----------------------------------------------------------


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _rels(parts: Parts, part: str) -> list[tuple[str, str, str]]:
    name = rels_name(part)
    if not parts.has(name):
        return []
    return [
        (m.group("id"), m.group("type"), m.group("target"))
        for m in re.finditer(
            r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]+)")(?=[^>]*\bType="(?P<type>[^"]+)")'
            r'(?=[^>]*\bTarget="(?P<target>[^"]+)")[^>]*/>',
            parts.text(name),
        )
    ]


def _target(part: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target)).lstrip("/")


def _write_rels(parts: Parts, part: str, rels: list[tuple[str, str, str]]) -> None:
    name = rels_name(part)
    if not rels:
        if parts.has(name):
            parts.delete(name)
        return
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    parts.put(
        name,
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>",
    )


def _content_types(parts: Parts, add: dict[str, str], remove: set[str]) -> None:
    xml = parts.text("[Content_Types].xml")
    for name in remove:
        xml = re.sub(rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "", xml)
    for name, ctype in add.items():
        if f'PartName="/{name}"' not in xml:
            xml = xml.replace(
                "</Types>", f'<Override PartName="/{name}" ContentType="{ctype}"/></Types>'
            )
    parts.put("[Content_Types].xml", xml)


def _free_name(parts: Parts, pattern: str) -> str:
    n = 1
    while parts.has(pattern.format(n)):
        n += 1
    return pattern.format(n)


# -- comments and their VML note shapes -----------------------------------------------------

_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
    'office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
)
_SHAPETYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,'
    'l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>'
    "</v:shapetype>"
)
_SHAPE_RE = re.compile(r"<(\w+):shape\b.*?</\1:shape>", re.S)
_ANY_SHAPE = re.compile(r"<(?:\w+:)?shape\b")
_VML_NS = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "x": "urn:schemas-microsoft-com:office:excel",
}


def _note_shape(shape_id: int, row: int, col: int) -> str:
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;'
        "margin-left:59.25pt;margin-top:1.5pt;width:260pt;height:90pt;z-index:1;"
        'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
        '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
        '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{col + 1}, 15, {row}, 10, {col + 4}, 15, {row + 5}, 4</x:Anchor>"
        f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column>"
        "</x:ClientData></v:shape>"
    )


def _shape_cell(shape: str) -> tuple[int, int] | None:
    """(row, column) of a note shape, whatever the namespace prefixes."""
    if 'ObjectType="Note"' not in shape:
        return None
    row = re.search(r"<(?:\w+:)?Row>(\d+)</(?:\w+:)?Row>", shape)
    col = re.search(r"<(?:\w+:)?Column>(\d+)</(?:\w+:)?Column>", shape)
    return (int(row.group(1)), int(col.group(1))) if row and col else None


def _declare_vml_prefixes(drawing: str) -> str:
    """Make sure the v:, o:, x: prefixes our shapes use are declared on the root."""
    root = re.search(r"<xml\b[^>]*>", drawing)
    if root is None:
        return drawing
    opening = root.group(0)
    for prefix, uri in _VML_NS.items():
        if f"xmlns:{prefix}=" not in opening:
            opening = opening[:-1] + f' xmlns:{prefix}="{uri}">'
    return drawing[: root.start()] + opening + drawing[root.end() :]


def _ref_position(ref: str) -> tuple[int, int]:
    match = _CELL_RE.match(ref)
    assert match is not None
    return int(match.group(2)) - 1, _col_number(match.group(1)) - 1


def _comment_parts(parts: Parts, sheet_part: str) -> tuple[str | None, str | None]:
    comments = vml = None
    for _id, rtype, target in _rels(parts, sheet_part):
        kind = rel_kind(rtype)  # Transitional or Strict (issue 19)
        if kind == "comments":
            comments = _target(sheet_part, target)
        elif kind == "vmlDrawing":
            vml = _target(sheet_part, target)
    return comments, vml


# LibreOffice Calc drops comment authors when it saves .xlsx (it writes "<author> </author>"),
# so a note is sheetprog's also when its text begins as sheetprog writes it: «sheetprog,
# ошибка: …» (the menu in Calc saves the workbook before every check)
_OUR_TEXT = re.compile(r"^sheetprog, (?:" + "|".join(re.escape(s.label) for s in Severity) + "): ")


def _is_ours(comment: str, author_id: str | None) -> bool:
    if author_id is not None and re.search(rf'\sauthorId="{author_id}"', comment):
        return True
    text = "".join(re.findall(r"<t\b[^>]*>(.*?)</t>", comment, re.S))
    return _OUR_TEXT.match(unescape(text)) is not None


def _strip_comments(parts: Parts, sheet_part: str) -> None:
    """Remove sheetprog's comments and note shapes; drop parts left empty by that."""
    comments, vml = _comment_parts(parts, sheet_part)
    if comments is None or not parts.has(comments):
        return
    xml = parts.text(comments)
    authors = re.findall(r"<author>(.*?)</author>", xml, re.S)
    ours = str(authors.index(AUTHOR)) if AUTHOR in authors else None
    removed: set[tuple[int, int]] = set()

    def drop(match: re.Match[str]) -> str:
        if _is_ours(match.group(0), ours):
            removed.add(_ref_position(re.search(r'ref="([A-Z]+\d+)"', match.group(0)).group(1)))  # type: ignore[union-attr]
            return ""
        return match.group(0)

    xml = re.sub(r"<comment\b.*?</comment>", drop, xml, flags=re.S)
    remaining = re.search(r"<comment\b", xml) is not None
    vml_left = False
    if vml and parts.has(vml):
        drawing = _SHAPE_RE.sub(
            lambda m: "" if _shape_cell(m.group(0)) in removed else m.group(0), parts.text(vml)
        )
        vml_left = _ANY_SHAPE.search(drawing) is not None
        if vml_left and drawing != parts.text(vml):
            parts.put(vml, drawing)
    if remaining:
        parts.put(comments, xml)
        return
    rels = _rels(parts, sheet_part)
    drop_targets = {comments} | ({vml} if vml and not vml_left else set())
    for name in drop_targets:
        parts.delete(name)
    _write_rels(
        parts, sheet_part, [r for r in rels if _target(sheet_part, r[2]) not in drop_targets]
    )
    _content_types(parts, {}, drop_targets)
    if vml and not vml_left:
        sheet = parts.text(sheet_part)
        parts.put(sheet_part, re.sub(r"<legacyDrawing\b[^>]*/>", "", sheet))


def _add_comments(parts: Parts, sheet_part: str, marks: dict[str, Mark], block: int) -> None:
    comments, vml = _comment_parts(parts, sheet_part)
    rels = _rels(parts, sheet_part)
    new_types: dict[str, str] = {}
    sheet = parts.text(sheet_part)
    if comments is None:
        comments = _free_name(parts, "xl/comments{}.xml")
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>'
            "</authors><commentList></commentList></comments>"
        )
        rels.append(
            (
                _free_id(rels),
                REL_COMMENTS,
                posixpath.relpath(comments, posixpath.dirname(sheet_part)),
            )
        )
        new_types[comments] = CT_COMMENTS
    else:
        xml = parts.text(comments)
    if vml is None:
        vml = _free_name(parts, "xl/drawings/vmlDrawing{}.vml")
        drawing = _VML_HEAD.format(block=block) + _SHAPETYPE + "</xml>"
        rid = _free_id(rels)
        rels.append((rid, REL_VML, posixpath.relpath(vml, posixpath.dirname(sheet_part))))
        new_types[vml] = CT_VML
        sheet = _insert_legacy_drawing(sheet, rid)
    else:
        drawing = _declare_vml_prefixes(parts.text(vml))
        if 'o:spt="202"' not in drawing:
            drawing = drawing.replace("</xml>", _SHAPETYPE + "</xml>")
    authors = re.findall(r"<author>(.*?)</author>", xml, re.S)
    if AUTHOR not in authors:
        xml = re.sub(r"</authors>|<authors/>", f"<author>{AUTHOR}</author></authors>", xml, count=1)
        if "<authors>" not in xml and "<authors " not in xml:
            xml = xml.replace(
                "<commentList", f"<authors><author>{AUTHOR}</author></authors><commentList", 1
            )
        authors.append(AUTHOR)
    author = authors.index(AUTHOR)
    taken = set(re.findall(r'<comment\b[^>]*\bref="([A-Z]+\d+)"', xml))
    ids = [int(i) for i in re.findall(r'id="_x0000_s(\d+)"', drawing)] or [block * 1024]
    next_id = max(ids) + 1
    added = ""
    shapes = ""
    for ref, mark in marks.items():
        if ref in taken:  # the clerk's own note: keep it (the finding is on «Проверки»)
            continue
        text = escape(f"sheetprog, {mark.severity.label}: {mark.message}")
        added += (
            f'<comment ref="{ref}" authorId="{author}"><text><r><t xml:space="preserve">'
            f"{text}</t></r></text></comment>"
        )
        row, col = _ref_position(ref)
        shapes += _note_shape(next_id, row, col)
        next_id += 1
    if not added:
        return
    if "<commentList/>" in xml:
        xml = xml.replace("<commentList/>", f"<commentList>{added}</commentList>")
    else:
        xml = xml.replace("</commentList>", added + "</commentList>")
    parts.put(comments, xml)
    parts.put(vml, drawing.replace("</xml>", shapes + "</xml>"))
    parts.put(sheet_part, sheet)
    _write_rels(parts, sheet_part, rels)
    if new_types:
        _content_types(parts, new_types, set())


def _free_id(rels: list[tuple[str, str, str]]) -> str:
    used = {r[0] for r in rels}
    n = 1
    while f"rIdSp{n}" in used:
        n += 1
    return f"rIdSp{n}"


def insert_worksheet_child(sheet: str, tag: str, element: str) -> str:
    """Insert ``element`` (a <``tag``> child of <worksheet>, ``tag`` in WORKSHEET_TAIL)
    before the first child the schema puts after it, else before </worksheet>."""
    following = WORKSHEET_TAIL[WORKSHEET_TAIL.index(tag) + 1 :]
    match = re.search(r"<(" + "|".join(following) + r")[\s/>]", sheet)
    at = match.start() if match else sheet.rindex("</worksheet>")
    return sheet[:at] + element + sheet[at:]


def _insert_legacy_drawing(sheet: str, rid: str) -> str:
    # the namespace is declared on the element itself, so removing it restores the sheet
    element = f'<legacyDrawing xmlns:r="{NS_R}" r:id="{rid}"/>'
    return insert_worksheet_child(sheet, "legacyDrawing", element)


# -- the whole operation --------------------------------------------------------------------


def apply_marks(
    parts: Parts, sheet_parts: dict[str, str], marks: dict[str, list[Mark]], skip: set[str]
) -> None:
    """Remove previous sheetprog marks from every sheet, then mark ``marks`` (sheet → marks)."""
    styles = Styles(parts)
    for name, part in sheet_parts.items():
        if name in skip or not parts.has(part):
            continue
        xml = parts.text(part)
        restored = _restore_styles(xml, styles)
        if restored != xml:
            parts.put(part, restored)
        _strip_comments(parts, part)
    for block, (name, sheet_marks) in enumerate(sorted(marks.items()), start=60):
        found = sheet_parts.get(name)
        if found is None or name in skip or not parts.has(found) or not sheet_marks:
            continue
        part = found
        per_cell: dict[str, Mark] = {}
        for mark in sorted(sheet_marks, key=lambda m: m.severity.rank):
            if mark.cell in per_cell:
                first = per_cell[mark.cell]
                per_cell[mark.cell] = Mark(
                    mark.cell, first.severity, f"{first.message}\n{mark.message}"
                )
            else:
                per_cell[mark.cell] = mark
        xml = parts.text(part)
        for ref, mark in per_cell.items():
            current = re.search(rf'<c r="{ref}"(?=[\s/>])[^>]*?\ss="(\d+)"', xml)
            base = int(current.group(1)) if current else 0
            xml = _set_style(xml, ref, styles.derived(base, mark.severity))
        parts.put(part, xml)
        _add_comments(parts, part, per_cell, block)
    styles.save()
