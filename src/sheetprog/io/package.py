"""The workbook's package structure, read the way the OOXML standard defines it.

ECMA-376 Part 2 (OPC): the main part is the target of the package relationship of type
``officeDocument`` in ``/_rels/.rels``; it is usually ``xl/workbook.xml`` but need not
be (a workbook at the package root, ``xl/workbook2.xml`` …). Its sheets are found through
the workbook part's own relationships. ECMA-376 Part 1 defines two vocabularies for the
same elements: Transitional (``schemas.openxmlformats.org`` namespaces, what Excel writes
by default) and Strict (``purl.oclc.org/ooxml`` namespaces, Excel's «Строгий формат Open
XML»). Both are read here by local element names, whatever the namespace prefixes.

Parsed with defusedxml; nothing here writes.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Protocol

from defusedxml import ElementTree as SafeET

DEFAULT_WORKBOOK = "xl/workbook.xml"
ROOT_RELS = "_rels/.rels"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# the relationships namespace of each vocabulary (also the r: attribute namespace)
REL_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
MAIN_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
# Transitional ↔ Strict namespace pairs (ECMA-376 Part 1, 4th ed., Annex A and Part 4 §
# "Strict conformance": the purl.oclc.org URIs replace the schemas.openxmlformats.org ones)
STRICT_NAMESPACES = (
    (MAIN_TRANSITIONAL, MAIN_STRICT),
    (
        REL_TRANSITIONAL + "/extended-properties",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
    ),
    (REL_TRANSITIONAL, REL_STRICT),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://purl.oclc.org/ooxml/drawingml/main",
    ),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
    ),
    (
        "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "http://purl.oclc.org/ooxml/drawingml/chart",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        "http://purl.oclc.org/ooxml/officeDocument/customProperties",
    ),
)
_REL_PREFIXES = (REL_TRANSITIONAL + "/", REL_STRICT + "/")


def local(tag: str) -> str:
    """An element's or attribute's name without its namespace."""
    return tag.rpartition("}")[2]


def rel_kind(rel_type: str) -> str:
    """The last word of a relationship type in either vocabulary: "worksheet", "comments" …;
    the full type for anything else (Microsoft's own types, e.g. xlMacrosheet)."""
    for prefix in _REL_PREFIXES:
        if rel_type.startswith(prefix):
            return rel_type[len(prefix) :]
    return rel_type


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder)."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relationships(zf: Parts, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target part) of ``part``'s relationships; [] when it has none."""
    name = "_rels/.rels" if part == "" else rels_part(part)
    try:
        data = zf.read(name)
    except KeyError:
        return []
    found = []
    for rel in SafeET.fromstring(data).iter(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        found.append(
            (rel.get("Id", ""), rel.get("Type", ""), resolve(part or "/", rel.get("Target", "")))
        )
    return found


def workbook_part(zf: Parts) -> str | None:
    """The main part of the package (the workbook), or None when the package has none."""
    names = set(zf.namelist())
    for _id, rel_type, target in relationships(zf, ""):
        if rel_kind(rel_type) == "officeDocument" and target in names:
            return target
    return DEFAULT_WORKBOOK if DEFAULT_WORKBOOK in names else None


@dataclass
class Manifest:
    """What the workbook part says about the workbook."""

    workbook: str  # the workbook part's name
    parts: dict[str, str] = field(default_factory=dict)  # worksheet name → part (in order)
    other_sheets: dict[str, str] = field(default_factory=dict)  # chart/macro/dialog sheets
    defined: dict[str, str] = field(default_factory=dict)  # workbook-scope names only
    hidden: set[str] = field(default_factory=set)
    strict: bool = False  # Strict OOXML namespaces
    date1904: bool = False
    shared_strings: str | None = None  # the shared strings part, if any


class Parts(Protocol):
    """What the manifest is read through: a ``zipfile.ZipFile``, or ``_Known`` parts."""

    def namelist(self) -> list[str]: ...

    def read(self, name: str) -> bytes: ...


class _Known:
    """Some parts' bytes, read as ``zipfile.ZipFile`` reads them: a KeyError for a part the
    package does not have (``ZipFile.getinfo``)."""

    def __init__(self, names: tuple[str, ...], parts: dict[str, bytes]) -> None:
        self.names, self.parts = names, parts

    def namelist(self) -> list[str]:
        return list(self.names)

    def read(self, name: str) -> bytes:
        return self.parts[name]


def manifest_of(zf: zipfile.ZipFile) -> Manifest:
    """``manifest``, parsed once for each distinct set of the parts it is read from
    (_rels/.rels, the workbook part, its relationships: the template's in every submission,
    so a batch parses them once; issue 21). A copy: the caller may change it."""
    names = tuple(zf.namelist())
    known = {n: zf.read(n) for n in (ROOT_RELS,) if n in zf.NameToInfo}
    part = _main_part(names, known.get(ROOT_RELS))
    if part is None:
        raise KeyError(DEFAULT_WORKBOOK)
    for name in (part, rels_part(part)):
        if name in zf.NameToInfo:
            known[name] = zf.read(name)
    found = _parsed(names, tuple(sorted(known.items())))
    return Manifest(
        workbook=found.workbook,
        parts=dict(found.parts),
        other_sheets=dict(found.other_sheets),
        defined=dict(found.defined),
        hidden=set(found.hidden),
        strict=found.strict,
        date1904=found.date1904,
        shared_strings=found.shared_strings,
    )


@functools.lru_cache(maxsize=32)
def _main_part(names: tuple[str, ...], root_rels: bytes | None) -> str | None:
    return workbook_part(_Known(names, {} if root_rels is None else {ROOT_RELS: root_rels}))


@functools.lru_cache(maxsize=32)
def _parsed(names: tuple[str, ...], parts: tuple[tuple[str, bytes], ...]) -> Manifest:
    return manifest(_Known(names, dict(parts)))


def manifest(zf: Parts) -> Manifest:
    """Read the workbook part and its relationships (raises KeyError without a workbook)."""
    part = workbook_part(zf)
    if part is None:
        raise KeyError(DEFAULT_WORKBOOK)
    root = SafeET.fromstring(zf.read(part))
    found = Manifest(workbook=part, strict=root.tag.startswith(f"{{{MAIN_STRICT}}}"))
    targets = {rid: (rel_kind(t), target) for rid, t, target in relationships(zf, part)}
    found.shared_strings = next((t for k, t in targets.values() if k == "sharedStrings"), None)
    for el in root.iter():
        name = local(el.tag)
        if name == "workbookPr":
            found.date1904 = el.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            title = el.get("name", "")
            rid = next((v for k, v in el.attrib.items() if local(k) == "id" and "}" in k), "")
            kind, target = targets.get(rid, ("worksheet", ""))
            if kind == "worksheet":
                found.parts[title] = target
            else:
                found.other_sheets[title] = target
            if el.get("state") in ("hidden", "veryHidden"):
                found.hidden.add(title)
        elif name == "definedName" and el.get("localSheetId") is None:
            found.defined[el.get("name", "")] = el.text or ""
    return found


def to_strict(data: bytes) -> bytes:
    """An XML part with every Transitional namespace URI (and relationship type) replaced by
    its Strict one; a part already Strict is returned unchanged."""
    for transitional, strict in STRICT_NAMESPACES:
        data = data.replace(transitional.encode(), strict.encode())
    return data


_PREFIXED_ROOT = re.compile(
    r"<([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\b[^>]*?\sxmlns:\1=\"("
    + re.escape(MAIN_TRANSITIONAL)
    + "|"
    + re.escape(MAIN_STRICT)
    + r")\""
)


def unprefixed(xml: str) -> str:
    """A SpreadsheetML part whose elements carry a prefix for the main namespace
    (``<x:worksheet xmlns:x=…>``, as some producers write) in the usual form, with that
    namespace as the default: the same XML, which sheetprog's write-back edits. Any other
    part (or one that also declares a default namespace) is returned as it is."""
    head = xml[:2048]
    root = _PREFIXED_ROOT.search(head)
    if root is None or root.start() != head.find("<" + root.group(1) + ":"):
        return xml
    opening = xml[root.start() : xml.index(">", root.start())]
    if re.search(r"\sxmlns=", opening):
        return xml
    prefix = re.escape(root.group(1))
    xml = re.sub(rf"<(/?){prefix}:", r"<\1", xml)
    return re.sub(rf"\sxmlns:{prefix}=", " xmlns=", xml, count=1)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def convert_namespaces(data: bytes, *, strict: bool) -> bytes:
    """A copy of the package ``data`` with its XML parts in the other vocabulary: Strict
    (``strict``) or Transitional. Only namespace URIs and relationship types change (and the
    workbook's ``conformance`` attribute); parts and everything else are copied as they are.
    Reading a Strict file with a Transitional-only reader (openpyxl) goes through this."""
    pairs = [(t.encode(), s.encode()) for t, s in STRICT_NAMESPACES]
    if not strict:
        pairs = [(b, a) for a, b in pairs]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        main = workbook_part(zin)
        for info in zin.infolist():
            body = zin.read(info)
            if _is_xml(info.filename):
                for old, new in pairs:
                    body = body.replace(old, new)
                if info.filename == main:
                    body = _conformance(body, strict)
            zout.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _conformance(workbook: bytes, strict: bool) -> bytes:
    body = re.sub(rb'\sconformance="[^"]*"', b"", workbook, count=1)
    if strict:
        body = re.sub(rb"(<(?:[\w.-]+:)?workbook\b)", rb'\1 conformance="strict"', body, count=1)
    return body
