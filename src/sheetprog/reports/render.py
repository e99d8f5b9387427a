"""Render a docxtpl template; a broken template fails with a located Russian message."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import jinja2

from sheetprog.checks.severity import Severity
from sheetprog.errors import OutputError, TemplateError, UsageError
from sheetprog.io.atomic import atomic_write
from sheetprog.reports.filters import FILTERS


def jinja_env() -> jinja2.Environment:
    """The environment every template renders in: sandboxed (issue 20) — a template is a
    file anyone can hand over, so it reads the context's values and our filters, and no
    Python internals (``().__class__.__base__.__subclasses__()`` is a SecurityError, which
    the lint reports before rendering)."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


CHARTS = ("chart", "funding_chart")  # context keys that hold PNG bytes


def _png_width_mm(png: bytes) -> float:
    """The width a chart was drawn for: its pixels (IHDR) over its resolution (pHYs, pixels
    per metre); 160 mm when the PNG does not say."""
    width = int.from_bytes(png[16:20], "big")
    at = png.find(b"pHYs")
    if at < 0 or png[at + 12] != 1:  # unit 1: the metre
        return 160.0
    per_metre = int.from_bytes(png[at + 4 : at + 8], "big")
    return width / per_metre * 1000 if per_metre else 160.0


def chart_names(template: Path) -> frozenset[str]:
    """The chart variables (``CHARTS``) the template uses, in its body, headers or footers
    (docxtpl's own reading of the tags, ~0,05 s): a chart costs ~0,2 s to draw, and the
    default final report shows none. All of them when the template cannot be read here:
    ``render_docx`` then reports what is wrong with it."""
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
        used = tpl.get_undeclared_template_variables(jinja_env())
    except Exception:  # any failure: draw them all, and render_docx explains it
        return frozenset(CHARTS)
    return frozenset(name for name in CHARTS if name in used)


def render_docx(
    template: Path, context: dict[str, Any], out: Path, schema: dict[str, Any] | None = None
) -> None:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from sheetprog.reports.lint import lint_template

    if not template.is_file():
        raise TemplateError(f"Шаблон «{template}» не найден.")
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
    except Exception as exc:  # not a .docx at all
        raise TemplateError(
            f"Шаблон «{template}» не открывается как документ Word (.docx): {exc}"
        ) from exc
    column_loops = _TC_TAG.search(tpl.get_xml()) is not None
    values = dict(context)
    for key in CHARTS:  # PNG bytes in the context → images at the size they were drawn for
        chart = values.get(key)
        values[key] = (
            InlineImage(tpl, io.BytesIO(chart), width=Mm(_png_width_mm(chart))) if (chart) else ""
        )
    try:
        tpl.render(values, jinja_env=jinja_env(), autoescape=True)
    except (jinja2.TemplateError, TypeError, ValueError, KeyError) as exc:
        problems = lint_template(template, schema or context)
        located = "; ".join(
            f"{p.where}: {p.message}" for p in problems if p.severity is Severity.ERROR
        )
        raise TemplateError(
            f"Шаблон «{template}» не удалось заполнить: "
            + (located or f"{type(exc).__name__}: {exc}")
            + ". Исправьте шаблон (проверка: sheetprog template check «шаблон»)."
        ) from exc
    with atomic_write(out) as tmp:
        tpl.save(str(tmp))
        if column_loops:
            _fix_grids(tmp)


def write_report(
    template: Path, context: dict[str, Any], target: Path, *, replace: bool, pdf: bool
) -> Path | None:
    """Render a report to ``target`` (.docx, not replacing a file unless asked) and, when
    ``pdf``, convert it with LibreOffice beside it; returns the PDF's path."""
    if target.suffix.lower() != ".docx":
        raise UsageError(f"Отчёт «{target}» должен иметь расширение .docx.")
    if target.exists() and not replace:
        raise OutputError(
            f"Файл «{target}» уже существует. Укажите другое имя (-o) или добавьте --replace.",
            path=str(target),
        )
    render_docx(template, context, target)
    if not pdf:
        return None
    from sheetprog.io.libreoffice import convert

    return convert(target, "pdf", target.parent)


_TC_TAG = re.compile(r"\{%-?\s*tc\s")  # a {%tc for … %} column loop


def _fix_grids(path: Path) -> None:
    """Rebuild each table's column grid from the cell widths of its widest row.

    Columns repeated by {%tc for %} loops keep the template's grid (with the narrow
    control columns) otherwise, and LibreOffice lays the table out from the grid.
    """
    from docx import Document

    document = Document(str(path))
    changed = False
    for table in document.tables:
        rows = table._tbl.tr_lst
        if not rows:
            continue
        widest = max(rows, key=lambda row: len(row.tc_lst))
        widths = [tc.width for tc in widest.tc_lst]
        grid = table._tbl.tblGrid
        columns = grid.gridCol_lst
        if None in widths or [c.w for c in columns] == widths:
            continue
        while len(grid.gridCol_lst) < len(widths):
            grid.add_gridCol()
        for extra in grid.gridCol_lst[len(widths) :]:
            grid.remove(extra)
        for column, width in zip(grid.gridCol_lst, widths, strict=True):
            column.w = width
        changed = True
    if changed:
        document.save(str(path))
