"""Template lint: what a designer needs to fix before a clerk gets a silent blank or a failed
report — unknown variables, fields and filters (with "может быть, …?"), tag syntax, blocks
left open or closed twice, tags split by Word into runs of different formatting — all in
one run, each at its place: «абзац 12», «таблица 2, строка 3, ячейка 1», «верхний
колонтитул раздела 1, абзац 1».

docxtpl renders the body and every header and footer as separate Jinja templates, so each
part is linted on its own (a block opened in the body cannot be closed in a footer). A
part becomes one template of one line per paragraph (line numbers give the place); a tag
with a syntax error is reported and replaced by a neutral one of the same kind, and blocks
are balanced before Jinja parses the part, so one mistake does not hide the others.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from sheetprog.checks.severity import Severity
from sheetprog.reports.filters import FILTERS

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENERS = re.compile(r"\{\{|\{%|\{#")
_CLOSERS = re.compile(r"\}\}|%\}|#\}")
_STATEMENT = re.compile(r"^\{%[-+]?\s*(\w*)(.*?)\s*[-+]?%\}$", re.S)

# docxtpl's own tag forms (docxtpl.template.patch_xml)
_DOCXTPL_PREFIX = re.compile(r"^(\{%|\{\{)(tr|tc|p|r) ")  # {%tr for … %} → {% for … %}
_DOCXTPL_COMMENT = re.compile(r"^\{#(tr|tc|p) ")
_DOCXTPL_MERGE = re.compile(r"^\{%\s*(vm|hm)\s*%\}$")
_DOCXTPL_CELL = re.compile(r"^\{%\s*(colspan|cellbg)\s+(.*?)\s*%\}$", re.S)

_BLOCKS = ("for", "if", "with", "filter", "macro", "call", "autoescape", "block", "set")
_MIDDLE = {"else": ("if", "for"), "elif": ("if",)}
_STANDALONE = ("set", "include", "import", "from", "extends")
_KNOWN_TAGS = (*_BLOCKS, *_MIDDLE, *_STANDALONE, *(f"end{b}" for b in _BLOCKS))
_NEUTRAL = {  # a valid tag of the same kind, for one with a syntax error
    "for": "{% for __ in () %}",
    "if": "{% if true %}",
    "elif": "{% elif true %}",
    "else": "{% else %}",
    "with": "{% with %}",
    "filter": "{% filter string %}",
    "macro": "{% macro __() %}",
    "call": "{% call __() %}",
    "autoescape": "{% autoescape true %}",
    "block": "{% block __%d %}",
    "set": "{% set __ %}",
}
_DICT_METHODS = {"items", "keys", "values", "get"}
Look = tuple[Any, ...]  # a run's formatting, comparable (see _formatting)
_IGNORED_FORMATTING = {"lang", "noProof", "proofErr", "webHidden"}  # do not change the look


@dataclass(frozen=True)
class LintProblem:
    severity: Severity  # an error stops rendering; a warning renders, perhaps not as meant
    where: str  # "абзац 12" / "таблица 2, строка 3, ячейка 1" / "нижний колонтитул …"
    message: str


@dataclass
class _Paragraph:
    where: str
    runs: list[tuple[str, Look]]  # (text, formatting that changes the look)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass
class _Tag:
    line: int
    original: str  # as typed in the document
    tag: str  # as Jinja will see it (docxtpl's forms rewritten)
    name: str = ""  # statement name ("for", "endif"); "" for {{ }} and {# #}


@dataclass
class _Part:
    """One Jinja template of docxtpl: the body, or one header or footer."""

    title: str  # «основной текст», «верхний колонтитул раздела 1»
    paragraphs: list[_Paragraph] = field(default_factory=list)


# -- reading the document ----------------------------------------------------------------------


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _formatting(run: Any) -> Look:
    """A run's properties (w:rPr) that change how its text looks, the spelling language and
    the like left out, in a canonical form (attributes sorted): equal forms, equal look."""
    rpr = next((child for child in run if _local(child) == "rPr"), None)
    if rpr is None:
        return ()
    return tuple(_canonical(c) for c in rpr if _local(c) not in _IGNORED_FORMATTING)


def _canonical(element: Any) -> Look:
    return (
        str(element.tag),
        tuple(sorted(element.attrib.items())),
        tuple(_canonical(child) for child in element),
    )


def _runs(paragraph: Any) -> list[tuple[str, Look]]:
    """The paragraph's runs in order (those in hyperlinks, insertions, fields included; text
    boxes excluded), with their text as docxtpl joins it."""
    out = []
    for run in paragraph.xpath(".//w:r[not(ancestor::w:txbxContent)]"):
        text = run.text  # python-docx: w:t, tabs, breaks …
        if text:
            out.append((text, _formatting(run)))
    return out


def _content(element: Any) -> Iterator[Any]:
    """Block-level children in order, looking into content controls (w:sdt)."""
    for child in element.iterchildren():
        tag = _local(child)
        if tag in ("p", "tbl"):
            yield child
        elif tag in ("sdt", "customXml"):
            for inner in child.iterchildren():
                if _local(inner) == "sdtContent":
                    yield from _content(inner)
                elif _local(inner) in ("p", "tbl"):
                    yield inner


def _paragraphs(element: Any, prefix: str, in_cell: bool = False) -> Iterator[_Paragraph]:
    """Paragraphs of a body, header, footer or table cell with their places."""
    paragraph_no = table_no = 0
    for child in _content(element):
        if _local(child) == "p":
            paragraph_no += 1
            where = prefix if in_cell else f"{prefix}абзац {paragraph_no}"
            yield _Paragraph(where, _runs(child))
            continue
        table_no += 1
        table = (
            f"{prefix}, вложенная таблица {table_no}" if in_cell else f"{prefix}таблица {table_no}"
        )
        for r, row in enumerate(_children(child, "tr"), start=1):
            for c, cell in enumerate(_children(row, "tc"), start=1):
                yield from _paragraphs(cell, f"{table}, строка {r}, ячейка {c}", in_cell=True)


def _children(element: Any, name: str) -> Iterator[Any]:
    """Rows of a table or cells of a row («tr», «tc»), those in content controls included;
    a merged cell is one w:tc, so its paragraphs come once."""
    for child in element.iterchildren():
        if _local(child) == name:
            yield child
        elif _local(child) in ("sdt", "sdtContent", "customXml"):
            yield from _children(child, name)


def _parts(path: Path) -> list[_Part]:
    """The body, then each header and footer part once (linked ones have no part)."""
    from docx import Document

    document = Document(str(path))
    parts = [_Part("основной текст", list(_paragraphs(document.element.body, "")))]
    kinds = (
        ("header", "верхний колонтитул"),
        ("first_page_header", "верхний колонтитул первой страницы"),
        ("even_page_header", "верхний колонтитул чётных страниц"),
        ("footer", "нижний колонтитул"),
        ("first_page_footer", "нижний колонтитул первой страницы"),
        ("even_page_footer", "нижний колонтитул чётных страниц"),
    )
    for s, section in enumerate(document.sections, start=1):
        for attribute, title in kinds:
            part = getattr(section, attribute)
            if part.is_linked_to_previous:
                continue
            name = f"{title} раздела {s}"
            parts.append(_Part(name, list(_paragraphs(part._element, f"{name}, "))))
    return parts


# -- messages ------------------------------------------------------------------------------------

_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "end of template": "конец тега",
    "name": "имя",
    "string": "текст в кавычках",
    "integer": "число",
    "float": "число",
}


def _token(text: str) -> str:
    return _TOKENS.get(text, text)


_JINJA_MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"unexpected end of template, expected '(.+)'\.?$"),
        lambda m: f"тег не закончен: нужно «{_token(m[1])}»",
    ),
    (
        re.compile(r"expected token '(.+)', got '(.+)'$"),
        lambda m: f"нужно «{_token(m[1])}», а написано «{_token(m[2])}»",
    ),
    (
        re.compile(r"unexpected char (['\"])(.+)\1 at \d+$"),
        lambda m: f"недопустимый символ «{m[2]}»",
    ),
    (
        re.compile(r"unexpected '(.+)', expected '(.+)'$"),
        lambda m: f"«{m[1]}» вместо «{m[2]}»: скобки не парные",
    ),
    (re.compile(r"unexpected '(.+)'$"), lambda m: f"лишнее «{_token(m[1])}»"),
    (
        re.compile(r"tag name expected$"),
        lambda m: "после «{%» нужно имя тега (if, for, set …)",
    ),
    (
        re.compile(r"Encountered unknown tag '(\w+)'"),
        lambda m: f"неизвестный тег «{m[1]}»",
    ),
    (re.compile(r"Unexpected end of template"), lambda m: "блок не закрыт до конца текста"),
    (
        re.compile(r"Expected an expression, got '(.+)'$"),
        lambda m: f"нужно выражение, а написано «{_token(m[1])}»",
    ),
    (re.compile(r"expected name or number$"), lambda m: "после точки нужно имя поля"),
    (
        re.compile(r"expected subscript expression$"),
        lambda m: "в квадратных скобках нужно выражение",
    ),
    (re.compile(r"can't assign to"), lambda m: "присвоить значение можно только переменной"),
    (
        re.compile(r"invalid syntax for function call expression$"),
        lambda m: "ошибка в скобках вызова",
    ),
    (
        re.compile(r"Block names in Jinja"),
        lambda m: "имя блока — латинские буквы, цифры и «_», без дефиса",
    ),
]


def russian(message: str | None) -> str:
    """A Jinja syntax error in words a designer reads."""
    text = (message or "").strip()
    for pattern, say in _JINJA_MESSAGES:
        match = pattern.search(text)
        if match:
            return str(say(match))
    return f"ошибка в записи тега (Jinja: {text})"


def _maybe(name: str, candidates: Any) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" — может быть, «{close[0]}»?" if close else ""


# -- tags ----------------------------------------------------------------------------------------


def _rewrite(tag: str) -> str:
    """A tag as docxtpl hands it to Jinja."""
    if _DOCXTPL_MERGE.match(tag):
        return ""
    cell = _DOCXTPL_CELL.match(tag)
    if cell:
        return "{{ " + cell[2] + " }}"
    tag = _DOCXTPL_PREFIX.sub(r"\1 ", tag)
    return _DOCXTPL_COMMENT.sub("{# ", tag)


def _statement(tag: str) -> str:
    match = _STATEMENT.match(tag)
    if match is None:
        return ""
    name = match[1]
    if name == "set" and "=" in match[2]:
        return "set="  # {% set x = … %}: no block
    return name


def _syntax(env: jinja2.Environment, tag: _Tag) -> str | None:
    """The Russian syntax error of one tag on its own, or None."""
    if tag.tag.startswith("{#") or not tag.tag:
        return None
    name = tag.name
    try:
        if tag.tag.startswith("{{"):
            env.parse(tag.tag)
        elif name in _BLOCKS:
            env.parse(tag.tag + "{% end" + name + " %}")
        elif name in _MIDDLE:
            env.parse("{% if true %}" + tag.tag + "{% endif %}")
        elif name.startswith("end") and name[3:] in _BLOCKS:
            extra = _STATEMENT.match(tag.tag)
            if extra and extra[2].strip() and name != "endblock":
                return f"после «{name}» ничего писать не нужно"
        elif name in ("set=", *_STANDALONE):
            env.parse(tag.tag)
        elif name == "":
            return "после «{%» нужно имя тега (if, for, set …)"
        else:
            hint = _maybe(name, _KNOWN_TAGS)
            docxtpl = " (пишите «{%" + name + "» без пробела)" if name in ("tr", "tc", "p") else ""
            return f"неизвестный тег «{name}»{hint or docxtpl}"
    except jinja2.TemplateSyntaxError as exc:
        return russian(exc.message)
    return None


def _closing(opener: _Tag) -> str:
    """The end tag that closes ``opener``, written in its docxtpl form: {%tr endfor %}."""
    prefix = _DOCXTPL_PREFIX.match(opener.original)
    return "{%" + (prefix[2] + " " if prefix else " ") + "end" + opener.name + " %}"


def _balance(tags: list[_Tag], places: list[str], problems: list[LintProblem]) -> str:
    """Report blocks left open, end tags with no block and misplaced else/elif; make the
    tags balanced (missing end tags added, stray ones dropped) so that Jinja can parse.
    Returns the end tags of the blocks still open at the end of the part."""
    stack: list[_Tag] = []
    for tag in tags:
        name = tag.name
        if name in _BLOCKS:
            stack.append(tag)
        elif name in _MIDDLE:
            if not stack or stack[-1].name not in _MIDDLE[name]:
                inside = " или ".join("«{% " + b + " … %}»" for b in _MIDDLE[name])
                problems.append(
                    LintProblem(
                        Severity.ERROR, places[tag.line], f"«{tag.original}» вне блока {inside}"
                    )
                )
                tag.tag = ""
        elif name.startswith("end") and name[3:] in _BLOCKS:
            wanted = name[3:]
            if not any(open_.name == wanted for open_ in stack):
                problems.append(
                    LintProblem(
                        Severity.ERROR,
                        places[tag.line],
                        f"«{tag.original}» без открывающего «{{% {wanted} … %}}»",
                    )
                )
                tag.tag = ""
                continue
            closes = ""
            while stack[-1].name != wanted:
                unclosed = stack.pop()
                problems.append(_unclosed(unclosed, places, before=tag))
                closes += "{% end" + unclosed.name + " %}"
            stack.pop()
            tag.tag = closes + tag.tag
    closes = ""
    while stack:
        unclosed = stack.pop()
        problems.append(_unclosed(unclosed, places))
        closes += "{% end" + unclosed.name + " %}"
    return closes


def _unclosed(tag: _Tag, places: list[str], before: _Tag | None = None) -> LintProblem:
    where = f" до «{before.original}» ({places[before.line]})" if before else ""
    return LintProblem(
        Severity.ERROR,
        places[tag.line],
        f"тег «{tag.original}» не закрыт: нет «{_closing(tag)}»{where}",
    )


# -- names ---------------------------------------------------------------------------------------


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


class _Names:
    """Unknown names, fields, filters and tests, following loop variables to their items'
    fields; each found with its line."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.builtins = {"loop", "true", "false", "none", "True", "False", "None", "caller"}
        self.builtins |= set(env.globals)
        self.found: list[tuple[int, str]] = []

    def check(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.check(node.iter, scope)
            items = _resolve(node.iter, scope)
            item = items[0] if isinstance(items, list) and items else None
            inner = dict(scope)
            inner["loop"] = None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            for target in node.target.find_all(nodes.Name):  # tuple targets: fields unknown
                if target is not node.target:
                    inner[target.name] = None
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                self.check(child, inner)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for argument in getattr(node, "args", []):
                inner[argument.name] = None
            for child in node.iter_child_nodes():
                self.check(child, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            targets = [node.target] if isinstance(node.target, nodes.Name) else []
            for target in [*targets, *node.target.find_all(nodes.Name)]:
                scope[target.name] = None
        if isinstance(node, nodes.Filter | nodes.Test):
            known = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            if node.name not in known:
                what = "фильтр" if isinstance(node, nodes.Filter) else "проверка"
                self.found.append(
                    (node.lineno, f"неизвестный {what} «{node.name}»{_maybe(node.name, known)}")
                )
        if isinstance(node, nodes.Getattr):
            base = _resolve(node.node, scope)
            if isinstance(base, dict) and node.attr not in base and node.attr not in _DICT_METHODS:
                self.found.append(
                    (
                        node.lineno,
                        f"у «{_dotted(node.node)}» нет поля «{node.attr}»{_maybe(node.attr, base)}",
                    )
                )
                return
        if isinstance(node, nodes.Name) and node.ctx == "load":
            name = node.name
            if name not in scope and name not in self.builtins and not name.startswith("__"):
                names = [k for k in scope if not k.startswith("__")]
                self.found.append(
                    (node.lineno, f"неизвестная переменная «{name}»{_maybe(name, names)}")
                )
        for child in node.iter_child_nodes():
            self.check(child, scope)


# -- the lint ------------------------------------------------------------------------------------


def lint_template(path: Path, schema: dict[str, Any]) -> list[LintProblem]:
    """Problems of a .docx template against a context ``schema`` (variable → example value),
    in document order per part: the body first, then headers and footers."""
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    problems: list[LintProblem] = []
    for part in _parts(path):
        problems += _lint_part(part, schema, env)
    return list(dict.fromkeys(problems))


def _lint_part(part: _Part, schema: dict[str, Any], env: jinja2.Environment) -> list[LintProblem]:
    """The part's problems in the order of its paragraphs."""
    problems: list[LintProblem] = []
    places = [p.where for p in part.paragraphs]
    tags: list[_Tag] = []
    lines: list[list[str | _Tag]] = []  # per paragraph: its text pieces and tags in order
    for line, paragraph in enumerate(part.paragraphs):
        problems += _split_tags(paragraph)
        text = paragraph.text.replace("\r", " ").replace("\n", " ")
        pieces: list[str | _Tag] = []
        for piece in re.split(f"({_TAG.pattern})", text, flags=re.S):
            if _TAG.fullmatch(piece):
                tag = _Tag(line, piece, _rewrite(piece))
                tag.name = _statement(tag.tag) if tag.tag.startswith("{%") else ""
                pieces.append(tag)
                tags.append(tag)
            elif piece:
                pieces.append(piece)
        plain = "".join(p for p in pieces if isinstance(p, str))
        stray = _OPENERS.search(plain) or _CLOSERS.search(plain)
        if stray:
            shown = plain[max(0, stray.start() - 30) :][:80].strip()
            problems.append(
                LintProblem(
                    Severity.ERROR,
                    paragraph.where,
                    f"незакрытый или лишний знак тега «{stray[0]}» в тексте «{shown}»",
                )
            )
        lines.append(pieces)
    for number, tag in enumerate(tags):
        error = _syntax(env, tag)
        if error is None:
            continue
        problems.append(
            LintProblem(
                Severity.ERROR, places[tag.line], f"ошибка в теге «{tag.original}»: {error}"
            )
        )
        if tag.name in _NEUTRAL:
            tag.tag = _NEUTRAL[tag.name].replace("%d", str(number))
        elif tag.name.startswith("end"):  # {% endif x %}: still closes its block
            tag.tag = "{% " + tag.name + " %}"
        else:
            tag.tag, tag.name = "", ""
    closes = _balance([t for t in tags if t.name], places, problems)
    source = [
        "".join(p.tag if isinstance(p, _Tag) else _OPENERS.sub(_harmless, p) for p in pieces)
        for pieces in lines
    ]
    if source:
        source[-1] += closes
    ast = _parse(env, source, places, problems, part.title)
    if ast is not None:
        names = _Names(env)
        names.check(ast, dict(schema))
        for lineno, message in names.found + sandbox_problems(ast):
            where = places[lineno - 1] if 0 < lineno <= len(places) else part.title
            problems.append(LintProblem(Severity.ERROR, where, message))
    order = {where: n for n, where in reversed(list(enumerate(places)))}
    return sorted(problems, key=lambda p: order.get(p.where, len(places)))


def sandbox_problems(ast: nodes.Template) -> list[tuple[int, str]]:
    """What the sandbox (reports.render.jinja_env, issue 20) refuses at render time, found
    before: attributes and keys starting with «_» (Python's internals: ``__class__``,
    ``__subclasses__``, ``_private``) and ``range`` longer than the sandbox allows."""
    from jinja2.sandbox import MAX_RANGE

    found: list[tuple[int, str]] = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
        name = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value if isinstance(node.arg.value, str) else None
        if name is not None and name.startswith("_"):
            found.append(
                (
                    node.lineno,
                    f"обращение к служебному атрибуту «{name}» запрещено: шаблон выполняется "
                    "в защищённом режиме и может читать только данные отчёта",
                )
            )
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "range"
            and any(
                isinstance(a, nodes.Const) and isinstance(a.value, int) and abs(a.value) > MAX_RANGE
                for a in node.args
            )
        ):
            found.append((node.lineno, f"range() длиннее {MAX_RANGE} элементов запрещён в шаблоне"))
    return found


def _harmless(match: re.Match[str]) -> str:
    """A stray «{{» in the text (reported already) as text Jinja leaves alone."""
    return match[0][0] + " " + match[0][1]


def _parse(
    env: jinja2.Environment,
    lines: list[str],
    places: list[str],
    problems: list[LintProblem],
    title: str,
) -> nodes.Template | None:
    """The part parsed; a syntax error the checks above missed is reported and its line
    blanked, and parsing goes on."""
    for _attempt in range(20):
        try:
            return env.parse("\n".join(lines))
        except jinja2.TemplateSyntaxError as exc:
            line = exc.lineno - 1 if exc.lineno and exc.lineno <= len(places) else None
            where = places[line] if line is not None else title
            problems.append(LintProblem(Severity.ERROR, where, russian(exc.message)))
            if line is None or not lines[line]:
                return None
            lines[line] = ""
    return None


def _split_tags(paragraph: _Paragraph) -> list[LintProblem]:
    """Tags spread over runs of different formatting: docxtpl joins them into the first
    run's formatting, so the rest of the tag's look is lost (runs that look alike are fine)."""
    problems = []
    bounds = []
    position = 0
    for text, look in paragraph.runs:
        bounds.append((position, position + len(text), look))
        position += len(text)
    for match in _TAG.finditer(paragraph.text):
        looks = {look for start, end, look in bounds if start < match.end() and end > match.start()}
        if len(looks) > 1:
            problems.append(
                LintProblem(
                    Severity.WARNING,
                    paragraph.where,
                    f"тег «{match[0]}» разбит форматированием Word на части с разным "
                    "оформлением; в отчёте всё значение получит оформление первой части — "
                    "выделите тег и задайте единое оформление",
                )
            )
    return problems
