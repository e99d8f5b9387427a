"""Template lint: unknown variables, Jinja syntax errors and tags split by Word's formatting,
each located by paragraph or table cell, before a clerk gets a silent blank."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from sheetprog.checks.severity import Severity
from sheetprog.reports.filters import FILTERS

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SPECIAL = re.compile(r"\{%\s*(tr|tc|p|r)\s")


@dataclass(frozen=True)
class LintProblem:
    severity: Severity  # an error stops rendering; a warning renders, perhaps not as meant
    where: str  # "абзац 12" / "таблица 2, строка 3, ячейка 1"
    message: str


def _blocks(path: Path) -> Iterator[tuple[str, Any]]:
    """(location, paragraph) in document order, table cells included."""
    from docx import Document

    document = Document(str(path))
    body = document.element.body
    table_no = 0
    para_no = 0
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para_no += 1
            yield f"абзац {para_no}", Paragraph(child, document)
        elif tag == "tbl":
            table_no += 1
            table = Table(child, document)
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    for paragraph in cell.paragraphs:
                        yield f"таблица {table_no}, строка {r}, ячейка {c}", paragraph
    for s, section in enumerate(document.sections, start=1):
        for paragraph in section.footer.paragraphs + section.header.paragraphs:
            yield f"колонтитул раздела {s}", paragraph


_MISSING = object()
_BUILTINS = {"loop", "range", "true", "false", "none", "True", "False", "None", "caller"}


def _resolve(expr: nodes.Node, scope: dict[str, Any]) -> Any:
    """The example value an expression stands for, or None when unknown."""
    if isinstance(expr, nodes.Name):
        return scope.get(expr.name)
    if isinstance(expr, nodes.Getattr):
        base = _resolve(expr.node, scope)
        return base.get(expr.attr) if isinstance(base, dict) else None
    if isinstance(expr, nodes.Filter) and expr.node is not None:
        return _resolve(expr.node, scope)
    return None


def _dotted(expr: nodes.Node) -> str:
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Getattr):
        return f"{_dotted(expr.node)}.{expr.attr}"
    return "…"


def _check(node: nodes.Node, scope: dict[str, Any], found: list[tuple[str, str]]) -> None:
    """Unknown names and fields, following loop variables to their items' fields."""
    if isinstance(node, nodes.For):
        _check(node.iter, scope, found)
        items = _resolve(node.iter, scope)
        item = items[0] if isinstance(items, list) and items else None
        inner = dict(scope)
        inner["loop"] = None
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = item
        for target in node.target.find_all(nodes.Name):  # tuple targets: fields unknown
            inner[target.name] = None
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            _check(child, inner, found)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        targets = [node.target] if isinstance(node.target, nodes.Name) else []
        for target in [*targets, *node.target.find_all(nodes.Name)]:
            scope[target.name] = None
    if isinstance(node, nodes.Getattr):
        base = _resolve(node.node, scope)
        if isinstance(base, dict) and node.attr not in base:
            found.append((_dotted(node), f"у «{_dotted(node.node)}» нет поля «{node.attr}»"))
            return
    known = node.name in scope or node.name in _BUILTINS if isinstance(node, nodes.Name) else True
    if isinstance(node, nodes.Name) and node.ctx == "load" and not known:
        found.append((node.name, f"неизвестная переменная «{node.name}»"))
    for child in node.iter_child_nodes():
        _check(child, scope, found)


def lint_template(path: Path, schema: dict[str, Any]) -> list[LintProblem]:
    """Problems of a .docx template against a context ``schema`` (variable → example value)."""
    problems: list[LintProblem] = []
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    lines: list[str] = []
    places: list[str] = []
    for where, paragraph in _blocks(path):
        text = paragraph.text
        for tag in _TAG.findall(text):
            if not any(tag in run.text for run in paragraph.runs):
                problems.append(
                    LintProblem(
                        Severity.WARNING,
                        where,
                        f"тег «{tag}» разбит форматированием Word на части; "
                        "выделите его и задайте единое оформление",
                    )
                )
        for tag in _TAG.findall(text):
            if tag.startswith("{{"):
                try:
                    env.parse(tag)
                except jinja2.TemplateSyntaxError as exc:
                    problems.append(
                        LintProblem(Severity.ERROR, where, f"ошибка в теге «{tag}»: {exc.message}")
                    )
        if "{" in text and not _TAG.search(text) and re.search(r"\{[{%#]|[}%#]\}", text):
            problems.append(
                LintProblem(Severity.ERROR, where, f"незакрытый тег в тексте «{text[:80]}»")
            )
        lines.append(_SPECIAL.sub("{% ", text))
        places.append(where)
    ast = None
    for _attempt in range(20):  # report a syntax error, blank its line, and look further
        try:
            ast = env.parse("\n".join(lines))
            break
        except jinja2.TemplateSyntaxError as exc:
            line = exc.lineno - 1 if exc.lineno and exc.lineno <= len(places) else None
            where = places[line] if line is not None else "?"
            problems.append(
                LintProblem(Severity.ERROR, where, f"синтаксическая ошибка: {exc.message}")
            )
            if line is None or not lines[line]:
                return problems
            lines[line] = ""
    if ast is None:
        return problems
    found: list[tuple[str, str]] = []
    _check(ast, dict(schema), found)
    for needle, message in dict.fromkeys(found):
        problems.append(LintProblem(Severity.ERROR, _locate(lines, places, needle), message))
    return problems


def _locate(lines: list[str], places: list[str], needle: str) -> str:
    pattern = re.compile(rf"(?<![\w.]){re.escape(needle)}(?![\w])")
    for line, place in zip(lines, places, strict=True):
        if pattern.search(line):
            return place
    return "?"
